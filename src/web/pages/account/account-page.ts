/** The signed-in user's own account: name, role and the change of password. */
import type { Config } from '../../../config.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../accounts/passwords.js';
import type { Principal } from '../../../accounts/permissions.js';
import type { UserRecord } from '../../../storage/team-store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderLayout } from '../layout.js';
import { messageBlock, timeCell, type PageMessages } from './account-html.js';

export interface AccountPageOptions extends PageMessages {
  user: UserRecord;
  principal: Principal;
  csrf: SafeHtml;
}

export function renderAccountPage(config: Config, options: AccountPageOptions): string {
  const { user, principal } = options;
  const passwordForm =
    principal.channel === 'session'
      ? html`<form class="account-form" method="post" action="/account/password">
          ${options.csrf}
          <p><label for="current-password">Current password</label>
          <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_LENGTH}"></p>
          <p><label for="new-password">New password (at least ${MIN_PASSWORD_LENGTH} characters)</label>
          <input id="new-password" name="newPassword" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}"></p>
          <p><label for="confirm-password">New password again</label>
          <input id="confirm-password" name="confirmPassword" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}"></p>
          <p><button type="submit">Change password</button></p>
        </form>
        <p class="note">Changing the password signs you out everywhere else.</p>`
      : html`<p>This request is authenticated by an API token; sign in with a browser to change the password.</p>`;

  const body = html`<h1>Your account</h1>
    ${messageBlock(options)}
    <dl class="facts">
      <dt>User name</dt><dd>${user.name}</dd>
      <dt>Role</dt><dd>${user.role}</dd>
      ${principal.role === user.role ? '' : html`<dt>Role of this token</dt><dd>${principal.role}</dd>`}
      <dt>Account created</dt><dd>${timeCell(user.createdAt)}</dd>
    </dl>
    <section class="page-section" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      ${passwordForm}
    </section>`;
  return renderLayout({ title: 'Your account', config, body });
}
