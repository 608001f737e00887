/** Helpers for bad-input tests: the one error a definition gets, and proof it carries no trace. */
import { expect } from 'vitest';
import { validateDefinition } from '../../stacks/definition/load.js';
import type { ImageDefinitionInput } from '../../stacks/definition/schema.js';
import { baseDefinition } from '../support/images.js';

export const FILE = 'images/demo/image.ts';

/** The error message for the base definition with `overrides` applied (fails the test when accepted). */
export function rejection(overrides: Partial<ImageDefinitionInput> | ((d: any) => void)): string {
  const def: any = baseDefinition();
  if (typeof overrides === 'function') overrides(def);
  else Object.assign(def, overrides);
  try {
    validateDefinition(def, FILE);
  } catch (err) {
    expect((err as Error).name).toBe('UserError');
    const message = (err as Error).message;
    expect(message.startsWith(`${FILE}: invalid image definition\n`)).toBe(true);
    return message;
  }
  throw new Error('the definition was accepted');
}

/** A user mistake is reported without a stack frame, `undefined`, or a bare "found null". */
export function expectNoTrace(output: string): void {
  expect(output).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('undefined');
  expect(output).not.toMatch(/found null\b/);
}
