import { describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync, readFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAgainstSchema } from '../../stacks/schema-check.js';
import { runCli } from '../e2e/support.js';

/** `image-factory <args>` as users run it, without this machine's cloud settings. */
const cli = (args: string[], cwd?: string) => runCli(args, { cwd });

describe('image-factory CLI', () => {
  it('plan synthesizes every stack, checks it against the schema and prints what a build creates', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'plan-'));
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const { code, stdout, stderr } = await cli(['plan', '--outdir', outdir, '--dist', dist]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('nginx: Nginx Web Server / Nginx 网页服务器 V1.0 (build 1.0.0), site intl');
    expect(stdout).toMatch(/build region +ap-southeast-3 \(AP-Singapore\)/);
    expect(stdout).toMatch(/flavor +s6\.large\.2 \(fallbacks: s7\.large\.2, c7\.large\.2\)/);
    expect(stdout).toMatch(/user_data +\d+ bytes gzip \(\d+% of the 32768-byte limit\)/);
    expect(stdout).toMatch(/copies +ap-southeast-2, af-south-1 \(agency koogallery_ims_agency\)/);
    expect(stdout).toMatch(/nginx-builder .*1 compute_instance.*; inbound rules: 0/);
    expect(stdout).toContain('every stack conforms to the huaweicloud provider schema');
    expect(stdout).toMatch(/nginx: listing outputs \(image IDs planned\) in .*: manifest\.json, manifest\.schema\.json, listing\.md, listing\.html, template\/main\.tf\.json, template\/README\.md, template\/template\.zip/);
    // The example has no asset ID and no build: its template is written, marked planned.
    expect(stdout).toContain('nginx: the buyer template is PLANNED and refuses to deploy: set listing.assetId in images/nginx/image.ts');
    for (const f of ['manifest.json', 'listing.html', 'template/template.zip', 'template/README.md']) expect(existsSync(join(dist, 'nginx', '1.0.0', f))).toBe(true);
    // The example opens SSH to 0.0.0.0/0: allowed, with a warning in the summary and the sheet.
    expect(stdout).toContain('  warning        securityGroup[2]: opens SSH (tcp 22, administration) to the whole internet (0.0.0.0/0); allowed');
    expect(readFileSync(join(dist, 'nginx', '1.0.0', 'listing.md'), 'utf8')).toContain('> **Warning / 警告**: Recommended security group rule 3 opens SSH (tcp 22, administration) to the whole internet (0.0.0.0/0)');
    expect(readFileSync(join(dist, 'nginx', '1.0.0', 'listing.html'), 'utf8')).toContain('<div class="banner warning" role="alert"><strong>Warning / 警告</strong>: Recommended security group rule 3 opens SSH');
    for (const stack of ['nginx-builder', 'nginx-release', 'nginx-tester']) {
      const file = join(outdir, 'stacks', stack, 'cdk.tf.json');
      expect(existsSync(file)).toBe(true);
      expect(checkAgainstSchema(JSON.parse(readFileSync(file, 'utf8')))).toEqual([]);
    }
  });

  it('reports a broken definition in one message without a stack trace', async () => {
    const dir = mkdtempSync(join(process.cwd(), 'test', '.tmp-'));
    try {
      mkdirSync(join(dir, 'images', 'bad'), { recursive: true });
      writeFileSync(join(dir, 'images', 'bad', 'image.ts'), `import { defineImage } from '${join(process.cwd(), 'stacks/definition/index.ts')}';\nexport default defineImage({ site: 'mars' } as never);\n`);
      const { code, stderr, stdout } = await cli(['plan', '--outdir', join(dir, 'out')], dir);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^image-factory: images\/bad\/image\.ts: invalid image definition\n/);
      expect(stderr).toContain('  - site: expected one of cn, intl, eu, found "mars"');
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('template refuses a product without asset ID or build, unless --planned', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const refused = await cli(['template', 'nginx', '--dist', dist]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^image-factory: images\/nginx\/image\.ts: listing\.assetId: expected the KooGallery asset ID of Nginx Web Server V1\.0, or built image IDs in dist\/nginx\/1\.0\.0\/build\.json, found neither/);
    expect(refused.stderr).toContain('or pass --planned to write a template marked planned');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dist, 'nginx', '1.0.0', 'template'))).toBe(false);
    const planned = await cli(['template', 'nginx', '--planned', '--dist', dist]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('image from: none: PLANNED template, it refuses to deploy until listing.assetId is set or the image is built');
    expect(readFileSync(join(dist, 'nginx', '1.0.0', 'template', 'README.md'), 'utf8')).toContain('PLANNED, NOT DEPLOYABLE');
  });

  it('names an unknown command and an unknown option', async () => {
    const unknown = await cli(['bulid']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^image-factory: unknown command "bulid"; expected one of plan/);
    const option = await cli(['plan', '--out', 'x']);
    expect(option.code).toBe(2); // the same code as an unknown command: the command line is wrong
    expect(option.stderr).toMatch(/^image-factory: plan: Unknown option '--out'/);
    expect(option.stderr).not.toMatch(/\n\s+at /);
  });
});
