import { describe, expect, it } from 'vitest';
import { formatEvent, parseConsole, parseLine, type ProtocolEvent } from '../stacks/guest/protocol.js';

describe('console protocol', () => {
  const events: ProtocolEvent[] = [
    { event: 'begin', mode: 'build', steps: 2 },
    { event: 'step', index: 1, total: 2, name: 'install-nginx', status: 'start' },
    { event: 'step', index: 1, total: 2, name: 'install-nginx', status: 'ok', seconds: 42 },
    { event: 'step', index: 2, total: 2, name: 'configure', status: 'fail', exitCode: 2, seconds: 3 },
    { event: 'log', index: 2, total: 2, text: 'E: Unable to locate package nginx-full = 100%' },
    { event: 'selfcheck', report: { passed: false, checks: [{ id: 'no-password-hash', status: 'fail' }] } },
    { event: 'result', result: 'failure', index: 2, total: 2, reason: 'step configure failed (exit 2)' },
  ];

  it.each(events)('round-trips %j', (e) => {
    const line = formatEvent(e);
    expect(line).toMatch(/^IMAGE-FACTORY event=\w+( [a-z]+=\S*)*$/);
    expect(parseLine(line)).toEqual(e);
  });

  it('finds lines behind console noise and ignores everything else', () => {
    const text = [
      '[   12.345678] cloud-init[812]: Cloud-init v. 23.1 running',
      `[   13.000000] ${formatEvent(events[0])}`,
      'IMAGE-FACTORY event=step step=x name=a status=ok',
      'IMAGE-FACTORY event=unknown',
      'IMAGE-FACTORY event=result result=maybe',
      `${formatEvent(events[2])}\r`,
      formatEvent({ event: 'result', result: 'success' }),
    ].join('\n');
    const summary = parseConsole(text);
    expect(summary.events).toHaveLength(3);
    expect(summary.lastStep).toMatchObject({ name: 'install-nginx', status: 'ok' });
    expect(summary.result).toEqual({ event: 'result', result: 'success' });
  });

  it('collects the failure log and the self-check report', () => {
    const summary = parseConsole(events.map(formatEvent).join('\n'));
    expect(summary.failureLog).toEqual(['E: Unable to locate package nginx-full = 100%']);
    expect(summary.selfcheck).toEqual(events[5].event === 'selfcheck' ? events[5].report : undefined);
    expect(summary.result?.result).toBe('failure');
  });

  it('keeps a value whose bytes are not valid UTF-8 (a cut multi-byte character) instead of dropping it', () => {
    // "é" is %C3%A9; the guest cut it after its first byte, then a valid "网" (%E7%BD%91) follows.
    const log = parseLine('IMAGE-FACTORY event=log step=1/2 text=caf%C3%20%E7%BD%91');
    expect(log).toEqual({ event: 'log', index: 1, total: 2, text: 'caf\uFFFD 网' });
    const report = parseLine(`IMAGE-FACTORY event=selfcheck report=${encodeURIComponent('{"passed":true,"checks":[{"id":"x","detail":"')}%C3${encodeURIComponent('"}]}')}`);
    expect(report).toEqual({ event: 'selfcheck', report: { passed: true, checks: [{ id: 'x', detail: '\uFFFD' }] } });
  });
});
