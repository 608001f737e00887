/**
 * The listing sheet: what the merchant copies into seller center, in the order the forms ask
 * for it ("Managing Image Assets", https://support.huaweicloud.com/eu/de-de/sp-marketplace/eu_sp_topic_000109.html;
 * "Releasing Images", https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html). listing.md and listing.html render this same model.
 */
import { PRICING_MODE_NAMES } from '../../stacks/definition/listing.js';
import { securityGroupWarnings } from '../../stacks/definition/warnings.js';
import { chineseOrQuoted } from '../../stacks/catalogue/merchant-text.js';
import { regionText } from '../../stacks/template/model.js';
import { sellerLinks, type SellerLink } from '../../stacks/catalogue/seller-links.js';
import type { Manifest } from './manifest-schema.js';

export interface Bilingual { readonly zh: string; readonly en: string }

export type FieldValue =
  | { kind: 'bilingual'; zh: string; en: string }
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: Bilingual[] }
  /** `copy`: the columns that get a copy button (those a merchant pastes somewhere). */
  | { kind: 'table'; head: Bilingual[]; rows: string[][]; copy: number[] };

interface SheetField {
  readonly label: Bilingual;
  readonly value: FieldValue;
  /** Shown under the value: where it comes from, what to do with it. */
  readonly note?: Bilingual;
}

interface SheetSection {
  readonly title: Bilingual;
  readonly fields: SheetField[];
}

export interface Sheet {
  readonly title: Bilingual;
  readonly planned: boolean;
  /** Risky but allowed choices (definition warnings), shown above the sections. */
  readonly warnings: Bilingual[];
  /** Seller center, the release guide and the console pages the sheet mentions, on the product's site. */
  readonly links: SellerLink[];
  readonly sections: SheetSection[];
}

const PLANNED = { zh: '计划中（尚未构建）', en: 'planned (not built yet)' };
const MISSING = { zh: '缺失（复制未完成）', en: 'missing (copy not done)' };

export function listingSheet(m: Manifest): Sheet {
  const planned = m.images.status === 'planned';
  const l = m.listing;
  const text = (t: string): FieldValue => ({ kind: 'text', text: t });
  const bi = (b: Bilingual): FieldValue => ({ kind: 'bilingual', zh: b.zh, en: b.en });
  const imageRows = m.images.regions.map((r) => [
    `${r.region}`,
    r.regionName,
    r.regionNameZh,
    r.imageId ?? (r.status === 'planned' ? `${PLANNED.en} / ${PLANNED.zh}` : `${MISSING.en} / ${MISSING.zh}`),
  ]);
  const sg = m.asset.securityGroup.map((r) => [r.direction, r.protocol.toUpperCase(), r.ports ?? '-', r.source, r.description, chineseOrQuoted(r.description, r.descriptionZh)]);
  const regionList = (ids: string[]): FieldValue => (ids.length
    ? { kind: 'bilingual', zh: ids.map((id) => regionText(id).zh).join('、'), en: ids.map((id) => regionText(id).en).join(', ') }
    : text('-'));
  // Rules are numbered from 1 in the sheet's table, as the merchant reads it.
  const warnings = securityGroupWarnings(m.asset.securityGroup).map((w) => {
    const n = Number(/\d+/.exec(w.path)![0]) + 1;
    return { en: `Recommended security group rule ${n} ${w.en}.`, zh: `推荐安全组第 ${n} 条规则${w.zh}。` };
  });
  return {
    title: { zh: `${m.product.nameZh} ${m.version} 上架信息`, en: `${m.product.nameEn} ${m.version} listing sheet` },
    planned,
    warnings,
    links: sellerLinks(m.site, m.asset.buildRegion),
    sections: [
      {
        title: { zh: '1. 创建镜像资产', en: '1. Register the image asset' },
        fields: [
          { label: { zh: '镜像名称', en: 'Image name' }, value: text(m.images.name) },
          { label: { zh: '资产版本', en: 'Asset version' }, value: text(m.asset.version) },
          { label: { zh: '各区域镜像ID', en: 'Image ID per region' }, value: { kind: 'table', head: [{ zh: '区域ID', en: 'Region ID' }, { zh: '区域（英文）', en: 'Region' }, { zh: '区域', en: 'Region (Chinese)' }, { zh: '镜像ID', en: 'Image ID' }], rows: imageRows, copy: [3] }, note: planned ? { zh: '镜像尚未构建：运行构建后重新生成本页即可得到镜像ID。', en: 'No image has been built yet: run a build, then regenerate this sheet to get the IDs.' } : undefined },
          { label: { zh: '构建区域', en: 'Build region' }, value: regionList([m.asset.buildRegion]) },
          { label: { zh: '复制区域', en: 'Regions to replicate to' }, value: regionList(m.asset.replicationRegions) },
          { label: { zh: 'IAM委托（需 IMS Administrator 权限）', en: 'IAM agency (holding IMS Administrator)' }, value: text(m.asset.agencyName ?? '-') },
          ...(m.provenance.build?.sbom ? [{ label: { zh: '软件物料清单（SBOM）', en: 'Software bill of materials (SBOM)' }, value: text(sbomSummary(m.provenance.build.sbom)), note: { zh: 'CycloneDX 1.6，与 build.json 同目录；漏洞扫描或买家问询时提供。', en: 'CycloneDX 1.6, next to build.json: for vulnerability scans and buyers who ask what the image holds.' } }] : []),
          { label: { zh: '推荐安全组规则', en: 'Recommended security group' }, value: { kind: 'table', head: [{ zh: '方向', en: 'Direction' }, { zh: '协议', en: 'Protocol' }, { zh: '端口', en: 'Ports' }, { zh: '源地址', en: 'Source' }, { zh: '说明（英文）', en: 'Description' }, { zh: '说明', en: 'Description (Chinese)' }], rows: sg, copy: [] }, note: warnings.length ? { en: warnings.map((w) => w.en).join(' '), zh: warnings.map((w) => w.zh).join('') } : undefined },
        ],
      },
      {
        title: { zh: '2. 发布商品', en: '2. Release the product' },
        fields: [
          { label: { zh: '交付方式', en: 'Delivery method' }, value: bi({ zh: '镜像', en: 'Image' }) },
          { label: { zh: '商品名称', en: 'Product name' }, value: bi({ zh: m.product.nameZh, en: m.product.nameEn }) },
          { label: { zh: '商品Logo', en: 'Logo' }, value: text(`${l.logo.file} (PNG ${l.logo.widthPx}x${l.logo.heightPx}, ${l.logo.bytes} bytes)`) },
          { label: { zh: '计费模式', en: 'Pricing mode' }, value: { kind: 'list', items: l.pricingModes.map((p) => PRICING_MODE_NAMES[p]) } },
          { label: { zh: '商品简介', en: 'Overview' }, value: bi(l.overview) },
          { label: { zh: '商品描述', en: 'Description' }, value: bi(l.description) },
          { label: { zh: '商品亮点', en: 'Highlights' }, value: { kind: 'list', items: l.highlights } },
          {
            label: { zh: '规格（SKU）', en: 'Specifications (SKUs)' },
            value: { kind: 'table', head: [{ zh: '规格名称（中文）', en: 'Name (Chinese)' }, { zh: '规格名称（英文）', en: 'Name (English)' }, { zh: '推荐规格', en: 'Recommended flavors' }, { zh: '最低规格', en: 'Minimum flavor' }], rows: l.specifications.map((s) => [s.nameZh, s.nameEn, s.recommendedFlavors.join(', '), s.minimumFlavor]), copy: [0, 1] },
          },
          { label: { zh: '支持的操作系统', en: 'Supported OS' }, value: text(l.operatingSystem) },
          { label: { zh: '架构', en: 'Architecture' }, value: text(l.architecture) },
          { label: { zh: '最小系统盘', en: 'Minimum disk' }, value: text(`${m.requirements.minDiskGiB} GiB`) },
          { label: { zh: '最小内存', en: 'Minimum RAM' }, value: text(`${m.requirements.minRamMiB} MiB`) },
          { label: { zh: '发布区域', en: 'Release regions' }, value: regionList(m.images.regions.map((r) => r.region)) },
          { label: { zh: '使用指南', en: 'Usage guide' }, value: text(`${l.usageGuide.file} (${l.usageGuide.bytes} bytes)`) },
          ...(l.accessUrl ? [{ label: { zh: '访问地址', en: 'Access URL' }, value: text(l.accessUrl.replace('{ip}', '<IP>')) }] : []),
        ],
      },
      {
        title: { zh: '3. 上架后：一键部署模板', en: '3. After listing: one-click deployment template' },
        fields: [
          { label: { zh: '模板文件', en: 'Template file' }, value: text('template/template.zip'), note: { zh: '商品上架后在卖家中心关联该模板（资源编排服务 RFS）。', en: 'Attach it in seller center once the product is listed (Resource Formation Service, RFS).' } },
        ],
      },
    ],
  };
}

/** "sbom.cdx.json: 214 packages; nginx 1.22.1-9, nginx-common 1.22.1-9". */
function sbomSummary(sbom: { file: string; packages: number; products?: { name: string; version: string }[] }): string {
  const products = sbom.products?.length ? `; ${sbom.products.map((p) => `${p.name} ${p.version}`).join(', ')}` : '';
  return `${sbom.file}: ${sbom.packages} packages${products}`;
}
