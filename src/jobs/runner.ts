/**
 * The job runner. A job is two rows written in one transaction with its `job.queued` audit
 * event: a job_runs row (the campaign's record: status, progress, checkpoint, result) and a
 * pg-boss job (the queue entry, carrying only ids). On PGlite pg-boss runs in this process
 * over the same single connection; on PostgreSQL several processes may run the same queues,
 * and pg-boss's SKIP LOCKED fetch hands each job to one of them.
 *
 * Durability and "never twice":
 *  - every attempt is numbered (job_runs.attempts); each write an attempt makes — progress,
 *    heartbeat, outcome — is guarded by its number, so a stale attempt can write nothing;
 *  - a running job's heartbeat extends its pg-boss lease; if the process dies, the lease runs
 *    out, pg-boss's maintenance fails the job and retries it, and the next attempt starts from
 *    the last checkpoint;
 *  - an outcome (status, audit event `job.finished`, pg-boss state) is one transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { Database } from '../db/client.js';
import { inCampaign, type Tx } from '../db/scope.js';
import type { JobRunRow } from '../db/schema.js';
import { appendAuditEvent } from '../app/audit.js';
import type { AuditActor } from '../domain/audit.js';
import { invalid, isAppError, notFound } from '../domain/errors.js';
import {
  canTransitionJob,
  isTerminalJobStatus,
  JOB_ERROR_CODES,
  type JobErrorCode,
  type JobStatus,
  type TerminalJobStatus,
} from '../domain/jobs.js';
import {
  createBoss,
  extendLease,
  isBossJobData,
  listStartedWaitingJobs,
  lockBossJob,
  PGBOSS_SCHEMA_VERSION,
  queueName,
  releaseJob,
  SETTLE_QUEUE,
  spendRetries,
  txExecutor,
  type BossJobData,
} from './boss.js';
import {
  JobCancelledError,
  JobError,
  JobInterruptedError,
  type AnyJobDefinition,
  type JobContext,
  type ProgressOptions,
} from './definition.js';
import {
  jsonOrNull,
  lockJobRun,
  toJobRun,
  writeProgress,
  type GuardedWriteResult,
  type JobRun,
  type ProgressWrite,
} from './job-runs.js';

export type { JobRun } from './job-runs.js';

export interface JobLogger {
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
  error(data: Record<string, unknown>, message: string): void;
}

const consoleLogger: JobLogger = {
  info: () => undefined,
  warn: (data, message) => console.warn(`[jobs] ${message}`, data),
  error: (data, message) => console.error(`[jobs] ${message}`, data),
};

export interface JobRunnerOptions {
  db: Database;
  jobs: readonly AnyJobDefinition[];
  logger?: JobLogger;
  /** How often idle queues are polled. Default 2000 ms. */
  pollIntervalMs?: number;
  /** Jobs run at once by this runner. Default 2. */
  concurrency?: number;
  /**
   * A running job's lease: its heartbeat (every third of it) pushes the lease on; if the
   * process dies the job is retried once the lease has run out and maintenance has run.
   * Default 60 s.
   */
  leaseSeconds?: number;
  /** How often pg-boss's maintenance (expiring jobs whose lease ran out, archiving) runs. Default 60 s. */
  maintenanceIntervalSeconds?: number;
  /** At most one throttled progress write per this many ms. Default 1000. */
  progressIntervalMs?: number;
}

export interface EnqueueInput {
  campaignId: string;
  name: string;
  payload: unknown;
  /** The staff member who asked for it, if any. */
  createdBy: string | null;
  actor: AuditActor;
  /**
   * Enqueue inside the caller's transaction of the same campaign, so the job exists exactly
   * when the caller's change commits.
   */
  tx?: Tx;
}

export interface StopOptions {
  /** Let running jobs finish (up to timeoutMs) before interrupting them. Default true. */
  graceful?: boolean;
  timeoutMs?: number;
}

export interface ListJobsOptions {
  status?: JobStatus;
  limit?: number;
}

export interface JobRunner {
  start(): Promise<void>;
  stop(options?: StopOptions): Promise<void>;
  enqueue(input: EnqueueInput): Promise<JobRun>;
  requestCancel(campaignId: string, jobId: string, actor: AuditActor): Promise<JobRun>;
  getJob(campaignId: string, jobId: string): Promise<JobRun | null>;
  listJobs(campaignId: string, options?: ListJobsOptions): Promise<JobRun[]>;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  return new Runner(options);
}

/** The actor of the audit events the runner writes itself. */
export const JOB_RUNNER_ACTOR: AuditActor = { type: 'system', id: 'job-runner' };

/** How long an interrupted handler gets to notice before stop() returns anyway. */
const ABORT_GRACE_MS = 5_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

type StopReason = 'cancelled' | 'shutdown' | 'lost';

interface ActiveRun {
  definition: AnyJobDefinition;
  queue: string;
  bossId: string;
  retryCount: number;
  retryLimit: number;
  campaignId: string;
  jobId: string;
  attempt: number;
  controller: AbortController;
  stopReason: StopReason | null;
  cancelRequested: boolean;
  pending: ProgressWrite | null;
  lastWriteAt: number;
  /** Serializes this run's own-transaction writes (throttled progress and heartbeats). */
  writes: Promise<unknown>;
  beating: boolean;
}

type Outcome =
  | { kind: 'completed'; result: unknown }
  | { kind: 'cancelled' }
  | { kind: 'failed'; code: JobErrorCode; message: string; retryable: boolean }
  | { kind: 'released' }
  | { kind: 'lost' };

function mergeProgress(a: ProgressWrite | null, b: ProgressWrite): ProgressWrite {
  return a === null ? b : { ...a, ...b };
}

/** A timer that does not keep the process alive (shutdown races it against running jobs). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

class Runner implements JobRunner {
  readonly #db: Database;
  readonly #log: JobLogger;
  readonly #boss: PgBoss;
  /** Highest version of each name: what enqueue creates. */
  readonly #latest = new Map<string, AnyJobDefinition>();
  readonly #byQueue = new Map<string, AnyJobDefinition>();
  readonly #pollIntervalMs: number;
  readonly #concurrency: number;
  readonly #leaseSeconds: number;
  readonly #progressIntervalMs: number;
  readonly #txScope = new AsyncLocalStorage<{ jobId: string; tx: Tx }>();
  readonly #active = new Set<Promise<void>>();
  readonly #running = new Map<string, ActiveRun>();
  #started = false;
  #stopping = false;
  #loop: Promise<void> | null = null;
  #wakeUp: (() => void) | null = null;

  constructor(options: JobRunnerOptions) {
    this.#db = options.db;
    this.#log = options.logger ?? consoleLogger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.#concurrency = options.concurrency ?? 2;
    this.#leaseSeconds = options.leaseSeconds ?? 60;
    this.#progressIntervalMs = options.progressIntervalMs ?? 1_000;
    if (!(this.#concurrency >= 1)) throw new Error('concurrency must be at least 1');
    if (!(this.#leaseSeconds >= 1)) throw new Error('leaseSeconds must be at least 1');
    for (const job of options.jobs) {
      const queue = queueName(job);
      if (this.#byQueue.has(queue)) throw new Error(`job ${job.name} version ${job.version} is defined twice`);
      this.#byQueue.set(queue, job);
      const latest = this.#latest.get(job.name);
      if (!latest || latest.version < job.version) this.#latest.set(job.name, job);
    }
    this.#boss = createBoss(this.#db, {
      supervise: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    });
    this.#boss.on('error', (error) => this.#log.error({ err: error }, 'pg-boss reported an error'));
  }

  // -------------------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.#started) return;
    try {
      await this.#boss.start();
    } catch (error) {
      throw new Error(
        `the job queue is not installed or is out of date (${(error as Error).message}): run \`canvass migrate\``,
      );
    }
    this.#started = true;
    this.#stopping = false;
    try {
      const version = Number(await this.#boss.schemaVersion());
      if (version !== PGBOSS_SCHEMA_VERSION) {
        throw new Error(`pg-boss schema version ${version} is not the expected ${PGBOSS_SCHEMA_VERSION}`);
      }
      await this.#ensureQueues();
      await this.#recover();
    } catch (error) {
      await this.#boss.stop({ graceful: false, close: false });
      this.#started = false;
      throw error;
    }
    this.#loop = this.#poll();
  }

  async stop(options: StopOptions = {}): Promise<void> {
    if (!this.#started) return;
    this.#stopping = true;
    this.#wake();
    await this.#loop;
    this.#loop = null;
    if (options.graceful ?? true) {
      await Promise.race([
        Promise.allSettled([...this.#active]),
        delay(options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS),
      ]);
    }
    for (const run of this.#running.values()) this.#abort(run, 'shutdown');
    await Promise.race([Promise.allSettled([...this.#active]), delay(ABORT_GRACE_MS)]);
    await this.#boss.stop({ graceful: false, close: false });
    this.#started = false;
  }

  async #ensureQueues(): Promise<void> {
    for (const queue of [SETTLE_QUEUE, ...this.#byQueue.keys()]) {
      if (await this.#boss.getQueue(queue)) continue;
      try {
        await this.#boss.createQueue(queue, { name: queue, policy: 'standard' });
      } catch (error) {
        throw new Error(
          `job queue "${queue}" is missing and could not be created (${(error as Error).message}): run \`canvass migrate\``,
        );
      }
    }
  }

  /**
   * After a crash: expire jobs whose lease ran out now rather than at the next maintenance,
   * and mark 'queued' again the runs left 'running' whose pg-boss job is waiting for
   * another attempt (their process died). Runs whose job failed for good are settled by
   * the dead-letter queue.
   */
  async #recover(): Promise<void> {
    await this.#boss.expire();
    const waiting = await listStartedWaitingJobs(this.#db, [...this.#byQueue.keys()]);
    for (const job of waiting) {
      if (!isBossJobData(job.data)) continue;
      const { campaignId, jobId } = job.data;
      await inCampaign(this.#db, campaignId, async (tx) => {
        const state = await lockBossJob(tx, job.queue, job.id);
        if (state !== 'created' && state !== 'retry') return; // taken meanwhile
        const row = await lockJobRun(tx, campaignId, jobId);
        if (row?.status !== 'running') return;
        await tx
          .updateTable('job_runs')
          .set({ status: 'queued' })
          .where('campaign_id', '=', campaignId)
          .where('job_id', '=', jobId)
          .execute();
        this.#log.warn(
          { jobId, campaignId, name: row.name, attempt: row.attempts },
          'recovered a job whose last attempt died',
        );
      });
    }
  }

  #wake(): void {
    const wake = this.#wakeUp;
    this.#wakeUp = null;
    wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wakeUp = null;
        resolve();
      }, ms);
      this.#wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async #poll(): Promise<void> {
    const queues = [SETTLE_QUEUE, ...this.#byQueue.keys()];
    let offset = 0;
    while (!this.#stopping) {
      let fetched = false;
      try {
        for (let i = 0; i < queues.length && !this.#stopping; i++) {
          if (this.#active.size >= this.#concurrency) break;
          const queue = queues[(offset + i) % queues.length]!;
          const [job] = await this.#boss.fetch<unknown>(queue, { batchSize: 1, includeMetadata: true });
          if (job) {
            fetched = true;
            this.#spawn(queue, job);
          }
        }
      } catch (error) {
        this.#log.error({ err: error }, 'fetching jobs failed');
      }
      offset = (offset + 1) % queues.length;
      if (!this.#stopping && (!fetched || this.#active.size >= this.#concurrency))
        await this.#sleep(this.#pollIntervalMs);
    }
  }

  #spawn(queue: string, job: PgBoss.JobWithMetadata<unknown>): void {
    const work = this.#process(queue, job)
      .catch((error: unknown) => this.#log.error({ err: error, queue, bossId: job.id }, 'processing a job failed'))
      .finally(() => {
        this.#active.delete(work);
        this.#wake();
      });
    this.#active.add(work);
  }

  async #process(queue: string, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    if (!isBossJobData(job.data)) {
      this.#log.error({ queue, bossId: job.id }, 'a queued job carries no campaign and job id; dropping it');
      await this.#boss.complete(queue, job.id);
      return;
    }
    if (queue === SETTLE_QUEUE) return this.#settle(job, job.data);
    const definition = this.#byQueue.get(queue);
    if (!definition) return; // cannot happen: we fetch only our queues
    return this.#run(definition, queue, job, job.data);
  }

  // -------------------------------------------------------------------------------------
  // Running one attempt
  // -------------------------------------------------------------------------------------

  async #run(
    definition: AnyJobDefinition,
    queue: string,
    job: PgBoss.JobWithMetadata<unknown>,
    data: BossJobData,
  ): Promise<void> {
    const claim = await this.#claim(definition, queue, job, data);
    if (!claim) return;
    const run: ActiveRun = {
      definition,
      queue,
      bossId: job.id,
      retryCount: job.retryCount,
      retryLimit: job.retryLimit,
      campaignId: data.campaignId,
      jobId: data.jobId,
      attempt: claim.attempt,
      controller: new AbortController(),
      stopReason: null,
      cancelRequested: false,
      pending: null,
      lastWriteAt: Date.now(),
      writes: Promise.resolve(),
      beating: false,
    };
    this.#running.set(run.jobId, run);
    const heartbeat = setInterval(() => this.#heartbeat(run), Math.max(200, (this.#leaseSeconds * 1000) / 3));
    const context: JobContext<unknown> = {
      campaignId: run.campaignId,
      jobId: run.jobId,
      attempt: run.attempt,
      checkpoint: claim.checkpoint,
      signal: run.controller.signal,
      database: this.#db,
      reportProgress: (done, total, checkpoint, options) => this.#reportProgress(run, done, total, checkpoint, options),
      isCancelled: () => run.cancelRequested,
      inCampaign: (fn) =>
        inCampaign(this.#db, run.campaignId, (tx) => this.#txScope.run({ jobId: run.jobId, tx }, () => fn(tx))),
    };
    let outcome: Outcome;
    try {
      outcome = { kind: 'completed', result: await definition.handler(context, claim.payload) };
    } catch (error) {
      outcome = this.#classify(run, error);
    } finally {
      clearInterval(heartbeat);
      await run.writes.catch(() => undefined);
      this.#running.delete(run.jobId);
    }
    await this.#finish(run, outcome);
  }

  /** Marks the run 'running' under a new attempt number, or settles it if it must not run. */
  async #claim(
    definition: AnyJobDefinition,
    queue: string,
    job: PgBoss.JobWithMetadata<unknown>,
    data: BossJobData,
  ): Promise<{ attempt: number; payload: unknown; checkpoint: unknown } | null> {
    return inCampaign(this.#db, data.campaignId, async (tx) => {
      const row = await lockJobRun(tx, data.campaignId, data.jobId);
      // pg-boss 10's types offer complete(name, id, options) but at run time the third
      // argument is the output: always pass (name, id, output, { db }) inside a transaction,
      // or the statement goes to the pool and waits for the connection this one holds.
      const queueDb = { db: txExecutor(tx) };
      if (!row) {
        this.#log.warn({ ...data, queue }, 'a queued job has no job_runs row; dropping it');
        await this.#boss.complete(queue, job.id, {}, queueDb);
        return null;
      }
      const status = row.status as JobStatus;
      if (isTerminalJobStatus(status)) {
        await this.#settleBossJob(tx, queue, job.id, status);
        return null;
      }
      if (row.cancel_requested_at !== null) {
        await this.#finishRow(tx, row, 'cancelled', {});
        await this.#boss.cancel(queue, job.id, queueDb);
        return null;
      }
      const payload = definition.payload.safeParse(row.payload);
      if (!payload.success) {
        this.#log.error(
          { ...data, name: row.name, issues: payload.error.issues.map((i) => i.path.join('.')) },
          'stored payload fails its schema',
        );
        await this.#finishRow(tx, row, 'failed', {
          error: { code: 'invalid_payload', message: "the job's stored payload no longer matches its schema" },
        });
        await spendRetries(tx, queue, job.id);
        await this.#boss.fail(queue, job.id, { code: 'invalid_payload' }, queueDb);
        return null;
      }
      let checkpoint: unknown = row.checkpoint ?? null;
      if (checkpoint !== null && definition.checkpoint) {
        const parsed = definition.checkpoint.safeParse(checkpoint);
        if (parsed.success) checkpoint = parsed.data;
        else {
          this.#log.warn({ ...data, name: row.name }, 'stored checkpoint fails its schema; starting afresh');
          checkpoint = null;
        }
      }
      const attempt = row.attempts + 1;
      // 'running' already: the attempt before this one died; this one takes over.
      await tx
        .updateTable('job_runs')
        .set({
          status: 'running',
          attempts: attempt,
          started_at: row.started_at ?? new Date(),
          heartbeat_at: new Date(),
        })
        .where('campaign_id', '=', row.campaign_id)
        .where('job_id', '=', row.job_id)
        .execute();
      await extendLease(tx, queue, job.id, job.retryCount, this.#leaseSeconds);
      return { attempt, payload: payload.data, checkpoint };
    });
  }

  #classify(run: ActiveRun, error: unknown): Outcome {
    if (run.stopReason === 'lost' || (error instanceof JobInterruptedError && error.reason === 'lost'))
      return { kind: 'lost' };
    if (error instanceof JobCancelledError || run.stopReason === 'cancelled') return { kind: 'cancelled' };
    if (run.stopReason === 'shutdown' || error instanceof JobInterruptedError) return { kind: 'released' };
    if (error instanceof JobError)
      return { kind: 'failed', code: 'job_failed', message: error.message, retryable: error.retryable };
    const where = { jobId: run.jobId, campaignId: run.campaignId, name: run.definition.name, attempt: run.attempt };
    if (isAppError(error)) {
      const code = (JOB_ERROR_CODES as readonly string[]).includes(error.code)
        ? (error.code as JobErrorCode)
        : 'internal_error';
      this.#log.warn({ ...where, code: error.code }, 'job refused by a use case');
      // A use case's refusal is deterministic: trying again gives the same answer.
      return {
        kind: 'failed',
        code,
        message: code === 'internal_error' ? 'the job failed unexpectedly' : error.message,
        retryable: false,
      };
    }
    this.#log.error({ ...where, err: error }, 'job failed');
    return {
      kind: 'failed',
      code: 'internal_error',
      message: 'the job failed unexpectedly; the operator log has the details',
      retryable: true,
    };
  }

  /** Records the attempt's outcome, its audit event and pg-boss's state in one transaction. */
  async #finish(run: ActiveRun, outcome: Outcome): Promise<void> {
    const where = { jobId: run.jobId, campaignId: run.campaignId, name: run.definition.name, attempt: run.attempt };
    if (outcome.kind === 'lost') {
      this.#log.warn(where, 'another attempt took this job over; this attempt stopped without an outcome');
      return;
    }
    await inCampaign(this.#db, run.campaignId, async (tx) => {
      const row = await lockJobRun(tx, run.campaignId, run.jobId);
      if (!row || row.status !== 'running' || row.attempts !== run.attempt) {
        this.#log.warn(where, 'this attempt no longer owns the job; its outcome is dropped');
        return;
      }
      const queueDb = { db: txExecutor(tx) };
      const progress = run.pending ?? {};
      run.pending = null;
      switch (outcome.kind) {
        case 'completed':
          await this.#finishRow(tx, row, 'completed', { result: outcome.result, progress });
          await this.#boss.complete(run.queue, run.bossId, {}, queueDb);
          return;
        case 'cancelled':
          await this.#finishRow(tx, row, 'cancelled', { progress });
          await this.#boss.cancel(run.queue, run.bossId, queueDb);
          return;
        case 'released':
          await this.#updateRow(tx, row, 'queued', { progress });
          await releaseJob(tx, run.queue, run.bossId, run.retryCount);
          this.#log.info(where, 'job interrupted by shutdown; it goes back in the queue');
          return;
        case 'failed': {
          if (row.cancel_requested_at !== null) {
            await this.#finishRow(tx, row, 'cancelled', { progress });
            await this.#boss.cancel(run.queue, run.bossId, queueDb);
            return;
          }
          const error = { code: outcome.code, message: outcome.message };
          const retriesLeft = run.retryCount < run.retryLimit;
          if (outcome.retryable && retriesLeft) {
            await this.#updateRow(tx, row, 'queued', { progress, error });
          } else {
            await this.#finishRow(tx, row, 'failed', { progress, error });
            if (retriesLeft) await spendRetries(tx, run.queue, run.bossId);
          }
          // pg-boss keeps only the code: its schema has no row-level security.
          await this.#boss.fail(run.queue, run.bossId, { code: outcome.code }, queueDb);
          return;
        }
      }
    });
  }

  /** A job that pg-boss failed for good without a handler seeing it (its process died). */
  async #settle(job: PgBoss.JobWithMetadata<unknown>, data: BossJobData): Promise<void> {
    await inCampaign(this.#db, data.campaignId, async (tx) => {
      const row = await lockJobRun(tx, data.campaignId, data.jobId);
      if (row && !isTerminalJobStatus(row.status as JobStatus)) {
        if (row.cancel_requested_at !== null) await this.#finishRow(tx, row, 'cancelled', {});
        else {
          await this.#finishRow(tx, row, 'failed', {
            error: { code: 'worker_lost', message: 'the job stopped responding and no retry was left' },
          });
        }
        this.#log.warn(
          { ...data, name: row.name, attempts: row.attempts },
          'settled a job whose process died with no retry left',
        );
      }
      await this.#boss.complete(SETTLE_QUEUE, job.id, {}, { db: txExecutor(tx) });
    });
  }

  /** Brings pg-boss's job in line with a run that is already over. */
  async #settleBossJob(tx: Tx, queue: string, id: string, status: TerminalJobStatus): Promise<void> {
    const queueDb = { db: txExecutor(tx) };
    if (status === 'completed') await this.#boss.complete(queue, id, {}, queueDb);
    else if (status === 'cancelled') await this.#boss.cancel(queue, id, queueDb);
    else {
      await spendRetries(tx, queue, id);
      await this.#boss.fail(queue, id, { code: 'settled' }, queueDb);
    }
  }

  async #updateRow(
    tx: Tx,
    row: JobRunRow,
    status: JobStatus,
    fields: { progress?: ProgressWrite; error?: { code: string; message: string }; result?: unknown },
  ): Promise<void> {
    if (!canTransitionJob(row.status as JobStatus, status)) {
      throw new Error(`job ${row.job_id}: ${row.status} → ${status} is not a valid transition`);
    }
    const progress = fields.progress ?? {};
    await tx
      .updateTable('job_runs')
      .set({
        status,
        ...(isTerminalJobStatus(status) ? { finished_at: new Date() } : {}),
        ...(status === 'cancelled' && row.cancel_requested_at === null ? { cancel_requested_at: new Date() } : {}),
        ...(fields.result !== undefined ? { result: jsonOrNull(fields.result) } : {}),
        ...(fields.error ? { error_code: fields.error.code, error_message: fields.error.message } : {}),
        ...(status === 'completed' ? { error_code: null, error_message: null } : {}),
        ...(progress.done !== undefined ? { progress_done: progress.done } : {}),
        ...(progress.total !== undefined ? { progress_total: progress.total } : {}),
        ...(progress.checkpoint !== undefined ? { checkpoint: jsonOrNull(progress.checkpoint.value) } : {}),
      })
      .where('campaign_id', '=', row.campaign_id)
      .where('job_id', '=', row.job_id)
      .execute();
  }

  /** A final status and its `job.finished` audit event, in the caller's transaction. */
  async #finishRow(
    tx: Tx,
    row: JobRunRow,
    status: TerminalJobStatus,
    fields: { progress?: ProgressWrite; error?: { code: string; message: string }; result?: unknown },
  ): Promise<void> {
    await this.#updateRow(tx, row, status, fields);
    await appendAuditEvent(tx, row.campaign_id, JOB_RUNNER_ACTOR, {
      type: 'job.finished',
      data: { jobId: row.job_id, name: row.name, status },
    });
  }

  // -------------------------------------------------------------------------------------
  // Progress, heartbeat, cancellation
  // -------------------------------------------------------------------------------------

  async #reportProgress(
    run: ActiveRun,
    done: number,
    total: number | null | undefined,
    checkpoint: unknown,
    options: ProgressOptions | undefined,
  ): Promise<void> {
    this.#throwIfStopped(run);
    if (!Number.isFinite(done) || done < 0) throw new RangeError('reportProgress: done must be a number >= 0');
    if (total !== undefined && total !== null && (!Number.isFinite(total) || total < 0)) {
      throw new RangeError('reportProgress: total must be a number >= 0 or null');
    }
    const progress: ProgressWrite = {
      done,
      ...(total !== undefined ? { total } : {}),
      ...(checkpoint !== undefined ? { checkpoint: { value: checkpoint } } : {}),
    };
    const scoped = this.#txScope.getStore();
    const tx = options?.tx ?? (scoped?.jobId === run.jobId ? scoped.tx : undefined);
    if (tx) {
      // Inside the handler's transaction: commits with the work it records.
      const merged = mergeProgress(run.pending, progress);
      run.pending = null;
      run.lastWriteAt = Date.now();
      this.#apply(run, await writeProgress(tx, run, merged));
    } else {
      run.pending = mergeProgress(run.pending, progress);
      if (checkpoint !== undefined || Date.now() - run.lastWriteAt >= this.#progressIntervalMs) {
        await this.#write(run, false);
      }
    }
    this.#throwIfStopped(run);
  }

  #heartbeat(run: ActiveRun): void {
    if (run.beating) return;
    run.beating = true;
    this.#write(run, true)
      .catch((error: unknown) => this.#log.warn({ err: error, jobId: run.jobId }, 'job heartbeat failed'))
      .finally(() => (run.beating = false));
  }

  /** Writes pending progress (and, for a heartbeat, extends the lease) in a short transaction of its own. */
  #write(run: ActiveRun, heartbeat: boolean): Promise<void> {
    const next = run.writes.then(async () => {
      const pending = run.pending;
      run.pending = null;
      if (pending) run.lastWriteAt = Date.now();
      try {
        const result = await inCampaign(this.#db, run.campaignId, async (tx): Promise<GuardedWriteResult> => {
          const written = await writeProgress(tx, run, pending ?? {});
          if (written.kind === 'lost' || !heartbeat) return written;
          const held = await extendLease(tx, run.queue, run.bossId, run.retryCount, this.#leaseSeconds);
          return held ? written : { kind: 'lost' };
        });
        this.#apply(run, result);
      } catch (error) {
        if (pending) run.pending = mergeProgress(pending, run.pending ?? {});
        throw error;
      }
    });
    run.writes = next.catch(() => undefined);
    return next;
  }

  #apply(run: ActiveRun, result: GuardedWriteResult): void {
    if (result.kind === 'lost') this.#abort(run, 'lost');
    else if (result.cancelRequested) {
      run.cancelRequested = true;
      this.#abort(run, 'cancelled');
    }
  }

  #abort(run: ActiveRun, reason: StopReason): void {
    if (run.stopReason === null || reason === 'lost') run.stopReason = reason;
    if (!run.controller.signal.aborted) {
      run.controller.abort(reason === 'cancelled' ? new JobCancelledError() : new JobInterruptedError(reason));
    }
  }

  #throwIfStopped(run: ActiveRun): void {
    switch (run.stopReason) {
      case null:
        return;
      case 'cancelled':
        throw new JobCancelledError();
      case 'shutdown':
      case 'lost':
        throw new JobInterruptedError(run.stopReason);
    }
  }

  // -------------------------------------------------------------------------------------
  // Use cases: enqueue, cancel, read
  // -------------------------------------------------------------------------------------

  async enqueue(input: EnqueueInput): Promise<JobRun> {
    const definition = this.#latest.get(input.name);
    if (!definition) throw invalid([{ field: 'name', message: `is not a known job (${input.name})` }]);
    const parsed = definition.payload.safeParse(input.payload);
    if (!parsed.success) {
      throw invalid(
        parsed.error.issues.map((issue) => ({
          field: ['payload', ...issue.path.map(String)].join('.'),
          message: issue.message,
        })),
      );
    }
    const jobId = randomUUID();
    const write = async (tx: Tx): Promise<JobRunRow> => {
      const row = await tx
        .insertInto('job_runs')
        .values({
          campaign_id: input.campaignId,
          job_id: jobId,
          name: definition.name,
          version: definition.version,
          status: 'queued',
          payload: JSON.stringify(parsed.data ?? null),
          created_by: input.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAuditEvent(tx, input.campaignId, input.actor, {
        type: 'job.queued',
        data: { jobId, name: definition.name },
      });
      const data: BossJobData = { campaignId: input.campaignId, jobId };
      const sent = await this.#boss.send(queueName(definition), data, {
        db: txExecutor(tx),
        id: jobId,
        retryLimit: definition.retryLimit,
        retryDelay: definition.retryDelaySeconds,
        retryBackoff: definition.retryBackoff,
        expireInSeconds: this.#leaseSeconds,
        deadLetter: SETTLE_QUEUE,
      });
      if (sent === null) throw new Error(`job queue "${queueName(definition)}" is missing: run \`canvass migrate\``);
      return row;
    };
    const row = input.tx ? await write(input.tx) : await inCampaign(this.#db, input.campaignId, write);
    this.#wake();
    return toJobRun(row);
  }

  async requestCancel(campaignId: string, jobId: string, actor: AuditActor): Promise<JobRun> {
    const row = await inCampaign(this.#db, campaignId, async (tx) => {
      const current = await lockJobRun(tx, campaignId, jobId);
      if (!current) throw notFound('job');
      const status = current.status as JobStatus;
      if (isTerminalJobStatus(status) || current.cancel_requested_at !== null) return current;
      await appendAuditEvent(tx, campaignId, actor, {
        type: 'job.cancel_requested',
        data: { jobId, name: current.name },
      });
      if (status === 'queued') {
        // Not running anywhere: it is cancelled now, and pg-boss will not hand it out.
        await this.#finishRow(tx, current, 'cancelled', {});
        await this.#boss.cancel(queueName(current), jobId, { db: txExecutor(tx) });
      } else {
        // Running: the attempt stops at its next progress report or heartbeat.
        await tx
          .updateTable('job_runs')
          .set({ cancel_requested_at: new Date() })
          .where('campaign_id', '=', campaignId)
          .where('job_id', '=', jobId)
          .execute();
      }
      return lockJobRun(tx, campaignId, jobId).then((r) => r ?? current);
    });
    const local = this.#running.get(jobId);
    if (local && row.status === 'running') {
      local.cancelRequested = true;
      this.#abort(local, 'cancelled');
    }
    return toJobRun(row);
  }

  async getJob(campaignId: string, jobId: string): Promise<JobRun | null> {
    const row = await inCampaign(this.#db, campaignId, (tx) =>
      tx
        .selectFrom('job_runs')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .where('job_id', '=', jobId)
        .executeTakeFirst(),
    );
    return row ? toJobRun(row) : null;
  }

  async listJobs(campaignId: string, options: ListJobsOptions = {}): Promise<JobRun[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const rows = await inCampaign(this.#db, campaignId, (tx) => {
      let query = tx.selectFrom('job_runs').selectAll().where('campaign_id', '=', campaignId);
      if (options.status) query = query.where('status', '=', options.status);
      return query.orderBy('created_at', 'desc').orderBy('job_id').limit(limit).execute();
    });
    return rows.map(toJobRun);
  }
}
