/**
 * What build, resume and distribute check before anything else: their flags and the key pair in
 * the environment. This module stays light so that a mistake on the command line is answered at
 * once; the run itself (pipeline-run.ts: cloud clients, stacks, CDKTF) is imported afterwards.
 */
import { UserError } from '../../stacks/errors.js';
import { credentialsFromEnv, type Credentials } from '../cloud/credentials.js';
import { parseCommandArgs, usageError, type OptionValues } from '../lib/args.js';
import { commandSpec, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, type CommandSpec, type OptionSpecs } from '../lib/command-spec.js';
import { CLOUD_ENV, TERRAFORM_ENV } from '../lib/env-docs.js';
import type { Outcome, PipelineOptions } from '../pipeline/orchestrator.js';
import type { Command } from './index.js';

/** The options build, resume and distribute share. */
export const PIPELINE_OPTIONS = {
  json: { type: 'boolean', description: 'Print one JSON event per line on stdout (stage, region, status, timestamps), ending with a "result" event: for CI.' },
  'keep-on-failure': { type: 'boolean', description: 'Keep a failed builder or tester server (and its network) for inspection, and print how to reach it; image-factory resume or sweep deletes it later.' },
  'state-bucket': { type: 'string', value: '<bucket>', defaultText: 'IMAGE_FACTORY_STATE_BUCKET, else local state in .image-factory/state/', description: 'OBS bucket for the Terraform state of the stacks (its region from IMAGE_FACTORY_STATE_REGION).' },
  'poll-seconds': { type: 'string', value: '<n>', defaultText: '10', description: 'How often the server status and the guest\'s console are read, in seconds (a positive number).' },
} as const satisfies OptionSpecs;

/** The parsed values of PIPELINE_OPTIONS. */
export type PipelineValues = OptionValues<typeof PIPELINE_OPTIONS>;

/** What build, resume and distribute read and write, and how they end. */
export const PIPELINE_ENV = [...CLOUD_ENV, ...TERRAFORM_ENV];
export const PIPELINE_WRITES = [
  '.image-factory/builds/<image>/<version>.json: the checkpoint, rewritten atomically after every change (never credentials).',
  '.image-factory/state/<image>/<version>/: the Terraform state (unless in OBS); .image-factory/plugin-cache/: the provider, once per machine.',
  'cdktf.out/stacks/<stack>/: the synthesized stacks of the version.',
  'dist/<image>/<version>/build.json: the build record (image IDs per region, hashes, timings), once every stage is done.',
];
export const PIPELINE_EXIT_CODES = [
  EXIT_OK,
  [1, 'a stage failed (the message says which, why and what to run next), or the definition or the environment is wrong'],
  EXIT_USAGE,
  [3, 'the image is built but some copies failed; image-factory distribute <image> retries them'],
  [4, 'the image is built, but a builder or tester could not be deleted after its retries: it is still billed; the message names it and the `image-factory sweep --build` command that deletes it now'],
  EXIT_INTERRUPTED,
] as const;

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
export function stageCommand(spec: CommandSpec<typeof PIPELINE_OPTIONS>, entry: () => Promise<(options: PipelineOptions) => Promise<Outcome>>): Command {
  const name = spec.name;
  return {
    spec,
    async run(args) {
      const { values, positionals } = parseCommandArgs(spec, args);
      if (positionals.length !== 1) throw usageError(spec, `expected one image name, found ${positionals.length}`);
      const checked = checkPipelineInput(values, name);
      const { prepareRun, report } = await import('./pipeline-run.js');
      const run = await prepareRun(positionals[0], values, name, checked);
      try {
        return report(await (await entry())(run.options), run.progress, values.json === true, positionals[0], name);
      } finally {
        run.dispose();
      }
    },
  };
}

/** The spec of build or resume: the shared options, environment, files and exit codes. */
export function stageSpec(name: 'build' | 'resume', description: string, examples: string[]): CommandSpec<typeof PIPELINE_OPTIONS> {
  return commandSpec({ name, operands: '<image>', options: PIPELINE_OPTIONS, description, env: PIPELINE_ENV, writes: PIPELINE_WRITES, exitCodes: PIPELINE_EXIT_CODES, examples });
}
