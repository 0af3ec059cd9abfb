/**
 * Account management shared by the admin pages and the CLI: users, roles,
 * passwords and API tokens. Every change is stored with its audit entry,
 * whose before and after states never contain a password, hash or token.
 * Callers check that the actor may manage accounts; the CLI may always.
 */
import { BadRequestError, ConflictStateError, NotFoundError } from '../errors.js';
import { ConflictError, ROLES, type AuditChannel, type NewAuditEntry, type Role, type TeamStore, type TokenRecord, type UserRecord } from '../storage/team-store.js';
import { generateToken, tokenHash } from './api-tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { roleRank } from './permissions.js';

/** The performer of an account change, for the audit log. */
export interface Actor {
  /** Null for the CLI, which acts as an operating system user rather than a Glexia user. */
  id: number | null;
  name: string;
  channel: AuditChannel;
  address: string | null;
}

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const MAX_TOKEN_LABEL_LENGTH = 200;

export function checkUserName(name: string): string {
  if (!USER_NAME.test(name)) {
    throw new BadRequestError(
      `Invalid user name "${name}": use 1 to 64 letters, digits, dots, underscores, hyphens or @, starting with a letter or digit.`,
    );
  }
  return name;
}

export function parseRole(value: string): Role {
  const role = ROLES.find((candidate) => candidate === value);
  if (!role) throw new BadRequestError(`Invalid role "${value}": use one of ${ROLES.join(', ')}.`);
  return role;
}

/** Returns the state of a user as the audit log records it. */
export function userSummary(user: UserRecord): Record<string, unknown> {
  return { id: user.id, name: user.name, role: user.role, disabled: user.disabled };
}

/** Returns the state of a token as the audit log records it, without the hash. */
export function tokenSummary(token: TokenRecord, userName: string): Record<string, unknown> {
  return { id: token.id, user: userName, role: token.role, label: token.label, expiresAt: token.expiresAt, revokedAt: token.revokedAt };
}

export interface CreatedToken {
  /** The token itself, to show once: only its hash is stored. */
  token: string;
  record: TokenRecord;
}

export class AccountService {
  constructor(private readonly team: TeamStore) {}

  async createUser(actor: Actor, name: string, role: Role, password: string): Promise<UserRecord> {
    checkUserName(name);
    const passwordHash = await hashPassword(password);
    try {
      return await this.team.createUser(
        { name, role, passwordHash },
        this.entry(actor, 'user.create', `user:${name}`, null, { name, role, disabled: false }),
      );
    } catch (error) {
      if (error instanceof ConflictError) throw new ConflictStateError(`A user named "${name}" already exists; choose another name.`);
      throw error;
    }
  }

  async userByName(name: string): Promise<UserRecord> {
    const user = await this.team.userByName(name);
    if (!user) throw new NotFoundError(`There is no user named "${name}". List the users with "glexia user list" or on /admin/users.`);
    return user;
  }

  async userById(id: number): Promise<UserRecord> {
    const user = await this.team.userById(id);
    if (!user) throw new NotFoundError(`There is no user with id ${id}.`);
    return user;
  }

  /** Changes the user's role and ends their sessions, so that open browsers pick up the new role at the next sign-in. */
  async setRole(actor: Actor, user: UserRecord, role: Role): Promise<UserRecord> {
    if (user.role === role) return user;
    if (user.role === 'admin') await this.requireAnotherAdmin(user, 'take the admin role from');
    const updated = await this.team.updateUser(
      user.id,
      { role },
      this.entry(actor, 'user.role', `user:${user.name}`, userSummary(user), userSummary({ ...user, role })),
    );
    await this.team.deleteUserSessions(user.id);
    return updated;
  }

  /** Disables or enables a user. Disabling ends their sessions, and their tokens stop working while they are disabled. */
  async setDisabled(actor: Actor, user: UserRecord, disabled: boolean): Promise<UserRecord> {
    if (user.disabled === disabled) return user;
    if (disabled && user.role === 'admin') await this.requireAnotherAdmin(user, 'disable');
    const action = disabled ? 'user.disable' : 'user.enable';
    const updated = await this.team.updateUser(
      user.id,
      { disabled },
      this.entry(actor, action, `user:${user.name}`, userSummary(user), userSummary({ ...user, disabled })),
    );
    if (disabled) await this.team.deleteUserSessions(user.id);
    return updated;
  }

  /** Sets a new password and ends every session of the user. */
  async setPassword(actor: Actor, user: UserRecord, password: string): Promise<UserRecord> {
    const passwordHash = await hashPassword(password);
    const summary = userSummary(user);
    const updated = await this.team.updateUser(
      user.id,
      { passwordHash },
      this.entry(actor, 'user.password', `user:${user.name}`, summary, { ...summary, passwordChanged: true }),
    );
    await this.team.deleteUserSessions(user.id);
    return updated;
  }

  /** Changes the actor's own password after checking the current one, and rejects a new password equal to it. */
  async changeOwnPassword(actor: Actor, user: UserRecord, currentPassword: string, newPassword: string): Promise<UserRecord> {
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new BadRequestError('The current password is wrong; the password was not changed.');
    }
    // Hashing normalises both to NFC, so compare them that way too.
    if (newPassword.normalize('NFC') === currentPassword.normalize('NFC')) {
      throw new BadRequestError('The new password is the same as the current one; choose a different password. The password was not changed.');
    }
    return this.setPassword(actor, user, newPassword);
  }

  /**
   * Clears the user's sign-in lockout after too many failed sign-ins. The audit entry is what clears
   * it: the server's LoginService reads it, even when the CLI wrote it in another process.
   */
  async clearLockout(actor: Actor, user: UserRecord): Promise<UserRecord> {
    const summary = userSummary(user);
    await this.team.appendAudit(this.entry(actor, 'user.unlock', `user:${user.name}`, summary, { ...summary, lockoutCleared: true }));
    return user;
  }

  /**
   * Creates a token for the user. Its role may not exceed the user's role, although use re-checks that
   * anyway. `lifetimeMs` (see parseTokenLifetime) sets when it expires; null or omitted: never.
   */
  async createToken(actor: Actor, user: UserRecord, role: Role, label: string, lifetimeMs: number | null = null): Promise<CreatedToken> {
    const text = label.trim();
    if (text === '' || text.length > MAX_TOKEN_LABEL_LENGTH) {
      throw new BadRequestError(`The token label must have 1 to ${MAX_TOKEN_LABEL_LENGTH} characters; name what the token is for, such as "SIEM export".`);
    }
    if (user.disabled) throw new ConflictStateError(`User "${user.name}" is disabled; enable them before creating a token.`);
    if (roleRank(role) > roleRank(user.role)) {
      throw new BadRequestError(`User "${user.name}" is ${user.role}, so a token for them cannot have the ${role} role.`);
    }
    const token = generateToken();
    const now = new Date();
    const createdAt = now.toISOString();
    const expiresAt = lifetimeMs === null ? null : new Date(now.getTime() + lifetimeMs).toISOString();
    // The CLI acts as no Glexia user, so its tokens name their own user as creator; the audit entry names the CLI actor.
    const record = await this.team.createToken(
      { userId: user.id, role, label: text, tokenHash: tokenHash(token), createdAt, createdBy: actor.id ?? user.id, expiresAt },
      this.entry(actor, 'token.create', '', null, { user: user.name, role, label: text, expiresAt, revokedAt: null }),
    );
    return { token, record };
  }

  async revokeToken(actor: Actor, id: number): Promise<TokenRecord> {
    const token = (await this.team.listTokens()).find((candidate) => candidate.id === id);
    if (!token) throw new NotFoundError(`There is no API token with id ${id}. List them with "glexia token list" or on /admin/tokens.`);
    if (token.revokedAt !== null) throw new ConflictStateError(`API token ${id} was already revoked at ${token.revokedAt}.`);
    const owner = await this.team.userById(token.userId);
    const at = new Date().toISOString();
    const before = tokenSummary(token, owner?.name ?? `user ${token.userId}`);
    const revoked = await this.team.revokeToken(id, at, this.entry(actor, 'token.revoke', `token:${id}`, before, { ...before, revokedAt: at }));
    if (!revoked) throw new ConflictStateError(`API token ${id} could not be revoked; reload the list and try again.`);
    return revoked;
  }

  private async requireAnotherAdmin(user: UserRecord, verb: string): Promise<void> {
    const admins = (await this.team.listUsers()).filter((other) => other.role === 'admin' && !other.disabled && other.id !== user.id);
    if (admins.length === 0) {
      throw new ConflictStateError(`"${user.name}" is the last enabled admin; make another user admin before you ${verb} them.`);
    }
  }

  private entry(actor: Actor, action: string, subject: string, before: unknown, after: unknown): NewAuditEntry {
    return { actorId: actor.id, actorName: actor.name, channel: actor.channel, action, subject, before, after, address: actor.address };
  }
}
