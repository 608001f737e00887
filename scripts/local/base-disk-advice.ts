/**
 * What `try` on its default Debian disk will not rehearse, said before anything boots: the
 * package family of the definition's Huawei base image (from the base-image catalogue), and
 * where a disk of that OS can be had for `--base-disk`.
 */
import { BASE_IMAGES, baseImageNamed, type BaseImage } from '../../stacks/catalogue/base-images.js';
import type { ImageSpec } from '../../stacks/definition/schema.js';

/**
 * Where a qcow2 with cloud-init of each OS family is published. Any Huawei public image can also be
 * had exactly: make a private image from an ECS of it and export that as qcow2 (IMS "Exporting an
 * Image", https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0609_1.html; not for images
 * made from Windows, SUSE, Red Hat or Oracle Linux public images).
 */
const IMS_EXPORT = 'export a private image made from that public image as qcow2 (IMS "Exporting an Image": https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0609_1.html)';
const PUBLISHED: Readonly<Record<string, string>> = {
  'Huawei Cloud EulerOS': IMS_EXPORT,
  Ubuntu: `Ubuntu's cloud images (https://cloud-images.ubuntu.com/), or ${IMS_EXPORT}`,
  Debian: `Debian's cloud images (https://cloud.debian.org/images/cloud/), or ${IMS_EXPORT}`,
  CentOS: `the CentOS GenericCloud images (https://cloud.centos.org/centos/), or ${IMS_EXPORT}`,
  Rocky: `the Rocky Linux GenericCloud images (https://dl.rockylinux.org/pub/rocky/), or ${IMS_EXPORT}`,
  openEuler: `openEuler's virtual machine images (https://repo.openeuler.org/, virtual_machine_img/), or ${IMS_EXPORT}`,
};

function catalogueEntry(base: ImageSpec['baseImage']): BaseImage | undefined {
  return 'name' in base ? baseImageNamed(base.name) : BASE_IMAGES.find((b) => b.os === base.os);
}

/** The lines `try` prints before it boots the default Debian disk (none when it has nothing to add). */
export function baseDiskWarnings(base: ImageSpec['baseImage'], debianLabel: string): string[] {
  const named = 'name' in base ? `"${base.name}"` : `${base.os} ${base.osVersion}`;
  const entry = catalogueEntry(base);
  if (!entry) {
    return [`try: the Huawei base image ${named} is not in the base-image catalogue, so try cannot tell whether its packages are apt or RPM like the default ${debianLabel} disk; pass --base-disk with a qcow2 of that OS (${IMS_EXPORT})`];
  }
  const where = PUBLISHED[entry.os] ?? IMS_EXPORT;
  const os = `${entry.os} ${entry.version}`;
  if (entry.packageManager !== 'apt') {
    return [[
      `try: WARNING: the Huawei base image ${named} is ${os}, which installs packages with ${entry.packageManager} (RPM); the default ${debianLabel} disk has apt and dpkg.`,
      `  A step that calls ${entry.packageManager} fails here although it works in the cloud, and a step that falls back to apt passes here on a path the cloud build never runs; RPM paths (/etc/sysconfig, system-auth, dracut) are not rehearsed either.`,
      `  For a rehearsal of the real base, pass --base-disk FILE with a qcow2 of ${os}: ${where}`,
    ].join('\n')];
  }
  if (entry.os === 'Debian') return [];
  return [`try: the Huawei base image ${named} is ${os}: the same package family (apt) as the default ${debianLabel} disk, but other package versions and defaults; for a closer rehearsal pass --base-disk FILE with ${where}`];
}
