import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { ScaledClock } from '../../scripts/pipeline/clock.js';
import { sweep } from '../../scripts/pipeline/sweep.js';
import { FakeCloud } from '../fakes/fake-cloud.js';

const tags = (buildId: string, expires: string) => ({ 'image-factory-build': buildId, 'image-factory-product': 'demo', 'image-factory-version': '1.0.0', 'image-factory-expires': expires });

describe('sweep', () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    const store = new CheckpointStore(join(dir, 'builds'), dir);
    const cloud = new FakeCloud({ clock: new ScaledClock(1) });
    // A crashed build, expired; a running build, expired; a crashed build, not yet expired.
    const orphan = ['vpc', 'subnet', 'ecs', 'eip', 'security-group'].map((type) => cloud.addResource({ type: type as 'vpc', region: 'ap-southeast-3', stack: 'x', tags: tags('crashed', '20261128T080000Z') }));
    const running = cloud.addResource({ type: 'ecs', region: 'ap-southeast-2', stack: 'y', tags: tags('live', '20261128T080000Z') });
    const fresh = cloud.addResource({ type: 'ecs', region: 'ap-southeast-3', stack: 'z', tags: tags('recent', '20261128T200000Z') });
    const image = cloud.addResource({ type: 'vpc', region: 'ap-southeast-3', stack: 'w', tags: { 'image-factory-build': 'crashed' } });
    store.save(newCheckpoint({ image: 'demo', version: '1.0.0', productVersion: 'V1.0', buildId: 'live', startedAt: new Date(), regions: [] }));
    const release = store.acquire('demo', '1.0.0', 'live', 'build');
    return { store, cloud, orphan, running, fresh, image, release };
  }

  it('deletes expired resources of builds that are not running, ECS before network', async () => {
    const s = setup();
    const decisions = await sweep({ sweeper: s.cloud.sweeper(), regions: ['ap-southeast-3', 'ap-southeast-2'], store: s.store, now: new Date('2026-11-28T12:00:00Z'), dryRun: false });
    s.release();
    const deleted = decisions.filter((d) => d.deleted).map((d) => d.resource.type);
    expect(deleted).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc']);
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
    const decisions = await sweep({ sweeper, regions: ['ap-southeast-2', 'ap-southeast-3'], store: s.store, now: new Date('2026-11-28T12:00:00Z'), dryRun: false, onRegionError: (region, message) => regionErrors.push(`${region}: ${message}`) });
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
});
