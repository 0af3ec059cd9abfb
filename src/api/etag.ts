/**
 * Weak ETags for API responses. Each ETag is a hash of the release bundle hashes and content
 * hashes a response is built from, so it changes when an import changes the response. It is weak
 * because the same content may be serialised differently, which RFC 9110 allows a weak validator
 * to ignore.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function weakEtag(parts: readonly (string | number)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${String(part)}\n`);
  return `W/"${hash.digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match uses weak comparison (RFC 9110), so W/ prefixes are ignored. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * Sets the ETag header, and sends 304 Not Modified when the request's If-None-Match matches it.
 * Returns true when it sent 304, so the caller must return the reply without a body.
 */
export function sendNotModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('ETag', etag);
  if (!matchesIfNoneMatch(request.headers['if-none-match'], etag)) return false;
  reply.code(304).send();
  return true;
}
