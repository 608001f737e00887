import { build } from '../pipeline/orchestrator.js';
import { stageCommand } from './pipeline-common.js';

export default stageCommand(
  'build',
  'Build an image version: preflight, install on a sealed ECS, stop, capture, boot-test, copy to every target region, write dist/<image>/<version>/build.json.',
  build,
);
