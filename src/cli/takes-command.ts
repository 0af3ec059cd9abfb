/** `glexia takes export` and `glexia takes import`: takes as Markdown files with YAML front matter. */
import type { Command } from 'commander';
import type { Principal } from '../accounts/permissions.js';
import type { Store } from '../storage/store.js';
import { exportTakes, importTakes } from '../takes/take-files.js';
import { TakeService } from '../takes/take-service.js';
import { openContext } from './context.js';

/** Builds the principal of the --as user. The CLI acts as a named user so that its takes have an author and its audit entries an actor. */
async function cliPrincipal(store: Store, name: string): Promise<Principal> {
  const user = await store.team.userByName(name);
  if (!user) throw new Error(`there is no user named "${name}"; pass --as with the name of an existing user`);
  if (user.disabled) throw new Error(`user "${name}" is disabled; pass --as with an active user`);
  return { userId: user.id, name: user.name, role: user.role, channel: 'cli' };
}

export function registerTakesCommand(program: Command): void {
  const takes = program.command('takes').description("Export the team's takes as Markdown files, or import such files as drafts.");

  takes
    .command('export')
    .description('Write one Markdown file per take into a directory, named like T1059.001-take-12.md, with YAML front matter naming the object and the version the take is pinned to. Files of the same name are overwritten.')
    .argument('<dir>', 'directory to write to; created when missing')
    .option('--all', 'include withdrawn takes')
    .action(async (dir: string, flags: { all?: boolean }, command: Command) => {
      const { store } = openContext(command);
      try {
        const files = await exportTakes(store, new TakeService(store), dir, { all: flags.all === true });
        for (const { file, take } of files) process.stdout.write(`${file}: take ${take.id}, ${take.state}\n`);
        process.stdout.write(`Wrote ${files.length} take file(s) to ${dir}.\n`);
      } finally {
        await store.close();
      }
    });

  takes
    .command('import')
    .description('Import every .md file of a directory as a draft take. Each file is reported; a file that cannot be imported leaves the others unaffected, and the command then exits with status 1.')
    .argument('<dir>', 'directory of take files, as takes export writes them')
    .requiredOption('--as <user>', 'user who imports the files; also the author of files whose author is not a user of this library')
    .action(async (dir: string, flags: { as: string }, command: Command) => {
      const { store } = openContext(command);
      try {
        const principal = await cliPrincipal(store, flags.as);
        const results = await importTakes(store, new TakeService(store), { principal, address: null }, dir);
        for (const result of results) {
          if (!result.imported) {
            process.stdout.write(`${result.file}: not imported: ${result.reason}\n`);
            continue;
          }
          const { take, pinnedRelease } = result;
          process.stdout.write(
            `${result.file}: imported as take ${take.id} (draft by ${take.authorName}, pinned to ${pinnedRelease.domain} ${pinnedRelease.version})\n`,
          );
          for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
        }
        const failed = results.filter((result) => !result.imported).length;
        process.stdout.write(`Imported ${results.length - failed} of ${results.length} take file(s) from ${dir}.\n`);
        if (failed > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
