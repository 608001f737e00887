/**
 * Child process for the kill tests: runs `build` (or `resume`) against a fake cloud kept in a
 * file, printing JSON progress events, with the same signal handling as the CLI.
 *   env: FAKE_STATE, WORK_DIR, REAL_START, SCALE, IMAGE_DIR, DEFINITION (JSON), MODE
 */
import { join } from 'node:path';
import { validateDefinition } from '../../stacks/definition/load.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { ScaledClock } from '../../scripts/pipeline/clock.js';
import { JsonProgress } from '../../scripts/pipeline/progress.js';
import { build, resume } from '../../scripts/pipeline/orchestrator.js';
import { interruptOnSignals } from '../../scripts/pipeline/interrupt.js';
import { FakeCloud } from './fake-cloud.js';
import { FAST } from './harness.js';

const env = process.env;
const clock = new ScaledClock(Number(env.SCALE), Date.UTC(2026, 10, 28, 10, 0, 0), Number(env.REAL_START));
const cloud = new FakeCloud({ clock, durations: FAST, file: env.FAKE_STATE! });
const image = { name: 'demo', dir: env.IMAGE_DIR!, file: 'images/demo/image.ts', spec: validateDefinition(JSON.parse(env.DEFINITION!), 'images/demo/image.ts') };
const progress = new JsonProgress();
const { signal, dispose } = interruptOnSignals(progress);
const work = env.WORK_DIR!;
const options = {
  image, cloud: (ctx: Parameters<typeof cloud.forBuild>[1]) => cloud.forBuild(image, ctx),
  store: new CheckpointStore(join(work, 'builds'), work), clock, progress, distDir: join(work, 'dist'),
  pollIntervalMs: 2_000, powerOffGraceMs: 60_000, stopTimeoutMs: 60_000, signal, meta: { toolVersion: 'test' },
};
const outcome = env.MODE === 'resume' ? await resume(options) : await build(options);
dispose();
process.stdout.write(`${JSON.stringify({ outcome: outcome.status })}\n`);
process.exitCode = outcome.status === 'built' ? 0 : outcome.status === 'interrupted' ? 130 : 1;
