/**
 * image-factory: build, capture, replicate and list KooGallery image products.
 * Dispatches to scripts/commands/<name>.ts; user mistakes print one clear message, no stack.
 */
import { COMMANDS } from './commands/index.js';
import { exitCodeOf, isUserError } from '../stacks/errors.js';

async function help(): Promise<string> {
  const lines = ['usage: image-factory <command> [options]', '', 'commands:'];
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}  ${(await load()).summary}`);
  lines.push('', 'Run `image-factory <command> --help` for a command\'s options.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    // Exit 2, like an unknown option (UsageError): the command line itself is wrong.
    console.error(`image-factory: unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nusage: image-factory ${command.usage}`);
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
  } else {
    throw err;
  }
}
