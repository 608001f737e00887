/**
 * `image-factory template <image>`: writes the buyer launch template,
 * dist/<image>/<version>/template/{main.tf.json,template.zip}, after checking it against the
 * RFS rules. The image comes from the KooGallery asset when the buyer gives its ID, otherwise
 * from the per-region image IDs of the manifest (the build record).
 */
import { join, resolve } from 'node:path';
import type { Command } from './index.js';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { UsageError } from '../../stacks/errors.js';
import { parseCommandArgs } from '../lib/args.js';
import { buildManifest } from '../listing/manifest.js';
import { readBuildRecord } from '../listing/build-record.js';
import { outputDir, writeTemplateOutputs, describeWritten } from '../listing/outputs.js';
import { TEMPLATE_PROVIDER_CONSTRAINT } from '../../stacks/template-stack.js';

const USAGE = 'template <image> [--planned] [--dist dist] [--images images]';

const template: Command = {
  summary: 'Write the buyer launch template (Terraform JSON + template.zip for RFS) of an image, checked against the RFS rules.',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs('template', USAGE, args, {
      planned: { type: 'boolean', default: false },
      dist: { type: 'string', default: 'dist' },
      images: { type: 'string', default: 'images' },
    });
    if (positionals.length !== 1) throw new UsageError(`template: expected one image name, found ${positionals.length}\nusage: image-factory ${USAGE}`);
    const image = await loadNamedImage(resolve(values.images!), positionals[0]);
    const distDir = resolve(values.dist!);
    const record = values.planned ? undefined : readBuildRecord(join(outputDir(image, distDir), 'build.json'));
    const manifest = buildManifest(image, { record });
    const files = await writeTemplateOutputs(image, manifest, { distDir });
    const known = manifest.images.regions.filter((r) => r.imageId).map((r) => r.region);
    console.log([
      `${image.name}-template: RFS rules passed; provider huaweicloud ${TEMPLATE_PROVIDER_CONSTRAINT}`,
      `  image IDs built in: ${known.join(', ') || '(none yet: buyers deploy through asset_id)'}`,
      `  ${describeWritten(files)}`,
    ].join('\n'));
    return 0;
  },
};

export default template;
