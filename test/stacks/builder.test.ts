import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { makeImage } from '../support/images.js';
import { synthImage, resourcesOf, onlyResource, dataOf, TEST_CONTEXT } from '../support/synth.js';
import {
  ComputeInstance, NetworkingSecgroup, NetworkingSecgroupRule, Vpc, VpcSubnet, VpcEip, DataHuaweicloudImagesImage,
} from '../../stacks/huaweicloud.js';
import { loadProviderSchema, PROVIDER_FQN } from '../../stacks/schema-check.js';
import { TAG } from '../../stacks/definition/tags.js';
import { WEB_EGRESS } from '../../stacks/constructs/build-network.js';

const image = makeImage();
const { builder, tester } = synthImage(image);

/** Resource types whose provider schema has a `tags` argument. */
function taggableTypes(): Set<string> {
  const schemas = loadProviderSchema().provider_schemas[PROVIDER_FQN].resource_schemas;
  return new Set(Object.entries(schemas).filter(([, s]) => s.block.attributes?.tags && (s.block.attributes.tags.optional || s.block.attributes.tags.required)).map(([t]) => t));
}

describe('builder stack', () => {
  it('opens no inbound rule at all and deletes the default rules', () => {
    const sg = onlyResource(builder, NetworkingSecgroup);
    expect(sg.delete_default_rules).toBe(true);
    const rules = resourcesOf(builder, NetworkingSecgroupRule).map(([, r]) => r);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter((r) => r.direction !== 'egress')).toEqual([]);
  });

  it('allows only DNS, NTP, HTTP and HTTPS outbound by default', () => {
    const rules = resourcesOf(builder, NetworkingSecgroupRule).map(([, r]) => `${r.protocol}/${r.port_range_min}-${r.port_range_max}`);
    expect(rules.sort()).toEqual(WEB_EGRESS.map((r) => `${r.protocol}/${r.port}-${r.port}`).sort());
  });

  it('opens all IPv4 egress when the definition asks for it', () => {
    const { builder: b } = synthImage(makeImage({ build: { agencyName: 'a', egress: 'all' } }));
    const rules = resourcesOf(b, NetworkingSecgroupRule).map(([, r]) => r);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ direction: 'egress', ethertype: 'IPv4', remote_ip_prefix: '0.0.0.0/0' });
    expect(rules[0].protocol).toBeUndefined();
  });

  it('runs a sealed, pay-per-use ECS on the first acceptable flavor from the public base image', () => {
    const ecs = onlyResource(builder, ComputeInstance);
    expect(ecs.key_pair).toBeUndefined();
    expect(ecs.admin_pass).toBeUndefined();
    expect(ecs.charging_mode).toBe('postPaid');
    expect(ecs.flavor_id).toBe('s7.large.2');
    expect(ecs.system_disk_size).toBe(40);
    expect(ecs.delete_disks_on_termination).toBe(true);
    const [[baseName, base]] = dataOf(builder, DataHuaweicloudImagesImage);
    expect(base).toMatchObject({ name: 'Ubuntu 22.04 server 64bit', visibility: 'public', most_recent: true, architecture: 'x86' });
    expect(ecs.image_id).toBe(`\${data.${DataHuaweicloudImagesImage.tfResourceType}.${baseName}.id}`);
  });

  it('resolves the base image by OS and version when no name is given', () => {
    const { builder: b } = synthImage(makeImage({ baseImage: { os: 'Ubuntu', osVersion: 'Ubuntu 22.04 server 64bit' } }));
    const [[, base]] = dataOf(b, DataHuaweicloudImagesImage);
    expect(base).toMatchObject({ os: 'Ubuntu', os_version: 'Ubuntu 22.04 server 64bit', visibility: 'public', most_recent: true });
    expect(base.name).toBeUndefined();
  });

  it('puts the machine in its own VPC and subnet with the configured CIDR', () => {
    const { builder: b } = synthImage(makeImage({ build: { agencyName: 'a', vpcCidr: '172.29.8.0/22' } }));
    expect(onlyResource(b, Vpc).cidr).toBe('172.29.8.0/22');
    expect(onlyResource(b, VpcSubnet)).toMatchObject({ cidr: '172.29.8.0/22', gateway_ip: '172.29.8.1', dhcp_enable: true });
    expect(onlyResource(builder, Vpc).cidr).toBe('10.254.239.0/24');
  });

  it('gives the machine an EIP for outbound internet, or none when the network has NAT', () => {
    const ecs = onlyResource(builder, ComputeInstance);
    const [[eipName, eip]] = resourcesOf(builder, VpcEip);
    expect(ecs.eip_id).toBe(`\${${VpcEip.tfResourceType}.${eipName}.id}`);
    // Released by its own resource after the server, not by ECS with it (destroy would find it gone).
    expect(ecs.delete_eip_on_termination).toBe(false);
    expect(eip.charging_mode).toBe('postPaid');
    expect(eip.publicip.type).toBe('5_bgp');
    const { builder: sbgp } = synthImage(makeImage({ build: { agencyName: 'a', eipType: '5_sbgp' } }));
    expect(onlyResource(sbgp, VpcEip).publicip.type).toBe('5_sbgp');
    const { builder: natted } = synthImage(makeImage({ build: { agencyName: 'a', eip: false } }));
    expect(resourcesOf(natted, VpcEip)).toEqual([]);
    expect(onlyResource(natted, ComputeInstance).eip_id).toBeUndefined();
    expect(onlyResource(natted, ComputeInstance).delete_eip_on_termination).toBeUndefined();
  });

  it('tags every resource that supports tags with build ID, product, version and expiry', () => {
    const taggable = taggableTypes();
    const expires = '20261128T160000Z'; // startedAt 10:00 + default expiryHours 6
    let checked = 0;
    for (const [type, instances] of Object.entries(builder.resource as Record<string, Record<string, any>>)) {
      for (const [name, body] of Object.entries(instances)) {
        if (!taggable.has(type)) continue;
        checked++;
        expect(body.tags, `${type}.${name}`).toMatchObject({
          [TAG.buildId]: TEST_CONTEXT.buildId,
          [TAG.product]: 'demo',
          [TAG.version]: '1.0.0',
          [TAG.expiresAt]: expires,
          team: 'qa',
        });
      }
    }
    expect(checked).toBe(5); // vpc, subnet, security group, EIP, ECS
  });

  it('ships a gzip cloud-config user_data that runs the install steps in order', () => {
    const ecs = onlyResource(builder, ComputeInstance);
    const config = gunzipSync(Buffer.from(ecs.user_data, 'base64')).toString('utf8');
    expect(config.startsWith('#cloud-config\n')).toBe(true);
    const body = JSON.parse(config.slice('#cloud-config\n'.length));
    const paths = body.write_files.map((f: { path: string }) => f.path);
    expect(paths).toContain('/var/lib/image-factory/runner.sh');
    expect(paths).toContain('/var/lib/image-factory/steps/01/run.sh');
    expect(paths).toContain('/var/lib/image-factory/steps/01/files/0');
    const plan = body.write_files.find((f: { path: string }) => f.path.endsWith('plan.tsv')).content as string;
    const steps = plan.split('\n').filter((l) => l.startsWith('step\t')).map((l) => l.split('\t')[2]);
    expect(steps).toEqual(['install', 'configure']);
    expect(plan).toContain('mode\tbuild\n');
    expect(plan).toContain('timeout\t5400\n'); // build.timeoutMinutes default 90
    expect(plan).toContain('file\t1\tsteps/01/files/0\t/etc/app.conf\t0644');
    expect(body.runcmd).toEqual([['bash', '/var/lib/image-factory/runner.sh']]);
  });

  it('boot-tests with the test steps in test mode, from the captured image variable', () => {
    const ecs = onlyResource(tester, ComputeInstance);
    const config = gunzipSync(Buffer.from(ecs.user_data, 'base64')).toString('utf8');
    expect(config).toContain('mode\\ttest\\n');
    expect(config).toContain('\\tsmoke\\t');
    expect(ecs.image_id).toBe('${var.image_id}');
    expect(tester.variable.image_id).toMatchObject({ type: 'string', nullable: false });
    expect(dataOf(tester, DataHuaweicloudImagesImage)).toEqual([]);
  });

  it('outputs what the pipeline needs to follow and capture the machine', () => {
    expect(Object.keys(builder.output).sort()).toEqual(['availability_zone', 'flavor', 'instance_id', 'source_image_id', 'source_image_name']);
  });

  it('uses the flavor and availability zone chosen by preflight', () => {
    const { builder: b } = synthImage(image, { placement: { demo: { flavor: 'c7.large.2', availabilityZone: 'ap-southeast-3b' } } });
    expect(onlyResource(b, ComputeInstance)).toMatchObject({ flavor_id: 'c7.large.2', availability_zone: 'ap-southeast-3b' });
  });

  it('keeps resource names within 64 characters for the longest image name and a real build ID', () => {
    const long = makeImage({}, { name: 'a'.repeat(24) });
    const { builder: b, tester: t } = synthImage(long);
    for (const stack of [b, t]) {
      for (const instances of Object.values(stack.resource as Record<string, Record<string, { name?: string }>>)) {
        for (const body of Object.values(instances)) if (body.name) expect(body.name.length, body.name).toBeLessThanOrEqual(64);
      }
    }
  });

  it('names resources after the stack and build so a console user can tell them apart', () => {
    expect(onlyResource(builder, ComputeInstance).name).toBe('demo-builder-20261128t100000z-abcd');
    expect(onlyResource(builder, Vpc).name).toBe('demo-builder-20261128t100000z-abcd-vpc');
  });

  it('contains no credentials: the provider reads them from the environment', () => {
    expect(builder.provider.huaweicloud).toEqual([{ region: 'ap-southeast-3' }]);
    const text = JSON.stringify(builder);
    for (const key of ['access_key', 'secret_key', 'security_token', 'password', 'admin_pass', 'private_key']) expect(text).not.toContain(`"${key}"`);
  });
});
