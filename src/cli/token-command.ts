/** `glexia token`: create, list and revoke API tokens. Every change is audited with channel "cli". */
import { Command, Option } from 'commander';
import { AccountService, parseRole } from '../accounts/account-service.js';
import { isExpired, MAX_TOKEN_LIFETIME_DAYS, parseTokenLifetime } from '../accounts/api-tokens.js';
import { BadRequestError } from '../errors.js';
import { ROLES } from '../storage/team-store.js';
import { cliActor, formatColumns } from './cli-actor.js';
import { openContext } from './context.js';

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('Manage API tokens for scripts (sent as "Authorization: Bearer <token>").');

  token
    .command('create')
    .description('Create an API token and print it once on standard output; only its hash is stored.')
    .argument('<user>', 'name of the user the token acts for')
    .addOption(new Option('--role <role>', "role of the token; it acts with the lower of this and the user's current role").choices(ROLES).makeOptionMandatory())
    .requiredOption('--label <text>', 'what the token is for, such as "SIEM export"')
    .option(
      '--expires-in <duration>',
      `lifetime of the token in days or hours, such as 90d or 12h, at most ${MAX_TOKEN_LIFETIME_DAYS}d; without it the token never expires`,
    )
    .action(async (userName: string, flags: { role: string; label: string; expiresIn?: string }, command: Command) => {
      const role = parseRole(flags.role);
      const lifetimeMs = parseTokenLifetime(flags.expiresIn ?? '');
      const { store } = openContext(command);
      try {
        const accounts = new AccountService(store.team);
        const created = await accounts.createToken(cliActor(), await accounts.userByName(userName), role, flags.label, lifetimeMs);
        const expiry = created.record.expiresAt === null ? 'It never expires' : `It expires at ${created.record.expiresAt}`;
        process.stderr.write(
          `Created API token ${created.record.id} for ${userName} (${created.record.role}). ${expiry}. It is printed once; store it now.\n`,
        );
        process.stdout.write(`${created.token}\n`);
      } finally {
        await store.close();
      }
    });

  token
    .command('list')
    .description('List the API tokens: id, user, role, label, created, expiry, last used and revoked times.')
    .action(async (_flags: unknown, command: Command) => {
      const { store } = openContext(command);
      try {
        const [tokens, users] = await Promise.all([store.team.listTokens(), store.team.listUsers()]);
        if (tokens.length === 0) {
          process.stdout.write('No API tokens yet. Create one with: glexia token create <user> --role <role> --label <text>\n');
          return;
        }
        const names = new Map(users.map((user) => [user.id, user.name]));
        const now = new Date();
        const rows = tokens.map((entry) => [
          String(entry.id),
          names.get(entry.userId) ?? `user ${entry.userId}`,
          entry.role,
          entry.label,
          entry.createdAt,
          entry.expiresAt === null ? 'never' : `${entry.expiresAt}${isExpired(entry, now) ? ' (expired)' : ''}`,
          entry.lastUsedAt ?? 'never',
          entry.revokedAt ?? 'no',
        ]);
        process.stdout.write(`${formatColumns([['ID', 'USER', 'ROLE', 'LABEL', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED'], ...rows])}\n`);
      } finally {
        await store.close();
      }
    });

  token
    .command('revoke')
    .description('Revoke an API token; requests with it get 401 from then on.')
    .argument('<id>', 'token id, as "glexia token list" shows it')
    .action(async (idText: string, _flags: unknown, command: Command) => {
      const id = Number(idText);
      if (!/^[1-9][0-9]*$/.test(idText) || !Number.isSafeInteger(id)) throw new BadRequestError(`Invalid token id "${idText}": use the number that "glexia token list" shows.`);
      const { store } = openContext(command);
      try {
        const revoked = await new AccountService(store.team).revokeToken(cliActor(), id);
        process.stdout.write(`Revoked API token ${revoked.id}.\n`);
      } finally {
        await store.close();
      }
    });
}
