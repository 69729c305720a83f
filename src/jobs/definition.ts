/**
 * Jobs are data: a name, a version, a payload schema and a handler. The runner
 * (./runner.ts) stores each run in job_runs and queues it in pg-boss; the handler gets a
 * context for reporting progress, saving a checkpoint to resume from after a crash, and
 * noticing cancellation.
 *
 * A handler must be safe to run again from its last checkpoint: a crash (or a lost lease)
 * re-runs the job from there. Work that must happen exactly once is written in the same
 * transaction as the checkpoint that records it: `ctx.inCampaign(tx => …)` plus
 * `ctx.reportProgress(done, total, checkpoint, { tx })`.
 */
import type { z } from 'zod';
import type { Database } from '../db/client.js';
import type { Tx } from '../db/scope.js';
import {
  DEFAULT_JOB_RETRY_BACKOFF,
  DEFAULT_JOB_RETRY_DELAY_SECONDS,
  DEFAULT_JOB_RETRY_LIMIT,
  isValidJobName,
  JOB_NAME_MAX_LENGTH,
} from '../domain/jobs.js';

export interface ProgressOptions {
  /**
   * Write the progress (and checkpoint) inside this transaction of the job's campaign, so it
   * commits or rolls back with the work it records. Never throttled.
   */
  tx?: Tx;
}

export interface JobContext<C = unknown> {
  readonly campaignId: string;
  readonly jobId: string;
  /** 1 on the first run; a retry or a resume after a crash counts up. */
  readonly attempt: number;
  /** The checkpoint last saved by an earlier attempt, or null on a fresh start. */
  readonly checkpoint: C | null;
  /** Aborted when cancellation is requested, the runner shuts down, or the run lost its lease. */
  readonly signal: AbortSignal;
  /** The database, for use cases that open their own transactions. */
  readonly database: Database;
  /**
   * Records progress. Without a checkpoint it is throttled (at most one write per progress
   * interval); with a checkpoint, or with `{ tx }`, it is written at once. Throws
   * JobCancelledError once cancellation has been requested (JobInterruptedError on shutdown).
   */
  reportProgress(done: number, total?: number | null, checkpoint?: C, options?: ProgressOptions): Promise<void>;
  /** Has cancellation been requested (as last seen by a progress write or heartbeat)? */
  isCancelled(): boolean;
  /** Runs fn in a transaction scoped to the job's campaign (row-level security applies). */
  inCampaign<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface JobDefinition<P = unknown, R = unknown, C = unknown> {
  readonly name: string;
  readonly version: number;
  readonly payload: z.ZodType<P>;
  /** Optional: validates a stored checkpoint before a resume; an invalid one starts afresh. */
  readonly checkpoint: z.ZodType<C> | undefined;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  readonly retryBackoff: boolean;
  // Method syntax on purpose: definitions of different payload types share one registry.
  handler(ctx: JobContext<C>, payload: P): Promise<R>;
}

/** Any job definition, whatever its payload, result and checkpoint types. */
export type AnyJobDefinition = JobDefinition<unknown, unknown, unknown>;

export interface DefineJobInput<S extends z.ZodType, R, C> {
  name: string;
  version: number;
  payload: S;
  checkpoint?: z.ZodType<C>;
  /** Attempts after the first; default DEFAULT_JOB_RETRY_LIMIT. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  handler: (ctx: JobContext<C>, payload: z.output<S>) => Promise<R>;
}

/**
 * Declares a job. Its result and checkpoints are stored as JSON: plain objects, arrays,
 * strings, numbers, booleans and null.
 *
 * - The payload is validated at enqueue (a failure names the field, e.g. "payload.limit"),
 *   stored as the schema's output, and parsed again when an attempt starts: a payload schema
 *   must accept its own output (no transforms that change a value's type).
 * - Checkpoints need a `checkpoint` schema (without one the checkpoint type is `never`); a
 *   stored checkpoint that fails it is dropped and the job starts afresh.
 * - Change the payload or checkpoint shape incompatibly by bumping `version`: each version
 *   has its own queue, so a runner only takes jobs whose version it knows.
 */
export function defineJob<S extends z.ZodType, R, C = never>(
  input: DefineJobInput<S, R, C>,
): JobDefinition<z.output<S>, R, C> {
  if (!isValidJobName(input.name)) {
    throw new Error(
      `job name "${input.name}" must be lower-case words joined by dots (at most ${JOB_NAME_MAX_LENGTH} characters)`,
    );
  }
  if (!Number.isInteger(input.version) || input.version < 1)
    throw new Error(`job ${input.name}: version must be a positive integer`);
  const retryLimit = input.retryLimit ?? DEFAULT_JOB_RETRY_LIMIT;
  if (!Number.isInteger(retryLimit) || retryLimit < 0)
    throw new Error(`job ${input.name}: retryLimit must be an integer >= 0`);
  const retryDelaySeconds = input.retryDelaySeconds ?? DEFAULT_JOB_RETRY_DELAY_SECONDS;
  if (!Number.isInteger(retryDelaySeconds) || retryDelaySeconds < 0) {
    throw new Error(`job ${input.name}: retryDelaySeconds must be an integer >= 0`);
  }
  const handler = input.handler;
  return {
    name: input.name,
    version: input.version,
    payload: input.payload as z.ZodType<z.output<S>>,
    checkpoint: input.checkpoint,
    retryLimit,
    retryDelaySeconds,
    retryBackoff: input.retryBackoff ?? DEFAULT_JOB_RETRY_BACKOFF,
    handler: (ctx, payload) => handler(ctx, payload),
  };
}

/** Thrown by reportProgress once cancellation was requested; the run ends as 'cancelled'. */
export class JobCancelledError extends Error {
  constructor() {
    super('the job was cancelled');
    this.name = 'JobCancelledError';
  }
}

/**
 * Thrown by reportProgress when the run must stop without an outcome: the runner is shutting
 * down (the job is put back in the queue) or another attempt has taken the job over.
 */
export class JobInterruptedError extends Error {
  constructor(readonly reason: 'shutdown' | 'lost') {
    super(reason === 'shutdown' ? 'the job runner is shutting down' : 'another attempt has taken over this job');
    this.name = 'JobInterruptedError';
  }
}

/**
 * A failure the handler explains itself. The message is stored with the job and shown to
 * staff, so it must not contain personal data. `retryable: false` skips remaining retries.
 */
export class JobError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { retryable?: boolean } = {}) {
    super(message);
    this.name = 'JobError';
    this.retryable = options.retryable ?? true;
  }
}
