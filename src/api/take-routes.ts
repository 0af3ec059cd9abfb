/**
 * `/api/v1/takes`: the team's takes on ATT&CK objects, and `/api/v1/me`. TakeService decides who
 * may read or change a take and when a take may be published. The routes authenticate the caller,
 * validate the request and shape the JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStixId } from '../domain/ids.js';
import { BadRequestError } from '../errors.js';
import type { ReleaseInfo, Store } from '../storage/store.js';
import type { TakeFilter, TakeRecord } from '../storage/team-store.js';
import type { ActionOrigin, TakeService } from '../takes/take-service.js';
import { csrfTokenOf, originOf, principalOf, requirePrincipal } from '../web/auth/index.js';
import { ENDPOINTS, routePath } from './endpoints.js';
import { parseInput } from './errors.js';
import { sendNotModified, weakEtag } from './etag.js';
import { findObject } from './lookup.js';
import { createTakeBody, editTakeBody, emptyBody, noQuery, revisionBody, takeListQuery, takeParams } from './schemas.js';
import { apiTakePath, pinnedReferences, publishCheckView, takeView } from './take-views.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends JSON that depends on the caller, which only the caller's own cache may keep, and must revalidate. */
function sendPrivateJson(request: FastifyRequest, reply: FastifyReply, etagParts: readonly (string | number)[], body: unknown): FastifyReply {
  reply.header('Cache-Control', 'private, no-cache');
  reply.header('Vary', 'Authorization, Cookie');
  if (request.method === 'GET' && sendNotModified(request, reply, weakEtag(etagParts))) return reply;
  return reply.type(JSON_TYPE).send(body);
}

function encodeTakeCursor(id: number): string {
  return Buffer.from(JSON.stringify(['take', id]), 'utf8').toString('base64url');
}

function decodeTakeCursor(cursor: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== 'take' || !Number.isSafeInteger(parsed[1])) {
    throw new BadRequestError(
      `Invalid query parameter cursor=${cursor}: it is not a cursor this API returned; pass nextCursor from the previous page unchanged, or omit cursor to start again.`,
    );
  }
  return parsed[1] as number;
}

/**
 * Returns the STIX ID of an object named by STIX ID or ATT&CK ID. An ATT&CK ID that names several
 * objects resolves to the only one that is neither deprecated nor revoked, else `type` must pick one.
 * `typeIn` is the part of the request that carries `type`, which the error's advice names.
 */
async function resolveStixId(store: Store, object: string, type: string | undefined, typeIn: 'query' | 'body'): Promise<string> {
  if (isStixId(object) && type === undefined) return object;
  return (await findObject(store, { id: object, type, preferActive: true, typeIn })).stixId;
}

async function releasesById(store: Store): Promise<Map<number, ReleaseInfo>> {
  return new Map((await store.listReleases()).map((release) => [release.id, release]));
}

export function registerTakeApiRoutes(api: FastifyInstance, store: Store, takes: TakeService): void {
  /** Shapes the take as JSON, with the body and its cited references for signed-in callers and for published takes. */
  const viewOf = async (take: TakeRecord, request: FastifyRequest) => {
    const showBody = principalOf(request) !== undefined || take.state === 'published';
    const references = showBody ? await pinnedReferences(store, take) : undefined;
    return takeView(take, await releasesById(store), showBody, references);
  };

  /** Authenticates the caller first, so that an anonymous write gets 401 whatever its parameters. */
  const writeRequest = (request: FastifyRequest): { origin: ActionOrigin; id: number } => {
    requirePrincipal(request);
    const { id } = parseInput(takeParams, request.params, 'path');
    parseInput(noQuery, request.query, 'query');
    return { origin: originOf(request), id };
  };

  const sendTake = async (request: FastifyRequest, reply: FastifyReply, take: TakeRecord) =>
    sendPrivateJson(request, reply, [], { take: await viewOf(take, request) });

  api.get(routePath(ENDPOINTS.takes), async (request, reply) => {
    const query = parseInput(takeListQuery, request.query, 'query');
    const principal = principalOf(request);
    if (query.type !== undefined && query.object === undefined) {
      throw new BadRequestError('Query parameter type only picks among the objects an ATT&CK ID names; add object=<ATT&CK ID> or remove type.');
    }

    const filter: TakeFilter = {};
    if (query.object !== undefined) filter.stixId = await resolveStixId(store, query.object, query.type, 'query');
    if (query.state !== undefined) filter.states = [query.state];
    if (query.author !== undefined) {
      const author = await store.team.userByName(query.author);
      // An unknown author has written no takes.
      filter.authorId = author?.id ?? -1;
    }

    const before = query.cursor === undefined ? undefined : decodeTakeCursor(query.cursor);
    // Ids only grow, so newest-first by id gives pages that stay stable while takes are edited.
    const matching = (await takes.listReadable(principal, filter))
      .filter((take) => before === undefined || take.id < before)
      .sort((a, b) => b.id - a.id);
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor = matching.length > query.limit && last ? encodeTakeCursor(last.id) : null;

    const releases = await releasesById(store);
    const views = [];
    for (const take of page) {
      const showBody = principal !== undefined || take.state === 'published';
      views.push(takeView(take, releases, showBody, showBody ? await pinnedReferences(store, take) : undefined));
    }
    const body = { limit: query.limit, takes: views, nextCursor };
    const etag = ['takes', principal ? 'signed-in' : 'anonymous', query.limit, ...page.map((take) => `${take.id} ${take.revision}`), nextCursor ?? ''];
    return sendPrivateJson(request, reply, etag, body);
  });

  api.post(routePath(ENDPOINTS.takeCreate), async (request, reply) => {
    requirePrincipal(request);
    parseInput(noQuery, request.query, 'query');
    // The schema rejects an empty or overlong body before the object is looked up, so that error comes first.
    const input = parseInput(createTakeBody, request.body, 'body');
    const stixId = await resolveStixId(store, input.object, input.type, 'body');
    const take = await takes.create(originOf(request), stixId, input.body);
    reply.code(201).header('Location', apiTakePath(take.id));
    return sendTake(request, reply, take);
  });

  api.get(routePath(ENDPOINTS.take), async (request, reply) => {
    const { id } = parseInput(takeParams, request.params, 'path');
    parseInput(noQuery, request.query, 'query');
    const principal = principalOf(request);
    const take = await takes.loadReadable(principal, id);
    const etag = ['take', principal ? 'signed-in' : 'anonymous', take.id, take.revision];
    return sendPrivateJson(request, reply, etag, { take: await viewOf(take, request) });
  });

  const edit = async (request: FastifyRequest, reply: FastifyReply) => {
    const { origin, id } = writeRequest(request);
    const input = parseInput(editTakeBody, request.body, 'body');
    return sendTake(request, reply, await takes.edit(origin, id, input.revision, input.body));
  };
  api.put(routePath(ENDPOINTS.takeEdit), edit);
  api.patch(routePath(ENDPOINTS.takeEdit), edit);

  api.post(routePath(ENDPOINTS.takeSubmit), async (request, reply) => {
    const { origin, id } = writeRequest(request);
    const { revision } = parseInput(revisionBody, request.body, 'body');
    return sendTake(request, reply, await takes.submit(origin, id, revision));
  });

  api.post(routePath(ENDPOINTS.takeValidate), async (request, reply) => {
    const { origin, id } = writeRequest(request);
    parseInput(emptyBody, request.body ?? {}, 'body');
    const check = await takes.validate(origin, id);
    const take = await takes.load(id);
    return sendPrivateJson(request, reply, [], { take: await viewOf(take, request), check: publishCheckView(check) });
  });

  api.post(routePath(ENDPOINTS.takePublish), async (request, reply) => {
    const { origin, id } = writeRequest(request);
    const { revision } = parseInput(revisionBody, request.body, 'body');
    return sendTake(request, reply, await takes.publish(origin, id, revision));
  });

  api.post(routePath(ENDPOINTS.takeRepin), async (request, reply) => {
    const { origin, id } = writeRequest(request);
    const { revision } = parseInput(revisionBody, request.body, 'body');
    return sendTake(request, reply, await takes.repin(origin, id, revision));
  });

  api.post(routePath(ENDPOINTS.takeWithdraw), async (request, reply) => {
    const { origin, id } = writeRequest(request);
    const { revision } = parseInput(revisionBody, request.body, 'body');
    return sendTake(request, reply, await takes.withdraw(origin, id, revision));
  });

  api.get(routePath(ENDPOINTS.me), async (request, reply) => {
    const principal = requirePrincipal(request);
    parseInput(noQuery, request.query, 'query');
    const csrfToken = csrfTokenOf(request);
    const body = { name: principal.name, role: principal.role, authentication: principal.channel, ...(csrfToken ? { csrfToken } : {}) };
    return sendPrivateJson(request, reply, ['me', principal.userId, principal.role, principal.channel], body);
  });
}
