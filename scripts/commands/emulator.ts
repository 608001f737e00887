import type { Command } from './index.js';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, EXIT_OK, EXIT_USAGE } from '../lib/command-spec.js';
import { UserError } from '../../stacks/errors.js';
import { credentialsFromEnv } from '../cloud/credentials.js';
import { ENDPOINT_VAR, PROXY_CA_VAR, PROXY_VAR } from '../../stacks/endpoint.js';
import { shellWord } from './env.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const spec = commandSpec({
  name: 'emulator',
  options: {
    port: { type: 'string', value: '<n>', default: '0', description: 'TCP port on 127.0.0.1 (0: any free port; the one chosen is printed).' },
    state: { type: 'string', value: 'FILE', defaultText: 'none: the cloud lives in memory and is gone when the emulator stops', description: 'Keep the emulated cloud (servers, images, jobs) in FILE across restarts; the proxy\'s CA is kept in FILE.ca/.' },
    'time-scale': { type: 'string', value: '<n>', default: '1', description: 'Run the cloud\'s clock N times faster: boots, captures and copies take 1/N of their time.' },
    'default-region': { type: 'string', value: 'REGION', default: 'ap-southeast-3', description: 'The region of a call whose host names none (endpoint mode).' },
    'obs-conditional-writes': { type: 'string', value: 'true|false', default: 'true', description: 'Whether OBS honours If-None-Match on writes, which Terraform\'s S3 state lock (use_lockfile) needs.' },
    'no-proxy': { type: 'boolean', description: 'Serve as one base URL for IMAGE_FACTORY_ENDPOINT instead of an HTTPS proxy: one region only, no cross-region copies.' },
    proxy: { type: 'boolean', hidden: true, description: 'Serve as an HTTPS proxy (the default; kept for old command lines).' },
    guest: { type: 'string', value: 'scripted|qemu', default: 'scripted', description: 'What runs behind each server: a scripted guest that follows the install steps\' protocol, or a real QEMU VM with cloud-init.' },
    'base-disk': { type: 'string', value: 'FILE', defaultText: 'a Debian root filesystem built with debootstrap and cached', description: 'With --guest qemu: the qcow2 base disk of every server.' },
    debian: { type: 'string', value: '12|13', defaultText: '12', description: 'With --guest qemu and no --base-disk: the Debian release of the base disk.' },
    verbose: { type: 'boolean', description: 'Log every request (method, path, status) on stderr.' },
  },
  description: 'Speaks the real HTTP APIs: AK/SK signatures checked against the key pair in HW_ACCESS_KEY/HW_SECRET_KEY, asynchronous jobs, Huawei\'s error codes. It listens on loopback only and runs until Ctrl-C or SIGTERM.',
  env: ['HW_ACCESS_KEY', 'HW_SECRET_KEY', 'IMAGE_FACTORY_ACCEL', 'IF_ROOTFS_CACHE'],
  writes: ['--state FILE and FILE.ca/ (the proxy\'s CA); without --state, the CA goes to a temporary folder.'],
  exitCodes: [EXIT_OK, [1, 'the port is in use, the state file is damaged, or a value is wrong'], EXIT_USAGE],
  examples: ['image-factory emulator --state .emulator.json --time-scale 60', 'image-factory emulator --no-proxy --port 8080'],
});

/** A whole-number flag within [min, max] (its default comes from the spec); a bad value is one line, like --poll-seconds. */
function intFlag(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UserError(`emulator: --${name}: expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, found "${value}"`);
  }
  return n;
}

const command: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length) throw usageError(spec, `takes no operands, found ${positionals.join(' ')}`);
    const conditional = values['obs-conditional-writes']!;
    if (conditional !== 'true' && conditional !== 'false') throw new UserError(`emulator: --obs-conditional-writes: expected true or false, found "${conditional}"`);
    // Flags first: a bad value is reported whatever the environment.
    const port = intFlag('port', values.port!, 0, 65535);
    const timeScale = intFlag('time-scale', values['time-scale']!, 1);
    const guestKind = values.guest!;
    if (guestKind !== 'scripted' && guestKind !== 'qemu') throw new UserError(`emulator: --guest: expected scripted or qemu, found "${guestKind}"`);
    if (guestKind !== 'qemu' && (values['base-disk'] !== undefined || values.debian !== undefined)) throw usageError(spec, '--base-disk and --debian choose the QEMU guest\'s disk; add --guest qemu');
    const debian = values.debian === undefined ? 'debian12' : ({ '12': 'debian12', '13': 'debian13' } as const)[values.debian as '12' | '13'];
    if (!debian) throw new UserError(`emulator: --debian: expected 12 or 13, found "${values.debian}"`);
    // One environment serves both sides: the emulator accepts the key pair the clients sign with.
    const credentials = credentialsFromEnv();
    const { createEmulator } = await import('../emulator/server.js');
    if (values.proxy && values['no-proxy']) throw usageError(spec, '--proxy and --no-proxy contradict each other; the proxy is on by default');
    // Absolute paths: what the emulator prints is pasted into shells whose commands run
    // Terraform in other folders (cdktf.out/stacks/<stack>).
    const stateFile = values.state === undefined ? undefined : resolve(values.state);
    // The proxy is on unless refused: it is the one way that serves every command, cross-region
    // copies included (the provider refuses clients for other regions with custom endpoints).
    // Its CA lives next to the state file, so it stays the same across restarts.
    const certDir = values['no-proxy'] ? undefined : stateFile ? `${stateFile}.ca` : mkdtempSync(join(tmpdir(), 'image-factory-emulator-ca-'));
    // Real VMs behind every ECS: each server boots a local QEMU machine (see emulator/qemu-guest.ts).
    const guest = guestKind === 'qemu'
      ? await (await import('../emulator/qemu-guest.js')).createQemuGuest({ baseDisk: values['base-disk'], debian, log: (line) => console.error(line) })
      : undefined;
    const emulator = await createEmulator({
      guest,
      port,
      stateFile,
      timeScale,
      defaultRegion: values['default-region'],
      obsConditionalWrites: conditional === 'true',
      credentials: { [credentials.accessKey]: credentials.secretKey },
      log: values.verbose ? (line) => console.error(line) : undefined,
      proxy: certDir ? { certDir } : undefined,
    }).catch(async (err: NodeJS.ErrnoException) => {
      await guest?.close();
      if (err.code === 'EADDRINUSE') throw new UserError(`emulator: port ${values.port} is in use; pick another with --port, or --port 0 for any free one`);
      throw err;
    });
    // Listening for the stop before saying where it listens: a caller may stop it at once.
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    console.log(`listening on ${emulator.url}`);
    // Writes to the admin API need this run's token: a web page the developer visits cannot reset or fault the emulator.
    console.log(`admin API: ${emulator.url}/_emulator/ (loopback only; writes need the header x-emulator-token: ${emulator.adminToken}, new each run)`);
    if (emulator.proxy) {
      console.log(`proxy mode: CONNECT to *.myhuaweicloud.com / *.myhuaweicloud.eu:443 is served here, TLS signed by the CA in ${emulator.proxy.caFile}; point every command (build, sweep, server-status, ...) at it with`);
      console.log(`export ${PROXY_VAR}=${shellWord(emulator.proxy.url)} ${PROXY_CA_VAR}=${shellWord(emulator.proxy.caFile)}`);
      console.log('and run the CDKTF CLI through `image-factory env -- npx cdktf deploy <stack>`, which gives Terraform the proxy and its CA');
    } else {
      console.log(`endpoint mode (--no-proxy): one region only, since the huaweicloud provider refuses clients for other regions with custom endpoints; point the factory at it with`);
      console.log(`export ${ENDPOINT_VAR}=${shellWord(emulator.url)}`);
    }
    await stopped;
    await emulator.close();
    await guest?.close();
    console.log('emulator stopped');
    return 0;
  },
};
export default command;
