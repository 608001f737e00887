/**
 * Every template variant (pricing modes, sites, image sources, planned) against the RFS rule
 * pack, the provider schema, byte-identity across runs, site-correct texts, and genuinely
 * bilingual descriptions and messages in main.tf.json and the buyer README.
 */
import { describe, expect, it } from 'vitest';
import { buildTemplate, README_FILE, TEMPLATE_FILE, TEMPLATE_ZIP } from '../../scripts/template/write.js';
import { bundleFromZip, checkTemplate } from '../../stacks/rfs/index.js';
import { checkAgainstSchema } from '../../stacks/schema-check.js';
import { templatePricing } from '../../stacks/template/pricing.js';
import { buildManifest } from '../../scripts/listing/manifest.js';
import { makeListedImage } from '../listing/fixtures.js';
import { REGIONS, SITES } from '../../stacks/catalogue/regions.js';
import { ASSET_ID, VARIANTS, bothEu, payPerUseIntl, redisCn } from './variants.js';

type Tf = {
  variable: Record<string, { description?: string; validation?: { error_message: string }[] }>;
  resource: Record<string, Record<string, { lifecycle?: { precondition?: { error_message: string }[] } }>>;
  output: Record<string, { description?: string }>;
};
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const HAN = /\p{Script=Han}/u;

async function built(make: () => ReturnType<typeof makeListedImage>, ids: Record<string, string>, allowPlanned: boolean) {
  const b = await buildTemplate(make(), ids, { allowPlanned });
  const file = (p: string) => decode(b.files.find((f) => f.path === p)!.bytes);
  return { ...b, tf: JSON.parse(file(TEMPLATE_FILE)) as Tf, json: file(TEMPLATE_FILE), readme: file(README_FILE) };
}

/** Every buyer-facing text of a template: [where, text]. */
function texts(tf: Tf): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(tf.variable)) {
    out.push([`variable.${name}.description`, v.description!]);
    (v.validation ?? []).forEach((r, i) => out.push([`variable.${name}.validation[${i}]`, r.error_message]));
  }
  for (const [type, byName] of Object.entries(tf.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      (body.lifecycle?.precondition ?? []).forEach((p, i) => out.push([`${type}.${name}.precondition[${i}]`, p.error_message]));
    }
  }
  for (const [name, o] of Object.entries(tf.output)) out.push([`output.${name}.description`, o.description!]);
  return out;
}

/** Numbers and identifiers of an English text (s7.large.2, cn-north-4a, 0.0.0.0/0, vpc_id, prePaid, 26 ...). */
function identifiers(en: string): string[] {
  // Region display names are translated (CN North-Beijing4 is 华北-北京四), not identifiers.
  const names = SITES.flatMap((site) => REGIONS[site].map((r) => r.name));
  const text = names.reduce((t, n) => t.split(n).join(' '), en);
  const tokens = text.match(/[A-Za-z0-9_.:/-]*[0-9_][A-Za-z0-9_.:/-]*|\b[a-z]+[A-Z][a-z]+[A-Za-z]*\b/g) ?? [];
  return [...new Set(tokens.map((t) => t.replace(/[.,:;/-]+$/, '')).filter((t) => t && t !== '_'))];
}

/** Why the two halves of "English / 中文" do not say the same thing; [] when they do. */
function bilingualProblems(en: string, zh: string): string[] {
  const problems: string[] = [];
  if (HAN.test(en)) problems.push('the English half has Chinese characters');
  if (!HAN.test(zh)) problems.push('the Chinese half has no Chinese characters');
  const missing = identifiers(en).filter((t) => !zh.includes(t));
  if (missing.length) problems.push(`the Chinese half lacks ${missing.join(', ')}`);
  // Chinese takes a quarter to a half of the characters of English; a stub ("管理员密码。") far fewer.
  if (zh.length < en.length * 0.2) problems.push(`the Chinese half is a stub (${zh.length} characters for ${en.length})`);
  return problems;
}

describe('the bilingual check itself', () => {
  it('catches the stubs and omissions issue #11 found', () => {
    expect(bilingualProblems('Password of root: 8-26 characters, at least 3 of uppercase, lowercase, digits, special characters.', '管理员密码。')).toEqual([
      'the Chinese half lacks 8-26, 3', 'the Chinese half is a stub (6 characters for 98)',
    ]);
    expect(bilingualProblems('Availability zone, e.g. cn-north-4a.', '可用区，例如 ap-southeast-3a。')).toEqual(['the Chinese half lacks cn-north-4a']);
    expect(bilingualProblems('postPaid or prePaid.', '按需或包年包月。')).toEqual(['the Chinese half lacks postPaid, prePaid']);
    expect(bilingualProblems('Region.', 'Region.')).toEqual(['the Chinese half has no Chinese characters']);
  });
});

describe.each(VARIANTS)('template variant: %s', (_name, make, ids, allowPlanned) => {
  it('passes every RFS rule, as files and as the zip, and the provider schema', async () => {
    const b = await built(make, ids, allowPlanned);
    expect(checkTemplate({ files: b.files })).toEqual([]);
    const zip = await bundleFromZip(b.zip, TEMPLATE_ZIP);
    expect(zip.files.map((f) => f.path)).toEqual([TEMPLATE_FILE, README_FILE]);
    expect(checkTemplate(zip)).toEqual([]);
    expect(checkAgainstSchema(b.tf as never)).toEqual([]);
  });

  it('is byte-identical across runs', async () => {
    const a = await built(make, ids, allowPlanned);
    const c = await built(make, ids, allowPlanned);
    expect(Buffer.from(a.zip).equals(Buffer.from(c.zip))).toBe(true);
    a.files.forEach((f, i) => expect(Buffer.from(f.bytes).equals(Buffer.from(c.files[i].bytes)), f.path).toBe(true));
  });

  it('says the same in both languages in every description and message', async () => {
    const b = await built(make, ids, allowPlanned);
    const all = texts(b.tf);
    expect(all.length).toBeGreaterThan(30);
    const problems = all.flatMap(([where, text]) => {
      const parts = text.split(' / ');
      if (parts.length !== 2) return [`${where}: expected "English / 中文", found ${parts.length} part(s)`];
      return bilingualProblems(parts[0], parts[1]).map((p) => `${where}: ${p}`);
    });
    expect(problems).toEqual([]);
  });

  it('has a README whose Chinese half follows its English half line by line', async () => {
    const { readme } = await built(make, ids, allowPlanned);
    const [, en, zh] = readme.split(/^## (?:English|中文)$/m);
    const lines = (t: string) => t.split('\n').filter((l) => l.trim() && !/^\|( --- \|)+$/.test(l));
    expect(lines(en).length).toBe(lines(zh).length);
    const problems = lines(en).flatMap((l, i) => bilingualProblems(l, lines(zh)[i]).map((p) => `line ${i + 1} "${l}": ${p}`));
    expect(problems).toEqual([]);
    for (const heading of ['### What it creates', '### What it costs', '### Outputs', '### How to connect']) expect(en).toContain(heading);
    expect(readme.includes('PLANNED, NOT DEPLOYABLE')).toBe(allowPlanned);
  });
});

describe('site-correct texts', () => {
  it('a cn product speaks of cn regions, zones and console only', async () => {
    const b = await built(redisCn, {}, false);
    for (const text of [b.json, b.readme]) {
      expect(text).not.toMatch(/ap-southeast|af-south|console-intl|eu-west/);
      expect(text).toContain('cn-north-4');
    }
    expect(b.tf.variable.availability_zone.description).toContain('e.g. cn-north-4a;');
    expect(b.tf.variable.region.description).toBe('Region to deploy in: cn-north-4 (CN North-Beijing4), cn-south-1 (CN South-Guangzhou), cn-east-3 (CN East-Shanghai1). / 部署区域：cn-north-4（华北-北京四）、cn-south-1（华南-广州）、cn-east-3（华东-上海一）。');
    expect(b.readme).toContain('https://console.huaweicloud.com/ecm/#/ecs/manager/vmList');
  });

  it('intl and eu products get their own zones and consoles', async () => {
    const intl = await built(payPerUseIntl, { 'ap-southeast-3': 'id-1' }, false);
    expect(intl.tf.variable.availability_zone.description).toContain('e.g. ap-southeast-3a;');
    expect(intl.readme).toContain('https://console-intl.huaweicloud.com/ecm/');
    const eu = await built(bothEu, {}, false);
    expect(eu.tf.variable.availability_zone.description).toContain('e.g. eu-west-101a;');
    expect(eu.readme).toContain('https://console.eu.huaweicloud.com/ecm/');
    expect(eu.json).not.toMatch(/ap-southeast|cn-north/);
  });
});

describe('security-group source variables', () => {
  it('warn what 0.0.0.0/0 means on administration and database ports, whatever the default', async () => {
    const { tf, readme } = await built(redisCn, {}, false);
    // A private default also says that nothing reaches the port over the EIP (see the connection tests below).
    expect(tf.variable.ingress_tcp_6379_source.description).toBe(
      'Source addresses (IPv4 CIDR) allowed to reach TCP port 6379, Redis clients; default 10.0.0.0/8.'
      + ' The default 10.0.0.0/8 is a private range (RFC 1918): only addresses in your VPC or in networks joined to it privately (VPN, Direct Connect, VPC peering) reach TCP port 6379.'
      + ' Connections over the EIP come from public addresses: they will not work until you set this to your own public address or CIDR, e.g. 203.0.113.7/32.'
      + ' Port 6379 (Redis) serves a database: with 0.0.0.0/0 anyone on the internet can reach the data; narrow it to the addresses of your application servers.'
      + ' / 允许访问 TCP 6379 端口（用途：Redis 客户端）的源地址（IPv4网段），默认 10.0.0.0/8。'
      + '默认值 10.0.0.0/8 是私有网段（RFC 1918）：只有您的VPC内、或通过VPN、云专线、VPC对等连接与其私网互通的地址才能访问 TCP 6379 端口。'
      + '经弹性公网IP（EIP）的连接来自公网地址：在您将此变量设为您自己的公网地址或网段（例如 203.0.113.7/32）之前，这些连接无法建立。'
      + '6379（Redis）端口提供数据库服务：设为 0.0.0.0/0 时，互联网上任何人都可以访问数据；请收窄为您的应用服务器地址。',
    );
    expect(tf.variable.ingress_tcp_22_source.description).toMatch(/default 0\.0\.0\.0\/0 \(the whole internet\)\. Port 22 \(SSH\) administers the server/);
    expect(tf.variable.ingress_icmp_source.description).not.toMatch(/narrow it/);
    expect(readme).toContain('| `ingress_tcp_6379_source` | TCP port 6379 | `10.0.0.0/8` | Redis clients |');
    expect(readme).toContain('| `ingress_tcp_6379_source` | TCP 6379 端口 | `10.0.0.0/8` | Redis 客户端 |');
  });

  it('name ranges and repeated rules apart', async () => {
    const image = makeListedImage({}, { securityGroup: [
      { protocol: 'tcp', ports: '8000-8080', description: 'App' },
      { protocol: 'tcp', ports: '8000-8080', source: '10.0.0.0/8', description: 'App, internal' },
      { protocol: 'udp', ports: '3300-3310', description: 'Range over MySQL' },
    ] });
    const { tf } = await built(() => image, { 'ap-southeast-3': 'id-1' }, false);
    expect(Object.keys(tf.variable).filter((v) => v.startsWith('ingress_'))).toEqual(['ingress_tcp_8000_8080_2_source', 'ingress_tcp_8000_8080_source', 'ingress_udp_3300_3310_source']);
    expect(tf.variable.ingress_udp_3300_3310_source.description).toContain('Port 3306 (MySQL) serves a database');
  });
});

describe('how to connect follows the template\'s defaults', () => {
  type Rule = { protocol: 'tcp' | 'udp' | 'icmp'; ports?: string; source?: string; description: string };
  const connect = async (securityGroup: Rule[], listing: Parameters<typeof makeListedImage>[0] = {}) => {
    const b = await built(() => makeListedImage(listing, { securityGroup }), { 'ap-southeast-3': 'id-1' }, false);
    const section = (title: string) => b.readme.slice(b.readme.indexOf(title)).split(/\n#{2,3} /)[0];
    return { ...b, en: section('### How to connect'), zh: section('### 如何连接') };
  };
  /** Every line of the section and the description, checked for the same content in both languages. */
  const bilingual = (en: string, zh: string) => {
    const lines = (t: string) => t.split('\n').filter((l) => l.startsWith('- '));
    expect(lines(en).length).toBe(lines(zh).length);
    expect(lines(en).flatMap((l, i) => bilingualProblems(l, lines(zh)[i]))).toEqual([]);
  };

  it('a private default with the EIP the template creates: says SSH over the EIP will not work until the variable is set', async () => {
    const { tf, en, zh } = await connect([{ protocol: 'tcp', ports: '22', source: '192.168.0.0/16', description: 'SSH' }, { protocol: 'tcp', ports: '443', description: 'HTTPS' }]);
    expect(tf.variable.create_eip).toMatchObject({ default: true });
    expect(en).toContain('- SSH (port 22) is open only to `192.168.0.0/16`, the default of `ingress_tcp_22_source`: a private range, reached from inside the VPC or from a network joined to it privately (`ssh root@<private_ip>`).'
      + ' SSH over the EIP (`ssh root@<public_ip>`) will not work until you set `ingress_tcp_22_source` to your own public address or CIDR, e.g. `203.0.113.7/32`.');
    expect(en).not.toContain('- Connect with SSH');
    expect(zh).toContain('在您将 `ingress_tcp_22_source` 设为您自己的公网地址或网段（例如 `203.0.113.7/32`）之前，无法通过弹性公网IP（EIP）使用SSH连接（`ssh root@<public_ip>`）。');
    bilingual(en, zh);
    const [den, dzh] = (tf.variable.ingress_tcp_22_source.description as string).split(' / ');
    expect(den).toContain('default 192.168.0.0/16. The default 192.168.0.0/16 is a private range (RFC 1918)');
    expect(den).toContain('Connections over the EIP come from public addresses: they will not work until you set this to your own public address or CIDR, e.g. 203.0.113.7/32.');
    expect(bilingualProblems(den, dzh)).toEqual([]);
    // every private range, and only those: 172.16.0.0/12 yes, 172.32.0.0/16 (public) no
    for (const [source, isPrivate] of [['10.0.0.0/8', true], ['172.16.0.0/12', true], ['172.20.1.0/24', true], ['172.32.0.0/16', false], ['192.0.0.0/2', false], ['100.64.0.0/10', false]] as const) {
      const c = await connect([{ protocol: 'tcp', ports: '22', source, description: 'SSH' }]);
      expect(c.en.includes('will not work until you set `ingress_tcp_22_source`'), source).toBe(isPrivate);
    }
  });

  it('a public default: connect over the EIP from it, the default named; without an EIP, private_ip', async () => {
    const anywhere = await connect([{ protocol: 'tcp', ports: '22', description: 'SSH' }]);
    expect(anywhere.en).toContain('- Connect with SSH (port 22): `ssh root@<public_ip>`, from any address: `ingress_tcp_22_source` defaults to `0.0.0.0/0`; narrow it to your own public address or CIDR, e.g. `203.0.113.7/32`.');
    expect(anywhere.en).toContain('- Without an EIP (`create_eip` false), `public_ip` is empty: connect to `private_ip` from inside the VPC.');
    bilingual(anywhere.en, anywhere.zh);
    // a public rule wins over a private one for the same port: the buyer can connect through it
    const office = await connect([{ protocol: 'tcp', ports: '22', source: '10.0.0.0/8', description: 'SSH in the VPC' }, { protocol: 'tcp', ports: '20-25', source: '198.51.100.0/24', description: 'Office' }]);
    expect(office.en).toContain('- Connect with SSH (port 22): `ssh root@<public_ip>`, from an address in `198.51.100.0/24`, the default of `ingress_tcp_20_25_source`; to connect from elsewhere, set it to your own public address or CIDR, e.g. `203.0.113.7/32`.');
    bilingual(office.en, office.zh);
  });

  it('Windows: Remote Desktop, the same way; no rule: Remote Login', async () => {
    const win = await connect([{ protocol: 'tcp', ports: '3389', source: '172.16.0.0/12', description: 'RDP' }], { operatingSystem: 'Windows Server 2022 Datacenter 64bit' });
    expect(win.en).toContain('Remote Desktop over the EIP (`<public_ip>` as `Administrator`) will not work until you set `ingress_tcp_3389_source` to your own public address or CIDR');
    bilingual(win.en, win.zh);
    const none = await connect([{ protocol: 'tcp', ports: '443', description: 'HTTPS' }]);
    expect(none.en).toContain('- No rule opens SSH (port 22): log in through Remote Login in the ECS console.');
  });
});

describe('pricing and the definition fields behind it', () => {
  it('maps pricing modes to the ECS charging modes the buyer may choose', () => {
    expect(templatePricing({ pricingModes: ['yearly-monthly'] })).toEqual({ allowed: ['prePaid'], default: 'prePaid' });
    expect(templatePricing({ pricingModes: ['pay-per-use'] })).toEqual({ allowed: ['postPaid'], default: 'postPaid' });
    expect(templatePricing({ pricingModes: ['yearly-monthly', 'pay-per-use'] })).toEqual({ allowed: ['postPaid', 'prePaid'], default: 'prePaid' });
    expect(templatePricing({ pricingModes: ['yearly-monthly', 'pay-per-use'], defaultPricingMode: 'pay-per-use' })).toEqual({ allowed: ['postPaid', 'prePaid'], default: 'postPaid' });
    expect(templatePricing({ pricingModes: ['free'] })).toEqual({ allowed: ['postPaid', 'prePaid'], default: 'postPaid' });
    expect(templatePricing({ pricingModes: ['per-vcpu', 'yearly-monthly'] })).toEqual({ allowed: ['postPaid', 'prePaid'], default: 'postPaid' });
  });

  it('refuses a default pricing mode the product is not sold in, and a malformed asset ID', () => {
    expect(() => makeListedImage({ pricingModes: ['yearly-monthly'], defaultPricingMode: 'pay-per-use' }))
      .toThrow('listing.defaultPricingMode: expected one of pricingModes (yearly-monthly), found "pay-per-use"; the template cannot deploy in a mode the product is not sold in');
    expect(() => makeListedImage({ assetId: 'not an id' })).toThrow(/listing\.assetId: expected the asset ID from seller center \(Assets > My Assets\)/);
    expect(makeListedImage({ assetId: ASSET_ID }).spec.listing!.assetVersion).toBeUndefined();
    // the asset version the seller registers is the one the manifest and the template name
    expect(buildManifest(redisCn()).asset.version).toBe('V2.1');
    expect(buildManifest(makeListedImage({ assetId: ASSET_ID })).asset.version).toBe('V1.0');
  });
});
