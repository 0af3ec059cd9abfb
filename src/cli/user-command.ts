/** `glexia user`: add, list and change accounts. Every change is audited with channel "cli". */
import { Command, Option } from 'commander';
import { AccountService, parseRole } from '../accounts/account-service.js';
import { ROLES } from '../storage/team-store.js';
import { cliActor, formatColumns } from './cli-actor.js';
import { openContext } from './context.js';
import { readNewPassword } from './password-input.js';

/** Opens the store, runs the action with an AccountService, and closes the store even when the action fails. */
async function withAccounts(command: Command, action: (accounts: AccountService, context: ReturnType<typeof openContext>) => Promise<void>): Promise<void> {
  const context = openContext(command);
  try {
    await action(new AccountService(context.store.team), context);
  } finally {
    await context.store.close();
  }
}

export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('Manage user accounts (analysts, reviewers, admins). Readers need no account.');

  user
    .command('add')
    .description('Add a user. The password is asked at the terminal without echo, or read from the first line of standard input.')
    .argument('<name>', 'user name: 1 to 64 letters, digits, dots, underscores, hyphens or @')
    .addOption(new Option('--role <role>', 'role of the user').choices(ROLES).makeOptionMandatory())
    .action(async (name: string, flags: { role: string }, command: Command) => {
      const role = parseRole(flags.role);
      await withAccounts(command, async (accounts) => {
        const password = await readNewPassword(name);
        const created = await accounts.createUser(cliActor(), name, role, password);
        process.stdout.write(`Added user ${created.name} (${created.role}).\n`);
      });
    });

  user
    .command('list')
    .description('List the users with their role and status.')
    .action(async (_flags: unknown, command: Command) => {
      await withAccounts(command, async (_accounts, { store }) => {
        const users = await store.team.listUsers();
        if (users.length === 0) {
          process.stdout.write('No users yet. Add the first admin with: glexia user add <name> --role admin\n');
          return;
        }
        const rows = users.map((entry) => [String(entry.id), entry.name, entry.role, entry.disabled ? 'disabled' : 'active', entry.createdAt]);
        process.stdout.write(`${formatColumns([['ID', 'NAME', 'ROLE', 'STATUS', 'CREATED'], ...rows])}\n`);
      });
    });

  user
    .command('set-role')
    .description("Change a user's role. Their browser sessions end.")
    .argument('<name>', 'user name')
    .argument('<role>', `new role: ${ROLES.join(', ')}`)
    .action(async (name: string, roleText: string, _flags: unknown, command: Command) => {
      const role = parseRole(roleText);
      await withAccounts(command, async (accounts) => {
        const updated = await accounts.setRole(cliActor(), await accounts.userByName(name), role);
        process.stdout.write(`${updated.name} now has the ${updated.role} role.\n`);
      });
    });

  user
    .command('passwd')
    .description(
      "Set a user's password, asked at the terminal without echo or read from the first line of standard input. Their browser sessions end, and their sign-in lockout is cleared.",
    )
    .argument('<name>', 'user name')
    .action(async (name: string, _flags: unknown, command: Command) => {
      await withAccounts(command, async (accounts) => {
        const target = await accounts.userByName(name);
        const password = await readNewPassword(target.name);
        await accounts.setPassword(cliActor(), target, password);
        process.stdout.write(`Changed the password of ${target.name}.\n`);
      });
    });

  user
    .command('unlock')
    .description(
      'Clear the sign-in lockout of a user after too many failed sign-ins. A running server applies it at the next sign-in or view of /admin/users.',
    )
    .argument('<name>', 'user name')
    .action(async (name: string, _flags: unknown, command: Command) => {
      await withAccounts(command, async (accounts) => {
        const target = await accounts.clearLockout(cliActor(), await accounts.userByName(name));
        // Lockouts live in the server's memory, so the CLI cannot tell whether the user was locked out.
        process.stdout.write(`Recorded the unlock of ${target.name}: if a running server has locked them out, their next sign-in is allowed.\n`);
      });
    });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(verb)
      .description(
        disabled
          ? 'Disable a user: they cannot sign in, their sessions end and their API tokens stop working.'
          : 'Enable a disabled user again; this also clears their sign-in lockout.',
      )
      .argument('<name>', 'user name')
      .action(async (name: string, _flags: unknown, command: Command) => {
        await withAccounts(command, async (accounts) => {
          const updated = await accounts.setDisabled(cliActor(), await accounts.userByName(name), disabled);
          process.stdout.write(`${updated.name} is ${updated.disabled ? 'disabled' : 'enabled'}.\n`);
        });
      });
  }
}
