/**
 * Huawei Cloud services answer errors in several shapes, and sdk-core reads only two of them
 * (`error_code`/`error_msg` and `error.code`/`error.message`): a VPC refusal would show as
 * "Request failed with status code 403". This reads every shape the factory's services use:
 * - `{error_code, error_msg}`: API Gateway and most v3 APIs
 *   (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html);
 * - `{error: {code, message}}`: ECS and IMS (https://support.huaweicloud.com/intl/en-us/api-ecs/errorcode.html,
 *   https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0402.html), and IAM's Keystone APIs,
 *   whose `code` is the HTTP status and `title` its name;
 * - `{code, message}`: VPC and EIP (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_api_0003.html);
 * - `{NeutronError: {type, message, detail}}`: VPC's native OpenStack (Neutron) APIs (the 4xx/5xx bodies of
 *   VPC's ListApiVersion and the other v2.0 APIs in the VPC API reference);
 * - `{<fault>: {code, message}}` (badRequest, itemNotFound, ...): ECS's native OpenStack (Nova) APIs;
 * - `<Error><Code/><Message/><RequestId/></Error>`: OBS, in XML
 *   (https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0115.html).
 */

export interface ServiceError {
  readonly code?: string;
  readonly message?: string;
  readonly requestId?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The XML element's text, entities decoded (OBS error bodies are flat). */
function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? text(m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')) : undefined;
}

function fromObject(body: Record<string, unknown>): ServiceError | undefined {
  const requestId = text(body.request_id);
  if (text(body.error_code) || text(body.error_msg)) return { code: text(body.error_code), message: text(body.error_msg), requestId };
  if (isObject(body.error)) {
    const e = body.error;
    // Keystone puts the HTTP status in code (and its name in title): no service code then.
    const code = typeof e.code === 'number' ? undefined : text(e.code) ?? text(e.error_code);
    return { code, message: text(e.message) ?? text(e.error_msg), requestId };
  }
  if (isObject(body.NeutronError)) return { code: text(body.NeutronError.type), message: text(body.NeutronError.message) ?? text(body.NeutronError.detail), requestId };
  if (text(body.code) && text(body.message)) return { code: text(body.code), message: text(body.message), requestId };
  // Nova faults: one key naming the fault, holding code and message.
  const keys = Object.keys(body);
  if (keys.length === 1 && isObject(body[keys[0]]) && text((body[keys[0]] as Record<string, unknown>).message)) {
    const fault = body[keys[0]] as Record<string, unknown>;
    return { code: keys[0], message: text(fault.message) };
  }
  return undefined;
}

/** The service's code and message in an error answer's body (parsed JSON, or the raw text); undefined when it holds neither. */
export function serviceErrorOf(body: unknown): ServiceError | undefined {
  if (isObject(body)) return fromObject(body);
  if (typeof body !== 'string') return undefined;
  const raw = body.trim();
  if (raw.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isObject(parsed) ? fromObject(parsed) : undefined;
    } catch {
      return undefined;
    }
  }
  if (/<Error>/.test(raw)) {
    const found = { code: xmlField(raw, 'Code'), message: xmlField(raw, 'Message'), requestId: xmlField(raw, 'RequestId') };
    return found.code || found.message ? found : undefined;
  }
  return undefined;
}
