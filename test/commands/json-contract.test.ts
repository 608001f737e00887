/**
 * The published --json schema is the one the code's zod schemas make, and what the progress
 * sinks write validates against it (the commands themselves: json-contract.integration.test.ts).
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CLI_EVENTS_SCHEMA_FILE, cliEventsSchemaText } from '../../scripts/lib/write-cli-events-schema.js';
import { writeResult } from '../../scripts/lib/json-events.js';
import { JsonProgress, TerminalProgress } from '../../scripts/pipeline/progress.js';
import { validateCliLines } from '../support/cli-events.js';

const NOTICE = { service: 'ims', method: 'GET', path: '/v2/cloudimages', region: 'ap-southeast-3', error: 'HTTP 503 APIGW.0201 Service temporarily unavailable', attempt: 2, maxAttempts: 6, waitMs: 3400 } as const;

function captured(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('the --json contract', () => {
  it('cli-events.schema.json is what `npm run schemas` writes from the zod schemas', () => {
    expect(readFileSync(CLI_EVENTS_SCHEMA_FILE, 'utf8'), 'the published schema is stale: run `npm run schemas` and commit it').toBe(cliEventsSchemaText());
  });

  it('stage, note and retry lines from JsonProgress validate, and a result ends them', () => {
    const { out, text } = captured();
    const progress = new JsonProgress(out);
    progress.emit({ time: '2026-12-04T01:00:00.000Z', image: 'nginx', version: '1.0.0', buildId: 'b-1', stage: 'preflight', status: 'start' });
    progress.retry(NOTICE);
    progress.note('console tail');
    writeResult({ command: 'build', exitCode: 0, status: 'built', message: 'built nginx 1.0.0' }, out);
    const { events, result } = validateCliLines(text());
    expect(events.map((e) => e.type)).toEqual(['stage', 'retry', 'note']);
    expect(events[1]).toMatchObject(NOTICE);
    expect(result).toMatchObject({ command: 'build', status: 'built' });
  });

  it('a line outside the contract fails validation (an unknown type, a missing field)', () => {
    expect(() => validateCliLines('{"type":"result","time":"t","command":"x","exitCode":0,"status":"ok"}\n')).toThrow();
    expect(() => validateCliLines('{"type":"progress","time":"t"}\n{"type":"result","time":"t","command":"x","exitCode":0,"status":"ok","message":"m"}\n')).toThrow();
  });

  it('a retry on a terminal is one line: call, error, next attempt and wait', () => {
    const { out, text } = captured();
    const progress = new TerminalProgress(out as unknown as NodeJS.WriteStream, () => 0, false);
    progress.retry(NOTICE);
    expect(text()).toBe('  retrying ims GET /v2/cloudimages in ap-southeast-3: HTTP 503 APIGW.0201 Service temporarily unavailable; attempt 3 of 6 in 3.4 s\n');
  });
});
