/** `/api/v1/audit`: the audit log for admins, as JSON or as JSON lines. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { mayPerform } from '../accounts/permissions.js';
import { ForbiddenError } from '../errors.js';
import type { Store } from '../storage/store.js';
import type { AuditFilter } from '../storage/team-store.js';
import { requirePrincipal } from '../web/auth/index.js';
import { ENDPOINTS, routePath } from './endpoints.js';
import { parseInput } from './errors.js';
import { sendNotModified, weakEtag } from './etag.js';
import { auditQuery } from './schemas.js';
import { auditView } from './take-views.js';
import { API_PREFIX } from './views.js';

const NDJSON_TYPE = 'application/x-ndjson';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Converts a time bound to the stored form of `at` (UTC with milliseconds), so bounds compare as text. A date covers its whole UTC day. */
function timeBound(value: string | undefined, edge: 'start' | 'end'): string | undefined {
  if (value === undefined) return undefined;
  if (DATE_ONLY.test(value)) return `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}

function wantsJsonLines(request: FastifyRequest, format: z.output<typeof auditQuery>['format']): boolean {
  if (format !== undefined) return format === 'jsonl';
  return (request.headers.accept ?? '').split(',').some((type) => type.split(';')[0]?.trim().toLowerCase() === NDJSON_TYPE);
}

/** Builds the URL of the next page: the same parameters, with `before` set to the last entry's id. */
function nextPageUrl(request: FastifyRequest, nextBefore: number): string {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  query.set('before', String(nextBefore));
  return `${API_PREFIX}${ENDPOINTS.audit.path}?${query.toString()}`;
}

export function registerAuditApiRoutes(api: FastifyInstance, store: Store): void {
  api.get(routePath(ENDPOINTS.audit), async (request, reply) => {
    const principal = requirePrincipal(request);
    if (!mayPerform(principal.role, 'audit.read')) {
      throw new ForbiddenError(`The ${principal.role} role cannot read the audit log; only admins can.`);
    }
    const query = parseInput(auditQuery, request.query, 'query');

    const filter: AuditFilter = { limit: query.limit + 1 };
    if (query.actor !== undefined) filter.actorName = query.actor;
    if (query.action !== undefined) filter.action = query.action;
    if (query.subject !== undefined) filter.subject = query.subject;
    const since = timeBound(query.since, 'start');
    const until = timeBound(query.until, 'end');
    if (since !== undefined) filter.since = since;
    if (until !== undefined) filter.until = until;
    if (query.before !== undefined) filter.beforeId = query.before;

    // One entry beyond the page shows whether another page follows.
    const found = await store.team.listAudit(filter);
    const entries = found.slice(0, query.limit).map(auditView);
    const last = entries[entries.length - 1];
    const nextBefore = found.length > query.limit && last ? last.id : null;
    if (nextBefore !== null) reply.header('Link', `<${nextPageUrl(request, nextBefore)}>; rel="next"`);

    const jsonLines = wantsJsonLines(request, query.format);
    reply.header('Cache-Control', 'private, no-cache');
    reply.header('Vary', 'Accept, Authorization, Cookie');
    const etag = weakEtag(['audit', jsonLines ? 'jsonl' : 'json', query.limit, ...entries.map((entry) => entry.id), nextBefore ?? '']);
    if (sendNotModified(request, reply, etag)) return reply;

    if (jsonLines) {
      const lines = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      return reply.type(`${NDJSON_TYPE}; charset=utf-8`).send(lines);
    }
    return reply.type('application/json; charset=utf-8').send({ limit: query.limit, entries, nextBefore });
  });
}
