/**
 * Per-request parts of otherwise shared pages. The layout puts markers into
 * every page, and an onSend hook replaces them for each response. The page
 * cache stores a page after that, and only for anonymous readers, whose
 * account area depends on the URL alone. The login page, whose CSRF token is
 * per reader, is sent with Cache-Control no-store, which the page cache obeys.
 */
import type { FastifyRequest } from 'fastify';
import { mayPerform } from '../../accounts/permissions.js';
import { html, type SafeHtml } from '../render/html.js';
import { csrfField, loginPath, principalOf, safeNextPath } from './request-auth.js';

/** Marker in the site header that becomes the account area. */
export const ACCOUNT_MARKER = '<!--glexia:account-->';
/** Marker in the login form that becomes its hidden `_csrf` input. */
export const LOGIN_CSRF_MARKER = '<!--glexia:login-csrf-->';

function fieldOf(source: unknown, name: string): unknown {
  return typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[name] : undefined;
}

/**
 * Returns the page to return to after signing in from this page: the page itself for a GET, the login
 * form's own `next` on the login page (posted or in the query), and the home page otherwise.
 */
function returnPathOf(request: FastifyRequest): string {
  if (request.url.split('?')[0] === '/login') {
    return safeNextPath(fieldOf(request.method === 'GET' ? request.query : request.body, 'next'));
  }
  return request.method === 'GET' ? request.url : '/';
}

/** Renders the header's account area: a sign-in link, or the user's name and role, their links and a sign-out button. */
export function renderAccountArea(request: FastifyRequest): SafeHtml {
  const principal = principalOf(request);
  if (!principal) {
    return html`<nav class="account-area" aria-label="Account"><a href="${loginPath(returnPathOf(request))}">Sign in</a></nav>`;
  }
  // The page goes with the sign-out, so that signing in again from the login page returns to it.
  const signOut =
    principal.channel === 'session'
      ? html`<form class="sign-out" method="post" action="/logout">${csrfField(request)}<input type="hidden" name="next" value="${safeNextPath(returnPathOf(request))}"><button type="submit">Sign out</button></form>`
      : '';
  return html`<nav class="account-area" aria-label="Account">
    <a href="/account" class="account-name">${principal.name}</a> <span class="tag account-role">${principal.role}</span>
    <a href="/takes">Takes</a>
    ${mayPerform(principal.role, 'user.manage') ? html`<a href="/admin">Admin</a>` : ''}
    ${signOut}
  </nav>`;
}

export function loginCsrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
