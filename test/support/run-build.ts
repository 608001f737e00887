/**
 * Child process for the kill tests: runs `build` (or `resume`) against the emulator at
 * EMULATOR_URL, as the CLI would (real clients, the same signal handling, JSON progress),
 * with the applier in place of Terraform, on a clock scaled like the emulator's.
 *   env: EMULATOR_URL, WORK_DIR, REAL_START, SCALE, IMAGE_DIR, DEFINITION (JSON), MODE
 */
import { join } from 'node:path';
import { huaweiCloud } from '../../scripts/cloud/index.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { ScaledClock } from '../../scripts/pipeline/clock.js';
import { interruptOnSignals } from '../../scripts/pipeline/interrupt.js';
import { build, resume } from '../../scripts/pipeline/orchestrator.js';
import { JsonProgress } from '../../scripts/pipeline/progress.js';
import { validateDefinition } from '../../stacks/definition/load.js';
import { AK, SK } from '../emulator/support.js';

const env = process.env;
const clock = new ScaledClock(Number(env.SCALE), Date.UTC(2026, 10, 28, 10, 0, 0), Number(env.REAL_START));
const image = { name: 'demo', dir: env.IMAGE_DIR!, file: 'images/demo/image.ts', spec: validateDefinition(JSON.parse(env.DEFINITION!), 'images/demo/image.ts') };
const progress = new JsonProgress();
const { signal, dispose } = interruptOnSignals(progress);
const work = env.WORK_DIR!;
const sleep = (ms: number, s?: AbortSignal) => clock.sleep(ms, s);
const options = {
  image,
  cloud: (ctx: Parameters<typeof huaweiCloud>[1]) => huaweiCloud(image, ctx, { accessKey: AK, secretKey: SK }, { kind: 'local', dir: join(work, 'state') }, {
    endpoint: { baseUrl: env.EMULATOR_URL!, insecure: false },
    sleep,
    deployer: (api) => new EmulatorApplier({ image, context: ctx, api, clock, outdir: join(work, 'cdktf.out'), stateDir: join(work, 'state'), pollMs: 2_000 }),
  }),
  store: new CheckpointStore(join(work, 'builds'), work), clock, progress, distDir: join(work, 'dist'),
  pollIntervalMs: 2_000, powerOffGraceMs: 60_000, stopTimeoutMs: 60_000, signal, meta: { toolVersion: 'test' },
};
const outcome = env.MODE === 'resume' ? await resume(options) : await build(options);
dispose();
process.stdout.write(`${JSON.stringify({ outcome: outcome.status })}\n`);
process.exitCode = outcome.status === 'built' ? 0 : outcome.status === 'interrupted' ? 130 : 1;
