/**
 * Every command's `--help` is written from the spec its parser reads (scripts/lib/command-spec.ts),
 * so an option cannot be accepted without being documented. These tests hold each command to
 * the whole of it: synopsis, every option with its meaning, environment, exit codes, an example
 * that the parser accepts, and no parser outside the spec.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../scripts/commands/index.js';
import { parseCommandArgs } from '../../scripts/lib/args.js';
import { formatHelp, synopsis, type CommandSpec } from '../../scripts/lib/command-spec.js';
import { ENV_DOCS } from '../../scripts/lib/env-docs.js';
import { runCli, REPO } from '../e2e/support.js';

const names = Object.keys(COMMANDS);
const specs = await Promise.all(names.map(async (name) => [name, (await COMMANDS[name].load()).spec] as [string, CommandSpec]));

/** The words of an example after `image-factory <command>`, the environment assignments dropped. */
function exampleArgs(example: string, name: string): string[] {
  const words = example.replace(/"\$\(image-factory ([\w-]+)\)"/, 'image-factory $1').split(/\s+/).filter((w) => !/^[A-Z_]+=/.test(w) && w !== 'eval');
  const at = words.indexOf(name, words.indexOf('image-factory'));
  expect(words[words.indexOf('image-factory') + 1], `example "${example}" runs another command`).toBe(name);
  const args = words.slice(at + 1);
  const dash = args.indexOf('--');
  return dash === -1 ? args : args.slice(0, dash);
}

describe.each(specs)('image-factory %s --help', (name, spec) => {
  const help = formatHelp(spec, COMMANDS[name].summary);

  it('documents every option the parser accepts, with its meaning', () => {
    expect(spec.name).toBe(name);
    const options = help.slice(help.indexOf('\noptions:\n'), help.search(/\n(environment|writes|exit codes):\n/));
    for (const [option, o] of Object.entries(spec.options)) {
      expect(options, `--${option}`).toContain(`\n  --${option}`);
      expect(o.description.length, `--${option} has no description`).toBeGreaterThan(20);
      // A hidden option (kept for old command lines) is documented, only left out of the synopsis.
      expect(synopsis(spec).includes(`--${option}`)).toBe(!o.hidden);
    }
    expect(help).toMatch(/^usage: image-factory /);
  });

  it('names its environment, exit codes and an example the parser accepts', () => {
    for (const env of spec.env ?? []) expect(help).toContain(`\n  ${env}\n      ${ENV_DOCS[env].split(' ')[0]}`);
    expect(spec.exitCodes.map(([c]) => c)).toEqual(expect.arrayContaining([0, 2]));
    expect(help).toMatch(/\nexit codes:\n {2}0 {3}\S/);
    expect(spec.examples.length).toBeGreaterThan(0);
    for (const example of spec.examples) {
      expect(help).toContain(`\n  ${example}`);
      expect(() => parseCommandArgs(spec, exampleArgs(example, name)), example).not.toThrow();
    }
  });

  it('refuses an option it does not document, naming the command and pointing to --help', () => {
    expect(() => parseCommandArgs(spec, ['--surely-not-an-option'])).toThrow(new RegExp(`^${name}: Unknown option '--surely-not-an-option'[^]*\\(image-factory ${name} --help lists every option\\)$`));
  });
});

describe('the command specs', () => {
  it('are the only parser: no command module calls node:util parseArgs itself', () => {
    const dir = join(REPO, 'scripts', 'commands');
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/\bparseArgs\s*\(/);
  });

  it('--help of a command runs without credentials and exits 0; `env -- cmd --help` is the child\'s', async () => {
    const [help, child] = await Promise.all([runCli(['server-status', '--help']), runCli(['env', '--', 'sh', '-c', 'echo "$1"', 'sh', '--help'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: image-factory server-status <instance-id> --region REGION \[--wait STATUS\] \[--timeout-minutes <n>\]\n/);
    expect(help.stdout).toContain('  --timeout-minutes <n>\n      With --wait: give up after this many minutes. Default: 30.');
    expect(child).toMatchObject({ code: 0, stdout: '--help\n' });
  });
});
