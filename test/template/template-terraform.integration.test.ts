/**
 * The buyer template under a real `terraform plan` (terraform 1.11 on PATH; no provider
 * download): huaweicloud resources become terraform_data carrying their arguments and
 * preconditions, data sources become locals computed by fakes (test/support/terraform-offline.ts).
 * What is asserted is what Terraform itself decides: variable validation, defaults, conditionals,
 * preconditions, and the arguments the provider would receive.
 * Skipped only when no terraform binary is on PATH.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { synthTemplate } from '../../scripts/template/write.js';
import { offlineTerraform, templateFakes, terraformAvailable, type PlanResult } from '../support/terraform-offline.js';
import { cidrProblem } from '../../stacks/template/cidr.js';
import { ASSET_ID, BUILT_IDS, bothEu, payPerUseIntl, plannedIntl, redisCn } from './variants.js';

const PASSWORD = { admin_password: 'Abcdef12' };
type Env = ReturnType<typeof offlineTerraform>;
const instance = (r: PlanResult) => r.resources['huaweicloud_compute_instance.instance'];
const rules = (r: PlanResult) => Object.entries(r.resources).filter(([k]) => k.startsWith('huaweicloud_networking_secgroup_rule.')).map(([, v]) => v);

describe.skipIf(!terraformAvailable)('buyer template under terraform plan', () => {
  let redis: Env;
  let ppu: Env;
  let both: Env;
  let planned: Env;
  beforeAll(() => {
    redis = offlineTerraform(synthTemplate(redisCn(), {}) as never, templateFakes('cn-east-3'));
    ppu = offlineTerraform(synthTemplate(payPerUseIntl(), BUILT_IDS) as never, templateFakes());
    both = offlineTerraform(synthTemplate(bothEu(), {}) as never, templateFakes());
    planned = offlineTerraform(synthTemplate(plannedIntl(), {}, { allowPlanned: true }) as never, templateFakes());
  }, 60_000);

  describe('yearly/monthly-only product with an asset ID (the issue\'s Redis on the cn site)', () => {
    it('deploys prePaid for 1 month by default, with the image of the merchant\'s asset in the chosen region', () => {
      const r = redis.plan(PASSWORD);
      expect(r.out).not.toMatch(/Error/);
      expect(instance(r)).toMatchObject({
        charging_mode: 'prePaid', period_unit: 'month', period: 1,
        image_id: `image-of-${ASSET_ID}-V2.1-in-cn-north-4`,
        flavor_id: 's7.large.4',
        availability_zone: 'cn-north-4a',
      });
      const r2 = redis.plan({ ...PASSWORD, region: 'cn-south-1' });
      expect(instance(r2).image_id).toBe(`image-of-${ASSET_ID}-V2.1-in-cn-south-1`);
    });

    it('refuses postPaid: the product is not sold pay-per-use', () => {
      const r = redis.plan({ ...PASSWORD, charging_mode: 'postPaid' });
      expect(r.ok).toBe(false);
      expect(r.out).toMatch(/Redis Cache Server is sold yearly\/monthly only: use prePaid/);
    });

    it('opens each rule to its definition default, and lets the buyer narrow every source', () => {
      expect(rules(redis.plan(PASSWORD)).map((x) => [x.protocol, x.port_range_min ?? null, x.remote_ip_prefix])).toEqual([
        ['tcp', 6379, '10.0.0.0/8'], ['tcp', 22, '0.0.0.0/0'], ['icmp', null, '192.168.0.0/16'],
      ]);
      const narrowed = redis.plan({ ...PASSWORD, ingress_tcp_6379_source: '172.16.8.0/24', ingress_tcp_22_source: '203.0.113.7/32', ingress_icmp_source: '0.0.0.0/0' });
      expect(rules(narrowed).map((x) => x.remote_ip_prefix)).toEqual(['172.16.8.0/24', '203.0.113.7/32', '0.0.0.0/0']);
    });

    it('refuses a source that is not a strict IPv4 network CIDR, as the JavaScript check does', () => {
      for (const bad of ['10.0.0.256/24', '10.0.0.0/33', '10.1.2.3/8', '010.0.0.0/8', '10.0.0.0', 'any', '::/0']) {
        const r = redis.plan({ ...PASSWORD, ingress_tcp_22_source: bad });
        expect(r.ok, bad).toBe(false);
        expect(r.out, bad).toMatch(/Expected an IPv4 network CIDR such as 203\.0\.113\.0\/24/);
        expect(cidrProblem(bad), bad).toBeDefined();
      }
      for (const good of ['0.0.0.0/0', '255.255.255.255/32', '100.64.0.0/10']) expect(cidrProblem(good), good).toBeUndefined();
      expect(redis.plan({ ...PASSWORD, ingress_tcp_22_source: '100.64.0.0/10' }).ok).toBe(true);
    });

    it('takes the flavor from the SKU and refuses one below the SKU\'s minimum', () => {
      expect(instance(redis.plan({ ...PASSWORD, specification: 'cluster' })).flavor_id).toBe('c7.2xlarge.4');
      // at the minimum (2 vCPUs, 4 GiB), and larger flavors of other families
      for (const ok of ['s7.large.2', 'c7.xlarge.2', 'm7.2xlarge.8']) expect(redis.plan({ ...PASSWORD, flavor: ok }).ok, ok).toBe(true);
      for (const small of ['s7.medium.2', 's7.medium.4', 's6.small.1']) {
        const r = redis.plan({ ...PASSWORD, flavor: small });
        expect(r.ok, small).toBe(false);
        expect(r.out, small).toMatch(/The flavor is smaller than the chosen specification allows/);
      }
      // the cluster SKU needs 4 vCPUs and 16 GiB: enough for basic is not enough for cluster
      expect(redis.plan({ ...PASSWORD, specification: 'cluster', flavor: 's7.large.4' }).ok).toBe(false);
      expect(redis.plan({ ...PASSWORD, specification: 'cluster', flavor: 'c7.4xlarge.4' }).ok).toBe(true);
      expect(redis.plan({ ...PASSWORD, specification: 'enterprise' }).out).toMatch(/Expected one of the product's specifications: basic, cluster/);
    });

    it('stops in a region where the asset has no image, and refuses more than 3 years', () => {
      const r = redis.plan({ ...PASSWORD, region: 'cn-east-3' });
      expect(r.ok).toBe(false);
      expect(r.out).toMatch(new RegExp(`KooGallery asset ${ASSET_ID} \\(version V2\\.1\\) has no image in this region`));
      expect(redis.plan({ ...PASSWORD, region: 'ap-southeast-3' }).out).toMatch(/offered in cn-north-4, cn-south-1, cn-east-3 only/);
      expect(redis.plan({ ...PASSWORD, charging_period_unit: 'year', charging_period: '3' }).ok).toBe(true);
      expect(redis.plan({ ...PASSWORD, charging_period_unit: 'year', charging_period: '4' }).out).toMatch(/1 to 3 years/);
    });
  });

  describe('pay-per-use-only product with built image IDs', () => {
    it('deploys postPaid without a period, from the built image', () => {
      const r = ppu.plan(PASSWORD);
      expect(r.ok).toBe(true);
      expect(instance(r)).toMatchObject({ charging_mode: 'postPaid', image_id: BUILT_IDS['ap-southeast-3'], flavor_id: 's7.large.2', availability_zone: 'ap-southeast-3a' });
      expect(instance(r).period).toBeUndefined(); // no period attribute at all: prePaid is not offered
      expect(r.outputs).toMatchObject({ public_ip: '203.0.113.10', access_url: 'https://203.0.113.10/' });
    });

    it('refuses prePaid, and a region without a built image', () => {
      expect(ppu.plan({ ...PASSWORD, charging_mode: 'prePaid' }).out).toMatch(/sold pay-per-use only: use postPaid/);
      expect(ppu.plan({ ...PASSWORD, region: 'ap-southeast-2' }).out).toMatch(/No image of this product is built in this region; choose one of ap-southeast-3/);
    });

    it('checks the password and the network like before', () => {
      expect(ppu.plan({ admin_password: 'abcdefgh' }).out).toMatch(/at least 3 of/);
      expect(ppu.plan({ ...PASSWORD, vpc_id: '12345678-1234-1234-1234-123456789012' }).out).toMatch(/Give both vpc_id and subnet_id/);
      const existing = ppu.plan({ ...PASSWORD, vpc_id: '12345678-1234-1234-1234-123456789012', subnet_id: '12345678-1234-1234-1234-123456789013', create_eip: 'false' });
      expect(Object.keys(existing.resources).filter((k) => /vpc\.|subnet\.|eip/.test(k))).toEqual([]);
      expect(existing.outputs.access_url).toBe('https://192.168.1.10/');
    });
  });

  describe('product sold in both modes, pay-per-use by default', () => {
    it('deploys postPaid by default and prePaid on request', () => {
      const r = both.plan(PASSWORD);
      expect(instance(r)).toMatchObject({ charging_mode: 'postPaid', image_id: 'image-of-eu-asset-01-V1.0-in-eu-west-101', availability_zone: 'eu-west-101a' });
      expect(instance(r).period).toBeNull();
      expect(instance(both.plan({ ...PASSWORD, charging_mode: 'prePaid', charging_period: '9' }))).toMatchObject({ charging_mode: 'prePaid', period_unit: 'month', period: 9 });
      expect(both.plan({ ...PASSWORD, charging_mode: 'spot' }).out).toMatch(/Expected postPaid or prePaid/);
    });
  });

  it('reads a merchant\'s ${ and %{ in descriptions as text, not as expressions', () => {
    const tricky = plannedIntl({}, { securityGroup: [{ protocol: 'tcp', ports: '8080', description: 'Admin ${path.module} and %{if true}x%{endif} UI' }] });
    const env = offlineTerraform(synthTemplate(tricky, BUILT_IDS) as never, templateFakes());
    const r = env.plan(PASSWORD);
    expect(r.ok, r.out).toBe(true);
    expect(rules(r)[0].description).toBe('Admin ${path.module} and %{if true}x%{endif} UI');
  });

  describe('planned template', () => {
    it('refuses to deploy, saying why', () => {
      const r = planned.plan(PASSWORD);
      expect(r.ok).toBe(false);
      expect(r.out).toMatch(/This template is PLANNED/);
    });
  });
});
