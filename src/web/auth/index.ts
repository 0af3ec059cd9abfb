/** Sign-in and access control of the web server and the API. */
export { registerAuth, CSRF_MESSAGE, LOGIN_CSRF_COOKIE, type AuthContext } from './register-auth.js';
export {
  CsrfError,
  csrfField,
  csrfTokenOf,
  hasSessionCookie,
  loginPath,
  originOf,
  principalOf,
  requirePrincipal,
  requireRole,
  requireRoleHandler,
  requireSignIn,
  safeNextPath,
  sessionEnded,
  SESSION_ENDED_MESSAGE,
  type LoginNotice,
} from './request-auth.js';
export { ACCOUNT_MARKER } from './account-area.js';
