/**
 * Zod skips an object's refinements once any of its fields failed, so a definition's mistakes
 * would come in waves: a bad CIDR first, the wrong build region only after it is fixed. A check
 * that reads only some fields runs whenever those fields are valid (zod's `when`:
 * https://zod.dev/api#refinements), and one run reports every mistake.
 */
import type { z } from 'zod';

/**
 * Run the refinement when no issue so far lies on or under any of these fields ("site",
 * "listing.architecture"), nor on a field that holds one of them (a listing that is not an object).
 */
export function whenValid(...fields: string[]): { when: (payload: z.core.ParsePayload) => boolean } {
  const paths = fields.map((f) => f.split('.'));
  const overlaps = (issue: readonly PropertyKey[], field: readonly string[]) =>
    field.slice(0, issue.length).every((segment, i) => String(issue[i]) === segment);
  // An unknown key says nothing about the known fields' values: it blocks nothing.
  return { when: (payload) => !payload.issues.some((issue) => issue.code !== 'unrecognized_keys' && paths.some((field) => overlaps(issue.path ?? [], field))) };
}
