/**
 * SIGINT/SIGTERM handling for long commands: the first signal aborts the run, which then
 * deletes its temporary resources and keeps the checkpoint; a second one exits at once
 * (leaving resources to `sweep`).
 */
import type { ProgressSink } from './progress.js';

export function interruptOnSignals(progress: ProgressSink): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      progress.note(`${name} again: exiting without cleanup; \`image-factory sweep\` deletes what is left once it expires`);
      process.exit(130);
    }
    progress.note(`${name}: stopping; deleting this build's temporary resources (press Ctrl-C again to exit at once)`);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
