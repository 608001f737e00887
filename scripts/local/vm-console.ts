/**
 * A local VM seen through the same interface as an ECS (status and serial console), so the
 * pipeline's own console follower (scripts/pipeline/guest.ts) watches a local try exactly as it
 * watches a cloud build: the same step events, timeouts and failure messages.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { EcsClient } from '../cloud/types.js';
import type { Vm } from './qemu.js';

export function readConsole(consoleFile: string): string {
  return existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : '';
}

export class VmConsoleClient implements EcsClient {
  constructor(private readonly vm: Vm, private readonly consoleFile: string) {}

  async getServer(): Promise<{ status: string }> {
    // A VM whose process ended is off: QEMU runs with -no-reboot, so a power-off ends it.
    return { status: this.vm.exitCode === undefined ? 'ACTIVE' : 'SHUTOFF' };
  }

  async stopServer(): Promise<void> {
    this.vm.kill();
  }

  async consoleOutput(_serverId: string, _region: string, length: number): Promise<string> {
    const lines = readConsole(this.consoleFile).split('\n');
    return lines.slice(-length - 1).join('\n');
  }
}
