/**
 * Fidelity: Huawei's own Node SDK (@huaweicloud/huaweicloud-sdk-iam, v3 IamClient with
 * GlobalCredentials) against the emulator, for every IAM call it covers that the emulator serves:
 * KeystoneListProjects, KeystoneListAuthProjects, KeystoneListAuthDomains and ListAgencies. The
 * answers must carry the fields of the SDK's response models with their types, and sdk-core's own
 * domain discovery (a client given a region but no domain ID) must find the emulated account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { Region } from '@huaweicloud/huaweicloud-sdk-core/region/region.js';
// The package's index also loads its v5 API, whose module fails to load (a broken require in
// 3.1.172): the v3 API is imported on its own.
import * as v3 from '@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js';
import { AK, SK, startEmulator, type TestEmulator } from './support.js';

// The SDK logs failed requests (headers and body) to stdout.
Logger4jInstance.level = 'off';

const str = expect.any(String);
const bool = expect.any(Boolean);

describe('Huawei IAM SDK against the emulator', () => {
  let emu: TestEmulator;
  let domainId: string;
  let projects: Record<string, string>;
  // Untyped: the response models keep their snake_case fields private, and the test reads them.
  let iam: any;

  beforeAll(async () => {
    emu = await startEmulator();
    const state = await emu.state();
    domainId = state.domain.id;
    // Two regions in use, so the project lists have more than one entry to filter.
    await emu.api().request('vpc', 'af-south-1', { method: 'GET', path: '/v1/{project_id}/vpcs' });
    projects = (await emu.state()).projects;
    const cred = new GlobalCredentials().withAk(AK).withSk(SK).withDomainId(domainId);
    iam = v3.IamClient.newBuilder().withCredential(cred).withEndpoint(emu.url).build();
  });
  afterAll(() => emu.close());

  it('KeystoneListAuthDomains: the account the key belongs to', async () => {
    const res: any = await iam.keystoneListAuthDomains(new v3.KeystoneListAuthDomainsRequest());
    expect(res.httpStatusCode).toBe(200);
    expect(res.domains).toEqual([{ id: domainId, name: str, enabled: true, description: str, links: { self: expect.stringContaining(domainId) } }]);
    expect(res.links).toEqual({ self: str });
  });

  it('KeystoneListProjects: one project per region, filtered by name and domain', async () => {
    const all: any = await iam.keystoneListProjects(new v3.KeystoneListProjectsRequest());
    expect(all.projects.length).toBeGreaterThanOrEqual(2);
    for (const p of all.projects) {
      expect(p).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: str, domain_id: domainId, parent_id: str, is_domain: false, enabled: true, description: str, links: { self: str } });
      expect(projects[p.name]).toBe(p.id);
    }
    expect(all.links).toMatchObject({ self: str });

    const one: any = await iam.keystoneListProjects(new v3.KeystoneListProjectsRequest().withName('af-south-1').withDomainId(domainId));
    expect(one.projects).toEqual([expect.objectContaining({ id: projects['af-south-1'], name: 'af-south-1' })]);
    const none: any = await iam.keystoneListProjects(new v3.KeystoneListProjectsRequest().withName('no-such-region'));
    expect(none.projects).toEqual([]);
    const otherDomain: any = await iam.keystoneListProjects(new v3.KeystoneListProjectsRequest().withDomainId('0'.repeat(32)));
    expect(otherDomain.projects).toEqual([]);
  });

  it('KeystoneListAuthProjects: the projects the key may use', async () => {
    const res: any = await iam.keystoneListAuthProjects(new v3.KeystoneListAuthProjectsRequest());
    expect(res.projects.map((p: any) => p.name).sort()).toEqual(Object.keys(projects).sort());
    for (const p of res.projects) expect(p).toMatchObject({ id: projects[p.name], domain_id: domainId, parent_id: str, is_domain: bool, enabled: true, links: { self: str } });
    expect(res.links).toMatchObject({ self: str });
  });

  it('ListAgencies: the account\'s agencies, by name; another account\'s domain is refused', async () => {
    await emu.config({ agencies: ['ims_agency', 'koogallery_ims_agency', 'ops'] });
    const all: any = await iam.listAgencies(new v3.ListAgenciesRequest(domainId));
    expect(all.agencies.map((a: any) => a.name)).toEqual(['ims_agency', 'koogallery_ims_agency', 'ops']);
    for (const a of all.agencies) {
      expect(a).toMatchObject({ id: str, name: str, domain_id: domainId, trust_domain_id: str, trust_domain_name: str, duration: str, create_time: str, description: str });
      expect(a).toHaveProperty('expire_time');
    }
    expect(new Set(all.agencies.map((a: any) => a.id)).size).toBe(3);

    const one: any = await iam.listAgencies(new v3.ListAgenciesRequest(domainId).withName('ims_agency'));
    expect(one.agencies).toEqual([expect.objectContaining({ name: 'ims_agency' })]);
    const missing: any = await iam.listAgencies(new v3.ListAgenciesRequest(domainId).withName('absent'));
    expect(missing.agencies).toEqual([]);

    const refused = await iam.listAgencies(new v3.ListAgenciesRequest('f'.repeat(32))).catch((e: unknown) => e);
    expect(refused).toMatchObject({ httpStatusCode: 403 });
  });

  it('sdk-core finds the domain itself (a client with a region and no domain ID) through KeystoneListAuthDomains', async () => {
    // A fresh AK cache key: sdk-core caches the discovered domain per AK and region.
    const region = new Region('emulator-iam-discovery', emu.url);
    const cred = new GlobalCredentials().withAk(AK).withSk(SK).withIamEndpoint(emu.url);
    const discovering: any = v3.IamClient.newBuilder().withCredential(cred).withRegion(region).build();
    const res: any = await discovering.listAgencies(new v3.ListAgenciesRequest(domainId));
    expect(res.agencies.length).toBeGreaterThan(0);
    expect(cred.domainId).toBe(domainId);
  });

  it('a wrong secret key is refused through the SDK with the gateway\'s 401 APIGW.0301', async () => {
    const bad: any = v3.IamClient.newBuilder().withCredential(new GlobalCredentials().withAk(AK).withSk('wrong-secret').withDomainId(domainId)).withEndpoint(emu.url).build();
    const err = await bad.keystoneListAuthDomains(new v3.KeystoneListAuthDomainsRequest()).catch((e: unknown) => e);
    expect(err).toMatchObject({ httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: expect.stringMatching(/verify aksk signature fail/) });
  });
});
