/** The scripted guest: the console the factory's runner would print, for each scenario, read through ECS console output. */
import { describe, expect, it } from 'vitest';
import { parseConsole } from '../../stacks/guest/protocol.js';
import { parseSelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';
import { planOfUserData } from '../../scripts/emulator/scripted-guest.js';
import { createServer, nginxStepNames, nginxUserData, REGION, emulatorWithNetwork } from './compute-fixtures.js';

const D = DEFAULT_DURATIONS;
const STEP = D.stepMs as number;

/** The scripted tester's audit phase (scripts/emulator/scripted-guest.ts). */
const AUDIT_MS = 5_000;

describe('scripted guest', () => {
  const ctx = emulatorWithNetwork();

  const status = (id: string) => ctx.emu.api().request<{ server: { status: string } }>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}', params: { id } }).then((r) => r.server.status);
  const consoleOf = (id: string) => ctx.emu.api().request<{ output: string }>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}/console-output', params: { id }, query: { length: 500 } }).then((r) => r.output);
  const boot = async (mode: 'build' | 'test') => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net, { userData: await nginxUserData(mode) });
    ctx.clock.advance(D.serverCreateMs);
    return serverId;
  };

  it('reads the plan out of the real gzip cloud-config user_data', async () => {
    const plan = planOfUserData(await nginxUserData('build'));
    expect(plan).toMatchObject({ mode: 'build', buildId: 'nginx-20261128-1' });
    expect(plan!.steps.map((s) => s.name)).toEqual(await nginxStepNames('build'));
    expect(planOfUserData(Buffer.from('#!/bin/sh\necho hi\n').toString('base64'))).toBeUndefined();
  });

  it('success (build): kernel lines, begin, every step over time, sanitize, a passing self-check, success, then SHUTOFF after powerOffMs', async () => {
    const names = await nginxStepNames('build');
    const id = await boot('build');
    const early = await consoleOf(id);
    expect(early).toMatch(/Linux version/);
    expect(parseConsole(early).events).toEqual([]);
    ctx.clock.advance(D.bootMs + 2_000 + STEP / 2);
    const midway = parseConsole(await consoleOf(id));
    expect(midway.events[0]).toEqual({ event: 'begin', mode: 'build', steps: names.length, buildId: 'nginx-20261128-1' });
    expect(midway.lastStep).toMatchObject({ index: 1, name: names[0], status: 'start' });
    ctx.clock.advance(STEP * names.length - STEP / 2 + 24_000);
    const done = parseConsole(await consoleOf(id));
    expect(done.events.filter((e) => e.event === 'step' && e.status === 'ok').map((e) => (e as { name: string }).name)).toEqual(names);
    expect(done.events.filter((e) => e.event === 'phase').map((e) => `${(e as { name: string }).name}:${(e as { status: string }).status}`)).toEqual(['wait-cloud-init:start', 'wait-cloud-init:ok', 'sanitize:start', 'sanitize:ok', 'selfcheck:start', 'selfcheck:ok', 'sbom:start', 'sbom:ok']);
    expect(parseSelfCheckReport(done.selfcheck).passed).toBe(true);
    expect(done.result).toEqual({ event: 'result', result: 'success' });
    expect(await status(id)).toBe('ACTIVE');
    ctx.clock.advance(D.powerOffMs);
    expect(await status(id)).toBe('SHUTOFF');
  });

  it('success (test mode): the first-boot audit, then the steps, then success; no sanitize or self-check', async () => {
    const id = await boot('test');
    ctx.clock.advance(D.bootMs + 2_000 + AUDIT_MS + STEP * (await nginxStepNames('test')).length);
    const s = parseConsole(await consoleOf(id));
    expect(s.result?.result).toBe('success');
    expect(s.selfcheck).toBeUndefined();
    const audit = parseSelfCheckReport(s.audit);
    expect(audit.passed).toBe(true);
    expect(audit.checks.map((c) => c.id)).toContain('sshd-authorized-keys-files');
    expect(s.events.findIndex((e) => e.event === 'audit')).toBeLessThan(s.events.findIndex((e) => e.event === 'step'));
  });

  it('audit-fail: the tester reports the failing audit check and fails before any test step', async () => {
    await ctx.emu.config({ guest: { outcome: 'audit-fail' } });
    const id = await boot('test');
    ctx.clock.advance(3 * 3600_000);
    const s = parseConsole(await consoleOf(id));
    const audit = parseSelfCheckReport(s.audit);
    expect(audit.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['no-authorized-keys']);
    expect(s.result).toMatchObject({ result: 'failure' });
    expect(s.result?.reason).toMatch(/first-boot audit.*no-authorized-keys/);
    expect(s.events.some((e) => e.event === 'step')).toBe(false);
    expect(await status(id)).toBe('SHUTOFF');
  });

  it('step-fail: the step exits 2 with log lines, the result names it, and the runner still powers off', async () => {
    const names = await nginxStepNames('build');
    await ctx.emu.config({ guest: { outcome: 'step-fail', step: names[0] } });
    const id = await boot('build');
    ctx.clock.advance(D.bootMs + 2_000 + STEP);
    const s = parseConsole(await consoleOf(id));
    expect(s.lastStep).toMatchObject({ index: 1, status: 'fail', exitCode: 2, seconds: STEP / 1000 });
    expect(s.failureLog).toHaveLength(2);
    expect(s.result).toMatchObject({ result: 'failure', index: 1, reason: `step ${names[0]}: fail (exit 2 after ${STEP / 1000}s)` });
    ctx.clock.advance(D.powerOffMs);
    expect(await status(id)).toBe('SHUTOFF');
  });

  it('selfcheck-fail: a report with a failing check, result failure naming it', async () => {
    await ctx.emu.config({ guest: { outcome: 'selfcheck-fail' } });
    const id = await boot('build');
    ctx.clock.advance(3 * 3600_000);
    const s = parseConsole(await consoleOf(id));
    const report = parseSelfCheckReport(s.selfcheck);
    expect(report.passed).toBe(false);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['no-password-hash']);
    expect(s.result).toMatchObject({ result: 'failure', reason: 'self-check failed: no-password-hash' });
    expect(await status(id)).toBe('SHUTOFF');
  });

  it('silent: prints nothing and never powers off; hang: the step starts and never ends', async () => {
    await ctx.emu.config({ guest: { outcome: 'silent' } });
    const silent = await boot('build');
    ctx.clock.advance(5 * 3600_000);
    expect(await consoleOf(silent)).toBe('');
    expect(await status(silent)).toBe('ACTIVE');

    await ctx.emu.config({ guest: { outcome: 'hang', step: '1' } });
    const hang = await boot('build');
    ctx.clock.advance(5 * 3600_000);
    const s = parseConsole(await consoleOf(hang));
    expect(s.lastStep).toMatchObject({ index: 1, status: 'start' });
    expect(s.result).toBeUndefined();
    expect(await status(hang)).toBe('ACTIVE');
  });

  it('poweroff: the machine goes SHUTOFF during the step without a result; the scenario can be limited to one mode', async () => {
    await ctx.emu.config({ guest: { outcome: 'poweroff', mode: 'build' } });
    const id = await boot('build');
    ctx.clock.advance(3 * 3600_000);
    const s = parseConsole(await consoleOf(id));
    expect(s.result).toBeUndefined();
    expect(s.lastStep?.status).toBe('start');
    expect(await status(id)).toBe('SHUTOFF');
    const tester = await boot('test');
    ctx.clock.advance(3 * 3600_000);
    expect(parseConsole(await consoleOf(tester)).result?.result).toBe('success');
  });

  it('user_data that is not the factory\'s: the guest boots, prints kernel lines and stays up', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net, { userData: Buffer.from('#cloud-config\nruncmd: [ls]\n').toString('base64') });
    ctx.clock.advance(D.serverCreateMs + D.bootMs + 3600_000);
    const text = await consoleOf(serverId);
    expect(text).toMatch(/login: $/m);
    expect(parseConsole(text).events).toEqual([]);
    expect(await status(serverId)).toBe('ACTIVE');
  });
});
