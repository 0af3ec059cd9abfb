/** JSON errors of the API and the validation of request parameters against zod schemas. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, BadRequestError, TooManyRequestsError } from '../errors.js';
import { NotPublishableError } from '../takes/take-service.js';
import { publishCheckView } from './take-views.js';

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

/** Drops the `_csrf` field, because the CSRF check also accepts the token in the body and no body schema lists it. */
function withoutCsrfField(body: Record<string, unknown>): Record<string, unknown> {
  const { _csrf: _token, ...rest } = body;
  return rest;
}

/**
 * Parses path or query parameters or a JSON request body, raising a BadRequestError that names
 * the parameter or field, its value and the expected form.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, kind: 'path' | 'query' | 'body'): z.output<Schema> {
  if (kind === 'body' && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new BadRequestError('The request body must be a JSON object sent with Content-Type: application/json; /api/v1/docs lists its fields.');
  }
  const result = schema.safeParse(kind === 'body' ? withoutCsrfField(input as Record<string, unknown>) : input);
  if (result.success) return result.data;

  const values = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const inputName = kind === 'body' ? 'body field' : `${kind} parameter`;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map((key) => `"${key}"`).join(', ');
      return `unknown ${inputName} ${names}; remove it (the ${kind === 'body' ? 'fields' : 'parameters'} are listed at /api/v1/docs)`;
    }
    const name = issue.path.map(String).join('.');
    const value = values[name];
    if (kind === 'body') {
      // Body values can be long Markdown, so the message names the field and its JSON type only.
      if (value === undefined) return `missing ${inputName} ${name}: ${issue.message}`;
      return `invalid ${inputName} ${name} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}): ${issue.message}`;
    }
    const valueText = value === undefined ? '' : `=${Array.isArray(value) ? JSON.stringify(value) : String(value)}`;
    const hint = Array.isArray(value) ? 'give the parameter once' : issue.message;
    return `invalid ${inputName} ${name}${valueText}: ${hint}`;
  });
  const text = problems.join('; ');
  throw new BadRequestError(`${text.charAt(0).toUpperCase()}${text.slice(1)}.`);
}

function codeForStatus(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'too-many-requests';
  return status >= 500 ? 'internal' : 'bad-request';
}

/**
 * Sends every error as `{ error: { code, message } }`. Application errors keep their code, except
 * that a take that cannot be published gets code not-publishable with the check. Fastify's own
 * client errors (such as a malformed URL or JSON body) get the code of their status. Anything else
 * is logged and hidden as internal.
 */
export function sendApiError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error instanceof ConflictError) body.candidates = error.candidates;
    if (error instanceof NotPublishableError) {
      body.code = 'not-publishable';
      body.check = publishCheckView(error.check);
    }
    if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
    return reply.code(error.status).send({ error: body });
  }

  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: { code: codeForStatus(status), message: error.message } });
  }
  request.log.error({ err: error, url: request.url }, 'API request failed');
  return reply.code(500).send({ error: { code: 'internal', message: 'Internal error. The server log has the details.' } });
}
