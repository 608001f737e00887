/**
 * The self-check ids live twice by necessity: the guest's bash (scripts/guest/selfcheck.sh) and
 * the TypeScript that validates waivers against them (SELF_CHECK_IDS). A check added, renamed or
 * dropped on one side only fails here, before a waiver silently stops matching.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SELF_CHECK_IDS } from '../../stacks/guest/selfcheck-report.js';
import { GUEST_SCRIPTS_DIR } from '../../stacks/guest/user-data.js';

/** Every `check <id> <status> ...` call in the script, comments left out. */
function bashCheckIds(script: string): string[] {
  const code = script.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
  return [...new Set([...code.matchAll(/(?:^|[\s;(])check ([a-z0-9-]+) (?:pass|fail|warn|skip)\b/gm)].map((m) => m[1]))].sort();
}

describe('self-check ids', () => {
  const script = readFileSync(join(GUEST_SCRIPTS_DIR, 'selfcheck.sh'), 'utf8');

  it('are the same in selfcheck.sh and SELF_CHECK_IDS', () => {
    expect(bashCheckIds(script)).toEqual([...SELF_CHECK_IDS].sort());
  });

  it('finds a check the TypeScript side lacks (the comparison can fail)', () => {
    expect(bashCheckIds(`${script}\ncheck brand-new-check pass "x"\n`)).toContain('brand-new-check');
  });
});
