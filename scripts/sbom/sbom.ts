/**
 * The SBOM of a build: the guest's package inventory (scripts/guest/sbom.sh, sent as `sbom`
 * chunk lines, stacks/guest/protocol.ts) reassembled, verified and rendered as CycloneDX 1.6
 * JSON on the host. The guest sends a compact TSV rather than the JSON: a few KB of gzip on
 * the serial console instead of ~10x that, and one renderer (this file) for builds, `try` and
 * the emulator. The result is validated against the official CycloneDX 1.6 schema (vendored
 * in ./schema from @cyclonedx/cyclonedx-library 10.3.0, Apache-2.0) before it is written.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import type { ProtocolEvent } from '../../stacks/guest/protocol.js';
import { writeFileAtomic } from '../lib/fs.js';

type SbomPart = Extract<ProtocolEvent, { event: 'sbom' }>;

/** The SBOM could not be reassembled or does not validate: a build deliverable is missing. */
export class SbomError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SbomError';
  }
}

/** Most parts accepted (960 base64url characters each: ~280 KB of gzip). */
const MAX_PARTS = 300;

/** Reassembles the parts into the inventory TSV; throws SbomError naming what is wrong. */
export function assembleSbom(parts: ReadonlyMap<number, SbomPart>): string {
  const all = [...parts.values()];
  if (all.length === 0) throw new SbomError('the guest sent no SBOM (no `event=sbom` lines on the console)');
  const total = all[0].parts;
  const sha256 = all[0].sha256;
  if (total > MAX_PARTS) throw new SbomError(`the SBOM has ${total} parts, over the ${MAX_PARTS} accepted`);
  if (all.some((p) => p.parts !== total || p.sha256 !== sha256)) throw new SbomError('the SBOM parts disagree on their count or sha256 (two inventories mixed on the console?)');
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !parts.has(i));
  if (missing.length) throw new SbomError(`SBOM parts missing: ${missing.join(', ')} of ${total} (lost between console polls?)`);
  const gz = Buffer.from(Array.from({ length: total }, (_, i) => parts.get(i + 1)!.data).join(''), 'base64url');
  const actual = createHash('sha256').update(gz).digest('hex');
  if (actual !== sha256) throw new SbomError(`the SBOM's sha256 is ${actual}, expected ${sha256} (a part was corrupted on the console)`);
  try {
    return gunzipSync(gz).toString('utf8');
  } catch (err) {
    throw new SbomError(`the SBOM is not valid gzip: ${(err as Error).message}`);
  }
}

/** The guest side, for the emulator and tests: inventory TSV -> chunk events. */
export function sbomParts(tsv: string): SbomPart[] {
  const gz = gzipSync(Buffer.from(tsv, 'utf8'), { level: 9 });
  const sha256 = createHash('sha256').update(gz).digest('hex');
  const data = gz.toString('base64url');
  const chunks = data.match(/.{1,960}/g) ?? [];
  return chunks.map((d, i) => ({ event: 'sbom', part: i + 1, parts: chunks.length, sha256, data: d }));
}

interface InventoryPackage { type: 'deb' | 'rpm'; name: string; version: string; arch: string; source: string; licence: string }
interface Inventory { os: { id: string; version: string }; packages: InventoryPackage[] }

export function parseInventory(tsv: string): Inventory {
  const inv: Inventory = { os: { id: 'linux', version: '' }, packages: [] };
  for (const line of tsv.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'os') inv.os = { id: f[1] || 'linux', version: f[2] ?? '' };
    else if ((f[0] === 'deb' || f[0] === 'rpm') && f[1] && f[2]) {
      // rpm prints "(none)" for a tag a header lacks (a gpg-pubkey's SOURCERPM, an unset LICENSE).
      const tag = (v: string | undefined) => (v === undefined || v === '(none)' ? '' : v);
      inv.packages.push({ type: f[0], name: f[1], version: f[2], arch: tag(f[3]), source: tag(f[4]), licence: tag(f[5]) });
    }
  }
  if (inv.packages.length === 0) throw new SbomError('the SBOM inventory lists no packages');
  return inv;
}

/**
 * Package URL (https://github.com/package-url/purl-spec, types `deb` and `rpm`). An RPM epoch is
 * the `epoch` qualifier, not part of the version, as the spec's rpm type says; qualifiers are
 * sorted by key.
 */
function purl(p: InventoryPackage, os: Inventory['os']): string {
  const epoch = p.type === 'rpm' ? /^(\d+):(.+)$/.exec(p.version) : null;
  const version = epoch ? epoch[2] : p.version;
  const q = [p.arch && `arch=${encodeURIComponent(p.arch)}`, os.version && `distro=${encodeURIComponent(`${os.id}-${os.version}`)}`, epoch && `epoch=${epoch[1]}`].filter(Boolean).join('&');
  return `pkg:${p.type}/${encodeURIComponent(os.id)}/${encodeURIComponent(p.name)}@${encodeURIComponent(version)}${q ? `?${q}` : ''}`;
}

export interface SbomSubject { readonly name: string; readonly version: string; readonly timestamp: string; readonly factoryVersion: string }

/** CycloneDX 1.6: one `application` for the image, one `library` component per package. */
export function renderCycloneDx(inv: Inventory, subject: SbomSubject): Record<string, unknown> {
  const seen = new Set<string>();
  const components = [];
  for (const p of inv.packages) {
    const ref = purl(p, inv.os);
    if (seen.has(ref)) continue;
    seen.add(ref);
    components.push({
      type: 'library', 'bom-ref': ref, name: p.name, version: p.version, purl: ref,
      // Debian copyright files and RPM headers hold SPDX-like expressions, not always valid SPDX ids: keep them as names.
      ...(p.licence ? { licenses: [{ license: { name: p.licence } }] } : {}),
      properties: [
        ...(p.arch ? [{ name: 'image-factory:arch', value: p.arch }] : []),
        ...(p.source ? [{ name: 'image-factory:source-package', value: p.source }] : []),
      ],
    });
  }
  return {
    bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: `urn:uuid:${randomUUID()}`, version: 1,
    metadata: {
      timestamp: subject.timestamp,
      tools: { components: [{ type: 'application', name: 'koogallery-image-factory', version: subject.factoryVersion }] },
      component: { type: 'operating-system', 'bom-ref': 'image', name: subject.name, version: subject.version, description: `${inv.os.id} ${inv.os.version}`.trim() },
    },
    components,
  };
}

let validator: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/** Validates against the official CycloneDX 1.6 JSON schema; throws SbomError with the first errors. */
export function validateCycloneDx(bom: unknown): void {
  if (!validator) {
    const load = (f: string) => JSON.parse(readFileSync(new URL(`./schema/${f}`, import.meta.url), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    ajv.addSchema(load('spdx.schema.json')).addSchema(load('jsf-0.82.schema.json'));
    validator = ajv.compile(load('bom-1.6.schema.json'));
  }
  if (!validator(bom)) throw new SbomError(`the SBOM does not validate against CycloneDX 1.6: ${JSON.stringify(validator.errors).slice(0, 500)}`);
}

export interface SbomRef { readonly file: string; readonly sha256: string; readonly packages: number }

/** Renders, validates and writes the SBOM atomically; returns its reference for build.json/try.json. */
export function writeSbom(path: string, tsv: string, subject: SbomSubject): SbomRef {
  const inv = parseInventory(tsv);
  const bom = renderCycloneDx(inv, subject);
  validateCycloneDx(bom);
  const text = `${JSON.stringify(bom, null, 2)}\n`;
  writeFileAtomic(path, text);
  return { file: basename(path), sha256: createHash('sha256').update(text).digest('hex'), packages: (bom.components as unknown[]).length };
}

/** Packages whose name matches one of `names` (the product's own software), with their versions. */
export function productVersions(bom: { components?: { name: string; version?: string }[] }, names: readonly string[]): { name: string; version: string }[] {
  const wanted = names.map((n) => n.toLowerCase()).filter(Boolean);
  return (bom.components ?? [])
    .filter((c) => wanted.some((w) => c.name.toLowerCase() === w || c.name.toLowerCase().startsWith(`${w}-`)))
    .map((c) => ({ name: c.name, version: c.version ?? '' }));
}

/** A cloud build's SBOM; `try` writes its own (try.sbom.cdx.json) so it never replaces a cloud build's. */
export function sbomPath(distDir: string, image: string, version: string, kind: 'build' | 'try' = 'build'): string {
  return join(distDir, image, version, kind === 'try' ? 'try.sbom.cdx.json' : 'sbom.cdx.json');
}
