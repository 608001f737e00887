/**
 * IMS image records, shared by IMS (which serves them) and ECS (which boots from them).
 *
 * The answer shape is IMS ListImages `GET /v2/cloudimages`
 * (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0602.html): Glance fields plus
 * Huawei's `__` extensions, with the quirks the provider's code reads (ims/data_source_huaweicloud_images_image.go,
 * resource_huaweicloud_ims_ecs_system_image.go): `__support_arm` "true"/"false", `max_ram` a
 * string, `min_ram`/`min_disk` integers, `__image_size` a string, RFC 3339 times.
 */
import type { Account } from '../../account.js';
import type { TagMap } from './tags.js';
import { SITES, siteOfRegionId, type Site } from '../../../../stacks/catalogue/regions.js';

export interface ImageRecord {
  id: string;
  name: string;
  description: string;
  /** gold (public), private, shared, market. */
  imagetype: 'gold' | 'private';
  status: 'queued' | 'saving' | 'active' | 'deleted';
  platform: string;
  osVersion: string;
  arm: boolean;
  minDisk: number;
  minRam: number;
  maxRam: string;
  sizeBytes: number;
  createdAt: number;
  updatedAt: number;
  tags: TagMap;
  /** For a private image: the server it was captured from, or the image it was copied from. */
  sourceServerId?: string;
  copiedFrom?: string;
  /** Emulated ms when it becomes active. */
  activeAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Huawei's public images, names as IMS returns them. They differ by site: Kunpeng images end in
 * " with ARM" (" ARM版" for Huawei Cloud EulerOS on the Chinese mainland site, whose HCE names are
 * Chinese); Debian is not offered on the Chinese mainland site.
 */
const PUBLIC: [name: string, platform: string, osVersion: string, arm: boolean, minDisk: number, sites: readonly Site[]][] = [
  ['Ubuntu 22.04 server 64bit', 'Ubuntu', 'Ubuntu 22.04 server 64bit', false, 40, SITES],
  ['Ubuntu 24.04 server 64bit', 'Ubuntu', 'Ubuntu 24.04 server 64bit', false, 40, SITES],
  ['Ubuntu 22.04 server 64bit with ARM', 'Ubuntu', 'Ubuntu 22.04 server 64bit with ARM', true, 40, SITES],
  ['Ubuntu 24.04 server 64bit with ARM', 'Ubuntu', 'Ubuntu 24.04 server 64bit with ARM', true, 40, SITES],
  ['Debian 12.0.0 64bit', 'Debian', 'Debian GNU/Linux 12.0.0 64bit', false, 40, ['intl', 'eu']],
  ['CentOS 7.9 64bit', 'CentOS', 'CentOS 7.9 64bit', false, 40, SITES],
  ['Huawei Cloud EulerOS 2.0 Standard 64 bit', 'Huawei Cloud EulerOS', 'Huawei Cloud EulerOS 2.0 64bit', false, 40, ['intl', 'eu']],
  ['Huawei Cloud EulerOS 2.0 Standard 64 bit with ARM', 'Huawei Cloud EulerOS', 'Huawei Cloud EulerOS 2.0 64bit with ARM', true, 40, ['intl', 'eu']],
  ['Huawei Cloud EulerOS 2.0 标准版 64位', 'Huawei Cloud EulerOS', 'Huawei Cloud EulerOS 2.0 64bit', false, 40, ['cn']],
  ['Huawei Cloud EulerOS 2.0 标准版 64位 ARM版', 'Huawei Cloud EulerOS', 'Huawei Cloud EulerOS 2.0 64bit with ARM', true, 40, ['cn']],
];

/** Public images published on a fixed date (older builds of the same OS are not listed). */
const PUBLISHED = Date.UTC(2026, 5, 1);

export function seedPublicImages(region: string, account: Account): void {
  const images = account.collection<ImageRecord>(region, 'images');
  const site = siteOfRegionId(region);
  PUBLIC.forEach(([name, platform, osVersion, arm, minDisk, sites], i) => {
    if (!sites.includes(site)) return;
    const id = account.newId();
    images[id] = {
      id, name, description: '', imagetype: 'gold', status: 'active', platform, osVersion, arm, minDisk, minRam: 0, maxRam: '0',
      sizeBytes: 2_361_393_152, createdAt: PUBLISHED + i * 60_000, updatedAt: PUBLISHED + i * 60_000, tags: {},
    };
  });
}

export function findImage(account: Account, region: string, id: string): ImageRecord | undefined {
  const image = account.collection<ImageRecord>(region, 'images')[id];
  return image && image.status !== 'deleted' ? image : undefined;
}

export function imageBody(account: Account, region: string, i: ImageRecord): Record<string, unknown> {
  const owner = i.imagetype === 'gold' ? '' : account.projectOf(region) ?? '';
  return {
    id: i.id, name: i.name, __description: i.description, status: i.status, visibility: i.imagetype === 'gold' ? 'public' : 'private',
    __imagetype: i.imagetype, __platform: i.platform, __os_version: i.osVersion, __os_type: i.platform.startsWith('Windows') ? 'Windows' : 'Linux',
    __os_bit: '64', __support_arm: String(i.arm), __support_kvm: 'true', __support_xen: 'false', __isregistered: 'true',
    __image_source_type: 'uds', __image_size: String(i.sizeBytes), __data_origin: i.sourceServerId ? `instance,${i.sourceServerId}` : i.copiedFrom ? `image,${i.copiedFrom}` : undefined,
    __originalimagename: i.copiedFrom ?? '', __lazyloading: 'true', __root_origin: i.imagetype === 'gold' ? undefined : 'file', __productcode: '',
    __system__cmkid: undefined, __support_agent_list: 'hss,ces', __account_code: '', __is_offshelved: 'false', __sequence_num: '0',
    virtual_env_type: 'FusionCompute', disk_format: 'zvhd2', container_format: 'bare', min_disk: i.minDisk, min_ram: i.minRam, max_ram: i.maxRam,
    protected: i.imagetype === 'gold', owner, enterprise_project_id: '0', hw_firmware_type: 'bios', hw_vif_multiqueue_enabled: 'true',
    size: null, checksum: 'd41d8cd98f00b204e9800998ecf8427e', tags: [], file: `/v2/images/${i.id}/file`, self: `/v2/images/${i.id}`, schema: '/v2/schemas/image',
    created_at: iso(i.createdAt), updated_at: iso(i.updatedAt), active_at: i.status === 'active' ? iso(i.activeAt ?? i.createdAt) : undefined,
  };
}
