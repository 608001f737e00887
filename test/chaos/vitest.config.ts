import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SOURCE_ALIAS } from '../support/source-alias.js';

// `npm run test:chaos`: whole builds as child processes against the emulator, under random
// transient faults, kills, a full disk, damaged checkpoints and same-version races, counting
// builds that ended built, failed and leaked (test/chaos/chaos.chaos.ts). Files end in
// .chaos.ts, so `npm test` never picks them up. One file at a time: CI has 2 shared cores.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: SOURCE_ALIAS },
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    fileParallelism: false,
    // Hang guards only: no assertion is on a duration.
    testTimeout: 10 * 60_000,
    hookTimeout: 2 * 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
