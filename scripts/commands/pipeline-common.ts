/**
 * What build, resume and distribute check before anything else: their flags and the key pair in
 * the environment. This module stays light so that a mistake on the command line is answered at
 * once; the run itself (pipeline-run.ts: cloud clients, stacks, CDKTF) is imported afterwards.
 */
import { UserError, UsageError } from '../../stacks/errors.js';
import { credentialsFromEnv, type Credentials } from '../cloud/credentials.js';
import { parseCommandArgs } from '../lib/args.js';
import type { Outcome, PipelineOptions } from '../pipeline/orchestrator.js';
import type { Command } from './index.js';

export const PIPELINE_FLAGS = {
  json: { type: 'boolean' },
  'keep-on-failure': { type: 'boolean' },
  'state-bucket': { type: 'string' },
  'poll-seconds': { type: 'string' },
} as const;

/** The parsed values of PIPELINE_FLAGS, as node:util parseArgs types them. */
export type PipelineValues = { [K in keyof typeof PIPELINE_FLAGS]?: (typeof PIPELINE_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/** What the command line and the environment gave, checked. */
export interface CheckedInput {
  readonly credentials: Credentials;
  /** --poll-seconds in milliseconds; undefined for the default interval. */
  readonly pollMs?: number;
}

/** `--poll-seconds`: a positive number of seconds, or absent (the default interval). */
function parsePollSeconds(value: string | undefined, command: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value.trim());
  if (!value.trim() || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UserError(`${command}: --poll-seconds: expected a positive number of seconds, found "${value}"`);
  }
  return seconds * 1000;
}

/** The flags first, then the credentials (one clear line when missing). */
export function checkPipelineInput(values: PipelineValues, command: string): CheckedInput {
  const pollMs = parsePollSeconds(values['poll-seconds'], command);
  return { credentials: credentialsFromEnv(), pollMs };
}

/**
 * `build` and `resume`: the same flags and run, a different orchestrator entry point (loaded
 * with the run, once the command line is valid).
 */
export function stageCommand(name: 'build' | 'resume', entry: () => Promise<(options: PipelineOptions) => Promise<Outcome>>): Command {
  const usage = `${name} <image> [--keep-on-failure] [--json] [--state-bucket <bucket>] [--poll-seconds <n>]`;
  return {
    usage,
    async run(args) {
      const { values, positionals } = parseCommandArgs(name, usage, args, PIPELINE_FLAGS);
      if (positionals.length !== 1) throw new UsageError(`${name}: expected one image name, found ${positionals.length}\nusage: image-factory ${usage}`);
      const checked = checkPipelineInput(values, name);
      const { prepareRun, report } = await import('./pipeline-run.js');
      const run = await prepareRun(positionals[0], values, name, checked);
      try {
        return report(await (await entry())(run.options), run.progress, values.json === true, positionals[0]);
      } finally {
        run.dispose();
      }
    },
  };
}
