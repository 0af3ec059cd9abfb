/** List pages per page kind (`/techniques`, `/groups`, ...) and the `/browse` index. */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { DOMAINS, PAGE_KINDS, type PageKind } from '../../domain/object-types.js';
import type { ReleaseInfo, Store } from '../../storage/store.js';
import { renderBrowsePage } from '../pages/lists/browse-page.js';
import { DEFAULT_QUERY, loadListRows, newestReleases, SORT_KEYS, SORT_ORDERS, STATUS_FILTERS, type ListQuery, type ListRow } from '../pages/lists/list-model.js';
import { renderListPage } from '../pages/lists/list-page.js';
import { choiceValue, type QueryValues } from '../pages/lists/query-values.js';

const HTML = 'text/html; charset=utf-8';

/** Reads the list query; raises `BadRequestError` (400) naming an invalid value and the allowed ones. */
function parseListQuery(query: QueryValues): ListQuery {
  return {
    domain: choiceValue(query, 'domain', DOMAINS),
    status: choiceValue(query, 'status', STATUS_FILTERS, DEFAULT_QUERY.status),
    sort: choiceValue(query, 'sort', SORT_KEYS, DEFAULT_QUERY.sort),
    order: choiceValue(query, 'order', SORT_ORDERS, DEFAULT_QUERY.order),
  };
}

export function registerListRoutes(app: FastifyInstance, store: Store, config: Config): void {
  // Imported releases never change, so the rows of a kind are computed once per set of newest releases.
  // An import of a newer release changes the key, and the entry of the replaced set is dropped.
  const rowsByKind = new Map<string, { key: string; rows: ListRow[] }>();

  const rowsFor = async (kind: PageKind, releases: readonly ReleaseInfo[]): Promise<ListRow[]> => {
    const key = releases.map((release) => release.id).join(',');
    const cached = rowsByKind.get(kind.segment);
    if (cached?.key === key) return cached.rows;
    const rows = await loadListRows(store, kind, releases);
    rowsByKind.set(kind.segment, { key, rows });
    return rows;
  };

  // One explicit path per kind, so that `/:segment/:id` object routes and other one-segment routes keep their paths.
  for (const kind of PAGE_KINDS) {
    app.get<{ Querystring: QueryValues }>(`/${kind.segment}`, async (request, reply) => {
      const query = parseListQuery(request.query);
      const releases = newestReleases(await store.listReleases());
      const rows = await rowsFor(kind, releases);
      return reply.type(HTML).send(renderListPage(config, kind, releases, rows, query));
    });
  }

  app.get('/browse', async (_request, reply) => {
    const releases = newestReleases(await store.listReleases());
    return reply.type(HTML).send(renderBrowsePage(config, releases));
  });
}
