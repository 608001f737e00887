/**
 * image-factory: build, capture, replicate and list KooGallery image products.
 * Dispatches to scripts/commands/<name>.ts; user mistakes print one clear message, no stack.
 */
import { COMMANDS } from './commands/index.js';
import { exitCodeOf, isUserError } from '../stacks/errors.js';
import { formatHelp } from './lib/command-spec.js';
import { splitAtDashes } from './lib/args.js';

function help(): string {
  const lines = ['usage: image-factory <command> [options]', '', 'commands:'];
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  for (const [name, { summary }] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}  ${summary}`);
  lines.push('', 'Run `image-factory <command> --help` for a command\'s options.');
  return lines.join('\n');
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
    console.error(`image-factory: unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
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

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (isUserError(err)) {
    console.error(`image-factory: ${err.message}`);
    process.exitCode = exitCodeOf(err);
  } else if (err instanceof Error && err.name === 'HuaweiApiError') {
    // A refusal or failure of a Huawei Cloud API: its message names the service, call, region,
    // HTTP status and Huawei's code (scripts/cloud/huawei-api.ts); no stack trace.
    console.error(`image-factory: ${err.message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
