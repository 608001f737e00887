/**
 * The certificates of the emulator's HTTPS proxy mode (proxy.ts): a CA of its own, and a server
 * certificate it signs for Huawei Cloud's public host names, so a client that trusts the CA
 * (Terraform's Go binaries through SSL_CERT_FILE, node through `ca`) verifies TLS as usual while
 * talking to the emulator.
 *
 * Made with the openssl CLI (node's crypto makes keys but not X.509 certificates). The CA is kept
 * in its folder and reused on the next start, so an exported SSL_CERT_FILE / IMAGE_FACTORY_PROXY_CA
 * stays valid across restarts; the server certificate is made anew at each start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProxyCertificates {
  /** The CA certificate's file (PEM): what clients trust. */
  readonly caFile: string;
  readonly caPem: string;
  /** The server certificate (PEM) and its private key. */
  readonly cert: string;
  readonly key: string;
}

/** The site domains of the provider's default endpoints (provider.go defaultCloud, defaultEuropeCloud). */
export const CLOUD_DOMAINS = ['myhuaweicloud.com', 'myhuaweicloud.eu'] as const;

/**
 * Host names the server certificate covers. A wildcard covers one label, so each region needs
 * its own: `<service>.<region>.<domain>` (regional endpoints), `<bucket>.obs.<region>.<domain>`
 * (OBS virtual-hosted buckets) and `<service>.<domain>` (global ones: bss, bss-intl).
 */
function certificateNames(regions: readonly string[]): string[] {
  return CLOUD_DOMAINS.flatMap((d) => [`*.${d}`, ...regions.flatMap((r) => [`*.${r}.${d}`, `*.obs.${r}.${d}`])]);
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('the emulator\'s proxy mode needs the openssl command (apt-get install openssl) to make its certificates');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** Loads the CA in `dir` (or makes one), then issues a server certificate for `regions`. */
export function proxyCertificates(dir: string, regions: readonly string[]): ProxyCertificates {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca-key.pem');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  if (!existsSync(caFile) || !existsSync(caKey)) {
    // Go refuses a CA without basicConstraints CA:TRUE and keyCertSign.
    openssl(['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '825', '-subj', '/CN=image-factory emulator CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  }
  writeFileSync(join(dir, 'server.ext'), [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${certificateNames(regions).map((n) => `DNS:${n}`).join(',')}`,
  ].join('\n'));
  openssl(['req', ...ec, '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=myhuaweicloud.com'], dir);
  // A random serial: a client that saw an earlier server certificate of this CA must not find a clash.
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
    '-days', '397', '-extfile', 'server.ext', '-out', 'server.pem'], dir);
  return {
    caFile,
    caPem: readFileSync(caFile, 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    key: readFileSync(join(dir, 'server-key.pem'), 'utf8'),
  };
}
