import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllImages, loadImage, loadNamedImage } from '../../stacks/definition/load.js';

const root = process.cwd();
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempParent = () => {
  // Inside the project so the definition's imports resolve like a real image's.
  const d = mkdtempSync(join(root, 'test', '.tmp-'));
  made.push(d);
  return d;
};

function folder(name: string, files: Record<string, string>): string {
  const dir = join(tempParent(), name);
  mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) writeFileSync(join(dir, rel), content);
  return dir;
}

const IMPORT = `import { defineImage } from '${join(root, 'stacks/definition/index.ts')}';`;

describe('loading image definitions', () => {
  it('loads the shipped example', async () => {
    const image = await loadNamedImage(join(root, 'images'), 'nginx', root);
    expect(image.name).toBe('nginx');
    expect(image.file).toBe('images/nginx/image.ts');
    expect(image.spec).toMatchObject({ site: 'intl', buildRegion: 'ap-southeast-3', targetRegions: ['ap-southeast-2', 'af-south-1'] });
  });

  it('lists the known images when asked for an unknown one', async () => {
    await expect(loadNamedImage(join(root, 'images'), 'apache', root)).rejects.toThrow(/^unknown image "apache": expected one of httpd-hce, nginx/);
  });

  it('names a script that does not exist', async () => {
    const dir = folder('demo', {
      'image.ts': `${IMPORT}\nexport default defineImage({ product: { nameZh: '演示', nameEn: 'Demo' }, version: 'V1.0', buildVersion: '1.0.0', site: 'intl', buildRegion: 'ap-southeast-3', baseImage: { name: 'Ubuntu 22.04 server 64bit' }, flavors: ['s7.large.2'], install: [{ name: 'install', script: 'missing.sh' }] });\n`,
    });
    await expect(loadImage(dir, root)).rejects.toThrow(/image\.ts: invalid image definition\n  - install\[0\]\.script: expected a file in the image folder, found no file "missing\.sh"/);
  });

  it('asks for a default export', async () => {
    const dir = folder('demo', { 'image.ts': 'export const x = 1;\n' });
    await expect(loadImage(dir, root)).rejects.toThrow(/expected `export default defineImage\(\{ \.\.\. \}\)`, found no default export/);
  });

  it('reports a definition that does not compile as a user error', async () => {
    const dir = folder('demo', { 'image.ts': 'export default {{{;\n' });
    await expect(loadImage(dir, root)).rejects.toMatchObject({ name: 'UserError', message: expect.stringMatching(/image\.ts: the definition could not be loaded/) });
  });

  it('rejects a folder name that cannot name stacks', async () => {
    const dir = folder('My_Image', { 'image.ts': '' });
    await expect(loadImage(dir, root)).rejects.toThrow(/the image folder name "My_Image" is not usable: expected 2 to 24 lowercase letters, digits and "-"/);
    const long = folder('a'.repeat(25), { 'image.ts': '' });
    await expect(loadImage(long, root)).rejects.toThrow(/expected 2 to 24 lowercase letters/);
  });

  it('reports every broken image at once', async () => {
    const parent = tempParent();
    for (const n of ['aa', 'bb']) {
      mkdirSync(join(parent, n));
      writeFileSync(join(parent, n, 'image.ts'), `${IMPORT}\nexport default defineImage({} as never);\n`);
    }
    const err = await loadAllImages(parent, root).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/aa\/image\.ts: invalid image definition[\s\S]*bb\/image\.ts: invalid image definition/);
  });
});
