/** The real cloud for one build: Terraform for stacks, signed API calls for the rest. */
import type { StateBackend } from '../../stacks/backend.js';
import type { BuildContext } from '../../stacks/build-context.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import type { EndpointOverride, ProxyRoute } from '../../stacks/endpoint.js';
import type { Credentials } from './credentials.js';
import { HuaweiEcsClient } from './ecs.js';
import { HuaweiApi, type RetryNotice, type Sleep } from './huawei-api.js';
import { HuaweiPreflight } from './huawei-preflight.js';
import { HuaweiSweeper } from './huawei-sweeper.js';
import { TerraformDeployer, type ImsJob } from './terraform-deployer.js';
import type { Cloud, StackDeployer } from './types.js';

export interface HuaweiCloudOptions {
  readonly outdir?: string;
  readonly onLog?: (line: string) => void;
  readonly endpoint?: EndpointOverride;
  /** IMAGE_FACTORY_PROXY: the default endpoints through a proxy, for both sides as well. */
  readonly proxy?: ProxyRoute;
  /** How API retries wait (a simulation's clock). @default real time */
  readonly sleep?: Sleep;
  /** Told before each API retry (progress shows it). */
  readonly onRetry?: (notice: RetryNotice) => void;
  /** Another deployer in place of Terraform (the emulator's applier, in simulations). */
  readonly deployer?: (api: HuaweiApi) => StackDeployer;
}

export function huaweiCloud(image: LoadedImage, context: BuildContext, credentials: Credentials, backend: StateBackend, options: HuaweiCloudOptions = {}): Cloud {
  // IMAGE_FACTORY_ENDPOINT reaches both sides: the signed API calls and the synthesized stacks.
  const api = new HuaweiApi(credentials, { endpoint: options.endpoint, proxy: options.proxy, sleep: options.sleep, onRetry: options.onRetry });
  return {
    deployer: options.deployer?.(api) ?? new TerraformDeployer({
      image, context, credentials, backend, outdir: options.outdir, onLog: options.onLog, endpoint: options.endpoint, proxy: options.proxy,
      // IMS ShowJob (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0301.html): a failed copy's fail_reason.
      imsJob: (region, jobId) => api.request<ImsJob>('ims', region, { method: 'GET', path: '/v1/{project_id}/jobs/{job_id}', params: { job_id: jobId } }),
    }),
    ecs: new HuaweiEcsClient(api),
    preflight: new HuaweiPreflight(api, credentials, image.spec.buildRegion),
    sweeper: new HuaweiSweeper(api),
  };
}
