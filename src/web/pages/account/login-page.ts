/** The sign-in form. */
import type { Config } from '../../../config.js';
import { MAX_PASSWORD_LENGTH } from '../../../accounts/passwords.js';
import { html, trusted } from '../../render/html.js';
import { LOGIN_CSRF_MARKER } from '../../auth/account-area.js';
import { SESSION_ENDED_MESSAGE, type LoginNotice } from '../../auth/request-auth.js';
import { renderLayout } from '../layout.js';
import { messageBlock } from './account-html.js';

/** Text of each notice that the login page can show above the form. */
export const LOGIN_NOTICES: Record<LoginNotice, string> = {
  'session-ended': SESSION_ENDED_MESSAGE,
  'signed-out': 'You are signed out.',
};

export interface LoginPageOptions {
  /** Local path to return to after signing in. */
  next: string;
  /** Name typed before a failed attempt, so the reader need not type it again. */
  name?: string;
  /** Reason the reader sees the form, such as signing out. */
  notice?: LoginNotice;
  error?: string;
}

export function renderLoginPage(config: Config, options: LoginPageOptions): string {
  const notice = options.notice === undefined ? undefined : LOGIN_NOTICES[options.notice];
  // The marker becomes the hidden _csrf input, per response, in the onSend hook of registerAuth.
  const body = html`<h1>Sign in</h1>
    ${messageBlock({ notice, error: options.error })}
    <p>Analysts, reviewers and admins sign in to write and review takes. Reading the library needs no account.</p>
    <form class="account-form" method="post" action="/login">
      ${trusted(LOGIN_CSRF_MARKER)}
      <input type="hidden" name="next" value="${options.next}">
      <p><label for="login-name">User name</label>
      <input id="login-name" name="name" type="text" autocomplete="username" required maxlength="64" value="${options.name ?? ''}" autofocus></p>
      <p><label for="login-password">Password</label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_LENGTH}"></p>
      <p><button type="submit">Sign in</button></p>
    </form>
    <p class="note">No account yet? An admin creates accounts on the Users page or with <code>glexia user add</code>.</p>`;
  return renderLayout({ title: 'Sign in', config, body });
}
