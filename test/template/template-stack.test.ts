import { describe, expect, it } from 'vitest';
import { Testing } from 'cdktf';
import { TemplateStack, TEMPLATE_PROVIDER_CONSTRAINT } from '../../stacks/template-stack.js';
import { checkAgainstSchema } from '../../stacks/schema-check.js';
import { ComputeInstance, Vpc, VpcSubnet, VpcEip, ComputeEipAssociate, NetworkingSecgroup, NetworkingSecgroupRule, DataHuaweicloudKoogalleryAssets } from '../../stacks/huaweicloud.js';
import { synthTemplate } from '../../scripts/template/write.js';
import { ECS_PASSWORD, ecsPasswordProblems, jsRegExp } from '../../stacks/template/ecs-password.js';
import { makeImage } from '../support/images.js';
import { makeListedImage } from '../listing/fixtures.js';
import { ASSET_ID, redisCn } from './variants.js';

type Tf = {
  terraform: { required_providers: Record<string, { source: string; version: string }>; backend?: unknown };
  provider: Record<string, Record<string, unknown>[]>;
  variable: Record<string, { type: string; default?: unknown; description?: string; sensitive?: boolean; validation?: { condition: string; error_message: string }[] }>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  locals: Record<string, unknown>;
  output: Record<string, { value: string }>;
};

const IDS = { 'ap-southeast-3': '0d3f1c2a-1111-4c4c-9a9a-000000000003' };
const image = makeListedImage();
const tf = synthTemplate(image, IDS) as unknown as Tf;
const one = <T>(type: { tfResourceType: string }, kind: 'resource' | 'data' = 'resource', doc: Tf = tf) => Object.values(((doc[kind] ?? {}) as Tf['resource'])[type.tfResourceType] ?? {}) as T[];

describe('buyer launch template', () => {
  it('conforms to the committed huaweicloud provider schema', () => {
    expect(checkAgainstSchema(tf as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('has no backend (cdktf adds a LocalBackend unless it is removed)', () => {
    expect(tf.terraform.backend).toBeUndefined();
    expect(JSON.stringify(tf)).not.toContain('"backend"');
    const full = JSON.parse(Testing.synth(new TemplateStack(Testing.app(), `${image.name}-template`, { image, imageIds: IDS }))) as Tf;
    expect(full.terraform.backend).toBeUndefined();
  });

  it('requires only the huaweicloud provider, with a >= constraint', () => {
    expect(tf.terraform.required_providers).toEqual({ huaweicloud: { source: 'huaweicloud/huaweicloud', version: TEMPLATE_PROVIDER_CONSTRAINT } });
    expect(TEMPLATE_PROVIDER_CONSTRAINT).toMatch(/^>= 1\.\d+\.\d+$/);
  });

  it('contains no credentials', () => {
    expect(tf.provider.huaweicloud).toEqual([{ region: '${var.region}' }]);
    const text = JSON.stringify(tf);
    for (const word of ['access_key', 'secret_key', 'security_token', 'HW_ACCESS_KEY', 'HW_SECRET_KEY']) expect(text).not.toContain(word);
    // the only password is the buyer's, from a sensitive variable without a default
    expect(tf.variable.admin_password).toMatchObject({ sensitive: true, type: 'string' });
    expect(tf.variable.admin_password.default).toBeUndefined();
    expect(one<Record<string, unknown>>(ComputeInstance)[0].admin_pass).toBe('${var.admin_password}');
  });

  it('declares every buyer variable with a description, a type and validation', () => {
    const expected: Record<string, unknown> = {
      region: 'ap-southeast-3', specification: 'standard', flavor: '', admin_password: undefined, vpc_id: '', subnet_id: '', create_eip: true,
      eip_bandwidth_size: 5, enterprise_project_id: '', charging_mode: 'postPaid', availability_zone: '', ingress_tcp_443_source: '0.0.0.0/0',
    };
    for (const [name, def] of Object.entries(expected)) {
      const v = tf.variable[name];
      expect(v, name).toBeDefined();
      expect(v.description, name).toMatch(/\S{3,}/);
      expect(v.type, name).toMatch(/^(string|number|bool)$/);
      expect(v.default, name).toEqual(def);
      if (v.type !== 'bool') expect(v.validation?.length, name).toBeGreaterThan(0);
      for (const rule of v.validation ?? []) {
        expect(rule.condition).toMatch(/^\$\{.*\}$/);
        expect(rule.condition, name).toContain(`var.${name}`);
        expect(rule.error_message).toMatch(/[.。]/);
      }
    }
    // only the merchant knows the asset: it is no buyer variable
    expect(tf.variable.asset_id).toBeUndefined();
    expect(tf.variable.asset_version).toBeUndefined();
    // pay-per-use only: no subscription period to choose
    expect(tf.variable.charging_period).toBeUndefined();
    expect(tf.variable.region.validation![0].condition).toBe('${contains(["ap-southeast-3","ap-southeast-2","af-south-1"], var.region)}');
    expect(tf.variable.charging_mode.validation![0].condition).toBe('${contains(["postPaid"], var.charging_mode)}');
    expect(tf.variable.specification.validation![0].condition).toBe('${contains(["standard"], var.specification)}');
  });

  it('validates the admin password like ECS does (the Terraform regexes agree with the rule set)', () => {
    const conditions = tf.variable.admin_password.validation!.map((v) => v.condition);
    expect(conditions).toHaveLength(4);
    // Every regex literal in the conditions is one of the shared patterns, so evaluating those
    // in JavaScript is evaluating the template's validation.
    const literals = conditions.flatMap((c) => [...c.matchAll(/regex\("((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`)));
    expect(new Set(literals)).toEqual(new Set([ECS_PASSWORD.allowed, ...ECS_PASSWORD.classes, ECS_PASSWORD.forbidden]));
    expect(conditions[0]).toBe('${length(var.admin_password) >= 8 && length(var.admin_password) <= 26}');
    for (const re of literals) expect(() => jsRegExp(re)).not.toThrow();
    expect(ecsPasswordProblems('Kx9!mPq2w')).toEqual([]);
    expect(ecsPasswordProblems('Ab1!')).toEqual(['must be 8 to 26 characters long']);
    expect(ecsPasswordProblems('abcdefgh12')).toEqual(['must mix at least 3 character types']);
    expect(ecsPasswordProblems('Abcdefg1#x')).toEqual(['may contain only letters, digits and !@$%^-_=+[{}]:,./?']);
    expect(ecsPasswordProblems('MyRoot!2024')).toEqual(['must not contain the administrator user name, forward or reversed']);
    expect(ecsPasswordProblems('xToor!2024')).toEqual(['must not contain the administrator user name, forward or reversed']);
    expect(ecsPasswordProblems('Administrator1!')).toEqual(['must not contain the administrator user name, forward or reversed']);
  });

  it('creates a VPC and subnet unless existing IDs are given', () => {
    const [vpc] = one<Record<string, unknown>>(Vpc);
    const [subnet] = one<Record<string, unknown>>(VpcSubnet);
    expect(vpc.count).toBe('${var.vpc_id == "" ? 1 : 0}');
    expect(subnet).toMatchObject({ count: '${var.subnet_id == "" ? 1 : 0}', vpc_id: '${var.vpc_id == "" ? one(huaweicloud_vpc.vpc[*].id) : var.vpc_id}', gateway_ip: '${cidrhost(var.subnet_cidr, 1)}' });
    expect((one<{ network: { uuid: string }[] }>(ComputeInstance)[0]).network[0].uuid).toBe('${var.subnet_id == "" ? one(huaweicloud_vpc_subnet.subnet[*].id) : var.subnet_id}');
  });

  it('builds the security group from the recommended rules', () => {
    expect(one(NetworkingSecgroup)).toHaveLength(1);
    expect(one(NetworkingSecgroupRule)).toEqual([{
      description: 'HTTPS', direction: 'ingress', ethertype: 'IPv4', port_range_max: 443, port_range_min: 443, protocol: 'tcp',
      remote_ip_prefix: '${var.ingress_tcp_443_source}', security_group_id: '${huaweicloud_networking_secgroup.secgroup.id}',
    }]);
  });

  it('places the instance in the buyer\'s availability zone, else the region\'s first', () => {
    expect(one<Record<string, unknown>>(ComputeInstance)[0].availability_zone)
      .toBe('${var.availability_zone == "" ? data.huaweicloud_availability_zones.zones.names[0] : var.availability_zone}');
  });

  it('escapes a merchant\'s text so Terraform does not read it as an expression', () => {
    const tricky = makeListedImage({}, { securityGroup: [{ protocol: 'tcp', ports: '8080', description: 'Admin ${path} and %{if} UI' }] });
    const t = synthTemplate(tricky, IDS) as unknown as Tf;
    const rules = Object.values(t.resource[NetworkingSecgroupRule.tfResourceType]);
    expect(rules[0].description).toBe('Admin $${path} and %%{if} UI');
  });

  it('makes the EIP optional with a bandwidth size', () => {
    expect(one<Record<string, unknown>>(VpcEip)[0]).toMatchObject({ count: '${var.create_eip ? 1 : 0}', bandwidth: { size: '${var.eip_bandwidth_size}', share_type: 'PER', charge_mode: 'traffic' } });
    expect(one<Record<string, unknown>>(ComputeEipAssociate)[0].count).toBe('${var.create_eip ? 1 : 0}');
  });

  it('passes enterprise project, charging mode and the SKU-checked flavor to the instance', () => {
    const instance = one<Record<string, unknown>>(ComputeInstance)[0];
    expect(instance).toMatchObject({
      enterprise_project_id: '${var.enterprise_project_id == "" ? null : var.enterprise_project_id}',
      charging_mode: '${var.charging_mode}',
      flavor_id: '${local.flavor_name}',
    });
    expect(instance.period).toBeUndefined();
    expect(tf.locals.specifications).toEqual({ standard: { flavors: ['s7.large.2'], min_vcpus: 1, min_ram_mib: 2048 } });
    const both = synthTemplate(makeListedImage({ pricingModes: ['pay-per-use', 'yearly-monthly'] }), IDS) as unknown as Tf;
    expect(both.variable.charging_mode).toMatchObject({ default: 'postPaid', validation: [{ condition: '${contains(["postPaid","prePaid"], var.charging_mode)}' }] });
    expect(one<Record<string, unknown>>(ComputeInstance, 'resource', both)[0].period).toBe('${var.charging_mode == "prePaid" ? var.charging_period : null}');
  });

  it('takes the image from the built image IDs when the listing has no asset ID', () => {
    expect(tf.locals.image_ids).toEqual(IDS);
    expect(tf.locals.template_status).toBe('image-ids');
    expect(tf.data[DataHuaweicloudKoogalleryAssets.tfResourceType]).toBeUndefined();
    const instance = one<Record<string, unknown> & { lifecycle: { precondition: { condition: string }[] } }>(ComputeInstance)[0];
    expect(instance.image_id).toBe('${lookup(local.image_ids, var.region, "")}');
    expect(instance.lifecycle.precondition[0].condition).toBe('${contains(keys(local.image_ids), var.region)}');
  });

  it('takes the image from the merchant\'s KooGallery asset, built IDs or not', () => {
    const t = synthTemplate(redisCn(), IDS) as unknown as Tf;
    expect(t.locals).toMatchObject({ template_status: 'asset', koogallery_asset: { id: ASSET_ID, version: 'V2.1' }, image_id: '${try(data.huaweicloud_koogallery_assets.asset.assets[0].image_deployed_object[0].image_id, "")}' });
    expect(t.locals.image_ids).toBeUndefined();
    expect(one<Record<string, unknown>>(DataHuaweicloudKoogalleryAssets, 'data', t)).toEqual([{ asset_id: '${local.koogallery_asset.id}', asset_version: '${local.koogallery_asset.version}', deployed_type: 'image', region: '${var.region}' }]);
    expect(one<Record<string, unknown>>(ComputeInstance, 'resource', t)[0].image_id).toBe('${local.image_id}');
  });

  it('refuses to synthesize without an asset ID or built image IDs, unless planned', () => {
    expect(() => synthTemplate(makeListedImage(), {})).toThrow(/^images\/demo\/image\.ts: listing\.assetId: expected the KooGallery asset ID of Test Product V1\.0, or built image IDs in dist\/demo\/1\.0\.0\/build\.json, found neither/);
    // A library user is told of the library's option, not of a CLI flag.
    expect(() => synthTemplate(makeListedImage(), {})).toThrow(/, or set allowPlanned: true on the TemplateStack \(allowPlannedTemplate: true on ImageProduct\) to write a template marked planned, which refuses to deploy$/);
    expect(() => synthTemplate(makeListedImage(), {})).not.toThrow(/--planned/);
    // IDs of regions the product does not list do not count
    expect(() => synthTemplate(makeListedImage(), { 'cn-north-4': 'x' })).toThrow(/found neither/);
    const planned = synthTemplate(makeListedImage(), {}, { allowPlanned: true }) as unknown as Tf;
    expect(planned.locals.template_status).toBe('planned');
    const instance = one<{ lifecycle: { precondition: { condition: string; error_message: string }[] } }>(ComputeInstance, 'resource', planned)[0];
    expect(instance.lifecycle.precondition[0]).toEqual({ condition: '${local.template_status != "planned"}', error_message: expect.stringMatching(/^This template is PLANNED/) });
  });

  it('never sees a definition source that is not a network CIDR: the definition is refused first, naming the field', () => {
    expect(() => makeListedImage({}, { securityGroup: [{ protocol: 'tcp', ports: '22', source: '10.1.2.3/8', description: 'SSH' }] }))
      .toThrow('securityGroup[0].source: expected an IPv4 CIDR such as "0.0.0.0/0" or "203.0.113.0/24", found "10.1.2.3/8", which is not the network address of a /8; did you mean 10.0.0.0/8?');
  });

  it('outputs the instance ID, private and public IP and the access URL', () => {
    expect(Object.keys(tf.output).sort()).toEqual(['access_url', 'instance_id', 'private_ip', 'public_ip']);
    expect(tf.output.access_url.value).toBe('https://${var.create_eip ? one(huaweicloud_vpc_eip.eip[*].address) : huaweicloud_compute_instance.instance.access_ip_v4}/');
    const noUrl = synthTemplate(makeListedImage({ accessUrl: undefined }), IDS) as unknown as Tf;
    expect(noUrl.output.access_url).toBeUndefined();
  });

  it('refuses an image without a listing', () => {
    expect(() => synthTemplate(makeImage(), {})).toThrow('images/demo/image.ts: listing: expected the KooGallery listing');
  });
});
