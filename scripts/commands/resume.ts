import { resume } from '../pipeline/orchestrator.js';
import { stageCommand } from './pipeline-common.js';

export default stageCommand(
  'resume',
  'Continue an interrupted or failed build of the image\'s current version from its last completed stage (the checkpoint in .image-factory/builds/).',
  resume,
);
