import { stageCommand } from './pipeline-common.js';

export default stageCommand(
  'resume',
  async () => (await import('../pipeline/orchestrator.js')).resume,
);
