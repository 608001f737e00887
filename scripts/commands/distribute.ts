import type { Command } from './index.js';
import { parseCommandArgs, usageError } from '../lib/args.js';
import { commandSpec } from '../lib/command-spec.js';
import { UserError } from '../../stacks/errors.js';
import { regionIds } from '../../stacks/catalogue/regions.js';
import { PIPELINE_ENV, PIPELINE_EXIT_CODES, PIPELINE_OPTIONS, PIPELINE_WRITES, checkPipelineInput } from './pipeline-common.js';

const spec = commandSpec({
  name: 'distribute',
  operands: '<image>',
  options: {
    regions: { type: 'string', value: 'a,b', defaultText: 'none added: only failed or missing target regions are retried', description: 'Regions to copy to besides targetRegions, comma-separated, of the image\'s site.' },
    ...PIPELINE_OPTIONS,
  },
  description: 'The version must be captured. Regions already done are never touched; build.json is rewritten with the new image IDs.',
  env: PIPELINE_ENV,
  writes: PIPELINE_WRITES,
  exitCodes: PIPELINE_EXIT_CODES,
  examples: ['image-factory distribute nginx', 'image-factory distribute nginx --regions la-south-2'],
});

const command: Command = {
  spec,
  async run(args) {
    const { values, positionals } = parseCommandArgs(spec, args);
    if (positionals.length !== 1) throw usageError(spec, `expected one image name, found ${positionals.length}`);
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
      return report(await distribute(run.options, added), run.progress, values.json === true, positionals[0], 'distribute');
    } finally {
      run.dispose();
    }
  },
};
export default command;
