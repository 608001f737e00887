import { defineConfig } from 'vitest/config';

// `npm test`: everything but the guest tiers that need root, debootstrap and QEMU
// (those run with `npm run test:guest`; .ci/run runs both).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/**/*.rootfs.test.ts', 'test/**/*.boot.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
