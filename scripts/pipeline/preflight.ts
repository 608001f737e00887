/**
 * Preflight: read-only checks that fail before anything is paid for. Credentials are checked
 * earlier still, when the command builds its cloud clients (scripts/cloud/credentials.ts).
 */
import type { LoadedImage } from '../../stacks/definition/load.js';
import { UserError } from '../../stacks/errors.js';
import type { Placement, PreflightClient } from '../cloud/types.js';

export interface PreflightInput {
  readonly image: LoadedImage;
  readonly client: PreflightClient;
  /** Regions that will receive a copy. */
  readonly copyRegions: readonly string[];
}

export async function preflight({ image, client, copyRegions }: PreflightInput): Promise<Placement> {
  const spec = image.spec;
  const problems: string[] = [];

  // A version built elsewhere (another machine, a lost checkpoint) is found by its tags.
  const existing = await client.findVersionImages(spec.buildRegion, image.name, spec.buildVersion);
  if (existing.length) {
    throw new UserError(`${image.name} ${spec.buildVersion} already has a private image in ${spec.buildRegion} (${existing.map((i) => `${i.id} "${i.name}"`).join(', ')}); versions are immutable: bump buildVersion in ${image.file}, or delete that image to rebuild`);
  }

  if (copyRegions.length && spec.build.agencyName && !(await client.agencyExists(spec.build.agencyName))) {
    problems.push(`build.agencyName: the IAM agency "${spec.build.agencyName}" does not exist; create it (IMS Administrator) or fix the name in ${image.file}; copies to ${copyRegions.join(', ')} need it`);
  }

  const regions = [spec.buildRegion, ...copyRegions];
  // Each region gets one new image: the build region the capture, the others a copy.
  const usage = await Promise.all(regions.map(async (r) => [r, await client.privateImageUsage(r)] as const));
  for (const [region, { used, quota }] of usage) {
    if (used >= quota) problems.push(`${region}: ${used} private images already, the quota is ${quota}; delete old images or raise the quota before building`);
  }

  const placement = await client.findPlacement(spec.buildRegion, spec.flavors);
  if (!placement) problems.push(`flavors: none of ${spec.flavors.join(', ')} is on sale in any availability zone of ${spec.buildRegion}; add another flavor to ${image.file}`);

  if (problems.length) throw new UserError(`preflight failed for ${image.name} ${spec.buildVersion}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return placement!;
}
