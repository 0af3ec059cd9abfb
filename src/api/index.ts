/**
 * The JSON API under /api/v1, registered as an encapsulated Fastify plugin so that its error and
 * not-found handlers send JSON while the rest of the site keeps its HTML pages.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Store } from '../storage/store.js';
import { TakeService } from '../takes/take-service.js';
import { registerAuditApiRoutes } from './audit-routes.js';
import { principalOf } from '../web/auth/index.js';
import { renderApiDocs } from './docs-page.js';
import { ENDPOINTS, routePath } from './endpoints.js';
import { parseInput, sendApiError } from './errors.js';
import { sendNotModified, weakEtag } from './etag.js';
import { registerObjectApiRoutes } from './object-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { registerReleaseApiRoutes } from './release-routes.js';
import { noQuery } from './schemas.js';
import { registerTakeApiRoutes } from './take-routes.js';
import { API_PREFIX } from './views.js';

export function registerApiRoutes(app: FastifyInstance, store: Store, config: Config): void {
  // The document depends only on the code, so it is built once.
  const openApi = JSON.stringify(buildOpenApiDocument());
  const openApiEtag = weakEtag(['openapi', openApi]);
  const takes = new TakeService(store, { allowSelfPublish: config.takes.allowSelfPublish });

  app.register(
    async (api) => {
      api.setErrorHandler((error, request, reply) => sendApiError(error as Error, request, reply));
      api.setNotFoundHandler((request, reply) =>
        reply.code(404).send({
          error: { code: 'not-found', message: `There is no API endpoint at ${request.method} ${request.url.split('?')[0]}; ${API_PREFIX}/docs lists the endpoints.` },
        }),
      );

      registerReleaseApiRoutes(api, store);
      registerObjectApiRoutes(api, store, takes);
      registerTakeApiRoutes(api, store, takes);
      registerAuditApiRoutes(api, store);

      api.get(routePath(ENDPOINTS.openapi), async (request, reply) => {
        parseInput(noQuery, request.query, 'query');
        if (sendNotModified(request, reply, openApiEtag)) return reply;
        return reply.type('application/json; charset=utf-8').send(openApi);
      });

      api.get(routePath(ENDPOINTS.docs), async (request, reply) => {
        parseInput(noQuery, request.query, 'query');
        const page = renderApiDocs(config);
        // The header's account area is filled in per request after this handler, so the ETag names the viewer too.
        const viewer = principalOf(request);
        if (sendNotModified(request, reply, weakEtag(['docs', page, viewer ? `${viewer.name}/${viewer.role}` : '']))) return reply;
        return reply.type('text/html; charset=utf-8').send(page);
      });

      // Without this catch-all, an unknown path such as /api/v1/x would fall through to the site's
      // /:segment/:id/:sub page routes and get an HTML page.
      api.get('/*', async (_request, reply) => reply.callNotFound());
    },
    { prefix: API_PREFIX },
  );
}
