import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../stacks/errors.js';

/** node:util parseArgs, with its errors turned into one clear line naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, usage: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.split('\n')[0]}\nusage: image-factory ${usage}`);
  }
}
