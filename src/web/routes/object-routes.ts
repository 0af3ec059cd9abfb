/** Object pages by ATT&CK ID (`/techniques/T1059/001`), by STIX ID (`/objects/<id>`), and matrices by domain. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { isStixId } from '../../domain/ids.js';
import { DOMAINS, isDomain } from '../../domain/object-types.js';
import { NotFoundError } from '../../errors.js';
import type { ObjectSnapshot, Store } from '../../storage/store.js';
import { csrfTokenOf, principalOf } from '../auth/index.js';
import { objectPath } from '../links.js';
import { sendMatrixPage } from '../pages/matrix/matrix-page.js';
import { renderObjectPage } from '../pages/object-page.js';
import { loadPageContext } from '../pages/page-context.js';
import { renderChoice, renderNotFound } from '../pages/simple-pages.js';
import { findObjectsForAddress } from './object-lookup.js';

const HTML = 'text/html; charset=utf-8';

/** Renders an object page for the reply's request; a signed-in user also sees the take's state and links. */
export async function sendObjectPage(
  store: Store,
  config: Config,
  reply: FastifyReply,
  object: ObjectSnapshot,
  pinned = false,
): Promise<FastifyReply> {
  const principal = principalOf(reply.request);
  const viewer = principal ? { principal, csrfToken: csrfTokenOf(reply.request) } : undefined;
  const context = await loadPageContext(store, config, object, pinned, viewer);
  return reply.type(HTML).send(await renderObjectPage(context));
}

function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

/** Picks the matrix shown for a domain: the newest release's active matrix with the most tactics. */
function pickMatrix(matrices: readonly ObjectSnapshot[]): ObjectSnapshot | undefined {
  const active = matrices.filter((matrix) => !matrix.deprecated && !matrix.revoked);
  return (active.length > 0 ? active : matrices)[0];
}

export function registerObjectRoutes(app: FastifyInstance, store: Store, config: Config): void {
  app.get<{ Params: { stixId: string } }>('/objects/:stixId', async (request, reply) => {
    const { stixId } = request.params;
    const object = isStixId(stixId) ? await store.currentSnapshot(stixId) : undefined;
    if (!object) {
      return reply.code(404).type(HTML).send(renderNotFound(config, `No imported release contains an object with STIX ID ${stixId}.`, stixId));
    }
    return sendObjectPage(store, config, reply, object);
  });

  app.get<{ Params: { domain: string }; Querystring: Record<string, string | string[] | undefined> }>('/matrices/:domain', async (request, reply) => {
    const { domain } = request.params;
    if (!isDomain(domain)) throw new NotFoundError(`Unknown domain "${domain}". Matrices exist for ${DOMAINS.join(', ')}.`);
    const releases = (await store.listReleases()).filter((release) => release.domain === domain);
    const latest = releases[releases.length - 1];
    if (!latest) throw new NotFoundError(`No ${domain} release has been imported yet. Import one with "glexia import".`);
    const matrix = pickMatrix(await store.objectsOfType(latest.id, ['x-mitre-matrix']));
    if (!matrix) throw new NotFoundError(`The ${domain} ${latest.version} release contains no matrix object.`);
    return sendMatrixPage(store, config, reply, matrix, request.query);
  });

  const byAttackId = async (segment: string, id: string, path: string, reply: FastifyReply): Promise<FastifyReply> => {
    const found = await findObjectsForAddress(store, config, segment, id, reply);
    if (!found) return reply;
    const [only] = found.objects;
    if (found.objects.length > 1) return reply.type(HTML).send(renderChoice(config, `${found.plural}: ${found.attackId}`, found.objects));
    // Lower-case IDs and the dotted form /techniques/T1059.001 lead to the one canonical address.
    const canonical = objectPath(only);
    if (canonical !== path) return reply.redirect(canonical, 301);
    return sendObjectPage(store, config, reply, only);
  };

  app.get<{ Params: { segment: string; id: string } }>('/:segment/:id', async (request, reply) =>
    byAttackId(request.params.segment, request.params.id, pathOf(request.url), reply),
  );
  app.get<{ Params: { segment: string; id: string; sub: string } }>('/:segment/:id/:sub', async (request, reply) =>
    byAttackId(request.params.segment, `${request.params.id}.${request.params.sub}`, pathOf(request.url), reply),
  );
}
