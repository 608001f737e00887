import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SOURCE_ALIAS } from '../support/source-alias.js';

// `npm run test:e2e`: the real pipeline, the real `terraform` and the REAL huaweicloud provider
// against the emulator (the `image-factory emulator` command). Files end in .e2e.ts, so
// `npm test` never picks them up. One file at a time: each spawns terraform, and the machine
// may have only 2 CPUs.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // As in every tier: the package's own name is its TypeScript sources (no `npm run build` first).
  resolve: { alias: SOURCE_ALIAS },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
