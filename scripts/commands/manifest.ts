/**
 * `image-factory manifest <image>`: writes dist/<image>/<version>/manifest.json (+ its JSON
 * Schema) and the listing sheets listing.md and listing.html. Image IDs come from the build
 * record when one exists, otherwise they are marked planned.
 */
import { resolve } from 'node:path';
import type { Command } from './index.js';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, distOption, EXIT_OK, EXIT_USAGE, IMAGES_OPTION } from '../lib/command-spec.js';
import { writeManifestOutputs, describeWritten } from '../listing/outputs.js';

const spec = commandSpec({
  name: 'manifest',
  operands: '<image>',
  options: {
    planned: { type: 'boolean', description: 'Ignore the build record (dist/<image>/<version>/build.json) even when it exists, and mark every image ID planned. Without a build record the IDs are planned anyway.' },
    dist: distOption('the build record is read and the outputs are written'),
    images: IMAGES_OPTION,
  },
  description: 'The image IDs come from the build record of the current version when it exists, otherwise they are marked planned (status "planned" in manifest.json, "planned (not built yet)" in the sheets).',
  writes: ['dist/<image>/<version>/manifest.json (+ manifest.schema.json), listing.md and listing.html, each written atomically.'],
  exitCodes: [EXIT_OK, [1, 'the definition is invalid or the build record is damaged (the message names the file)'], EXIT_USAGE],
  examples: ['image-factory manifest nginx', 'image-factory manifest nginx --planned'],
});

const manifest: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length !== 1) throw usageError(spec, `expected one image name, found ${positionals.length}`);
    const image = await loadNamedImage(resolve(values.images!), positionals[0]);
    const { manifest: m, files } = writeManifestOutputs(image, { planned: values.planned === true, distDir: resolve(values.dist!) });
    const ids = m.images.regions.map((r) => `${r.region} ${r.imageId ?? r.status}`).join(', ');
    console.log(`${image.name} ${m.version} (build ${m.buildVersion}): images ${m.images.status} (${ids})\n  ${describeWritten(files)}`);
    return 0;
  },
};

export default manifest;
