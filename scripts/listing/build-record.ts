/**
 * What the listing outputs read from the pipeline's build record
 * (dist/<image>/<version>/build.json, written by scripts/pipeline/record.ts). Only the fields
 * used here are declared, loosely, so the record can grow without breaking the manifest; a
 * record that lacks them is reported, never guessed around.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../stacks/errors.js';
import { formatIssue } from '../../stacks/definition/issues.js';

const stepSchema = z.looseObject({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const buildRecordSchema = z.looseObject({
  schema: z.literal(1, { error: 'expected build record schema 1' }),
  image: z.string(),
  /** The definition's buildVersion (the folder name under dist/<image>/). */
  version: z.string(),
  productVersion: z.string(),
  buildId: z.string(),
  /** Private image ID per region, only regions whose copy is done. */
  imageIds: z.record(z.string(), z.string().min(1)),
  complete: z.boolean().optional(),
  sourceImage: z.looseObject({ id: z.string(), name: z.string() }).optional(),
  installSteps: z.array(stepSchema).default([]),
  testSteps: z.array(stepSchema).default([]),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  tool: z.looseObject({ name: z.string(), version: z.string() }).optional(),
  git: z.looseObject({ commit: z.string() }).optional(),
  ci: z.looseObject({ runUrl: z.string() }).optional(),
});
export type BuildRecord = z.output<typeof buildRecordSchema>;

/** The build record at `path`, or undefined when none was written yet. */
export function readBuildRecord(path: string, root = process.cwd()): BuildRecord | undefined {
  if (!existsSync(path)) return undefined;
  const shown = relative(root, path) || path;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${shown}: the build record is not valid JSON (${(err as Error).message}); rerun the build's record stage or delete the file`);
  }
  const parsed = buildRecordSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new UserError(`${shown}: unusable build record\n${parsed.error.issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
  return parsed.data;
}
