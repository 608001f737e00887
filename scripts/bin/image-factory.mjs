#!/usr/bin/env node
// `npx image-factory <command>`: runs the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

process.env.CHECKPOINT_DISABLE ??= '1';
register();
await import('../cli.ts');
