#!/usr/bin/env node
/**
 * The `glexia` command line. Results go to standard output; logs and progress
 * go to standard error.
 */
import { Command, Option } from 'commander';
import { registerDiffCommand } from './diff-command.js';
import { registerImportCommand } from './import-command.js';
import { registerServeCommands } from './serve-commands.js';
import { registerTakesCommand } from './takes-command.js';
import { registerTokenCommand } from './token-command.js';
import { registerUserCommand } from './user-command.js';

const program = new Command()
  .name('glexia')
  .description('Self-hosted MITRE ATT&CK library: import ATT&CK releases and serve a page for every object.')
  .addOption(new Option('--data-dir <dir>', 'directory of the SQLite database (default: ./data, or GLEXIA_DATA_DIR)'))
  .addOption(new Option('--config <file>', 'JSON configuration file (default: ./glexia.config.json when present, or GLEXIA_CONFIG)'))
  .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
  .showHelpAfterError();

// A reader such as `head` may close the pipe early; that ends the output, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

registerImportCommand(program);
registerServeCommands(program);
registerDiffCommand(program);
registerTakesCommand(program);
registerUserCommand(program);
registerTokenCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`glexia: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
