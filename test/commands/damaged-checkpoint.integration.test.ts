/**
 * `status` and `sweep` as users run them, with one truncated checkpoint beside a good one: the
 * damaged file is named, with what it means, the others are still shown or swept, and the file
 * is left as it is. Every --json line validates against the published schema.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore, newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { ACCESS_KEY, SECRET_KEY, cleanEnv, runCli, startEmulatorProcess, type EmulatorProcess } from '../e2e/support.js';
import { validateCliLines } from '../support/cli-events.js';

/** A project folder with nginx 1.0.0 (good) and nginx 0.9.0 (cut off mid-write). */
function project(): { dir: string; damaged: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'image-factory-damaged-'));
  const store = new CheckpointStore(join(dir, '.image-factory', 'builds'), dir);
  store.save(newCheckpoint({ image: 'nginx', version: '1.0.0', productVersion: 'V1.0', buildId: 'b-100', startedAt: new Date(), regions: ['ap-southeast-2'] }));
  const old = newCheckpoint({ image: 'nginx', version: '0.9.0', productVersion: 'V0.9', buildId: 'b-090', startedAt: new Date(), regions: [] });
  store.save(old);
  const damaged = store.path('nginx', '0.9.0');
  const text = JSON.stringify(old, null, 2).slice(0, 100);
  writeFileSync(damaged, text);
  return { dir, damaged, text };
}

describe('a truncated checkpoint beside a good one', () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });

  it('status shows the good build and names the damaged file (text and --json), exit 0, file kept', async () => {
    const p = project();
    const text = await runCli(['status', 'nginx'], { cwd: p.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('nginx 1.0.0 (V1.0)  build b-100');
    expect(text.stdout).toMatch(/UNREADABLE could not read the checkpoint of nginx 0\.9\.0, \.image-factory\/builds\/nginx\/0\.9\.0\.json: the checkpoint is not valid JSON .*It is kept as it is; other versions build, resume and sweep without it/);

    const json = await runCli(['status', 'nginx', '--json'], { cwd: p.dir });
    const { events, result } = validateCliLines(json.stdout);
    expect(json.code, json.stderr).toBe(0);
    expect(events).toEqual([
      expect.objectContaining({ type: 'checkpoint', checkpoint: expect.objectContaining({ version: '1.0.0' }), running: null }),
      expect.objectContaining({ type: 'note', message: expect.stringMatching(/^could not read the checkpoint of nginx 0\.9\.0, \.image-factory\/builds\/nginx\/0\.9\.0\.json: the checkpoint is not valid JSON/) }),
    ]);
    expect(result).toMatchObject({ command: 'status', exitCode: 0, status: 'ok', counts: { builds: 1, unreadable: 1 }, message: '1 build of nginx, 1 unreadable checkpoint (.image-factory/builds/nginx/0.9.0.json)', next: expect.stringContaining('fix or delete .image-factory/builds/nginx/0.9.0.json') });
    expect(readFileSync(p.damaged, 'utf8')).toBe(p.text);
  }, 60_000);

  it('sweep --json goes on, says which checkpoint it could not read and what that means, and keeps the file', async () => {
    const p = project();
    const env = cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY, IMAGE_FACTORY_ENDPOINT: emulator.url });
    const run = await runCli(['sweep', '--regions', 'ap-southeast-3', '--json'], { cwd: p.dir, env });
    const { events, result } = validateCliLines(run.stdout);
    expect(run.code, run.stderr).toBe(0);
    expect(events.filter((e) => e.type === 'note')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^could not read the checkpoint \.image-factory\/builds\/nginx\/0\.9\.0\.json: the checkpoint is not valid JSON .*; no process holds the lock of nginx 0\.9\.0: its build's resources are treated as any stopped build's, kept until their expiry tag has passed/) }),
    ]);
    expect(result).toMatchObject({ command: 'sweep', exitCode: 0, status: 'ok', counts: { regions: 1, failed: 0, checkpointsUnreadable: 1 }, message: expect.stringContaining('1 unreadable checkpoint (.image-factory/builds/nginx/0.9.0.json: kept as they are)') });
    expect(readFileSync(p.damaged, 'utf8')).toBe(p.text);
  }, 60_000);
});
