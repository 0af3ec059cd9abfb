/**
 * The roles and the actions each may perform. Roles are ordered: a reviewer can do everything an
 * analyst can, and an admin everything a reviewer can. Readers are anonymous
 * and may only read published content, so no action is open to them.
 */
import type { Role } from '../storage/team-store.js';
import { ROLES } from '../storage/team-store.js';

export const ACTION_ROLES = {
  /** Write a new take, and edit or withdraw one's own takes that are not published. */
  'take.write': 'analyst',
  /** Submit one's own draft for review. */
  'take.submit': 'analyst',
  /** Edit or withdraw any take, validate, publish and re-pin takes. */
  'take.review': 'reviewer',
  'user.manage': 'admin',
  'token.manage': 'admin',
  'audit.read': 'admin',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTION_ROLES;

/** The user behind a request or command, and how they were authenticated. */
export interface Principal {
  userId: number;
  name: string;
  /** The role in effect: the user's role, or a token's role when that is lower. */
  role: Role;
  channel: 'session' | 'token' | 'cli';
  /** Set for token requests, for the audit log. */
  tokenId?: number;
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** Returns whether the role, or anonymous access when it is undefined, may perform the action. */
export function mayPerform(role: Role | undefined, action: Action): boolean {
  if (role === undefined) return false;
  return roleRank(role) >= roleRank(ACTION_ROLES[action]);
}

/** Returns the lower of two roles, so that a token never acts above its user's current role. */
export function lowerRole(a: Role, b: Role): Role {
  return roleRank(a) <= roleRank(b) ? a : b;
}
