/**
 * One build-record schema: what the pipeline writes (scripts/pipeline/record.ts) is read back by
 * the listing (scripts/listing/build-record.ts) through the same schema, field for field.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { buildRecord, writeBuildRecord } from '../../scripts/pipeline/record.js';
import { buildRecordSchema, readBuildRecord } from '../../scripts/listing/build-record.js';

const image = makeImage();

function finishedCheckpoint() {
  const cp = newCheckpoint({ image: 'demo', version: '1.0.0', productVersion: 'V1.0', buildId: '20261128T154500Z-3f9a', startedAt: new Date('2026-11-28T15:45:00Z'), regions: ['ap-southeast-2', 'af-south-1'] });
  cp.privateImage = { id: 'img-main', name: 'Test Product-V1.0', region: 'ap-southeast-3', capturedAt: '2026-11-28T16:00:00.000Z' };
  cp.regions['ap-southeast-2'] = { status: 'done', imageId: 'img-2', attempts: 1 };
  cp.regions['af-south-1'] = { status: 'failed', error: 'quota', attempts: 2 };
  cp.stages.build = { status: 'done', startedAt: '2026-11-28T15:46:00.000Z', endedAt: '2026-11-28T15:56:00.000Z' };
  cp.installSteps = [{ name: 'install', status: 'ok', seconds: 12 }];
  return cp;
}

describe('build record', () => {
  it('is written through the schema the listing reads it with, and reads back unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'record-'));
    const path = writeBuildRecord(dir, image, finishedCheckpoint(), { toolVersion: '0.1.0', gitCommit: 'c0ffee' }, new Date('2026-11-28T16:30:00Z'));
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(readBuildRecord(path, dir)).toEqual(written);
    expect(written).toMatchObject({
      imageIds: { 'ap-southeast-3': 'img-main', 'ap-southeast-2': 'img-2' },
      complete: false,
      regions: { 'af-south-1': { status: 'failed', error: 'quota', attempts: 2 } },
      timings: { build: { status: 'done', seconds: 600 } },
      git: { commit: 'c0ffee' },
    });
  });

  it('declares every field the writer writes (no field outside the one schema)', () => {
    const record = buildRecord(image, finishedCheckpoint(), { toolVersion: '0.1.0', gitCommit: 'c0ffee', ciRunUrl: 'https://ci.example/1' }, new Date());
    const declared = Object.keys(buildRecordSchema.shape);
    expect(Object.keys(record).filter((k) => !declared.includes(k))).toEqual([]);
  });
});
