/**
 * What `plan` says about the base image before a build is paid for: a name outside the
 * base-image catalogue (with the nearest catalogue names), a name of another site or CPU
 * architecture (with the one to use), an OS family IMS does not list, and an OS past its end of
 * life. Warnings, not errors: the catalogue can lag behind Huawei, and `catalogue.extraBaseImages`
 * accepts a name the merchant has seen in the console.
 */
import { distance } from 'fastest-levenshtein';
import { BASE_IMAGES, baseImageNamed, baseImagesFor, type BaseImage } from '../catalogue/base-images.js';
import { flavorArchitecture } from '../catalogue/flavors.js';
import type { ImageSpec } from './schema.js';
import type { DefinitionWarning } from './warnings.js';

type Spec = Pick<ImageSpec, 'baseImage' | 'flavors' | 'site' | 'catalogue'>;

/** The catalogue names nearest to a name (ties all), if within a third of its length; else none. */
function nearest(name: string, candidates: readonly string[]): string[] {
  const key = name.toLowerCase();
  const scored = candidates.map((c) => ({ c, d: distance(key, c.toLowerCase()) })).filter(({ d }) => d <= Math.max(3, Math.ceil(name.length / 3)));
  const best = Math.min(...scored.map(({ d }) => d));
  return scored.filter(({ d }) => d === best).map(({ c }) => c).sort();
}

const quoted = (names: readonly string[], or: string) => names.map((n) => `"${n}"`).join(or);
const quotedZh = (names: readonly string[], or: string) => names.map((n) => `“${n}”`).join(or);

/** The same OS and version on another site or architecture. */
const counterpart = (b: BaseImage, site: Spec['site'], arch: BaseImage['arch']) =>
  BASE_IMAGES.find((o) => o.os === b.os && o.version === b.version && o.arch === arch && o.sites.includes(site));

const LOOKUP_FAILS = {
  en: 'if no public image has that name, the builder\'s image lookup fails before anything is created',
  zh: '若不存在该名称的公共镜像，构建机的镜像查询会在创建任何资源之前失败',
};

function nameWarnings(name: string, spec: Spec): DefinitionWarning[] {
  const arch = flavorArchitecture(spec.flavors[0], spec.catalogue.extraFlavorFamilies);
  if (!arch || spec.catalogue.extraBaseImages.includes(name)) return [];
  const path = 'baseImage.name';
  const known = baseImageNamed(name);
  if (known && known.sites.includes(spec.site) && known.arch === arch) {
    if (!known.endOfLife) return [];
    return [{
      path,
      en: `"${name}" reached its end of life on ${known.endOfLife}: it gets no more security updates, and KooGallery rejects images with unfixed high-severity vulnerabilities; move to a supported release`,
      zh: `“${name}”已于 ${known.endOfLife} 停止维护：不再提供安全更新，而云商店会拒绝存在未修复高危漏洞的镜像；请改用仍受支持的版本`,
    }];
  }
  if (known) {
    const other = counterpart(known, spec.site, arch);
    const wrongArch = known.arch !== arch;
    const why = wrongArch
      ? { en: `is the ${known.arch} image, but the flavors (${spec.flavors[0]}) are ${arch}`, zh: `是 ${known.arch} 镜像，而规格（${spec.flavors[0]}）是 ${arch}` }
      : { en: `is its name on site ${known.sites.join(', ')}, not on site ${spec.site}`, zh: `是站点 ${known.sites.join('、')} 上的名称，不是站点 ${spec.site} 上的` };
    return [{
      path,
      en: `"${name}" ${why.en}; ${other ? `did you mean "${other.name}"?` : `the catalogue knows no ${known.os} ${known.version} image for ${arch} on site ${spec.site}`} (${LOOKUP_FAILS.en})`,
      zh: `“${name}”${why.zh}；${other ? `是否应为“${other.name}”？` : `目录中没有站点 ${spec.site} 上 ${arch} 的 ${known.os} ${known.version} 镜像`}（${LOOKUP_FAILS.zh}）`,
    }];
  }
  const here = baseImagesFor(spec.site, arch).map((b) => b.name);
  const near = nearest(name, here);
  const hint = near.length
    ? { en: `did you mean ${quoted(near, ' or ')}?`, zh: `是否应为${quotedZh(near, '或')}？` }
    : { en: `its ${arch} public images on site ${spec.site} include ${quoted(here.slice(0, 4), ', ')}.`, zh: `站点 ${spec.site} 上 ${arch} 的公共镜像包括 ${quotedZh(here.slice(0, 4), '、')}。` };
  return [{
    path,
    en: `"${name}" is not in the catalogue of Huawei public images for site ${spec.site} (${arch}); ${hint.en} If the console lists it in your build region, add it to catalogue.extraBaseImages (${LOOKUP_FAILS.en})`,
    zh: `“${name}”不在站点 ${spec.site}（${arch}）的华为云公共镜像目录中；${hint.zh}若控制台在构建区域列出了该镜像，请将其加入 catalogue.extraBaseImages（${LOOKUP_FAILS.zh}）`,
  }];
}

/** `{ os, osVersion }` matches IMS `__platform` exactly: an unknown family finds nothing. */
function osWarnings(os: string): DefinitionWarning[] {
  const families = [...new Set(BASE_IMAGES.map((b) => b.os))];
  if (families.includes(os)) return [];
  const near = nearest(os, families);
  return [{
    path: 'baseImage.os',
    en: `"${os}" is not an OS family of the catalogue's public images (${families.join(', ')})${near.length ? `; did you mean ${quoted(near, ' or ')}?` : ''} (IMS matches the platform exactly; ${LOOKUP_FAILS.en})`,
    zh: `“${os}”不是目录中公共镜像的操作系统类别（${families.join('、')}）${near.length ? `；是否应为${quotedZh(near, '或')}？` : ''}（IMS 按平台名精确匹配；${LOOKUP_FAILS.zh}）`,
  }];
}

export function baseImageWarnings(spec: Spec): DefinitionWarning[] {
  const base = spec.baseImage;
  return 'name' in base ? nameWarnings(base.name, spec) : osWarnings(base.os);
}
