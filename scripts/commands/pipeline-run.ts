/**
 * What build, resume and distribute share once their command line is valid: the image, the key
 * check, the cloud, progress, signals and the summary. Loaded only then (see pipeline-common.ts):
 * the cloud clients and the stacks take half a second to import.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { $ } from 'zx';
import { freezeImage, loadNamedImage, type LoadedImage } from '../../stacks/definition/load.js';
import { UserError, isUserError } from '../../stacks/errors.js';
import { cloudRouteFromEnv } from '../../stacks/endpoint.js';
import { checkKeyPair } from '../cloud/key-check.js';
import { CheckpointStore, type Checkpoint, type Stage } from '../pipeline/checkpoint.js';
import { formatDuration, systemClock } from '../pipeline/clock.js';
import { interruptOnSignals } from '../pipeline/interrupt.js';
import { leftoverLine, type Outcome, type PipelineOptions } from '../pipeline/orchestrator.js';
import { JsonProgress, TerminalProgress, type ProgressSink } from '../pipeline/progress.js';
import type { BuildMeta } from '../pipeline/record.js';
import type { CheckedInput, PipelineValues } from './pipeline-common.js';
import { writeResult } from '../lib/json-events.js';

async function buildMeta(env: NodeJS.ProcessEnv = process.env): Promise<BuildMeta> {
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

/** The image, then the key pair (one line when refused), then everything else. */
export async function prepareRun(imageName: string, values: PipelineValues, command: string, checked: CheckedInput): Promise<PreparedRun> {
  const { credentials, pollMs: poll } = checked;
  const root = process.cwd();
  const { endpoint, proxy } = cloudRouteFromEnv();
  let image: LoadedImage;
  try {
    // Frozen: what is built, tested and recorded is the folder as it is now, whatever is edited during the run.
    image = freezeImage(await loadNamedImage(join(root, 'images'), imageName, root));
  } catch (err) {
    if (!isUserError(err)) throw err;
    // A definition broken since a build stopped must not keep that build's machines billed.
    const [{ stateBackendFromEnv }, { cleanUpStoppedBuilds }] = await Promise.all([import('../../stacks/backend.js'), import('../pipeline/leftovers.js')]);
    const lines = await cleanUpStoppedBuilds(imageName, { store: new CheckpointStore(), credentials, backend: stateBackendFromEnv(process.env, values['state-bucket']), proxy });
    if (!lines.length) throw err;
    throw new UserError(`${err.message}\n${lines.join('\n')}`);
  }
  // A refused key pair is one line, before any stage, checkpoint or cleanup.
  await checkKeyPair(credentials, image.spec.buildRegion, endpoint, proxy);
  // The stacks and the Terraform deployer (CDKTF): only for a run that goes ahead.
  const [{ stateBackendFromEnv }, { huaweiCloud }] = await Promise.all([import('../../stacks/backend.js'), import('../cloud/index.js')]);
  const backend = stateBackendFromEnv(process.env, values['state-bucket']);
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
      cloud: (context) => huaweiCloud(image, context, credentials, backend, { endpoint, proxy, onRetry: (notice) => progress.retry(notice) }),
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

const EXIT: Record<Outcome['status'], number> = { 'built': 0, 'already-built': 0, 'partial': 3, 'interrupted': 130, 'failed': 1 };

/** The last word of a run, and its exit code. */
export function report(outcome: Outcome, progress: ProgressSink, json: boolean, image: string, command: string): number {
  const cp = outcome.checkpoint;
  const version = cp?.version ?? '';
  const { message, next } = ((): { message: string; next?: string } => {
    switch (outcome.status) {
      case 'built': {
        const took = cp?.finishedAt ? ` in ${formatDuration(Date.parse(cp.finishedAt) - Date.parse(cp.startedAt))}` : '';
        return { message: `built ${image} ${version}${took}; build record ${outcome.recordPath}` };
      }
      case 'already-built':
        return outcome.recordRewritten
          ? { message: `${image} ${version} is already built; its record ${outcome.recordPath} was missing and is written again from the checkpoint (the same steps were verified by their hashes)` }
          : { message: `${image} ${version || ''} is already built (${outcome.recordPath}); nothing to do`.replace('  ', ' ') };
      case 'partial':
        return { message: `${image} ${version}: copies failed in ${outcome.failedRegions.join(', ')}; the other regions are done`, next: `Run \`image-factory distribute ${image}\` to retry them` };
      case 'failed':
        return { message: `${image} ${version} failed at stage ${outcome.stage}: ${outcome.error}`, next: nextStepAfterFailure(outcome.stage, outcome.checkpoint, image) };
      case 'interrupted':
        return { message: `${image} ${version} interrupted at stage ${outcome.stage}; temporary resources were cleaned up`, next: `Run \`image-factory resume ${image}\` to continue` };
    }
  })();
  // A build that left a billed machine behind is not a clean success: exit 4, naming it, with the sweep that deletes it now.
  const leftovers = outcome.status === 'built' || outcome.status === 'partial' ? outcome.leftovers ?? [] : [];
  const exitCode = leftovers.length && outcome.status === 'built' ? 4 : EXIT[outcome.status];
  const said = leftovers.length && cp
    ? { message: `${message}; but ${leftovers.map((l) => leftoverLine(l, image, cp.buildId)).join('; ')}`, next: next ?? `run \`image-factory sweep --build ${cp.buildId} --regions ${[...new Set(leftovers.map((l) => l.region))].join(',')}\`` }
    : { message, next };
  if (json) {
    const imageIds: Record<string, string> = cp ? Object.fromEntries(Object.entries(cp.regions).filter(([, r]) => r.imageId).map(([k, r]) => [k, r.imageId!])) : {};
    if (cp?.privateImage) imageIds[cp.privateImage.region] = cp.privateImage.id;
    const record = outcome.status === 'built' || outcome.status === 'already-built' ? outcome.recordPath : undefined;
    writeResult({ command, exitCode, status: outcome.status, message: said.message, next: said.next, image, version: version || undefined, imageIds, record });
  } else progress.note(outcome.status === 'failed' ? `${said.message}\n${said.next}` : said.next ? `${said.message}. ${said.next}` : said.message);
  return exitCode;
}
