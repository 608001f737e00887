import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeImage } from '../support/images.js';
import { synthImage } from '../support/synth.js';
import { checkAgainstSchema } from '../../stacks/schema-check.js';
import { ComputeInstance, Vpc, VpcEip, NetworkingSecgroup } from '../../stacks/huaweicloud.js';

const { outdir } = synthImage(makeImage());
const stacks = readdirSync(join(outdir, 'stacks'));
const read = (name: string) => JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
const first = (obj: Record<string, unknown>) => Object.values(obj)[0] as Record<string, any>;

describe('schema conformance', () => {
  it.each(stacks)('%s conforms to the committed provider schema', (name) => {
    expect(checkAgainstSchema(read(name))).toEqual([]);
  });

  it('synthesized the builder, release and tester stacks and a copy stack per target region', () => {
    expect(stacks.sort()).toEqual(['demo-builder', 'demo-copy-af-south-1', 'demo-copy-ap-southeast-2', 'demo-release', 'demo-tester']);
  });

  describe('catches each kind of mistake', () => {
    const mutate = (fn: (stack: any) => void) => {
      const stack = read('demo-builder');
      fn(stack);
      return checkAgainstSchema(stack);
    };

    it('an unknown resource type', () => {
      expect(mutate((s) => { s.resource.huaweicloud_compute_instancex = { a: { name: 'x' } }; }))
        .toEqual(['resource.huaweicloud_compute_instancex: unknown resource type for huaweicloud/huaweicloud']);
    });

    it('an unknown data source type', () => {
      expect(mutate((s) => { s.data.huaweicloud_nope = { a: {} }; }))
        .toEqual(['data.huaweicloud_nope: unknown data source type for huaweicloud/huaweicloud']);
    });

    it('an unknown attribute', () => {
      const problems = mutate((s) => { first(s.resource[Vpc.tfResourceType]).cidr_block = '10.0.0.0/16'; });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^resource\.huaweicloud_vpc\..*\.cidr_block: unknown attribute or block$/);
    });

    it('an unknown attribute inside a nested block', () => {
      const problems = mutate((s) => { first(s.resource[VpcEip.tfResourceType]).bandwidth.speed = 5; });
      expect(problems).toEqual([expect.stringMatching(/\.bandwidth\[0\]\.speed: unknown attribute or block$/)]);
    });

    it('an unknown block', () => {
      const problems = mutate((s) => { first(s.resource[ComputeInstance.tfResourceType]).disks = [{ size: 1 }]; });
      expect(problems).toEqual([expect.stringMatching(/\.disks: unknown attribute or block$/)]);
    });

    it('a missing required attribute', () => {
      const problems = mutate((s) => { delete first(s.resource[NetworkingSecgroup.tfResourceType]).name; });
      expect(problems).toEqual([expect.stringMatching(/^resource\.huaweicloud_networking_secgroup\..*\.name: required attribute is missing$/)]);
    });

    it('a missing required block', () => {
      const problems = mutate((s) => { delete first(s.resource[ComputeInstance.tfResourceType]).network; });
      expect(problems).toEqual([expect.stringMatching(/\.network: required block is missing \(at least 1\)$/)]);
    });

    it('a wrong value type', () => {
      const problems = mutate((s) => { first(s.resource[ComputeInstance.tfResourceType]).system_disk_size = '40'; });
      expect(problems).toEqual([expect.stringMatching(/\.system_disk_size: expected a number, found "40"$/)]);
      const tags = mutate((s) => { first(s.resource[Vpc.tfResourceType]).tags = ['a']; });
      expect(tags).toEqual([expect.stringMatching(/\.tags: expected a map, found \["a"\]$/)]);
    });

    it('a computed-only attribute that was set', () => {
      const problems = mutate((s) => { first(s.resource[ComputeInstance.tfResourceType]).public_ip = '1.2.3.4'; });
      expect(problems).toEqual([expect.stringMatching(/\.public_ip: is computed by the provider and cannot be set$/)]);
    });

    it('too many blocks', () => {
      const problems = mutate((s) => { const eip = first(s.resource[VpcEip.tfResourceType]); eip.publicip = [eip.publicip, eip.publicip]; });
      expect(problems).toEqual([expect.stringMatching(/\.publicip: expected at most 1 block\(s\), found 2$/)]);
    });

    it('an unknown provider argument and a foreign provider', () => {
      expect(mutate((s) => { s.provider.huaweicloud[0].secret = 'x'; })).toEqual(['provider.huaweicloud[0].secret: unknown attribute or block']);
      expect(mutate((s) => { s.provider.aws = [{}]; })).toEqual(['provider.aws: not the huaweicloud provider']);
    });

    it('accepts interpolations for any type', () => {
      expect(mutate((s) => { first(s.resource[ComputeInstance.tfResourceType]).system_disk_size = '${var.size}'; })).toEqual([]);
    });
  });
});

describe('schema conformance of lifecycle', () => {
  it('catches an ignore_changes entry that names no attribute', () => {
    const stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'demo-release', 'cdk.tf.json'), 'utf8'));
    const image = Object.values(stack.resource.huaweicloud_ims_ecs_system_image)[0] as any;
    image.lifecycle.ignore_changes = ['instance'];
    expect(checkAgainstSchema(stack)).toEqual([expect.stringMatching(/\.lifecycle\.ignore_changes: unknown attribute "instance"$/)]);
  });
});
