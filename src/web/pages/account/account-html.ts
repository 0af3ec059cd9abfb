/** Building blocks of the account and admin pages. */
import { ROLES, type Role } from '../../../storage/team-store.js';
import { html, type SafeHtml } from '../../render/html.js';

export interface PageMessages {
  /** Confirmation of a change that succeeded. */
  notice?: string;
  /** Reason the submitted form was rejected. */
  error?: string;
}

export function messageBlock(messages: PageMessages): SafeHtml {
  return html`${messages.notice ? html`<p class="notice" role="status">${messages.notice}</p>` : ''}${
    messages.error ? html`<p class="notice form-error" role="alert">${messages.error}</p>` : ''
  }`;
}

export function roleOptions(selected: Role | undefined): SafeHtml {
  return html`${ROLES.map((role) => html`<option value="${role}"${role === selected ? html` selected` : ''}>${role}</option>`)}`;
}

/** Renders an ISO 8601 time to the minute in UTC, in a `<time>` element. */
export function timeCell(iso: string | null, empty = 'never'): SafeHtml {
  if (iso === null) return html`<span class="empty">${empty}</span>`;
  const shown = iso.replace('T', ' ').slice(0, 16);
  return html`<time datetime="${iso}">${shown} UTC</time>`;
}

export function adminNav(current: 'index' | 'users' | 'tokens' | 'audit'): SafeHtml {
  const link = (key: typeof current, href: string, label: string) =>
    html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="admin-nav" aria-label="Administration"><ul>
    ${link('index', '/admin', 'Overview')}${link('users', '/admin/users', 'Users')}${link('tokens', '/admin/tokens', 'API tokens')}${link('audit', '/admin/audit', 'Audit log')}
  </ul></nav>`;
}
