import { defineConfig } from 'vitest/config';
import { SOURCE_ALIAS } from './support/source-alias.js';

/**
 * `npm run test:integration`: the tests that run other programs, as users do. The CLI as a
 * process (`image-factory ...`: exit codes, stderr without traces, signals), real `terraform`
 * (offline configurations), the guest scripts under bash, shellcheck, and the package as `npm pack`
 * ships it, compiled by `tsc`. Each file is named `*.integration.test.ts`; `npm test` leaves
 * them out, and `.ci/run` runs both.
 */
export default defineConfig({
  resolve: { alias: SOURCE_ALIAS },
  test: {
    include: ['test/**/*.integration.test.ts'],
    exclude: ['**/node_modules/**'],
    // Most of their time is spent waiting on child processes: two workers overlap those waits.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
