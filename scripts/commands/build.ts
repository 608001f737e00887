import { stageCommand, stageSpec } from './pipeline-common.js';

const spec = stageSpec(
  'build',
  'Needs Terraform 1.10 or later on PATH and the huaweicloud provider 1.97.1 installable (checked in preflight). A version already built is a no-op that says so; a half-finished one points to resume. The image folder is read once, when the build starts.',
  ['HW_ACCESS_KEY=... HW_SECRET_KEY=... image-factory build nginx', 'image-factory build nginx --json --state-bucket my-tf-state'],
);

export default stageCommand(spec, async () => (await import('../pipeline/orchestrator.js')).build);
