import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm test`: everything but the guest tiers that need root, debootstrap and QEMU
// (those run with `npm run test:guest`; .ci/run runs both).
export default defineConfig({
  resolve: {
    // The package's own name (images/*/image.ts imports it) is its TypeScript sources here, as
    // the "koogallery-source" export condition makes it for Node (scripts/bin/source-condition.mjs).
    alias: [{ find: /^koogallery-image-factory$/, replacement: fileURLToPath(new URL('./stacks/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/**/*.rootfs.test.ts', 'test/**/*.boot.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
