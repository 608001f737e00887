/**
 * The CLI's commands. Each lives in its own module, loaded only when it runs, so
 * `image-factory status` never pays for loading CDKTF, and the command list (`--help`) loads none.
 */
import type { CommandSpec } from '../lib/command-spec.js';

export interface Command {
  /** Its options, operands, environment, files and exit codes: the parser's input and `--help`. */
  readonly spec: CommandSpec;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  /** One line for `image-factory --help`. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  plan: {
    summary: 'Validate every image definition, synthesize all stacks and show what a build would create (no cloud account needed).',
    load: async () => (await import('./plan.js')).default,
  },
  manifest: {
    summary: 'Write the KooGallery manifest and the listing sheets (listing.md, listing.html) of an image.',
    load: async () => (await import('./manifest.js')).default,
  },
  template: {
    summary: 'Write the buyer launch template (Terraform JSON, README and template.zip for RFS) of an image, checked against the RFS rules.',
    load: async () => (await import('./template.js')).default,
  },
  build: {
    summary: 'Build an image version: preflight, install on a sealed ECS, stop, capture, boot-test, copy to every target region, write dist/<image>/<version>/build.json.',
    load: async () => (await import('./build.js')).default,
  },
  try: {
    summary: 'Rehearse a build locally: run the install steps in a QEMU VM with real cloud-init, self-check, boot the result and run the tests; writes dist/<image>/<version>/try.json.',
    load: async () => (await import('./try.js')).default,
  },
  resume: {
    summary: 'Continue an interrupted or failed build of the image\'s current version from its last completed stage (the checkpoint in .image-factory/builds/).',
    load: async () => (await import('./resume.js')).default,
  },
  distribute: {
    summary: 'Re-run only the cross-region copies of the built version: retry failed or missing regions, or add --regions; regions already done are never touched.',
    load: async () => (await import('./distribute.js')).default,
  },
  status: {
    summary: 'Show where each build of an image stands, per stage and per region (from the checkpoints; no cloud access).',
    load: async () => (await import('./status.js')).default,
  },
  'server-status': {
    summary: 'Print the ECS status of a server (e.g. the builder), or wait until it reaches one (--wait SHUTOFF).',
    load: async () => (await import('./server-status.js')).default,
  },
  sweep: {
    summary: 'Delete temporary resources (ECS, EIP, security group, subnet, VPC) whose build is not running and whose expiry tag has passed, in every region of the images\' sites.',
    load: async () => (await import('./sweep.js')).default,
  },
  env: {
    summary: 'Print (or run a command with) what Terraform needs to reach the cloud as the factory does: for the CDKTF CLI with IMAGE_FACTORY_PROXY, HTTPS_PROXY and the proxy\'s CA, absolute paths.',
    load: async () => (await import('./env.js')).default,
  },
  emulator: {
    summary: 'Serve a local Huawei Cloud (IAM, VPC, EIP, ECS, IMS, KooGallery, OBS) on 127.0.0.1 for tests and rehearsals, as an HTTPS proxy for the cloud\'s own hosts; prints the export line that points every command at it.',
    load: async () => (await import('./emulator.js')).default,
  },
};
