import type { Command } from './index.js';
import { parseCommandArgs } from '../lib/args.js';
import { UserError } from '../../stacks/errors.js';
import { credentialsFromEnv } from '../cloud/credentials.js';

const usage = 'emulator [--port N] [--state FILE] [--time-scale N] [--default-region REGION] [--obs-conditional-writes true|false] [--verbose]';

/** A non-negative integer flag, or the default. */
function intFlag(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min) throw new UserError(`emulator: --${name}: expected a whole number of at least ${min}, found "${value}"\nusage: image-factory ${usage}`);
  return n;
}

const command: Command = {
  summary: 'Serve a local Huawei Cloud (IAM, VPC, EIP, ECS, IMS, KooGallery, OBS) on 127.0.0.1 for tests and rehearsals; point IMAGE_FACTORY_ENDPOINT at it.',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs('emulator', usage, args, {
      port: { type: 'string' }, state: { type: 'string' }, 'time-scale': { type: 'string' }, 'default-region': { type: 'string' },
      'obs-conditional-writes': { type: 'string' }, verbose: { type: 'boolean' },
    });
    if (positionals.length) throw new UserError(`emulator: takes no arguments, found ${positionals.join(' ')}\nusage: image-factory ${usage}`);
    const conditional = values['obs-conditional-writes'] ?? 'true';
    if (conditional !== 'true' && conditional !== 'false') throw new UserError(`emulator: --obs-conditional-writes: expected true or false, found "${conditional}"`);
    // One environment serves both sides: the emulator accepts the key pair the clients sign with.
    const credentials = credentialsFromEnv();
    const { createEmulator } = await import('../emulator/server.js');
    const emulator = await createEmulator({
      port: intFlag('port', values.port, 0, 0),
      stateFile: values.state,
      timeScale: intFlag('time-scale', values['time-scale'], 1, 1),
      defaultRegion: values['default-region'],
      obsConditionalWrites: conditional === 'true',
      credentials: { [credentials.accessKey]: credentials.secretKey },
      log: values.verbose ? (line) => console.error(line) : undefined,
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') throw new UserError(`emulator: port ${values.port} is in use; pick another with --port, or --port 0 for any free one`);
      throw err;
    });
    console.log(`listening on ${emulator.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await emulator.close();
    console.log('emulator stopped');
    return 0;
  },
};
export default command;
