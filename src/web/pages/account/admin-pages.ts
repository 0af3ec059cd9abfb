/** Admin pages: the overview, users and API tokens. */
import type { Config } from '../../../config.js';
import { MAX_TOKEN_LABEL_LENGTH } from '../../../accounts/account-service.js';
import { isExpired, MAX_TOKEN_LIFETIME_DAYS } from '../../../accounts/api-tokens.js';
import { formatCount } from '../../../accounts/counts.js';
import { minutesOf } from '../../../accounts/login-limiter.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../accounts/passwords.js';
import { ROLES, type TokenRecord, type UserRecord } from '../../../storage/team-store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderLayout } from '../layout.js';
import { adminNav, messageBlock, roleOptions, timeCell, type PageMessages } from './account-html.js';

export interface AdminOverview {
  users: number;
  disabledUsers: number;
  activeTokens: number;
}

export function renderAdminIndex(config: Config, overview: AdminOverview): string {
  const body = html`<h1>Administration</h1>
    ${adminNav('index')}
    <ul class="admin-overview">
      <li><a href="/admin/users">Users</a>: ${overview.users} (${overview.disabledUsers} disabled). Add users, change roles, disable accounts, reset passwords.</li>
      <li><a href="/admin/tokens">API tokens</a>: ${overview.activeTokens} active. Create tokens for scripts and revoke them.</li>
      <li><a href="/admin/audit">Audit log</a>: who changed what and when, with a JSON lines export.</li>
    </ul>`;
  return renderLayout({ title: 'Administration', config, body });
}

function passwordInput(id: string, label: SafeHtml | string): SafeHtml {
  return html`<label for="${id}">${label}</label>
    <input id="${id}" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}">`;
}

/**
 * Renders a user's row. `lockoutSeconds` is what is left of their sign-in lockout after too many
 * failed sign-ins, when they have one.
 */
function userRow(user: UserRecord, lockoutSeconds: number | undefined, csrf: SafeHtml): SafeHtml {
  const base = `/admin/users/${user.id}`;
  const toggle = user.disabled
    ? html`<form method="post" action="${base}/enable">${csrf}<button type="submit">Enable ${user.name}</button></form>`
    : html`<form method="post" action="${base}/disable">${csrf}<button type="submit">Disable ${user.name}</button></form>`;
  const lockout =
    lockoutSeconds === undefined
      ? ''
      : html`<br><span class="user-locked">locked for ${formatCount(minutesOf(lockoutSeconds), 'more minute', 'more minutes')}</span>`;
  const unlock =
    lockoutSeconds === undefined
      ? ''
      : html`<form method="post" action="${base}/unlock">${csrf}<button type="submit">Clear sign-in lockout of ${user.name}</button></form>`;
  return html`<tr${user.disabled ? html` class="user-disabled"` : ''}>
    <td>${user.name}</td>
    <td>${user.role}</td>
    <td>${user.disabled ? 'disabled' : 'active'}${lockout}</td>
    <td>${timeCell(user.createdAt)}</td>
    <td class="admin-actions">
      ${unlock}
      <form method="post" action="${base}/role">${csrf}
        <label for="role-${user.id}">Role of ${user.name}</label>
        <select id="role-${user.id}" name="role">${roleOptions(user.role)}</select>
        <button type="submit">Change role</button>
      </form>
      ${toggle}
      <form method="post" action="${base}/password">${csrf}
        ${passwordInput(`password-${user.id}`, html`New password for ${user.name}`)}
        <button type="submit">Reset password</button>
      </form>
    </td>
  </tr>`;
}

/** Renders the users page. `lockouts` maps the ids of users locked out after failed sign-ins to the seconds left. */
export function renderUsersPage(
  config: Config,
  users: readonly UserRecord[],
  lockouts: ReadonlyMap<number, number>,
  csrf: SafeHtml,
  messages: PageMessages,
): string {
  const table =
    users.length === 0
      ? html`<p class="empty">No users yet.</p>`
      : html`<table class="admin-table">
          <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
          <tbody>${users.map((user) => userRow(user, lockouts.get(user.id), csrf))}</tbody>
        </table>`;
  const body = html`<h1>Users</h1>
    ${adminNav('users')}
    ${messageBlock(messages)}
    <p class="note">Changing a role or disabling a user signs them out. A disabled user's API tokens stop working until the user is enabled again.
    After too many failed sign-ins an account is locked for a while; clearing the lockout, resetting the password or enabling the user ends it.</p>
    ${table}
    <section class="page-section" aria-labelledby="add-user-heading">
      <h2 id="add-user-heading">Add a user</h2>
      <form class="account-form" method="post" action="/admin/users">${csrf}
        <p><label for="new-user-name">User name</label>
        <input id="new-user-name" name="name" type="text" required maxlength="64" autocomplete="off"></p>
        <p><label for="new-user-role">Role</label>
        <select id="new-user-role" name="role">${roleOptions('analyst')}</select></p>
        <p>${passwordInput('new-user-password', `Initial password (at least ${MIN_PASSWORD_LENGTH} characters)`)}</p>
        <p><button type="submit">Add user</button></p>
      </form>
    </section>`;
  return renderLayout({ title: 'Users', config, body });
}

function tokenStatus(token: TokenRecord, owner: UserRecord | undefined, now: Date): SafeHtml | string {
  if (token.revokedAt !== null) return html`revoked ${timeCell(token.revokedAt)}`;
  if (isExpired(token, now)) return 'expired';
  if (!owner || owner.disabled) return 'unusable: user disabled';
  return 'active';
}

function tokenRow(token: TokenRecord, owner: UserRecord | undefined, csrf: SafeHtml, now: Date): SafeHtml {
  const action =
    token.revokedAt === null
      ? html`<form method="post" action="/admin/tokens/${token.id}/revoke">${csrf}<button type="submit">Revoke token ${token.id}</button></form>`
      : html`<span class="empty">revoked</span>`;
  const unusable = token.revokedAt !== null || isExpired(token, now);
  return html`<tr${unusable ? html` class="token-revoked"` : ''}>
    <td>${token.id}</td>
    <td>${owner?.name ?? `user ${token.userId}`}</td>
    <td>${token.role}</td>
    <td>${token.label}</td>
    <td>${timeCell(token.createdAt)}</td>
    <td>${timeCell(token.expiresAt, 'never')}</td>
    <td>${timeCell(token.lastUsedAt)}</td>
    <td>${tokenStatus(token, owner, now)}</td>
    <td>${action}</td>
  </tr>`;
}

/** The create form's fields as submitted, shown again when the form was rejected. */
export interface TokenFormValues {
  user: string;
  role: string;
  label: string;
  expiresIn: string;
}

export function renderTokensPage(
  config: Config,
  tokens: readonly TokenRecord[],
  users: readonly UserRecord[],
  csrf: SafeHtml,
  messages: PageMessages,
  form?: TokenFormValues,
): string {
  const owners = new Map(users.map((user) => [user.id, user]));
  const now = new Date();
  const table =
    tokens.length === 0
      ? html`<p class="empty">No API tokens yet.</p>`
      : html`<table class="admin-table">
          <thead><tr><th scope="col">ID</th><th scope="col">User</th><th scope="col">Role</th><th scope="col">Label</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
          <tbody>${tokens.map((token) => tokenRow(token, owners.get(token.userId), csrf, now))}</tbody>
        </table>`;
  const enabled = users.filter((user) => !user.disabled);
  const body = html`<h1>API tokens</h1>
    ${adminNav('tokens')}
    ${messageBlock(messages)}
    <p class="note">Scripts send a token as <code>Authorization: Bearer glx_...</code>. A token acts with the lower of its role and its user's current role.</p>
    ${table}
    <section class="page-section" aria-labelledby="create-token-heading">
      <h2 id="create-token-heading">Create a token</h2>
      ${
        enabled.length === 0
          ? html`<p class="empty">Add a user first: every token belongs to an enabled user.</p>`
          : html`<form class="account-form" method="post" action="/admin/tokens">${csrf}
        <p><label for="token-user">User</label>
        <select id="token-user" name="user">${enabled.map(
          (user) => html`<option value="${user.name}"${user.name === form?.user ? html` selected` : ''}>${user.name} (${user.role})</option>`,
        )}</select></p>
        <p><label for="token-role">Role</label>
        <select id="token-role" name="role">${roleOptions(ROLES.find((role) => role === form?.role) ?? 'analyst')}</select></p>
        <p><label for="token-label">Label (what the token is for)</label>
        <input id="token-label" name="label" type="text" required maxlength="${MAX_TOKEN_LABEL_LENGTH}" autocomplete="off" value="${form?.label ?? ''}"></p>
        <p><label for="token-expires-in">Expires in (days or hours, such as 90d or 12h; empty: never)</label>
        <input id="token-expires-in" name="expiresIn" type="text" list="token-lifetimes" maxlength="10" autocomplete="off" placeholder="90d"
          value="${form?.expiresIn ?? ''}" aria-describedby="token-expires-in-note">
        <datalist id="token-lifetimes"><option value="30d"><option value="90d"><option value="365d"></datalist></p>
        <p class="note" id="token-expires-in-note">At most ${MAX_TOKEN_LIFETIME_DAYS}d. A request with an expired token gets 401 and must use a new token.</p>
        <p><button type="submit">Create token</button></p>
      </form>`
      }
    </section>`;
  return renderLayout({ title: 'API tokens', config, body });
}

export function renderTokenCreatedPage(config: Config, token: string, record: TokenRecord, userName: string): string {
  const body = html`<h1>API token created</h1>
    ${adminNav('tokens')}
    <p class="notice" role="status">Copy the token now. It is shown only on this page: Glexia stores only its hash and cannot show it again.</p>
    <p><label for="created-token">Token ${record.id} for ${userName} (${record.role}, \u201c${record.label}\u201d)</label></p>
    <p>${record.expiresAt === null ? 'It never expires.' : html`It expires at ${timeCell(record.expiresAt)}.`}</p>
    <p><input id="created-token" class="token-value" type="text" readonly value="${token}" size="52"></p>
    <p class="note">Select the token and copy it (Ctrl+C or \u2318C) into your script's secret store. Lost tokens cannot be recovered: revoke it and create a new one.</p>
    <p><a href="/admin/tokens">Back to the API tokens</a></p>`;
  return renderLayout({ title: 'API token created', config, body });
}
