/**
 * The README's own command sequences, read from README.md, so the e2e tier runs what a newcomer
 * pastes: the emulator block ("A local Huawei Cloud: the emulator") and the by-hand CDKTF block
 * ("Deploying the stacks by hand"). `npx image-factory` becomes this repository's CLI, and the
 * emulator's fixed port a free one.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO } from './support.js';

const CLI = join(REPO, 'scripts/bin/image-factory.mjs');

/** The first ```sh block after `heading`, as its command lines (comments and blank lines dropped). */
export function readmeBlock(heading: string): string[] {
  const text = readFileSync(join(REPO, 'README.md'), 'utf8');
  const at = text.indexOf(heading);
  if (at < 0) throw new Error(`README.md has no "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`README.md has no sh block after "${heading}"`);
  return block[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
}

/** A free loopback port, for the README's fixed one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

export interface EmulatorSequence {
  /** The key-pair export line. */
  readonly credentials: string;
  /** `image-factory emulator ...` arguments, as written (the port replaced). */
  readonly emulatorArgs: string[];
  /** The IMAGE_FACTORY_PROXY export line, as written (the port replaced). */
  readonly route: string;
  /** The build command, as written, as a shell line running this repository's CLI. */
  readonly build: string;
}

/** The README's emulator sequence with `port` in place of its fixed port. */
export function readmeEmulatorSequence(port: number): EmulatorSequence {
  const lines = readmeBlock('## A local Huawei Cloud: the emulator');
  const find = (re: RegExp) => {
    const line = lines.find((l) => re.test(l));
    if (!line) throw new Error(`the README's emulator block has no line matching ${re}:\n${lines.join('\n')}`);
    return line;
  };
  const emulator = find(/^npx image-factory emulator /);
  const fixed = /--port (\d+)/.exec(emulator)?.[1];
  if (!fixed) throw new Error(`the README's emulator line names no --port: ${emulator}`);
  const withPort = (l: string) => l.replaceAll(`:${fixed}`, `:${port}`).replace(`--port ${fixed}`, `--port ${port}`);
  return {
    credentials: find(/^export HW_ACCESS_KEY=/),
    emulatorArgs: withPort(emulator).replace(/\s*&$/, '').split(/\s+/).slice(2),
    route: withPort(find(/^export IMAGE_FACTORY_PROXY=/)),
    build: find(/^npx image-factory build /).replace(/^npx image-factory/, `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)}`),
  };
}

/** `export A=1 B=2` as an environment. */
export function exportsOf(line: string): NodeJS.ProcessEnv {
  const m = /^export\s+(.*)$/.exec(line);
  if (!m) throw new Error(`not an export line: ${line}`);
  return Object.fromEntries(m[1].split(/\s+/).map((pair) => pair.split('=', 2) as [string, string]));
}
