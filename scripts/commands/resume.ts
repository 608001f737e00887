import { stageCommand, stageSpec } from './pipeline-common.js';

const spec = stageSpec(
  'resume',
  'Reruns the failed or interrupted stage of the current version, from the checkpoint: an uncaptured builder that is gone is reinstalled from the start, finished copies are left alone. If the definition no longer loads, the stopped build\'s builder or tester is still deleted first.',
  ['image-factory resume nginx'],
);

export default stageCommand(spec, async () => (await import('../pipeline/orchestrator.js')).resume);
