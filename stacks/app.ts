import { App } from 'cdktf';
import { BuilderStack, TesterStack } from './builder-stack.js';
import { ReleaseStack } from './release-stack.js';
import type { LoadedImage } from './definition/load.js';
import type { BuildContext } from './build-context.js';
import type { StateBackend } from './backend.js';
import type { EndpointOverride } from './endpoint.js';

export interface FactoryAppOptions {
  readonly images: readonly LoadedImage[];
  readonly context: BuildContext;
  /** @default cdktf.out */
  readonly outdir?: string;
  /** Per image: the copy regions of its release stack. @default - the definition's targetRegions */
  readonly copyRegions?: Readonly<Record<string, readonly string[]>>;
  /** Per image: flavor and availability zone chosen by preflight. */
  readonly placement?: Readonly<Record<string, { flavor?: string; availabilityZone?: string }>>;
  readonly backend?: StateBackend;
  /**
   * IMAGE_FACTORY_ENDPOINT (endpointOverrideFromEnv): the provider of every stack and the OBS
   * state backend use it. @default - Huawei Cloud's public endpoints
   */
  readonly endpoint?: EndpointOverride;
}

export interface ImageStacks {
  readonly image: LoadedImage;
  readonly builder: BuilderStack;
  readonly release: ReleaseStack;
  readonly tester: TesterStack;
}

/** One CDKTF app holding the builder, release and tester stacks of every image. */
export function createFactoryApp(options: FactoryAppOptions): { app: App; stacks: ImageStacks[] } {
  const app = new App({ outdir: options.outdir ?? 'cdktf.out', skipValidation: false });
  const stacks = options.images.map((image) => {
    const placement = options.placement?.[image.name] ?? {};
    const common = { image, context: options.context, backend: options.backend, endpoint: options.endpoint, ...placement };
    return {
      image,
      builder: new BuilderStack(app, common),
      release: new ReleaseStack(app, { image, context: options.context, backend: options.backend, endpoint: options.endpoint, copyRegions: options.copyRegions?.[image.name] }),
      tester: new TesterStack(app, common),
    };
  });
  return { app, stacks };
}
