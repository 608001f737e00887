/**
 * Asynchronous jobs, as ECS and IMS run them: a create or delete answers at once with a
 * `job_id`, and `GET /v1/{project_id}/jobs/{job_id}` shows it RUNNING until its modelled
 * duration has passed, then SUCCESS (its `entities` filled in) or FAIL (`fail_reason`,
 * `error_code`). ECS and IMS share that path and its answer shape:
 * https://support.huaweicloud.com/intl/en-us/api-ecs/ecs_02_0901.html ("Querying Task Execution Status"),
 * https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0301.html ("Querying the Status of an Asynchronous Job").
 * What a job does when it ends is a named finisher, so the job itself stays plain JSON.
 */
import { ApiError } from './errors.js';
import type { EmuContext, ServiceModule } from './types.js';

export interface JobRecord {
  job_id: string;
  job_type: string;
  region: string;
  project_id: string;
  status: 'INIT' | 'RUNNING' | 'SUCCESS' | 'FAIL';
  begin_time: string;
  end_time?: string;
  entities: Record<string, any>;
  error_code?: string;
  fail_reason?: string;
  /** Emulated ms when it began (begin_time is whole seconds, as Huawei's). */
  beganAt?: number;
  /** Emulated ms when it ends. */
  doneAt: number;
  /** What the finisher needs. */
  payload: Record<string, any>;
  /** Set at creation by an injected job fault: the job fails with it when it ends. */
  failWith?: { code: string; message: string };
}

/** Does the job's work; returns an error to fail it instead. */
export type Finisher = (job: JobRecord, ctx: EmuContext) => { code: string; message: string } | void;

/** Huawei's job times: "2026-11-30T17:00:00.000Z" (UTC, ISO 8601). */
export const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Jobs {
  private readonly finishers = new Map<string, Finisher>();

  register(jobType: string, finisher: Finisher): void {
    this.finishers.set(jobType, finisher);
  }

  /** Starts a job; an injected job fault for its type and region makes it fail when it ends. */
  start(ctx: EmuContext, job: { type: string; region: string; durationMs: number; payload?: Record<string, any>; entities?: Record<string, any>; faultRegion?: string }): JobRecord {
    const a = ctx.account;
    const fault = ctx.faults.takeJob(job.type, job.faultRegion ?? job.region);
    const record: JobRecord = {
      job_id: a.newHexId(),
      job_type: job.type,
      region: job.region,
      project_id: a.projectOf(job.region) ?? '',
      status: 'RUNNING',
      begin_time: isoTime(ctx.now),
      beganAt: ctx.now,
      entities: job.entities ?? {},
      doneAt: ctx.now + Math.max(0, job.durationMs),
      payload: job.payload ?? {},
      ...(fault ? { failWith: { code: fault.code, message: fault.message } } : {}),
    };
    a.data.jobs[record.job_id] = record;
    a.touch();
    return record;
  }

  get(ctx: EmuContext, id: string): JobRecord | undefined {
    return ctx.account.data.jobs[id];
  }

  /** Ends every job whose time has come, in the order they end. */
  settle(ctx: EmuContext): void {
    const due = Object.values(ctx.account.data.jobs).filter((j) => j.status === 'RUNNING' && j.doneAt <= ctx.now).sort((x, y) => x.doneAt - y.doneAt);
    for (const job of due) {
      const failure = job.failWith ?? this.finishers.get(job.job_type)?.(job, ctx) ?? undefined;
      job.status = failure ? 'FAIL' : 'SUCCESS';
      job.end_time = isoTime(job.doneAt);
      if (failure) {
        job.error_code = failure.code;
        job.fail_reason = failure.message;
        this.finishers.get(`${job.job_type}:failed`)?.(job, ctx);
      }
      ctx.account.touch();
    }
  }

  /** The one route: ECS and IMS jobs share `GET /v1/{project_id}/jobs/{job_id}`. */
  module(): ServiceModule {
    return {
      routes: [{
        service: 'ecs', method: 'GET', path: '/v1/{project_id}/jobs/{job_id}',
        handler: (req, ctx) => {
          const job = this.get(ctx, req.params.job_id);
          if (!job || job.project_id !== req.projectId) throw new ApiError(404, 'Ecs.0012', `job ${req.params.job_id} does not exist`, 'nested');
          const { doneAt: _d, payload: _p, failWith: _f, region: _r, project_id: _pr, ...visible } = job;
          return { status: 200, body: visible };
        },
      }],
    };
  }
}
