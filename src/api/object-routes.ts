/** `/api/v1/objects` and the resources of one object: facts, relationships, history, raw bytes and layer. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringField } from '../domain/stix-object.js';
import type { ObjectSnapshot, Store } from '../storage/store.js';
import type { TakeService } from '../takes/take-service.js';
import { releaseKey } from '../web/links.js';
import { parseSnapshot } from '../web/pages/page-context.js';
import { ENDPOINTS, routePath } from './endpoints.js';
import { parseInput } from './errors.js';
import { sendNotModified, weakEtag } from './etag.js';
import { buildObjectLayer } from './layer.js';
import { findObject } from './lookup.js';
import { listObjects } from './object-list.js';
import { objectListQuery, objectParams, objectQuery } from './schemas.js';
import { pinnedReferences, takeView } from './take-views.js';
import { objectView, releaseView } from './views.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Validates the path and query of a one-object endpoint and finds the object. */
async function requestedObject(store: Store, request: FastifyRequest): Promise<ObjectSnapshot> {
  const { id } = parseInput(objectParams, request.params, 'path');
  const query = parseInput(objectQuery, request.query, 'query');
  return findObject(store, { id, type: query.type, release: query.release });
}

async function relationshipsBody(store: Store, object: ObjectSnapshot) {
  const relationships = await store.relationshipsOf(object.stixId, object.release.id);
  const otherIds = relationships.map((relationship) =>
    relationship.relationship?.sourceRef === object.stixId ? relationship.relationship.targetRef : (relationship.relationship?.sourceRef ?? ''),
  );
  const inRelease = await store.objectsIn(object.release.id, otherIds);
  const missing = otherIds.filter((id) => !inRelease.has(id));
  const elsewhere = missing.length > 0 ? await store.currentSnapshots(missing) : new Map<string, ObjectSnapshot>();

  return {
    object: objectView(object),
    relationships: relationships.map((relationship, index) => {
      const otherId = otherIds[index] as string;
      const other = inRelease.get(otherId) ?? elsewhere.get(otherId);
      return {
        stixId: relationship.stixId,
        relationshipType: relationship.relationship?.relationshipType ?? null,
        direction: relationship.relationship?.sourceRef === object.stixId ? 'outgoing' : 'incoming',
        description: stringField(parseSnapshot(relationship), 'description') ?? null,
        deprecated: relationship.deprecated,
        revoked: relationship.revoked,
        otherId,
        // False when the release does not contain the other end; `other` then comes from the newest release holding it, if any.
        otherInRelease: inRelease.has(otherId),
        other: other ? objectView(other) : null,
      };
    }),
  };
}

function historyBody(object: ObjectSnapshot, versions: readonly ObjectSnapshot[]) {
  const previousByDomain = new Map<string, ObjectSnapshot>();
  return {
    object: objectView(object),
    versions: versions.map((version) => {
      const previous = previousByDomain.get(version.release.domain);
      previousByDomain.set(version.release.domain, version);
      return {
        release: releaseKey(version.release),
        version: version.version,
        modified: version.modified,
        deprecated: version.deprecated,
        revoked: version.revoked,
        contentHash: version.contentHash,
        rawHash: version.rawHash,
        // Compared with the previous release of the same domain; null in the first release of a domain.
        changed: previous === undefined ? null : previous.contentHash !== version.contentHash,
      };
    }),
  };
}

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type(JSON_TYPE).send(body);
}

export function registerObjectApiRoutes(api: FastifyInstance, store: Store, takes: TakeService): void {
  api.get(routePath(ENDPOINTS.objects), async (request, reply) => {
    const query = parseInput(objectListQuery, request.query, 'query');
    const page = await listObjects(store, query);
    const etag = weakEtag([
      'objects',
      ...page.releases.map((release) => release.bundleSha256),
      ...page.objects.map((object) => `${object.stixId} ${object.contentHash} ${object.release.id}`),
      page.nextCursor ?? '',
    ]);
    if (sendNotModified(request, reply, etag)) return reply;
    return sendJson(reply, {
      releases: page.releases.map(releaseKey),
      limit: query.limit,
      objects: page.objects.map(objectView),
      nextCursor: page.nextCursor,
    });
  });

  api.get(routePath(ENDPOINTS.object), async (request, reply) => {
    const object = await requestedObject(store, request);
    const take = await takes.published(object.stixId);
    const takeKey = take ? `${take.id} ${take.revision}` : '';
    if (sendNotModified(request, reply, weakEtag(['object', object.release.bundleSha256, object.stixId, object.contentHash, takeKey]))) return reply;
    const releases = new Map((await store.listReleases()).map((release) => [release.id, release]));
    return sendJson(reply, {
      object: objectView(object),
      release: releaseView(object.release),
      warnings: object.warnings,
      json: parseSnapshot(object),
      take: take ? takeView(take, releases, true, await pinnedReferences(store, take)) : null,
    });
  });

  api.get(routePath(ENDPOINTS.objectRelationships), async (request, reply) => {
    const object = await requestedObject(store, request);
    // A release never changes after its import, so its bundle hash stands for every relationship in it.
    if (sendNotModified(request, reply, weakEtag(['relationships', object.release.bundleSha256, object.stixId]))) return reply;
    return sendJson(reply, await relationshipsBody(store, object));
  });

  api.get(routePath(ENDPOINTS.objectHistory), async (request, reply) => {
    const object = await requestedObject(store, request);
    const versions = await store.history(object.stixId);
    const etag = weakEtag([
      'history',
      object.release.bundleSha256,
      object.stixId,
      ...versions.map((version) => `${version.release.bundleSha256} ${version.contentHash}`),
    ]);
    if (sendNotModified(request, reply, etag)) return reply;
    return sendJson(reply, historyBody(object, versions));
  });

  api.get(routePath(ENDPOINTS.objectRaw), async (request, reply) => {
    const object = await requestedObject(store, request);
    reply.header('X-Release', releaseKey(object.release));
    reply.header('X-Raw-SHA256', object.rawHash);
    if (sendNotModified(request, reply, weakEtag(['raw', object.release.bundleSha256, object.rawHash]))) return reply;
    return reply.type(JSON_TYPE).send(object.raw);
  });

  api.get(routePath(ENDPOINTS.objectLayer), async (request, reply) => {
    const object = await requestedObject(store, request);
    // Built before the ETag check so that an unsupported type gets its 400 even with If-None-Match.
    const layer = await buildObjectLayer(store, object);
    if (sendNotModified(request, reply, weakEtag(['layer', object.release.bundleSha256, object.stixId]))) return reply;
    const filename = `${object.attackId ?? object.stixId}-${releaseKey(object.release)}-layer.json`;
    reply.header('Content-Disposition', `inline; filename="${filename}"`);
    return sendJson(reply, layer);
  });
}
