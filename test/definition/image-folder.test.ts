import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync, rmSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage, loadImages } from '../../stacks/definition/load.js';
import { readImageFile } from '../../stacks/definition/image-files.js';
import { renderUserData } from '../../stacks/guest/user-data.js';
import { ROOT, cleanUp, tempParent, writeImage } from './folder.js';
import { expectNoTrace } from './reject.js';

afterAll(cleanUp);

/** The loader's message for an image folder prepared by `prepare`. */
async function loadError(prepare: (dir: string) => void, opts: Parameters<typeof writeImage>[2] = {}): Promise<string> {
  const dir = writeImage(tempParent(), 'demo', opts);
  prepare(dir);
  const err = await loadImage(dir, ROOT).then(() => undefined, (e: Error) => e);
  if (!err) throw new Error('the image folder was accepted');
  expect(err.name).toBe('UserError');
  expectNoTrace(err.message);
  return err.message;
}

const outside = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'outside-')), 'secret.txt');
  writeFileSync(file, 'host secret\n');
  return file;
};

describe('files of an image folder: regular files only, never followed links', () => {
  it('a step file that is a symlink names the field, the link and its target', async () => {
    const message = await loadError((dir) => symlinkSync('/etc/passwd', join(dir, 'files/app.conf')), { files: { 'files/app.conf': null } });
    expect(message).toMatch(/^test\/\.tmp-\w+\/demo\/image\.ts: invalid image definition\n/);
    expect(message).toContain('install[0].files[0].source: expected a file in the image folder, found "files/app.conf", a symbolic link to "/etc/passwd"');
  });

  it('a script inside a linked folder names the folder', async () => {
    const target = mkdtempSync(join(tmpdir(), 'linked-dir-'));
    writeFileSync(join(target, 'app.conf'), 'x=1\n');
    const message = await loadError((dir) => {
      rmSync(join(dir, 'files'), { recursive: true });
      symlinkSync(target, join(dir, 'files'));
    });
    expect(message).toContain(`install[0].files[0].source: expected a file in the image folder, found "files/app.conf" inside "files", a symbolic link to "${target}"`);
  });

  it('a link the definition does not name is rejected too, with the fix', async () => {
    const secret = outside();
    const message = await loadError((dir) => symlinkSync(secret, join(dir, 'notes.txt')));
    expect(message).toContain(`  - notes.txt: expected a regular file or folder in the image folder, found a symbolic link to "${secret}"; the factory never follows links`);
    expect(message).toContain('cp --remove-destination "$(readlink -f notes.txt)" notes.txt');
  });

  it('a named pipe is rejected without ever being opened', async () => {
    const message = await loadError((dir) => execFileSync('mkfifo', [join(dir, 'files', 'pipe')]));
    expect(message).toContain('files/pipe: expected a regular file or folder in the image folder, found a named pipe (FIFO)');
  });

  it('a linked image.ts is refused before it is imported', async () => {
    const message = await loadError((dir) => {
      rmSync(join(dir, 'image.ts'));
      symlinkSync(join(ROOT, 'images/nginx/image.ts'), join(dir, 'image.ts'));
    });
    expect(message).toContain(`image.ts: expected the definition as a regular file in the image folder, found "image.ts", a symbolic link to "${join(ROOT, 'images/nginx/image.ts')}"`);
  });

  it('a linked image folder is refused and the real ones still load', async () => {
    const parent = tempParent();
    writeImage(parent, 'real');
    const elsewhere = writeImage(tempParent(), 'elsewhere');
    symlinkSync(elsewhere, join(parent, 'linked'));
    const { images, problems } = await loadImages(parent, ROOT);
    expect(images.map((i) => i.name)).toEqual(['real']);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^test/\\.tmp-\\w+/linked: expected an image folder, found a symbolic link to "${elsewhere}"; move the folder itself under test/\\.tmp-\\w+$`))]);
  });

  it('reads refuse a link made after validation', async () => {
    const dir = writeImage(tempParent(), 'demo');
    const image = await loadImage(dir, ROOT);
    rmSync(join(dir, 'install.sh'));
    symlinkSync(outside(), join(dir, 'install.sh'));
    expect(() => readImageFile(dir, 'install.sh')).toThrow(/install\.sh: expected a regular file of the image folder, found "install\.sh", a symbolic link to/);
    expect(() => renderUserData({ mode: 'build', buildId: 'b', imageDir: dir, steps: image.spec.install })).toThrow(/a symbolic link to/);
  });

  it('accepts a hard link: it is a regular file, the same as a copy (see image-files.ts)', async () => {
    const dir = writeImage(tempParent(), 'demo', { files: { 'files/app.conf': null } });
    linkSync(join(dir, 'install.sh'), join(dir, 'files/app.conf'));
    await expect(loadImage(dir, ROOT)).resolves.toMatchObject({ name: 'demo' });
  });
});

describe('step scripts the runner can run as written', () => {
  const script = (body: string | Buffer) => loadError(() => undefined, { files: { 'install.sh': body } });

  it('CRLF line endings, naming the file and the fix', async () => {
    const message = await script('#!/bin/bash\r\nset -euo pipefail\r\necho hi\r\n');
    expect(message).toContain('install[0].script: expected a bash script the runner can run as written, found "install.sh", Windows (CRLF) line endings (first on line 1)');
    expect(message).toContain("sed -i 's/\\r$//' install.sh");
    expect(message).toContain('set: pipefail: invalid option name');
  });

  it('an empty script, and one with only comments', async () => {
    expect(await script('')).toContain('install[0].script: expected a bash script the runner can run as written, found "install.sh", an empty file; write the step\'s commands, or remove the step');
    expect(await script('#!/bin/bash\n# todo\n\n')).toContain('found "install.sh", no commands (only blank lines and comments)');
  });

  it('text that is not UTF-8, and binary content', async () => {
    expect(await script(Buffer.from('#!/bin/bash\necho caf\xe9\n', 'latin1'))).toContain('found "install.sh", text that is not UTF-8 (byte 0xe9 at offset 20)');
    expect(await script(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00]))).toContain('found "install.sh", binary content (a NUL byte at offset 5)');
  });

  it('a shebang of another interpreter, or with options bash would ignore', async () => {
    expect(await script('#!/usr/bin/env python3\nprint(1)\n')).toContain('found "install.sh", the shebang "#!/usr/bin/env python3", which the runner ignores: it starts every step as `/bin/bash install.sh`');
    expect(await script('#!/bin/sh\necho hi\n')).toContain('the shebang "#!/bin/sh", which the runner ignores');
    expect(await script('#!/bin/bash -eu\necho hi\n')).toContain('found "install.sh", the shebang "#!/bin/bash -eu" with options the runner ignores (it starts every step as `/bin/bash install.sh`); use "#!/bin/bash" and put `set -eu` on the next line');
  });

  it('accepts bash shebangs and scripts without one', async () => {
    for (const body of ['#!/bin/bash\necho a\n', '#!/usr/bin/env bash\necho a\n', '#!/usr/bin/bash\necho a\n', 'echo a\n']) {
      const dir = writeImage(tempParent(), 'demo', { files: { 'install.sh': body } });
      await expect(loadImage(dir, ROOT)).resolves.toMatchObject({ name: 'demo' });
    }
  });

  it('a user_data bundle over 32 KB names its largest contributors', async () => {
    const { randomBytes } = await import('node:crypto');
    const message = await loadError(() => undefined, { files: { 'files/app.conf': randomBytes(40 * 1024) } });
    expect(message).toMatch(/image\.ts: install: the user_data bundle is \d+ bytes gzip-compressed \(\d+ bytes before compression\), over the ECS limit of 32768 bytes/);
    expect(message).toMatch(/Largest contributors:\n {4}install\[0\]\.files\[0\]\.source "files\/app\.conf": 40960 bytes, \d+ gzip-compressed alone\n {4}the factory's guest scripts \(protocol\.sh, runner\.sh, sanitize\.sh, sbom\.sh, selfcheck\.sh\): \d+ bytes/);
  });

  it('checks test steps too', async () => {
    const message = await loadError(() => undefined, { files: { 'test.sh': '#!/bin/bash\r\ncurl -f localhost\r\n' } });
    expect(message).toContain('tests[0].script: expected a bash script the runner can run as written, found "test.sh", Windows (CRLF) line endings');
  });
});
