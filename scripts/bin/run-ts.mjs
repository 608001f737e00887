#!/usr/bin/env node
// Runs a TypeScript entry point through tsx, so the CLI works straight from a clone
// (no build step). Usage: node scripts/bin/run-ts.mjs <file.ts> [args...]
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

process.env.CHECKPOINT_DISABLE ??= '1';
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...rest];
register();
// After tsx, so it runs first: the package's own name resolves to its TypeScript sources.
registerHooks('./source-condition.mjs', import.meta.url);
await import(pathToFileURL(resolve(entry)).href);
