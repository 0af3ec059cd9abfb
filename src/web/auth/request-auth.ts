/**
 * The principal of each request, as resolved by the hooks of `registerAuth`,
 * and the helpers that routes use to require a signed-in user or a role.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../accounts/permissions.js';
import { roleRank } from '../../accounts/permissions.js';
import { SESSION_COOKIE } from '../../accounts/sessions.js';
import { AppError, ForbiddenError, UnauthorizedError } from '../../errors.js';
import type { Role, SessionRecord } from '../../storage/team-store.js';
import { html, type SafeHtml } from '../render/html.js';

/** The authentication of one request. */
export interface RequestAuth {
  principal: Principal;
  /** Set when the session cookie authenticated the request; its CSRF token guards the session's writes. */
  session?: SessionRecord;
}

const authByRequest = new WeakMap<FastifyRequest, RequestAuth>();
/** Requests whose session cookie no longer names a valid session. */
const endedSessions = new WeakSet<FastifyRequest>();

export function setRequestAuth(request: FastifyRequest, auth: RequestAuth): void {
  authByRequest.set(request, auth);
}

/** Marks the request as one that carried a session cookie which no longer names a valid session. */
export function markSessionEnded(request: FastifyRequest): void {
  endedSessions.add(request);
}

/**
 * Checks whether the request carried a session cookie which no longer names a valid session: it
 * expired, or an admin's change (role, password, disabling) or a password change elsewhere ended it.
 */
export function sessionEnded(request: FastifyRequest): boolean {
  return endedSessions.has(request);
}

/** Shown on the login page, and sent with 401, when a request's session has ended. */
export const SESSION_ENDED_MESSAGE = 'Your session ended (it expired, or an admin changed your account). Sign in again.';

export function requestAuthOf(request: FastifyRequest): RequestAuth | undefined {
  return authByRequest.get(request);
}

/** A write with a session cookie that lacks the session's CSRF token. */
export class CsrfError extends AppError {
  constructor(message: string) {
    super(403, 'csrf', message);
  }
}

/** Returns the signed-in user or token of the request, or undefined for anonymous readers. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return authByRequest.get(request)?.principal;
}

/** Returns the principal of the request, or raises UnauthorizedError (401) for anonymous requests. */
export function requirePrincipal(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (!principal) throw unauthorized(request);
  return principal;
}

/** Returns the 401 error for an anonymous request, with SESSION_ENDED_MESSAGE when the request's session has ended. */
function unauthorized(request: FastifyRequest): UnauthorizedError {
  return sessionEnded(request) ? new UnauthorizedError(SESSION_ENDED_MESSAGE) : new UnauthorizedError();
}

/** Returns the CSRF token that writes of this browser session must send, or undefined unless a session cookie authenticated the request. */
export function csrfTokenOf(request: FastifyRequest): string | undefined {
  return authByRequest.get(request)?.session?.csrfToken;
}

/** Renders the hidden `_csrf` input for forms that POST, or nothing when the request has no session. */
export function csrfField(request: FastifyRequest): SafeHtml {
  const token = csrfTokenOf(request);
  return token === undefined ? html`` : html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** Returns the principal and client address of the request, for the audit entries of services such as TakeService. */
export function originOf(request: FastifyRequest): { principal: Principal; address: string | null } {
  return { principal: requirePrincipal(request), address: request.ip || null };
}

/** Paths that `next` may not point to, because returning there after signing in makes no sense. */
const NO_RETURN = /^\/(login|logout)(\/|\?|$)/;

/**
 * Returns `value` when it is a path on this site, else "/". Rejects absolute URLs, protocol-relative
 * `//host` and `/\host` forms and control characters, so `next` can never redirect to another site.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  const parsed = new URL(value, 'http://glexia.invalid');
  if (parsed.origin !== 'http://glexia.invalid' || NO_RETURN.test(parsed.pathname)) return '/';
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** Why the login page is shown: a notice that `/login?notice=` carries. */
export type LoginNotice = 'session-ended' | 'signed-out';

/** Returns the login page's path that returns to `next` afterwards, optionally with a notice to show. */
export function loginPath(next: string, notice?: LoginNotice): string {
  const target = safeNextPath(next);
  const parameters = new URLSearchParams();
  if (target !== '/') parameters.set('next', target);
  if (notice !== undefined) parameters.set('notice', notice);
  const query = parameters.toString();
  return query === '' ? '/login' : `/login?${query}`;
}

/**
 * Requires a signed-in user, as a preHandler. An anonymous GET or HEAD is redirected to the login
 * form, which returns to the page afterwards and shows SESSION_ENDED_MESSAGE when the request's session
 * had ended. Other anonymous methods get 401.
 */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (principalOf(request)) return undefined;
  if (request.method === 'GET' || request.method === 'HEAD') {
    const target = loginPath(request.url, sessionEnded(request) ? 'session-ended' : undefined);
    return reply.header('Cache-Control', 'no-store').redirect(target, 303);
  }
  throw unauthorized(request);
}

/** Raises ForbiddenError naming the needed role when the principal's role is lower. */
export function requireRole(principal: Principal, role: Role): void {
  if (roleRank(principal.role) >= roleRank(role)) return;
  throw new ForbiddenError(
    `This needs the ${role} role; ${principal.name} acts as ${principal.role} here. Ask an admin for the ${role} role.`,
  );
}

/** preHandler factory: sign-in as for `requireSignIn`, then at least `role`. */
export function requireRoleHandler(role: Role) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const redirected = await requireSignIn(request, reply);
    if (redirected) return redirected;
    requireRole(requirePrincipal(request), role);
    return undefined;
  };
}

/** Checks whether a Cookie header carries a session cookie, valid or not, so that the page cache can skip such requests. */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  return cookieHeader !== undefined && cookieHeader.split(';').some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`));
}
