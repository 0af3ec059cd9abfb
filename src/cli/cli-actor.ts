/** The actor of CLI changes in the audit log: the operating system user, on channel "cli". */
import { userInfo } from 'node:os';
import type { Actor } from '../accounts/account-service.js';

export function cliActor(): Actor {
  let name = 'cli';
  try {
    name = userInfo().username || 'cli';
  } catch {
    // Some containers run under a uid without a passwd entry; "cli" names the channel then.
  }
  return { id: null, name, channel: 'cli', address: null };
}

/** Formats rows as left-aligned columns separated by two spaces, for terminal output. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n');
}
