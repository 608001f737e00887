import type { Command } from './index.js';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, EXIT_OK, EXIT_USAGE } from '../lib/command-spec.js';
import { IMAGE_NAME } from '../../stacks/definition/load.js';
import { CheckpointStore, STAGES, type Checkpoint } from '../pipeline/checkpoint.js';
import { formatDuration } from '../pipeline/clock.js';
import { writeEvent, writeResult } from '../lib/json-events.js';

const spec = commandSpec({
  name: 'status',
  operands: '<image>',
  options: {
    json: { type: 'boolean', description: 'Print one "checkpoint" event per build (with "running": the holder of its lock, or null), a "note" event per checkpoint that cannot be read (named, with the reason; the others are still shown), then a "result" event (scripts/lib/cli-events.schema.json).' },
  },
  description: 'Reads the checkpoints in .image-factory/builds/<image>/ only: no cloud call, no credentials.',
  exitCodes: [EXIT_OK, EXIT_USAGE],
  examples: ['image-factory status nginx', 'image-factory status nginx --json'],
});

function took(s: { startedAt?: string; endedAt?: string }): string {
  return s.startedAt && s.endedAt ? formatDuration(Date.parse(s.endedAt) - Date.parse(s.startedAt)) : '';
}

export function formatStatus(cp: Checkpoint, running?: { pid: number; host: string; command: string }): string {
  const lines = [`${cp.image} ${cp.version} (${cp.productVersion})  build ${cp.buildId}  ${running ? `running: ${running.command}, pid ${running.pid} on ${running.host}` : cp.result}  started ${cp.startedAt}${cp.finishedAt ? `, took ${took({ startedAt: cp.startedAt, endedAt: cp.finishedAt })}` : ''}`];
  for (const s of STAGES) {
    const st = cp.stages[s];
    lines.push(`  ${s.padEnd(11)} ${st.status.padEnd(8)} ${took(st).padStart(7)}  ${st.error ?? ''}`.trimEnd());
  }
  if (cp.privateImage || Object.keys(cp.regions).length) lines.push('  regions:');
  if (cp.privateImage) lines.push(`    ${cp.privateImage.region.padEnd(16)} captured  ${cp.privateImage.id}`);
  for (const [region, r] of Object.entries(cp.regions)) {
    lines.push(`    ${region.padEnd(16)} ${r.status.padEnd(9)} ${r.imageId ?? r.error ?? ''}${r.attempts > 1 ? `  (${r.attempts} attempts)` : ''}`.trimEnd());
  }
  if (cp.record) lines.push(`  record: ${cp.record}`);
  return lines.join('\n');
}

const command: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length !== 1 || !IMAGE_NAME.test(positionals[0])) throw usageError(spec, `expected one image name, found ${positionals.join(' ') || 'none'}`);
    const store = new CheckpointStore();
    const { checkpoints: builds, damaged } = store.scan(positionals[0]);
    const none = { message: `${positionals[0]}: no builds recorded here (.image-factory/builds/${positionals[0]}/)`, next: `run \`image-factory build ${positionals[0]}\`` };
    // A damaged checkpoint is named, and hides neither the other builds nor a build of its own version.
    const unreadable = damaged.map((d) => `could not read the checkpoint of ${d.image} ${d.version}, ${d.path}: ${d.reason}. It is kept as it is; other versions build, resume and sweep without it, but ${d.image} ${d.version} is refused until it is fixed or deleted (deleting it starts that version over)`);
    if (values.json) {
      for (const cp of builds) writeEvent({ type: 'checkpoint', checkpoint: { ...cp }, running: store.lockHolder(cp.image, cp.version) ?? null });
      for (const message of unreadable) writeEvent({ type: 'note', message });
      const unread = damaged.length ? { message: `${builds.length} build${builds.length === 1 ? '' : 's'} of ${positionals[0]}, ${damaged.length} unreadable checkpoint${damaged.length > 1 ? 's' : ''} (${damaged.map((d) => d.path).join(', ')})`, next: `fix or delete ${damaged.map((d) => d.path).join(', ')}: each note says why it cannot be read` } : undefined;
      writeResult({ command: 'status', exitCode: 0, status: 'ok', image: positionals[0], counts: { builds: builds.length, unreadable: damaged.length }, ...(unread ?? (builds.length ? { message: `${builds.length} build${builds.length > 1 ? 's' : ''} of ${positionals[0]}` } : none)) });
      return 0;
    }
    if (!builds.length && !damaged.length) {
      console.log(`${none.message}; ${none.next}`);
      return 0;
    }
    const blocks = builds.map((cp) => formatStatus(cp, store.lockHolder(cp.image, cp.version)));
    console.log([...blocks, ...unreadable.map((line) => `UNREADABLE ${line}`)].join('\n\n'));
    return 0;
  },
};
export default command;
