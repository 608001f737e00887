/**
 * sbom.sh on the real Debian 12 and 13 root filesystems (--root, dpkg-query under chroot): the
 * inventory renders to a schema-valid CycloneDX 1.6 SBOM whose versions are dpkg's own.
 * The RPM path (rpm -qa --qf) is not run here: the fake HCE tree has no rpm database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleSbom, parseInventory, renderCycloneDx, sbomParts, validateCycloneDx } from '../../scripts/sbom/sbom.js';
import { REPO, VARIANTS, ensureRootfs, requireTools } from './lib/debian.js';

describe.each(VARIANTS)('sbom.sh on %s', (variant) => {
  it('lists every installed package with dpkg\'s version, and renders a valid CycloneDX 1.6 SBOM', async () => {
    requireTools(['chroot']);
    const root = await ensureRootfs(variant);
    const r = spawnSync('bash', [join(REPO, 'scripts/guest/sbom.sh'), '--root', root], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const tsv = r.stdout;
    // Through the console protocol's chunks and back, as a build sends it.
    const parts = new Map(sbomParts(tsv).map((p) => [p.part, p]));
    expect(assembleSbom(parts)).toBe(tsv);
    const inv = parseInventory(tsv);
    expect(inv.os).toEqual({ id: 'debian', version: variant === 'debian12' ? '12' : '13' });
    const dpkg = new Map(execFileSync('chroot', [root, 'dpkg-query', '-W', '-f', '${db:Status-Abbrev} ${Package} ${Version}\n'], { encoding: 'utf8' })
      .split('\n').filter((l) => l.startsWith('ii')).map((l) => l.split(/\s+/).slice(1, 3) as [string, string]));
    expect(inv.packages.length).toBe(dpkg.size);
    for (const name of ['base-files', 'bash', 'dpkg', 'openssh-server']) {
      const p = inv.packages.find((x) => x.name === name);
      expect(p?.version, name).toBe(dpkg.get(name));
    }
    expect(inv.packages.find((x) => x.name === 'bash')!.licence).toMatch(/GPL/);
    const bom = renderCycloneDx(inv, { name: 'rootfs', version: variant, timestamp: new Date(0).toISOString(), factoryVersion: 'test' });
    expect(() => validateCycloneDx(bom)).not.toThrow();
    expect((bom.components as unknown[]).length).toBe(dpkg.size);
  }, 300_000);
});
