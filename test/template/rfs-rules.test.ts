import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { RFS_RULES, checkTemplate, formatFinding, bundleFromZip, type RfsRule, type TemplateBundle } from '../../stacks/rfs/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const json = (doc: unknown, path = 'main.tf.json'): TemplateBundle => ({ files: [{ path, bytes: enc(JSON.stringify(doc)) }] });
const hcl = (text: string, path = 'main.tf'): TemplateBundle => ({ files: [{ path, bytes: enc(text) }] });

/** A small template that passes every rule. */
const GOOD = {
  terraform: { required_providers: { huaweicloud: { source: 'huaweicloud/huaweicloud', version: '>= 1.57.0' } } },
  provider: { huaweicloud: [{ region: '${var.region}' }] },
  variable: { region: { type: 'string', default: 'ap-southeast-3' } },
  resource: { huaweicloud_vpc: { vpc: { name: 'demo', cidr: '192.168.0.0/16', count: 1 } } },
  data: { huaweicloud_availability_zones: { zones: {} } },
  module: { net: { source: './modules/net' } },
};
const GOOD_HCL = `terraform {
  required_providers {
    huaweicloud = { source = "huaweicloud/huaweicloud", version = ">= 1.57.0" }
  }
}
provider "huaweicloud" {
  region = var.region # not a credential
}
resource "huaweicloud_vpc" "vpc" {
  name = "demo" // a comment mentioning file("x") is fine
  cidr = "192.168.0.0/16"
}
`;
const with_ = (patch: Record<string, unknown>) => ({ ...GOOD, ...patch });
const rule = (id: string) => RFS_RULES.find((r) => r.id === id)!;
const messages = (r: RfsRule, b: TemplateBundle) => r.check(b).map(formatFinding);

async function zipOf(files: Record<string, string | Uint8Array>): Promise<TemplateBundle> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content, { date: new Date(Date.UTC(1980, 0, 1)) });
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  return bundleFromZip(bytes, 'template.zip');
}

describe('RFS rule pack', () => {
  it('has one rule per module with an id and a description', () => {
    expect(RFS_RULES.map((r) => r.id)).toEqual(['json-syntax', 'no-backend', 'no-provisioners', 'only-huaweicloud-provider', 'banned-resources', 'banned-functions', 'no-credentials', 'utf8-no-bom', 'no-tfvars', 'zip-size', 'file-count', 'count-limit', 'local-modules']);
    for (const r of RFS_RULES) expect(r.description.length).toBeGreaterThan(10);
  });

  it('passes the compliant samples (JSON, HCL and zip)', async () => {
    expect(checkTemplate(json(GOOD))).toEqual([]);
    expect(checkTemplate(hcl(GOOD_HCL))).toEqual([]);
    expect(checkTemplate(await zipOf({ 'main.tf.json': JSON.stringify(GOOD), 'modules/net/main.tf': GOOD_HCL }))).toEqual([]);
  });

  it('json-syntax: names a .tf.json that does not parse', () => {
    expect(messages(rule('json-syntax'), json(GOOD))).toEqual([]);
    expect(messages(rule('json-syntax'), { files: [{ path: 'main.tf.json', bytes: enc('{"resource": ') }] })).toEqual(['rfs/json-syntax: main.tf.json: the file is not valid JSON, so RFS cannot read it']);
  });

  it('no-backend: refuses backend and cloud blocks', () => {
    const r = rule('no-backend');
    expect(messages(r, json(GOOD))).toEqual([]);
    expect(messages(r, json(with_({ terraform: { ...GOOD.terraform, backend: { local: { path: 'x.tfstate' } } } })))).toEqual(['rfs/no-backend: main.tf.json: terraform.backend: RFS manages the state itself; remove the backend block (local)']);
    expect(messages(r, hcl(`terraform {\n  cloud {\n    organization = "x"\n  }\n}\n`))).toEqual(['rfs/no-backend: main.tf:2: terraform.cloud: RFS manages the state itself; remove the cloud block']);
  });

  it('no-provisioners: refuses provisioner blocks', () => {
    const r = rule('no-provisioners');
    expect(messages(r, json(GOOD))).toEqual([]);
    expect(messages(r, json(with_({ resource: { huaweicloud_vpc: { vpc: { name: 'a', cidr: '10.0.0.0/16', provisioner: [{ 'local-exec': { command: 'echo' } }] } } } }))))
      .toEqual(['rfs/no-provisioners: main.tf.json: resource.huaweicloud_vpc.vpc.provisioner: RFS does not run provisioners; do the work in the image or in user_data instead']);
    expect(messages(r, hcl('resource "huaweicloud_vpc" "v" {\n  provisioner "remote-exec" {\n  }\n}\n'))).toEqual(['rfs/no-provisioners: main.tf:2: provisioner "remote-exec": RFS does not run provisioners; do the work in the image or in user_data instead']);
  });

  it('only-huaweicloud-provider: refuses other providers and their resources', () => {
    const r = rule('only-huaweicloud-provider');
    expect(messages(r, json(GOOD))).toEqual([]);
    expect(messages(r, json(with_({
      terraform: { required_providers: { ...GOOD.terraform.required_providers, random: { source: 'hashicorp/random' } } },
      provider: { huaweicloud: [{}], aws: [{ region: 'us-east-1' }] },
      resource: { random_password: { p: { length: 16 } } },
    })))).toEqual([
      'rfs/only-huaweicloud-provider: main.tf.json: provider.aws: RFS supports only the huaweicloud provider, found provider "aws"',
      'rfs/only-huaweicloud-provider: main.tf.json: terraform.required_providers.random: RFS supports only huaweicloud/huaweicloud, found "hashicorp/random"',
      'rfs/only-huaweicloud-provider: main.tf.json: resource.random_password.p: RFS supports only huaweicloud resources, found resource type "random_password"',
    ]);
    expect(messages(r, hcl('resource "null_resource" "x" {\n}\n'))).toEqual(['rfs/only-huaweicloud-provider: main.tf:1: resource "null_resource": RFS supports only huaweicloud resources, found resource type "null_resource"']);
  });

  it('banned-resources: refuses the banned resource types', () => {
    const r = rule('banned-resources');
    expect(messages(r, json(GOOD))).toEqual([]);
    expect(messages(r, json(with_({ resource: { huaweicloud_kps_keypair: { k: { name: 'k' } } } })))).toEqual(['rfs/banned-resources: main.tf.json: resource.huaweicloud_kps_keypair.k: RFS bans the resource type huaweicloud_kps_keypair; remove it']);
    expect(messages(r, hcl('resource "huaweicloud_identity_access_key" "ak" {\n}\n'))).toEqual(['rfs/banned-resources: main.tf:1: resource "huaweicloud_identity_access_key" "ak": RFS bans the resource type huaweicloud_identity_access_key; remove it']);
  });

  it('banned-functions: refuses file-system functions in expressions, not in plain text', () => {
    const r = rule('banned-functions');
    expect(messages(r, json(with_({ variable: { v: { type: 'string', description: 'see the file (README) or basename (x)' } } })))).toEqual([]);
    expect(messages(r, json(with_({ resource: { huaweicloud_vpc: { vpc: { name: '${basename(path.module)}', cidr: '${filebase64sha256("x")}' } } } })))).toEqual([
      'rfs/banned-functions: main.tf.json: resource.huaweicloud_vpc.vpc.name: RFS bans the function basename(); inline the content instead (e.g. a heredoc or a variable)',
      'rfs/banned-functions: main.tf.json: resource.huaweicloud_vpc.vpc.cidr: RFS bans the function filebase64sha256(); inline the content instead (e.g. a heredoc or a variable)',
    ]);
    expect(messages(r, hcl('locals {\n  x = templatefile("a.tpl", {})\n}\n'))).toEqual(['rfs/banned-functions: main.tf:2: RFS bans the function templatefile(); inline the content instead (e.g. a heredoc or a variable)']);
  });

  it('no-credentials: refuses credentials in provider blocks', () => {
    const r = rule('no-credentials');
    expect(messages(r, json(GOOD))).toEqual([]);
    expect(messages(r, json(with_({ provider: { huaweicloud: [{ region: 'x', access_key: 'AK', secret_key: 'SK' }] } })))).toEqual([
      'rfs/no-credentials: main.tf.json: provider.huaweicloud[0].access_key: the provider sets access_key; RFS deploys with the buyer\'s credentials, so a template never carries any',
      'rfs/no-credentials: main.tf.json: provider.huaweicloud[0].secret_key: the provider sets secret_key; RFS deploys with the buyer\'s credentials, so a template never carries any',
    ]);
    expect(messages(r, hcl('provider "huaweicloud" {\n  region = "x"\n  secret_key = "y"\n}\n'))).toEqual(['rfs/no-credentials: main.tf:1: provider "huaweicloud".secret_key: the provider sets secret_key; RFS deploys with the buyer\'s credentials, so a template never carries any']);
  });

  it('utf8-no-bom: refuses a byte order mark and invalid UTF-8', () => {
    const r = rule('utf8-no-bom');
    expect(messages(r, { files: [{ path: 'main.tf', bytes: enc('# 中文注释\n') }] })).toEqual([]);
    expect(messages(r, { files: [{ path: 'main.tf.json', bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...enc('{}')]) }] })).toEqual(['rfs/utf8-no-bom: main.tf.json: byte 0: the file starts with a UTF-8 byte order mark (EF BB BF); save it as UTF-8 without BOM']);
    expect(messages(r, { files: [{ path: 'main.tf', bytes: new Uint8Array([...enc('# caf'), 0xe9, 0x0a]) }] })).toEqual(['rfs/utf8-no-bom: main.tf: byte 5: the file is not valid UTF-8 (byte 0xe9 at offset 5); save it as UTF-8']);
  });

  it('no-tfvars: refuses .tfvars files', async () => {
    const r = rule('no-tfvars');
    expect(messages(r, await zipOf({ 'main.tf.json': '{}' }))).toEqual([]);
    expect(messages(r, await zipOf({ 'main.tf.json': '{}', 'prod.auto.tfvars': 'region = "x"\n' }))).toEqual(['rfs/no-tfvars: prod.auto.tfvars: RFS refuses .tfvars files; give defaults in the variable blocks and let buyers set values as stack parameters']);
  });

  it('zip-size: refuses a zip above 1 MB packed or unpacked', async () => {
    const r = rule('zip-size');
    expect(messages(r, await zipOf({ 'main.tf.json': JSON.stringify(GOOD) }))).toEqual([]);
    const big = await zipOf({ 'main.tf': `# ${'x'.repeat(1024 * 1024)}\n` });
    expect(big.zip!.packedBytes).toBeLessThan(1024 * 1024);
    expect(messages(r, big)).toEqual([`rfs/zip-size: template.zip: the zip unpacks to ${1024 * 1024 + 3} bytes, above RFS's 1048576 (1 MB)`]);
    expect(messages(r, { files: [], zip: { name: 'template.zip', packedBytes: 2_000_000, unpackedBytes: 10 } as never })).toEqual(['rfs/zip-size: template.zip: the zip is 2000000 bytes packed, above RFS\'s 1048576 (1 MB)']);
  });

  it('file-count: refuses a zip of more than 100 files', async () => {
    const r = rule('file-count');
    const files = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}.tf`, '# x\n']));
    expect(messages(r, await zipOf(files(100)))).toEqual([]);
    expect(messages(r, await zipOf(files(101)))).toEqual(['rfs/file-count: template.zip: the zip holds 101 files, above RFS\'s 100; merge configuration files']);
  });

  it('count-limit: refuses a literal count or for_each above 1,024', () => {
    const r = rule('count-limit');
    expect(messages(r, json(GOOD))).toEqual([]);
    expect(messages(r, json(with_({ resource: { huaweicloud_vpc: { vpc: { name: 'a', cidr: '10.0.0.0/16', count: 2000 } } } })))).toEqual(['rfs/count-limit: main.tf.json: resource.huaweicloud_vpc.vpc.count: count is 2000, above RFS\'s 1024']);
  });

  it('local-modules: refuses remote module sources', () => {
    const r = rule('local-modules');
    expect(messages(r, json(GOOD))).toEqual([]);
    expect(messages(r, json(with_({ module: { net: { source: 'terraform-huaweicloud-modules/vpc/huaweicloud' } } })))).toEqual(['rfs/local-modules: main.tf.json: module.net.source: RFS loads local modules only, found source "terraform-huaweicloud-modules/vpc/huaweicloud"; copy the module into the template']);
    expect(messages(r, hcl('module "net" {\n  source = "git::https://example.com/net.git"\n}\n'))).toEqual(['rfs/local-modules: main.tf:1: module "net": RFS loads local modules only, found source "git::https://example.com/net.git"; copy the module into the template']);
  });
});
