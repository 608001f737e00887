/**
 * Synthesizes an image's stacks and looks resources up by the generated classes'
 * tfResourceType (never by hand-typed type strings), as TerraConstructs' tests do.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFactoryApp, type FactoryAppOptions } from '../../stacks/app.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import type { BuildContext } from '../../stacks/build-context.js';

export type StackJson = Record<string, any>;

export const TEST_CONTEXT: BuildContext = { buildId: '20261128T100000Z-abcd', startedAt: new Date('2026-11-28T10:00:00Z') };

export interface Synthesized {
  builder: StackJson;
  release: StackJson;
  tester: StackJson;
  /** Per copy region, its `<image>-copy-<region>` stack. */
  copies: Record<string, StackJson>;
  outdir: string;
  stacks: ReturnType<typeof createFactoryApp>['stacks'];
}

export function synthImage(image: LoadedImage, options: Partial<FactoryAppOptions> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'image-factory-synth-'));
  const { app, stacks } = createFactoryApp({ images: [image], context: TEST_CONTEXT, outdir, ...options });
  app.synth();
  const read = (stack: string) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackJson;
  const copies = Object.fromEntries(Object.keys(stacks[0].copies).map((region) => [region, read(`${image.name}-copy-${region}`)]));
  return { builder: read(`${image.name}-builder`), release: read(`${image.name}-release`), tester: read(`${image.name}-tester`), copies, outdir, stacks };
}

interface Typed { tfResourceType: string }

/** All resources of one generated class in a synthesized stack, as [name, body] pairs. */
export function resourcesOf(stack: StackJson, cls: Typed): [string, StackJson][] {
  return Object.entries(stack.resource?.[cls.tfResourceType] ?? {});
}

export function onlyResource(stack: StackJson, cls: Typed): StackJson {
  const all = resourcesOf(stack, cls);
  if (all.length !== 1) throw new Error(`expected exactly one ${cls.tfResourceType}, found ${all.length}`);
  return all[0][1];
}

export function dataOf(stack: StackJson, cls: Typed): [string, StackJson][] {
  return Object.entries(stack.data?.[cls.tfResourceType] ?? {});
}
