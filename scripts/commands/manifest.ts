/**
 * `image-factory manifest <image>`: writes dist/<image>/<version>/manifest.json (+ its JSON
 * Schema) and the listing sheets listing.md and listing.html. Image IDs come from the build
 * record when one exists, otherwise they are marked planned.
 */
import { resolve } from 'node:path';
import type { Command } from './index.js';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { UsageError } from '../../stacks/errors.js';
import { parseCommandArgs } from '../lib/args.js';
import { writeManifestOutputs, describeWritten } from '../listing/outputs.js';

const USAGE = 'manifest <image> [--planned] [--dist dist] [--images images]';

const manifest: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs('manifest', USAGE, args, {
      planned: { type: 'boolean', default: false },
      dist: { type: 'string', default: 'dist' },
      images: { type: 'string', default: 'images' },
    });
    if (positionals.length !== 1) throw new UsageError(`manifest: expected one image name, found ${positionals.length}\nusage: image-factory ${USAGE}`);
    const image = await loadNamedImage(resolve(values.images!), positionals[0]);
    const { manifest: m, files } = writeManifestOutputs(image, { planned: values.planned, distDir: resolve(values.dist!) });
    const ids = m.images.regions.map((r) => `${r.region} ${r.imageId ?? r.status}`).join(', ');
    console.log(`${image.name} ${m.version} (build ${m.buildVersion}): images ${m.images.status} (${ids})\n  ${describeWritten(files)}`);
    return 0;
  },
};

export default manifest;
