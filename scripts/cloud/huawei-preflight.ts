/**
 * Preflight reads from IMS, IAM and ECS (read-only, nothing billed).
 * - Private images: IMS ShowImageQuota `GET /v1/cloudimages/quota` (used and quota per region).
 * - Agency: IAM ListAgencies `GET /v3.0/OS-AGENCY/agencies?domain_id=..&name=..`; the account
 *   (domain) ID comes from HW_DOMAIN_ID or IAM `GET /v3/auth/domains`.
 * - Flavors on sale: ECS ListFlavors `GET /v1/{project_id}/cloudservers/flavors`, whose
 *   os_extra_specs carry `cond:operation:status` (normal / sellout / abandon ...) and
 *   `cond:operation:az` ("az1(normal), az2(sellout)"): flavors sell out per availability zone.
 * - Version images: IMS ListImages filtered by the factory's version tag, then the product tag.
 */
import { IMS } from '../../stacks/catalogue/ims-rules.js';
import { TAG } from '../../stacks/definition/tags.js';
import type { Credentials } from './credentials.js';
import type { HuaweiApi } from './huawei-api.js';
import type { ListedImage, Placement, PreflightClient } from './types.js';

interface Flavor {
  name: string;
  os_extra_specs?: Record<string, string>;
}

const ON_SALE = new Set(['normal', 'promotion', 'obt']);

/** The AZs where a flavor is on sale; [] when it is sold out everywhere; undefined = region's choice. */
function flavorAvailability(f: Flavor): string[] | undefined {
  const specs = f.os_extra_specs ?? {};
  const status = specs['cond:operation:status'] ?? 'normal';
  const perAz = (specs['cond:operation:az'] ?? '').split(',').map((s) => /^\s*([^()\s]+)\(([^)]+)\)\s*$/.exec(s)).filter((m): m is RegExpExecArray => m !== null);
  if (perAz.length) {
    // An AZ listed without a sale status, or with an on-sale one, can take the flavor.
    return perAz.filter((m) => ON_SALE.has(m[2])).map((m) => m[1]);
  }
  return ON_SALE.has(status) ? undefined : [];
}

export class HuaweiPreflight implements PreflightClient {
  private domainId?: string;

  constructor(private readonly api: HuaweiApi, credentials: Credentials, private readonly homeRegion: string) {
    this.domainId = credentials.domainId;
  }

  private async listPrivateImages(region: string, query: Record<string, string> = {}): Promise<ListedImage[]> {
    const out: ListedImage[] = [];
    let marker: string | undefined;
    for (;;) {
      const res = await this.api.request<{ images?: { id: string; name: string; status?: string; created_at?: string }[] }>('ims', region, {
        method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private', limit: 500, marker, ...query },
      });
      const page = res.images ?? [];
      out.push(...page.map((i) => ({ id: i.id, name: i.name, status: i.status ?? 'unknown', createdAt: i.created_at })));
      if (page.length < 500) return out;
      marker = page[page.length - 1].id;
    }
  }

  /**
   * IMS ShowImageQuota `GET /v1/cloudimages/quota`: `quotas.resources[type=image]` gives the
   * private images in use and the quota of the region, which an account can have raised
   * (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0701.html).
   */
  async privateImageUsage(region: string): Promise<{ used: number; quota: number }> {
    const res = await this.api.request<{ quotas?: { resources?: { type: string; used: number; quota: number }[] } }>('ims', region, { method: 'GET', path: '/v1/cloudimages/quota' });
    const image = res.quotas?.resources?.find((r) => r.type === 'image');
    // Without the quota in the answer, count the images against Huawei's default quota.
    return image ? { used: image.used, quota: image.quota } : { used: (await this.listPrivateImages(region)).length, quota: IMS.privateImageQuota };
  }

  /**
   * IAM ListAgencies, `GET /v3.0/OS-AGENCY/agencies?domain_id=..&name=..`: an account-level
   * API whose `domain_id` (the delegating account) is mandatory and which accepts regional
   * endpoints as well as the global one (https://support.huaweicloud.com/intl/en-us/api-iam/iam_12_0001.html,
   * "Listing Agencies - ListAgencies"). It is signed with domain-scoped GlobalCredentials, not a
   * project; the account ID comes from HW_DOMAIN_ID or IAM `GET /v3/auth/domains`.
   */
  async agencyExists(name: string): Promise<boolean> {
    if (!this.domainId) {
      const res = await this.api.requestGlobal<{ domains?: { id: string }[] }>('iam', this.homeRegion, { method: 'GET', path: '/v3/auth/domains' });
      this.domainId = res.domains?.[0]?.id;
      if (!this.domainId) throw new Error('IAM GET /v3/auth/domains returned no account for this key; set HW_DOMAIN_ID (the account ID, "My Credentials" in the console)');
    }
    const res = await this.api.requestGlobal<{ agencies?: { name: string }[] }>('iam', this.homeRegion, {
      method: 'GET', path: '/v3.0/OS-AGENCY/agencies', query: { domain_id: this.domainId, name },
    }, this.domainId);
    return (res.agencies ?? []).some((a) => a.name === name);
  }

  async findPlacement(region: string, flavors: readonly string[]): Promise<Placement | undefined> {
    const res = await this.api.request<{ flavors?: Flavor[] }>('ecs', region, { method: 'GET', path: '/v1/{project_id}/cloudservers/flavors' });
    const all = new Map((res.flavors ?? []).map((f) => [f.name, f]));
    for (const name of flavors) {
      const f = all.get(name);
      if (!f) continue;
      const zones = flavorAvailability(f);
      if (zones === undefined) return { flavor: name };
      if (zones.length) return { flavor: name, availabilityZone: zones[0] };
    }
    return undefined;
  }

  /**
   * IMS ListImages (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0702.html) by the
   * build's tag, and by name: a copy gets its tags only after its job is done
   * (resource_huaweicloud_images_image_copy.go sets them after the wait), so a copy whose
   * answer was lost may carry none.
   */
  async findBuildImages(region: string, buildId: string, name?: string): Promise<ListedImage[]> {
    const [tagged, named] = await Promise.all([this.listPrivateImages(region, { tag: `${TAG.buildId}=${buildId}` }), name === undefined ? [] : this.listPrivateImages(region, { name })]);
    const seen = new Map(tagged.map((i) => [i.id, i]));
    for (const i of named) if (!seen.has(i.id)) seen.set(i.id, i);
    return [...seen.values()];
  }

  async findVersionImages(region: string, product: string, version: string): Promise<{ id: string; name: string }[]> {
    const candidates = await this.listPrivateImages(region, { tag: `${TAG.version}=${version}` });
    const out: { id: string; name: string }[] = [];
    for (const image of candidates) {
      const res = await this.api.request<{ tags?: { key: string; value: string }[] }>('ims', region, {
        method: 'GET', path: '/v2/{project_id}/images/{image_id}/tags', params: { image_id: image.id },
      });
      if ((res.tags ?? []).some((t) => t.key === TAG.product && t.value === product)) out.push({ id: image.id, name: image.name });
    }
    return out;
  }
}
