/** `glexia takes export` and `glexia takes import`: takes as Markdown files with YAML front matter. */
import type { Command } from 'commander';
import type { Principal } from '../accounts/permissions.js';
import type { Store } from '../storage/store.js';
import { exportTakes, importTakes, type ExportResult, type ImportResult } from '../takes/take-files.js';
import { TakeService } from '../takes/take-service.js';
import { openContext } from './context.js';

/** Builds the principal of the --as user. The CLI acts as a named user so that its takes have an author and its audit entries an actor. */
async function cliPrincipal(store: Store, name: string): Promise<Principal> {
  const user = await store.team.userByName(name);
  if (!user) throw new Error(`there is no user named "${name}"; pass --as with the name of an existing user`);
  if (user.disabled) throw new Error(`user "${name}" is disabled; pass --as with an active user`);
  return { userId: user.id, name: user.name, role: user.role, channel: 'cli' };
}

function printExport(result: ExportResult, dir: string): void {
  for (const { file, take } of result.files) process.stdout.write(`${file}: take ${take.id}, ${take.state}\n`);
  process.stdout.write(`Wrote ${result.files.length} take file(s) to ${dir}.\n`);
  if (result.pruned) {
    for (const file of result.leftovers) process.stdout.write(`Deleted ${file}: a take file that is not part of this export.\n`);
    return;
  }
  if (result.leftovers.length > 0) {
    process.stderr.write(
      `warning: ${dir} contains ${result.leftovers.length} take file(s) that this export did not write ` +
        `(takes withdrawn since an earlier export, or files named by an older version): ${result.leftovers.join(', ')}. ` +
        'Pass --prune to delete them.\n',
    );
  }
}

function printImportResult(result: ImportResult): void {
  switch (result.outcome) {
    case 'imported': {
      const { take, pinnedRelease } = result;
      process.stdout.write(
        `${result.file}: imported as take ${take.id} (draft by ${take.authorName}, pinned to ${pinnedRelease.domain} ${pinnedRelease.version})\n`,
      );
      break;
    }
    case 'updated':
      process.stdout.write(`${result.file}: updated take ${result.take.id}, now a draft (revision ${result.take.revision})\n`);
      break;
    case 'unchanged':
      process.stdout.write(`${result.file}: unchanged: take ${result.take.id} (${result.take.state}) has the same text\n`);
      break;
    case 'skipped':
      process.stdout.write(`${result.file}: skipped: ${result.reason}\n`);
      return;
    case 'failed':
      process.stdout.write(`${result.file}: not imported: ${result.reason}\n`);
      return;
  }
  for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
}

export function registerTakesCommand(program: Command): void {
  const takes = program.command('takes').description("Export the team's takes as Markdown files, or import such files.");

  takes
    .command('export')
    .description(
      'Write one Markdown file per take into a directory, with YAML front matter naming the object and the version the take is pinned to. ' +
        "Files are named by the object's ATT&CK ID (T1059.001.md), or its STIX ID when it has none or shares it with another take's object; " +
        'a withdrawn take exported with --all is named like T1059.001.withdrawn-12.md. Files of the same name are overwritten.',
    )
    .argument('<dir>', 'directory to write to; created when missing')
    .option('--all', 'include withdrawn takes')
    .option('--prune', 'delete take files in the directory that this export does not write, such as those of takes withdrawn since; other files are kept')
    .action(async (dir: string, flags: { all?: boolean; prune?: boolean }, command: Command) => {
      const { store } = openContext(command);
      try {
        const result = await exportTakes(store, new TakeService(store), dir, { all: flags.all === true, prune: flags.prune === true });
        printExport(result, dir);
      } finally {
        await store.close();
      }
    });

  takes
    .command('import')
    .description(
      'Import every .md file of a directory. A file on an object without an open take becomes a draft; a file whose text equals the open take is unchanged; ' +
        'a file with other text fails unless --update is given. Files of withdrawn takes are skipped. Each file is reported; a file that cannot be imported ' +
        'leaves the others unaffected, and the command then exits with status 1.',
    )
    .argument('<dir>', 'directory of take files, as takes export writes them')
    .requiredOption('--as <user>', 'user who imports the files; also the author of new drafts whose author is not a user of this library')
    .option('--update', "replace the text of an object's open take with the file's when they differ, if the take has not changed since the file was exported; the take returns to draft")
    .option('--force', 'with --update, also replace the text of a take that changed since the export, or that the file was not exported from')
    .action(async (dir: string, flags: { as: string; update?: boolean; force?: boolean }, command: Command) => {
      const { store } = openContext(command);
      try {
        const principal = await cliPrincipal(store, flags.as);
        const results = await importTakes(store, new TakeService(store), { principal, address: null }, dir, { update: flags.update === true, force: flags.force === true });
        for (const result of results) printImportResult(result);

        const count = (outcome: ImportResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
        process.stdout.write(
          `${results.length} take file(s) in ${dir}: ${count('imported')} imported, ${count('updated')} updated, ${count('unchanged')} unchanged, ` +
            `${count('skipped')} skipped, ${count('failed')} not imported.\n`,
        );
        if (count('failed') > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
