/**
 * Choices a definition may make but should not make lightly: allowed, reported by `plan` and
 * in the listing sheet: a build region the catalogue marks unconfirmed, a base image outside the
 * base-image catalogue (or of another site or architecture, or past its end of life), and a
 * recommended security-group rule that opens an administration
 * or database port (stacks/catalogue/sensitive-ports.ts) to the whole internet, and an overall
 * build timeout under the step timeouts plus the boot allowance.
 */
import { baseImageWarnings } from './base-image-warnings.js';
import { ANYWHERE, sensitivePortsOf } from '../catalogue/sensitive-ports.js';
import { regionInfo } from '../catalogue/regions.js';
import { releaseGuide } from '../catalogue/seller-links.js';
import type { ImageSpec } from './schema.js';

export interface DefinitionWarning {
  /** The field, e.g. `securityGroup[2]`. */
  readonly path: string;
  readonly en: string;
  readonly zh: string;
}

export interface SecurityRuleLike {
  readonly protocol: string;
  readonly ports?: string;
  readonly source: string;
}

/** One warning per rule that opens a sensitive port to 0.0.0.0/0. */
export function securityGroupWarnings(rules: readonly SecurityRuleLike[]): DefinitionWarning[] {
  return rules.flatMap((rule, i) => {
    // The strict CIDR parser admits only 0.0.0.0 with /0, so this is every "anywhere" rule.
    if (rule.source !== ANYWHERE) return [];
    const ports = sensitivePortsOf(rule);
    if (ports.length === 0) return [];
    const services = ports.map((p) => `${p.service} (${rule.protocol} ${p.port}, ${p.kind === 'admin' ? 'administration' : 'database'})`).join(', ');
    const zhServices = ports.map((p) => `${p.service}（${rule.protocol} ${p.port}，${p.kind === 'admin' ? '管理端口' : '数据库端口'}）`).join('、');
    return [{
      path: `securityGroup[${i}]`,
      en: `opens ${services} to the whole internet (${ANYWHERE}); allowed, but such ports are scanned and brute-forced: recommend a narrower source (the buyer's office or bastion) unless the product needs it open`,
      zh: `向整个互联网（${ANYWHERE}）开放 ${zhServices}；允许，但此类端口常被扫描和暴力破解：除非商品确需开放，建议缩小源地址范围（如买家办公网络或堡垒机）`,
    }];
  });
}

/**
 * A build region the catalogue marks unconfirmed: the docs leave open whether KooGallery
 * accepts an asset built there, which a merchant should check before paying for a build.
 */
function buildRegionWarnings(spec: Pick<ImageSpec, 'buildRegion' | 'site'>): DefinitionWarning[] {
  const info = regionInfo(spec.buildRegion);
  if (!info || info.confirmed !== false) return [];
  const guide = releaseGuide(spec.site);
  return [{
    path: 'buildRegion',
    en: `${info.id} (${info.name}) as a KooGallery build region is not confirmed: ${info.doubt?.en ?? 'the documentation leaves it open'}; check the seller guide (${guide}) or ask KooGallery before a paid build, or pick a confirmed build region`,
    zh: `${info.id}（${info.nameZh}）作为云商店镜像构建区域尚未确认：${info.doubt?.zh ?? '文档未明确'}；付费构建前请查阅卖家指南（${guide}）或咨询云商店，或改用已确认的构建区域`,
  }];
}

/**
 * Minutes of build.timeoutMinutes the guest spends before the first step: the runner's clock
 * starts before it waits for cloud-init (up to 15 minutes, scripts/guest/runner.sh).
 */
export const BOOT_ALLOWANCE_MINUTES = 15;

/**
 * build.timeoutMinutes under the step timeouts plus the boot allowance: allowed (steps rarely
 * use their whole timeout), but a slow step is then cut by the overall limit, not its own.
 */
function buildTimeoutWarnings(spec: Pick<ImageSpec, 'build' | 'install'>): DefinitionWarning[] {
  const steps = spec.install.reduce((sum, s) => sum + s.timeoutMinutes, 0);
  const needed = steps + BOOT_ALLOWANCE_MINUTES;
  if (spec.build.timeoutMinutes >= needed) return [];
  return [{
    path: 'build.timeoutMinutes',
    en: `${spec.build.timeoutMinutes} minutes is under the install steps' timeouts (${steps} minutes) plus ${BOOT_ALLOWANCE_MINUTES} for boot and cloud-init (${needed}); allowed, but a slow build is stopped by the overall limit before its steps' own: raise build.timeoutMinutes to at least ${needed} or lower the steps' timeoutMinutes`,
    zh: `${spec.build.timeoutMinutes} 分钟小于各安装步骤超时之和（${steps} 分钟）加启动与 cloud-init 的 ${BOOT_ALLOWANCE_MINUTES} 分钟（共 ${needed} 分钟）；允许，但较慢的构建会先被总时限中止：请将 build.timeoutMinutes 提高到至少 ${needed}，或降低各步骤的 timeoutMinutes`,
  }];
}

/** Every warning of a validated definition. */
export function definitionWarnings(spec: Pick<ImageSpec, 'securityGroup' | 'buildRegion' | 'site' | 'baseImage' | 'flavors' | 'catalogue' | 'build' | 'install'>): DefinitionWarning[] {
  return [...buildRegionWarnings(spec), ...baseImageWarnings(spec), ...securityGroupWarnings(spec.securityGroup), ...buildTimeoutWarnings(spec)];
}
