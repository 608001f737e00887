#!/usr/bin/env node
// `npx image-factory <command>`: runs the TypeScript CLI through tsx (no build step needed).
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';

// The npm package ships the library (dist-lib/) only: the CLI runs from a clone of the repository.
if (!existsSync(new URL('../cli.ts', import.meta.url))) {
  console.error('image-factory: this installed package is the library (import { ImageProduct } from \'koogallery-image-factory\'); the CLI runs from a clone of the repository: git clone <repository> && npm ci && npx image-factory help');
  process.exit(2);
}
process.env.CHECKPOINT_DISABLE ??= '1';
const { register } = await import('tsx/esm/api');
register();
// After tsx, so it runs first: the package's own name resolves to its TypeScript sources.
registerHooks('./source-condition.mjs', import.meta.url);
await import('../cli.ts');
