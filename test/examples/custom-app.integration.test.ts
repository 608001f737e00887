/**
 * examples/custom-app, a merchant's own CDKTF app, built on the package as `npm pack` ships it:
 * the tarball is unpacked into the app's node_modules/koogallery-image-factory (no registry, no
 * network), the app's other dependencies are this repository's installed ones, and the app is
 * type-checked against the packed .d.ts files and synthesized with the packed JavaScript. What
 * the tarball lacks (a file, an export, a dependency) fails here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1' };

let app: string;
let packed: { filename: string; files: { path: string }[] };
let pkgDir: string;

beforeAll(() => {
  const tmp = mkdtempSync(join(tmpdir(), 'custom-app-'));
  // --json prints what was packed; prepack builds dist-lib first.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: root, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  packed = JSON.parse(out.slice(out.indexOf('[')))[0];
  app = join(tmp, 'app');
  cpSync(join(root, 'examples', 'custom-app'), app, { recursive: true, filter: (src) => !/cdktf\.out|node_modules/.test(src) });
  pkgDir = join(app, 'node_modules', 'koogallery-image-factory');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', join(tmp, packed.filename), '-C', pkgDir, '--strip-components=1']);
  // Everything else the app (and the package) import: this repository's installed packages.
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'koogallery-image-factory') continue;
    symlinkSync(join(root, 'node_modules', entry), join(app, 'node_modules', entry));
  }
}, 120_000);

describe('examples/custom-app on the packed package', () => {
  it('ships compiled JavaScript with type declarations and the guest scripts, no TypeScript sources', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist-lib/stacks/index.js', 'dist-lib/stacks/index.d.ts', 'dist-lib/scripts/guest/runner.sh', 'dist-lib/scripts/guest/selfcheck.sh']));
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(test|images|examples)\//.test(f))).toEqual([]);
  });

  it('declares every package its JavaScript imports, and only those', () => {
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const imported = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.js')) {
          for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/\bfrom '([^.'][^']*)'/g)) imported.add(m[1].split('/').slice(0, m[1].startsWith('@') ? 2 : 1).join('/'));
        }
      }
    };
    walk(join(pkgDir, 'dist-lib'));
    const declared = { ...manifest.dependencies, ...manifest.peerDependencies };
    const undeclared = [...imported].filter((m) => !m.startsWith('node:') && !builtinModules.includes(m) && !(m in declared));
    expect(undeclared).toEqual([]);
    // A library, not the CLI: its runtime needs are few (validation, and the base-image
    // catalogue's "did you mean"; neither has a dependency of its own), and cdktf and constructs are the app's own.
    expect(Object.keys(manifest.dependencies)).toEqual(['fastest-levenshtein', 'zod']);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdktf', 'constructs']);
  });

  it('type-checks against the packed declarations', () => {
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(app, 'tsconfig.json')], { cwd: app, env: ENV, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('`cdktf synth` synthesizes its own stacks: the inline image, its extra egress rule, its tags and output', () => {
    // The CDKTF CLI, run as a merchant runs it: it starts the app as the example's cdktf.json says.
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'synth'], { cwd: app, env: ENV, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Generated Terraform code for the stacks: redis-builder, redis-release,\s+redis-tester/);
    const stack = (name: string) => JSON.parse(readFileSync(join(app, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8'));
    const builder = stack('redis-builder');
    const rules = Object.values(builder.resource.huaweicloud_networking_secgroup_rule) as { port_range_min?: number; description?: string }[];
    expect(rules).toContainEqual(expect.objectContaining({ port_range_min: 8080, description: 'package mirror' }));
    expect(Object.values(builder.resource.huaweicloud_vpc)[0]).toMatchObject({ tags: { owner: 'acme-data', 'image-factory-product': 'redis' } });
    // The guest scripts came from the tarball: the user_data bundle holds them.
    expect(Object.values(builder.resource.huaweicloud_compute_instance)[0]).toHaveProperty('user_data');
    const release = stack('redis-release');
    expect(release.output.image_name_for_seller_center.value).toBe('Redis Cache Server-V1.0');
    expect(release.variable.builder_instance_id.default).toBe('');
    expect(existsSync(join(app, 'cdktf.out', 'stacks', 'redis-tester', 'cdk.tf.json'))).toBe(true);
  });

  it('reports a definition mistake as one message, without a stack trace', () => {
    const broken = readFileSync(join(app, 'main.ts'), 'utf8').replace("buildRegion: 'ap-southeast-3'", "buildRegion: 'tr-west-1'");
    const file = join(app, 'broken.ts');
    cpSync(join(app, 'main.ts'), file);
    execFileSync('sh', ['-c', 'cat > "$0"', file], { input: broken });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'broken.ts'], { cwd: app, env: ENV, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('redis (inline definition): invalid image definition');
    expect(r.stderr).toContain('buildRegion: expected one of the intl KooGallery build regions');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the packed bin', () => {
  it('says the CLI runs from a clone instead of failing on missing sources', () => {
    const r = spawnSync(process.execPath, [join(pkgDir, 'scripts', 'bin', 'image-factory.mjs'), 'help'], { env: ENV, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the CLI runs from a clone of the repository');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
