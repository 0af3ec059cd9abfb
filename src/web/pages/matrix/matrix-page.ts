/** The matrix page of a domain (`/matrices/<domain>`) with its platform filter (`?platform=Windows`). */
import type { FastifyReply } from 'fastify';
import type { Config } from '../../../config.js';
import type { ObjectSnapshot, Store } from '../../../storage/store.js';
import { matrixPath } from '../../links.js';
import { choiceValue, type QueryValues } from '../lists/query-values.js';
import { renderObjectPage } from '../object-page.js';
import { loadPageContext } from '../page-context.js';
import { buildMatrixModel, filterByPlatform } from './matrix-model.js';
import { attachMatrixView } from './matrix-view.js';

/**
 * Renders the object page of a matrix, filtered by the `platform` query
 * parameter. Raises `BadRequestError` (400) for a platform that no active
 * technique of the matrix names, listing the allowed platforms.
 */
export async function renderMatrixPage(store: Store, config: Config, matrix: ObjectSnapshot, query: QueryValues): Promise<string> {
  const context = await loadPageContext(store, config, matrix);
  const full = await buildMatrixModel(context);
  const platform = choiceValue(query, 'platform', full.platforms);
  const shown = platform === undefined ? full : filterByPlatform(full, platform);
  attachMatrixView(context, { full, shown, platform, path: matrixPath(matrix.release.domain) });
  return renderObjectPage(context);
}

export async function sendMatrixPage(
  store: Store,
  config: Config,
  reply: FastifyReply,
  matrix: ObjectSnapshot,
  query: QueryValues,
): Promise<FastifyReply> {
  return reply.type('text/html; charset=utf-8').send(await renderMatrixPage(store, config, matrix, query));
}
