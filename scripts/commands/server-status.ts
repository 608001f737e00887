import type { Command } from './index.js';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, EXIT_USAGE } from '../lib/command-spec.js';
import { CLOUD_ENV } from '../lib/env-docs.js';
import { UserError, UsageError } from '../../stacks/errors.js';
import { cloudRouteFromEnv } from '../../stacks/endpoint.js';
import { SITES, regionIds, siteOfRegion } from '../../stacks/catalogue/regions.js';
import { credentialsFromEnv } from '../cloud/credentials.js';
import { HuaweiApi } from '../cloud/huawei-api.js';
import { HuaweiEcsClient } from '../cloud/ecs.js';
import type { EcsClient } from '../cloud/types.js';
import { systemClock, type Clock } from '../pipeline/clock.js';


/**
 * Statuses worth waiting for: the ones a server settles in (ECS "Cloud Server Statuses",
 * https://support.huaweicloud.com/intl/en-us/api-ecs/ecs_08_0002.html); the transitional ones
 * (BUILD, REBOOT, ...) pass.
 */
const WAITABLE = ['ACTIVE', 'SHUTOFF', 'ERROR', 'DELETED'];

/** Statuses a server never leaves on its own: waiting for another one is pointless. */
const FINAL = new Set(['ERROR', 'DELETED']);

/**
 * The ECS status of a server (ShowServer), once or until it reaches `wait`: what a hand deploy
 * checks between `cdktf deploy <image>-builder` (the guest powers itself off: SHUTOFF) and the
 * release stack. Prints one line per status seen; returns 0 when the status is reached (or
 * read), 1 when the server went to ERROR or DELETED or the time ran out.
 */
export async function watchServer(o: { ecs: EcsClient; clock: Clock; serverId: string; region: string; wait?: string; timeoutMs: number; pollMs: number; print: (line: string) => void }): Promise<number> {
  const until = o.clock.now() + o.timeoutMs;
  let last: string | undefined;
  for (;;) {
    const { status, taskState } = await o.ecs.getServer(o.serverId, o.region);
    const shown = `${status}${taskState ? ` (${taskState})` : ''}`;
    if (shown !== last) o.print(`${o.serverId} ${shown}`);
    last = shown;
    if (!o.wait || status === o.wait) return 0;
    if (FINAL.has(status)) {
      o.print(`${o.serverId} went to ${status}, it will not reach ${o.wait}`);
      return 1;
    }
    if (o.clock.now() >= until) {
      o.print(`${o.serverId} is still ${status} after ${Math.round(o.timeoutMs / 60_000)} min, not ${o.wait}`);
      return 1;
    }
    await o.clock.sleep(Math.min(o.pollMs, until - o.clock.now()));
  }
}

const spec = commandSpec({
  name: 'server-status',
  operands: '<instance-id>',
  options: {
    region: { type: 'string', value: 'REGION', required: true, description: 'The server\'s region: the image\'s buildRegion, e.g. ap-southeast-3.' },
    wait: { type: 'string', value: 'STATUS', defaultText: 'print the status once', description: `Poll every 15 s until the server is in STATUS: one of ${WAITABLE.join(', ')}.` },
    'timeout-minutes': { type: 'string', value: '<n>', default: '30', description: 'With --wait: give up after this many minutes.' },
  },
  description: 'For hand deploys: between `cdktf deploy <image>-builder` (the guest powers itself off when the install is done) and the release stack, wait for SHUTOFF.',
  env: CLOUD_ENV,
  exitCodes: [[0, 'the status was read, or reached'], [1, 'the server went to ERROR or DELETED, the time ran out, or the API refused (service, call, code and message are printed)'], EXIT_USAGE],
  examples: ['image-factory server-status 6a1f0c3e-... --region ap-southeast-3 --wait SHUTOFF'],
});

const command: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length !== 1) throw usageError(spec, `expected one instance ID (the instance_id output of the builder stack), found ${positionals.length}`);
    if (!siteOfRegion(values.region!)) {
      throw new UsageError(`server-status: --region: expected a Huawei Cloud region of the catalogue (${SITES.map((site) => `${site}: ${regionIds(site).join(', ')}`).join('; ')}), found "${values.region}"`);
    }
    const wait = values.wait?.toUpperCase();
    if (wait !== undefined && !WAITABLE.includes(wait)) {
      throw new UsageError(`server-status: --wait: expected one of ${WAITABLE.join(', ')} (ECS server statuses a server settles in), found "${values.wait}"`);
    }
    const minutes = Number(values['timeout-minutes']);
    if (!Number.isFinite(minutes) || minutes <= 0) throw new UserError(`server-status: --timeout-minutes: expected a positive number, found "${values['timeout-minutes']}"`);
    const ecs = new HuaweiEcsClient(new HuaweiApi(credentialsFromEnv(), cloudRouteFromEnv()));
    return watchServer({ ecs, clock: systemClock, serverId: positionals[0], region: values.region!, wait, timeoutMs: minutes * 60_000, pollMs: 15_000, print: (l) => console.log(l) });
  },
};
export default command;
