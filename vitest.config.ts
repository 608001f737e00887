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
    // Speed of the unit tier. Vitest's default of one worker per CPU but one runs the files one
    // at a time on a 2-CPU machine, though most of their time is spent waiting on Terraform,
    // npm, emulated clouds and guest timeouts: three workers overlap those waits. Without
    // isolation a worker imports cdktf and the generated bindings once, not once per file (the
    // tests mock no module and change no process-wide state, so nothing leaks between files).
    pool: 'forks',
    maxWorkers: 3,
    isolate: false,
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/**/*.rootfs.test.ts', 'test/**/*.boot.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
