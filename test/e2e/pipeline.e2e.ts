/**
 * The real pipeline end to end: `image-factory build|distribute|resume nginx` as users run them,
 * with the real `terraform` and the REAL huaweicloud provider, against `image-factory emulator
 * --proxy` (IMAGE_FACTORY_PROXY and IMAGE_FACTORY_PROXY_CA, as the command prints them). Each
 * scenario has its own emulator and its own copy of images/, in a temporary folder: nothing in
 * the repository is written. After every command nothing temporary (nothing carrying the expiry
 * tag) is left in the emulated account.
 *
 * Why the proxy and not IMAGE_FACTORY_ENDPOINT: with custom `endpoints`, provider 1.97.1 refuses
 * any client for a region other than its own ("Resource-level region must be the same as
 * Provider-level region when using customizing endpoints", huaweicloud/config/config.go
 * NewServiceClient), and huaweicloud_images_image_copy asks for one in the target region right
 * after the copy job (getCopiedRegionClient, huaweicloud/services/ims/
 * resource_huaweicloud_images_image_copy.go; github.com/huaweicloud/terraform-provider-huaweicloud).
 * Through the proxy the provider keeps its default per-region endpoints, so the copies can end.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { PROVIDER_ENDPOINT_KEYS } from '../../stacks/endpoint.js';
import { imageIn, parseProgress, pipeline, readRecord, scenario, serversIn, startPipeline, transcript } from './cloud.js';
import { terraformEnv } from './provider.js';
import { readmeEmulatorSequence } from './readme.js';
import { cleanEnv, killGroup, runCli, runShell } from './support.js';
import { spawnSync } from 'node:child_process';

const provider = inject('e2eProvider');
const ALL_STAGES = ['preflight', 'build', 'stop', 'capture', 'test', 'distribute', 'record'];

/** The definition's regions, from the workspace's copy of images/nginx/image.ts. */
async function regionsOf(ws: string): Promise<{ build: string; targets: string[] }> {
  const image = await loadNamedImage(join(ws, 'images'), 'nginx', ws);
  return { build: image.spec.buildRegion, targets: image.spec.targetRegions.filter((r) => r !== image.spec.buildRegion) };
}

describe.skipIf(!provider.ready)('e2e: the README\'s emulator sequence builds nginx, then the buyer template from its KooGallery asset', () => {
  // The README's block as written: its key pair, `--state .emulator.json` in the project
  // folder, and its export line with the relative CA path.
  const s = scenario('readme');

  it('the emulator prints absolute paths, and `build nginx` pasted from the README runs every stage to the end, with every stage of build.json done', async () => {
    const { build, targets } = await regionsOf(s.ws);
    const printed = (await s.cloud.emu.run.waitFor(/export IMAGE_FACTORY_PROXY=\S+ IMAGE_FACTORY_PROXY_CA=(\S+)/))[1];
    expect(printed).toBe(join(s.ws, '.emulator.json.ca', 'ca.pem'));
    const seq = readmeEmulatorSequence(new URL(s.cloud.emu.url).port as unknown as number);
    expect(seq.route).toMatch(/IMAGE_FACTORY_PROXY_CA=\.emulator\.json\.ca\/ca\.pem$/);
    // The README's lines in a shell, in the project folder: the exports, then the build (plain
    // output, the default poll interval), with the tier's terraform settings around them.
    const r = await runShell([seq.credentials, seq.route, seq.build].join('\n'), { cwd: s.ws, env: cleanEnv(terraformEnv()) });
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stderr).toMatch(/built nginx 1\.0\.0 in \S+; build record dist\/nginx\/1\.0\.0\/build\.json/);
    // The terminal's lines: every stage done, and a copy done in every target region.
    for (const stage of ALL_STAGES) expect(r.stderr, stage).toMatch(new RegExp(`^✓ ${stage}\\b`, 'm'));
    for (const region of targets) expect(r.stderr, region).toMatch(new RegExp(`^✓ distribute ${region} +\\S+ +\\S+`, 'm'));

    const record = readRecord(s.ws);
    expect(record.complete).toBe(true);
    expect(record.buildRegion).toBe(build);
    expect(Object.keys(record.imageIds).sort()).toEqual([build, ...targets].sort());
    expect(record.installSteps.map((s) => s.status)).toEqual(record.installSteps.map(() => 'ok'));
    expect(record.testSteps.map((s) => s.status)).toEqual(record.testSteps.map(() => 'ok'));
    for (const stage of ALL_STAGES) expect(record.timings[stage]?.status, stage).toBe('done');
    // Every image exists where the record says, under the product's image name.
    for (const [region, id] of Object.entries(record.imageIds)) {
      expect(await imageIn(s.cloud, region, id), region).toMatchObject({ id, name: record.imageName, status: 'active' });
    }
    // The builder and the tester are gone, with their networks.
    expect(await serversIn(s.cloud, build)).toEqual([]);
    expect(await s.cloud.temporaries()).toEqual([]);
  });

  it('the buyer template, with the listing\'s KooGallery asset, creates its ECS from the asset\'s image (terraform apply, then destroy)', async () => {
    const { build } = await regionsOf(s.ws);
    const record = readRecord(s.ws);
    // The seller registered the image as an asset: the definition names it, KooGallery knows its images.
    const asset = 'e2e-asset-0001';
    const definition = join(s.ws, 'images', 'nginx', 'image.ts');
    const text = readFileSync(definition, 'utf8');
    expect(text).toMatch(/\n {2}listing: \{\n/);
    writeFileSync(definition, text.replace(/\n {2}listing: \{\n/, `\n  listing: {\n    assetId: '${asset}',\n`));
    const t = await runCli(['template', 'nginx'], { cwd: s.ws, env: cleanEnv() });
    expect(t.code, transcript(t)).toBe(0);
    expect(t.stdout).toContain(`image from: KooGallery asset ${asset}`);
    await s.cloud.emu.admin('PATCH', 'config', { assets: { [asset]: { version: 'V1.0', images: record.imageIds } } });

    // The template as a buyer gets it, plus an override file that points its provider at the
    // emulator (the template itself never carries an endpoint override).
    const dir = mkdtempSync(join(tmpdir(), 'image-factory-e2e-buyer-'));
    copyFileSync(join(s.ws, 'dist', 'nginx', '1.0.0', 'template', 'main.tf.json'), join(dir, 'main.tf.json'));
    const url = s.cloud.emu.url;
    writeFileSync(join(dir, 'override.tf.json'), JSON.stringify({
      provider: { huaweicloud: { auth_url: `${url}/v3`, endpoints: Object.fromEntries([...PROVIDER_ENDPOINT_KEYS, 'mkt'].map((k) => [k, `${url}/`])) } },
    }, null, 2));
    // The cloud's key pair; no proxy variables: the override file points the provider at the emulator.
    const env = cleanEnv({ ...terraformEnv(), HW_ACCESS_KEY: s.cloud.env().HW_ACCESS_KEY, HW_SECRET_KEY: s.cloud.env().HW_SECRET_KEY });
    const terraform = (...args: string[]) => spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8', timeout: 20 * 60_000 });
    // Pay-per-use: the emulator serves no yearly/monthly orders (BSS).
    const vars = ['-var', 'admin_password=E2e.Buyer.Pass9', '-var', `region=${build}`, '-var', 'charging_mode=postPaid'];

    const init = terraform('init', '-input=false', '-no-color');
    expect(init.status, transcript(init)).toBe(0);
    const apply = terraform('apply', '-auto-approve', '-input=false', '-no-color', ...vars);
    expect(apply.status, transcript(apply)).toBe(0);
    const outputs = JSON.parse(terraform('output', '-json', '-no-color').stdout) as Record<string, { value: string }>;
    const server = (await serversIn(s.cloud, build)).find((x) => x.id === outputs.instance_id.value);
    expect(server, JSON.stringify(outputs)).toBeDefined();
    expect(server!.image.id).toBe(record.imageIds[build]);
    expect(server!.name).toBe('nginx');
    expect(outputs.access_url.value).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+\/$/);

    const destroy = terraform('destroy', '-auto-approve', '-input=false', '-no-color', ...vars);
    expect(destroy.status, transcript(destroy)).toBe(0);
    expect(await serversIn(s.cloud, build)).toEqual([]);
  });
});

describe.skipIf(!provider.ready)('e2e: a copy that fails in one region, then `distribute`', () => {
  const s = scenario();

  it('the build ends partial (exit 3) with the other regions done; `distribute nginx` copies the missing one', async () => {
    const { build, targets } = await regionsOf(s.ws);
    const failing = targets[targets.length - 1];
    // IMS fails the cross-region copy job once (the emulator's job fault).
    await s.cloud.emu.admin('POST', 'faults', { kind: 'job', jobType: 'copyImage', region: failing, code: 'IMG.0185', message: `e2e: replication to ${failing} failed`, times: 1 });

    const b = await pipeline(s.cloud, s.ws, 'build');
    expect(b.code, transcript(b)).toBe(3);
    expect(b.result).toMatchObject({ status: 'partial' });
    // IMS's own reason, which the provider's error lacks, on screen as the copy fails.
    const failed = b.events.find((e) => e.stage === 'distribute' && e.status === 'failed' && e.region === failing);
    expect(failed?.message, transcript(b)).toMatch(new RegExp(`^IMS copy job \\S+ to ${failing} failed: IMG\\.0185 e2e: replication to ${failing} failed$`));
    const partial = readRecord(s.ws);
    expect(partial.complete).toBe(false);
    expect(partial.regions[failing]).toMatchObject({ status: 'failed', error: expect.any(String) });
    for (const region of [build, ...targets.filter((t) => t !== failing)]) expect(partial.regions[region], region).toMatchObject({ status: 'done', imageId: expect.any(String) });
    expect(await s.cloud.temporaries()).toEqual([]);

    const d = await pipeline(s.cloud, s.ws, 'distribute');
    expect(d.code, transcript(d)).toBe(0);
    expect(d.result).toMatchObject({ status: 'built' });
    expect(d.events).toContainEqual(expect.objectContaining({ stage: 'distribute', status: 'done', region: failing }));
    const record = readRecord(s.ws);
    expect(record.complete).toBe(true);
    expect(Object.keys(record.imageIds).sort()).toEqual([build, ...targets].sort());
    // The regions done before kept their images; the retried one has its own.
    for (const region of [build, ...targets.filter((t) => t !== failing)]) expect(record.imageIds[region], region).toBe(partial.regions[region].imageId);
    expect(record.regions[failing].attempts).toBe(2);
    expect(await imageIn(s.cloud, failing, record.imageIds[failing])).toMatchObject({ status: 'active', name: record.imageName });
    expect(await s.cloud.temporaries()).toEqual([]);
  });
});

describe.skipIf(!provider.ready)('e2e: the build killed with SIGKILL mid-way, then `resume`', () => {
  const s = scenario();

  it('`resume nginx` finishes the build from its checkpoint, with one image per region and nothing temporary left', async () => {
    const { build, targets } = await regionsOf(s.ws);
    // Killed while it follows the builder's install steps (its stack applied, no terraform
    // running): the process and its process group die at once, nothing is cleaned up.
    const run = startPipeline(s.cloud, s.ws, 'build', true);
    await run.waitFor(/"stage":"build","status":"progress","step":/, 20 * 60_000);
    killGroup(run);
    const killed = await run.exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(parseProgress(killed.stdout).some((e) => e.type === 'result')).toBe(false);
    expect(existsSync(join(s.ws, 'dist', 'nginx', '1.0.0', 'build.json'))).toBe(false);
    // The builder outlived the process, as it would in the cloud.
    expect((await s.cloud.temporaries()).length).toBeGreaterThan(0);

    // Meanwhile the definition was broken: `resume` says so, and deletes the stopped build's
    // builder from its saved stack anyway (without the definition), so nothing stays billed.
    const definition = join(s.ws, 'images', 'nginx', 'image.ts');
    const good = readFileSync(definition, 'utf8');
    writeFileSync(definition, 'export default { broken: \n');
    const broken = await pipeline(s.cloud, s.ws, 'resume');
    expect(broken.code, transcript(broken)).toBe(1);
    expect(broken.stderr).toMatch(/images\/nginx\/image\.ts: the definition could not be loaded/);
    expect(broken.stderr).toMatch(/the stopped build \S+ of nginx 1\.0\.0 left nginx-builder running; deleted them from their saved stacks/);
    expect(await s.cloud.temporaries()).toEqual([]);
    writeFileSync(definition, good);

    const r = await pipeline(s.cloud, s.ws, 'resume');
    expect(r.code, transcript(r)).toBe(0);
    expect(r.result).toMatchObject({ status: 'built' });
    const record = readRecord(s.ws);
    expect(record.complete).toBe(true);
    expect(Object.keys(record.imageIds).sort()).toEqual([build, ...targets].sort());
    // One captured image, not two: the resumed build did not capture again from scratch.
    const images = await s.cloud.api.request<{ images?: { id: string; name: string }[] }>('ims', build, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private' } });
    expect((images.images ?? []).filter((i) => i.name === record.imageName).map((i) => i.id)).toEqual([record.imageIds[build]]);
    expect((await serversIn(s.cloud, build)).map((x) => `${x.id} ${x.name} ${x.status}`), `${transcript(broken)}\n${transcript(r)}`).toEqual([]);
    expect(await s.cloud.temporaries()).toEqual([]);
  });
});

describe.skipIf(!provider.ready)('e2e: the boot test fails while the copies run', () => {
  const s = scenario();

  it('the build fails at the test, and `terraform destroy` of each copy stack leaves no copy in any region', async () => {
    const { build, targets } = await regionsOf(s.ws);
    // The test step fails in the tester only; the copies started at capture, alongside it.
    await s.cloud.emu.admin('PATCH', 'config', { guest: { outcome: 'step-fail', step: 'serves-http', mode: 'test' } });
    const b = await pipeline(s.cloud, s.ws, 'build');
    expect(b.code, transcript(b)).toBe(1);
    expect(b.result).toMatchObject({ status: 'failed' });
    const starts = b.events.filter((e) => e.stage === 'distribute' && e.status === 'start' && e.region).map((e) => e.region);
    expect(starts.length, transcript(b)).toBeGreaterThan(0);
    expect(b.events).toContainEqual(expect.objectContaining({ stage: 'distribute', status: 'failed', message: expect.stringMatching(/^cancelled: the boot test failed; (\d+) of \1 copies deleted$/) }));
    for (const region of targets) {
      const images = await s.cloud.api.request<{ images?: { id: string }[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private' } });
      expect(images.images ?? [], region).toEqual([]);
    }
    // The captured image stays in the build region, for `resume` to test again.
    const captured = await s.cloud.api.request<{ images?: { id: string }[] }>('ims', build, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private' } });
    expect(captured.images ?? []).toHaveLength(1);
    expect(await serversIn(s.cloud, build)).toEqual([]);
    expect(await s.cloud.temporaries()).toEqual([]);
    const checkpoint = JSON.parse(readFileSync(join(s.ws, '.image-factory', 'builds', 'nginx', '1.0.0.json'), 'utf8')) as { regions: Record<string, { status: string }> };
    expect(Object.values(checkpoint.regions).map((r) => r.status)).toEqual(targets.map(() => 'pending'));
  });
});
