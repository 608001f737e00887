/** Image folders on disk for loader tests: a real image.ts (importing defineImage) and its files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { baseDefinition } from '../support/images.js';

export const ROOT = process.cwd();
export const IMPORT = `import { defineImage } from '${join(ROOT, 'stacks/definition/index.ts')}';`;

const made: string[] = [];
/** Removes every folder made so far (call from afterAll). */
export const cleanUp = () => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));

/** A fresh parent folder inside the project, so image.ts imports resolve like a real image's. */
export function tempParent(): string {
  const d = mkdtempSync(join(ROOT, 'test', '.tmp-'));
  made.push(d);
  return d;
}

const SCRIPTS: Record<string, string | Buffer> = {
  'install.sh': '#!/bin/bash\necho install\n',
  'configure.sh': '#!/bin/bash\necho configure\n',
  'test.sh': '#!/bin/bash\necho test\n',
  'files/app.conf': 'key=value\n',
};

/**
 * Writes images/<name>/ under `parent`: image.ts with `definition` (JSON) or `source` (raw
 * TypeScript), plus the base scripts and `files` (a null value skips a base file).
 */
export function writeImage(parent: string, name: string, opts: { definition?: unknown; source?: string; files?: Record<string, string | Buffer | null> } = {}): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  const source = opts.source ?? `${IMPORT}\nexport default defineImage(${JSON.stringify(opts.definition ?? baseDefinition())} as never);\n`;
  writeFileSync(join(dir, 'image.ts'), source);
  for (const [rel, content] of Object.entries({ ...SCRIPTS, ...opts.files })) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    if (content === null) continue;
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}
