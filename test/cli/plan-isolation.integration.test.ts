/**
 * `plan` end to end on image folders that try to pull host files in through links: nothing of a
 * file outside the image folders may reach cdktf.out/ or dist/, whatever kind of link is used,
 * and one broken image never hides the others.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseDefinition } from '../support/images.js';
import { makePng, validListing } from '../listing/fixtures.js';
import { cleanUp, tempParent, writeImage } from '../definition/folder.js';
import { expectNoTrace } from '../definition/reject.js';
import { expandedContents } from '../support/expand.js';
import { runCli } from '../e2e/support.js';

afterAll(cleanUp);
const cli = (args: string[], cwd: string) => runCli(args, { cwd });

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));

const listed = (name: string, nameEn: string) => ({
  definition: { ...baseDefinition(), product: { nameZh: `${name}产品`, nameEn }, listing: validListing() },
  files: { 'logo.png': makePng(120, 120), 'USAGE.md': '# Usage\n' } as Record<string, string | Buffer | null>,
});

describe('plan keeps every byte of the build host out of cdktf.out/ and dist/', () => {
  it('rejects each linked file, plans the valid image, and no output holds the marker', async () => {
    const marker = `HOST-SECRET-${randomBytes(8).toString('hex')}`;
    const hostDir = mkdtempSync(join(tmpdir(), 'host-'));
    const secret = join(hostDir, 'secret.txt');
    writeFileSync(secret, `${marker}\n`);
    writeFileSync(join(hostDir, 'app.conf'), `${marker}\n`);

    const project = tempParent();
    const images = join(project, 'images');
    mkdirSync(images);
    // A step file, a step script, the logo and the usage guide, each a link to the host file,
    // and a whole files/ folder linked to a host folder.
    const a = listed('甲', 'Alpha Server');
    writeImage(images, 'link-file', { ...a, files: { ...a.files, 'files/app.conf': null } });
    symlinkSync(secret, join(images, 'link-file', 'files', 'app.conf'));
    const b = listed('乙', 'Beta Server');
    writeImage(images, 'link-script', { ...b, files: { ...b.files, 'configure.sh': null } });
    symlinkSync(secret, join(images, 'link-script', 'configure.sh'));
    const c = listed('丙', 'Gamma Server');
    writeImage(images, 'link-guide', { ...c, files: { ...c.files, 'USAGE.md': null } });
    symlinkSync(secret, join(images, 'link-guide', 'USAGE.md'));
    const d = listed('丁', 'Delta Server');
    writeImage(images, 'link-dir', d);
    rmSync(join(images, 'link-dir', 'files'), { recursive: true });
    symlinkSync(hostDir, join(images, 'link-dir', 'files'));
    const e = listed('戊', 'Epsilon Server');
    writeImage(images, 'valid', e);

    const outdir = join(project, 'cdktf.out');
    const dist = join(project, 'dist');
    const { code, stdout, stderr } = await cli(['plan', '--outdir', outdir, '--dist', dist], project);
    // The claim first: no output file holds a byte of the host file.
    const outputs = [...filesUnder(outdir), ...filesUnder(dist)];
    expect(outputs.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    expect(outputs.some((f) => f.endsWith('template.zip'))).toBe(true);
    for (const f of outputs) expect((await expandedContents(f)).some((b) => b.includes(marker)), f).toBe(false);
    // The grep sees inside the gzip user_data: the valid image's own step file is found there.
    const builder = outputs.find((f) => f.endsWith(join('valid-builder', 'cdk.tf.json')))!;
    expect((await expandedContents(builder)).some((b) => b.includes('key=value'))).toBe(true);

    expect(code).toBe(1);
    expect(stderr).toContain(`images/link-file/image.ts: invalid image definition\n  - install[0].files[0].source: expected a file in the image folder, found "files/app.conf", a symbolic link to "${secret}"`);
    expect(stderr).toContain(`images/link-script/image.ts: invalid image definition\n  - install[1].script: expected a file in the image folder, found "configure.sh", a symbolic link to "${secret}"`);
    expect(stderr).toContain(`images/link-guide/image.ts: invalid image definition\n  - listing.usageGuide: expected a usage guide file in the image folder, found "USAGE.md", a symbolic link to "${secret}"`);
    expect(stderr).toContain(`images/link-dir/image.ts: invalid image definition\n  - install[0].files[0].source: expected a file in the image folder, found "files/app.conf" inside "files", a symbolic link to "${hostDir}"`);
    expect(stderr).toContain('image-factory: plan: 4 problem(s) above; the 1 valid image(s) were planned');
    expectNoTrace(stderr);
    // The valid image is still planned and its listing outputs written.
    expect(stdout).toContain('valid: Epsilon Server / 戊产品 V1.0');
    expect(stdout).toMatch(/valid: listing outputs \(image IDs planned\)/);

  }, 120_000);

  it('manifest and template refuse a linked usage guide and write nothing with the marker', async () => {
    const marker = `HOST-SECRET-${randomBytes(8).toString('hex')}`;
    const secret = join(mkdtempSync(join(tmpdir(), 'host-')), 'guide.md');
    writeFileSync(secret, `${marker}\n`);
    const project = tempParent();
    const images = join(project, 'images');
    mkdirSync(images);
    const g = listed('己', 'Zeta Server');
    writeImage(images, 'linked', { ...g, files: { ...g.files, 'USAGE.md': null } });
    symlinkSync(secret, join(images, 'linked', 'USAGE.md'));
    const dist = join(project, 'dist');
    for (const command of ['manifest', 'template']) {
      const r = await cli([command, 'linked', '--dist', dist], project);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`listing.usageGuide: expected a usage guide file in the image folder, found "USAGE.md", a symbolic link to "${secret}"`);
      expectNoTrace(r.stderr);
    }
    const written = (() => { try { return filesUnder(dist); } catch { return []; } })();
    for (const f of written) expect((await expandedContents(f)).some((b) => b.includes(marker)), f).toBe(false);
  }, 60_000);
});

describe('plan reports every image', () => {
  it('prints the valid images\' summaries and every broken image\'s problems, then exits 1', async () => {
    const project = tempParent();
    const images = join(project, 'images');
    mkdirSync(images);
    writeImage(images, 'good', { definition: { ...baseDefinition(), product: { nameZh: '好', nameEn: 'Good Server' } } });
    writeImage(images, 'bad-a', { definition: { ...baseDefinition(), product: { nameZh: '甲', nameEn: 'Alpha' }, site: 'mars' } });
    writeImage(images, 'bad-b', { definition: { ...baseDefinition(), product: { nameZh: '乙', nameEn: 'Beta' }, flavors: ['big'] } });
    const { code, stdout, stderr } = await cli(['plan', '--outdir', join(project, 'out'), '--dist', join(project, 'dist')], project);
    expect(code).toBe(1);
    expect(stdout).toContain('good: Good Server / 好 V1.0 (build 1.0.0), site intl');
    // builder, release, tester and one copy stack per target region
    expect(stdout).toMatch(/synthesized \d+ stacks for 1 image\(s\)/);
    expect(stderr).toContain('image-factory: images/bad-a/image.ts: invalid image definition\n  - site: expected one of cn, intl, eu, found "mars"');
    expect(stderr).toContain('image-factory: images/bad-b/image.ts: invalid image definition\n  - flavors[0]: expected an ECS flavor name like "s7.large.2", found "big"');
    expectNoTrace(stderr);
  }, 120_000);
});
