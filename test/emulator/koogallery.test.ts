/** KooGallery's deployed-object lookup answers from the account's configured assets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import { endpointOverrideFromEnv } from '../../stacks/endpoint.js';
import { startEmulator, type TestEmulator } from './support.js';

describe('emulator KooGallery', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
    await emu.config({ assets: { 'asset-nginx': { version: 'V1.0.0', images: { 'ap-southeast-3': 'img-ap3', 'af-south-1': 'img-af1' } } } });
  });
  afterAll(() => emu.close());

  const lookup = (query: Record<string, string>) => new HuaweiApi(emu.credentials, { endpoint: endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: emu.url }) })
    .requestGlobal<any>('vpc', 'ap-southeast-3', { method: 'GET', path: '/api/mkp-openapi-public/v1/asset/deployed-object', query });

  it('answers the image of the asset in the asked region, in the shape the provider parses', async () => {
    const res = await lookup({ asset_id: 'asset-nginx', deployed_type: 'image', region: 'af-south-1', asset_version: 'V1.0.0' });
    expect(res.data).toEqual([expect.objectContaining({
      asset_id: 'asset-nginx', deployed_type: 'image', version: 'V1.0.0', region: 'af-south-1',
      image_deployed_object: expect.objectContaining({ image_id: 'img-af1' }),
    })]);
  });

  it('answers an empty list for an unknown asset, another version, region or deployed type', async () => {
    for (const q of <Record<string, string>[]>[
      { asset_id: 'nope', deployed_type: 'image', region: 'af-south-1' },
      { asset_id: 'asset-nginx', deployed_type: 'image', region: 'af-south-1', asset_version: 'V2.0.0' },
      { asset_id: 'asset-nginx', deployed_type: 'image', region: 'eu-west-101' },
      { asset_id: 'asset-nginx', deployed_type: 'software_package', region: 'af-south-1' },
    ]) expect((await lookup(q)).data).toEqual([]);
  });

  it('refuses a lookup without asset_id with 400', async () => {
    await expect(lookup({ deployed_type: 'image' })).rejects.toMatchObject({ status: 400 });
  });
});
