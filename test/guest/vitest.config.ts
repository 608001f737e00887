import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SOURCE_ALIAS } from '../support/source-alias.js';

// `npm run test:guest`: the tiers that need root, debootstrap and QEMU (see scripts/guest/README.md).
// One file at a time: they share the cached rootfs (built on first use) and the 2 CPUs.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // As in every tier: the package's own name is its TypeScript sources.
  resolve: { alias: SOURCE_ALIAS },
  test: {
    include: ['test/guest/**/*.rootfs.test.ts', 'test/guest/**/*.boot.test.ts'],
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 40 * 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
