/**
 * Authentication of every request: a browser session cookie or an API token
 * (`Authorization: Bearer <token>`), CSRF checks for the writes of browser
 * sessions, and the per-request account area of pages.
 *
 * CSRF uses the synchronizer token stored in the session record rather than
 * @fastify/csrf-protection: the token is bound to the server-side session,
 * needs no extra cookie or secret, and ends with the session. The login form
 * has no session yet, so it uses a double-submit token instead: a random
 * value in an HttpOnly, SameSite=Strict cookie scoped to /login that the form
 * must repeat.
 */
import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenAuthenticator } from '../../accounts/api-tokens.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS, issueDeviceCookie } from '../../accounts/device-cookies.js';
import { LoginLimiter } from '../../accounts/login-limiter.js';
import { LoginService } from '../../accounts/login.js';
import { endSession, newSecret, resolveSession, SESSION_COOKIE, startSession } from '../../accounts/sessions.js';
import type { Config } from '../../config.js';
import { UnauthorizedError } from '../../errors.js';
import type { Store } from '../../storage/store.js';
import type { UserRecord } from '../../storage/team-store.js';
import { ACCOUNT_MARKER, LOGIN_CSRF_MARKER, loginCsrfField, renderAccountArea } from './account-area.js';
import { CsrfError, markSessionEnded, requestAuthOf, setRequestAuth } from './request-auth.js';

export const LOGIN_CSRF_COOKIE = 'glexia_login_csrf';
const LOGIN_CSRF_SECONDS = 2 * 60 * 60;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SECRET_FORM = /^[A-Za-z0-9_-]{43}$/;

export const CSRF_MESSAGE =
  'The request has no valid CSRF token, so it was rejected and nothing changed. Reload the page and submit the form again; scripts must send the token in the X-CSRF-Token header.';

/** Login service and session helpers that the account routes use. */
export interface AuthContext {
  login: LoginService;
  sessionLifetimeMs: number;
  /** Starts a new session for the user, ends the request's old one, and sets the session and device cookies. */
  signIn(request: FastifyRequest, reply: FastifyReply, user: UserRecord): Promise<void>;
  /** Ends the request's session, if any, and clears the cookie. */
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Whether the login form's `_csrf` field matches its cookie. */
  loginCsrfValid(request: FastifyRequest, field: unknown): boolean;
}

function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function bodyField(request: FastifyRequest, name: string): unknown {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function isHtml(contentType: unknown): boolean {
  return String(contentType ?? '').startsWith('text/html');
}

/**
 * Registers cookies, form bodies and the authentication hooks. Call it before any route is
 * registered; it returns what the account routes need.
 */
export function registerAuth(app: FastifyInstance, store: Store, config: Config): AuthContext {
  const settings = config.accounts;
  const sessionLifetimeMs = settings.sessionHours * 60 * 60 * 1000;
  const tokens = new TokenAuthenticator(store.team);
  const limiter = new LoginLimiter({
    failuresPerAccount: settings.loginFailuresPerAccount,
    failuresPerAddress: settings.loginFailuresPerAddress,
    windowSeconds: settings.loginWindowSeconds,
  });
  const secure = (request: FastifyRequest) => settings.secureCookies ?? request.protocol === 'https';

  app.register(fastifyCookie);
  app.register(fastifyFormbody);

  app.addHook('onRequest', async (request, reply) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!match?.[1]) throw new UnauthorizedError('The Authorization header must be "Bearer <token>", with an API token from an admin.');
      setRequestAuth(request, { principal: await tokens.authenticate(match[1], request.ip) });
      return;
    }

    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined) return;
    const active = await resolveSession(store.team, cookie);
    if (active) {
      setRequestAuth(request, { principal: active.principal, session: active.session });
    } else {
      // An expired or ended session: the browser drops the cookie and the request continues anonymously.
      // The mark lets the login page explain why the reader has to sign in again.
      markSessionEnded(request);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
  });

  // In preHandler, because the form body is parsed by then.
  app.addHook('preHandler', async (request) => {
    if (!UNSAFE_METHODS.has(request.method)) return;
    const session = requestAuthOf(request)?.session;
    if (!session) return;
    const header = request.headers['x-csrf-token'];
    const given = bodyField(request, '_csrf') ?? (Array.isArray(header) ? undefined : header);
    if (!sameSecret(session.csrfToken, given)) throw new CsrfError(CSRF_MESSAGE);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // The page cache stores anonymous pages after this hook has filled them in, and serves only anonymous requests.
    if (reply.getHeader('x-cache') === 'hit') return payload;
    if (!isHtml(reply.getHeader('content-type'))) return payload;
    // Rendered pages arrive as strings; buffers are cached pages, already filled in, or fixed bytes.
    if (typeof payload !== 'string') return payload;
    let text = payload;
    if (!text.includes(ACCOUNT_MARKER) && !text.includes(LOGIN_CSRF_MARKER)) return payload;

    const accountArea = renderAccountArea(request).value;
    // A replacer function, because a replacement string would treat `$` sequences specially.
    text = text.replace(ACCOUNT_MARKER, () => accountArea);
    if (text.includes(LOGIN_CSRF_MARKER)) {
      // A page-cache hit ends the onRequest hooks before @fastify/cookie parses the cookies, so parse them here.
      let token = (request.cookies ?? app.parseCookie(request.headers.cookie ?? ''))[LOGIN_CSRF_COOKIE];
      if (token === undefined || !SECRET_FORM.test(token)) {
        token = newSecret();
        // reply.setCookie would be too late here: @fastify/cookie writes its cookies in its own onSend hook.
        reply.header(
          'set-cookie',
          app.serializeCookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: secure(request), path: '/login', maxAge: LOGIN_CSRF_SECONDS }),
        );
      }
      reply.header('cache-control', 'no-store');
      const field = loginCsrfField(token).value;
      text = text.replace(LOGIN_CSRF_MARKER, () => field);
    }
    return text;
  });

  return {
    login: new LoginService(store.team, limiter),
    sessionLifetimeMs,

    async signIn(request, reply, user) {
      const old = request.cookies[SESSION_COOKIE];
      if (old !== undefined) await endSession(store.team, old);
      const { cookieValue, record } = await startSession(store.team, user.id, sessionLifetimeMs);
      reply.setCookie(SESSION_COOKIE, cookieValue, {
        httpOnly: true,
        // Strict: the cookie never goes with requests started by another site. A link from elsewhere
        // lands signed out, and the login page then sends the reader on with the cookie.
        sameSite: 'strict',
        secure: secure(request),
        path: '/',
        maxAge: Math.floor(sessionLifetimeMs / 1000),
        expires: new Date(record.expiresAt),
      });
      reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      // Only the login form needs the device cookie. It stays after signing out, because it vouches for the browser, not the session.
      reply.setCookie(DEVICE_COOKIE, issueDeviceCookie(user), {
        httpOnly: true,
        sameSite: 'strict',
        secure: secure(request),
        path: '/login',
        maxAge: DEVICE_COOKIE_DAYS * 24 * 60 * 60,
      });
    },

    async signOut(request, reply) {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie !== undefined) await endSession(store.team, cookie);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },

    loginCsrfValid(request, field) {
      const cookie = request.cookies[LOGIN_CSRF_COOKIE];
      return cookie !== undefined && SECRET_FORM.test(cookie) && sameSecret(cookie, field);
    },
  };
}
