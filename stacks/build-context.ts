import { randomBytes } from 'node:crypto';
import { compactTime } from './definition/tags.js';

/**
 * Identifies one build: every temporary resource is tagged with its ID and expiry so that
 * `sweep` can find what a crashed build left behind.
 */
export interface BuildContext {
  /** At most 43 characters (IMS tag value limit). */
  readonly buildId: string;
  readonly startedAt: Date;
}

/** A fresh build ID: start time plus a random suffix, e.g. 20261128T154500Z-3f9a. */
export function newBuildId(now = new Date()): string {
  return `${compactTime(now)}-${randomBytes(2).toString('hex')}`;
}

/**
 * The build context of this process: the pipeline passes it through the environment
 * (IMAGE_FACTORY_BUILD_ID / IMAGE_FACTORY_BUILD_STARTED_AT); a hand-run `cdktf deploy`
 * is a "manual" build whose resources expire counted from now.
 */
export function buildContextFromEnv(env: NodeJS.ProcessEnv = process.env, now = new Date()): BuildContext {
  const startedAt = env.IMAGE_FACTORY_BUILD_STARTED_AT ? new Date(env.IMAGE_FACTORY_BUILD_STARTED_AT) : now;
  return {
    buildId: env.IMAGE_FACTORY_BUILD_ID || 'manual',
    startedAt: Number.isNaN(startedAt.getTime()) ? now : startedAt,
  };
}
