/**
 * Discrete-event time for tests whose cloud is the in-process emulator: a VirtualClock that
 * holds still while an HTTP call (the real clients use node:http through axios) is in flight,
 * so a poll never sees time jump ahead of the answer it waits for. Calls parked by an
 * injected latency fault are waiting for time itself, so they do not hold it.
 */
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { VirtualClock } from '../../scripts/pipeline/clock.js';
import { parkedCalls } from '../../scripts/emulator/server.js';

let inFlight = 0;
let subscribed = false;

function track(): void {
  if (subscribed) return;
  subscribed = true;
  dc.subscribe('http.client.request.start', (message) => {
    const request = (message as { request: ClientRequest }).request;
    inFlight += 1;
    let done = false;
    request.once('close', () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    });
  });
}

/** Resolves once every call on the wire is parked (sleeping on the clock or hung by a fault). */
export async function settledCalls(): Promise<void> {
  while (inFlight > parkedCalls()) await new Promise((r) => setTimeout(r, 1));
}

/** True while a call of ours is on the wire (the clock must not move). */
export function loopbackHold(): boolean {
  track();
  return inFlight > parkedCalls();
}

export function loopbackClock(start?: number): VirtualClock {
  track();
  return new VirtualClock(start, loopbackHold);
}
