import { defineConfig } from 'vitest/config';
import { SOURCE_ALIAS } from './test/support/source-alias.js';

// `npm test`: everything that runs in-process. Left out: the tests that run other programs (the
// CLI as a process, terraform, bash, npm pack: `npm run test:integration`) and the guest tiers
// that need root, debootstrap and QEMU (`npm run test:guest`); .ci/run runs all three.
const EXCLUDE = ['**/node_modules/**', 'test/**/*.integration.test.ts', 'test/**/*.rootfs.test.ts', 'test/**/*.boot.test.ts'];
/**
 * Whole builds on the emulator (virtual clocks, kills, many timers): each file gets a fresh
 * module graph. Sharing one process with other files, they ran twice as slowly.
 */
export const STATEFUL = [
  ...['build', 'makespan', 'overlap', 'resume', 'sweep'].map((name) => `test/pipeline/${name}.test.ts`),
  // Sets IMAGE_FACTORY_IMPORT_TIMEOUT, which the loader reads from the process environment.
  'test/definition/import-timeout.test.ts',
];

export default defineConfig({
  // The package's own name is its TypeScript sources, in every tier (test/support/source-alias.ts).
  resolve: { alias: SOURCE_ALIAS },
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
      // Without isolation a worker imports cdktf, the generated bindings and the emulator once,
      // not once per file (a fresh fork and import cost ~0.4 s a file); these tests mock no
      // module and change no process-wide state (no env writes, fake timers or spies).
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...EXCLUDE, ...STATEFUL], isolate: false } },
      { extends: true, test: { name: 'stateful', include: STATEFUL, exclude: EXCLUDE, isolate: true } },
    ],
  },
});
