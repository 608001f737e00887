/**
 * Tags the factory puts on everything it creates, so a sweeper can find orphans (what Packer's
 * Huawei builder cannot: its temporary resources carry no tags). Keys avoid ':' and '/', which some Huawei services reject in tag keys.
 */
export const TAG = {
  buildId: 'image-factory-build',
  product: 'image-factory-product',
  version: 'image-factory-version',
  expiresAt: 'image-factory-expires',
} as const;

const RESERVED_TAG_KEYS: readonly string[] = Object.values(TAG);

/** Every key starting with this is the factory's: a merchant's own could be mistaken for one (and swept). */
const RESERVED_TAG_PREFIX = 'image-factory-';

/**
 * The same tags go on the image, the ECS, the VPC, subnet, security group and EIP, so a tag
 * must pass the strictest rule of all of them (Huawei Cloud docs, Nov 2026):
 * - IMS "Image Tag Format": key at most 36 characters of digits, letters, "_" and "-"; value at
 *   most 43 of digits, letters, "_", "." and "-", may be empty
 *   (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0902.html);
 * - ECS "Adding Tags to an ECS in a Batch": key at most 36, value at most 43 characters
 *   (https://support.huaweicloud.com/intl/en-us/api-ecs/ecs_02_1002.html);
 * - VPC "Adding a Tag to a VPC": key at most 128 of letters, digits, "_" and "-" (36 on the
 *   console); value at most 255 of letters, digits, "_", "." and "-" (43 on the console)
 *   (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_tag_0001.html).
 * Chinese characters, which some of these pages allow, are left out: not all of them do.
 */
export const TAG_RULES = {
  keyPattern: /^[A-Za-z0-9_-]{1,36}$/,
  valuePattern: /^[A-Za-z0-9_.-]{0,43}$/,
  keyExpected: 'a tag key of 1 to 36 letters, digits, "_" and "-" (the rule IMS, ECS and VPC share)',
  valueExpected: 'a tag value of at most 43 letters, digits, "_", "." and "-" (the rule IMS, ECS and VPC share)',
} as const;

/** Why `key` cannot be a merchant's tag key, as a clause after "found"; undefined when it can. */
export function tagKeyProblem(key: string): string | undefined {
  if (!TAG_RULES.keyPattern.test(key)) return `"${key}"`;
  if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) return `"${key}", which starts with the reserved prefix "${RESERVED_TAG_PREFIX}" (the factory's own tags: ${RESERVED_TAG_KEYS.join(', ')}); choose another key`;
  // Tag Management Service reserves _sys_ keys for system tags.
  if (key.startsWith('_sys_')) return `"${key}", which starts with "_sys_", reserved for system tags; choose another key`;
  return undefined;
}

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
