import { join } from 'node:path';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { UsageError } from '../../stacks/errors.js';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from '../lib/command-spec.js';
import { interruptOnSignals } from '../pipeline/interrupt.js';
import { JsonProgress, TerminalProgress, type ProgressSink } from '../pipeline/progress.js';
import type { Command } from './index.js';
import { writeEvent, writeResult } from '../lib/json-events.js';

const spec = commandSpec({
  name: 'try',
  operands: '<image>',
  options: {
    'base-disk': { type: 'string', value: 'FILE', defaultText: 'a Debian root filesystem built with debootstrap and cached', description: 'The qcow2 disk to install on, e.g. the cloud image of the product\'s OS.' },
    debian: { type: 'string', value: '12|13', defaultText: '12', description: 'The Debian release of the default base disk (not with --base-disk).' },
    keep: { type: 'boolean', description: 'Keep the local VM\'s disk and console logs, and write a shell.sh that boots the kept disk (as a snapshot) with a local root shell; never part of a cloud build.' },
    json: { type: 'boolean', description: 'Print one JSON event per line on stdout, the self-check report among them, ending with a "result" event.' },
  },
  description: 'Needs qemu-system-x86_64, qemu-img, mkfs.vfat, mcopy and (for the default disk) debootstrap; it names what is missing. No cloud account is needed and nothing is billed.',
  env: ['IMAGE_FACTORY_ACCEL', 'IF_ROOTFS_CACHE'],
  writes: ['dist/<image>/<version>/try.json: the rehearsal record (steps, self-check, first-boot audit, tests, timings).', 'dist/<image>/<version>/try.sbom.cdx.json: the local VM\'s package inventory (CycloneDX 1.6), referenced with its sha256 from try.json.', '.image-factory/try/<image>/<version>/: the VM\'s disks and console logs (removed unless --keep).', '~/.cache/image-factory/rootfs/: the cached root filesystems.'],
  exitCodes: [EXIT_OK, [1, 'a step, the self-check or a test failed, or a prerequisite is missing'], EXIT_USAGE, EXIT_INTERRUPTED],
  examples: ['image-factory try nginx', 'image-factory try nginx --debian 13 --json'],
});

const command: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length !== 1) throw usageError(spec, `expected one image name, found ${positionals.length}`);
    const debian = values.debian === undefined ? 'debian12' : ({ '12': 'debian12', '13': 'debian13' } as const)[values.debian as '12' | '13'];
    if (!debian) throw new UsageError(`try: --debian: expected 12 or 13, found "${values.debian}"`);
    if (values['base-disk'] !== undefined && values.debian !== undefined) throw usageError(spec, '--debian picks the default base disk; it cannot go with --base-disk');
    const root = process.cwd();
    const image = await loadNamedImage(join(root, 'images'), positionals[0], root);
    const json = values.json === true;
    const progress: ProgressSink = json ? new JsonProgress() : new TerminalProgress();
    const { signal, dispose } = interruptOnSignals(progress);
    const { rehearse } = await import('../local/try.js');
    try {
      const { record, recordPath } = await rehearse({
        image, baseDisk: values['base-disk'], debian, keep: values.keep === true, progress, signal,
        onSelfCheck: json ? (report) => writeEvent({ type: 'selfcheck', report: { ...report } }) : undefined,
      });
      const took = record.finishedAt ? ` in ${Math.round((Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000)} s` : '';
      const line = record.result === 'passed'
        ? `try ${image.name} ${record.version} passed${took}: install, self-check and tests on a local VM (${record.accelerator.accel}); record ${recordPath}`
        : `try ${image.name} ${record.version} ${record.result === 'interrupted' ? 'was interrupted' : 'failed'} at ${record.failure?.stage}${took}: ${record.failure?.message.split('\n')[0]}; record ${recordPath}`;
      const exitCode = record.result === 'passed' ? 0 : record.result === 'interrupted' ? 130 : 1;
      if (json) writeResult({ command: 'try', exitCode, status: record.result, message: line, image: image.name, version: record.version, record: recordPath });
      else progress.note(line);
      return exitCode;
    } finally {
      dispose();
      progress.close();
    }
  },
};
export default command;
