import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm test`: everything but the guest tiers that need root, debootstrap and QEMU
// (those run with `npm run test:guest`; .ci/run runs both).
const EXCLUDE = ['**/node_modules/**', 'test/**/*.rootfs.test.ts', 'test/**/*.boot.test.ts'];
/** Files that run emulators, fake clouds and Terraform state: each gets a fresh module graph. */
const STATEFUL = ['test/pipeline/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/cloud/**/*.test.ts'];

export default defineConfig({
  resolve: {
    // The package's own name (images/*/image.ts imports it) is its TypeScript sources here, as
    // the "koogallery-source" export condition makes it for Node (scripts/bin/source-condition.mjs).
    alias: [{ find: /^koogallery-image-factory$/, replacement: fileURLToPath(new URL('./stacks/index.ts', import.meta.url)) }],
  },
  test: {
    // Vitest's default is one worker per CPU but one: on a 2-CPU machine the files ran one at a
    // time, though much of their time is spent waiting on Terraform, npm, emulated clouds and
    // guest timeouts. Two workers overlap those waits (three only add contention there).
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
    projects: [
      // Without isolation a worker imports cdktf and the generated bindings once, not once per
      // file; these tests mock no module and change no process-wide state. The stateful ones
      // keep isolation: run after other files in one process, the pipeline tests ran 2x slower.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...EXCLUDE, ...STATEFUL], isolate: false } },
      { extends: true, test: { name: 'stateful', include: STATEFUL, exclude: EXCLUDE, isolate: true } },
    ],
  },
});
