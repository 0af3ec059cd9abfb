/** `glexia diff`: the changelog of a domain between two imported releases, printed to standard output. */
import { Command, Option } from 'commander';
import {
  buildChangelog,
  ChangeSeries,
  renderChangelogMarkdown,
  renderChangelogPage,
  renderNavigatorLayer,
  requireDomain,
} from '../history/changelog/index.js';
import { openContext } from './context.js';

const FORMATS = ['md', 'json', 'html', 'layer'] as const;
type Format = (typeof FORMATS)[number];

interface DiffFlags {
  format: Format;
  unchanged?: boolean;
}

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('Print what changed in a domain between two imported releases, in the categories of MITRE\'s changelogs.')
    .argument('<domain>', 'enterprise-attack, mobile-attack or ics-attack')
    .argument('<from>', 'older imported release, for example 17.1')
    .argument('<to>', 'newer imported release, for example 18.1')
    .addOption(new Option('--format <format>', 'output format: Markdown, JSON, an HTML page or an ATT&CK Navigator layer').choices(FORMATS).default('md'))
    .option('--unchanged', 'list unchanged objects too')
    .action(async (domain: string, from: string, to: string, flags: DiffFlags, command: Command) => {
      const { config, store } = openContext(command);
      try {
        // Errors (a missing release, with the imported ones) reach main.ts, which prints them and exits with 1.
        const changelog = await buildChangelog(store, domain, from, to, { includeUnchanged: flags.unchanged === true });
        let output: string;
        switch (flags.format) {
          case 'json':
            output = JSON.stringify(changelog, null, 2);
            break;
          case 'layer':
            output = JSON.stringify(renderNavigatorLayer(changelog), null, 2);
            break;
          case 'html': {
            const steps = await new ChangeSeries(store).stepsOf(await requireDomain(store, domain));
            output = renderChangelogPage({ config, changelog, steps });
            break;
          }
          case 'md':
            output = renderChangelogMarkdown(changelog);
            break;
        }
        process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
      } finally {
        await store.close();
      }
    });
}
