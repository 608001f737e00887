/**
 * IMS and ECS limits: "Notes and Constraints" (https://support.huaweicloud.com/intl/en-us/productdesc-ims/ims_01_0005.html),
 * "Replicating Images Across Regions" (https://support.huaweicloud.com/intl/en-us/usermanual-ims/ims_01_0332.html)
 * and "Image Tag Format" (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0902.html).
 */
export const IMS = {
  /** Image name: 1 to 128 characters: letters, digits, space, '-', '.', '_'; no leading/trailing space. */
  imageNameMax: 128,
  imageNamePattern: /^[A-Za-z0-9_.\- ]+$/,
  /** At most 10 tags per image; key at most 36 characters, value at most 43. */
  maxTags: 10,
  tagKeyMax: 36,
  tagValueMax: 43,
  /** Image at most 128 GB; market images need a minimum disk of 40 GB. */
  minSystemDiskGiB: 40,
  maxImageGiB: 128,
  /** 50 private images per region by default. */
  privateImageQuota: 50,
  /** At most 5 concurrent cross-region copies per tenant. */
  maxConcurrentCopies: 5,
} as const;

export const ECS = {
  /** user_data at most 32 KB before base64 encoding. */
  userDataMaxBytes: 32 * 1024,
} as const;

/** Why an image name breaks the IMS naming rules, or undefined when it is valid. */
export function imageNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > IMS.imageNameMax) return `must be 1 to ${IMS.imageNameMax} characters, found ${name.length}`;
  if (!IMS.imageNamePattern.test(name)) {
    const bad = [...new Set([...name].filter((c) => !/[A-Za-z0-9_.\- ]/.test(c)))].join('');
    return `may contain only letters, digits, space, '-', '.' and '_', found ${JSON.stringify(bad)}`;
  }
  if (name !== name.trim()) return 'must not start or end with a space';
  return undefined;
}
