/** The emulator checks every call's AK/SK signature, as API Gateway does, and says why it refuses one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuaweiApiError } from '../../scripts/cloud/huawei-api.js';
import { canonicalQuery, canonicalUri } from '../../scripts/emulator/sdk-signature.js';
import { startEmulator, type TestEmulator } from './support.js';

describe('emulator authentication', () => {
  let emu: TestEmulator;
  beforeAll(async () => (emu = await startEmulator()));
  afterAll(() => emu.close());

  it('accepts a call signed by the real client with the right key pair (the API itself then answers)', async () => {
    const err = await emu.api().requestGlobal('iam', 'ap-southeast-3', { method: 'GET', path: '/v3/no-such-api' }).catch((e) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    expect(err.status).toBe(404);
    expect(err.code).toBe('APIGW.0101');
  });

  it('refuses a wrong secret key with the gateway\'s 401 APIGW.0301', async () => {
    const err = await emu.api({ secretKey: 'not-the-secret' }).requestGlobal('iam', 'ap-southeast-3', { method: 'GET', path: '/v3/auth/domains' }).catch((e) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('APIGW.0301');
    expect(err.message).toMatch(/verify aksk signature fail/);
  });

  it('refuses an unknown access key, naming it', async () => {
    const err = await emu.api({ accessKey: 'UNKNOWNKEY0000000001' }).requestGlobal('iam', 'ap-southeast-3', { method: 'GET', path: '/v3/auth/domains' }).catch((e) => e);
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/ak UNKNOWNKEY0000000001 not exist/);
  });

  it('refuses an unsigned call', async () => {
    const res = await fetch(`${emu.url}/v3/auth/domains`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error_code: 'APIGW.0301' });
  });

  it('canonicalizes like the Go and JS signers: every byte but unreserved ones escaped, trailing slash, sorted query', () => {
    expect(canonicalUri('/v2/cloudimages')).toBe('/v2/cloudimages/');
    expect(canonicalUri('/v1/p/a%20b')).toBe('/v1/p/a%20b/');
    expect(canonicalQuery('name=Ubuntu%2022.04&__imagetype=gold&b=1&b=0')).toBe('__imagetype=gold&b=0&b=1&name=Ubuntu%2022.04');
    expect(canonicalQuery('q=a+b*')).toBe('q=a%20b%2A');
  });
});

describe('emulator IAM', () => {
  let emu: TestEmulator;
  beforeAll(async () => (emu = await startEmulator()));
  afterAll(() => emu.close());

  it('gives each region its own project, which the real client looks up and then uses', async () => {
    const state = await emu.state();
    const project = state.projects['af-south-1'];
    expect(project).toMatch(/^[0-9a-f]{32}$/);
    const res = await emu.api().requestGlobal<{ projects: { id: string; name: string }[] }>('iam', 'af-south-1', { method: 'GET', path: '/v3/projects', query: { name: 'af-south-1' } });
    expect(res.projects).toEqual([expect.objectContaining({ id: project, name: 'af-south-1' })]);
  });

  it('answers the account and its agencies', async () => {
    const domains = await emu.api().requestGlobal<{ domains: { id: string }[] }>('iam', 'ap-southeast-3', { method: 'GET', path: '/v3/auth/domains' });
    const domainId = domains.domains[0].id;
    const hit = await emu.api().requestGlobal<{ agencies: { name: string }[] }>('iam', 'ap-southeast-3', { method: 'GET', path: '/v3.0/OS-AGENCY/agencies', query: { domain_id: domainId, name: 'ims_agency' } }, domainId);
    expect(hit.agencies.map((a) => a.name)).toEqual(['ims_agency']);
    const miss = await emu.api().requestGlobal<{ agencies: unknown[] }>('iam', 'ap-southeast-3', { method: 'GET', path: '/v3.0/OS-AGENCY/agencies', query: { domain_id: domainId, name: 'nope' } }, domainId);
    expect(miss.agencies).toEqual([]);
    const err = await emu.api().requestGlobal('iam', 'ap-southeast-3', { method: 'GET', path: '/v3.0/OS-AGENCY/agencies' }).catch((e) => e);
    expect(err.status).toBe(400);
  });
});
