/**
 * `image-factory env [-- <command> [args...]]`: what Terraform needs to reach the cloud the way
 * the factory does, for the tools that run Terraform themselves (the CDKTF CLI: `cdktf deploy`,
 * `cdktf destroy`). The factory's own commands set it for their terraform processes; a hand
 * deploy needs the same:
 *
 * - IMAGE_FACTORY_PROXY (+ _CA): Terraform gets HTTPS_PROXY, NO_PROXY and the proxy's CA
 *   (terraformProxyEnv), with absolute paths, since Terraform runs in cdktf.out/stacks/<stack>;
 * - IMAGE_FACTORY_ENDPOINT: nothing to export, the endpoints are written into the synthesized
 *   stacks when cdktf runs the app with the variable set.
 *
 * Without a command it prints `export` lines to paste (or `eval`); with one, it runs that command
 * with them, so that nothing else in the shell (npm, git) is sent to the proxy.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Command } from './index.js';
import { parseCommandArgs } from '../lib/args.js';
import { UsageError } from '../../stacks/errors.js';
import { ENDPOINT_VAR, PROXY_VAR, cloudRouteFromEnv, terraformProxyEnv } from '../../stacks/endpoint.js';

const usage = 'env [--json] [-- <command> [args...]]';

/** A value as a POSIX shell word: bare when it is safe, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The variables Terraform needs for the route in `env` (empty when it needs none). */
export function terraformRouteEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): NodeJS.ProcessEnv {
  const { proxy } = cloudRouteFromEnv(env, cwd);
  return terraformProxyEnv(proxy, env);
}

const command: Command = {
  usage,
  async run(args) {
    const dash = args.indexOf('--');
    const own = dash === -1 ? args : args.slice(0, dash);
    const child = dash === -1 ? [] : args.slice(dash + 1);
    const { values, positionals } = parseCommandArgs('env', usage, own, { json: { type: 'boolean' } });
    if (positionals.length) throw new UsageError(`env: a command goes after --, found ${positionals.join(' ')}\nusage: image-factory ${usage}`);
    if (dash !== -1 && !child.length) throw new UsageError(`env: expected a command after --\nusage: image-factory ${usage}`);
    const vars = terraformRouteEnv();
    const route = cloudRouteFromEnv();

    if (child.length) {
      return new Promise<number>((resolve, reject) => {
        const p = spawn(child[0], child.slice(1), { stdio: 'inherit', env: { ...process.env, ...vars } });
        p.on('error', (err) => reject(new UsageError(`env: cannot run ${child[0]} (${(err as NodeJS.ErrnoException).code ?? err.message})`)));
        p.on('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
      });
    }
    if (values.json) {
      console.log(JSON.stringify(vars));
      return 0;
    }
    if (route.proxy) {
      console.log(`# Terraform through ${PROXY_VAR}=${route.proxy.url}, for the CDKTF CLI (cdktf deploy/destroy); every HTTPS client of this shell uses the proxy`);
      console.log(`export ${Object.entries(vars).map(([k, v]) => `${k}=${shellWord(v ?? '')}`).join(' ')}`);
    } else if (route.endpoint) {
      console.log(`# ${ENDPOINT_VAR}=${route.endpoint.baseUrl}: nothing to export; cdktf writes the endpoints into the stacks while ${ENDPOINT_VAR} is set`);
    } else {
      console.log(`# neither ${PROXY_VAR} nor ${ENDPOINT_VAR} is set: Terraform reaches Huawei Cloud's public endpoints as it is`);
    }
    return 0;
  },
};
export default command;
