import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:guest`: the tiers that need root, debootstrap and QEMU (see scripts/guest/README.md).
// One file at a time: they share the cached rootfs (built on first use) and the 2 CPUs.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // As in the main config: the package's own name is its TypeScript sources.
  resolve: { alias: [{ find: /^koogallery-image-factory$/, replacement: fileURLToPath(new URL('../../stacks/index.ts', import.meta.url)) }] },
  test: {
    include: ['test/guest/**/*.rootfs.test.ts', 'test/guest/**/*.boot.test.ts'],
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 40 * 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
