/**
 * Where a merchant fills in the listing sheet, per site: KooGallery (its "Seller Console" link,
 * top right, opens seller center: "Managing Image Assets",
 * https://support.huaweicloud.com/eu/de-de/sp-marketplace/eu_sp_topic_000109.html), the image
 * release guide, and the console pages the sheet sends the merchant to (the private image that
 * becomes the asset, the IAM agency KooGallery copies it with). Sites do not share accounts, so
 * every link stays on the product's own site.
 */
import { SITE_CONSOLE, type Site } from './regions.js';

export interface SellerLink {
  readonly zh: string;
  readonly en: string;
  readonly url: string;
}

const KOOGALLERY: Readonly<Record<Site, string>> = {
  cn: 'https://marketplace.huaweicloud.com/',
  intl: 'https://marketplace.huaweicloud.com/intl/',
  eu: 'https://marketplace.eu.huaweicloud.com/',
};

/** The image release guide of each site's Help Center. */
const RELEASE_GUIDE: Readonly<Record<Site, string>> = {
  // The Chinese mainland seller guide's overview of onboarding and release.
  cn: 'https://support.huaweicloud.com/usermanual-marketplace/sp_topic_0000007.html',
  intl: 'https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html',
  eu: 'https://support.huaweicloud.com/eu/sp-marketplace/eu_sp_topic_000075.html',
};

/** The site's image release guide: what to check before relying on an unconfirmed catalogue fact. */
export function releaseGuide(site: Site): string {
  return RELEASE_GUIDE[site];
}

/**
 * The links of a listing sheet. The console links are the site's console host with the IMS and
 * IAM page paths as the consoles use them; Huawei documents the hosts, not these paths.
 */
export function sellerLinks(site: Site, buildRegion: string): SellerLink[] {
  const console = SITE_CONSOLE[site];
  return [
    { zh: '云商店（右上角“卖家中心”）', en: 'KooGallery (Seller Console, top right)', url: KOOGALLERY[site] },
    { zh: '镜像类商品发布指南', en: 'Image release guide', url: releaseGuide(site) },
    { zh: `镜像服务控制台：私有镜像（${buildRegion}）`, en: `IMS console: private images (${buildRegion})`, url: `${console}/ims/?region=${buildRegion}#/ims/manager/imageList/privateImage` },
    { zh: '统一身份认证控制台：委托', en: 'IAM console: agencies', url: `${console}/iam/#/iam/agencies` },
  ];
}
