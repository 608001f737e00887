/**
 * `build` where the huaweicloud provider cannot be installed: it fails in preflight with
 * Terraform's own reason and the fix, says nothing of temporary resources (none were made),
 * and the next `build` tries afresh instead of pointing to `resume`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY, SECRET_KEY, cleanEnv, runCli, startEmulatorProcess, workspace, type EmulatorProcess } from '../e2e/support.js';

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasTerraform)('preflight: the provider not installable', () => {
  let emu: EmulatorProcess;
  beforeAll(async () => {
    emu = await startEmulatorProcess();
  });
  afterAll(() => emu?.stop());

  it('fails in preflight with the fix, twice the same way, with no word of cleanup', async () => {
    const ws = workspace();
    mkdirSync(join(ws, 'empty-mirror'));
    const config = join(ws, 'offline.tfrc');
    writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = "${join(ws, 'empty-mirror')}"\n  }\n}\n`);
    const [, proxy, ca] = await emu.run.waitFor(/export IMAGE_FACTORY_PROXY=(\S+) IMAGE_FACTORY_PROXY_CA=(\S+)/);
    const env = cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY, IMAGE_FACTORY_PROXY: proxy, IMAGE_FACTORY_PROXY_CA: ca, TF_CLI_CONFIG_FILE: config });
    for (const attempt of [1, 2]) {
      const r = await runCli(['build', 'nginx'], { cwd: ws, env });
      expect(r.code, `attempt ${attempt}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/image-factory: the huaweicloud provider \(huaweicloud\/huaweicloud ~> 1\.97\) cannot be installed from TF_CLI_CONFIG_FILE=\S+offline\.tfrc: terraform init said: Failed to query available provider packages/);
      expect(r.stderr).toContain('provider_installation {');
      expect(r.stderr).not.toMatch(/cleanup|temporary resources|resume/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  }, 60_000);
});
