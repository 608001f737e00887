/**
 * A build stopped mid-way (killed, crashed) leaves its builder or tester running, billed. Its
 * next `resume` deletes them, but only once the definition loads: edited into a broken state
 * meanwhile, it would not, and the machines stayed until `sweep` (after their expiry). This
 * deletes them without the definition, from the checkpoint and the build's own stack folders and
 * states (destroyLeftovers), under the version's lock, so a build still running is never touched.
 */
import type { Credentials } from '../cloud/credentials.js';
import { TerraformRunner, destroyLeftovers } from '../cloud/terraform-runner.js';
import type { StateBackend } from '../../stacks/backend.js';
import type { ProxyRoute } from '../../stacks/endpoint.js';
import type { CheckpointStore } from './checkpoint.js';

/**
 * One line per stopped build of `image` whose temporary machines were (or could not be) deleted,
 * and one per checkpoint that could not be read (skipped, left as it is).
 */
export async function cleanUpStoppedBuilds(image: string, o: { store: CheckpointStore; credentials: Credentials; backend: StateBackend; proxy?: ProxyRoute; outdir?: string; terraform?: string }): Promise<string[]> {
  const runner = new TerraformRunner({ credentials: o.credentials, backend: o.backend, proxy: o.proxy, outdir: o.outdir, terraform: o.terraform });
  const lines: string[] = [];
  const { checkpoints, damaged } = o.store.scan(image);
  for (const d of damaged) {
    // Its machines, if any, are unknown here: the other versions are still cleaned up.
    lines.push(`skipped ${d.path} (${d.reason}): kept as it is; machines its build may have left running are not known here, and \`image-factory sweep\` deletes them once they expire`);
  }
  for (const cp of checkpoints) {
    const builder = !cp.builderDestroyed && (cp.builder !== undefined || cp.stages.build.status !== 'pending') && cp.stages.capture.status !== 'done' ? ['builder' as const] : [];
    const tester = cp.tester && !cp.tester.destroyedAt ? ['tester' as const] : [];
    const kinds = [...builder, ...tester];
    if (!kinds.length || cp.result === 'succeeded') continue;
    let release: (() => void) | undefined;
    try {
      release = o.store.acquire(image, cp.version, cp.buildId, 'cleanup');
    } catch {
      continue; // Held by a live build: its machines are in use.
    }
    try {
      const { destroyed, missing } = await destroyLeftovers(runner, image, cp.version, kinds);
      if (destroyed.includes(`${image}-builder`)) cp.builderDestroyed = true;
      if (destroyed.includes(`${image}-tester`) && cp.tester) cp.tester.destroyedAt = new Date().toISOString();
      o.store.save(cp);
      if (destroyed.length) lines.push(`the stopped build ${cp.buildId} of ${image} ${cp.version} left ${destroyed.join(' and ')} running; deleted them from their saved stacks (the definition was not needed)`);
      if (missing.length) lines.push(`the stopped build ${cp.buildId} of ${image} ${cp.version} may have left ${missing.join(' and ')} running, and no stack synthesized for that version is left in cdktf.out: \`image-factory sweep\` deletes them once they expire`);
    } catch (err) {
      lines.push(`the stopped build ${cp.buildId} of ${image} ${cp.version} left machines running that could not be deleted (${(err as Error).message}); \`image-factory sweep\` deletes them once they expire`);
    } finally {
      release();
    }
  }
  return lines;
}
