/** Home page, search, the search API and the stylesheet. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { isStixId } from '../../domain/ids.js';
import { searchLibrary, type SearchOutcome, type SearchParameters } from '../../search/search-service.js';
import { attackIdOf } from '../../search/query-text.js';
import type { Store } from '../../storage/store.js';
import { objectPath, releaseKey, stixPath } from '../links.js';
import { renderSearchPage } from '../pages/search-page.js';
import { renderHome, type ReleaseSummary } from '../pages/simple-pages.js';

const HTML = 'text/html; charset=utf-8';

const STYLESHEET = readFileSync(new URL('../static/site.css', import.meta.url), 'utf8');
const SCRIPT = readFileSync(new URL('../static/site.js', import.meta.url), 'utf8');

/** Whether the request narrows the search beyond the default, so it should show the list and not jump to one page. */
function hasFilters(parameters: SearchParameters): boolean {
  return [parameters.domain, parameters.type, parameters.status, parameters.release].some(
    (value) => value !== undefined && value !== '',
  );
}

/** The page to jump to when the query is an ATT&CK ID or STIX ID that exactly one result has. */
function exactTarget(outcome: SearchOutcome): string | undefined {
  if (isStixId(outcome.query)) return stixPath(outcome.query);
  const attackId = attackIdOf(outcome.query);
  if (attackId === undefined) return undefined;
  const exact = outcome.results.filter((result) => result.object.attackId === attackId);
  return exact.length === 1 && exact[0] ? objectPath(exact[0].object) : undefined;
}

function searchJson(outcome: SearchOutcome) {
  return {
    query: outcome.query,
    results: outcome.results.map(({ object, status }) => ({
      stixId: object.stixId,
      attackId: object.attackId,
      name: object.name,
      type: object.type,
      domains: object.domains,
      status,
      release: releaseKey(object.release),
      url: objectPath(object),
    })),
    total: outcome.total,
    offset: outcome.offset,
    page: outcome.page,
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
  };
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
  app.get('/static/site.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(SCRIPT),
  );

  app.get<{ Querystring: SearchParameters }>('/search', async (request, reply) => {
    const outcome = await searchLibrary(store, request.query);
    if (!hasFilters(request.query)) {
      const target = exactTarget(outcome);
      if (target !== undefined) return reply.redirect(target);
    }
    return reply.type(HTML).send(renderSearchPage(config, outcome, await store.listReleases()));
  });

  app.get<{ Querystring: SearchParameters }>('/api/v1/search', async (request, reply) =>
    reply.send(searchJson(await searchLibrary(store, request.query))),
  );
}
