import { describe, expect, it } from 'vitest';
import { isTransient } from '../../scripts/pipeline/transient.js';

describe('isTransient', () => {
  it.each([
    'ecs POST /v1.1/{project_id}/cloudservers in ap-southeast-3: HTTP 503 SYS.0500 injected fault (gave up after 1 attempt)',
    'Error: error creating VPC: Internal Server Error: [POST https://vpc.ap-southeast-3.myhuaweicloud.com/v1/p/vpcs], request_id: r1, error message: {}',
    'Too many requests: [GET https://ims.ap-southeast-3.myhuaweicloud.com/v2/cloudimages], request_id: r2, error message: {}',
    'The service is currently unable to handle the request due to a temporary overloading or maintenance. This is a temporary condition. Try again later.',
    'Expected HTTP response code [200] when accessing [GET https://x/v1/p/jobs/j], but got 502 instead.',
    'read tcp 127.0.0.1:5000->127.0.0.1:443: read: connection reset by peer',
  ])('retries %s', (message) => expect(isTransient(message)).toBe(true));

  it.each([
    'HTTP 400 IMG.0008 The ECS cannot be used to create images because it is not in stopped state.',
    'HTTP 403 VPC.0001 policy denies vpc:vpcs:create',
    'Expected HTTP response code [200] when accessing [POST https://x], but got 409 instead.',
    'The private image quota of ap-southeast-3 (50) is used up.',
  ])('does not retry %s', (message) => expect(isTransient(message)).toBe(false));
});
