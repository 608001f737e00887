import { describe, expect, it } from 'vitest';
import { CONSOLE_LINES, type EcsClient } from '../../scripts/cloud/types.js';
import { VirtualClock } from '../../scripts/pipeline/clock.js';
import { followGuest } from '../../scripts/pipeline/guest.js';
import { formatEvent } from '../../stacks/guest/protocol.js';

describe('followGuest console reads', () => {
  it('asks for CONSOLE_LINES lines per poll, the same count the ECS client uses by default', async () => {
    const lengths: number[] = [];
    let polls = 0;
    const ecs: EcsClient = {
      getServer: async () => ({ status: 'ACTIVE' }),
      stopServer: async () => {},
      consoleOutput: async (_id, _region, length) => {
        lengths.push(length);
        polls += 1;
        return polls < 3 ? '' : [formatEvent({ event: 'begin', mode: 'build', steps: 0 }), formatEvent({ event: 'result', result: 'success' })].join('\n');
      },
    };
    await followGuest({ ecs, clock: new VirtualClock(), serverId: 'srv-1', region: 'ap-southeast-3', steps: [], overallTimeoutMs: 600_000, pollIntervalMs: 1_000, onStep: () => {} });
    expect(CONSOLE_LINES).toBe(500);
    expect(lengths).toEqual([CONSOLE_LINES, CONSOLE_LINES, CONSOLE_LINES]);
  });
});
