/**
 * .gitignore and the README agree (`git check-ignore`, the repository's own rules): the build
 * records in dist/ are kept for review, everything else there is ignored and said to be
 * written again; the emulator's state file, as the README's emulator command names it, and its
 * CA folder are ignored.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Whether git ignores each path (none need exist): path -> ignored. */
function ignored(paths: string[]): Record<string, boolean> {
  const r = spawnSync('git', ['check-ignore', '--no-index', '--stdin', '-z', '-v', '-n'], { cwd: root, input: paths.join('\0'), encoding: 'utf8' });
  expect(r.status, r.stderr).not.toBe(128);
  // -v -n -z: source, line, pattern, path per entry; an empty source means no rule matched.
  const f = r.stdout.split('\0');
  const out: Record<string, boolean> = {};
  for (let i = 0; i + 3 < f.length; i += 4) out[f[i + 3]] = f[i] !== '' && !f[i + 2].startsWith('!');
  return out;
}

describe('.gitignore and the README', () => {
  it('keep the build records of dist/ and ignore the outputs written again from them', () => {
    const v = 'dist/nginx/1.0.0';
    expect(ignored([`${v}/build.json`, `${v}/manifest.json`, `${v}/manifest.schema.json`, `${v}/listing.md`, `${v}/listing.html`, `${v}/try.json`, `${v}/template/main.tf.json`, `${v}/template/README.md`, `${v}/template/template.zip`])).toEqual({
      [`${v}/build.json`]: false,
      [`${v}/manifest.json`]: true, [`${v}/manifest.schema.json`]: true, [`${v}/listing.md`]: true, [`${v}/listing.html`]: true, [`${v}/try.json`]: true,
      [`${v}/template/main.tf.json`]: true, [`${v}/template/README.md`]: true, [`${v}/template/template.zip`]: true,
    });
    const section = readme.slice(readme.indexOf('**What to commit from `dist/`.**'));
    expect(section).toMatch(/^\*\*What to commit from `dist\/`\.\*\* The build records, `dist\/<image>\/<version>\/build\.json`, are\nnot ignored/);
    expect(section).toContain('`git add -f dist/<image>/<version>/`');
    expect(readme).not.toMatch(/so they can be\s+committed and reviewed/);
  });

  it('ignore the emulator state file the README\'s command writes, and its CA folder', () => {
    const state = /npx image-factory emulator .*--state (\S+)/.exec(readme)![1];
    expect(state).toBe('.emulator.json');
    expect(ignored([state, `${state}.ca/ca.pem`, `${state}.ca/ca-key.pem`])).toEqual({ [state]: true, [`${state}.ca/ca.pem`]: true, [`${state}.ca/ca-key.pem`]: true });
  });
});
