/**
 * IMAGE_FACTORY_ENDPOINT with target regions: the huaweicloud provider cannot copy there (it
 * refuses clients for other regions with custom endpoints), so `build` refuses at once, in one
 * line with the fix, before anything is created or any checkpoint is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY, SECRET_KEY, cleanEnv, runCli, startEmulatorProcess, workspace, type EmulatorProcess } from '../e2e/support.js';

describe('endpoint mode with copies', () => {
  let emu: EmulatorProcess;
  beforeAll(async () => {
    emu = await startEmulatorProcess(['--no-proxy']);
  });
  afterAll(() => emu?.stop());

  it('`build nginx` is refused in one line that names the proxy mode, and leaves nothing behind', async () => {
    const ws = workspace();
    const r = await runCli(['build', 'nginx'], { cwd: ws, env: cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY, IMAGE_FACTORY_ENDPOINT: emu.url }) });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^image-factory: nginx 1\.0\.0: IMAGE_FACTORY_ENDPOINT cannot copy images to other regions \([a-z0-9-]+(, [a-z0-9-]+)*\): .*unset IMAGE_FACTORY_ENDPOINT and set IMAGE_FACTORY_PROXY/);
    expect(r.stdout).not.toMatch(/cleanup|temporary resources/);
    // No checkpoint (the next build is not told to resume) and nothing in the account.
    expect(existsSync(join(ws, '.image-factory', 'builds', 'nginx', '1.0.0.json'))).toBe(false);
    const state = await emu.admin<{ resources: Record<string, Record<string, Record<string, unknown>>> }>('GET', 'state');
    const made = Object.values(state.resources).flatMap((byType) => Object.entries(byType).filter(([type]) => !['images', 'flavors'].includes(type)).flatMap(([, records]) => Object.keys(records)));
    expect(made).toEqual([]);
  }, 60_000);
});
