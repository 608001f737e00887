/** Injected faults that model what the chaos tier needs: a lost response after the call was applied, and seeded random hits. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HuaweiApi, HuaweiApiError } from '../../scripts/cloud/huawei-api.js';
import { Faults } from '../../scripts/emulator/faults.js';
import { VirtualClock } from '../../scripts/pipeline/clock.js';
import { endpointOverrideFromEnv } from '../../stacks/endpoint.js';
import { startEmulator, type TestEmulator } from './support.js';

const REGION = 'ap-southeast-3';

describe('emulator faults', () => {
  let emu: TestEmulator;
  const api = () => new HuaweiApi(emu.credentials, { endpoint: endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: emu.url }), retry: { attempts: 1 } });
  const vpcs = async () => (await api().request<{ vpcs: { name: string }[] }>('vpc', REGION, { method: 'GET', path: '/v1/{project_id}/vpcs' })).vpcs.map((v) => v.name);
  const create = (name: string) => api().request('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name, cidr: '10.0.0.0/16' } } });

  beforeEach(async () => { emu = await startEmulator({ clock: new VirtualClock() }); });
  afterEach(() => emu.close());

  it('answers instead of the service by default: the create did not happen', async () => {
    await emu.fault({ kind: 'http', service: 'vpc', method: 'POST', path: '/vpcs$', status: 500, times: 1 });
    const err = await create('before').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    expect((err as HuaweiApiError).status).toBe(500);
    expect(await vpcs()).not.toContain('before');
  });

  it('with afterApply, the call is applied and only its answer is lost', async () => {
    await emu.fault({ kind: 'http', service: 'vpc', method: 'POST', path: '/vpcs$', status: 503, afterApply: true, times: 1 });
    const err = await create('applied').catch((e: unknown) => e);
    expect((err as HuaweiApiError).status).toBe(503);
    expect(await vpcs()).toContain('applied');
    // The fault was used up: the next create answers normally.
    await create('second');
    expect(await vpcs()).toEqual(expect.arrayContaining(['applied', 'second']));
  });

  it('with a probability, hits the same calls for the same seed, and about that share of them', () => {
    const hits = (seed: number) => {
      const faults = new Faults();
      faults.add({ kind: 'http', status: 500, probability: 0.1, seed });
      return Array.from({ length: 2000 }, () => faults.takeHttp({ method: 'GET', path: '/x' }) !== undefined);
    };
    const a = hits(7);
    expect(hits(7)).toEqual(a);
    expect(hits(8)).not.toEqual(a);
    const share = a.filter(Boolean).length / a.length;
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.13);
  });

  it('counts only the calls a probability fault hit, so `times` ends it after that many hits', () => {
    const faults = new Faults();
    const f = faults.add({ kind: 'http', status: 500, probability: 0.5, seed: 3, times: 2 });
    let hit = 0;
    for (let i = 0; i < 100; i++) if (faults.takeHttp({ method: 'GET', path: '/x' })) hit++;
    expect(hit).toBe(2);
    expect(f.hits).toBe(2);
    expect(faults.list()).toHaveLength(0);
  });
});
