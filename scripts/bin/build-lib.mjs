#!/usr/bin/env node
// `npm run build` (and `npm pack`, through prepack): compiles the library to dist-lib/ and
// copies the guest scripts the builder's user_data embeds, at the same place relative to the
// compiled modules as in the repository (stacks/guest/user-data.ts reads ../../scripts/guest).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist-lib');
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });
const guest = join(root, 'scripts', 'guest');
for (const f of readdirSync(guest).filter((f) => f.endsWith('.sh'))) cpSync(join(guest, f), join(out, 'scripts', 'guest', f));
