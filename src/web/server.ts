/**
 * The HTTP server: Fastify with one error handler that renders application
 * errors as HTML pages (or JSON for /raw), and hides anything else after
 * logging it.
 */
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { registerApiRoutes } from '../api/index.js';
import { AppError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { acceptsGzip, PageCache } from './page-cache.js';
import { renderError, renderNotFound, renderSignInRequired } from './pages/simple-pages.js';
import { registerChangesRoutes } from './routes/changes-routes.js';
import { registerCompareRoute } from './routes/compare-route.js';
import { registerListRoutes } from './routes/list-routes.js';
import { registerObjectRoutes } from './routes/object-routes.js';
import { registerRawRoute } from './routes/raw-route.js';
import { registerReleaseRoutes } from './routes/release-routes.js';
import { registerSiteRoutes } from './routes/site-routes.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { hasSessionCookie, loginPath, registerAuth, sessionEnded } from './auth/index.js';
import { registerTakeRoutes } from './routes/take-routes.js';

const HTML = 'text/html; charset=utf-8';

/**
 * Pages load only the site's own stylesheet and script; no inline script or style can run. The script
 * may fetch from the site itself, for the take editor's live preview.
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * Returns whether a request may be served from, and stored in, the page cache: GETs of HTML pages by
 * anonymous readers. Signed-in users see their own drafts and forms, and /raw and /api do their own
 * conditional requests.
 */
function cacheable(request: FastifyRequest): boolean {
  const { method, url, headers } = request;
  if (method !== 'GET' || url.startsWith('/raw/') || url.startsWith('/api/')) return false;
  return headers.authorization === undefined && !hasSessionCookie(headers.cookie);
}

/** Returns whether a fresh response is a complete anonymous HTML page that any reader of the URL may get. */
function storable(request: FastifyRequest, reply: FastifyReply, payload: unknown): boolean {
  if (reply.getHeader('x-cache') !== undefined || reply.statusCode !== 200 || typeof payload !== 'string') return false;
  if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return false;
  // A page that sets a cookie or forbids storing, such as the login form with its CSRF token, is per reader.
  if (reply.getHeader('set-cookie') !== undefined || /no-store/.test(String(reply.getHeader('cache-control') ?? ''))) return false;
  return cacheable(request);
}

/**
 * Serves repeated GETs of HTML pages from memory. Registered after the auth hooks, so that its
 * onSend hook stores a page once the account area is filled in.
 */
function registerPageCache(app: FastifyInstance, store: Store): void {
  const cache = new PageCache();

  app.addHook('onRequest', async (request, reply) => {
    if (!cacheable(request)) return;
    cache.sync(await store.contentVersion());
    const page = cache.get(request.url);
    if (!page) return undefined;
    reply.type(page.contentType).header('X-Cache', 'hit').header('Vary', 'Accept-Encoding');
    if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('Content-Encoding', 'gzip').send(page.gzip);
    return reply.send(page.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // Shared caches in front of the server must keep the gzip and identity forms of a page apart.
    if (cacheable(request)) reply.header('Vary', 'Accept-Encoding');
    if (storable(request, reply, payload)) {
      const contentType = String(reply.getHeader('content-type'));
      const body = Buffer.from(payload as string, 'utf8');
      cache.set(request.url, { body, gzip: gzipSync(body), contentType });
    }
    return payload;
  });
}

/** The page to return to after signing in again: the take for a take action, else the form's own page. */
function returnPathOf(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '/';
  const takeAction = /^(\/takes\/\d+)\/[a-z]+$/.exec(path);
  if (takeAction?.[1]) return takeAction[1];
  const object = (request.body as Record<string, unknown> | undefined)?.object;
  if (path === '/takes' && typeof object === 'string') return `/takes/new?object=${encodeURIComponent(object)}`;
  return request.method === 'GET' ? request.url : path;
}

/** Returns the `body` field of a submitted form, which contains the text of a take. */
function formText(body: unknown): string | undefined {
  const text = (body as Record<string, unknown> | null | undefined)?.body;
  return typeof text === 'string' ? text : undefined;
}

function wantsJson(url: string): boolean {
  return url.startsWith('/raw/');
}

export function buildServer(store: Store, config: Config, logger: FastifyBaseLogger): FastifyInstance {
  const app = Fastify({ loggerInstance: logger, trustProxy: config.trustProxy });

  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.setErrorHandler((error, request, reply) => {
    const known = error instanceof AppError;
    const status = known ? error.status : 500;
    const message = known ? error.message : 'Internal error. The server log has the details.';
    if (!known) request.log.error({ err: error, url: request.url }, 'request failed');
    if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
    if (wantsJson(request.url)) {
      return reply.code(status).send({ error: { code: known ? error.code : 'internal', message } });
    }
    if (status === 404) return reply.code(404).type(HTML).send(renderNotFound(config, message, undefined));
    if (error instanceof UnauthorizedError) {
      const signInHref = loginPath(returnPathOf(request), sessionEnded(request) ? 'session-ended' : undefined);
      return reply.code(401).type(HTML).send(renderSignInRequired(config, signInHref, formText(request.body)));
    }
    return reply.code(status).type(HTML).send(renderError(config, status, message));
  });

  app.setNotFoundHandler((request, reply) => {
    const last = decodeURIComponent(request.url.split('?')[0]?.split('/').filter(Boolean).pop() ?? '');
    const message = `There is no page at ${request.url.split('?')[0]}.`;
    return reply.code(404).type(HTML).send(renderNotFound(config, message, last || undefined));
  });

  const auth = registerAuth(app, store, config);
  registerPageCache(app, store);
  registerApiRoutes(app, store, config);
  registerSiteRoutes(app, store, config);
  registerRawRoute(app, store);
  registerChangesRoutes(app, store, config);
  registerCompareRoute(app, store, config);
  registerReleaseRoutes(app, store, config);
  registerListRoutes(app, store, config);
  registerObjectRoutes(app, store, config);
  registerTakeRoutes(app, store, config);
  registerAccountRoutes(app, store, config, auth);
  return app;
}
