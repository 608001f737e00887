import type { Command } from './index.js';
import { parseCommandArgs } from '../lib/args.js';
import { UserError, UsageError } from '../../stacks/errors.js';
import { regionIds } from '../../stacks/catalogue/regions.js';
import { PIPELINE_FLAGS, checkPipelineInput } from './pipeline-common.js';

const usage = 'distribute <image> [--regions a,b] [--json] [--state-bucket <bucket>]';

const command: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs('distribute', usage, args, { ...PIPELINE_FLAGS, regions: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError(`distribute: expected one image name, found ${positionals.length}\nusage: image-factory ${usage}`);
    const checked = checkPipelineInput(values, 'distribute');
    // The run's modules (cloud clients, stacks) only once the command line is valid.
    const [{ prepareRun, report }, { distribute }] = await Promise.all([import('./pipeline-run.js'), import('../pipeline/orchestrator.js')]);
    const run = await prepareRun(positionals[0], values, 'distribute', checked);
    try {
      const spec = run.options.image.spec;
      const added = (values.regions ?? '').split(',').map((r) => r.trim()).filter(Boolean);
      const known = regionIds(spec.site, spec.catalogue);
      const unknown = added.filter((r) => !known.includes(r));
      if (unknown.length) throw new UserError(`distribute: --regions: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not regions' : 'is not a region'} of site ${spec.site} (images cannot cross sites); expected some of ${known.join(', ')}`);
      return report(await distribute(run.options, added), run.progress, values.json === true, positionals[0]);
    } finally {
      run.dispose();
    }
  },
};
export default command;
