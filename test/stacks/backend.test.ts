import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { synthImage } from '../support/synth.js';
import { stateBackendFromEnv, versionedBackend } from '../../stacks/backend.js';
import { isUserError } from '../../stacks/errors.js';

describe('state backend', () => {
  it('defaults to local state, one folder per image version', () => {
    const backend = versionedBackend(stateBackendFromEnv({}), 'demo', '1.0.0');
    expect(backend).toEqual({ kind: 'local', dir: '.image-factory/state/demo/1.0.0' });
    const { builder } = synthImage(makeImage(), { backend });
    expect(builder.terraform.backend).toEqual({ local: { path: '../../../.image-factory/state/demo/1.0.0/demo-builder.tfstate' } });
  });

  it('with a bucket, uses the S3 backend on OBS with the S3-native lock and no credentials', () => {
    const env = { IMAGE_FACTORY_STATE_BUCKET: 'factory-state', IMAGE_FACTORY_STATE_REGION: 'ap-southeast-3', HW_ACCESS_KEY: 'AKSECRET', HW_SECRET_KEY: 'SKSECRET' };
    const backend = versionedBackend(stateBackendFromEnv(env), 'demo', '1.0.0');
    const { release, builder } = synthImage(makeImage(), { backend });
    expect(release.terraform.backend.s3).toEqual({
      bucket: 'factory-state',
      key: 'image-factory/demo/1.0.0/demo-release.tfstate',
      region: 'ap-southeast-3',
      endpoints: { s3: 'https://obs.ap-southeast-3.myhuaweicloud.com' },
      skip_region_validation: true,
      skip_credentials_validation: true,
      skip_metadata_api_check: true,
      skip_requesting_account_id: true,
      skip_s3_checksum: true,
      use_path_style: false,
      use_lockfile: true,
    });
    const text = JSON.stringify([release, builder]);
    expect(text).not.toMatch(/AKSECRET|SKSECRET|access_key|secret_key/);
  });

  it('can turn the lock off, and needs a region for the bucket', () => {
    const b = stateBackendFromEnv({ IMAGE_FACTORY_STATE_BUCKET: 'b', HW_REGION_NAME: 'eu-west-101', IMAGE_FACTORY_STATE_LOCK: 'none' });
    expect(b).toMatchObject({ kind: 'obs', region: 'eu-west-101', lock: 'none' });
    const { release } = synthImage(makeImage(), { backend: b });
    expect(release.terraform.backend.s3.use_lockfile).toBeUndefined();
    expect(release.terraform.backend.s3.endpoints.s3).toBe('https://obs.eu-west-101.myhuaweicloud.eu');
    const err = (() => { try { stateBackendFromEnv({ IMAGE_FACTORY_STATE_BUCKET: 'b' }); } catch (e) { return e; } })();
    expect(isUserError(err)).toBe(true);
  });
});
