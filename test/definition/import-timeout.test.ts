import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IMPORT_TIMEOUT_ENV, loadImage, loadImages } from '../../stacks/definition/load.js';
import { IMPORT, ROOT, cleanUp, tempParent, writeImage } from './folder.js';
import { expectNoTrace } from './reject.js';
import { baseDefinition } from '../support/images.js';

afterAll(cleanUp);
const saved = process.env[IMPORT_TIMEOUT_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[IMPORT_TIMEOUT_ENV];
  else process.env[IMPORT_TIMEOUT_ENV] = saved;
});

const HANGS = `${IMPORT}\nawait new Promise(() => {});\nexport default defineImage(${JSON.stringify(baseDefinition())} as never);\n`;

describe('image.ts import time limit', () => {
  it('a top-level await that never resolves is reported with the file, not waited on forever', async () => {
    process.env[IMPORT_TIMEOUT_ENV] = '0.3';
    const parent = tempParent();
    const dir = writeImage(parent, 'hangs', { source: HANGS });
    const err = await loadImage(dir, ROOT).then(() => undefined, (e: Error) => e);
    expect(err?.name).toBe('UserError');
    const file = `${parent.slice(ROOT.length + 1)}/hangs/image.ts`;
    expect(err!.message).toBe(`${file}: the definition did not finish loading within 0.3 s: expected image.ts to evaluate promptly, found it still running; look for a top-level await that never resolves (a fetch or a file read without a timeout, a Promise nobody resolves) or an endless wait, and compute the value before defineImage or drop the await; on a slow machine raise ${IMPORT_TIMEOUT_ENV} (seconds, now 0.3)`);
    expectNoTrace(err!.message);
  });

  it('a hanging image does not hold up the others', async () => {
    const parent = tempParent();
    writeImage(parent, 'hangs', { source: HANGS });
    const works = writeImage(parent, 'works');
    // Warm the loader and the definition modules first, under the default limit: the limit below
    // only has to cover a second, small image.ts on a loaded machine, not the first import.
    await loadImage(works, ROOT);
    process.env[IMPORT_TIMEOUT_ENV] = '3';
    const { images, problems } = await loadImages(parent, ROOT);
    expect(images.map((i) => i.name)).toEqual(['works']);
    expect(problems).toEqual([expect.stringContaining('hangs/image.ts: the definition did not finish loading within 3 s')]);
  });

  it('an override that is not a number of seconds is named', async () => {
    process.env[IMPORT_TIMEOUT_ENV] = 'soon';
    const dir = writeImage(tempParent(), 'demo');
    await expect(loadImage(dir, ROOT)).rejects.toThrow(`${IMPORT_TIMEOUT_ENV}: expected a number of seconds above 0 (the time an image.ts may take to import, 30 by default), found "soon"; set it to e.g. 120 or unset it`);
  });
});
