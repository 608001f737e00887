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
import { parseCommandArgs, splitAtDashes, usageError } from '../lib/args.js';
import { commandSpec, EXIT_OK, EXIT_USAGE } from '../lib/command-spec.js';
import { UsageError } from '../../stacks/errors.js';
import { ENDPOINT_VAR, PROXY_VAR, cloudRouteFromEnv, terraformProxyEnv } from '../../stacks/endpoint.js';
import { writeEvent, writeResult } from '../lib/json-events.js';

const spec = commandSpec({
  name: 'env',
  operands: '[-- <command> [args...]]',
  options: {
    json: { type: 'boolean', description: 'Print the variables as an "env" event, then a "result" event (scripts/lib/cli-events.schema.json), instead of an export line.' },
  },
  description: 'Without a command it prints an export line to paste (or eval); with one, it runs that command with the variables set, so nothing else in the shell (npm, git) is sent to the proxy. With IMAGE_FACTORY_ENDPOINT there is nothing to export: cdktf writes the endpoints into the stacks.',
  env: ['IMAGE_FACTORY_PROXY', 'IMAGE_FACTORY_PROXY_CA', 'IMAGE_FACTORY_ENDPOINT'],
  exitCodes: [EXIT_OK, [1, 'IMAGE_FACTORY_PROXY or its CA is unusable'], EXIT_USAGE, ['any', 'with a command: that command\'s own exit code (128 + N when a signal N ended it)']],
  examples: ['image-factory env -- npx cdktf deploy nginx-release', 'eval "$(image-factory env)"'],
});

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
  spec,
  async run(args) {
    const { own, child, dashes } = splitAtDashes(args);
    const { values, positionals } = parseCommandArgs(spec, own);
    if (positionals.length) throw usageError(spec, `a command goes after --, found ${positionals.join(' ')}`);
    if (dashes && !child.length) throw usageError(spec, 'expected a command after --');
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
      writeEvent({ type: 'env', variables: Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined)) });
      writeResult({ command: 'env', exitCode: 0, status: 'ok', message: route.proxy ? `Terraform through ${PROXY_VAR}=${route.proxy.url}` : route.endpoint ? `${ENDPOINT_VAR} is set: nothing to export` : `neither ${PROXY_VAR} nor ${ENDPOINT_VAR} is set: nothing to export` });
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
