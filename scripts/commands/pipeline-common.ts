/** What build, resume and distribute share: loading, credentials, progress, signals, summary. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { $ } from 'zx';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { stateBackendFromEnv } from '../../stacks/backend.js';
import { endpointOverrideFromEnv } from '../../stacks/endpoint.js';
import { UserError, UsageError } from '../../stacks/errors.js';
import { credentialsFromEnv } from '../cloud/credentials.js';
import { huaweiCloud } from '../cloud/index.js';
import { checkKeyPair } from '../cloud/key-check.js';
import { CheckpointStore, type Checkpoint, type Stage } from '../pipeline/checkpoint.js';
import { formatDuration, systemClock } from '../pipeline/clock.js';
import { interruptOnSignals } from '../pipeline/interrupt.js';
import type { Outcome, PipelineOptions } from '../pipeline/orchestrator.js';
import { JsonProgress, TerminalProgress, type ProgressSink } from '../pipeline/progress.js';
import type { BuildMeta } from '../pipeline/record.js';
import { parseCommandArgs } from '../lib/args.js';
import type { Command } from './index.js';

export const PIPELINE_FLAGS = {
  json: { type: 'boolean' },
  'keep-on-failure': { type: 'boolean' },
  'state-bucket': { type: 'string' },
  'poll-seconds': { type: 'string' },
} as const;

export async function buildMeta(env: NodeJS.ProcessEnv = process.env): Promise<BuildMeta> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  let gitCommit = env.GITHUB_SHA || env.CI_COMMIT_SHA;
  if (!gitCommit) {
    const out = await $({ quiet: true, nothrow: true })`git rev-parse HEAD`;
    gitCommit = out.exitCode === 0 ? out.stdout.trim() : undefined;
  }
  const ciRunUrl = env.IMAGE_FACTORY_CI_RUN_URL
    || (env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined)
    || env.CI_PIPELINE_URL;
  return { toolVersion: pkg.version, gitCommit, ciRunUrl };
}

export interface PreparedRun {
  readonly options: PipelineOptions;
  readonly progress: ProgressSink;
  dispose(): void;
}

/** Credentials first (one clear line when missing), then the image, then everything else. */
/** `--poll-seconds`: a positive number of seconds, or absent (the default interval). */
export function parsePollSeconds(value: string | undefined, command: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value.trim());
  if (!value.trim() || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UserError(`${command}: --poll-seconds: expected a positive number of seconds, found "${value}"`);
  }
  return seconds * 1000;
}

export async function prepareRun(imageName: string, values: { json?: boolean; 'keep-on-failure'?: boolean; 'state-bucket'?: string; 'poll-seconds'?: string }, command: string): Promise<PreparedRun> {
  const poll = parsePollSeconds(values['poll-seconds'], command);
  const credentials = credentialsFromEnv();
  const root = process.cwd();
  const image = await loadNamedImage(join(root, 'images'), imageName, root);
  const backend = stateBackendFromEnv(process.env, values['state-bucket']);
  const endpoint = endpointOverrideFromEnv();
  // A refused key pair is one line, before any stage, checkpoint or cleanup.
  await checkKeyPair(credentials, image.spec.buildRegion, endpoint);
  const progress: ProgressSink = values.json ? new JsonProgress() : new TerminalProgress();
  const { signal, dispose } = interruptOnSignals(progress);
  return {
    progress,
    dispose: () => {
      dispose();
      progress.close();
    },
    options: {
      image,
      cloud: (context) => huaweiCloud(image, context, credentials, backend, { endpoint }),
      store: new CheckpointStore(),
      clock: systemClock,
      progress,
      distDir: 'dist',
      pollIntervalMs: poll,
      keepOnFailure: values['keep-on-failure'] === true,
      signal,
      meta: await buildMeta(),
      command,
    },
  };
}

/**
 * What to do after a failed stage. Up to the capture, `resume` picks up the definition as it is
 * now (an uncaptured build installs again from the start). From the boot test on, the image is
 * captured: `resume` tests that same image again, so only a transient failure is helped by it;
 * changed install steps need a new image, i.e. a new buildVersion.
 */
function nextStepAfterFailure(stage: Stage, cp: Checkpoint, image: string): string {
  if (stage !== 'test' || !cp.privateImage) return `fix the cause, then run \`image-factory resume ${image}\``;
  const captured = `${cp.privateImage.id} ("${cp.privateImage.name}") in ${cp.privateImage.region}`;
  return [
    `the boot test ran on the captured image ${captured}; \`image-factory resume ${image}\` tests that same image again, so it only helps when the failure was transient (network, a mirror, a sold-out flavor).`,
    `If the install steps must change: raise buildVersion in images/${image}/image.ts and run \`image-factory build ${image}\`,`,
    `or, to rebuild version ${cp.version}, first delete the captured image ${cp.privateImage.id} and the checkpoint ${relative(process.cwd(), new CheckpointStore().path(image, cp.version))}, then run \`image-factory build ${image}\``,
  ].join('\n');
}

/** The last word of a run, and its exit code. */
export function report(outcome: Outcome, progress: ProgressSink, json: boolean, image: string): number {
  const cp = outcome.checkpoint;
  const version = cp?.version ?? '';
  const line = (() => {
    switch (outcome.status) {
      case 'built': {
        const took = cp?.finishedAt ? ` in ${formatDuration(Date.parse(cp.finishedAt) - Date.parse(cp.startedAt))}` : '';
        return `built ${image} ${version}${took}; build record ${outcome.recordPath}`;
      }
      case 'already-built':
        return `${image} ${version || ''} is already built (${outcome.recordPath}); nothing to do`.replace('  ', ' ');
      case 'partial':
        return `${image} ${version}: copies failed in ${outcome.failedRegions.join(', ')}; the other regions are done. Run \`image-factory distribute ${image}\` to retry them`;
      case 'failed':
        return `${image} ${version} failed at stage ${outcome.stage}: ${outcome.error}\n${nextStepAfterFailure(outcome.stage, outcome.checkpoint, image)}`;
      case 'interrupted':
        return `${image} ${version} interrupted at stage ${outcome.stage}; temporary resources were cleaned up. Run \`image-factory resume ${image}\` to continue`;
    }
  })();
  if (json) {
    const imageIds = cp ? Object.fromEntries(Object.entries(cp.regions).filter(([, r]) => r.imageId).map(([k, r]) => [k, r.imageId])) : {};
    if (cp?.privateImage) imageIds[cp.privateImage.region] = cp.privateImage.id;
    process.stdout.write(`${JSON.stringify({ type: 'result', image, version, status: outcome.status, message: line, imageIds })}\n`);
  } else progress.note(line);
  switch (outcome.status) {
    case 'built':
    case 'already-built':
      return 0;
    case 'partial':
      return 3;
    case 'interrupted':
      return 130;
    default:
      return 1;
  }
}

/**
 * `build` and `resume`: the same flags and run, a different orchestrator entry point.
 */
export function stageCommand(name: 'build' | 'resume', summary: string, entry: (options: PipelineOptions) => Promise<Outcome>): Command {
  const usage = `${name} <image> [--keep-on-failure] [--json] [--state-bucket <bucket>] [--poll-seconds <n>]`;
  return {
    summary,
    usage,
    async run(args) {
      const { values, positionals } = parseCommandArgs(name, usage, args, PIPELINE_FLAGS);
      if (positionals.length !== 1) throw new UsageError(`${name}: expected one image name, found ${positionals.length}\nusage: image-factory ${usage}`);
      const run = await prepareRun(positionals[0], values, name);
      try {
        return report(await entry(run.options), run.progress, values.json === true, positionals[0]);
      } finally {
        run.dispose();
      }
    },
  };
}
