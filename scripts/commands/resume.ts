import type { Command } from './index.js';
import { parseCommandArgs } from '../lib/args.js';
import { UserError } from '../../stacks/errors.js';
import { resume } from '../pipeline/orchestrator.js';
import { PIPELINE_FLAGS, prepareRun, report } from './pipeline-common.js';

const usage = 'resume <image> [--keep-on-failure] [--json] [--state-bucket <bucket>] [--poll-seconds <n>]';

const command: Command = {
  summary: 'Continue an interrupted or failed build of the image\'s current version from its last completed stage (the checkpoint in .image-factory/builds/).',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs('resume', usage, args, PIPELINE_FLAGS);
    if (positionals.length !== 1) throw new UserError(`resume: expected one image name, found ${positionals.length}\nusage: image-factory ${usage}`);
    const run = await prepareRun(positionals[0], values, 'resume');
    try {
      return report(await resume(run.options), run.progress, values.json === true, positionals[0]);
    } finally {
      run.dispose();
    }
  },
};
export default command;
