import { join } from 'node:path';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { UsageError } from '../../stacks/errors.js';
import { parseCommandArgs } from '../lib/args.js';
import { interruptOnSignals } from '../pipeline/interrupt.js';
import { JsonProgress, TerminalProgress, type ProgressSink } from '../pipeline/progress.js';
import type { Command } from './index.js';

const usage = 'try <image> [--base-disk FILE] [--debian 12|13] [--keep] [--json]';

const command: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs('try', usage, args, {
      'base-disk': { type: 'string' }, debian: { type: 'string' }, keep: { type: 'boolean' }, json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`try: expected one image name, found ${positionals.length}\nusage: image-factory ${usage}`);
    const debian = values.debian === undefined ? 'debian12' : ({ '12': 'debian12', '13': 'debian13' } as const)[values.debian as '12' | '13'];
    if (!debian) throw new UsageError(`try: --debian: expected 12 or 13, found "${values.debian}"\nusage: image-factory ${usage}`);
    if (values['base-disk'] !== undefined && values.debian !== undefined) throw new UsageError(`try: --debian picks the default base disk; it cannot go with --base-disk\nusage: image-factory ${usage}`);
    const root = process.cwd();
    const image = await loadNamedImage(join(root, 'images'), positionals[0], root);
    const json = values.json === true;
    const progress: ProgressSink = json ? new JsonProgress() : new TerminalProgress();
    const { signal, dispose } = interruptOnSignals(progress);
    const { rehearse } = await import('../local/try.js');
    try {
      const { record, recordPath } = await rehearse({
        image, baseDisk: values['base-disk'], debian, keep: values.keep === true, progress, signal,
        onSelfCheck: json ? (report) => process.stdout.write(`${JSON.stringify({ type: 'selfcheck', report })}\n`) : undefined,
      });
      const took = record.finishedAt ? ` in ${Math.round((Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000)} s` : '';
      const line = record.result === 'passed'
        ? `try ${image.name} ${record.version} passed${took}: install, self-check and tests on a local VM (${record.accelerator.accel}); record ${recordPath}`
        : `try ${image.name} ${record.version} ${record.result === 'interrupted' ? 'was interrupted' : 'failed'} at ${record.failure?.stage}${took}: ${record.failure?.message.split('\n')[0]}; record ${recordPath}`;
      if (json) process.stdout.write(`${JSON.stringify({ type: 'result', image: image.name, version: record.version, status: record.result, message: line, record: recordPath })}\n`);
      else progress.note(line);
      return record.result === 'passed' ? 0 : record.result === 'interrupted' ? 130 : 1;
    } finally {
      dispose();
      progress.close();
    }
  },
};
export default command;
