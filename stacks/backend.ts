import { LocalBackend, type TerraformStack } from 'cdktf';

/** Where a stack keeps its Terraform state. */
export type StateBackend = { kind: 'local'; dir: string };

export const DEFAULT_STATE_DIR = '.image-factory/state';

/**
 * Local state by default, in one folder outside cdktf.out so a re-synth never loses it.
 */
export function configureBackend(stack: TerraformStack, stackName: string, backend: StateBackend = { kind: 'local', dir: DEFAULT_STATE_DIR }): void {
  // Terraform runs in cdktf.out/stacks/<stack>; the path is relative to that folder.
  new LocalBackend(stack, { path: `../../../${backend.dir}/${stackName}.tfstate` });
}
