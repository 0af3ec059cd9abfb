/**
 * Import progress: a one-line bar redrawn in place when standard error is a
 * terminal, structured log lines otherwise (CI, files, pipes).
 */
import type { Logger } from 'pino';
import type { ImportProgress, ImportStage } from '../import/importer.js';

const STAGES: readonly ImportStage[] = ['reading', 'validating', 'storing', 'done'];
const BAR_WIDTH = 24;

function bar(progress: ImportProgress): string {
  const stageShare = STAGES.indexOf(progress.stage) / (STAGES.length - 1);
  const share = (progress.position - 1 + stageShare) / progress.total;
  const filled = Math.round(share * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

function shortName(source: string): string {
  return source.split('/').pop() ?? source;
}

export function createProgressReporter(logger: Logger, stream: NodeJS.WriteStream = process.stderr): (progress: ImportProgress) => void {
  if (!stream.isTTY) {
    return (progress) => logger.info({ source: progress.source, stage: progress.stage, bundle: progress.position, of: progress.total }, 'import progress');
  }
  return (progress) => {
    const line = `${bar(progress)} ${progress.position}/${progress.total} ${progress.stage.padEnd(10)} ${shortName(progress.source)}`;
    stream.write(`\r\x1b[2K${line}`);
    if (progress.stage === 'done' && progress.position === progress.total) stream.write('\n');
  };
}
