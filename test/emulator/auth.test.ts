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
