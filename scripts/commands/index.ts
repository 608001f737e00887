/**
 * The CLI's commands. Each lives in its own module, loaded only when it runs, so
 * `image-factory status` never pays for loading CDKTF.
 */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

export const COMMANDS: Record<string, () => Promise<Command>> = {
  plan: async () => (await import('./plan.js')).default,
  manifest: async () => (await import('./manifest.js')).default,
  template: async () => (await import('./template.js')).default,
  build: async () => (await import('./build.js')).default,
  try: async () => (await import('./try.js')).default,
  resume: async () => (await import('./resume.js')).default,
  distribute: async () => (await import('./distribute.js')).default,
  status: async () => (await import('./status.js')).default,
  'server-status': async () => (await import('./server-status.js')).default,
  sweep: async () => (await import('./sweep.js')).default,
  emulator: async () => (await import('./emulator.js')).default,
};
