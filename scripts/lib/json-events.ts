/**
 * The `--json` contract of every command: one JSON object per line on stdout, each with a
 * `type`, and always a last line of type `result` (exit code, status, message, next step), for
 * success, refusal, usage error and crash alike. The types are zod schemas here and a published
 * JSON Schema (cli-events.schema.json, kept equal to them by test/commands/json-contract.test.ts;
 * `npm run schemas` rewrites it).
 */
import { z } from 'zod';

const time = z.string().describe('ISO 8601 time of the event');

/** A build stage, region copy or step starting, progressing or ending (build, resume, distribute, try). */
const stageEvent = z.object({
  type: z.literal('stage'),
  time,
  image: z.string(),
  version: z.string(),
  buildId: z.string(),
  stage: z.string().describe('preflight, build, capture, test, distribute, record, cleanup, or a rehearsal stage of try'),
  status: z.enum(['start', 'progress', 'done', 'failed', 'skipped', 'info']),
  region: z.string().optional(),
  step: z.string().optional(),
  message: z.string().optional(),
  elapsedMs: z.number().optional(),
  startedAt: z.string().optional(),
}).strict();

/** A line that is not an event: a console tail, a hint. */
const noteEvent = z.object({ type: z.literal('note'), time, message: z.string() }).strict();

/** A Huawei Cloud API call that failed transiently and is sent again after `waitMs`. */
const retryEvent = z.object({
  type: z.literal('retry'),
  time,
  service: z.string(),
  method: z.string(),
  path: z.string(),
  region: z.string(),
  error: z.string().describe('what the failed attempt got: HTTP status and Huawei error code, or the network error'),
  attempt: z.number().int().describe('the attempt that failed, from 1'),
  maxAttempts: z.number().int(),
  waitMs: z.number(),
}).strict();

/** try: the guest's self-check report. */
const selfCheckEvent = z.object({ type: z.literal('selfcheck'), time, report: z.record(z.string(), z.unknown()) }).strict();

/** status: one build's checkpoint, and who holds its lock now (null when nobody). */
const checkpointEvent = z.object({
  type: z.literal('checkpoint'),
  time,
  checkpoint: z.record(z.string(), z.unknown()),
  running: z.object({ pid: z.number(), host: z.string(), buildId: z.string(), command: z.string(), since: z.string() }).strict().nullable(),
}).strict();

/** sweep: one tagged resource and what was done with it. */
const resourceEvent = z.object({
  type: z.literal('resource'),
  time,
  region: z.string(),
  resourceType: z.string(),
  id: z.string(),
  name: z.string().optional(),
  action: z.enum(['keep', 'delete']),
  reason: z.string(),
  deleted: z.boolean(),
  error: z.string().optional(),
}).strict();

/** sweep: a region whose tagged resources could not be listed. */
const regionErrorEvent = z.object({ type: z.literal('region-error'), time, region: z.string(), error: z.string() }).strict();

/** env: the variables Terraform needs for the cloud route. */
const envEvent = z.object({ type: z.literal('env'), time, variables: z.record(z.string(), z.string()) }).strict();

const RESULT_STATUSES = [
  // build, resume, distribute
  'built', 'already-built', 'partial', 'failed', 'interrupted',
  // try
  'passed',
  // every command
  'ok', 'refused', 'usage-error', 'crashed',
] as const;

/** The last line of every `--json` run. */
const resultEvent = z.object({
  type: z.literal('result'),
  time,
  command: z.string(),
  exitCode: z.number().int(),
  status: z.enum(RESULT_STATUSES).describe('refused: a user mistake or a refusal of the cloud, told in message; usage-error: a wrong command line; crashed: a defect of the tool (the stack trace is on stderr)'),
  message: z.string(),
  next: z.string().optional().describe('what to do now, when there is something to do'),
  image: z.string().optional(),
  version: z.string().optional(),
  imageIds: z.record(z.string(), z.string()).optional().describe('region -> image ID (build, resume, distribute)'),
  record: z.string().optional().describe('the build or rehearsal record written'),
  counts: z.record(z.string(), z.number()).optional().describe('status: builds; sweep: regions, resources, deleted, failed'),
}).strict();

const cliEventSchema = z.discriminatedUnion('type', [stageEvent, noteEvent, retryEvent, selfCheckEvent, checkpointEvent, resourceEvent, regionErrorEvent, envEvent, resultEvent]);

export type CliEvent = z.input<typeof cliEventSchema>;
type Untimed<T> = T extends unknown ? Omit<T, 'time'> : never;
export type ResultEvent = Omit<z.input<typeof resultEvent>, 'type' | 'time'>;

/** The JSON Schema of one line (draft 2020-12), as published in cli-events.schema.json. */
export function cliEventsJsonSchema(): Record<string, unknown> {
  return {
    title: 'image-factory --json: one line',
    ...z.toJSONSchema(cliEventSchema, { target: 'draft-2020-12' }),
  };
}

let resultWritten = false;

/** Writes one event line on stdout. */
export function writeEvent(event: Untimed<CliEvent>, out: NodeJS.WritableStream = process.stdout): void {
  if (event.type === 'result') resultWritten = true;
  const { type, ...fields } = event;
  out.write(`${JSON.stringify({ type, time: new Date().toISOString(), ...fields })}\n`);
}

export function writeResult(result: ResultEvent, out: NodeJS.WritableStream = process.stdout): void {
  writeEvent({ type: 'result', ...result }, out);
}

/** Whether this process already ended its output with a result (the CLI adds one otherwise). */
export function resultWasWritten(): boolean {
  return resultWritten;
}
