/**
 * Base-image catalogue: the Huawei Cloud public (gold) Linux images a KooGallery image can start
 * from, by site, OS and CPU architecture. KooGallery takes system-disk images made from Huawei
 * public images (https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html);
 * Huawei has stopped providing Windows public images (IMS API reference, "Querying Supported Image
 * OSs", https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0610.html), so the list is Linux only.
 *
 * `name` is the IMS `name` field exactly as ListImages returns it
 * (`GET /v2/cloudimages?__imagetype=gold`, https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0602.html),
 * which is what the builder's `huaweicloud_images_image` data source matches. The console adds a
 * disk-size suffix such as "(40GB)" that is not part of the name. Huawei publishes no single
 * machine-readable list per site, so the names come from IMS and ECS responses (image ID next to
 * the name) and from the huaweicloud provider's own acceptance tests; `seen` says where. Sites differ:
 * on the Chinese mainland site Huawei Cloud EulerOS images have Chinese names, and Kunpeng (Arm)
 * images end in " with ARM" (Ubuntu, openEuler) or " ARM版" (Huawei Cloud EulerOS, cn).
 *
 * The catalogue only advises: `plan` warns about a name outside it, with the nearest names, and a
 * definition may still use any name (Huawei adds images faster than a catalogue can follow). To see
 * what one region really offers: `hcloud IMS ListImages --__imagetype=gold --__os_type=Linux`.
 */
import type { Architecture } from './flavors.js';
import type { Site } from './regions.js';

type PackageManager = 'apt' | 'dnf' | 'yum';

export interface BaseImage {
  /** The IMS image name, exactly. */
  readonly name: string;
  /** IMS `__platform`: the OS family. */
  readonly os: string;
  readonly version: string;
  readonly arch: Architecture;
  readonly packageManager: PackageManager;
  readonly sites: readonly Site[];
  /** The date the OS's vendor ended standard support, when it has: still offered, not advised. */
  readonly endOfLife?: string;
  /** Where the name was seen with an image ID: region and kind of source. */
  readonly seen: string;
}

const ALL: readonly Site[] = ['cn', 'intl', 'eu'];

export const BASE_IMAGES: readonly BaseImage[] = [
  { name: 'Ubuntu 24.04 server 64bit', os: 'Ubuntu', version: '24.04', arch: 'x86_64', packageManager: 'apt', sites: ALL, seen: 'cn-north-4, ap-southeast-1, eu-west-101 (IMS ListImages); provider acceptance tests (cce node attach)' },
  { name: 'Ubuntu 22.04 server 64bit', os: 'Ubuntu', version: '22.04', arch: 'x86_64', packageManager: 'apt', sites: ALL, seen: 'eu-west-101 (IMS ListImages); provider acceptance tests' },
  // Ubuntu 20.04's standard support ended 2025-05-31 (https://ubuntu.com/about/release-cycle).
  { name: 'Ubuntu 20.04 server 64bit', os: 'Ubuntu', version: '20.04', arch: 'x86_64', packageManager: 'apt', sites: ['cn', 'intl'], endOfLife: '2025-05-31', seen: 'provider acceptance tests (name and __os_version)' },
  { name: 'Ubuntu 24.04 server 64bit with ARM', os: 'Ubuntu', version: '24.04', arch: 'aarch64', packageManager: 'apt', sites: ['cn'], seen: 'cn-southwest-2 (ECS server metadata image_name, imagetype gold)' },
  { name: 'Ubuntu 22.04 server 64bit with ARM', os: 'Ubuntu', version: '22.04', arch: 'aarch64', packageManager: 'apt', sites: ['cn'], seen: 'cn Kunpeng (kc2) deployments' },
  { name: 'Debian 12.0.0 64bit', os: 'Debian', version: '12', arch: 'x86_64', packageManager: 'apt', sites: ['intl', 'eu'], seen: 'eu-west-101 (IMS ListImages); ap-southeast-1 (data source by name)' },
  // Debian 11's regular security support ended 2024-08-14 (https://www.debian.org/releases/bullseye/).
  { name: 'Debian 11.1.0 64bit', os: 'Debian', version: '11', arch: 'x86_64', packageManager: 'apt', sites: ['eu'], endOfLife: '2024-08-14', seen: 'eu-west-101 (IMS ListImages)' },
  { name: 'Huawei Cloud EulerOS 2.0 Standard 64 bit', os: 'Huawei Cloud EulerOS', version: '2.0', arch: 'x86_64', packageManager: 'dnf', sites: ['intl'], seen: 'ap-southeast-3, la-north-2 (data source by name, image ID)' },
  { name: 'Huawei Cloud EulerOS 2.0 标准版 64位', os: 'Huawei Cloud EulerOS', version: '2.0', arch: 'x86_64', packageManager: 'dnf', sites: ['cn'], seen: 'cn (data source by name); HCE user guide migration tables' },
  { name: 'Huawei Cloud EulerOS 2.0 标准版 64位 ARM版', os: 'Huawei Cloud EulerOS', version: '2.0', arch: 'aarch64', packageManager: 'dnf', sites: ['cn'], seen: 'cn Kunpeng deployments' },
  { name: 'CentOS Stream 9 64bit', os: 'CentOS', version: 'Stream 9', arch: 'x86_64', packageManager: 'dnf', sites: ['intl'], seen: 'data source by name (huaweicloud provider)' },
  { name: 'Rocky Linux 9.0 64bit', os: 'Rocky', version: '9.0', arch: 'x86_64', packageManager: 'dnf', sites: ['intl'], seen: 'la-south-2 (data source by name)' },
  { name: 'openEuler 22.03 64bit', os: 'openEuler', version: '22.03', arch: 'x86_64', packageManager: 'dnf', sites: ['cn'], seen: 'cn image lists' },
  { name: 'openEuler 22.03 64bit with ARM', os: 'openEuler', version: '22.03', arch: 'aarch64', packageManager: 'dnf', sites: ['cn'], seen: 'cn Kunpeng labs' },
  // CentOS 7 ended 2024-06-30 (https://www.redhat.com/en/topics/linux/centos-linux-eol); Huawei
  // offers Huawei Cloud EulerOS 2.0 as its successor.
  { name: 'CentOS 7.9 64bit', os: 'CentOS', version: '7.9', arch: 'x86_64', packageManager: 'yum', sites: ['cn', 'intl'], endOfLife: '2024-06-30', seen: 'la-north-2 (image ID)' },
  { name: 'CentOS 7.6 64bit', os: 'CentOS', version: '7.6', arch: 'x86_64', packageManager: 'yum', sites: ['cn', 'intl'], endOfLife: '2024-06-30', seen: 'provider acceptance tests (sdrs)' },
];

/** The catalogue entry of an exact name, on any site. */
export function baseImageNamed(name: string): BaseImage | undefined {
  return BASE_IMAGES.find((b) => b.name === name);
}

/** The images a build on this site and architecture can start from. */
export function baseImagesFor(site: Site, arch: Architecture): BaseImage[] {
  return BASE_IMAGES.filter((b) => b.sites.includes(site) && b.arch === arch);
}
