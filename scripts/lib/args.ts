import { parseArgs } from 'node:util';
import { UsageError } from '../../stacks/errors.js';
import { synopsis, type CommandSpec, type OptionSpecs } from './command-spec.js';

/** The parsed options of a spec: booleans and strings, as node:util parseArgs gives them. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/** A command line split at the first `--`: the factory's own arguments, and a child's (empty without `--`). */
export function splitAtDashes(args: readonly string[]): { own: string[]; child: string[]; dashes: boolean } {
  const at = args.indexOf('--');
  return at === -1 ? { own: [...args], child: [], dashes: false } : { own: args.slice(0, at), child: args.slice(at + 1), dashes: true };
}

/** The usage line and the pointer to `--help`, for the end of a usage error. */
function usageHint(spec: CommandSpec): string {
  return `usage: image-factory ${synopsis(spec)}\n(image-factory ${spec.name} --help lists every option)`;
}

/** A usage error about the operands, with the usage line. */
export function usageError(spec: CommandSpec, message: string): UsageError {
  return new UsageError(`${spec.name}: ${message}\n${usageHint(spec)}`);
}

/**
 * node:util parseArgs over the spec's options (the same ones `--help` documents), with its
 * errors turned into one clear line naming the command.
 */
export function parseCommandArgs<O extends OptionSpecs>(spec: CommandSpec<O>, args: string[]): { values: OptionValues<O>; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, o.default === undefined ? { type: o.type } : { type: o.type, default: o.default }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(spec, (err as Error).message.split('\n')[0]);
  }
  const missing = Object.entries(spec.options).find(([name, o]) => o.required && parsed.values[name] === undefined);
  if (missing) throw usageError(spec, `--${missing[0]} is required: ${missing[1].description}`);
  return { values: parsed.values as OptionValues<O>, positionals: parsed.positionals };
}
