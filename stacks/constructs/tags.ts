import type { ImageSpec } from '../definition/schema.js';
import { TAG, compactTime } from '../definition/tags.js';
import type { BuildContext } from '../build-context.js';

export interface TagOptions {
  /** Temporary resources carry an expiry; the captured image and its copies do not. */
  readonly temporary: boolean;
}

/** Tags for a resource of `image`'s build: the merchant's tags, then the factory's own. */
export function factoryTags(imageName: string, spec: ImageSpec, ctx: BuildContext, { temporary }: TagOptions): Record<string, string> {
  const tags: Record<string, string> = {
    ...spec.tags,
    [TAG.buildId]: ctx.buildId,
    [TAG.product]: imageName,
    [TAG.version]: spec.buildVersion,
  };
  if (temporary) {
    tags[TAG.expiresAt] = compactTime(new Date(ctx.startedAt.getTime() + spec.build.expiryHours * 3600_000));
  }
  return tags;
}
