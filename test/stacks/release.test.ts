import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { synthImage, resourcesOf, onlyResource, TEST_CONTEXT } from '../support/synth.js';
import { ImsEcsSystemImage, ImagesImageCopy, HuaweicloudProvider } from '../../stacks/huaweicloud.js';
import { TAG } from '../../stacks/definition/tags.js';
import { createFactoryApp } from '../../stacks/app.js';

const image = makeImage();
const { release, copies } = synthImage(image);

describe('release stack', () => {
  it('captures a system-disk image named <product>-<version> from the builder instance variable', () => {
    const img = onlyResource(release, ImsEcsSystemImage);
    expect(img.name).toBe('Test Product-V1.0');
    expect(img.instance_id).toBe('${var.builder_instance_id}');
    expect(img.min_ram).toBe(1024);
    expect(img.timeouts.create).toBe('60m');
    expect(release.variable.builder_instance_id).toMatchObject({ type: 'string', nullable: false });
  });

  it('never prompts for the builder instance: empty by default, and the plan stops at once with the --var to pass', () => {
    expect(release.variable.builder_instance_id.default).toBe('');
    const [check] = release.output.image_id.precondition;
    expect(check.condition).toBe('${trimspace(var.builder_instance_id) != ""}');
    expect(check.error_message).toContain('pass --var="builder_instance_id=<id>", the instance_id output of demo-builder (npx cdktf output demo-builder)');
  });

  it('stays valid after the builder is destroyed: no reference to the builder stack, instance changes ignored', () => {
    const img = onlyResource(release, ImsEcsSystemImage);
    expect(img.lifecycle.ignore_changes).toEqual(['instance_id']);
    const text = JSON.stringify(release);
    expect(text).not.toContain('terraform_remote_state');
    // Named in the help text only, never referenced: no expression reads the builder stack.
    expect(text).not.toMatch(/\$\{[^}]*demo-builder/);
  });

  it('tags the image with build, product and version but no expiry (the image is not temporary)', () => {
    const { tags } = onlyResource(release, ImsEcsSystemImage);
    expect(tags).toEqual({ team: 'qa', [TAG.buildId]: TEST_CONTEXT.buildId, [TAG.product]: 'demo', [TAG.version]: '1.0.0' });
    expect(Object.keys(tags).length).toBeLessThanOrEqual(10);
  });

  it('copies the image to each target region with the IAM agency, one stack per region', () => {
    expect(Object.keys(copies).sort()).toEqual(['af-south-1', 'ap-southeast-2']);
    for (const [region, stack] of Object.entries(copies)) {
      const c = onlyResource(stack, ImagesImageCopy);
      expect(c).toMatchObject({ name: 'Test Product-V1.0', agency_name: 'ims_agency', target_region: region, source_image_id: '${var.source_image_id}', min_ram: 1024 });
      expect(c.timeouts.create).toBe('120m');
      expect(c.tags).toEqual({ team: 'qa', [TAG.buildId]: TEST_CONTEXT.buildId, [TAG.product]: 'demo', [TAG.version]: '1.0.0' });
      // The copy is made from the build region: the provider's region is the source's.
      expect(stack.provider[HuaweicloudProvider.tfResourceType]).toEqual([{ region: 'ap-southeast-3' }]);
      expect(stack.terraform.backend.local.path).toMatch(new RegExp(`demo-copy-${region}\\.tfstate$`));
      expect(stack.output.image_id.value).toBe(`\${${ImagesImageCopy.tfResourceType}.copy.id}`);
      expect(stack.output.image_id.precondition[0].error_message).toContain('pass --var="source_image_id=<id>", the image_id output of demo-release (npx cdktf output demo-release)');
    }
    expect(resourcesOf(release, ImagesImageCopy)).toEqual([]);
  });

  it('outputs the captured image\'s ID and name', () => {
    expect(release.output.image_id.value).toMatch(new RegExp(`^\\$\\{${ImsEcsSystemImage.tfResourceType}\\.image\\.id\\}$`));
    expect(release.output.image_name.value).toBe('Test Product-V1.0');
  });

  it('synthesizes copy stacks for the regions the pipeline asks for (by default the definition\'s targetRegions)', () => {
    expect(Object.keys(synthImage(image, { copyRegions: { demo: [] } }).copies)).toEqual([]);
    expect(Object.keys(synthImage(image, { copyRegions: { demo: ['ap-southeast-2', 'af-south-1', 'la-south-2'] } }).copies)).toHaveLength(3);
  });

  it('refuses copies without an IAM agency, naming the file and field', () => {
    const noAgency = makeImage({ targetRegions: [], build: {} });
    expect(() => createFactoryApp({ images: [noAgency], context: TEST_CONTEXT, outdir: '/tmp/unused', copyRegions: { demo: ['ap-southeast-2'] } }))
      .toThrow(/images\/demo\/image\.ts: build\.agencyName: expected the name of an IAM agency holding IMS Administrator, found none; cross-region copies to ap-southeast-2 need one/);
  });
});
