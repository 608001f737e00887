import type { Command } from './index.js';
import { join } from 'node:path';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, EXIT_OK, EXIT_USAGE } from '../lib/command-spec.js';
import { CLOUD_ENV } from '../lib/env-docs.js';
import { UserError } from '../../stacks/errors.js';
import { SITES, regionIds, type Site } from '../../stacks/catalogue/regions.js';
import { credentialsFromEnv } from '../cloud/credentials.js';
import { cloudRouteFromEnv } from '../../stacks/endpoint.js';
import { writeEvent, writeResult } from '../lib/json-events.js';
import { retryLine } from '../pipeline/progress.js';
import { TAG } from '../../stacks/definition/tags.js';

const spec = commandSpec({
  name: 'sweep',
  options: {
    'dry-run': { type: 'boolean', description: 'List what would be deleted, delete nothing.' },
    build: { type: 'string', value: 'build-id', description: 'Only this build\'s temporary resources, deleted now whatever their expiry (never while the build runs): what a build that could not delete its builder or tester tells you to run.' },
    site: { type: 'string', value: 'cn|intl|eu', defaultText: 'the sites of the images in images/', description: 'Sweep every region of one site.' },
    regions: { type: 'string', value: 'a,b', defaultText: 'every region of the images\' sites', description: 'Sweep only these regions, comma-separated.' },
    json: { type: 'boolean', description: 'Print one "resource" event per tagged resource (region, resourceType, id, action, reason, deleted, error), a "note" event per checkpoint that cannot be read, then a "result" event (scripts/lib/cli-events.schema.json).' },
  },
  description: 'Only resources with the factory\'s tags are looked at. A resource is deleted when its build holds no lock here and its expiry tag has passed; resources without a readable expiry tag, and images, are never touched; the factory\'s images that no checkpoint here knows are named, with the command that deletes them. A checkpoint that cannot be read is named and kept as it is; its build\'s lock still tells whether that build runs.',
  env: CLOUD_ENV,
  exitCodes: [EXIT_OK, [1, 'a delete failed or a region could not be listed (each is named)'], EXIT_USAGE],
  examples: ['image-factory sweep --dry-run', 'image-factory sweep --regions ap-southeast-3,af-south-1', 'image-factory sweep --build 20261204T030000Z-ab12 --regions ap-southeast-3'],
});

const command: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length) throw usageError(spec, `takes no image name (it sweeps every build), found ${positionals.join(' ')}`);
    // A build ID as newBuildId makes it (stacks/build-context.ts): a typo must not match nothing silently.
    if (values.build !== undefined && !/^\d{8}T\d{6}Z-[0-9a-f]{4}$/.test(values.build)) throw usageError(spec, `--build: expected a build ID like 20261204T030000Z-ab12 (build.json's buildId, or the one the failed build named), found "${values.build}"`);
    const credentials = credentialsFromEnv();
    // The definitions, the cloud clients and the checkpoints: once the command line is valid.
    const [{ loadAllImages }, { HuaweiApi }, { HuaweiSweeper }, { checkKeyPair }, { CheckpointStore }, { sweep, untrackedImages }] = await Promise.all([
      import('../../stacks/definition/load.js'), import('../cloud/huawei-api.js'), import('../cloud/huawei-sweeper.js'),
      import('../cloud/key-check.js'), import('../pipeline/checkpoint.js'), import('../pipeline/sweep.js'),
    ]);
    let regions: string[];
    if (values.regions) regions = values.regions.split(',').map((r) => r.trim()).filter(Boolean);
    else if (values.site) {
      if (!SITES.includes(values.site as Site)) throw new UserError(`sweep: --site: expected one of ${SITES.join(', ')}, found "${values.site}"`);
      regions = regionIds(values.site as Site);
    } else {
      const images = await loadAllImages(join(process.cwd(), 'images'));
      regions = [...new Set(images.flatMap((i) => regionIds(i.spec.site, i.spec.catalogue)))];
    }
    const { endpoint, proxy } = cloudRouteFromEnv();
    // A refused key pair is one line, not one failure per region.
    if (regions.length) await checkKeyPair(credentials, regions[0], endpoint, proxy);
    const regionErrors: string[] = [];
    const unreadable: string[] = [];
    const sweeper = new HuaweiSweeper(new HuaweiApi(credentials, { endpoint, proxy, onRetry: (n) => (values.json ? writeEvent({ type: 'retry', ...n }) : console.error(retryLine(n))) }));
    const store = new CheckpointStore();
    const decisions = await sweep({
      sweeper, regions, store, now: new Date(), dryRun: values['dry-run'] === true, build: values.build,
      onDamagedCheckpoint: (d, meaning) => {
        unreadable.push(d.path);
        const line = `could not read the checkpoint ${d.path}: ${d.reason}; ${meaning}`;
        if (values.json) writeEvent({ type: 'note', message: line });
        else console.log(`UNREADABLE ${line}`);
      },
      onRegionError: (region, message) => {
        regionErrors.push(region);
        if (values.json) writeEvent({ type: 'region-error', region, error: message });
        else console.log(`FAILED ${region}: could not list tagged resources: ${message}`);
      },
      onDecision: (d) => {
        const r = d.resource;
        if (values.json) writeEvent({ type: 'resource', region: r.region, resourceType: r.type, id: r.id, name: r.name, action: d.action, reason: d.reason, deleted: d.deleted ?? false, error: d.error });
        else console.log(`${d.action === 'keep' ? 'keep  ' : d.deleted ? 'delete' : d.error ? 'FAILED' : 'would delete'} ${r.region} ${r.type} ${r.id}${r.name ? ` (${r.name})` : ''}: ${d.error ?? d.reason}`);
      },
    });
    // Images are never deleted by sweep: the ones no checkpoint here knows are named, with the command that would delete them.
    const untracked = values.build === undefined ? await untrackedImages({ sweeper, regions, store, onRegionError: (region, message) => {
      regionErrors.push(region);
      if (values.json) writeEvent({ type: 'region-error', region, error: message });
      else console.log(`FAILED ${region}: ${message}`);
    } }) : [];
    for (const { image, deleteCommand } of untracked) {
      const line = `untracked image ${image.id} "${image.name}" in ${image.region} (build ${image.tags[TAG.buildId]}, ${image.tags[TAG.product] ?? '?'} ${image.tags[TAG.version] ?? '?'}): no checkpoint here knows it, and it counts against the region's private image quota. Unless another machine's build made it, delete it: ${deleteCommand}`;
      if (values.json) writeEvent({ type: 'note', message: line });
      else console.log(`UNTRACKED ${line}`);
    }
    const failed = decisions.filter((d) => d.error).length;
    const toDelete = decisions.filter((d) => d.action === 'delete').length;
    const summary = `${regions.length} regions, ${decisions.length} tagged resources, ${toDelete} ${values['dry-run'] ? 'to delete (dry run)' : 'deleted'}${failed ? `, ${failed} failed` : ''}${regionErrors.length ? `, ${regionErrors.length} ${regionErrors.length > 1 ? 'regions' : 'region'} not listed (${regionErrors.join(', ')})` : ''}${untracked.length ? `, ${untracked.length} untracked ${untracked.length > 1 ? 'images' : 'image'} (not deleted)` : ''}${unreadable.length ? `, ${unreadable.length} unreadable ${unreadable.length > 1 ? 'checkpoints' : 'checkpoint'} (${unreadable.join(', ')}: kept as they are)` : ''}`;
    const exitCode = failed || regionErrors.length ? 1 : 0;
    if (values.json) {
      writeResult({ command: 'sweep', exitCode, status: exitCode ? 'refused' : 'ok', message: summary, ...(exitCode ? { next: 'run `image-factory sweep` again; each failure above names its resource or region' } : unreadable.length ? { next: `fix or delete ${unreadable.join(', ')}: each note above says why it cannot be read` } : {}), counts: { regions: regions.length, resources: decisions.length, delete: toDelete, failed, regionsNotListed: regionErrors.length, checkpointsUnreadable: unreadable.length, untrackedImages: untracked.length } });
    } else console.log(summary);
    return exitCode;
  },
};
export default command;
