/**
 * Every tier resolves the package's own name the same way, to its TypeScript sources: the e2e
 * tier once lacked the alias and failed all its tests on a clean clone (no dist-lib/ there).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ViteUserConfig as UserConfig } from 'vitest/config';
import unit from '../vitest.config.js';
import guest from './guest/vitest.config.js';
import e2e from './e2e/vitest.config.js';
import integration from './vitest.integration.config.js';
import { SOURCE_ALIAS } from './support/source-alias.js';

const TIERS: [string, UserConfig][] = [['npm test', unit as UserConfig], ['test:integration', integration as UserConfig], ['test:guest', guest as UserConfig], ['test:e2e', e2e as UserConfig]];

describe('vitest configurations', () => {
  it.each(TIERS)('%s resolves koogallery-image-factory to the sources, as the other tiers do', (_tier, config) => {
    const alias = config.resolve?.alias as { find: RegExp; replacement: string }[];
    expect(alias).toEqual(SOURCE_ALIAS);
    const entry = alias.find((a) => a.find.test('koogallery-image-factory'));
    expect(entry && existsSync(entry.replacement)).toBe(true);
    expect(alias.some((a) => a.find.test('koogallery-image-factory/other'))).toBe(false);
  });
});
