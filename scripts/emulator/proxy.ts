/**
 * The emulator's HTTPS proxy mode: the same port also answers HTTP CONNECT, as a forward proxy
 * that never forwards. A CONNECT to a Huawei Cloud host (`*.myhuaweicloud.com:443`,
 * `*.myhuaweicloud.eu:443`) is accepted and its TLS terminated here, with a server certificate of
 * the emulator's own CA (tls.ts); the decrypted requests go to the emulator's ordinary handler,
 * which reads the region from the Host header (`ims.af-south-1.myhuaweicloud.com`). Any other
 * host is refused with 403: the emulator never reaches the internet.
 *
 * Why: the huaweicloud provider refuses clients for another region once custom `endpoints` are
 * set (github.com/huaweicloud/terraform-provider-huaweicloud huaweicloud/config/config.go,
 * NewServiceClient), so a cross-region image copy cannot finish against an emulator given as an
 * endpoint. Through this proxy the provider keeps its default per-region endpoints.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket } from 'node:tls';
import { CLOUD_DOMAINS, type ProxyCertificates } from './tls.js';

export interface ConnectProxy {
  /** Ends every tunnel (the HTTP server no longer tracks a socket once it is CONNECTed). */
  close(): void;
}

/** A host the provider's default endpoints use: `<service>[.<region>].myhuaweicloud.{com,eu}`. */
function isCloudHost(host: string): boolean {
  const h = host.toLowerCase();
  return CLOUD_DOMAINS.some((d) => h.endsWith(`.${d}`)) && /^[a-z0-9.-]+$/.test(h);
}

function refuse(socket: Duplex, status: string, message: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`);
}

/** Makes `server` answer CONNECT for Huawei Cloud hosts with the given certificates. */
export function attachConnectProxy(server: Server, certificates: ProxyCertificates, log?: (line: string) => void): ConnectProxy {
  const secureContext = createSecureContext({ cert: certificates.cert, key: certificates.key });
  const tunnels = new Set<Duplex>();
  server.on('connect', (req, socket: Duplex, head: Buffer) => {
    // The client may hang up at any point (curl resets a refused tunnel): never an unhandled error.
    socket.on('error', () => socket.destroy());
    const target = req.url ?? '';
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    if (!m || m[2] !== '443' || !isCloudHost(m[1])) {
      log?.(`CONNECT ${target} -> 403`);
      return refuse(socket, '403 Forbidden', `the emulator serves Huawei Cloud hosts on port 443 only (*.${CLOUD_DOMAINS.join(', *.')}); it never reaches ${target || 'other hosts'}\n`);
    }
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    const tls = new TLSSocket(socket as never, { isServer: true, secureContext });
    // A client that does not trust the CA hangs up during the handshake: nothing to answer.
    tls.on('error', (err) => {
      log?.(`CONNECT ${target}: TLS ${err.message}`);
      tls.destroy();
    });
    log?.(`CONNECT ${target} -> 200`);
    server.emit('connection', tls);
  });
  return {
    close() {
      for (const s of tunnels) s.destroy();
      tunnels.clear();
    },
  };
}
