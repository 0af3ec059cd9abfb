/** The process logger: pino, JSON lines on standard error, so that command results on standard output stay clean. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'glexia' } }, pino.destination(2));
}
