/**
 * Choices a definition may make but should not make lightly: allowed, reported by `plan` and
 * in the listing sheet. Today: a recommended security-group rule that opens an administration
 * or database port (stacks/catalogue/sensitive-ports.ts) to the whole internet.
 */
import { ANYWHERE, sensitivePortsOf } from '../catalogue/sensitive-ports.js';
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

/** Every warning of a validated definition. */
export function definitionWarnings(spec: Pick<ImageSpec, 'securityGroup'>): DefinitionWarning[] {
  return securityGroupWarnings(spec.securityGroup);
}
