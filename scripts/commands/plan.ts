/**
 * `image-factory plan` (what `npm start` runs): needs no cloud account. Validates every image
 * definition, synthesizes all stacks into cdktf.out/, checks each against the provider schema,
 * prints what a real build would create, and writes each image's listing outputs (manifest,
 * listing sheets, buyer template) with image IDs marked planned until a build records them.
 * One broken image never hides the others: the valid ones are planned and summarized, every
 * problem is printed, and the exit code is then 1.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from './index.js';
import { loadImages, type LoadedImage } from '../../stacks/definition/load.js';
import { definitionWarnings } from '../../stacks/definition/warnings.js';
import { createFactoryApp, type ImageStacks } from '../../stacks/app.js';
import { buildContextFromEnv } from '../../stacks/build-context.js';
import { endpointOverrideFromEnv } from '../../stacks/endpoint.js';
import { checkAgainstSchema } from '../../stacks/schema-check.js';
import { ECS } from '../../stacks/catalogue/ims-rules.js';
import { regionName } from '../../stacks/catalogue/regions.js';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, distOption, EXIT_OK, EXIT_USAGE, IMAGES_OPTION } from '../lib/command-spec.js';
import { writeListingOutputsForPlan } from '../listing/outputs.js';

const spec = commandSpec({
  name: 'plan',
  options: {
    outdir: { type: 'string', value: 'DIR', default: 'cdktf.out', description: 'Where the synthesized stacks go (one folder per stack under DIR/stacks/).' },
    images: IMAGES_OPTION,
    dist: distOption('each image\'s listing outputs go'),
  },
  description: 'Needs no cloud account and calls no cloud. Every image is validated and one broken image never hides the others: the valid ones are planned, every problem is printed.',
  env: ['IMAGE_FACTORY_ENDPOINT', 'IMAGE_FACTORY_STATE_BUCKET', 'IMAGE_FACTORY_STATE_REGION', 'IMAGE_FACTORY_STATE_DIR', 'IMAGE_FACTORY_BUILD_ID'],
  writes: ['cdktf.out/ (--outdir): the synthesized stacks, replaced file by file.', 'dist/<image>/<version>/ (--dist): manifest.json, listing.md, listing.html and template/, with image IDs marked planned until a build records them (each file written atomically).'],
  exitCodes: [EXIT_OK, [1, 'a definition is invalid, or a stack does not match the provider schema (every problem is listed)'], EXIT_USAGE],
  examples: ['image-factory plan', 'image-factory plan --images ./products --outdir /tmp/cdktf.out'],
});

type StackJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** "1 vpc, 5 secgroup rules, ..." from a synthesized stack, by Terraform type. */
function resourceSummary(stack: StackJson): string {
  return Object.entries(stack.resource ?? {})
    .map(([type, instances]) => `${Object.keys(instances).length} ${type.replace(/^huaweicloud_/, '')}`)
    .join(', ');
}

function inboundRules(stack: StackJson): number {
  const rules = stack.resource?.huaweicloud_networking_secgroup_rule ?? {};
  return Object.values(rules).filter((r) => r.direction === 'ingress').length;
}

function describeImage(s: ImageStacks, outdir: string): { lines: string[]; problems: string[] } {
  const { image, builder, release } = s;
  const spec = image.spec;
  const read = (name: string) => JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as StackJson;
  const stacks = [builder, release, s.tester].map((st) => ({ name: st.node.id, json: read(st.node.id) }));
  const copyStacks = Object.values(s.copies).map((st) => ({ name: st.node.id, json: read(st.node.id) }));
  const problems = [...stacks, ...copyStacks].flatMap(({ name, json }) => checkAgainstSchema(json as Record<string, unknown>).map((p) => `${name}: ${p}`));
  const base = 'name' in spec.baseImage ? `"${spec.baseImage.name}"` : `${spec.baseImage.os} "${spec.baseImage.osVersion}"`;
  const pct = ((builder.userData.bytes / ECS.userDataMaxBytes) * 100).toFixed(0);
  const copies = Object.keys(s.copies);
  const lines = [
    `${image.name}: ${spec.product.nameEn} / ${spec.product.nameZh} ${spec.version} (build ${spec.buildVersion}), site ${spec.site}`,
    `  build region   ${spec.buildRegion} (${regionName(spec.buildRegion)})`,
    `  flavor         ${builder.flavor}${spec.flavors.length > 1 ? ` (fallbacks: ${spec.flavors.slice(1).join(', ')})` : ''}`,
    `  base image     ${base}, newest public match, resolved at deploy time`,
    `  system disk    ${spec.systemDisk.type} ${spec.systemDisk.sizeGiB} GiB`,
    `  install steps  ${spec.install.map((st) => st.name).join(' -> ')} -> sanitize -> self-check -> power off`,
    `  test steps     ${spec.tests.map((st) => st.name).join(', ') || '(none)'}`,
    `  user_data      ${builder.userData.bytes} bytes gzip (${pct}% of the ${ECS.userDataMaxBytes}-byte limit)`,
    `  image          "${release.imageName}" in ${spec.buildRegion}`,
    `  copies         ${copies.length ? `${copies.join(', ')} (agency ${spec.build.agencyName})` : spec.targetRegions.length ? `(none: IMAGE_FACTORY_ENDPOINT cannot copy to ${spec.targetRegions.join(', ')}; reach the cloud through IMAGE_FACTORY_PROXY for copies)` : '(none)'}`,
  ];
  for (const { name, json } of stacks) {
    const inbound = json.resource?.huaweicloud_networking_secgroup_rule ? `; inbound rules: ${inboundRules(json)}` : '';
    lines.push(`  ${name.padEnd(Math.max(name.length, 22))} ${resourceSummary(json)}${inbound}`);
  }
  if (copyStacks.length) {
    const name = `${image.name}-copy-<region>`;
    lines.push(`  ${name.padEnd(Math.max(name.length, 22))} ${resourceSummary(copyStacks[0].json)} each, ${copyStacks.length} stack${copyStacks.length > 1 ? 's' : ''}`);
  }
  for (const w of definitionWarnings(spec)) lines.push(`  warning        ${w.path}: ${w.en}`);
  return { lines, problems };
}

const plan: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length) throw usageError(spec, `takes no operands (it plans every image in --images), found ${positionals.join(' ')}`);
    const outdir = values.outdir!;
    const { images, problems } = await loadImages(resolve(values.images!));
    const code = images.length ? await planImages(images, outdir, resolve(values.dist!)) : 0;
    for (const p of problems) console.error(`image-factory: ${p}`);
    if (problems.length && images.length) console.error(`image-factory: plan: ${problems.length} problem(s) above; the ${images.length} valid image(s) were planned`);
    return problems.length ? 1 : code;
  },
};

/** Synthesizes and summarizes valid images, then writes their listing outputs; 1 on a schema mismatch. */
async function planImages(images: LoadedImage[], outdir: string, distDir: string): Promise<number> {
  const { app, stacks } = createFactoryApp({ images, context: buildContextFromEnv(), endpoint: endpointOverrideFromEnv(), outdir });
  app.synth();
  const problems: string[] = [];
  for (const s of stacks) {
    const d = describeImage(s, outdir);
    console.log(d.lines.join('\n') + '\n');
    problems.push(...d.problems);
  }
  console.log(`synthesized ${stacks.reduce((n, s) => n + 3 + Object.keys(s.copies).length, 0)} stacks for ${images.length} image(s) into ${outdir}/`);
  if (problems.length) {
    console.error(`the synthesized Terraform does not match the huaweicloud provider schema:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  console.log('every stack conforms to the huaweicloud provider schema (v1.97.1 subset)\n');
  for (const line of await writeListingOutputsForPlan(images, { distDir })) console.log(line);
  return 0;
}

export default plan;
