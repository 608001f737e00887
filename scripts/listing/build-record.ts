/**
 * The build record (dist/<image>/<version>/build.json): its one schema. The pipeline writes it
 * through this schema (scripts/pipeline/record.ts) and the listing outputs read it back through
 * the same one, so a field cannot change on one side only. Objects are loose: a record written
 * by a newer factory, with fields this one does not know, still reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../stacks/errors.js';
import { formatIssue } from '../../stacks/definition/issues.js';

const stepSchema = z.looseObject({
  name: z.string(),
  script: z.string(),
  /** sha256 over the script and every file it ships (record.ts stepHash). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  status: z.string().optional(),
  seconds: z.number().optional(),
});

const regionSchema = z.looseObject({
  status: z.string(),
  imageId: z.string().optional(),
  error: z.string().optional(),
  attempts: z.number().int().optional(),
});

const timingSchema = z.looseObject({
  status: z.string(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  seconds: z.number().optional(),
});

export const buildRecordSchema = z.looseObject({
  schema: z.literal(1, { error: 'expected build record schema 1' }),
  image: z.string(),
  product: z.looseObject({ nameEn: z.string(), nameZh: z.string() }),
  /** The definition's buildVersion (the folder name under dist/<image>/). */
  version: z.string(),
  productVersion: z.string(),
  buildId: z.string(),
  site: z.string(),
  imageName: z.string().optional(),
  buildRegion: z.string(),
  /** Every region's copy is done. */
  complete: z.boolean(),
  /** Private image ID per region, only regions whose copy is done. */
  imageIds: z.record(z.string(), z.string().min(1)),
  /** Status per region, the failed and pending ones included. */
  regions: z.record(z.string(), regionSchema),
  sourceImage: z.looseObject({ id: z.string(), name: z.string() }).optional(),
  placement: z.looseObject({ flavor: z.string(), availabilityZone: z.string().optional() }).optional(),
  installSteps: z.array(stepSchema),
  testSteps: z.array(stepSchema),
  /** The guest's self-check report (stacks/guest/selfcheck-report.ts). */
  selfcheck: z.unknown().optional(),
  /** The same checks on the captured image's first boot, before the test steps (selfcheck.sh --audit). */
  audit: z.unknown().optional(),
  /** The CycloneDX 1.6 SBOM next to this record (scripts/sbom/sbom.ts): file name, sha256 of its bytes, package count. */
  sbom: z.looseObject({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), packages: z.number().int() }).optional(),
  timings: z.record(z.string(), timingSchema),
  startedAt: z.string(),
  finishedAt: z.string(),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
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
