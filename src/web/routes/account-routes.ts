/**
 * Sign-in, sign-out, the user's own account, and the admin pages for users,
 * API tokens and the audit log. Forms post back and redirect (303) to the
 * page with a notice. A rejected form shows the page again with the reason.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountService, parseRole, type Actor } from '../../accounts/account-service.js';
import { isExpired, parseTokenLifetime } from '../../accounts/api-tokens.js';
import { DEVICE_COOKIE } from '../../accounts/device-cookies.js';
import { LoginLimitedError } from '../../accounts/login-limiter.js';
import { LoginFailedError } from '../../accounts/login.js';
import { auditView } from '../../api/take-views.js';
import type { Config } from '../../config.js';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../../errors.js';
import type { Store } from '../../storage/store.js';
import type { AuditFilter, TeamStore, UserRecord } from '../../storage/team-store.js';
import type { AuthContext } from '../auth/register-auth.js';
import {
  csrfField,
  loginPath,
  principalOf,
  requirePrincipal,
  requireRoleHandler,
  requireSignIn,
  safeNextPath,
  sessionEnded,
  type LoginNotice,
} from '../auth/request-auth.js';
import type { PageMessages } from '../pages/account/account-html.js';
import { renderAccountPage } from '../pages/account/account-page.js';
import { renderAdminIndex, renderTokenCreatedPage, renderTokensPage, renderUsersPage, type TokenFormValues } from '../pages/account/admin-pages.js';
import { renderAuditPage } from '../pages/account/audit-page.js';
import { parseAuditQuery } from '../pages/account/audit-query.js';
import { LOGIN_NOTICES, renderLoginPage } from '../pages/account/login-page.js';

const HTML = 'text/html; charset=utf-8';
const AUDIT_PAGE_SIZE = 50;
const AUDIT_EXPORT_BATCH = 500;

/** Sends a page that contains personal data or a form token, which no browser or proxy may store. */
function sendPage(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).type(HTML).header('Cache-Control', 'no-store').send(page);
}

function field(request: FastifyRequest, name: string): string {
  const body = request.body;
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

function queryValue(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function idParameter(request: FastifyRequest, what: string): number {
  const text = (request.params as Record<string, string>).id ?? '';
  const id = Number(text);
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(id)) throw new NotFoundError(`There is no ${what} with id "${text}".`);
  return id;
}

function actorOf(request: FastifyRequest): Actor {
  const principal = requirePrincipal(request);
  return { id: principal.userId, name: principal.name, channel: principal.channel, address: request.ip || null };
}

/** Runs a form action and redirects to its result. When the action raises an AppError, shows the form's page again with the reason. */
async function handleForm(
  reply: FastifyReply,
  action: () => Promise<string>,
  renderWithError: (messages: PageMessages) => Promise<string>,
): Promise<FastifyReply> {
  try {
    return reply.header('Cache-Control', 'no-store').redirect(await action(), 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status === 401 || error.status === 403) throw error;
    return sendPage(reply, await renderWithError({ error: error.message }), error.status);
  }
}

const USER_NOTICES: Record<string, (name: string) => string> = {
  created: (name) => `User ${name} was added.`,
  role: (name) => `The role of ${name} was changed, and their sessions were ended.`,
  disabled: (name) => `${name} was disabled and signed out.`,
  enabled: (name) => `${name} was enabled, and any sign-in lockout was cleared.`,
  password: (name) => `The password of ${name} was reset, their sessions were ended, and any sign-in lockout was cleared.`,
  unlocked: (name) => `The sign-in lockout of ${name} was cleared; they can sign in again.`,
};

function noticeOf(request: FastifyRequest, notices: Record<string, (name: string) => string>): PageMessages {
  const done = queryValue(request, 'done');
  const make = done === undefined ? undefined : notices[done];
  return make ? { notice: make(queryValue(request, 'name') ?? '') } : {};
}

async function* auditLines(team: TeamStore, filter: AuditFilter): AsyncGenerator<string> {
  let beforeId = filter.beforeId;
  for (;;) {
    const batch = await team.listAudit({ ...filter, beforeId, limit: AUDIT_EXPORT_BATCH });
    for (const entry of batch) yield `${JSON.stringify(auditView(entry))}\n`;
    const last = batch.at(-1);
    if (batch.length < AUDIT_EXPORT_BATCH || !last) return;
    beforeId = last.id;
  }
}

function registerSignInRoutes(app: FastifyInstance, config: Config, auth: AuthContext): void {
  app.get('/login', async (request, reply) => {
    const next = safeNextPath(queryValue(request, 'next'));
    if (principalOf(request)?.channel === 'session') return reply.redirect(next, 303);
    const requested = queryValue(request, 'notice');
    let notice = Object.keys(LOGIN_NOTICES).find((key): key is LoginNotice => key === requested);
    // A stale session cookie sent to the login page itself gets the notice even without the query flag.
    if (notice === undefined && sessionEnded(request)) notice = 'session-ended';
    return sendPage(reply, renderLoginPage(config, { next, ...(notice === undefined ? {} : { notice }) }));
  });

  app.post('/login', async (request, reply) => {
    const next = safeNextPath(field(request, 'next'));
    const name = field(request, 'name').trim();
    const page = (status: number, error: string) => sendPage(reply, renderLoginPage(config, { next, name, error }), status);

    if (!auth.loginCsrfValid(request, field(request, '_csrf'))) {
      return page(403, 'The sign-in form expired or did not come from this site, so it was rejected (CSRF check). Sign in again with this form.');
    }
    try {
      const user = await auth.login.logIn(name, field(request, 'password'), request.ip, request.cookies[DEVICE_COOKIE]);
      await auth.signIn(request, reply, user);
      return reply.header('Cache-Control', 'no-store').redirect(next, 303);
    } catch (error) {
      // The audit log has the reason of each rejection; the server log gets one line without it. Both
      // name the account as the audit log does, never the typed text of an unknown name.
      if (error instanceof LoginLimitedError) {
        request.log.warn({ user: error.auditedName, limitedBy: error.limitedBy, retryAfter: error.retryAfterSeconds }, 'sign-in rate-limited');
        reply.header('Retry-After', String(error.retryAfterSeconds));
        return page(429, error.message);
      }
      if (error instanceof LoginFailedError) {
        request.log.info({ user: error.auditedName }, 'sign-in rejected');
        return page(401, error.message);
      }
      throw error;
    }
  });

  // The login page confirms the sign-out, and signing in again there returns to the page the reader left.
  app.post('/logout', async (request, reply) => {
    await auth.signOut(request, reply);
    return reply.header('Cache-Control', 'no-store').redirect(loginPath(field(request, 'next'), 'signed-out'), 303);
  });
}

function registerOwnAccountRoutes(app: FastifyInstance, config: Config, auth: AuthContext, accounts: AccountService): void {
  const currentUser = async (request: FastifyRequest): Promise<UserRecord> => accounts.userById(requirePrincipal(request).userId);
  const render = async (request: FastifyRequest, messages: PageMessages) =>
    renderAccountPage(config, { user: await currentUser(request), principal: requirePrincipal(request), csrf: csrfField(request), ...messages });

  app.get('/account', { preHandler: requireSignIn }, async (request, reply) => {
    const messages: PageMessages = queryValue(request, 'done') === 'password' ? { notice: 'Your password was changed. Other sessions were signed out.' } : {};
    return sendPage(reply, await render(request, messages));
  });

  app.post('/account/password', { preHandler: requireSignIn }, async (request, reply) => {
    if (requirePrincipal(request).channel !== 'session') {
      throw new ForbiddenError('An API token cannot change its user\'s password; sign in with a browser to change it.');
    }
    return handleForm(
      reply,
      async () => {
        const newPassword = field(request, 'newPassword');
        if (newPassword !== field(request, 'confirmPassword')) {
          throw new BadRequestError('The new password and its repetition differ; the password was not changed.');
        }
        const user = await accounts.changeOwnPassword(actorOf(request), await currentUser(request), field(request, 'currentPassword'), newPassword);
        // The change ended every session of the user, this one too; the browser that changed it stays signed in.
        await auth.signIn(request, reply, user);
        return '/account?done=password';
      },
      (messages) => render(request, messages),
    );
  });
}

function registerAdminRoutes(app: FastifyInstance, store: Store, config: Config, auth: AuthContext, accounts: AccountService): void {
  const admin = { preHandler: requireRoleHandler('admin') };
  const team = store.team;
  const usersPage = async (request: FastifyRequest, messages: PageMessages) => {
    const users = await team.listUsers();
    const lockouts = new Map<number, number>();
    for (const user of users) {
      const seconds = await auth.login.lockoutSeconds(user);
      if (seconds !== undefined) lockouts.set(user.id, seconds);
    }
    return renderUsersPage(config, users, lockouts, csrfField(request), messages);
  };
  const tokensPage = async (request: FastifyRequest, messages: PageMessages, form?: TokenFormValues) =>
    renderTokensPage(config, await team.listTokens(), await team.listUsers(), csrfField(request), messages, form);

  app.get('/admin', admin, async (_request, reply) => {
    const [users, tokens] = await Promise.all([team.listUsers(), team.listTokens()]);
    const now = new Date();
    const overview = {
      users: users.length,
      disabledUsers: users.filter((user) => user.disabled).length,
      activeTokens: tokens.filter((token) => token.revokedAt === null && !isExpired(token, now)).length,
    };
    return sendPage(reply, renderAdminIndex(config, overview));
  });

  app.get('/admin/users', admin, async (request, reply) => sendPage(reply, await usersPage(request, noticeOf(request, USER_NOTICES))));

  app.post('/admin/users', admin, async (request, reply) =>
    handleForm(
      reply,
      async () => {
        const user = await accounts.createUser(actorOf(request), field(request, 'name').trim(), parseRole(field(request, 'role')), field(request, 'password'));
        return `/admin/users?done=created&name=${encodeURIComponent(user.name)}`;
      },
      (messages) => usersPage(request, messages),
    ),
  );

  const userAction = (path: string, done: string, change: (actor: Actor, user: UserRecord, request: FastifyRequest) => Promise<UserRecord>) => {
    app.post(`/admin/users/:id/${path}`, admin, async (request, reply) =>
      handleForm(
        reply,
        async () => {
          const user = await change(actorOf(request), await accounts.userById(idParameter(request, 'user')), request);
          return `/admin/users?done=${done}&name=${encodeURIComponent(user.name)}`;
        },
        (messages) => usersPage(request, messages),
      ),
    );
  };
  userAction('role', 'role', (actor, user, request) => accounts.setRole(actor, user, parseRole(field(request, 'role'))));
  userAction('disable', 'disabled', (actor, user) => accounts.setDisabled(actor, user, true));
  userAction('enable', 'enabled', (actor, user) => accounts.setDisabled(actor, user, false));
  userAction('password', 'password', (actor, user, request) => accounts.setPassword(actor, user, field(request, 'password')));
  userAction('unlock', 'unlocked', (actor, user) => accounts.clearLockout(actor, user));

  app.get('/admin/tokens', admin, async (request, reply) => {
    const revoked = queryValue(request, 'revoked');
    const messages: PageMessages = revoked && /^\d+$/.test(revoked) ? { notice: `API token ${revoked} was revoked.` } : {};
    return sendPage(reply, await tokensPage(request, messages));
  });

  app.post('/admin/tokens', admin, async (request, reply) => {
    const form: TokenFormValues = {
      user: field(request, 'user'),
      role: field(request, 'role'),
      label: field(request, 'label'),
      expiresIn: field(request, 'expiresIn'),
    };
    try {
      const user = await accounts.userByName(form.user);
      const role = parseRole(form.role);
      const lifetimeMs = parseTokenLifetime(form.expiresIn);
      const created = await accounts.createToken(actorOf(request), user, role, form.label, lifetimeMs);
      return sendPage(reply, renderTokenCreatedPage(config, created.token, created.record, user.name), 201);
    } catch (error) {
      if (!(error instanceof AppError) || error.status === 401 || error.status === 403) throw error;
      return sendPage(reply, await tokensPage(request, { error: error.message }, form), error.status);
    }
  });

  app.post('/admin/tokens/:id/revoke', admin, async (request, reply) =>
    handleForm(
      reply,
      async () => {
        const token = await accounts.revokeToken(actorOf(request), idParameter(request, 'API token'));
        return `/admin/tokens?revoked=${token.id}`;
      },
      (messages) => tokensPage(request, messages),
    ),
  );

  app.get('/admin/audit', admin, async (request, reply) => {
    const { query, filter, error } = parseAuditQuery(request.query, AUDIT_PAGE_SIZE + 1);
    if (error !== undefined) {
      return sendPage(reply, renderAuditPage(config, { query, error, entries: [], olderBefore: undefined, pageSize: AUDIT_PAGE_SIZE }), 400);
    }
    const rows = await team.listAudit(filter);
    const entries = rows.slice(0, AUDIT_PAGE_SIZE);
    const olderBefore = rows.length > AUDIT_PAGE_SIZE ? entries.at(-1)?.id : undefined;
    return sendPage(reply, renderAuditPage(config, { query, entries, olderBefore, pageSize: AUDIT_PAGE_SIZE }));
  });

  // Each line is an entry as GET /api/v1/audit returns it, so that one reader handles both.
  app.get('/admin/audit.jsonl', admin, async (request, reply) => {
    const { filter, error } = parseAuditQuery(request.query, AUDIT_EXPORT_BATCH);
    if (error !== undefined) throw new BadRequestError(error);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="glexia-audit-${day}.jsonl"`)
      .header('Cache-Control', 'no-store')
      .send(Readable.from(auditLines(team, filter)));
  });
}

/** Registers the account and admin routes; `auth` is what registerAuth returned. */
export function registerAccountRoutes(app: FastifyInstance, store: Store, config: Config, auth: AuthContext): void {
  const accounts = new AccountService(store.team);
  registerSignInRoutes(app, config, auth);
  registerOwnAccountRoutes(app, config, auth, accounts);
  registerAdminRoutes(app, store, config, auth, accounts);
}
