/**
 * The stacks deployed by hand, as the README's `npx cdktf deploy nginx-builder` does: cdktf
 * synthesizes them (IMAGE_FACTORY_ENDPOINT points their provider at the emulator), runs the real
 * terraform and provider, and destroys them again. `--skip-provider-lock`: cdktf otherwise runs
 * `terraform providers lock`, which asks the registry even when the provider comes from a
 * TF_CLI_CONFIG_FILE mirror (node_modules/@cdktf/cli-core/src/lib/models/terraform-cli.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import { TAG } from '../../stacks/definition/tags.js';
import { imageIn, serversIn, startCloud, transcript, type E2eCloud } from './cloud.js';
import { readmeBlock } from './readme.js';
import { REPO, runCli, workspace } from './support.js';

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
    writeCdktfJson(ws);
  });
  afterAll(() => cloud?.close());

  it('`build nginx` refuses the endpoint route with copy regions at once, in one line naming the proxy mode, and creates nothing', async () => {
    const r = await runCli(['build', 'nginx'], { cwd: ws, env: cloud.env() });
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^image-factory: nginx 1\.0\.0: IMAGE_FACTORY_ENDPOINT cannot copy images to other regions \(.+\): .*set IMAGE_FACTORY_PROXY/)]);
    expect(await cloud.temporaries()).toEqual([]);
    expect(existsSync(join(ws, '.image-factory', 'builds', 'nginx', '1.0.0.json'))).toBe(false);
  });

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
    // The EIP is released by its own resource, after the server: nothing is found gone.
    expect(`${destroy.stdout}${destroy.stderr}`).not.toMatch(/Resource not found|is gone/);
    expect(await serversIn(cloud, BUILD_REGION)).toEqual([]);
    expect(await new HuaweiSweeper(cloud.api).listTagged(BUILD_REGION, TAG.expiresAt)).toEqual([]);
    expect(await cloud.temporaries()).toEqual([]);
  });
});

/** The repository's cdktf.json in a workspace, its app run from the repository (the workspace has no scripts/ or stacks/): absolute paths. */
function writeCdktfJson(ws: string): void {
  const config = JSON.parse(readFileSync(join(REPO, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(ws, 'cdktf.json'), JSON.stringify({ ...config, app: `node ${JSON.stringify(join(REPO, 'scripts', 'bin', 'run-ts.mjs'))} ${JSON.stringify(join(REPO, 'stacks', 'main.ts'))}` }, null, 2));
}

/** A README line as the words a shell would pass: quotes dropped, placeholders filled. */
function wordsOf(line: string, fill: (word: string) => string): string[] {
  return line.split(/\s+/).map((w) => fill(w.replace(/^'(.*)'$/, '$1').replace(/^(--\w+=)"(.*)"$/, '$1$2')));
}

describe.skipIf(!provider.ready)('e2e: the README\'s by-hand CDKTF block, through the emulator\'s proxy', () => {
  let ws: string;
  let cloud: E2eCloud;
  beforeAll(async () => {
    ws = workspace();
    cloud = await startCloud(ws, 'proxy');
    writeCdktfJson(ws);
  });
  afterAll(() => cloud?.close());

  it('builder, server-status, release, tester, copies: every line as written, the cdktf ones through `image-factory env --`', async () => {
    const lines = readmeBlock('### Deploying the stacks by hand (CDKTF)');
    const env = { ...cloud.env() };
    const outputs: Record<string, string> = {};
    const placeholders: Record<string, string> = { '<instance_id>': 'nginx-builder.instance_id', '<image_id>': 'nginx-release.image_id', '<tester instance_id>': 'nginx-tester.instance_id' };
    const fill = (word: string) => Object.entries(placeholders).reduce((w, [p, key]) => (w.includes(p) ? w.replace(p, outputs[key] ?? `${p} (never printed)`) : w), word);
    const commands = lines.filter((l) => l.startsWith('npx '));
    for (const line of lines) {
      // The credentials line is the user's own key pair: the emulator's one is in env already.
      if (line.startsWith('export HW_ACCESS_KEY=')) continue;
      if (line.startsWith('export ')) {
        for (const pair of line.slice('export '.length).split(/\s+/)) env[pair.split('=')[0]] = pair.slice(pair.indexOf('=') + 1);
        continue;
      }
      // "<tester instance_id>" is one placeholder of two words.
      const words = wordsOf(line.replace('<tester instance_id>', '<tester_instance_id>'), (w) => fill(w.replace('<tester_instance_id>', '<tester instance_id>')));
      let argv: string[];
      if (words[0] === 'npx' && words[1] === 'cdktf') {
        const args = words.slice(2);
        if (['deploy', 'destroy'].includes(args[0])) args.push('--skip-provider-lock');
        argv = ['env', '--', process.execPath, CDKTF, ...args];
      } else if (words[0] === 'npx' && words[1] === 'image-factory') argv = words.slice(2);
      else throw new Error(`the README's CDKTF block has a line this test cannot run: ${line}`);
      const r = await runCli(argv, { cwd: ws, env });
      expect(r.code, `${line}\n${transcript(r)}`).toBe(0);
      if (words[2] === 'output') {
        for (const m of r.stdout.matchAll(/^\s*(\w+)\s*=\s*"?([^"\n]+?)"?\s*$/gm)) outputs[`${words[3]}.${m[1]}`] = m[2];
      }
    }
    // The block deployed every kind of stack (this test ran each of its lines).
    for (const stack of ['nginx-builder', 'nginx-release', 'nginx-tester', "'nginx-copy-*'"]) expect(commands.some((c) => c.startsWith(`npx cdktf deploy ${stack} `)), stack).toBe(true);
    const imageId = outputs['nginx-release.image_id'];
    expect(imageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await imageIn(cloud, BUILD_REGION, imageId)).toMatchObject({ status: 'active' });
    // One copy per target region, under the product's image name.
    for (const region of ['ap-southeast-2', 'af-south-1']) {
      const res = await cloud.api.request<{ images?: { name: string }[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private' } });
      expect((res.images ?? []).map((i) => i.name), region).toEqual(['Nginx Web Server-V1.0']);
    }
    // The block destroyed the builder and the tester itself: nothing temporary is left.
    expect(await serversIn(cloud, BUILD_REGION)).toEqual([]);
    expect(await cloud.temporaries()).toEqual([]);
  });
});
