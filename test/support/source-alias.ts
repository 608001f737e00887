/**
 * What every vitest configuration of the repository resolves alike (the unit, guest and e2e
 * tiers): the package's own name, which images/*\/image.ts imports, is its TypeScript sources,
 * as the "koogallery-source" export condition makes it for Node (scripts/bin/source-condition.mjs).
 * Without it a tier needs `npm run build` first (dist-lib/), which a clean clone does not have.
 */
import { fileURLToPath } from 'node:url';

export const SOURCE_ALIAS = [{ find: /^koogallery-image-factory$/, replacement: fileURLToPath(new URL('../../stacks/index.ts', import.meta.url)) }];
