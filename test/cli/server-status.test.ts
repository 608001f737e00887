/**
 * `image-factory server-status`: how a hand deploy tells the builder is SHUTOFF before the
 * release stack captures it. Against the emulator, through the real signed ECS client.
 */
import { describe, expect, it } from 'vitest';
import { HuaweiEcsClient } from '../../scripts/cloud/ecs.js';
import { watchServer } from '../../scripts/commands/server-status.js';
import { createServer, nginxUserData, REGION, emulatorWithNetwork } from '../emulator/compute-fixtures.js';
import { AK, SK } from '../emulator/support.js';
import { cleanEnv, runCli } from '../e2e/support.js';

const cli = (args: string[], env: NodeJS.ProcessEnv) => runCli(args, { env: cleanEnv(env) });

describe('server-status', () => {
  const ctx = emulatorWithNetwork();

  it('--wait SHUTOFF follows the builder until its guest powers itself off', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net, { userData: await nginxUserData('build') });
    const lines: string[] = [];
    const code = await watchServer({ ecs: new HuaweiEcsClient(ctx.emu.api()), clock: ctx.clock, serverId, region: REGION, wait: 'SHUTOFF', timeoutMs: 4 * 3600_000, pollMs: 15_000, print: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines[0]).toBe(`${serverId} BUILD (spawning)`);
    expect(lines).toContain(`${serverId} ACTIVE`);
    expect(lines.at(-1)).toBe(`${serverId} SHUTOFF`);
  });

  it('gives up at the timeout, saying where the server is', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net, { userData: await nginxUserData('build') });
    const lines: string[] = [];
    const code = await watchServer({ ecs: new HuaweiEcsClient(ctx.emu.api()), clock: ctx.clock, serverId, region: REGION, wait: 'SHUTOFF', timeoutMs: 60_000, pollMs: 15_000, print: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(new RegExp(`^${serverId} is still (BUILD|ACTIVE) after 1 min, not SHUTOFF$`));
  });

  it('prints the status once from the command line, and refuses a call without a region', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net, { userData: await nginxUserData('build') });
    const env = { ...ctx.emu.env, HW_ACCESS_KEY: AK, HW_SECRET_KEY: SK };
    const once = await cli(['server-status', serverId, '--region', REGION], env);
    expect(once.stderr).toBe('');
    expect(once).toMatchObject({ code: 0, stdout: `${serverId} BUILD (spawning)\n` });
    const noRegion = await cli(['server-status', serverId], env);
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toContain('server-status: --region is required');
  });
});
