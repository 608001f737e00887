import type { Command } from './index.js';
import { parseCommandArgs } from '../lib/args.js';
import { UserError } from '../../stacks/errors.js';
import { build } from '../pipeline/orchestrator.js';
import { PIPELINE_FLAGS, prepareRun, report } from './pipeline-common.js';

const usage = 'build <image> [--keep-on-failure] [--json] [--state-bucket <bucket>] [--poll-seconds <n>]';

const command: Command = {
  summary: 'Build an image version: preflight, install on a sealed ECS, stop, capture, boot-test, copy to every target region, write dist/<image>/<version>/build.json.',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs('build', usage, args, PIPELINE_FLAGS);
    if (positionals.length !== 1) throw new UserError(`build: expected one image name, found ${positionals.length}\nusage: image-factory ${usage}`);
    const run = await prepareRun(positionals[0], values, 'build');
    try {
      return report(await build(run.options), run.progress, values.json === true, positionals[0]);
    } finally {
      run.dispose();
    }
  },
};
export default command;
