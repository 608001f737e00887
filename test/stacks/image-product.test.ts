/** The public constructs: ImageProduct composing the stacks, and a stack used on its own. */
import { App, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { makeListedImage } from '../listing/fixtures.js';
import { BuilderStack, ImageProduct, TAG, TemplateStack, isUserError } from '../../stacks/index.js';

describe('ImageProduct', () => {
  it('names its stacks after its id, and adds the buyer template only on request', () => {
    const app = Testing.app();
    const plain = new ImageProduct(app, 'shop', { image: makeImage() });
    expect([plain.builder, plain.release, plain.tester].map((s) => s.node.id)).toEqual(['shop-builder', 'shop-release', 'shop-tester']);
    expect(plain.template).toBeUndefined();
    const listed = new ImageProduct(app, 'listed', { image: makeListedImage(), template: true, allowPlannedTemplate: true });
    expect(listed.template).toBeInstanceOf(TemplateStack);
    expect(listed.template?.node.id).toBe('listed-template');
    expect(listed.template?.model.source.kind).toBe('planned');
  });

  it('refuses a template with no image to point at, as a user error naming the fix', () => {
    let err: unknown;
    try {
      new ImageProduct(Testing.app(), 'listed', { image: makeListedImage(), template: true });
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toMatch(/assetId|planned/);
  });

  it('shares one build context across the stacks it makes (one build ID, one expiry)', () => {
    const product = new ImageProduct(Testing.app(), 'shop', { image: makeImage() });
    const tags = [product.builder, product.tester].map((s) => JSON.parse(Testing.synth(s)).resource.huaweicloud_vpc);
    const [builderVpc, testerVpc] = tags.map((byName) => (Object.values(byName)[0] as { tags: Record<string, string> }).tags);
    expect(builderVpc[TAG.buildId]).toBe(testerVpc[TAG.buildId]);
    expect(builderVpc[TAG.expiresAt]).toBe(testerVpc[TAG.expiresAt]);
  });
});

describe('a stack on its own', () => {
  it('takes any id, and without a context is a "manual" build', () => {
    const stack = new BuilderStack(new App({ outdir: '/tmp/unused' }), 'my-own-builder', { image: makeImage() });
    const vpc = Object.values(JSON.parse(Testing.synth(stack)).resource.huaweicloud_vpc)[0] as { name: string; tags: Record<string, string> };
    expect(vpc.tags[TAG.buildId]).toBe('manual');
    expect(vpc.name).toBe('my-own-builder-manual-vpc');
  });
});
