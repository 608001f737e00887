import type { GuestBackend } from './guest.js';

export class ScriptedGuest implements GuestBackend {
  start(): void {}
  consoleLines(): string[] {
    return [];
  }
  poweredOffAt(): number | undefined {
    return undefined;
  }
  stop(): void {}
}
