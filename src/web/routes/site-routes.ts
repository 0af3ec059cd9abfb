/** Home page, search and the stylesheet. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { isStixId } from '../../domain/ids.js';
import type { Store } from '../../storage/store.js';
import { objectPath, stixPath } from '../links.js';
import { renderHome, renderSearchResults, type ReleaseSummary } from '../pages/simple-pages.js';

const HTML = 'text/html; charset=utf-8';
const SEARCH_LIMIT = 50;
/** Longer queries cannot be a name or an ID; they are cut instead of being rejected. */
const MAX_QUERY_LENGTH = 200;

const STYLESHEET = readFileSync(new URL('../static/site.css', import.meta.url), 'utf8');

/** Accepts `T1059/001` as a spelling of `T1059.001`, as the page paths write it. */
function normaliseQuery(query: string): string {
  const trimmed = query.trim().slice(0, MAX_QUERY_LENGTH);
  return /^[A-Za-z]{1,3}\d{4}\/\d{3}$/.test(trimmed) ? trimmed.replace('/', '.') : trimmed;
}

export function registerSiteRoutes(app: FastifyInstance, store: Store, config: Config): void {
  // Releases never change once imported, so their counts are computed once per release.
  const countsByRelease = new Map<number, Record<string, number>>();

  app.get('/', async (_request, reply) => {
    const summaries: ReleaseSummary[] = [];
    for (const release of await store.listReleases()) {
      let counts = countsByRelease.get(release.id);
      if (!counts) {
        counts = await store.countObjectsByType(release.id);
        countsByRelease.set(release.id, counts);
      }
      summaries.push({ release, objectsByType: counts });
    }
    return reply.type(HTML).send(renderHome(config, summaries));
  });

  app.get('/static/site.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(STYLESHEET),
  );

  app.get<{ Querystring: { q?: string } }>('/search', async (request, reply) => {
    const query = normaliseQuery(request.query.q ?? '');
    if (query === '') return reply.redirect('/');
    if (isStixId(query)) return reply.redirect(stixPath(query));
    const results = await store.searchObjects(query, SEARCH_LIMIT);
    const exact = results.filter((object) => object.attackId?.toUpperCase() === query.toUpperCase());
    if (exact.length === 1 && exact[0]) return reply.redirect(objectPath(exact[0]));
    return reply.type(HTML).send(renderSearchResults(config, query, results, SEARCH_LIMIT));
  });
}
