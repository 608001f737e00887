/**
 * The SBOM per build (issue 21 item 3): chunk encoding and reassembly through the console
 * protocol, CycloneDX 1.6 schema validation, and the build record's reference.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatEvent, parseConsole } from '../../stacks/guest/protocol.js';
import { SbomError, assembleSbom, parseInventory, productVersions, renderCycloneDx, sbomParts, validateCycloneDx, writeSbom } from '../../scripts/sbom/sbom.js';
import { buildRecordSchema } from '../../scripts/listing/build-record.js';

const SUBJECT = { name: 'demo', version: '1.0.0', timestamp: '2026-12-04T12:00:00.000Z', factoryVersion: '0.0.0-test' };
// Many packages with incompressible-ish versions, so the blob needs several parts.
const BIG = ['os\tdebian\t12', ...Array.from({ length: 400 }, (_, i) => `deb\tpkg-${i}\t${createHash('sha1').update(String(i)).digest('hex').slice(0, 12)}-1\tamd64\tsrc-${i}\tGPL-2+`)].join('\n') + '\n';

function consoleOf(tsv: string, drop?: number, corrupt?: number): string {
  return sbomParts(tsv)
    .filter((p) => p.part !== drop)
    .map((p) => (p.part === corrupt ? { ...p, data: p.data.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } : p))
    .map((p) => `[  12.3] cloud-init: ${formatEvent(p)}`)
    .join('\n');
}

describe('SBOM chunks on the console', () => {
  it('round-trip through formatEvent/parseConsole, in parts of at most 960 characters', () => {
    const parts = sbomParts(BIG);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.data.length <= 960 && p.parts === parts.length)).toBe(true);
    const summary = parseConsole(consoleOf(BIG));
    expect(summary.sbomParts.size).toBe(parts.length);
    expect(assembleSbom(summary.sbomParts)).toBe(BIG);
  });

  it('a missing part is a clear SbomError naming it', () => {
    const summary = parseConsole(consoleOf(BIG, 2));
    expect(() => assembleSbom(summary.sbomParts)).toThrow(SbomError);
    expect(() => assembleSbom(summary.sbomParts)).toThrow(/SBOM parts missing: 2 of \d+/);
  });

  it('a corrupted part fails the sha256 check', () => {
    const summary = parseConsole(consoleOf(BIG, undefined, 1));
    expect(() => assembleSbom(summary.sbomParts)).toThrow(/sha256 is [0-9a-f]{64}, expected [0-9a-f]{64}/);
  });

  it('no parts at all says the guest sent none', () => {
    expect(() => assembleSbom(parseConsole('IMAGE-FACTORY event=result result=success').sbomParts)).toThrow(/sent no SBOM/);
  });

  it('malformed sbom lines are not protocol events', () => {
    expect(parseConsole('IMAGE-FACTORY event=sbom part=0/1 sum=00 data=AAAA').sbomParts.size).toBe(0);
    expect(parseConsole(`IMAGE-FACTORY event=sbom part=2/1 sum=${'0'.repeat(64)} data=AAAA`).sbomParts.size).toBe(0);
  });
});

describe('CycloneDX rendering', () => {
  const tsv = 'os\tdebian\t12\ndeb\tbash\t5.2.15-2+b13\tamd64\tbash\tGPL-3+\ndeb\tnginx\t1.22.1-9\tamd64\tnginx\t\ndeb\tnginx-common\t1.22.1-9\tall\tnginx\tBSD-2-clause\n';

  it('validates against the official 1.6 schema, with purls, licences and source packages', () => {
    const bom = renderCycloneDx(parseInventory(tsv), SUBJECT) as { components: { name: string; purl: string; licenses?: unknown; properties: { name: string; value: string }[] }[] };
    expect(() => validateCycloneDx(bom)).not.toThrow();
    const bash = bom.components.find((c) => c.name === 'bash')!;
    expect(bash.purl).toBe('pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12');
    expect(bash.licenses).toEqual([{ license: { name: 'GPL-3+' } }]);
    expect(bom.components.find((c) => c.name === 'nginx')!.licenses).toBeUndefined();
    expect(bom.components.find((c) => c.name === 'nginx-common')!.properties).toContainEqual({ name: 'image-factory:source-package', value: 'nginx' });
    expect(productVersions(bom, ['nginx'])).toEqual([{ name: 'nginx', version: '1.22.1-9' }, { name: 'nginx-common', version: '1.22.1-9' }]);
  });

  it('the schema rejects a broken document', () => {
    const bom = renderCycloneDx(parseInventory(tsv), SUBJECT) as Record<string, unknown>;
    expect(() => validateCycloneDx({ ...bom, specVersion: 1.6 })).toThrow(/does not validate against CycloneDX 1\.6/);
    expect(() => validateCycloneDx({ ...bom, components: [{ name: 'x' }] })).toThrow(SbomError);
  });

  it('an inventory without packages is refused', () => {
    expect(() => parseInventory('os\tdebian\t12\n')).toThrow(/lists no packages/);
  });

  it('writeSbom writes the file and returns the sha256 of its bytes, which the build record accepts', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sbom-')), 'demo', '1.0.0', 'sbom.cdx.json');
    const ref = writeSbom(path, tsv, SUBJECT);
    expect(ref).toEqual({ file: 'sbom.cdx.json', sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), packages: 3 });
    expect(buildRecordSchema.shape.sbom.parse(ref)).toEqual(ref);
  });
});
