import { stageCommand } from './pipeline-common.js';

export default stageCommand(
  'build',
  async () => (await import('../pipeline/orchestrator.js')).build,
);
