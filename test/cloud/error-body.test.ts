/**
 * Every error shape of Huawei Cloud's services, each from its API reference, read into one
 * service code and message (scripts/cloud/error-body.ts); then through HuaweiApi against a local
 * server, where sdk-core alone would say "Request failed with status code 403".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceErrorOf } from '../../scripts/cloud/error-body.js';
import { HuaweiApi, HuaweiApiError } from '../../scripts/cloud/huawei-api.js';
import { recordingServer, type RecordingServer } from '../support/signature.js';

describe('Huawei error bodies, every shape', () => {
  it('API Gateway and v3 APIs: error_code and error_msg (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html)', () => {
    expect(serviceErrorOf({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail', request_id: 'a1b2' }))
      .toEqual({ code: 'APIGW.0301', message: 'Incorrect IAM authentication information: verify aksk signature fail', requestId: 'a1b2' });
  });

  it('ECS and IMS: error.code and error.message (https://support.huaweicloud.com/intl/en-us/api-ecs/errorcode.html)', () => {
    expect(serviceErrorOf({ error: { code: 'Ecs.0114', message: 'Invalid image.' } })).toEqual({ code: 'Ecs.0114', message: 'Invalid image.' });
    expect(serviceErrorOf({ error: { code: 'IMG.0001', message: 'Image not found.' } })).toMatchObject({ code: 'IMG.0001' });
  });

  it('IAM Keystone: the HTTP status in error.code is not a service code', () => {
    expect(serviceErrorOf({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } }))
      .toEqual({ code: undefined, message: 'The request you have made requires authentication.' });
  });

  it('VPC and EIP: code and message (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_api_0003.html)', () => {
    expect(serviceErrorOf({ code: 'VPC.0002', message: 'Available zone Name is null.' })).toEqual({ code: 'VPC.0002', message: 'Available zone Name is null.' });
    expect(serviceErrorOf('{"code":"VPC.0104","message":"Router contains subnets"}')).toEqual({ code: 'VPC.0104', message: 'Router contains subnets' });
  });

  it('VPC native OpenStack APIs: NeutronError with type and message', () => {
    expect(serviceErrorOf({ NeutronError: { type: 'SecurityGroupInUse', message: 'Security Group 4b1c... in use.', detail: '' } }))
      .toEqual({ code: 'SecurityGroupInUse', message: 'Security Group 4b1c... in use.' });
  });

  it('ECS native OpenStack APIs: one fault key holding code and message', () => {
    expect(serviceErrorOf({ badRequest: { code: 400, message: 'Invalid flavorRef provided.' } })).toEqual({ code: 'badRequest', message: 'Invalid flavorRef provided.' });
    expect(serviceErrorOf({ itemNotFound: { code: 404, message: 'Instance could not be found' } })).toMatchObject({ code: 'itemNotFound' });
  });

  it('OBS: the XML Error element (https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0115.html)', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied &amp; logged</Message><RequestId>00000186B1F2</RequestId><HostId>host</HostId></Error>';
    expect(serviceErrorOf(xml)).toEqual({ code: 'AccessDenied', message: 'Access Denied & logged', requestId: '00000186B1F2' });
  });

  it('a body of none of them is no service error: the caller keeps what it had', () => {
    for (const body of [undefined, '', 'Bad Gateway', '<html><body>503</body></html>', { servers: [] }, [1, 2], '{"truncated": ']) expect(serviceErrorOf(body)).toBeUndefined();
  });
});

describe('HuaweiApi names the service code of every shape', () => {
  let server: RecordingServer;
  const answers: Record<string, { status: number; type: string; body: string }> = {
    '/v1/p/vpcs': { status: 403, type: 'application/json', body: JSON.stringify({ code: 'VPC.0001', message: 'policy denies vpc:vpcs:create' }) },
    '/v2.0/security-groups/sg-1': { status: 409, type: 'application/json', body: JSON.stringify({ NeutronError: { type: 'SecurityGroupInUse', message: 'Security Group sg-1 in use.', detail: '' } }) },
    '/v1/p/cloudservers/x': { status: 404, type: 'application/json', body: JSON.stringify({ itemNotFound: { code: 404, message: 'Instance could not be found' } }) },
    '/v1/p/xml': { status: 403, type: 'application/xml', body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' },
  };
  beforeAll(async () => {
    server = await recordingServer((req, res) => {
      const a = answers[req.path];
      res.writeHead(a.status, { 'content-type': a.type }).end(a.body);
    });
  });
  afterAll(() => server.close());
  const api = () => new HuaweiApi({ accessKey: 'TESTACCESSKEY0000008', secretKey: 'secret-never-logged', projectId: 'p', projectRegion: 'ap-southeast-3' }, { endpoint: { baseUrl: server.endpoint, insecure: false }, retry: { attempts: 1 } });
  const failure = (service: 'vpc' | 'ecs', method: 'GET' | 'POST' | 'DELETE', path: string) => api().request(service, 'ap-southeast-3', { method, path, body: method === 'POST' ? {} : undefined }).then(() => undefined, (e: unknown) => e as HuaweiApiError);

  it('VPC {code, message}, Neutron, Nova and OBS XML: status, code and message in one line', async () => {
    const vpc = await failure('vpc', 'POST', '/v1/{project_id}/vpcs');
    expect(vpc).toBeInstanceOf(HuaweiApiError);
    expect(vpc).toMatchObject({ status: 403, code: 'VPC.0001' });
    expect(vpc!.message).toBe('vpc POST /v1/{project_id}/vpcs in ap-southeast-3: HTTP 403 VPC.0001 policy denies vpc:vpcs:create');
    expect((await failure('vpc', 'DELETE', '/v2.0/security-groups/sg-1'))!.message).toContain('HTTP 409 SecurityGroupInUse Security Group sg-1 in use.');
    expect((await failure('ecs', 'GET', '/v1/{project_id}/cloudservers/x'))!.message).toContain('HTTP 404 itemNotFound Instance could not be found');
    expect((await failure('vpc', 'GET', '/v1/{project_id}/xml'))!.message).toContain('HTTP 403 AccessDenied Access Denied');
  });
});
