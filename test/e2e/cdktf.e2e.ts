/**
 * The stacks deployed by hand, as the README's `npx cdktf deploy nginx-builder` does: cdktf
 * synthesizes them (IMAGE_FACTORY_ENDPOINT points their provider at the emulator), runs the real
 * terraform and provider, and destroys them again. `--skip-provider-lock`: cdktf otherwise runs
 * `terraform providers lock`, which asks the registry even when the provider comes from a
 * TF_CLI_CONFIG_FILE mirror (node_modules/@cdktf/cli-core/src/lib/models/terraform-cli.js).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import { TAG } from '../../stacks/definition/tags.js';
import { serversIn, startCloud, transcript, type E2eCloud } from './cloud.js';
import { REPO, workspace } from './support.js';

const provider = inject('e2eProvider');
const CDKTF = join(REPO, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
const BUILD_REGION = 'ap-southeast-3';

describe.skipIf(!provider.ready)('e2e: `cdktf deploy nginx-builder`, then `cdktf destroy nginx-builder`', () => {
  let ws: string;
  let cloud: E2eCloud;
  beforeAll(async () => {
    ws = workspace();
    // The README's by-hand deploy sets IMAGE_FACTORY_ENDPOINT (one region: custom endpoints suffice).
    cloud = await startCloud(ws, 'endpoint');
    // The repository's cdktf.json, its app run from the repository (the workspace has no
    // scripts/ or stacks/): both paths absolute, since cdktf runs the app in the workspace.
    const config = JSON.parse(readFileSync(join(REPO, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(ws, 'cdktf.json'), JSON.stringify({ ...config, app: `node ${JSON.stringify(join(REPO, 'scripts', 'bin', 'run-ts.mjs'))} ${JSON.stringify(join(REPO, 'stacks', 'main.ts'))}` }, null, 2));
  });
  afterAll(() => cloud?.close());

  it('creates the builder (network, EIP, sealed ECS) with the factory\'s tags, and removes every piece of it', async () => {
    // A fixed build context: destroy synthesizes the same stack that deploy applied.
    const env = cloud.env({ IMAGE_FACTORY_BUILD_ID: 'e2e-cdktf', IMAGE_FACTORY_BUILD_STARTED_AT: new Date().toISOString(), CI: '1' });
    const cdktf = (...args: string[]) => spawnSync(process.execPath, [CDKTF, ...args], { cwd: ws, env, encoding: 'utf8', timeout: 20 * 60_000 });

    const deploy = cdktf('deploy', 'nginx-builder', '--auto-approve', '--skip-provider-lock');
    expect(deploy.status, transcript(deploy)).toBe(0);
    const tagged = await new HuaweiSweeper(cloud.api).listTagged(BUILD_REGION, TAG.expiresAt);
    expect(tagged.map((r) => r.type).sort()).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc']);
    for (const r of tagged) expect(r.tags, `${r.type} ${r.id}`).toMatchObject({ [TAG.buildId]: 'e2e-cdktf', [TAG.product]: 'nginx', [TAG.version]: '1.0.0', team: 'web' });
    const servers = await serversIn(cloud, BUILD_REGION);
    expect(servers).toHaveLength(1);
    expect(servers[0].id).toBe(tagged.find((r) => r.type === 'ecs')!.id);

    const destroy = cdktf('destroy', 'nginx-builder', '--auto-approve', '--skip-provider-lock');
    expect(destroy.status, transcript(destroy)).toBe(0);
    expect(await serversIn(cloud, BUILD_REGION)).toEqual([]);
    expect(await new HuaweiSweeper(cloud.api).listTagged(BUILD_REGION, TAG.expiresAt)).toEqual([]);
    expect(await cloud.temporaries()).toEqual([]);
  });
});
