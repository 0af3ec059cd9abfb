/**
 * Release-pinned object pages: `/releases/<domain>/<version>/techniques/T1059`
 * shows the object as it stood in that release.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { isStixId } from '../../domain/ids.js';
import { pageKindForSegment } from '../../domain/object-types.js';
import { NotFoundError } from '../../errors.js';
import type { ReleaseInfo, Store } from '../../storage/store.js';
import { pinnedPath } from '../links.js';
import { renderChoice } from '../pages/simple-pages.js';
import { ATTACK_ID_PATTERN } from './object-lookup.js';
import { sendObjectPage } from './object-routes.js';

const HTML = 'text/html; charset=utf-8';

interface ReleaseParams {
  domain: string;
  version: string;
}

async function findRelease(store: Store, params: ReleaseParams): Promise<ReleaseInfo> {
  const release = await store.findRelease(params.domain, params.version);
  if (release) return release;
  const known = (await store.listReleases()).map((each) => `${each.domain} ${each.version}`);
  throw new NotFoundError(
    `Release ${params.domain} ${params.version} is not imported. Imported releases: ${known.join(', ') || 'none'}.`,
  );
}

export function registerReleaseRoutes(app: FastifyInstance, store: Store, config: Config): void {
  app.get<{ Params: ReleaseParams & { stixId: string } }>('/releases/:domain/:version/objects/:stixId', async (request, reply) => {
    const release = await findRelease(store, request.params);
    const { stixId } = request.params;
    const object = isStixId(stixId) ? await store.snapshot(stixId, release.id) : undefined;
    if (!object) throw new NotFoundError(`${release.domain} ${release.version} contains no object with STIX ID ${stixId}.`);
    return sendObjectPage(store, config, reply, object, true);
  });

  const byAttackId = async (params: ReleaseParams & { segment: string }, id: string, reply: FastifyReply) => {
    const release = await findRelease(store, params);
    const kind = pageKindForSegment(params.segment);
    const attackId = id.toUpperCase();
    if (!kind || !ATTACK_ID_PATTERN.test(attackId)) {
      throw new NotFoundError(`There is no page at ${params.segment}/${id} in ${release.domain} ${release.version}.`);
    }
    const objects = await store.findByAttackIdInRelease(release.id, attackId, kind.types);
    const only = objects[0];
    if (!only) {
      throw new NotFoundError(`${release.domain} ${release.version} contains no ${kind.label.toLowerCase()} with ATT&CK ID ${attackId}.`);
    }
    if (objects.length > 1) return reply.type(HTML).send(renderChoice(config, `${kind.plural}: ${attackId}`, objects));
    const canonical = pinnedPath(only, release);
    if (canonical !== requestPath(reply)) return reply.redirect(canonical, 301);
    return sendObjectPage(store, config, reply, only, true);
  };

  app.get<{ Params: ReleaseParams & { segment: string; id: string } }>('/releases/:domain/:version/:segment/:id', async (request, reply) =>
    byAttackId(request.params, request.params.id, reply),
  );
  app.get<{ Params: ReleaseParams & { segment: string; id: string; sub: string } }>(
    '/releases/:domain/:version/:segment/:id/:sub',
    async (request, reply) => byAttackId(request.params, `${request.params.id}.${request.params.sub}`, reply),
  );
}

/** Returns the request path without its query, for canonical-address redirects. */
function requestPath(reply: FastifyReply): string {
  return reply.request.url.split('?')[0] ?? reply.request.url;
}
