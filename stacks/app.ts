import { App } from 'cdktf';
import { ImageProduct } from './image-product.js';
import type { BuilderStack, TesterStack } from './builder-stack.js';
import type { ReleaseStack } from './release-stack.js';
import type { CopyStack } from './copy-stack.js';
import type { LoadedImage } from './definition/load.js';
import type { BuildContext } from './build-context.js';
import type { StateBackend } from './backend.js';
import type { EndpointOverride } from './endpoint.js';

export interface FactoryAppOptions {
  readonly images: readonly LoadedImage[];
  readonly context: BuildContext;
  /** @default cdktf.out */
  readonly outdir?: string;
  /** Per image: the regions that get a copy stack. @default - the definition's targetRegions */
  readonly copyRegions?: Readonly<Record<string, readonly string[]>>;
  /** Per image: flavor and availability zone chosen by preflight. @default - the first flavor, the region's zone */
  readonly placement?: Readonly<Record<string, { flavor?: string; availabilityZone?: string }>>;
  /** Where Terraform keeps each stack's state. @default - local, .image-factory/state/<stack>.tfstate */
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
  /** Per target region, its copy stack (`<image>-copy-<region>`). */
  readonly copies: Readonly<Record<string, CopyStack>>;
  readonly tester: TesterStack;
}

/** One CDKTF app holding an ImageProduct (builder, release, copy and tester stacks) per image. */
export function createFactoryApp(options: FactoryAppOptions): { app: App; stacks: ImageStacks[] } {
  const app = new App({ outdir: options.outdir ?? 'cdktf.out', skipValidation: false });
  const stacks = options.images.map((image) => {
    const product = new ImageProduct(app, image.name, {
      image,
      context: options.context,
      backend: options.backend,
      endpoint: options.endpoint,
      copyRegions: options.copyRegions?.[image.name],
      ...options.placement?.[image.name],
    });
    return { image, builder: product.builder, release: product.release, copies: product.copies, tester: product.tester };
  });
  return { app, stacks };
}
