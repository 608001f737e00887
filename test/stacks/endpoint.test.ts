/**
 * IMAGE_FACTORY_ENDPOINT in the synthesized stacks: unset, the output is byte-for-byte what it
 * was before the override existed; set, every provider and the OBS state backend point at it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFactoryApp } from '../../stacks/app.js';
import { stateBackendFromEnv, versionedBackend, type StateBackend } from '../../stacks/backend.js';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { PROVIDER_ENDPOINT_KEYS, endpointOverrideFromEnv, type EndpointOverride } from '../../stacks/endpoint.js';
import { isUserError } from '../../stacks/errors.js';
import { checkAgainstSchema } from '../../stacks/schema-check.js';
import { TEST_CONTEXT } from '../support/synth.js';

const root = join(import.meta.dirname, '..', '..');
const nginx = await loadNamedImage(join(root, 'images'), 'nginx', root);
const OBS: StateBackend = { kind: 'obs', bucket: 'factory-state', region: 'ap-southeast-3' };

/** Every stack of images/nginx: builder, release, tester and copy-<region> per target region. */
function synthNginx(backend?: StateBackend, endpoint?: EndpointOverride): Record<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'image-factory-endpoint-'));
  const { app } = createFactoryApp({ images: [nginx], context: TEST_CONTEXT, outdir, backend: backend && versionedBackend(backend, 'nginx', nginx.spec.buildVersion), endpoint });
  app.synth();
  const read = (kind: string) => readFileSync(join(outdir, 'stacks', `nginx-${kind}`, 'cdk.tf.json'), 'utf8');
  // No copy stacks with the override: the provider cannot copy through it.
  const kinds = ['builder', 'release', 'tester', ...(endpoint ? [] : nginx.spec.targetRegions.map((r) => `copy-${r}`))];
  return Object.fromEntries(kinds.map((k) => [k, read(k)]));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * sha256 of images/nginx's cdk.tf.json, synthesized with TEST_CONTEXT. First taken on c317c5d,
 * the commit before IMAGE_FACTORY_ENDPOINT existed; retaken for issue #12, whose only changes
 * to this output were reviewed by diff: stack inputs default to "" with a precondition on an output, and the
 * stacks sit under an ImageProduct construct (metadata paths; resource addresses unchanged),
 * and images/nginx's step scripts edited (a comment's citation, a loop variable for shellcheck);
 * retaken when the copies moved to a stack per region (release: the image and its `image_id`
 * output only; tester: its input's description names that output; builder unchanged), and when
 * the builder and tester ECS stopped releasing their EIP themselves (delete_eip_on_termination),
 * and when selfcheck.sh (in the builder's and tester's user_data) followed absolute symlinks inside --root.
 * and when plan.tsv gained sha256 rows for the guest scripts and selfcheck.sh the audit checks (issue 21),
 * and when plan.tsv gained port rows and the guest scripts the first-boot audit (issue 21).
 * A change to the nginx definition, the stacks or cdktf changes them too: recompute them then,
 * on a commit without the override's code paths.
 */
const BEFORE_OVERRIDE = {
  local: {
    builder: '4fcf0439c08459a8202eab8e16cce29aef804e28006b0ef3bf2f2bd3ead9de4c',
    release: '75bec4f1d71309b1c4ac2586a70f0789890fb6f5ffa5bae6472ce2083ccc4fa4',
    tester: '787a658168cd98a0e1696286a5af4bd2b5a97298b4dd7e8163c602a84172759a',
    'copy-ap-southeast-2': '1c5ac0377a70b69851a2fe8ef50d2c7ec1a8cb214af1f1c44a890084ed1d2aec',
    'copy-af-south-1': 'acbad9ddad7428c287510d818f943c97009ac1c8b2cc4051133cde1896e948e8',
  },
  obs: {
    builder: 'e90da9f1420573a67328319f424f600ff86f66e9f5b017348a28ceb8691a12a8',
    release: 'c7ad9fec80fc788fe26f3239d0ff0d6730394ad590a2b48a9ec9a8c54f3c4388',
    tester: '7c00eafad76b952eaa2892f456197cede0c950a665899c31d7fae62490c379b6',
    'copy-ap-southeast-2': '7a07d2cffd723ed6e97faa5cee571ec3491ab84ba5da423f568319acb8fd26c5',
    'copy-af-south-1': 'c0b48860927fdb52e21e7c88a6073f46b38f8ff3b6b052a83305bd7f32b4a003',
  },
};

const hashes = (out: Record<string, string>) => Object.fromEntries(Object.entries(out).map(([k, v]) => [k, sha256(v)]));

describe('IMAGE_FACTORY_ENDPOINT unset', () => {
  it('synthesizes the nginx stacks byte-identical to the output before the override (local and OBS state)', () => {
    const endpoint = endpointOverrideFromEnv({});
    expect(endpoint).toBeUndefined();
    expect(hashes(synthNginx(undefined, endpoint))).toEqual(BEFORE_OVERRIDE.local);
    expect(hashes(synthNginx(OBS, endpoint))).toEqual(BEFORE_OVERRIDE.obs);
  });
});

describe('IMAGE_FACTORY_ENDPOINT set', () => {
  const base = 'http://127.0.0.1:8080';
  const endpoint = endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: `${base}/` })!;
  const out = synthNginx(OBS, endpoint);
  const stacks = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, JSON.parse(v)])) as Record<string, any>;

  it.each(['builder', 'release', 'tester'])('%s: the provider sends every service, IAM auth and the state to the base URL, path-style', (kind) => {
    const provider = stacks[kind].provider.huaweicloud[0];
    expect(provider).toEqual({
      region: nginx.spec.buildRegion,
      auth_url: `${base}/v3`,
      endpoints: Object.fromEntries(PROVIDER_ENDPOINT_KEYS.map((k) => [k, `${base}/`])),
    });
    expect(provider.insecure).toBeUndefined();
    expect(stacks[kind].terraform.backend.s3).toMatchObject({ endpoints: { s3: base }, use_path_style: true });
    expect(stacks[kind].terraform.backend.s3.insecure).toBeUndefined();
    expect(checkAgainstSchema(stacks[kind])).toEqual([]);
    // Nothing is left for the public cloud: no hostname of it anywhere in the configuration.
    expect(out[kind as 'builder']).not.toMatch(/myhuaweicloud/);
  });

  it('synthesizes no copy stacks (the provider refuses target-region clients with custom endpoints), and refuses asked-for copies', () => {
    expect(Object.keys(out).sort()).toEqual(['builder', 'release', 'tester']);
    expect(() => createFactoryApp({ images: [nginx], context: TEST_CONTEXT, outdir: mkdtempSync(join(tmpdir(), 'image-factory-endpoint-')), endpoint, copyRegions: { nginx: ['ap-southeast-2'] } }))
      .toThrow(/images\/nginx\/image\.ts: copies to ap-southeast-2 cannot be made through IMAGE_FACTORY_ENDPOINT/);
  });

  it('covers the provider service of every resource and data source the stacks use', () => {
    // huaweicloud/config/endpoints.go keys, per type (see PROVIDER_ENDPOINT_KEYS for the sources).
    const serviceOf: Record<string, string[]> = {
      huaweicloud_compute_instance: ['ecs', 'ims', 'vpc', 'evs'],
      huaweicloud_compute_eip_associate: ['ecs', 'vpc'],
      huaweicloud_ims_ecs_system_image: ['ims'],
      huaweicloud_images_image_copy: ['ims'],
      huaweicloud_images_image: ['ims'],
      huaweicloud_vpc: ['vpc'],
      huaweicloud_vpc_subnet: ['vpc', 'dns'],
      huaweicloud_vpc_eip: ['vpc', 'bss'],
      huaweicloud_networking_secgroup: ['vpc'],
      huaweicloud_networking_secgroup_rule: ['vpc'],
      huaweicloud_availability_zones: ['ecs'],
      huaweicloud_compute_flavors: ['ecs'],
      // Provider configuration itself: GET /v3/auth/domains (IAM), GET /v2/products/service-types (BSS).
      provider: ['iam', 'bss'],
    };
    const used = new Set(['provider', ...Object.values(stacks).flatMap((s) => [...Object.keys(s.resource ?? {}), ...Object.keys(s.data ?? {})])]);
    for (const type of used) {
      expect(serviceOf[type], `${type} has no endpoint key listed here`).toBeDefined();
      for (const key of serviceOf[type]) expect(PROVIDER_ENDPOINT_KEYS).toContain(key);
    }
  });

  it('an https endpoint skips TLS verification only with IMAGE_FACTORY_ENDPOINT_INSECURE=1', () => {
    const https = endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: 'https://10.0.0.5:8443/gw' })!;
    expect(https).toEqual({ baseUrl: 'https://10.0.0.5:8443/gw', insecure: false });
    const strict = JSON.parse(synthNginx(OBS, https).release);
    expect(strict.provider.huaweicloud[0].insecure).toBeUndefined();
    expect(strict.provider.huaweicloud[0].endpoints.ecs).toBe('https://10.0.0.5:8443/gw/');
    const selfSigned = endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: 'https://10.0.0.5:8443/gw', IMAGE_FACTORY_ENDPOINT_INSECURE: '1' })!;
    const loose = JSON.parse(synthNginx(OBS, selfSigned).release);
    expect(loose.provider.huaweicloud[0].insecure).toBe(true);
    expect(loose.terraform.backend.s3).toMatchObject({ endpoints: { s3: 'https://10.0.0.5:8443/gw' }, insecure: true, use_path_style: true });
    expect(checkAgainstSchema(loose)).toEqual([]);
  });

  it('IMAGE_FACTORY_STATE_ENDPOINT, more specific, still decides where the state bucket is', () => {
    const backend = stateBackendFromEnv({ IMAGE_FACTORY_STATE_BUCKET: 'b', IMAGE_FACTORY_STATE_REGION: 'ap-southeast-3', IMAGE_FACTORY_STATE_ENDPOINT: 'https://obs.internal.example' });
    const release = JSON.parse(synthNginx(backend, endpoint).release);
    expect(release.terraform.backend.s3).toMatchObject({ endpoints: { s3: 'https://obs.internal.example' }, use_path_style: false });
    expect(release.provider.huaweicloud[0].endpoints.ims).toBe(`${base}/`);
  });
});

describe('reading the override', () => {
  const error = (env: NodeJS.ProcessEnv) => {
    try {
      endpointOverrideFromEnv(env);
    } catch (e) {
      expect(isUserError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  it('normalizes the base URL and keeps a path prefix', () => {
    expect(endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: ' http://localhost:9000/api/ ' })).toEqual({ baseUrl: 'http://localhost:9000/api', insecure: false });
    expect(endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: '', IMAGE_FACTORY_ENDPOINT_INSECURE: '0' })).toBeUndefined();
  });

  it('the old name is an error that says to rename it', () => {
    expect(error({ IMAGE_FACTORY_API_ENDPOINT: 'http://127.0.0.1:1' })).toMatch(/^IMAGE_FACTORY_API_ENDPOINT was renamed IMAGE_FACTORY_ENDPOINT, which now also points Terraform.*rename/);
    expect(error({ IMAGE_FACTORY_API_ENDPOINT: 'http://127.0.0.1:1', IMAGE_FACTORY_ENDPOINT: 'http://127.0.0.1:2' })).toMatch(/was renamed/);
    // Both names with one value, as a script may set during the rename, is that value.
    expect(endpointOverrideFromEnv({ IMAGE_FACTORY_API_ENDPOINT: 'http://127.0.0.1:1', IMAGE_FACTORY_ENDPOINT: 'http://127.0.0.1:1' })).toEqual({ baseUrl: 'http://127.0.0.1:1', insecure: false });
  });

  it('rejects what is not a base URL, and INSECURE where it means nothing', () => {
    expect(error({ IMAGE_FACTORY_ENDPOINT: '127.0.0.1:8080' })).toMatch(/expected an http or https URL|expected a base URL/);
    expect(error({ IMAGE_FACTORY_ENDPOINT: 'ftp://host' })).toMatch(/expected an http or https URL/);
    expect(error({ IMAGE_FACTORY_ENDPOINT: 'http://u:p@host' })).toMatch(/without credentials/);
    expect(error({ IMAGE_FACTORY_ENDPOINT: 'http://127.0.0.1:8080', IMAGE_FACTORY_ENDPOINT_INSECURE: '1' })).toMatch(/https endpoint only/);
    expect(error({ IMAGE_FACTORY_ENDPOINT_INSECURE: '1' })).toMatch(/needs IMAGE_FACTORY_ENDPOINT/);
    expect(error({ IMAGE_FACTORY_ENDPOINT: 'https://h', IMAGE_FACTORY_ENDPOINT_INSECURE: 'maybe' })).toMatch(/expected 1 or 0/);
  });
});
