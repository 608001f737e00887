/**
 * sbom.sh on the real Debian 12 and 13 root filesystems (--root, dpkg-query under chroot): the
 * inventory renders to a schema-valid CycloneDX 1.6 SBOM whose versions are dpkg's own.
 * The RPM path (rpm -qa --qf): the fake HCE tree with the real rpm binary and a real database of
 * two packages built here with rpmbuild (Debian's rpm package; no HCE repository is reachable).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleSbom, parseInventory, renderCycloneDx, sbomParts, validateCycloneDx } from '../../scripts/sbom/sbom.js';
import { REPO, VARIANTS, ensureRootfs, requireTools } from './lib/debian.js';
import { copyHostTool, makeFakeHce } from './lib/fake-hce.js';

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

describe('sbom.sh on an RPM tree (the fake HCE 2.0 tree with the real rpm and a real rpm database)', () => {
  it('lists what the rpm database holds, epoch and licence included, and renders a valid CycloneDX 1.6 SBOM', () => {
    requireTools(['chroot', 'ldd', 'rpm']);
    const hce = makeFakeHce('sbom-rpm');
    try {
      const root = hce.root;
      // The real rpm in the tree (Debian's build, run by sbom.sh through chroot), with HCE's database path.
      copyHostTool(root, 'rpm');
      cpSync('/usr/lib/rpm', join(root, 'usr/lib/rpm'), { recursive: true, dereference: true });
      mkdirSync(join(root, 'etc/rpm'), { recursive: true });
      writeFileSync(join(root, 'etc/rpm/macros'), '%_dbpath /var/lib/rpm\n');
      // Two real packages, built here and installed into the tree's database.
      const top = join(dirname(root), 'rpmbuild');
      const rpms = [
        { name: 'guest-app', epoch: '1', version: '2.4.1', release: '3.hce2', license: 'MIT AND (Apache-2.0 OR BSD-3-Clause)' },
        { name: 'guest-lib', version: '0.9', release: '1.hce2', license: 'LGPL-2.1-or-later' },
      ];
      for (const p of rpms) {
        const spec = join(dirname(root), `${p.name}.spec`);
        writeFileSync(spec, [`Name: ${p.name}`, `Version: ${p.version}`, `Release: ${p.release}`, ...(p.epoch ? [`Epoch: ${p.epoch}`] : []),
          'Summary: sbom test package', `License: ${p.license}`, 'BuildArch: noarch', '%description', 'sbom test package', '%install',
          `mkdir -p %{buildroot}/opt/${p.name}`, `echo ok > %{buildroot}/opt/${p.name}/run`, '%files', `/opt/${p.name}/run`, ''].join('\n'));
        execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '-bb', spec], { stdio: 'ignore' });
      }
      const db = ['--root', root, '--dbpath', '/var/lib/rpm'];
      execFileSync('rpm', [...db, '--initdb']);
      execFileSync('rpm', [...db, '-i', '--nodeps', ...rpms.map((p) => join(top, 'RPMS/noarch', `${p.name}-${p.version}-${p.release}.noarch.rpm`))], { stdio: 'ignore' });

      const r = spawnSync('bash', [join(REPO, 'scripts/guest/sbom.sh'), '--root', root], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      const inv = parseInventory(r.stdout);
      expect(inv.os).toEqual({ id: 'hce', version: '2.0' });
      expect([...inv.packages].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { type: 'rpm', name: 'guest-app', version: '1:2.4.1-3.hce2', arch: 'noarch', source: 'guest-app-2.4.1-3.hce2.src.rpm', licence: 'MIT AND (Apache-2.0 OR BSD-3-Clause)' },
        { type: 'rpm', name: 'guest-lib', version: '0.9-1.hce2', arch: 'noarch', source: 'guest-lib-0.9-1.hce2.src.rpm', licence: 'LGPL-2.1-or-later' },
      ]);
      const bom = renderCycloneDx(inv, { name: 'hce', version: '2.0', timestamp: new Date(0).toISOString(), factoryVersion: 'test' });
      expect(() => validateCycloneDx(bom)).not.toThrow();
      // purl-spec's rpm type: the epoch is a qualifier, not part of the version.
      expect((bom.components as { purl: string }[]).map((c) => c.purl).sort()).toEqual([
        'pkg:rpm/hce/guest-app@2.4.1-3.hce2?arch=noarch&distro=hce-2.0&epoch=1',
        'pkg:rpm/hce/guest-lib@0.9-1.hce2?arch=noarch&distro=hce-2.0',
      ]);
    } finally {
      rmSync(dirname(hce.root), { recursive: true, force: true });
    }
  }, 300_000);
});
