import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { UserError } from './errors.js';
import type { EndpointOverride } from './endpoint.js';

/**
 * Where a stack keeps its Terraform state.
 *
 * - `local`: a folder outside cdktf.out, so a re-synth never loses state (the default).
 * - `obs`: Huawei OBS through Terraform's S3 backend (OBS speaks the S3 API). Credentials are
 *   never part of the configuration: Terraform reads them from AWS_ACCESS_KEY_ID /
 *   AWS_SECRET_ACCESS_KEY, which the deployer sets for the terraform process only, from
 *   HW_ACCESS_KEY / HW_SECRET_KEY.
 *
 * The pipeline gives every image version its own state folder/key prefix
 * (`<image>/<version>/<stack>.tfstate`): building version 1.1.0 must not plan changes against
 * the resources of 1.0.0 (the release stack would otherwise rename or replace the old image).
 */
export type StateBackend =
  | { readonly kind: 'local'; readonly dir: string }
  | {
    readonly kind: 'obs';
    readonly bucket: string;
    /** OBS region of the bucket, e.g. ap-southeast-3. */
    readonly region: string;
    /** @default https://obs.<region>.myhuaweicloud.com (…myhuaweicloud.eu for EU regions) */
    readonly endpoint?: string;
    /** Object key prefix, without trailing slash. @default image-factory */
    readonly keyPrefix?: string;
    /**
     * State locking. `lockfile` is Terraform's S3-native lock (`use_lockfile`, Terraform >= 1.10):
     * a `<key>.tflock` object created with a conditional write. OBS has no DynamoDB, so this is
     * the only lock the S3 backend can take there. @default lockfile
     */
    readonly lock?: 'lockfile' | 'none';
  };

const DEFAULT_STATE_DIR = '.image-factory/state';
const DEFAULT_STATE_PREFIX = 'image-factory';

function obsEndpoint(region: string): string {
  return `https://obs.${region}.${region.startsWith('eu-') ? 'myhuaweicloud.eu' : 'myhuaweicloud.com'}`;
}

/** The same backend, scoped to one image version (its own state folder or key prefix). */
export function versionedBackend(backend: StateBackend, image: string, version: string): StateBackend {
  return backend.kind === 'local'
    ? { ...backend, dir: `${backend.dir}/${image}/${version}` }
    : { ...backend, keyPrefix: `${backend.keyPrefix ?? DEFAULT_STATE_PREFIX}/${image}/${version}` };
}

/**
 * The backend chosen by the environment: OBS when IMAGE_FACTORY_STATE_BUCKET is set (with
 * IMAGE_FACTORY_STATE_REGION, or HW_REGION_NAME, for its region), local state otherwise.
 */
export function stateBackendFromEnv(env: NodeJS.ProcessEnv = process.env, bucketFlag?: string): StateBackend {
  const bucket = bucketFlag ?? env.IMAGE_FACTORY_STATE_BUCKET;
  if (!bucket) return { kind: 'local', dir: env.IMAGE_FACTORY_STATE_DIR || DEFAULT_STATE_DIR };
  const region = env.IMAGE_FACTORY_STATE_REGION || env.HW_REGION_NAME;
  if (!region) throw new UserError(`the OBS state bucket "${bucket}" needs its region: set IMAGE_FACTORY_STATE_REGION (e.g. ap-southeast-3)`);
  const lock = env.IMAGE_FACTORY_STATE_LOCK ?? 'lockfile';
  if (lock !== 'lockfile' && lock !== 'none') throw new UserError(`IMAGE_FACTORY_STATE_LOCK: expected "lockfile" or "none", found "${lock}"`);
  return { kind: 'obs', bucket, region, endpoint: env.IMAGE_FACTORY_STATE_ENDPOINT || undefined, keyPrefix: env.IMAGE_FACTORY_STATE_PREFIX || undefined, lock };
}

/**
 * Local state by default, in one folder outside cdktf.out so a re-synth never loses it.
 * With IMAGE_FACTORY_ENDPOINT (and no IMAGE_FACTORY_STATE_ENDPOINT, which is more specific), the
 * OBS bucket is reached at that base URL, path-style: a loopback address or a gateway has no
 * bucket subdomains.
 */
export function configureBackend(stack: TerraformStack, stackName: string, backend: StateBackend = { kind: 'local', dir: DEFAULT_STATE_DIR }, endpoint?: EndpointOverride): void {
  if (backend.kind === 'local') {
    // Terraform runs in cdktf.out/stacks/<stack>; the path is relative to that folder.
    const path = backend.dir.startsWith('/') ? `${backend.dir}/${stackName}.tfstate` : `../../../${backend.dir}/${stackName}.tfstate`;
    new LocalBackend(stack, { path });
    return;
  }
  const overridden = !backend.endpoint && endpoint !== undefined;
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix ?? DEFAULT_STATE_PREFIX}/${stackName}.tfstate`,
    region: backend.region,
    endpoints: { s3: backend.endpoint ?? endpoint?.baseUrl ?? obsEndpoint(backend.region) },
    // OBS is not AWS: no AWS region list, no STS, no EC2 metadata, no account ID, and no
    // support for the flexible checksums newer AWS SDKs send by default.
    skipRegionValidation: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: true,
    skipRequestingAccountId: true,
    skipS3Checksum: true,
    // OBS serves virtual-hosted-style bucket URLs (bucket.obs.<region>.myhuaweicloud.com).
    usePathStyle: overridden,
    ...(overridden && endpoint.insecure ? { insecure: true } : {}),
  });
  // cdktf 0.21's S3BackendConfig predates `use_lockfile` (Terraform >= 1.10): set it directly.
  if ((backend.lock ?? 'lockfile') === 'lockfile') stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
