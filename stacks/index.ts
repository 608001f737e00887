/**
 * koogallery-image-factory as a library: define image products and build them with CDKTF in
 * your own app. `new ImageProduct(app, 'nginx', { image })` gives the builder, release, copy and
 * tester stacks (and, on request, the buyer's RFS template); each stack is usable on its own.
 */
export { defineImage } from './definition/index.js';
export type { ImageDefinitionInput, ImageSpec } from './definition/schema.js';
export { imageFromDefinition, loadImage, loadImages, loadAllImages } from './definition/load.js';
export type { InlineImageOptions, LoadedImage, LoadedImages } from './definition/load.js';

export { ImageProduct } from './image-product.js';
export type { ImageProductProps } from './image-product.js';
export { BuilderStack, TesterStack } from './builder-stack.js';
export type { GuestStackProps } from './builder-stack.js';
export { ReleaseStack } from './release-stack.js';
export type { ReleaseStackProps } from './release-stack.js';
export { CopyStack } from './copy-stack.js';
export type { CopyStackProps } from './copy-stack.js';
export { TemplateStack } from './template-stack.js';
export type { TemplateStackProps } from './template-stack.js';
export { BuildNetwork } from './constructs/build-network.js';
export type { BuildNetworkProps, EgressPolicy } from './constructs/build-network.js';
export { SealedInstance } from './constructs/sealed-instance.js';
export type { SealedInstanceProps } from './constructs/sealed-instance.js';

export { buildContextFromEnv, newBuildId } from './build-context.js';
export type { BuildContext } from './build-context.js';
export { stateBackendFromEnv, versionedBackend } from './backend.js';
export type { StateBackend } from './backend.js';
export { endpointOverrideFromEnv } from './endpoint.js';
export type { EndpointOverride } from './endpoint.js';
export { UserError, isUserError } from './errors.js';
export { TAG } from './definition/tags.js';

/** The generated Huawei Cloud provider bindings the stacks use, to add resources of your own. */
export * as huaweicloud from './huaweicloud.js';
