/**
 * A build through the emulator writes dist/<image>/<version>/sbom.cdx.json, schema-valid and
 * referenced by sha256 from build.json; an SBOM lost on the console fails the build stage and
 * leaves nothing running (issue 21 item 3).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { validateCycloneDx } from '../../scripts/sbom/sbom.js';
import { harness } from '../support/pipeline-harness.js';

describe('the SBOM of a build', () => {
  it('is written next to build.json, valid CycloneDX 1.6, and referenced by its sha256', async () => {
    const h = await harness();
    const outcome = await build(h.options());
    if (outcome.status !== 'built') throw new Error(outcome.status);
    const record = JSON.parse(readFileSync(outcome.recordPath, 'utf8'));
    const file = join(dirname(outcome.recordPath), 'sbom.cdx.json');
    const bytes = readFileSync(file);
    expect(record.sbom).toEqual({ file: 'sbom.cdx.json', sha256: createHash('sha256').update(bytes).digest('hex'), packages: 4 });
    const bom = JSON.parse(bytes.toString('utf8'));
    validateCycloneDx(bom);
    expect(bom.components.map((c: { name: string }) => c.name)).toContain('nginx');
    expect(h.store.load('demo', '1.0.0')!.sbom).toEqual(record.sbom);
  });

  it('lost on the console fails the build stage saying so, and leaves nothing behind', async () => {
    const h = await harness({ cloud: { guest: { outcome: 'sbom-lost', mode: 'build' } } });
    const outcome = await build(h.options());
    expect(outcome).toMatchObject({ status: 'failed', stage: 'build' });
    expect(JSON.stringify(outcome)).toMatch(/the build's SBOM: the guest sent no SBOM/);
    expect(existsSync(join(h.dir, 'dist', 'demo', '1.0.0', 'sbom.cdx.json'))).toBe(false);
    expect(await h.temporaries()).toEqual([]);
  });
});
