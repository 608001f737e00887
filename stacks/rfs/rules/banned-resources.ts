import { configFiles, hclBlocks, jsonBlocks } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

/** Resource types RFS refuses (https://support.huaweicloud.com/intl/en-us/tr-aos/rf_05_0028.html; the
 * Chinese page lists more, by prefix). */
const BANNED_RESOURCES: readonly string[] = [
  'huaweicloud_compute_keypair',
  'huaweicloud_kps_keypair',
  'huaweicloud_identity_access_key',
  'huaweicloud_images_image_v2',
  'huaweicloud_obs_bucket_object',
];

export const bannedResources: RfsRule = {
  id: 'banned-resources',
  description: `none of the resources RFS bans (${BANNED_RESOURCES.join(', ')})`,
  check(bundle) {
    const findings: Finding[] = [];
    for (const f of configFiles(bundle)) {
      const found = f.kind === 'json'
        ? jsonBlocks(f.json, 'resource').map(([type, name]) => ({ type, where: `${f.path}: resource.${type}.${name}` }))
        : hclBlocks(f.text, 'resource').map((b) => ({ type: b.labels[0] ?? '', where: `${f.path}:${b.line}: resource "${b.labels[0]}" "${b.labels[1]}"` }));
      for (const { type, where } of found) {
        if (BANNED_RESOURCES.includes(type)) findings.push({ rule: this.id, where, message: `RFS bans the resource type ${type}; remove it` });
      }
    }
    return findings;
  },
};
