/**
 * Reads a password for the CLI: from an interactive prompt that does not
 * echo when standard input is a terminal, else from the first line of
 * standard input. Passwords are never taken from flags, because flags end
 * up in shell history and process listings.
 */
import { createInterface } from 'node:readline';

/** Reads one line from the terminal without echoing it. Ctrl+C aborts and Ctrl+D ends the line. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\u0003') return finish(new Error('password entry cancelled'));
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else text += char;
      }
      return undefined;
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** Resolves with the first line of standard input, without its line ending; rejects when the input is empty. */
function readFirstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    let first: string | undefined;
    lines.once('line', (line) => {
      first = line;
      lines.close();
    });
    lines.once('close', () => {
      if (first === undefined) reject(new Error('no password on standard input: pipe it as the first line, for example from a password manager'));
      else resolve(first);
    });
  });
}

/** Reads a new password; at a terminal it is asked twice, and the two entries must match. */
export async function readNewPassword(what: string): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const password = await promptHidden(`New password for ${what}: `);
  const repeated = await promptHidden('Repeat the password: ');
  if (password !== repeated) throw new Error('the two passwords differ; nothing was changed');
  return password;
}
