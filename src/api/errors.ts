/** JSON errors of the API and the validation of request parameters against zod schemas. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, BadRequestError } from '../errors.js';

export interface Candidate {
  stixId: string;
  type: string;
  attackId: string | null;
  name: string | null;
  url: string;
}

/** Several objects match an ATT&CK ID; `candidates` lets the client choose one. */
export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly candidates: Candidate[],
  ) {
    super(409, 'conflict', message);
  }
}

/**
 * Parses path or query parameters, raising a BadRequestError that names the parameter, its value
 * and the expected form.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, kind: 'path' | 'query'): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;

  const values = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map((key) => `"${key}"`).join(', ');
      return `unknown ${kind} parameter ${names}; remove it (the parameters are listed at /api/v1/docs)`;
    }
    const name = issue.path.map(String).join('.');
    const value = values[name];
    const valueText = value === undefined ? '' : `=${Array.isArray(value) ? JSON.stringify(value) : String(value)}`;
    const hint = Array.isArray(value) ? 'give the parameter once' : issue.message;
    return `invalid ${kind} parameter ${name}${valueText}: ${hint}`;
  });
  const text = problems.join('; ');
  throw new BadRequestError(`${text.charAt(0).toUpperCase()}${text.slice(1)}.`);
}

function codeForStatus(status: number): string {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  return status >= 500 ? 'internal' : 'bad-request';
}

/**
 * Sends every error as `{ error: { code, message } }`. Application errors keep their code;
 * Fastify's own client errors (such as a malformed URL) become bad-request; anything else is
 * logged and hidden as internal.
 */
export function sendApiError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error instanceof ConflictError) body.candidates = error.candidates;
    return reply.code(error.status).send({ error: body });
  }

  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: { code: codeForStatus(status), message: error.message } });
  }
  request.log.error({ err: error, url: request.url }, 'API request failed');
  return reply.code(500).send({ error: { code: 'internal', message: 'Internal error. The server log has the details.' } });
}
