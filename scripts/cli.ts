/**
 * image-factory: build, capture, replicate and list KooGallery image products.
 * Dispatches to scripts/commands/<name>.ts; user mistakes print one clear message, no stack.
 */
import { COMMANDS } from './commands/index.js';
import { UsageError, exitCodeOf, isUserError } from '../stacks/errors.js';
import { resultWasWritten, writeResult } from './lib/json-events.js';
import { formatHelp } from './lib/command-spec.js';
import { splitAtDashes } from './lib/args.js';

function help(): string {
  const lines = ['usage: image-factory <command> [options]', '', 'commands:'];
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  for (const [name, { summary }] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}  ${summary}`);
  lines.push('', 'Run `image-factory <command> --help` for a command\'s options.');
  return lines.join('\n');
}

/** `--json` among the factory's own arguments: every outcome then ends with a result event on stdout. */
function wantsJson(argv: string[]): boolean {
  return splitAtDashes(argv.slice(1)).own.includes('--json');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    // Exit 2, like an unknown option (UsageError): the command line itself is wrong.
    throw new UsageError(`unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}`);
  }
  const command = await entry.load();
  // Only the factory's own arguments: `env -- terraform --help` is the child's.
  const { own } = splitAtDashes(rest);
  if (own.includes('--help') || own.includes('-h')) {
    console.log(formatHelp(command.spec, entry.summary));
    return 0;
  }
  return command.run(rest);
}

const argv = process.argv.slice(2);
const json = wantsJson(argv);
const commandName = argv[0] ?? '';
/** The one-line message of an error the user can act on; undefined for a defect of the tool. */
function userMessage(err: unknown): { message: string; exitCode: number; status: 'refused' | 'usage-error' } | undefined {
  if (isUserError(err)) return { message: err.message, exitCode: exitCodeOf(err), status: exitCodeOf(err) === 2 ? 'usage-error' : 'refused' };
  // A refusal or failure of a Huawei Cloud API: its message names the service, call, region,
  // HTTP status and Huawei's code (scripts/cloud/huawei-api.ts); no stack trace.
  if (err instanceof Error && err.name === 'HuaweiApiError') return { message: err.message, exitCode: 1, status: 'refused' };
  return undefined;
}

try {
  process.exitCode = await main(argv);
  if (json && !resultWasWritten()) {
    writeResult({ command: commandName, exitCode: process.exitCode, status: process.exitCode === 0 ? 'ok' : 'refused', message: process.exitCode === 0 ? `${commandName} done` : `${commandName} exited ${process.exitCode}; see stderr` });
  }
} catch (err) {
  const known = userMessage(err);
  if (known) {
    console.error(`image-factory: ${known.message}`);
    process.exitCode = known.exitCode;
    if (json) writeResult({ command: commandName, exitCode: known.exitCode, status: known.status, message: known.message });
  } else {
    // A defect: the stack trace goes to stderr for the bug report; a --json caller still gets its result.
    if (json) writeResult({ command: commandName, exitCode: 1, status: 'crashed', message: `image-factory crashed: ${err instanceof Error ? err.message : String(err)}`, next: 'this is a defect of image-factory: report it with the stack trace printed on stderr' });
    throw err;
  }
}
