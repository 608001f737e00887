/**
 * The emulator's proxy mode, with real TLS clients: the factory's own signed client (tunnelling
 * through CONNECT, verifying against the emulator's CA) reaches IMS on its default per-region
 * hosts, the region read from the host; curl does the same; a client without the CA is refused
 * by its own TLS check; a CONNECT to any other host gets 403. With terraform on PATH, its S3
 * backend keeps state on the default OBS endpoint (virtual-hosted bucket host) through the proxy,
 * with the environment the Terraform deployer gives it (terraformProxyEnv): Go's proxy and TLS
 * path end to end, which the huaweicloud provider shares.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBucket, obsBackendJson } from '../support/obs-state.js';
import { spawnAsync } from '../support/spawn-async.js';
import { HuaweiApi, HuaweiApiError } from '../../scripts/cloud/huawei-api.js';
import { TunnelAgent } from '../../scripts/cloud/proxy-agent.js';
import { createEmulator, type Emulator } from '../../scripts/emulator/server.js';
import { proxyCertificates } from '../../scripts/emulator/tls.js';
import { ENDPOINT_VAR, PROXY_CA_VAR, PROXY_VAR, proxyFromEnv, terraformProxyEnv, type ProxyRoute } from '../../stacks/endpoint.js';
import { UserError } from '../../stacks/errors.js';
import { AK, SK } from './support.js';

const curlAvailable = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
const terraformAvailable = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

const run = spawnAsync;

/** CONNECT answered by the proxy: its status line only. */
function connectStatus(proxyUrl: string, authority: string): Promise<number> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority });
    req.once('connect', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('emulator proxy mode', () => {
  let emulator: Emulator;
  let certDir: string;
  let route: ProxyRoute;
  const api = () => new HuaweiApi({ accessKey: AK, secretKey: SK }, { proxy: route, retry: { attempts: 1 } });

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'emulator-proxy-test-'));
    emulator = await createEmulator({ credentials: { [AK]: SK }, proxy: { certDir } });
    route = proxyFromEnv({ [PROXY_VAR]: emulator.proxy!.url, [PROXY_CA_VAR]: emulator.proxy!.caFile })!;
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('serves IMS on its default hosts in two regions, the region taken from the host, over TLS verified against its CA', async () => {
    // A private image in af-south-1 only: a copy of one of its public images.
    const images = emulator.account.collection<Record<string, any>>('af-south-1', 'images');
    const seed = Object.values(images)[0];
    images['proxy-probe-image'] = { ...seed, id: 'proxy-probe-image', name: 'proxy-probe', imagetype: 'private', tags: {} };
    // Domain-level signing sends no X-Project-Id: nothing but the host names the region.
    const list = (region: string) => api().requestGlobal<{ images: { name: string }[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private' } });
    expect((await list('af-south-1')).images.map((i) => i.name)).toEqual(['proxy-probe']);
    expect((await list('ap-southeast-3')).images).toEqual([]);
    // A project-scoped call: the project lookup on iam.<region>.myhuaweicloud.com, then IMS.
    const quota = await api().request<{ quotas: { resources: { type: string; used: number }[] } }>('ims', 'af-south-1', { method: 'GET', path: '/v1/cloudimages/quota' });
    expect(quota.quotas.resources.find((r) => r.type === 'image')?.used).toBe(1);
  });

  it('is refused by a client that does not trust its CA (TLS is verified, not skipped)', async () => {
    const untrusting = new HuaweiApi({ accessKey: AK, secretKey: SK }, { proxy: { url: route.url }, retry: { attempts: 1 } });
    const err = await untrusting.requestGlobal('ims', 'ap-southeast-3', { method: 'GET', path: '/v2/cloudimages' }).catch((e) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    expect(err.status).toBeUndefined();
    expect(err.message).toMatch(/unable to verify the first certificate|unable to get local issuer certificate/);
  });

  it('refuses CONNECT to any host but Huawei Cloud\'s on port 443', async () => {
    const url = emulator.proxy!.url;
    expect(await connectStatus(url, 'registry.terraform.io:443')).toBe(403);
    expect(await connectStatus(url, 'myhuaweicloud.com.example.org:443')).toBe(403);
    expect(await connectStatus(url, 'ecs.ap-southeast-3.myhuaweicloud.com:80')).toBe(403);
    expect(await connectStatus(url, '127.0.0.1:443')).toBe(403);
    expect(await connectStatus(url, 'ecs.ap-southeast-3.myhuaweicloud.com:443')).toBe(200);
    // The factory's client says which proxy refused what.
    const agent = new TunnelAgent({ url, ca: route.caPem });
    const err = await new Promise<Error>((resolve) => {
      const req = httpsRequest({ host: 'example.com', port: 443, agent, path: '/' });
      req.once('error', resolve);
      req.end();
    });
    expect(err.message).toBe(`the proxy ${url} refused CONNECT example.com:443: HTTP 403 Forbidden`);
  });

  it('survives clients that reset a refused or an accepted tunnel', async () => {
    const port = Number(new URL(emulator.proxy!.url).port);
    for (const target of ['example.com:443', 'ims.ap-southeast-3.myhuaweicloud.com:443']) {
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => {
          s.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
          s.once('data', () => {
            s.resetAndDestroy();
            resolve();
          });
        });
      });
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(await connectStatus(emulator.proxy!.url, 'ims.ap-southeast-3.myhuaweicloud.com:443')).toBe(200);
  });

  it.skipIf(!curlAvailable)('answers curl through the proxy with the CA (an unsigned call meets the gateway\'s 401), and curl without the CA refuses the certificate', async () => {
    const host = 'https://iam.af-south-1.myhuaweicloud.com/v3/projects';
    const ok = await run('curl', ['-sS', '--proxy', route.url, '--cacert', route.caFile!, '-w', '\n%{http_code}', host]);
    expect(ok.stderr).toBe('');
    const [body, status] = ok.stdout.split('\n');
    expect(status).toBe('401');
    expect(JSON.parse(body)).toMatchObject({ error_code: 'APIGW.0301' });
    const otherCa = mkdtempSync(join(tmpdir(), 'emulator-proxy-other-ca-'));
    const bad = await run('curl', ['-sS', '--proxy', route.url, '--cacert', proxyCertificates(otherCa, []).caFile, host]);
    rmSync(otherCa, { recursive: true, force: true });
    expect(bad.status).toBe(60); // curl: peer certificate cannot be authenticated with known CA certificates
  });

  it('keeps its CA across restarts in the same folder, with a new server certificate', () => {
    const before = readFileSync(route.caFile!, 'utf8');
    const again = proxyCertificates(certDir, ['ap-southeast-3']);
    expect(again.caPem).toBe(before);
    expect(again.cert).not.toContain(before);
  });

  describe.skipIf(!terraformAvailable)('terraform\'s S3 backend through the proxy', () => {
    const BUCKET = 'image-factory-state';
    const KEY_PREFIX = 'image-factory/nginx/1.0.0';
    const STACK = 'nginx-builder';
    const KEY = `${KEY_PREFIX}/${STACK}.tfstate`;
    let dir: string;
    afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('keeps state on the default OBS endpoint (bucket.obs.<region>.myhuaweicloud.com) with the proxy environment the deployer gives terraform', async () => {
      expect(await createBucket(emulator.url, BUCKET, AK, SK)).toBe(200);

      dir = mkdtempSync(join(tmpdir(), 'emulator-proxy-tf-'));
      // The backend stacks/backend.ts writes without IMAGE_FACTORY_ENDPOINT: the real endpoint, virtual-hosted.
      writeFileSync(join(dir, 'backend.tf.json'), obsBackendJson({ bucket: BUCKET, keyPrefix: KEY_PREFIX, stackName: STACK }));
      writeFileSync(join(dir, 'main.tf'), `resource "terraform_data" "server" {
  input = "through the proxy"
}
`);
      const env = { ...process.env, AWS_ACCESS_KEY_ID: AK, AWS_SECRET_ACCESS_KEY: SK, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...terraformProxyEnv(route, {}) };
      const tf = (...args: string[]) => run('terraform', args, { cwd: dir, env });
      const init = await tf('init', '-input=false', '-no-color');
      // (stderr may carry this machine's warnings about its CLI configuration, never an error)
      expect(init.stderr).not.toMatch(/Error/);
      expect(init.status).toBe(0);
      const apply = await tf('apply', '-auto-approve', '-input=false', '-no-color');
      expect(apply.stderr).not.toMatch(/Error/);
      expect(apply.status).toBe(0);
      const stored = emulator.account.data.buckets[BUCKET].objects[KEY];
      expect(stored).toBeDefined();
      const state = JSON.parse(Buffer.from((stored as { body: string }).body, 'base64').toString('utf8'));
      expect(state.resources.map((r: { type: string }) => r.type)).toEqual(['terraform_data']);
      // Trusting another CA, Go's TLS check refuses the emulator's certificate (one attempt: the
      // AWS SDK would otherwise retry the refusal with backoff).
      const otherCa = mkdtempSync(join(tmpdir(), 'emulator-proxy-other-ca-'));
      const untrusted = await run('terraform', ['init', '-input=false', '-no-color', '-reconfigure', '-backend-config=max_retries=0'], { cwd: dir, env: { ...env, ...terraformProxyEnv({ ...route, caFile: proxyCertificates(otherCa, []).caFile }, {}) } });
      rmSync(otherCa, { recursive: true, force: true });
      expect(untrusted.status).not.toBe(0);
      expect(untrusted.stderr).toMatch(/certificate signed by unknown authority/);
    }, 180_000);
  });
});

describe('IMAGE_FACTORY_PROXY', () => {
  it('is read with its CA, and is exclusive with IMAGE_FACTORY_ENDPOINT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-env-'));
    try {
      const ca = proxyCertificates(dir, []).caFile;
      expect(proxyFromEnv({})).toBeUndefined();
      expect(proxyFromEnv({ [PROXY_VAR]: 'http://127.0.0.1:4000/', [PROXY_CA_VAR]: ca })).toMatchObject({ url: 'http://127.0.0.1:4000', caFile: ca });
      // A relative CA path (as a pasted export line may hold) is made absolute against the folder it was given in:
      // Terraform, which gets it as SSL_CERT_FILE, runs in another folder.
      expect(proxyFromEnv({ [PROXY_VAR]: 'http://127.0.0.1:4000', [PROXY_CA_VAR]: relative(dirname(dir), ca) }, dirname(dir))).toMatchObject({ caFile: ca });
      expect(terraformProxyEnv(proxyFromEnv({ [PROXY_VAR]: 'http://127.0.0.1:4000', [PROXY_CA_VAR]: relative(dirname(dir), ca) }, dirname(dir)), {}).SSL_CERT_FILE).toBe(ca);
      expect(() => proxyFromEnv({ [PROXY_VAR]: 'http://127.0.0.1:4000', [ENDPOINT_VAR]: 'http://127.0.0.1:4000' })).toThrow(UserError);
      expect(() => proxyFromEnv({ [PROXY_CA_VAR]: ca })).toThrow(/needs IMAGE_FACTORY_PROXY/);
      expect(() => proxyFromEnv({ [PROXY_VAR]: 'https://proxy:443' })).toThrow(/expected http:\/\/host:port/);
      expect(() => proxyFromEnv({ [PROXY_VAR]: 'http://127.0.0.1:4000', [PROXY_CA_VAR]: join(dir, 'missing.pem') })).toThrow(/cannot read .*missing\.pem \(ENOENT\)/);
      writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\n');
      expect(() => proxyFromEnv({ [PROXY_VAR]: 'http://127.0.0.1:4000', [PROXY_CA_VAR]: join(dir, 'key.pem') })).toThrow(/holds no PEM certificate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives terraform the proxy, the CA and a NO_PROXY that cannot bypass the cloud\'s hosts', () => {
    expect(terraformProxyEnv(undefined)).toEqual({});
    const env = terraformProxyEnv({ url: 'http://127.0.0.1:4000', caFile: '/tmp/ca.pem' }, { NO_PROXY: 'localhost,.myhuaweicloud.com,*,internal.example,ecs.ap-southeast-3.myhuaweicloud.com,.com' });
    expect(env).toEqual({
      HTTPS_PROXY: 'http://127.0.0.1:4000', https_proxy: 'http://127.0.0.1:4000',
      SSL_CERT_FILE: '/tmp/ca.pem', OS_CACERT: '/tmp/ca.pem', AWS_CA_BUNDLE: '/tmp/ca.pem',
      NO_PROXY: 'registry.terraform.io,releases.hashicorp.com,github.com,.githubusercontent.com,localhost,internal.example',
      no_proxy: 'registry.terraform.io,releases.hashicorp.com,github.com,.githubusercontent.com,localhost,internal.example',
    });
  });
});
