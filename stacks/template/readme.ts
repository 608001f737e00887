/**
 * The buyer's README.md, packed beside main.tf.json in template.zip: what the template
 * creates, what it costs, its outputs and how to connect, in English and in Chinese. Every
 * paragraph is written as one English/Chinese pair, so the two halves cannot drift apart.
 * Built from the same TemplateModel as the Terraform stack.
 */
import { PRICING_MODE_NAMES } from '../definition/listing.js';
import { ANYWHERE } from '../catalogue/sensitive-ports.js';
import { CHARGING_MODE_NAMES } from './pricing.js';
import { exposureWarning, GiB, PUBLIC_SOURCE_EXAMPLE, TEMPLATE_DEFAULTS, regionText, ruleTarget, vcpuText, type Bi, type IngressRule, type TemplateModel } from './model.js';

export const README_FILE = 'README.md';

/** Output name -> meaning; passed in by the stack module to keep one source for both. */
export type OutputTexts = Readonly<Record<string, Bi>>;

interface Section {
  readonly title: Bi;
  /** Paragraphs or list items ("- " prefixed), or tables (arrays of rows). */
  readonly blocks: readonly (Bi | { readonly table: { readonly head: Bi[]; readonly rows: string[][] } })[];
}

const code = (s: string) => `\`${s}\``;
/** Table cells: a pipe would end the cell. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderBuyerReadme(model: TemplateModel, outputs: OutputTexts): string {
  const { spec, listing, source, pricing, skus } = model;
  const product: Bi = { en: `${spec.product.nameEn} ${spec.version}`, zh: `${spec.product.nameZh} ${spec.version}` };
  const vmList = `${model.console}/ecm/#/ecs/manager/vmList`;
  const sections: Section[] = [];

  const imageFrom: Bi = source.kind === 'asset'
    ? { en: `the product's KooGallery image (asset ${code(source.assetId)}, version ${source.assetVersion}), found in the region you deploy in`, zh: `本商品的云商店镜像（资产 ${code(source.assetId)}，版本 ${source.assetVersion}），在您部署的区域中查找` }
    : source.kind === 'image-ids'
      ? { en: `the product's image, built in ${Object.keys(source.imageIds).join(', ')}`, zh: `本商品的镜像，已在 ${Object.keys(source.imageIds).join('、')} 构建` }
      : { en: 'the product\'s image, which does not exist yet (see the notice above)', zh: '本商品的镜像，该镜像尚不存在（见上方说明）' };
  const ingressRows = model.ingress.map((r) => [code(r.variable), ruleTarget(r), code(r.source), r.purpose] as const);
  const warnings = model.ingress.flatMap((r) => {
    const w = exposureWarning(r);
    return w ? [{ en: `- ${code(r.variable)}: ${w.en}`, zh: `- ${code(r.variable)}：${w.zh}` }] : [];
  });
  sections.push({
    title: { en: 'What it creates', zh: '创建的资源' },
    blocks: [
      { en: `- One ECS (Elastic Cloud Server) running ${product.en} (${listing.operatingSystem}, ${listing.architecture}), from ${imageFrom.en}. Regions: ${model.regions.map((r) => regionText(r).en).join(', ')}.`, zh: `- 一台运行${product.zh}（${listing.operatingSystem}，${listing.architecture}）的云服务器（ECS），使用${imageFrom.zh}。可选区域：${model.regions.map((r) => regionText(r).zh).join('、')}。` },
      model.ingress.length
        ? { en: `- A security group, ${code('<instance_name>-secgroup')}, with the seller's recommended inbound rules below. Each rule has a source variable: set it to your own addresses to narrow who can connect.`, zh: `- 一个安全组 ${code('<instance_name>-secgroup')}，包含下表中商家推荐的入方向规则。每条规则有一个源地址变量：将其设为您自己的地址即可限制可连接的来源。` }
        : { en: `- A security group, ${code('<instance_name>-secgroup')}, with no inbound rule: nothing can connect until you add one.`, zh: `- 一个安全组 ${code('<instance_name>-secgroup')}，没有入方向规则：添加规则之前无法从外部连接。` },
      ...(model.ingress.length ? [{ table: { head: [{ en: 'Variable', zh: '变量' }, { en: 'Protocol and ports', zh: '协议和端口' }, { en: 'Default source', zh: '默认源地址' }, { en: 'Purpose', zh: '用途' }], rows: [] as string[][] } }] : []),
      ...warnings,
      { en: `- A VPC (${code(TEMPLATE_DEFAULTS.vpcCidr)}) and a subnet (${code(TEMPLATE_DEFAULTS.subnetCidr)}), unless you give ${code('vpc_id')} and ${code('subnet_id')} of existing ones.`, zh: `- 一个VPC（${code(TEMPLATE_DEFAULTS.vpcCidr)}）和一个子网（${code(TEMPLATE_DEFAULTS.subnetCidr)}），除非您填写已有的 ${code('vpc_id')} 和 ${code('subnet_id')}。` },
      { en: `- An elastic public IP (EIP) with ${TEMPLATE_DEFAULTS.eipBandwidthMbps} Mbit/s of bandwidth, unless ${code('create_eip')} is false.`, zh: `- 一个带宽为${TEMPLATE_DEFAULTS.eipBandwidthMbps} Mbit/s的弹性公网IP（EIP），除非 ${code('create_eip')} 为 false。` },
    ],
  });

  const modes: Bi = { en: listing.pricingModes.map((m) => PRICING_MODE_NAMES[m].en).join(', '), zh: listing.pricingModes.map((m) => PRICING_MODE_NAMES[m].zh).join('、') };
  const allowed: Bi = { en: pricing.allowed.map((m) => `${m} (${CHARGING_MODE_NAMES[m].en})`).join(' or '), zh: pricing.allowed.map((m) => `${m}（${CHARGING_MODE_NAMES[m].zh}）`).join('或') };
  const prePaid = pricing.allowed.includes('prePaid');
  sections.push({
    title: { en: 'What it costs', zh: '费用' },
    blocks: [
      { en: `- The image: ${spec.product.nameEn} is sold on KooGallery as ${modes.en}; its fee depends on the specification (${code('specification')}) you bought: ${skus.map((s) => `${code(s.id)} (${s.nameEn})`).join(', ')}.`, zh: `- 镜像：${spec.product.nameZh}在云商店以${modes.zh}方式销售，费用取决于您购买的产品规格（${code('specification')}）：${skus.map((s) => `${code(s.id)}（${s.nameZh}）`).join('、')}。` },
      { en: `- The ECS: the flavor you choose, charged ${allowed.en}; ${code('charging_mode')} defaults to ${pricing.default}${prePaid ? `, and a prePaid subscription to 1 month (${code('charging_period_unit')}, ${code('charging_period')})` : ''}.`, zh: `- 云服务器：按您选择的规格计费，计费模式为${allowed.zh}；${code('charging_mode')} 默认为 ${pricing.default}${prePaid ? `，prePaid 订购时长默认为1个月（${code('charging_period_unit')}、${code('charging_period')}）` : ''}。` },
      ...skus.map((s) => ({ en: `  - ${code(s.id)}: recommended ${s.flavors.map(code).join(', ')}; at least ${code(s.minimumFlavor)} (${vcpuText(s.minVcpus).en}, ${GiB(s.minRamMiB)}).`, zh: `  - ${code(s.id)}：推荐 ${s.flavors.map(code).join('、')}；至少 ${code(s.minimumFlavor)}（${vcpuText(s.minVcpus).zh}，${GiB(s.minRamMiB)}）。` })),
      { en: `- The system disk: ${spec.systemDisk.type}, ${spec.systemDisk.sizeGiB} GiB by default, charged with the ECS.`, zh: `- 系统盘：默认 ${spec.systemDisk.type}、${spec.systemDisk.sizeGiB} GiB，随云服务器计费。` },
      { en: '- The EIP: its bandwidth is billed by traffic (pay-per-use), whatever the charging mode of the ECS.', zh: '- 弹性公网IP：带宽按流量计费（按需），与云服务器的计费模式无关。' },
      { en: '- The VPC, subnet and security group are free.', zh: '- VPC、子网和安全组免费。' },
    ],
  });

  sections.push({
    title: { en: 'Outputs', zh: '输出' },
    blocks: Object.entries(outputs).map(([name, t]) => ({ en: `- ${code(name)}: ${t.en}.`, zh: `- ${code(name)}：${t.zh}。` })),
  });

  // The rule that opens the remote-login port; of several, one the internet can use.
  const opening = (port: number) => {
    const rules = model.ingress.filter((r) => r.protocol === 'tcp' && r.portMin! <= port && r.portMax! >= port);
    return rules.find((r) => !r.privateSource) ?? rules[0];
  };
  const remote = model.windows ? opening(3389) : opening(22);
  const service: Bi = model.windows ? { en: 'Remote Desktop (RDP, port 3389)', zh: '远程桌面（RDP，3389 端口）' } : { en: 'SSH (port 22)', zh: 'SSH（22 端口）' };
  const serviceShort: Bi = model.windows ? { en: 'Remote Desktop', zh: '远程桌面' } : { en: 'SSH', zh: 'SSH' };
  const login = (ip: string): Bi => model.windows
    ? { en: `${code(`<${ip}>`)} as ${code('Administrator')}`, zh: `以 ${code('Administrator')} 连接 ${code(`<${ip}>`)}` }
    : { en: code(`ssh ${model.adminUser}@<${ip}>`), zh: code(`ssh ${model.adminUser}@<${ip}>`) };
  /** How to connect, from the rule's actual default: the EIP is created by default (create_eip). */
  const remoteLines = (r: IngressRule): Bi[] => {
    const v = code(r.variable);
    const src = code(r.source);
    const example = code(PUBLIC_SOURCE_EXAMPLE);
    if (r.privateSource) {
      return [{
        en: `- ${service.en} is open only to ${src}, the default of ${v}: a private range, reached from inside the VPC or from a network joined to it privately (${login('private_ip').en}). ${serviceShort.en} over the EIP (${login('public_ip').en}) will not work until you set ${v} to your own public address or CIDR, e.g. ${example}.`,
        zh: `- ${service.zh}仅对 ${src} 开放，即 ${v} 的默认值：这是私有网段，只能从VPC内或与其私网互通的网络连接（${login('private_ip').zh}）。在您将 ${v} 设为您自己的公网地址或网段（例如 ${example}）之前，无法通过弹性公网IP（EIP）使用${serviceShort.zh}连接（${login('public_ip').zh}）。`,
      }];
    }
    const from: Bi = r.source === ANYWHERE
      ? { en: `from any address: ${v} defaults to ${src}; narrow it to your own public address or CIDR, e.g. ${example}`, zh: `任何地址均可连接：${v} 默认为 ${src}；请将其收窄为您自己的公网地址或网段，例如 ${example}` }
      : { en: `from an address in ${src}, the default of ${v}; to connect from elsewhere, set it to your own public address or CIDR, e.g. ${example}`, zh: `源地址须在 ${v} 的默认值 ${src} 之内；如需从其他地址连接，请将其设为您自己的公网地址或网段，例如 ${example}` };
    return [
      { en: `- Connect with ${service.en}: ${login('public_ip').en}, ${from.en}.`, zh: `- 使用${service.zh}连接：${login('public_ip').zh}，${from.zh}。` },
      { en: `- Without an EIP (${code('create_eip')} false), ${code('public_ip')} is empty: connect to ${code('private_ip')} from inside the VPC.`, zh: `- 不绑定EIP（${code('create_eip')} 为 false）时 ${code('public_ip')} 为空：请从VPC内连接 ${code('private_ip')}。` },
    ];
  };
  const connect: Bi[] = [
    { en: `- Deploy the template in RFS (Resource Formation Service). Every variable has a default except ${code('admin_password')}, the password of ${code(model.adminUser)}.`, zh: `- 在资源编排服务（RFS）中部署此模板。除 ${code('admin_password')}（${code(model.adminUser)} 的密码）外，所有变量都有默认值。` },
    ...(remote
      ? remoteLines(remote)
      : [{ en: `- No rule opens ${service.en}: log in through Remote Login in the ECS console.`, zh: `- 没有规则开放${service.zh}：请通过云服务器控制台的“远程登录”登录。` }]),
    { en: `- ECS console: ${vmList}`, zh: `- 云服务器控制台：${vmList}` },
  ];
  if (listing.accessUrl) {
    connect.push({ en: `- Open ${code('access_url')} in a browser: ${code(listing.accessUrl.replace('{ip}', '<public_ip>'))}.`, zh: `- 在浏览器中打开 ${code('access_url')}：${code(listing.accessUrl.replace('{ip}', '<public_ip>'))}。` });
  }
  connect.push({ en: '- The usage guide is on the product\'s KooGallery page.', zh: '- 使用指南见本商品的云商店页面。' });
  sections.push({ title: { en: 'How to connect', zh: '如何连接' }, blocks: connect });

  const lang = (l: 'en' | 'zh') => sections.map((s) => {
    const body = s.blocks.map((b) => {
      if ('table' in b) {
        const head = b.table.head.map((h) => h[l]);
        const rows = ingressRows.map(([v, target, src, purpose]) => [v, target[l], src, purpose[l]]);
        return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
      }
      return b[l];
    });
    // Consecutive list items stay one list; paragraphs and tables get a blank line around them.
    const text = body.reduce((acc, cur, i) => (i === 0 ? cur : acc + (cur.trimStart().startsWith('- ') && body[i - 1].trimStart().startsWith('- ') ? '\n' : '\n\n') + cur), '');
    return `### ${s.title[l]}\n\n${text}`;
  }).join('\n\n');

  const planned: Bi | undefined = source.kind === 'planned' ? {
    en: '> **PLANNED, NOT DEPLOYABLE.** This template was generated before the product had a KooGallery asset ID or built images: it has no image, and a deployment stops at once with this message. Ask the seller for the released template.',
    zh: '> **规划版本，不可部署。** 此模板生成时商品尚无云商店资产ID或已构建的镜像：模板中没有镜像，部署会立即停止并提示此信息。请向商家获取正式发布的模板。',
  } : undefined;
  const anywhere = model.ingress.some((r) => r.source === ANYWHERE);
  const intro: Bi = {
    en: `One-click deployment of ${product.en} on Huawei Cloud.${anywhere ? ` Some rules default to ${ANYWHERE} (the whole internet): narrow them when you deploy.` : ''}`,
    zh: `在华为云上一键部署${product.zh}。${anywhere ? `部分规则默认 ${ANYWHERE}（整个互联网）：部署时请收窄。` : ''}`,
  };
  const parts = [
    `# ${product.en} / ${product.zh}`,
    ...(planned ? [planned.en, planned.zh] : []),
    '## English', intro.en, lang('en'),
    '## 中文', intro.zh, lang('zh'),
  ];
  return `${parts.join('\n\n')}\n`;
}
