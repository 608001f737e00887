import type { Command } from './index.js';
import { join } from 'node:path';
import { parseCommandArgs } from '../lib/args.js';
import { UserError, UsageError } from '../../stacks/errors.js';
import { SITES, regionIds, type Site } from '../../stacks/catalogue/regions.js';
import { credentialsFromEnv } from '../cloud/credentials.js';
import { cloudRouteFromEnv } from '../../stacks/endpoint.js';

const usage = 'sweep [--dry-run] [--site cn|intl|eu] [--regions a,b] [--json]';

const command: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs('sweep', usage, args, {
      'dry-run': { type: 'boolean' }, site: { type: 'string' }, regions: { type: 'string' }, json: { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`sweep: takes no image name (it sweeps every build), found ${positionals.join(' ')}\nusage: image-factory ${usage}`);
    const credentials = credentialsFromEnv();
    // The definitions, the cloud clients and the checkpoints: once the command line is valid.
    const [{ loadAllImages }, { HuaweiApi }, { HuaweiSweeper }, { checkKeyPair }, { CheckpointStore }, { sweep }] = await Promise.all([
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
    const decisions = await sweep({
      sweeper: new HuaweiSweeper(new HuaweiApi(credentials, { endpoint, proxy })), regions, store: new CheckpointStore(), now: new Date(), dryRun: values['dry-run'] === true,
      onRegionError: (region, message) => {
        regionErrors.push(region);
        if (values.json) console.log(JSON.stringify({ region, action: 'list', error: message }));
        else console.log(`FAILED ${region}: could not list tagged resources: ${message}`);
      },
      onDecision: (d) => {
        const r = d.resource;
        if (values.json) console.log(JSON.stringify({ region: r.region, type: r.type, id: r.id, name: r.name, action: d.action, reason: d.reason, deleted: d.deleted ?? false, error: d.error }));
        else console.log(`${d.action === 'keep' ? 'keep  ' : d.deleted ? 'delete' : d.error ? 'FAILED' : 'would delete'} ${r.region} ${r.type} ${r.id}${r.name ? ` (${r.name})` : ''}: ${d.error ?? d.reason}`);
      },
    });
    const failed = decisions.filter((d) => d.error).length;
    if (!values.json) console.log(`${regions.length} regions, ${decisions.length} tagged resources, ${decisions.filter((d) => d.action === 'delete').length} ${values['dry-run'] ? 'to delete (dry run)' : 'deleted'}${failed ? `, ${failed} failed` : ''}${regionErrors.length ? `, ${regionErrors.length} ${regionErrors.length > 1 ? 'regions' : 'region'} not listed (${regionErrors.join(', ')})` : ''}`);
    return failed || regionErrors.length ? 1 : 0;
  },
};
export default command;
