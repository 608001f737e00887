/**
 * One signed call before a command starts its work, so that a key pair the cloud refuses is one
 * clear line (a UserError) rather than a failed preflight stage, a cleanup and a checkpoint to
 * resume, or one failure per region. API Gateway checks the signature before any permission, so
 * a wrong secret or an unknown access key answers 401 (APIGW.0301) to any call
 * (https://support.huaweicloud.com/intl/en-us/apig_faq/apig-faq-0003.html). One attempt only:
 * API Gateway locks a key pair for 5 minutes after five failed authentications in a row.
 */
import type { EndpointOverride } from '../../stacks/endpoint.js';
import { UserError } from '../../stacks/errors.js';
import type { Credentials } from './credentials.js';
import { HuaweiApi, HuaweiApiError } from './huawei-api.js';

/**
 * Throws a UserError when the cloud refuses the key pair. Anything else (no permission to list
 * projects, a network failure) is left to the command itself, which reports it in context.
 */
export async function checkKeyPair(credentials: Credentials, region: string, endpoint?: EndpointOverride): Promise<void> {
  // The same call the clients make first: the region's project lookup.
  const api = new HuaweiApi(credentials, { endpoint, retry: { attempts: 1 } });
  try {
    await api.requestGlobal('iam', region, { method: 'GET', path: '/v3/projects', query: { name: region } });
  } catch (err) {
    if (!(err instanceof HuaweiApiError) || err.status !== 401) return;
    // The message without the call ("iam GET /v3/projects in <region>: "): the key is the news.
    const why = err.message.replace(/^\S+ \S+ \S+ in \S+: /, '');
    const where = endpoint ? ` at ${endpoint.baseUrl}` : '';
    throw new UserError(`the cloud${where} refused the key pair: ${why}; check HW_ACCESS_KEY and HW_SECRET_KEY (and HW_SECURITY_TOKEN for a temporary key)`);
  }
}
