import type { z } from 'zod';

/** A short, safe rendering of a found value for an error message; never throws. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'function': return 'a function';
    case 'bigint': return `the bigint ${value}n`;
    case 'symbol': return `a symbol (${value.toString()})`;
    case 'number': if (!Number.isFinite(value)) return String(value); break;
    case 'object': {
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) return 'an object';
      return `an instance of ${(proto as { constructor?: { name?: string } }).constructor?.name || 'a class'}`;
    }
    default: break;
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** One line per zod issue: `field: expected ..., found ...`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  let message = issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (!message.startsWith('expected')) message = `expected ${issue.expected}`;
      message = message.replace(/^Invalid input: /, '');
      if (input === undefined) message += ', found nothing (the field is required)';
      break;
    case 'invalid_key':
      // A record key broke its rule: report the key's own rule, not zod's generic text.
      message = issue.issues.map((i) => i.message).join('; ');
      break;
    case 'unrecognized_keys':
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`;
    case 'too_small':
    case 'too_big':
      if (!message.startsWith('expected')) message = `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}`;
      break;
    default:
      break;
  }
  if (!/found /.test(message)) message += `, found ${describeValue(input)}`;
  return `${where}: ${message}`;
}
