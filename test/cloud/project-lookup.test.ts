/**
 * Without HW_PROJECT_ID the region's project is looked up with a signed, read-only IAM call;
 * never created (sdk-core's own lookup falls back to KeystoneCreateProject).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import { HuaweiPreflight } from '../../scripts/cloud/huawei-preflight.js';

const PROJECT = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const AK = 'TESTACCESSKEY0000009';
const SK = 'test-secret-key-never-logged';

describe('project lookup against a local IAM', () => {
  let server: Server;
  let endpoint: string;
  const seen: { method: string; url: string; auth: string; projectHeader?: string; domainHeader?: string }[] = [];
  let projects: { id: string; name: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: String(req.headers.authorization), projectHeader: req.headers['x-project-id'] as string | undefined, domainHeader: req.headers['x-domain-id'] as string | undefined });
        const url = new URL(req.url!, 'http://localhost');
        res.setHeader('content-type', 'application/json');
        if (url.pathname === '/v3/projects' && req.method === 'GET') {
          const name = url.searchParams.get('name');
          // Like IAM, the name filter is applied; sub-projects (<region>_<name>) are separate names.
          res.end(JSON.stringify({ projects: projects.filter((p) => !name || p.name === name || p.name.startsWith(`${name}_`)) }));
        } else if (url.pathname === '/v3/projects') {
          res.statusCode = 201;
          res.end(JSON.stringify({ project: { id: 'created-by-mistake', name: 'x' } }));
        } else if (url.pathname === '/v3/regions') {
          res.end(JSON.stringify({ regions: [{ id: 'ap-southeast-3', type: 'public' }, { id: 'af-south-1', type: 'public' }] }));
        } else if (url.pathname === '/v3.0/OS-AGENCY/agencies') {
          res.end(JSON.stringify({ agencies: url.searchParams.get('domain_id') === 'domain-1' ? [{ name: 'ims_agency', domain_id: 'domain-1' }] : [] }));
        } else if (url.pathname === '/v3/auth/domains') {
          res.end(JSON.stringify({ domains: [{ id: 'domain-1', name: 'acme' }] }));
        } else {
          res.end(JSON.stringify({ server: { id: 'srv-1', status: 'ACTIVE' } }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
  });

  const api = () => new HuaweiApi({ accessKey: AK, secretKey: SK }, { endpoint: { baseUrl: endpoint, insecure: false } });

  it('finds the project by exact name with one signed GET, once per region', async () => {
    projects = [{ id: 'sub-1', name: 'ap-southeast-3_team' }, { id: PROJECT, name: 'ap-southeast-3' }];
    const a = api();
    await a.request('ecs', 'ap-southeast-3', { method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}', params: { server_id: 'srv-1' } });
    await a.request('ims', 'ap-southeast-3', { method: 'GET', path: '/v2/cloudimages' });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v3/projects?name=ap-southeast-3', `GET /v1/${PROJECT}/cloudservers/srv-1`, 'GET /v2/cloudimages']);
    expect(seen[0].auth).toMatch(new RegExp(`^SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
    expect(seen[0].projectHeader).toBeUndefined();
    expect(seen[2].projectHeader).toBe(PROJECT);
  });

  it('a region without its project is a clear error, and nothing is created', async () => {
    projects = [{ id: 'sub-1', name: 'af-south-1_team' }];
    const err = await api().request('ecs', 'af-south-1', { method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}', params: { server_id: 'srv-1' } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^ecs GET \/v1\/\{project_id\}\/cloudservers\/\{server_id\} in af-south-1: no IAM project named "af-south-1" for this account \(found only af-south-1_team\).*HW_PROJECT_ID.*never created/);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v3/projects?name=af-south-1']);
  });

  it('the IAM agency check is signed with domain credentials (X-Domain-Id), never a project', async () => {
    projects = [{ id: PROJECT, name: 'ap-southeast-3' }];
    const preflight = new HuaweiPreflight(api(), { accessKey: AK, secretKey: SK }, 'ap-southeast-3');
    expect(await preflight.agencyExists('ims_agency')).toBe(true);
    expect(await preflight.agencyExists('other')).toBe(false);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v3/auth/domains',
      'GET /v3.0/OS-AGENCY/agencies?domain_id=domain-1&name=ims_agency',
      'GET /v3.0/OS-AGENCY/agencies?domain_id=domain-1&name=other',
    ]);
    for (const r of seen) {
      expect(r.projectHeader).toBeUndefined();
      expect(r.auth).toMatch(/^SDK-HMAC-SHA256 Access=TESTACCESSKEY0000009, /);
    }
    expect(seen[0].domainHeader).toBeUndefined();
    expect(seen[1].domainHeader).toBe('domain-1');
  });

  it('HW_DOMAIN_ID skips the domain lookup', async () => {
    const preflight = new HuaweiPreflight(api(), { accessKey: AK, secretKey: SK, domainId: 'domain-1' }, 'ap-southeast-3');
    expect(await preflight.agencyExists('ims_agency')).toBe(true);
    expect(seen.map((r) => `${r.url} ${r.domainHeader}`)).toEqual(['/v3.0/OS-AGENCY/agencies?domain_id=domain-1&name=ims_agency domain-1']);
  });
});
