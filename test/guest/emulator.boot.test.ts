/**
 * `image-factory build` against `image-factory emulator --guest qemu`, in one process: the
 * orchestrator drives the emulator through the real signed clients, the real stacks are applied
 * by the applier (in place of Terraform), and every ECS is a local QEMU VM. The builder runs its
 * user_data with real cloud-init and powers itself off (SHUTOFF comes from the VM process
 * ending), the capture copies its disk, and the tester's ECS boots that disk for the test steps.
 * The emulator's own durations (server create, capture ...) run on a clock 10x faster than real
 * time; the VMs run in real time.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huaweiCloud } from '../../scripts/cloud/index.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import { createQemuGuest, type QemuGuest } from '../../scripts/emulator/qemu-guest.js';
import { createEmulator, type Emulator } from '../../scripts/emulator/server.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { ScaledClock, systemClock } from '../../scripts/pipeline/clock.js';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { loadImage } from '../../stacks/definition/load.js';
import { ensureRootfs, REPO, requireTools, scratchDir } from './lib/debian.js';

const AK = 'EMULATORQEMUKEY00001';
const SK = 'emulator-qemu-secret-never-logged';

describe('build against the emulator with QEMU guests', () => {
  let dir: string;
  let guest: QemuGuest;
  let emulator: Emulator;
  beforeAll(async () => {
    requireTools(['qemu-system-x86_64', 'qemu-img', 'mkfs.ext4', 'mkfs.vfat', 'mcopy']);
    await ensureRootfs('debian12');
    dir = scratchDir('emulator-qemu');
    guest = await createQemuGuest({ debian: 'debian12', network: 'isolated', dir: join(dir, 'vms'), log: (l) => console.log(l) });
    emulator = await createEmulator({ credentials: { [AK]: SK }, clock: new ScaledClock(10, Date.now(), Date.now()), guest });
  });
  afterAll(async () => {
    await emulator?.close();
    await guest?.close();
    if (dir && !process.env.IF_KEEP_DISKS) rmSync(dir, { recursive: true, force: true });
  });

  it('installs on a real VM, stops, captures its disk, boots it for the tests, writes the record', async () => {
    const image = await loadImage(join(REPO, 'test/guest/fixtures/guest-ok'), REPO);
    const progress = new MemoryProgress((e) => console.log(`${e.stage} ${e.status}${e.step ? ` ${e.step}` : ''}${e.message ? `: ${e.message}` : ''}`));
    const calls: string[] = [];
    const endpoint = { baseUrl: emulator.url, insecure: false };
    const started = Date.now();
    const outcome = await build({
      image,
      cloud: (ctx) => huaweiCloud(image, ctx, { accessKey: AK, secretKey: SK }, { kind: 'local', dir: join(dir, 'state') }, {
        endpoint,
        deployer: (api) => new EmulatorApplier({ image, context: ctx, api, clock: systemClock, outdir: join(dir, 'cdktf.out'), stateDir: join(dir, 'state'), calls, pollMs: 2_000 }),
      }),
      store: new CheckpointStore(join(dir, 'builds'), dir),
      clock: systemClock,
      progress,
      distDir: join(dir, 'dist'),
      pollIntervalMs: 2_000,
      powerOffGraceMs: 4 * 60_000,
      stopTimeoutMs: 60_000,
      meta: { toolVersion: '0.1.0-test' },
    });
    console.log(`build against the QEMU-backed emulator: ${guest.accel.accel}, ${Math.round((Date.now() - started) / 1000)} s`);
    expect(outcome.status, JSON.stringify(outcome.status === 'failed' ? { stage: outcome.stage, error: outcome.error, tail: outcome.consoleTail } : outcome.status)).toBe('built');
    const cp = outcome.checkpoint!;
    expect(cp.installSteps.map((s) => `${s.name} ${s.status}`)).toEqual(['install-app ok', 'configure-app ok']);
    expect(cp.testSteps.map((s) => `${s.name} ${s.status}`)).toEqual(['app-present ok']);
    expect((cp.selfcheck as { passed: boolean; os: string }).passed).toBe(true);
    expect((cp.selfcheck as { os: string }).os).toMatch(/Debian GNU\/Linux 12/);
    expect(calls).toEqual(expect.arrayContaining(['deployBuilder', 'captureImage', 'destroyBuilder']));
    // The captured image is a disk of its own, and the tester booted from it (its console is the VM's).
    const imageId = cp.privateImage!.id;
    expect(existsSync(guest.imagePath(imageId))).toBe(true);
    const servers = readdirSync(join(dir, 'vms', 'servers'));
    expect(servers).toHaveLength(2);
    const steps = progress.events.filter((e) => e.step).map((e) => `${e.stage} ${e.step} ${e.message?.split(' ')[0]}`);
    expect(steps).toEqual([
      'build 1/2 install-app running', 'build 1/2 install-app ok', 'build 2/2 configure-app running', 'build 2/2 configure-app ok',
      'test 1/1 app-present running', 'test 1/1 app-present ok',
    ]);
  });
});
