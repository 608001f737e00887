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

  it('a region outside the catalogue, a status never settled in, an unknown server: one line each, no stack trace', async () => {
    const env = { ...ctx.emu.env, HW_ACCESS_KEY: AK, HW_SECRET_KEY: SK };
    const [region, wait, unknown] = await Promise.all([
      cli(['server-status', 'i-1', '--region', 'cn-north-7'], env),
      cli(['server-status', 'i-1', '--region', REGION, '--wait', 'STOPPED'], env),
      cli(['server-status', '00000000-0000-0000-0000-000000000000', '--region', REGION], env),
    ]);
    expect(region.code).toBe(2);
    expect(region.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^image-factory: server-status: --region: expected a Huawei Cloud region of the catalogue \(cn: cn-north-4, .*\), found "cn-north-7"$/)]);
    expect(wait.code).toBe(2);
    expect(wait.stderr.trim()).toBe('image-factory: server-status: --wait: expected one of ACTIVE, SHUTOFF, ERROR, DELETED (ECS server statuses a server settles in), found "STOPPED"');
    // Huawei's answer, in one line: service, call, region, status and ECS's error code.
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^image-factory: ecs GET \/v1\/\{project_id\}\/cloudservers\/\{server_id\} in ap-southeast-3: HTTP 404 Ecs\.0114 /)]);
    for (const r of [region, wait, unknown]) expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
