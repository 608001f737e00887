import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { VirtualClock } from '../../scripts/pipeline/clock.js';
import { sweep } from '../../scripts/pipeline/sweep.js';
import { FakeCloud } from '../fakes/fake-cloud.js';

const tags = (buildId: string, expires: string) => ({ 'image-factory-build': buildId, 'image-factory-product': 'demo', 'image-factory-version': '1.0.0', 'image-factory-expires': expires });

describe('sweep', () => {
  function setup(durations: { ecsDeleteMs?: number } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    const store = new CheckpointStore(join(dir, 'builds'), dir);
    // Discrete-event time: the wait for deleted servers passes without real waiting.
    const clock = new VirtualClock();
    const cloud = new FakeCloud({ clock, durations });
    // A crashed build, expired; a running build, expired; a crashed build, not yet expired.
    const orphan = ['vpc', 'subnet', 'ecs', 'eip', 'security-group'].map((type) => cloud.addResource({ type: type as 'vpc', region: 'ap-southeast-3', stack: 'x', tags: tags('crashed', '20261128T080000Z') }));
    const running = cloud.addResource({ type: 'ecs', region: 'ap-southeast-2', stack: 'y', tags: tags('live', '20261128T080000Z') });
    const fresh = cloud.addResource({ type: 'ecs', region: 'ap-southeast-3', stack: 'z', tags: tags('recent', '20261128T200000Z') });
    const image = cloud.addResource({ type: 'vpc', region: 'ap-southeast-3', stack: 'w', tags: { 'image-factory-build': 'crashed' } });
    store.save(newCheckpoint({ image: 'demo', version: '1.0.0', productVersion: 'V1.0', buildId: 'live', startedAt: new Date(), regions: [] }));
    const release = store.acquire('demo', '1.0.0', 'live', 'build');
    return { store, cloud, clock, orphan, running, fresh, image, release };
  }

  it('deletes expired resources of builds that are not running: ECS first, waits until it is gone, then its network', async () => {
    const s = setup();
    const started = s.clock.now();
    const decisions = await sweep({ sweeper: s.cloud.sweeper(), regions: ['ap-southeast-3', 'ap-southeast-2'], store: s.store, now: new Date('2026-11-28T12:00:00Z'), dryRun: false, clock: s.clock, pollIntervalMs: 5_000 });
    s.release();
    expect(decisions.filter((d) => d.error)).toEqual([]);
    const deleted = decisions.filter((d) => d.deleted).map((d) => d.resource.type);
    expect(deleted).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc']);
    // ECS deletion takes 45 s here (asynchronous): the network went only after the server.
    const server = s.cloud.resource(s.orphan[2])!;
    expect(server.deletedAt! - started).toBe(45_000);
    for (const id of s.orphan) expect(s.cloud.resource(id)!.deletedAt).toBeGreaterThanOrEqual(server.deletedAt!);
    expect(s.clock.now() - started).toBeLessThan(60_000);
    for (const id of s.orphan) expect(s.cloud.resource(id)?.deletedAt).toBeDefined();
    for (const id of [s.running, s.fresh, s.image]) expect(s.cloud.resource(id)?.deletedAt).toBeUndefined();
    expect(decisions.find((d) => d.resource.id === s.running)?.reason).toBe('build live is running');
  });

  it('a region that cannot be listed (no project, bad key, network) is reported; the other regions are still swept', async () => {
    const s = setup();
    const inner = s.cloud.sweeper();
    const sweeper = { ...inner, listTagged: async (region: string, key: string) => {
      if (region === 'ap-southeast-2') throw new Error('ecs POST /v1/{project_id}/cloudservers/resource_instances/action in ap-southeast-2: HTTP 401 APIGW.0301 Incorrect IAM authentication information');
      return inner.listTagged(region, key);
    } };
    const regionErrors: string[] = [];
    const decisions = await sweep({ sweeper, regions: ['ap-southeast-2', 'ap-southeast-3'], store: s.store, now: new Date('2026-11-28T12:00:00Z'), dryRun: false, clock: s.clock, onRegionError: (region, message) => regionErrors.push(`${region}: ${message}`) });
    s.release();
    expect(regionErrors).toEqual([expect.stringMatching(/^ap-southeast-2: .*HTTP 401/)]);
    expect(decisions.filter((d) => d.deleted)).toHaveLength(5);
  });

  it('--dry-run deletes nothing', async () => {
    const s = setup();
    const decisions = await sweep({ sweeper: s.cloud.sweeper(), regions: ['ap-southeast-3'], store: s.store, now: new Date('2026-11-28T12:00:00Z'), dryRun: true });
    s.release();
    expect(decisions.filter((d) => d.action === 'delete')).toHaveLength(5);
    expect(s.cloud.liveResources()).toHaveLength(8);
  });

  it('a resource that cannot be deleted is reported; the others are still deleted', async () => {
    const s = setup();
    const [, , , eip, sg] = s.orphan;
    s.cloud.failures = { sweepDeleteFail: [eip] };
    const decisions = await sweep({ sweeper: s.cloud.sweeper(), regions: ['ap-southeast-3'], store: s.store, now: new Date('2026-11-28T12:00:00Z'), dryRun: false, clock: s.clock });
    s.release();
    expect(decisions.filter((d) => d.error).map((d) => `${d.resource.type}: ${d.error}`)).toEqual([expect.stringMatching(/^eip: .*deletion refused/)]);
    expect(decisions.filter((d) => d.deleted).map((d) => d.resource.type)).toEqual(['ecs', 'security-group', 'subnet', 'vpc']);
    expect(s.cloud.resource(sg)!.deletedAt).toBeDefined();
  });

  it('a server that does not go within the bound is reported, and so is the network it holds; the wait is bounded', async () => {
    const s = setup({ ecsDeleteMs: 3_600_000 });
    const started = s.clock.now();
    const decisions = await sweep({ sweeper: s.cloud.sweeper(), regions: ['ap-southeast-3'], store: s.store, now: new Date('2026-11-28T12:00:00Z'), dryRun: false, clock: s.clock, serverGoneTimeoutMs: 120_000, pollIntervalMs: 10_000 });
    s.release();
    expect(s.clock.now() - started).toBeGreaterThanOrEqual(120_000);
    expect(s.clock.now() - started).toBeLessThan(130_000);
    const byType = Object.fromEntries(decisions.filter((d) => d.action === 'delete').map((d) => [d.resource.type, d.error ?? 'deleted']));
    expect(byType.ecs).toMatch(/still there after 120 s/);
    for (const t of ['eip', 'security-group', 'subnet', 'vpc']) expect(byType[t]).toMatch(/in use by ECS/);
  });
});
