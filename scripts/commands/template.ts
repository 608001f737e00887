/**
 * `image-factory template <image>`: writes the buyer launch template,
 * dist/<image>/<version>/template/{main.tf.json,README.md,template.zip}, after checking it
 * against the RFS rules. The image comes from the KooGallery asset (listing.assetId) when the
 * definition has one, otherwise from the built image IDs of the build record. With neither the
 * command fails, unless --planned asks for a planned template (build record ignored), which
 * refuses to deploy and says so in its README.
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
    const written = await writeTemplateOutputs(image, manifest, { distDir, planned: values.planned });
    const known = manifest.images.regions.filter((r) => r.imageId).map((r) => r.region);
    const listing = image.spec.listing!;
    const source = written.source === 'asset'
      ? `KooGallery asset ${listing.assetId} (version ${listing.assetVersion ?? image.spec.version})`
      : written.source === 'image-ids'
        ? `built image IDs in ${known.join(', ')}`
        : 'none: PLANNED template, it refuses to deploy until listing.assetId is set or the image is built';
    console.log([
      `${image.name}-template: RFS rules passed; provider huaweicloud ${TEMPLATE_PROVIDER_CONSTRAINT}`,
      `  image from: ${source}`,
      `  ${describeWritten(written.files)}`,
    ].join('\n'));
    return 0;
  },
};

export default template;
