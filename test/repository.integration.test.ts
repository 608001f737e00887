/**
 * Checks over the repository's own files. `shellcheck -S warning` over every shell script in the repository (guest scripts, image steps,
 * test fixtures, .ci/run): the guest runs them with no one watching, so a warning is a bug
 * found before an ECS is billed. Skipped when shellcheck is not installed (.ci/run installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const tracked = () => execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const available = spawnSync('shellcheck', ['--version']).status === 0;

/** Tracked files that are shell scripts: *.sh, or a bash/sh shebang. */
function shellScripts(): string[] {
  return tracked().filter((f) => f.endsWith('.sh') || /^#!.*\b(ba)?sh\b/.test(readFileSync(join(root, f), 'utf8').slice(0, 80)));
}

describe.skipIf(!available)('shellcheck', () => {
  it('finds no warning in any shell script', () => {
    const scripts = shellScripts();
    expect(scripts).toEqual(expect.arrayContaining(['.ci/run', 'scripts/guest/runner.sh', 'images/nginx/test.sh']));
    const r = spawnSync('shellcheck', ['-S', 'warning', '-f', 'gcc', ...scripts], { cwd: root, encoding: 'utf8' });
    expect(r.stdout, r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('sources', () => {
  it('cite primary sources (Huawei documentation URLs), never notes users do not have', () => {
    const notes = /\b(FACTS|ANCHORS)\.md\b/;
    const citing = tracked().filter((f) => !f.startsWith('stacks/.gen/') && /\.(ts|mjs|sh|md|json)$/.test(f) && notes.test(readFileSync(join(root, f), 'utf8')));
    expect(citing).toEqual([]);
  });
});

describe('the unit tier', () => {
  it('shares a process only between files that change no process-wide state', async () => {
    const { STATEFUL } = await import('../vitest.config.js');
    const shared = tracked().filter((f) => /^test\/.*\.test\.ts$/.test(f) && !STATEFUL.includes(f) && !/\.(rootfs|boot)\.test\.ts$/.test(f) && !f.startsWith('test/e2e/'));
    expect(shared.length).toBeGreaterThan(50);
    // Module mocks, fake timers, spies and environment writes would leak into the next file.
    const leaks = /\bvi\.(mock|doMock|useFakeTimers|spyOn|stubEnv|stubGlobal)\(|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env|process\.chdir\(/;
    const leaking = shared.filter((f) => leaks.test(readFileSync(join(root, f), 'utf8')));
    expect(leaking).toEqual([]);
  });
});

describe('README: the hand-deploy sequence', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Deploying the stacks by hand'), readme.indexOf('## Using it as a library'));
  const commands = section.split('\n').filter((l) => l.startsWith('npx cdktf '));

  it('runs builder, release, tester and the copy stacks in order, and destroys the temporary stacks', () => {
    const order = commands.map((l) => l.split(/\s+/).slice(2, 4).join(' '));
    expect(order.filter((c) => c.startsWith('deploy') || c.startsWith('destroy'))).toEqual([
      'deploy nginx-builder', 'deploy nginx-release', 'destroy nginx-builder', 'deploy nginx-tester', 'destroy nginx-tester', "deploy 'nginx-copy-*'",
    ]);
  });

  it('never leaves a command waiting: every deploy and destroy auto-approves, every stack input is passed', () => {
    const inputs: Record<string, string[]> = { 'nginx-builder': [], 'nginx-release': ['builder_instance_id'], 'nginx-tester': ['image_id'], "'nginx-copy-*'": ['source_image_id'] };
    for (const line of commands.filter((l) => / (deploy|destroy) /.test(l))) {
      expect(line).toContain('--auto-approve');
      const [, verb, stack] = line.split(/\s+/).slice(1);
      if (verb === 'deploy') for (const name of inputs[stack]) expect(line).toContain(`--var="${name}=`);
    }
  });
});
