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
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, distOption, EXIT_OK, EXIT_USAGE, IMAGES_OPTION } from '../lib/command-spec.js';
import { buildManifest } from '../listing/manifest.js';
import { readBuildRecord } from '../listing/build-record.js';
import { outputDir, writeTemplateOutputs, describeWritten } from '../listing/outputs.js';
import { TEMPLATE_PROVIDER_CONSTRAINT } from '../../stacks/template-stack.js';
import { NoTemplateImageError } from '../../stacks/template/model.js';

const spec = commandSpec({
  name: 'template',
  operands: '<image>',
  options: {
    planned: { type: 'boolean', description: 'Ignore the build record and write a PLANNED template when the definition has no listing.assetId: it refuses to deploy and its README says so.' },
    dist: distOption('the build record is read and the template is written, in template/'),
    images: IMAGES_OPTION,
  },
  description: 'The image comes from the KooGallery asset (listing.assetId) when the definition has one, otherwise from the image IDs of the build record. The template is checked against the RFS rules before it is written.',
  writes: ['dist/<image>/<version>/template/main.tf.json, README.md and template.zip (the file to upload to RFS), each written atomically.'],
  exitCodes: [EXIT_OK, [1, 'no asset and no build record, an RFS rule is broken, or the definition is invalid'], EXIT_USAGE],
  examples: ['image-factory template nginx'],
});

const template: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length !== 1) throw usageError(spec, `expected one image name, found ${positionals.length}`);
    const image = await loadNamedImage(resolve(values.images!), positionals[0]);
    const distDir = resolve(values.dist!);
    const record = values.planned ? undefined : readBuildRecord(join(outputDir(image, distDir), 'build.json'));
    const manifest = buildManifest(image, { record });
    const written = await writeTemplateOutputs(image, manifest, { distDir, planned: values.planned === true }).catch((err: unknown) => {
      throw err instanceof NoTemplateImageError ? err.reworded('pass --planned') : err;
    });
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
