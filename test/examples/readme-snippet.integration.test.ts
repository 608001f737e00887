/**
 * README "Using it as a library": its main.ts and its setup block, run as written in a scratch
 * project made by `npm init -y` (CommonJS by default). `npm install` is the one step replaced:
 * no registry here, so the packages are links to this clone's (the package itself resolved to
 * its TypeScript sources through the "koogallery-source" condition, as in every other tier, so
 * no `npm run build` is needed). The control: the same file fails under "type": "commonjs" with
 * the error the README quotes, and passes as main.mts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Using it as a library'), readme.indexOf('## A local Huawei Cloud'));
const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
const mainTs = blocks('ts')[0];
const setup = blocks('sh')[0].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_yes: 'true' };

let app: string;
/** `node <README's args>` in the scratch project, the package read from its sources. */
const run = (file: string) => {
  const args = setup.find((l) => l.startsWith('node '))!.split(/\s+/).slice(1).map((a) => (a === 'main.ts' ? file : a));
  return spawnSync(process.execPath, ['--conditions=koogallery-source', ...args], { cwd: app, env: ENV, encoding: 'utf8', timeout: 60_000 });
};
const sh = (line: string) => execFileSync('sh', ['-c', line], { cwd: app, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  app = join(mkdtempSync(join(tmpdir(), 'readme-snippet-')), 'app');
  mkdirSync(app);
}, 30_000);

describe('the README library snippet in a fresh npm project', () => {
  it('is the whole setup: init as an ES module, the peer dependencies and tsx, an image folder, node with tsx', () => {
    expect(setup).toHaveLength(4);
    expect(setup[0]).toBe('npm init -y && npm pkg set type=module');
    const peers = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).peerDependencies as Record<string, string>;
    const install = setup[1].split(/\s+/);
    expect(install.slice(0, 2)).toEqual(['npm', 'install']);
    expect(install).toEqual(expect.arrayContaining(['koogallery-image-factory', 'tsx', `cdktf@${peers.cdktf.replace(/^\^/, '').split('.').slice(0, 2).join('.')}`, `constructs@${peers.constructs.replace(/^\^/, '').split('.')[0]}`]));
    expect(setup[2]).toMatch(/^cp -r <a clone of this repository>\/images\/nginx images\/$/);
    expect(setup[3]).toBe('node --import tsx main.ts');
    expect(mainTs).toContain("await loadImage('images/nginx')");
  });

  it('fails under npm init -y\'s CommonJS with the error the README quotes, then synthesizes once type is module, or as main.mts', () => {
    const [init, setType] = setup[0].split(' && ');
    sh(init);
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).type ?? 'commonjs').toBe('commonjs');
    // npm install, without a registry: this clone's packages, linked.
    mkdirSync(join(app, 'node_modules'));
    for (const name of ['cdktf', 'constructs', 'tsx']) symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name));
    symlinkSync(root, join(app, 'node_modules', 'koogallery-image-factory'));
    cpSync(join(root, 'images', 'nginx'), join(app, 'images', 'nginx'), { recursive: true });
    writeFileSync(join(app, 'main.ts'), mainTs);

    const cjs = run('main.ts');
    expect(cjs.status).not.toBe(0);
    expect(cjs.stderr).toContain('Top-level await is currently not supported with the "cjs" output format');
    expect(section).toContain('`Top-level await is currently not supported\nwith the "cjs" output format`');

    renameSync(join(app, 'main.ts'), join(app, 'main.mts'));
    const mts = run('main.mts');
    expect(mts.status, mts.stderr).toBe(0);
    renameSync(join(app, 'main.mts'), join(app, 'main.ts'));

    sh(setType);
    const esm = run('main.ts');
    expect(esm.status, esm.stderr).toBe(0);
    expect(existsSync(join(app, 'cdktf.out', 'stacks', 'nginx-builder', 'cdk.tf.json'))).toBe(true);
    expect(readdirSync(join(app, 'cdktf.out', 'stacks')).sort()).toEqual(['nginx-builder', 'nginx-copy-af-south-1', 'nginx-copy-ap-southeast-2', 'nginx-release', 'nginx-tester']);
  }, 120_000);
});
