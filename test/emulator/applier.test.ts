/**
 * The applier creates the real synthesized stacks through the emulator's API: the builder's
 * network, EIP and sealed ECS, tagged as the stacks say; the image and its copies; and deletes
 * them again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import { HuaweiEcsClient } from '../../scripts/cloud/ecs.js';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import { TAG } from '../../stacks/definition/tags.js';
import { makeImage } from '../support/images.js';
import { loopbackClock } from '../support/loopback-clock.js';
import { startEmulator, type TestEmulator } from './support.js';

describe('applier on the emulator', () => {
  const clock = loopbackClock();
  let emu: TestEmulator;
  beforeAll(async () => (emu = await startEmulator({ clock })));
  afterAll(() => emu.close());

  it('deploys the builder stack, captures and copies the image, then destroys the builder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'applier-'));
    const image = makeImage();
    const calls: string[] = [];
    const api = emu.api({}, { sleep: (ms, signal) => clock.sleep(ms, signal) });
    const applier = new EmulatorApplier({ image, context: { buildId: 'b1', startedAt: new Date(clock.now()) }, api, clock, outdir: join(dir, 'out'), stateDir: join(dir, 'state'), calls, pollMs: 2_000 });
    const builder = await applier.deployBuilder({});
    expect(builder.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(builder.sourceImageName).toBe('Ubuntu 22.04 server 64bit');
    const sweeper = new HuaweiSweeper(api);
    const tagged = await sweeper.listTagged('ap-southeast-3', TAG.expiresAt);
    expect(tagged.map((r) => r.type).sort()).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc']);
    expect(tagged.every((r) => r.tags[TAG.buildId] === 'b1' && r.tags.team === 'qa')).toBe(true);
    const ecs = new HuaweiEcsClient(api);
    // The scripted guest runs the steps in the user_data and powers off.
    for (let i = 0; i < 200 && (await ecs.getServer(builder.instanceId, 'ap-southeast-3')).status !== 'SHUTOFF'; i++) await clock.sleep(10_000);
    expect((await ecs.getServer(builder.instanceId, 'ap-southeast-3')).status).toBe('SHUTOFF');
    expect(await ecs.consoleOutput(builder.instanceId, 'ap-southeast-3', 500)).toMatch(/event=result result=success/);
    const captured = await applier.captureImage({ builderInstanceId: builder.instanceId });
    expect(captured.imageName).toBe('Test Product-V1.0');
    await applier.destroyBuilder();
    expect(await sweeper.listTagged('ap-southeast-3', TAG.expiresAt)).toEqual([]);
    const events: string[] = [];
    const copies = await applier.deployCopies({ sourceImageId: captured.imageId, pending: ['ap-southeast-2', 'af-south-1'], parallelism: 5, onEvent: (e) => events.push(`${e.region}:${e.status}`) });
    expect(Object.keys(copies).sort()).toEqual(['af-south-1', 'ap-southeast-2']);
    expect(Object.values(copies).every((c) => c.imageId)).toBe(true);
    expect(events.sort()).toEqual(['af-south-1:done', 'af-south-1:start', 'ap-southeast-2:done', 'ap-southeast-2:start']);
    expect(calls).toEqual(['deployBuilder', 'captureImage', 'destroyBuilder', 'deployCopies:ap-southeast-2,af-south-1']);
  });

  it('keeps a resource whose create failed after it existed (tainted, as Terraform does): destroy removes it, the next apply replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'applier-tainted-'));
    const image = makeImage();
    const api = emu.api({}, { sleep: (ms, signal) => clock.sleep(ms, signal) });
    const applier = new EmulatorApplier({ image, context: { buildId: 'b2', startedAt: new Date(clock.now()) }, api, clock, outdir: join(dir, 'out'), stateDir: join(dir, 'state'), pollMs: 2_000 });
    const eips = async () => ((await api.request<{ publicips: { id: string }[] }>('eip', 'ap-southeast-3', { method: 'GET', path: '/v1/{project_id}/publicips' })).publicips ?? []).map((e) => e.id);
    const before = await eips();
    // The EIP exists, then its tag call is refused: the create fails with an untagged EIP, which sweep cannot find.
    emu.emulator.faults.add({ kind: 'http', service: 'eip', method: 'POST', path: '/publicips/[^/]+/tags/action$', status: 400, code: 'EIP.7904', message: 'tag refused', times: 1 });
    // EIP answers {code, message}: its own code and words, not sdk-core's "Request failed with status code 400".
    await expect(applier.deployBuilder({})).rejects.toThrow(/huaweicloud_vpc_eip.*tags\/action.*HTTP 400 EIP\.7904 tag refused/);
    const leftAfterFailure = (await eips()).filter((id) => !before.includes(id));
    expect(leftAfterFailure).toHaveLength(1);
    await applier.destroyBuilder();
    expect((await eips()).filter((id) => !before.includes(id))).toEqual([]);

    // Failed again, then applied again: the tainted EIP is replaced, never kept beside a new one.
    emu.emulator.faults.add({ kind: 'http', service: 'eip', method: 'POST', path: '/publicips/[^/]+/tags/action$', status: 400, code: 'EIP.7904', message: 'tag refused', times: 1 });
    await expect(applier.deployBuilder({})).rejects.toThrow(/huaweicloud_vpc_eip.*tags\/action.*HTTP 400/);
    await applier.deployBuilder({});
    expect((await eips()).filter((id) => !before.includes(id))).toHaveLength(1);
    await applier.destroyBuilder();
    expect((await eips()).filter((id) => !before.includes(id))).toEqual([]);
  });
});
