/**
 * `image-factory try` on a real boot. The failing path: a step that fails shows its log tail, the
 * try fails at the build with try.json written, and --keep leaves the builder's disk with a
 * local-only way in. The disk still holds the build's logs and the traces a real DHCP boot
 * leaves (nothing sanitized it). The passing path, as a child process with --json: every line
 * is an event of the published schema (scripts/lib/cli-events.schema.json), and try.json
 * references the audit and a valid SBOM. A key planted by an ExecStop at power-off passes the
 * build's self-check and fails the captured disk's first-boot audit.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from '../../stacks/definition/load.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { rehearse, stackUserData, type TryRecord } from '../../scripts/local/try.js';
import { validateCycloneDx } from '../../scripts/sbom/sbom.js';
import { ensureRootfs, REPO, requireTools, scratchDir } from './lib/debian.js';
import { cleanEnv, runCli } from '../e2e/support.js';
import { validateCliLines } from '../support/cli-events.js';

const debugfs = (img: string, cmd: string) => execFileSync('debugfs', ['-R', cmd, img], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('image-factory try on a QEMU boot of Debian 12', () => {
  let dir: string;
  beforeAll(async () => {
    requireTools(['qemu-system-x86_64', 'qemu-img', 'mkfs.ext4', 'mkfs.vfat', 'mcopy', 'debugfs']);
    await ensureRootfs('debian12');
    dir = scratchDir('try-fail');
  });
  afterAll(() => { if (dir && !process.env.IF_KEEP_DISKS) rmSync(dir, { recursive: true, force: true }); });

  it('a failing step: its log tail, a failed build stage in try.json, and with --keep the disk and a local shell', async () => {
    const image = await loadImage(join(REPO, 'test/guest/fixtures/guest-fail'), REPO);
    const progress = new MemoryProgress();
    const started = Date.now();
    const { record, recordPath } = await rehearse({
      image, debian: 'debian12', keep: true, progress, network: 'isolated',
      distDir: join(dir, 'dist'), workDir: join(dir, 'work'),
    });
    console.log(`failing try: ${record.accelerator.accel}, ${Math.round((Date.now() - started) / 1000)} s`);
    expect(record.result).toBe('failed');
    expect(record.failure?.stage).toBe('build');
    // The step's own log tail, as the guest sent it (event=log), is in the message shown to the user.
    expect(record.failure?.message).toMatch(/step 2\/3 \(install-missing\) failed/);
    expect(record.failure?.message).toContain('E: Unable to locate package guest-app-that-does-not-exist');
    expect(record.installSteps).toEqual([{ name: 'prepare', status: 'ok', seconds: expect.any(Number) }, { name: 'install-missing', status: 'fail', seconds: expect.any(Number) }]);
    const steps = progress.events.filter((e) => e.stage === 'build' && e.step).map((e) => `${e.step} ${e.message?.split(' ')[0]}`);
    expect(steps).toEqual(['1/3 prepare running', '1/3 prepare ok', '2/3 install-missing running', '2/3 install-missing fail']);
    expect(progress.events.find((e) => e.stage === 'build' && e.status === 'failed')).toBeDefined();
    expect(progress.notes.join('\n')).toContain('NOT the Huawei base image');

    const written = JSON.parse(readFileSync(recordPath, 'utf8')) as TryRecord;
    expect(recordPath).toBe(join(dir, 'dist', 'guest-fail', '1.0.0', 'try.json'));
    expect(written).toMatchObject({ image: 'guest-fail', result: 'failed', baseDisk: { kind: 'debian-rootfs' }, stages: { build: { status: 'failed' } } });
    expect(written.capturedDisk).toBeUndefined();

    // --keep: the builder's disk, and a shell that boots it as a snapshot with a seed made only here.
    const work = join(dir, 'work');
    expect(existsSync(join(work, 'builder.qcow2'))).toBe(true);
    const shell = readFileSync(join(work, 'shell.sh'), 'utf8');
    expect(shell).toContain('-snapshot');
    expect(shell).toContain('seed-shell.img');
    expect(progress.notes.join('\n')).toContain(`sh ${written.kept?.shell}`);
    const { builder, tester } = stackUserData(image, 'b', new Date());
    for (const ud of [builder, tester]) expect(gunzipSync(ud).toString('utf8')).not.toMatch(/autologin|try-shell/);
    expect(execFileSync('mdir', ['-i', join(work, 'seed-build.img'), '::'], { encoding: 'utf8' })).not.toContain('shell');

    // Not sanitized: the build's files and a real DHCP boot's traces are on the kept disk.
    const raw = join(dir, 'builder.raw');
    execFileSync('qemu-img', ['convert', '-O', 'raw', join(work, 'builder.qcow2'), raw]);
    expect(debugfs(raw, 'cat /var/lib/image-factory/logs/2.log')).toContain('E: Unable to locate package');
    expect(debugfs(raw, 'ls /var/lib/dhcp')).toMatch(/\.leases/);
    expect(debugfs(raw, 'stat /etc/network/interfaces.d/50-cloud-init')).toMatch(/Inode:/);
  });

  it('a key an ExecStop writes at the builder\'s power-off: the build passes its self-check, the captured disk fails its first-boot audit', async () => {
    const image = await loadImage(join(REPO, 'test/guest/fixtures/guest-stop-hook'), REPO);
    const progress = new MemoryProgress();
    const started = Date.now();
    const { record } = await rehearse({ image, debian: 'debian12', progress, network: 'isolated', distDir: join(dir, 'dist'), workDir: join(dir, 'work-hook') });
    console.log(`stop-hook try: ${record.accelerator.accel}, ${Math.round((Date.now() - started) / 1000)} s`);
    expect(record.stages.build?.status, record.failure?.message).toBe('done');
    expect(record.selfcheck?.passed).toBe(true);
    expect(record.selfcheck?.checks.find((c) => c.id === 'persistence-added')?.detail).toContain('vendor-agent.service');
    expect(record).toMatchObject({ result: 'failed', failure: { stage: 'test' } });
    expect(record.failure?.message).toMatch(/first-boot audit[^\n]*no-authorized-keys/);
    expect(record.failure?.message).toContain('/root/.ssh/authorized_keys');
    expect(record.audit?.passed).toBe(false);
    expect(record.audit?.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toContain('no-authorized-keys');
    expect(record.testSteps).toEqual([]);
    expect(progress.notes.join('\n')).toMatch(/first-boot audit FAILED/);
  });

  it('`try guest-ok --json` as users run it: it passes, and every line validates against the published schema', async () => {
    const ws = scratchDir('try-json');
    const folder = join(ws, 'images', 'guest-ok');
    cpSync(join(REPO, 'test/guest/fixtures/guest-ok'), folder, { recursive: true });
    // As a merchant's image.ts: the package by name (the checkout resolves its own name, inside it).
    const definition = join(folder, 'image.ts');
    writeFileSync(definition, readFileSync(definition, 'utf8').replace("'../../../../stacks/definition/index.js'", "'koogallery-image-factory'"));
    const r = await runCli(['try', 'guest-ok', '--json'], { cwd: ws, env: cleanEnv() });
    const { events, result } = validateCliLines(r.stdout);
    expect(result, r.stderr).toMatchObject({ command: 'try', exitCode: 0, status: 'passed', image: 'guest-ok', record: 'dist/guest-ok/1.0.0/try.json' });
    expect(r.code).toBe(0);
    expect(events.filter((e) => e.type === 'selfcheck')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'stage' && e.status === 'done').map((e) => e.stage)).toEqual(expect.arrayContaining(['build', 'test']));
    // try.json: the captured disk's first-boot audit, and the SBOM next to it, by sha256, valid CycloneDX 1.6.
    const record = JSON.parse(readFileSync(join(ws, 'dist/guest-ok/1.0.0/try.json'), 'utf8')) as TryRecord;
    expect(record.audit?.passed).toBe(true);
    const sbom = readFileSync(join(ws, 'dist/guest-ok/1.0.0/try.sbom.cdx.json'));
    expect(record.sbom).toEqual({ file: 'try.sbom.cdx.json', sha256: createHash('sha256').update(sbom).digest('hex'), packages: expect.any(Number) });
    const bom = JSON.parse(sbom.toString('utf8'));
    validateCycloneDx(bom);
    expect(bom.components.map((c: { name: string }) => c.name)).toContain('openssh-server');
    expect(bom.components).toHaveLength(record.sbom!.packages);
    expect(existsSync(join(ws, 'dist/guest-ok/1.0.0/sbom.cdx.json'))).toBe(false);
    if (!process.env.IF_KEEP_DISKS) rmSync(ws, { recursive: true, force: true });
  });
});
