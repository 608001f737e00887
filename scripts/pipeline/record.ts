/**
 * The build record (dist/<image>/<version>/build.json): a superset of Packer's manifest (build,
 * artifact IDs per region, run ID, plus source image, step hashes, timings and git commit),
 * written atomically once distribution has run, through the schema the listing reads it with
 * (scripts/listing/build-record.ts).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { join } from 'node:path';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { imageFile } from '../../stacks/definition/image-files.js';
import { STAGES, type Checkpoint } from './checkpoint.js';
import { writeFileAtomic } from '../lib/fs.js';
import { buildRecordSchema, type BuildRecord } from '../listing/build-record.js';

export interface BuildMeta {
  readonly toolVersion: string;
  readonly gitCommit?: string;
  readonly ciRunUrl?: string;
}

type Step = LoadedImage['spec']['install'][number];

/** sha256 over a step's script and every file it ships (path, destination, mode and content). */
function stepHash(image: LoadedImage, step: Step): string {
  const h = createHash('sha256');
  h.update(`script ${step.script}\n`);
  h.update(imageFile(image, step.script));
  for (const f of step.files) {
    h.update(`\nfile ${f.source} ${f.destination} ${f.mode}\n`);
    h.update(imageFile(image, f.source));
  }
  return h.digest('hex');
}

/** Each step's sha256, keyed `install:<name>` and `test:<name>`: what a record says was built and tested. */
export function stepHashes(image: LoadedImage): Record<string, string> {
  return Object.fromEntries([
    ...image.spec.install.map((s) => [`install:${s.name}`, stepHash(image, s)]),
    ...image.spec.tests.map((s) => [`test:${s.name}`, stepHash(image, s)]),
  ]);
}

export function recordPath(distDir: string, image: string, version: string): string {
  return join(distDir, image, version, 'build.json');
}

export function buildRecord(image: LoadedImage, cp: Checkpoint, meta: BuildMeta, finishedAt: Date): BuildRecord {
  const spec = image.spec;
  const steps = (list: readonly Step[], timings: Checkpoint['installSteps']) =>
    list.map((s) => {
      const t = timings.find((x) => x.name === s.name);
      return { name: s.name, script: s.script, sha256: stepHash(image, s), status: t?.status, seconds: t?.seconds };
    });
  const regions: BuildRecord['regions'] = {};
  if (cp.privateImage) regions[cp.privateImage.region] = { status: 'done', imageId: cp.privateImage.id };
  for (const [r, s] of Object.entries(cp.regions)) regions[r] = { status: s.status, imageId: s.imageId, error: s.error, attempts: s.attempts };
  const imageIds = Object.fromEntries(Object.entries(regions).filter(([, s]) => s.status === 'done' && s.imageId).map(([r, s]) => [r, s.imageId!]));
  const timings = Object.fromEntries(STAGES.filter((s) => cp.stages[s].startedAt).map((s) => {
    const st = cp.stages[s];
    const seconds = st.startedAt && st.endedAt ? (Date.parse(st.endedAt) - Date.parse(st.startedAt)) / 1000 : undefined;
    return [s, { status: st.status, startedAt: st.startedAt, endedAt: st.endedAt, seconds }];
  }));
  // Parsed, not just typed: what is written is what the reader accepts.
  return buildRecordSchema.parse({
    schema: 1,
    image: image.name,
    product: { nameEn: spec.product.nameEn, nameZh: spec.product.nameZh },
    version: cp.version,
    productVersion: cp.productVersion,
    buildId: cp.buildId,
    site: spec.site,
    imageName: cp.privateImage?.name,
    buildRegion: spec.buildRegion,
    complete: Object.values(regions).every((r) => r.status === 'done'),
    imageIds,
    regions,
    sourceImage: cp.builder ? { id: cp.builder.sourceImageId, name: cp.builder.sourceImageName } : undefined,
    placement: cp.placement,
    installSteps: steps(spec.install, cp.installSteps),
    testSteps: steps(spec.tests, cp.testSteps),
    selfcheck: cp.selfcheck,
    audit: cp.audit,
    sbom: cp.sbom,
    timings,
    startedAt: cp.startedAt,
    finishedAt: finishedAt.toISOString(),
    tool: { name: 'koogallery-image-factory', version: meta.toolVersion },
    git: meta.gitCommit ? { commit: meta.gitCommit } : undefined,
    ci: meta.ciRunUrl ? { runUrl: meta.ciRunUrl } : undefined,
  } satisfies z.input<typeof buildRecordSchema>);
}

export function writeBuildRecord(distDir: string, image: LoadedImage, cp: Checkpoint, meta: BuildMeta, finishedAt: Date): string {
  const path = recordPath(distDir, image.name, cp.version);
  writeFileAtomic(path, `${JSON.stringify(buildRecord(image, cp, meta, finishedAt), null, 2)}\n`);
  return path;
}
