/**
 * Validates `--json` output against the published schema (scripts/lib/cli-events.schema.json)
 * with a standard JSON Schema validator, not with the zod schemas it was made from: what users'
 * tools will read is the file.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

const schema = JSON.parse(readFileSync(new URL('../../scripts/lib/cli-events.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

export interface CliLine { type: string; [field: string]: unknown }

/** Every stdout line is an event of the schema; exactly one result, and it is the last line. */
export function validateCliLines(stdout: string): { events: CliLine[]; result: CliLine & { exitCode: number; status: string } } {
  const lines = stdout.split('\n').filter((l) => l.trim());
  expect(lines.length, `no output on stdout:\n${stdout}`).toBeGreaterThan(0);
  const parsed = lines.map((line) => {
    let value: unknown;
    expect(() => { value = JSON.parse(line); }, `not JSON: ${line}`).not.toThrow();
    expect(validate(value), `${line}\n${JSON.stringify(validate.errors, null, 1)}`).toBe(true);
    return value as CliLine;
  });
  const results = parsed.filter((e) => e.type === 'result');
  expect(results, stdout).toHaveLength(1);
  expect(parsed.at(-1)?.type, stdout).toBe('result');
  return { events: parsed.slice(0, -1), result: results[0] as CliLine & { exitCode: number; status: string } };
}
