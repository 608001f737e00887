/**
 * `try` on the RPM example warns before anything is built or booted, and names every missing
 * prerequisite in the same run. Run as an unprivileged user with an empty root-filesystem cache,
 * so the prerequisite check refuses (root is needed to build the default disk) and nothing boots.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRoot } from '../../scripts/local/prerequisites.js';
import { REPO, cleanEnv } from '../e2e/support.js';
import { validateCliLines } from '../support/cli-events.js';

const NOBODY = 65534;
const CLI = join(REPO, 'scripts/bin/image-factory.mjs');
// As root the run drops to nobody, who must be able to read the checkout (a clone under /root is not).
const readable = !isRoot() || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(CLI)})`], { uid: NOBODY, gid: NOBODY }).status === 0;
if (!readable) console.warn(`try-base: skipped: user nobody cannot read ${REPO}`);

describe.skipIf(!readable)('try on an RPM-based definition', () => {
  it('warns about apt vs dnf before it builds or boots, then refuses with one message', () => {
    const cache = mkdtempSync(join(tmpdir(), 'if-empty-rootfs-'));
    chmodSync(cache, 0o777);
    const r = spawnSync(process.execPath, [CLI, 'try', 'httpd-hce', '--json'], {
      cwd: REPO, encoding: 'utf8', timeout: 120_000,
      env: cleanEnv({ HOME: cache, IF_ROOTFS_CACHE: cache }),
      ...(isRoot() ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    const { events, result } = validateCliLines(r.stdout);
    expect(events).toEqual([expect.objectContaining({ type: 'note', message: expect.stringMatching(/^try: WARNING: .*installs packages with dnf \(RPM\)/) })]);
    expect(result).toMatchObject({ command: 'try', exitCode: 1, status: 'refused', message: expect.stringMatching(/needs .*root \(debootstrap and mkfs\.ext4 -d build the default Debian base disk\); .*run it as root \(sudo\), or pass --base-disk FILE/) });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
