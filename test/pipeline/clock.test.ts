import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ScaledClock, VirtualClock } from '../../scripts/pipeline/clock.js';

describe('clocks and abort signals', () => {
  it('VirtualClock: a finished sleep removes its abort listener (no MaxListenersExceededWarning)', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    for (let i = 0; i < 20; i++) await clock.sleep(1_000, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(clock.now() - Date.UTC(2026, 10, 28, 10, 0, 0)).toBe(20_000);
  });

  it('VirtualClock: an abort still rejects a pending sleep, and its timer is dropped', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    const pending = clock.sleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await clock.sleep(1_000);
    expect(clock.now() - Date.UTC(2026, 10, 28, 10, 0, 0)).toBe(1_000);
  });

  it('ScaledClock: the same holds', async () => {
    const clock = new ScaledClock(1_000_000);
    const ac = new AbortController();
    for (let i = 0; i < 20; i++) await clock.sleep(1_000, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});
