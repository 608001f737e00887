/**
 * synthesizeStable: a re-synthesis leaves every unchanged file as it was (the same inode: a
 * terraform reading it meanwhile sees it whole) and replaces only changed ones, by rename.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizeStable } from '../../scripts/cloud/stable-synth.js';

const write = (dir: string, files: Record<string, string>) => {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
};

describe('synthesizeStable', () => {
  it('keeps unchanged files untouched, replaces changed ones, adds new ones, and leaves no scratch folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'stable-synth-'));
    synthesizeStable(out, (scratch) => write(scratch, { 'stacks/a/cdk.tf.json': '{"a":1}', 'stacks/b/cdk.tf.json': '{"b":1}' }));
    const a = statSync(join(out, 'stacks/a/cdk.tf.json')).ino;
    const b = statSync(join(out, 'stacks/b/cdk.tf.json')).ino;
    synthesizeStable(out, (scratch) => write(scratch, { 'stacks/a/cdk.tf.json': '{"a":1}', 'stacks/b/cdk.tf.json': '{"b":2}', 'stacks/c/cdk.tf.json': '{"c":1}' }));
    expect(statSync(join(out, 'stacks/a/cdk.tf.json')).ino).toBe(a);
    expect(statSync(join(out, 'stacks/b/cdk.tf.json')).ino).not.toBe(b);
    expect(readFileSync(join(out, 'stacks/b/cdk.tf.json'), 'utf8')).toBe('{"b":2}');
    expect(readFileSync(join(out, 'stacks/c/cdk.tf.json'), 'utf8')).toBe('{"c":1}');
    expect(readdirSync(out).sort()).toEqual(['stacks']);
  });

  it('a failed synthesis changes nothing and leaves no scratch folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'stable-synth-'));
    synthesizeStable(out, (scratch) => write(scratch, { 'stacks/a/cdk.tf.json': '{"a":1}' }));
    expect(() => synthesizeStable(out, (scratch) => {
      write(scratch, { 'stacks/a/cdk.tf.json': '{"a":2}' });
      throw new Error('invalid definition');
    })).toThrow('invalid definition');
    expect(readFileSync(join(out, 'stacks/a/cdk.tf.json'), 'utf8')).toBe('{"a":1}');
    expect(readdirSync(out)).toEqual(['stacks']);
  });
});
