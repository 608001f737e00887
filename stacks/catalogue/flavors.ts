/**
 * ECS flavor families KooGallery recommends for building image products: general computing
 * (s-series) and general computing-plus (c-, ac- and kc-series) families (seller guide,
 * "Releasing Images": https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html).
 * Other families (memory-optimized m, burstable t, GPU p and g, disk-intensive d, ...) are
 * rejected so the build is reproducible on the hardware buyers most often pick.
 * `catalogue.extraFlavorFamilies` in an image definition admits a family this list lacks.
 */
export type Architecture = 'x86_64' | 'aarch64';

export const GENERAL_PURPOSE_FAMILIES: Readonly<Record<string, Architecture>> = {
  s3: 'x86_64', s6: 'x86_64', s7: 'x86_64', s7n: 'x86_64', sn3: 'x86_64',
  c3: 'x86_64', c3ne: 'x86_64', c6: 'x86_64', c6s: 'x86_64', c6h: 'x86_64', c7: 'x86_64',
  c7n: 'x86_64', c7t: 'x86_64', ac7: 'x86_64', ac8: 'x86_64',
  kc1: 'aarch64', kc2: 'aarch64',
};

/** `s7.large.2` -> family `s7`, size `large`, memory ratio 2. */
export const FLAVOR_PATTERN = /^([a-z]+[0-9]+[a-z]*)\.([0-9]*x?large|medium|small)\.([0-9]+)$/;

export function flavorFamily(flavor: string): string | undefined {
  return FLAVOR_PATTERN.exec(flavor)?.[1];
}

export function flavorArchitecture(flavor: string, extraFamilies: Readonly<Record<string, Architecture>> = {}): Architecture | undefined {
  const family = flavorFamily(flavor);
  return family ? { ...GENERAL_PURPOSE_FAMILIES, ...extraFamilies }[family] : undefined;
}
