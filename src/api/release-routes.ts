/** `/api/v1/releases` and the STIX bundle of one release. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../storage/store.js';
import { releaseKey } from '../web/links.js';
import { buildReleaseBundle } from './bundle.js';
import { ENDPOINTS, routePath } from './endpoints.js';
import { parseInput } from './errors.js';
import { sendNotModified, weakEtag } from './etag.js';
import { findReleaseByKey } from './lookup.js';
import { noQuery, releaseParams } from './schemas.js';
import { releaseView } from './views.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export function registerReleaseApiRoutes(api: FastifyInstance, store: Store): void {
  api.get(routePath(ENDPOINTS.releases), async (request, reply) => {
    parseInput(noQuery, request.query, 'query');
    const releases = await store.listReleases();
    if (sendNotModified(request, reply, weakEtag(['releases', ...releases.map((release) => release.bundleSha256)]))) return reply;

    const views = [];
    for (const release of releases) {
      views.push({ ...releaseView(release), objectsByType: await store.countObjectsByType(release.id) });
    }
    return reply.type(JSON_TYPE).send({ releases: views });
  });

  api.get(routePath(ENDPOINTS.releaseBundle), async (request, reply) => {
    const { release: key } = parseInput(releaseParams, request.params, 'path');
    parseInput(noQuery, request.query, 'query');
    const release = await findReleaseByKey(store, key);
    if (sendNotModified(request, reply, weakEtag(['bundle', release.bundleSha256]))) return reply;

    const bundle = await buildReleaseBundle(store, release);
    reply.header('Content-Disposition', `attachment; filename="${releaseKey(release)}.json"`);
    return reply.type(JSON_TYPE).send(bundle);
  });
}
