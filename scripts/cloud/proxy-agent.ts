/**
 * An https.Agent that reaches every host through an HTTP forward proxy (CONNECT), verifying the
 * host's certificate against the proxy's CA when one is given: how the factory's own API calls
 * follow IMAGE_FACTORY_PROXY (the emulator's proxy mode) with the cloud's default endpoints.
 */
import { request as httpRequest } from 'node:http';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { ProxyRoute } from '../../stacks/endpoint.js';

import type { Duplex } from 'node:stream';

type Callback = (err: Error | null, stream: Duplex) => void;

export class TunnelAgent extends Agent {
  private readonly proxy: URL;

  constructor(private readonly route: { readonly url: string; readonly ca?: string }, options: AgentOptions = {}) {
    super(options);
    this.proxy = new URL(route.url);
  }

  /** Node's Agent accepts a socket handed to the callback later (the tunnel takes a round trip). */
  override createConnection(options: RequestOptions & { servername?: string }, callback?: Callback): undefined {
    const done = (err: Error | null, stream?: Duplex) => callback?.(err, stream as Duplex);
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const req = httpRequest({ host: this.proxy.hostname, port: Number(this.proxy.port || 80), method: 'CONNECT', path: authority, headers: { host: authority } });
    req.once('connect', (res, socket, head) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        done(new Error(`the proxy ${this.route.url} refused CONNECT ${authority}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      if (head.length) socket.unshift(head);
      const tls = tlsConnect({ socket, servername: options.servername ?? host, ...(this.route.ca ? { ca: this.route.ca } : {}) });
      let secured = false;
      tls.once('secureConnect', () => {
        secured = true;
        done(null, tls);
      });
      tls.once('error', (err) => {
        if (!secured) done(err);
      });
    });
    req.once('error', (err) => done(new Error(`the proxy ${this.route.url} cannot be reached: ${err.message}`)));
    req.end();
    return undefined;
  }
}

/** The agent for a proxy route from the environment (proxyFromEnv). */
export function tunnelAgentFor(route: ProxyRoute): TunnelAgent {
  return new TunnelAgent({ url: route.url, ca: route.caPem });
}
