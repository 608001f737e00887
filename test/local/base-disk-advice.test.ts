import { describe, expect, it } from 'vitest';
import { baseDiskWarnings } from '../../scripts/local/base-disk-advice.js';

const DEBIAN = 'Debian 12 (bookworm)';

describe('try: what the default Debian disk will not rehearse', () => {
  it('an RPM base warns, says what differs and where a disk of that OS is published', () => {
    const [w] = baseDiskWarnings({ name: 'Huawei Cloud EulerOS 2.0 Standard 64 bit' }, DEBIAN);
    expect(w).toMatch(/^try: WARNING: the Huawei base image "Huawei Cloud EulerOS 2\.0 Standard 64 bit" is Huawei Cloud EulerOS 2\.0, which installs packages with dnf \(RPM\); the default Debian 12 \(bookworm\) disk has apt and dpkg\./);
    expect(w).toContain('a step that falls back to apt passes here on a path the cloud build never runs');
    expect(w).toContain('pass --base-disk FILE with a qcow2 of Huawei Cloud EulerOS 2.0: export a private image made from that public image as qcow2 (IMS "Exporting an Image": https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0609_1.html)');
    expect(baseDiskWarnings({ name: 'CentOS 7.9 64bit' }, DEBIAN)[0]).toContain('installs packages with yum (RPM)');
    expect(baseDiskWarnings({ os: 'Rocky', osVersion: 'Rocky Linux 9.0 64bit' }, DEBIAN)[0]).toContain('https://dl.rockylinux.org/pub/rocky/');
  });

  it('Ubuntu shares the package family: a note, not a warning; Debian needs neither', () => {
    const [ubuntu] = baseDiskWarnings({ name: 'Ubuntu 22.04 server 64bit' }, DEBIAN);
    expect(ubuntu).not.toContain('WARNING');
    expect(ubuntu).toContain('the same package family (apt)');
    expect(ubuntu).toContain('https://cloud-images.ubuntu.com/');
    expect(baseDiskWarnings({ name: 'Debian 12.0.0 64bit' }, DEBIAN)).toEqual([]);
  });

  it('a base outside the catalogue says that the family is unknown', () => {
    expect(baseDiskWarnings({ name: 'Some Future OS 64bit' }, DEBIAN)[0]).toMatch(/not in the base-image catalogue, so try cannot tell whether its packages are apt or RPM/);
  });
});
