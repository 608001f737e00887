/**
 * A definition is data: what JSON can hold. TypeScript lets an image.ts put a function, a
 * bigint, a Date or NaN in any field; zod would then report them confusingly ("found null" for
 * NaN) or crash while describing them. This walk names each such value by its field path first.
 */
import { formatPath } from './issues.js';

/** What a non-JSON value is, and how to write it as data instead. */
function nonJson(value: unknown): { found: string; fix: string } | undefined {
  switch (typeof value) {
    case 'function':
      return { found: `a function${value.name ? ` "${value.name}"` : ''}`, fix: 'write the value itself (call the function in image.ts and use its result)' };
    case 'bigint':
      return { found: `the bigint ${value}n`, fix: `write a number (${value})` };
    case 'symbol':
      return { found: `a symbol (${value.toString()})`, fix: 'write a string' };
    case 'number':
      return Number.isFinite(value) ? undefined : { found: String(value), fix: 'write a finite number (JSON has no NaN or Infinity)' };
    case 'object': {
      if (value === null || Array.isArray(value)) return undefined;
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) return undefined;
      if (typeof (value as { then?: unknown }).then === 'function') return { found: 'a Promise', fix: 'await the value with top-level await before defineImage, and put the result here' };
      if (value instanceof Date) return { found: `a Date (${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()})`, fix: 'write the date as a string' };
      if (value instanceof Map) return { found: `a Map of ${value.size}`, fix: 'write a plain object ({ key: value })' };
      if (value instanceof Set) return { found: `a Set of ${value.size}`, fix: 'write an array' };
      const name = (proto as { constructor?: { name?: string } }).constructor?.name;
      return { found: `an instance of ${name || 'a class'}`, fix: 'write a plain object, array, string, number or boolean' };
    }
    default:
      return undefined;
  }
}

/** One line per value JSON cannot hold, `path: expected JSON data, found ...; fix`, with its path. */
export function nonJsonValues(root: unknown): { path: PropertyKey[]; line: string }[] {
  const found: { path: PropertyKey[]; line: string }[] = [];
  const ancestors: unknown[] = [];
  const visit = (value: unknown, path: PropertyKey[]) => {
    const bad = nonJson(value);
    if (bad) {
      found.push({ path, line: `${formatPath(path)}: expected JSON data (a string, number, boolean, array or plain object), found ${bad.found}; ${bad.fix}` });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (ancestors.includes(value)) {
      found.push({ path, line: `${formatPath(path)}: expected JSON data (a string, number, boolean, array or plain object), found a circular reference to one of its parents; write the value out` });
      return;
    }
    ancestors.push(value);
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else {
      for (const sym of Object.getOwnPropertySymbols(value)) {
        found.push({ path, line: `${formatPath(path)}: expected JSON data (a string, number, boolean, array or plain object), found a symbol key (${sym.toString()}); use a string key` });
      }
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], [...path, key]);
    }
    ancestors.pop();
  };
  visit(root, []);
  return found;
}
