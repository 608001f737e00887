/**
 * One endpoint for every Huawei Cloud call the factory makes or has Terraform make:
 * `IMAGE_FACTORY_ENDPOINT=<base url>` (a local emulator, a proxy or API gateway that routes by
 * path, a Huawei Cloud Stack or sovereign gateway). It is read once, at each entry point
 * (stacks/main.ts, `plan`, the pipeline commands, `sweep`), and handed on explicitly: to the
 * stacks through FactoryAppOptions.endpoint, to the API clients through HuaweiApiOptions.endpoint.
 * Unset, nothing changes: the synthesized stacks are byte-identical to a build without it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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

export const ENDPOINT_VAR = 'IMAGE_FACTORY_ENDPOINT';
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

/**
 * The other way to an emulator (or any gateway that impersonates Huawei Cloud's hosts):
 * `IMAGE_FACTORY_PROXY=http://127.0.0.1:PORT`, an HTTP forward proxy for the cloud's DEFAULT
 * endpoints (https://<service>.<region>.myhuaweicloud.com), with `IMAGE_FACTORY_PROXY_CA=<pem>`,
 * the CA its TLS is verified against. Unlike IMAGE_FACTORY_ENDPOINT it changes no stack: the
 * provider keeps its per-region endpoints, which it needs for a copy to another region (with
 * custom `endpoints` it refuses any client outside its own region: github.com/huaweicloud/
 * terraform-provider-huaweicloud huaweicloud/config/config.go NewServiceClient). Only the
 * network path changes: Terraform gets HTTPS_PROXY and SSL_CERT_FILE, the factory's own clients
 * tunnel through the proxy (scripts/cloud/proxy-agent.ts).
 */
export interface ProxyRoute {
  /** http://host:port */
  readonly url: string;
  /** The CA's PEM file (absolute), and its text (read once, so a bad path fails before any call). */
  readonly caFile?: string;
  readonly caPem?: string;
}

export const PROXY_VAR = 'IMAGE_FACTORY_PROXY';
export const PROXY_CA_VAR = 'IMAGE_FACTORY_PROXY_CA';

/** The proxy route from the environment, or undefined when IMAGE_FACTORY_PROXY is unset. */
export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ProxyRoute | undefined {
  const raw = env[PROXY_VAR]?.trim();
  // Absolute: Terraform runs in each stack's folder, where a relative path means another file.
  const caFile = env[PROXY_CA_VAR]?.trim() ? resolve(cwd, env[PROXY_CA_VAR]!.trim()) : undefined;
  if (!raw) {
    if (caFile) throw new UserError(`${PROXY_CA_VAR} needs ${PROXY_VAR}: it is the CA of that proxy's TLS`);
    return undefined;
  }
  if (env[ENDPOINT_VAR]?.trim()) {
    throw new UserError(`${PROXY_VAR} and ${ENDPOINT_VAR} are two ways to the same place: set one. ${PROXY_VAR} keeps the cloud's own endpoints (cross-region copies need it with the huaweicloud provider); ${ENDPOINT_VAR} replaces them`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`${PROXY_VAR}: expected a proxy URL such as http://127.0.0.1:8080, found "${raw}"`);
  }
  if (url.protocol !== 'http:' || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new UserError(`${PROXY_VAR}: expected http://host:port (an HTTP proxy, no path or credentials), found "${raw}"`);
  }
  let caPem: string | undefined;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new UserError(`${PROXY_CA_VAR}: cannot read ${caFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`${PROXY_CA_VAR}: ${caFile} holds no PEM certificate`);
  }
  return { url: url.origin, ...(caFile ? { caFile, caPem } : {}) };
}

/** Hosts `terraform init` downloads providers from: never sent to the proxy, which only serves the cloud. */
const PROVIDER_DOWNLOAD_HOSTS = ['registry.terraform.io', 'releases.hashicorp.com', 'github.com', '.githubusercontent.com'];

/**
 * The environment Terraform gets for the proxy: HTTPS_PROXY (read by the provider's clients,
 * huaweicloud/config hc_config.go parseProxyFromEnv and auth.go http.ProxyFromEnvironment, and by
 * the S3 backend); the proxy's CA, so TLS is verified, not skipped, wherever each client looks
 * for it: SSL_CERT_FILE (Go's trust store on Linux: Terraform, the provider's SDK v3 clients),
 * OS_CACERT (the provider's `cacert_file` default, which replaces the trust store of its
 * golangsdk clients, auth.go generateTLSConfig) and AWS_CA_BUNDLE (the S3 backend's, which
 * likewise replaces it: an inherited one would reject the proxy's certificate); NO_PROXY for
 * provider downloads only: an inherited NO_PROXY entry covering the cloud's hosts would bypass
 * the proxy, so the inherited list keeps only entries that cannot match them.
 */
export function terraformProxyEnv(route: ProxyRoute | undefined, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!route) return {};
  const inherited = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    .filter((e) => e !== '*' && !/(^|\.)myhuaweicloud\.(com|eu)$/i.test(e.replace(/^\*?\./, '')) && !/^\.?(com|eu)$/i.test(e));
  const noProxy = [...new Set([...PROVIDER_DOWNLOAD_HOSTS, ...inherited])].join(',');
  return {
    HTTPS_PROXY: route.url, https_proxy: route.url,
    NO_PROXY: noProxy, no_proxy: noProxy,
    ...(route.caFile ? { SSL_CERT_FILE: route.caFile, OS_CACERT: route.caFile, AWS_CA_BUNDLE: route.caFile } : {}),
  };
}

/** How this process reaches Huawei Cloud: at most one of the two ways, from the environment. */
export interface CloudRoute {
  readonly endpoint?: EndpointOverride;
  readonly proxy?: ProxyRoute;
}

/**
 * The one reader every command that calls the cloud uses (build, resume, distribute, sweep,
 * server-status, env), so that they all honour the same settings: IMAGE_FACTORY_ENDPOINT or
 * IMAGE_FACTORY_PROXY (+ _CA), checked, with paths made absolute.
 */
export function cloudRouteFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CloudRoute {
  const proxy = proxyFromEnv(env, cwd);
  const endpoint = endpointOverrideFromEnv(env);
  return { ...(endpoint ? { endpoint } : {}), ...(proxy ? { proxy } : {}) };
}
