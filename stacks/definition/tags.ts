/**
 * Tags the factory puts on everything it creates, so a sweeper can find orphans (ANCHORS.md
 * lesson 2). Keys avoid ':' and '/', which some Huawei services reject in tag keys.
 */
export const TAG = {
  buildId: 'image-factory-build',
  product: 'image-factory-product',
  version: 'image-factory-version',
  expiresAt: 'image-factory-expires',
} as const;

export const RESERVED_TAG_KEYS: readonly string[] = Object.values(TAG);

/** The private image carries build, product and version, never an expiry: it is not temporary. */
export const IMAGE_RESERVED_TAGS = 3;

/** Compact UTC time usable as a tag value (no ':'), e.g. 20261128T214500Z. */
export function compactTime(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function parseCompactTime(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}
