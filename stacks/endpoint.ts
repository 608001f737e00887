/**
 * One endpoint for every Huawei Cloud call the factory makes or has Terraform make:
 * `IMAGE_FACTORY_ENDPOINT=<base url>` (a local emulator, a proxy or API gateway that routes by
 * path, a Huawei Cloud Stack or sovereign gateway). It is read once, at each entry point
 * (stacks/main.ts, `plan`, the pipeline commands, `sweep`), and handed on explicitly: to the
 * stacks through FactoryAppOptions.endpoint, to the API clients through HuaweiApiOptions.endpoint.
 * Unset, nothing changes: the synthesized stacks are byte-identical to a build without it.
 */
import { UserError } from './errors.js';

export interface EndpointOverride {
  /** Scheme, host, port and optional path prefix; no trailing slash. */
  readonly baseUrl: string;
  /** Skip TLS verification (a self-signed https endpoint); never set for http. */
  readonly insecure: boolean;
}

/**
 * Provider `endpoints` keys the builder, release and tester stacks need, from the provider's
 * huaweicloud/config/endpoints.go and the resources' client calls (provider 1.97.1,
 * github.com/huaweicloud/terraform-provider-huaweicloud):
 *
 * - `ecs` (derives ecsv11, ecsv21): compute_instance, compute_eip_associate, availability_zones,
 *   compute_flavors;
 * - `ims` (derives imsv1): ims_ecs_system_image, images_image_copy (also in the target region),
 *   images_image, and compute_instance's image lookups;
 * - `vpc` (derives networkv2, vpcv3, fwv2): vpc, vpc_subnet, networking_secgroup(_rule),
 *   vpc_eip (EIPs are VPC APIs), compute_instance's ports, vpc and vpc_subnet data sources;
 * - `evs` (derives evsv1, evsv21, evsv5): compute_instance reads its system disk;
 * - `dns` (derives dns_region): vpc_subnet asks DNS for the region's name servers when the
 *   region is not in the provider's built-in list;
 * - `iam` (derives identity, identity_ext, iam_no_version): the configure-time
 *   `GET /v3/auth/domains` (config.go getDomainID, on the `identity` client);
 * - `bss` (derives bssv2): the configure-time website probe `GET /v2/products/service-types`
 *   (config.go SetWebsiteType; BSS is Huawei's billing API), and compute_instance's and
 *   vpc_eip's order calls for prepaid charging.
 *
 * `mkt` (KooGallery) is used only by the buyer template, which never gets the override.
 */
export const PROVIDER_ENDPOINT_KEYS = ['bss', 'dns', 'ecs', 'evs', 'iam', 'ims', 'vpc'] as const;

const ENDPOINT_VAR = 'IMAGE_FACTORY_ENDPOINT';
const ENDPOINT_INSECURE_VAR = 'IMAGE_FACTORY_ENDPOINT_INSECURE';
/** The former name, which pointed only the factory's own API calls (not Terraform) at the URL. */
const REMOVED_ENDPOINT_VAR = 'IMAGE_FACTORY_API_ENDPOINT';

const TRUE = /^(1|true|yes)$/i;
const FALSE = /^(0|false|no)?$/i;

/** The override from the environment, or undefined when IMAGE_FACTORY_ENDPOINT is unset. */
export function endpointOverrideFromEnv(env: NodeJS.ProcessEnv = process.env): EndpointOverride | undefined {
  // The old name alone, or with another value, is an error: it now means more. The same value
  // under both names (a script that sets both during the rename) is harmless.
  const old = env[REMOVED_ENDPOINT_VAR]?.trim();
  if (old && old !== env[ENDPOINT_VAR]?.trim()) {
    throw new UserError(`${REMOVED_ENDPOINT_VAR} was renamed ${ENDPOINT_VAR}, which now also points Terraform's huaweicloud provider and the OBS state backend at that URL: rename the variable (and unset ${REMOVED_ENDPOINT_VAR})`);
  }
  const raw = env[ENDPOINT_VAR]?.trim();
  const insecureRaw = env[ENDPOINT_INSECURE_VAR]?.trim() ?? '';
  if (!TRUE.test(insecureRaw) && !FALSE.test(insecureRaw)) throw new UserError(`${ENDPOINT_INSECURE_VAR}: expected 1 or 0, found "${insecureRaw}"`);
  const insecure = TRUE.test(insecureRaw);
  if (!raw) {
    if (insecure) throw new UserError(`${ENDPOINT_INSECURE_VAR}=1 needs ${ENDPOINT_VAR}: it only turns off TLS verification for that endpoint`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`${ENDPOINT_VAR}: expected a base URL such as http://127.0.0.1:8080 or https://api.example.com, found "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`${ENDPOINT_VAR}: expected an http or https URL, found "${raw}"`);
  if (url.search || url.hash || url.username || url.password) throw new UserError(`${ENDPOINT_VAR}: expected a base URL without credentials, query or fragment, found "${raw}"`);
  if (insecure && url.protocol === 'http:') throw new UserError(`${ENDPOINT_INSECURE_VAR}=1 applies to an https endpoint only; ${ENDPOINT_VAR} is http ("${raw}"), which has no TLS to verify: unset ${ENDPOINT_INSECURE_VAR}`);
  return { baseUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), insecure };
}

/**
 * The huaweicloud provider arguments for the override: every service the stacks use, the IAM
 * auth URL (project lookup by region name) and, for a self-signed https endpoint, `insecure`.
 * Empty without an override, so the provider block stays as it was.
 */
export function providerEndpointConfig(endpoint: EndpointOverride | undefined): { authUrl?: string; endpoints?: Record<string, string>; insecure?: boolean } {
  if (!endpoint) return {};
  return {
    authUrl: `${endpoint.baseUrl}/v3`,
    endpoints: Object.fromEntries(PROVIDER_ENDPOINT_KEYS.map((k) => [k, `${endpoint.baseUrl}/`])),
    ...(endpoint.insecure ? { insecure: true } : {}),
  };
}
