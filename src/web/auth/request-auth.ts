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

export function setRequestAuth(request: FastifyRequest, auth: RequestAuth): void {
  authByRequest.set(request, auth);
}

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
  if (!principal) throw new UnauthorizedError();
  return principal;
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

export function loginPath(next: string): string {
  const target = safeNextPath(next);
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}

/**
 * Requires a signed-in user, as a preHandler. An anonymous GET or HEAD is redirected to the login
 * form, which returns to the page afterwards. Other anonymous methods get 401.
 */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (principalOf(request)) return undefined;
  if (request.method === 'GET' || request.method === 'HEAD') {
    return reply.header('Cache-Control', 'no-store').redirect(loginPath(request.url), 303);
  }
  throw new UnauthorizedError();
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
