import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, compareVersions, newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { isUserError } from '../../stacks/errors.js';

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
  return new CheckpointStore(join(dir, 'builds'), dir);
}

function writeLock(s: CheckpointStore, content: string): string {
  const path = s.lockPath('demo', '1.0.0');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('CheckpointStore lock', () => {
  it('a lock file another process has just created (not yet written) is not taken over', () => {
    const s = store();
    // Another process won `open(wx)` and is about to write its pid: the file is still empty.
    const path = writeLock(s, '');
    const err = (() => {
      try {
        s.acquire('demo', '1.0.0', 'b2', 'build');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(isUserError(err)).toBe(true);
    expect(err!.message).toMatch(/another process is taking the lock/);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('a lock held by a live process is refused, and left in place', () => {
    const s = store();
    const held = JSON.stringify({ pid: process.ppid, host: hostname(), buildId: 'b1', command: 'build', since: '2026-11-28T10:00:00.000Z' });
    const path = writeLock(s, held);
    expect(() => s.acquire('demo', '1.0.0', 'b2', 'resume')).toThrow(/being worked on by "build" \(pid \d+/);
    expect(readFileSync(path, 'utf8')).toBe(held);
  });

  it('a lock left by a dead process on this host, or empty for long, is taken over', () => {
    const s = store();
    const path = writeLock(s, JSON.stringify({ pid: deadPid(), host: hostname(), buildId: 'b1', command: 'build', since: '2026-11-28T10:00:00.000Z' }));
    const release = s.acquire('demo', '1.0.0', 'b2', 'resume');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, buildId: 'b2' });
    release();
    expect(existsSync(path)).toBe(false);
    writeLock(s, '');
    utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    s.acquire('demo', '1.0.0', 'b3', 'build')();
  });

  it('two acquires: the second is refused while the first holds the lock; release frees it', () => {
    const s = store();
    const release = s.acquire('demo', '1.0.0', 'b1', 'build');
    expect(() => s.acquire('demo', '1.0.0', 'b2', 'build')).toThrow(/being worked on/);
    release();
    s.acquire('demo', '1.0.0', 'b2', 'build')();
  });

  it('releasing does not remove a lock another process has taken over since', () => {
    const s = store();
    const release = s.acquire('demo', '1.0.0', 'b1', 'build');
    const other = JSON.stringify({ pid: process.ppid, host: hostname(), buildId: 'b9', command: 'build', since: '2026-11-28T10:00:00.000Z' });
    const path = writeLock(s, other);
    release();
    expect(readFileSync(path, 'utf8')).toBe(other);
  });
});

describe('CheckpointStore.list', () => {
  it('lists versions in semver order, not as text (1.10.0 after 1.9.0)', () => {
    const s = store();
    for (const version of ['1.10.0', '1.9.0', '1.2.0', '1.10.0-rc.2', '1.10.0-rc.10', '0.9.1']) {
      s.save(newCheckpoint({ image: 'demo', version, productVersion: 'V1.0', buildId: `b-${version}`, startedAt: new Date(0), regions: [] }));
    }
    expect(s.list('demo').map((cp) => cp.version)).toEqual(['0.9.1', '1.2.0', '1.9.0', '1.10.0-rc.2', '1.10.0-rc.10', '1.10.0']);
  });

  it('compareVersions follows semver precedence', () => {
    expect(['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1'].sort(compareVersions))
      .toEqual(['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0']);
    expect(compareVersions('2.0.0+build.5', '2.0.0')).toBe(0);
  });
});
