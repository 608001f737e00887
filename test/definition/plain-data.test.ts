import { afterAll, describe, expect, it } from 'vitest';
import { loadImage } from '../../stacks/definition/load.js';
import { IMPORT, ROOT, cleanUp, tempParent, writeImage } from './folder.js';
import { expectNoTrace, rejection } from './reject.js';

afterAll(cleanUp);

const EXPECTED = 'expected JSON data (a string, number, boolean, array or plain object), found';

describe('values a definition can hold but JSON cannot', () => {
  it.each([
    ['a function', (d: any) => { d.tags = { team: function owner() { return 'web'; } }; }, `tags.team: ${EXPECTED} a function "owner"; write the value itself`],
    ['an arrow function', (d: any) => { d.buildRegion = () => 'ap-southeast-3'; }, `buildRegion: ${EXPECTED} a function; write the value itself`],
    ['a bigint', (d: any) => { d.systemDisk = { sizeGiB: 40n }; }, `systemDisk.sizeGiB: ${EXPECTED} the bigint 40n; write a number (40)`],
    ['a symbol', (d: any) => { d.flavors = [Symbol('s7')]; }, `flavors[0]: ${EXPECTED} a symbol (Symbol(s7)); write a string`],
    ['a Date', (d: any) => { d.version = new Date('2026-01-02T00:00:00Z'); }, `version: ${EXPECTED} a Date (2026-01-02T00:00:00.000Z); write the date as a string`],
    ['a Map', (d: any) => { d.tags = new Map([['team', 'web']]); }, `tags: ${EXPECTED} a Map of 1; write a plain object ({ key: value })`],
    ['a Set', (d: any) => { d.targetRegions = new Set(['ap-southeast-2']); }, `targetRegions: ${EXPECTED} a Set of 1; write an array`],
    ['a class instance', (d: any) => { class Disk { sizeGiB = 40; } d.systemDisk = new Disk(); }, `systemDisk: ${EXPECTED} an instance of Disk; write a plain object`],
    ['NaN', (d: any) => { d.minRamMiB = NaN; }, `minRamMiB: ${EXPECTED} NaN; write a finite number (JSON has no NaN or Infinity)`],
    ['Infinity', (d: any) => { d.install[0].timeoutMinutes = Infinity; }, `install[0].timeoutMinutes: ${EXPECTED} Infinity; write a finite number`],
    ['a circular reference', (d: any) => { d.build.self = d.build; }, `build.self: ${EXPECTED} a circular reference to one of its parents`],
  ])('%s is named by its field path', (_what, mutate, line) => {
    const message = rejection(mutate);
    expect(message).toContain(`  - ${line}`);
    expectNoTrace(message);
  });

  it('reports the value once, not again as a zod type error', () => {
    const message = rejection((d: any) => { d.minRamMiB = NaN; });
    expect(message.split('\n').filter((l) => l.includes('minRamMiB'))).toHaveLength(1);
  });

  it('a Promise as the default export', async () => {
    const dir = writeImage(tempParent(), 'demo', { source: `${IMPORT}\nexport default Promise.resolve(defineImage({} as never));\n` });
    const err = (await loadImage(dir, ROOT).catch((e: Error) => e)) as Error;
    expect(err.name).toBe('UserError');
    expect(err.message).toMatch(/demo\/image\.ts: expected `export default defineImage\(\{ \.\.\. \}\)`, found a Promise as the default export; export the definition object itself/);
    expectNoTrace(err.message);
  });

  it('a non-Error thrown at import keeps the thrown text', async () => {
    const dir = writeImage(tempParent(), 'demo', { source: `throw 'set IMAGE_TEAM before planning';\n` });
    const err = (await loadImage(dir, ROOT).catch((e: Error) => e)) as Error;
    expect(err.name).toBe('UserError');
    expect(err.message).toMatch(/demo\/image\.ts: the definition could not be loaded: it threw the text "set IMAGE_TEAM before planning"$/);
    expectNoTrace(err.message);
  });

  it('a thrown object or number is described, never as undefined', async () => {
    for (const [thrown, found] of [['{ code: 7 }', 'an object'], ['42', '42']]) {
      const dir = writeImage(tempParent(), 'demo', { source: `throw ${thrown};\n` });
      const err = (await loadImage(dir, ROOT).catch((e: Error) => e)) as Error;
      expect(err.message).toContain(`the definition could not be loaded: it threw ${found} (not an Error)`);
      expectNoTrace(err.message);
    }
  });

  it('an Error thrown at import keeps its message without the stack', async () => {
    const dir = writeImage(tempParent(), 'demo', { source: `throw new Error('missing ports list');\n` });
    const err = (await loadImage(dir, ROOT).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/the definition could not be loaded: missing ports list$/);
    expectNoTrace(err.message);
  });
});
