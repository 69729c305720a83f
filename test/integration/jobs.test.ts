/**
 * Durable jobs on a real database: PGlite (pg-boss in process) and, in the postgres project,
 * PostgreSQL with the application connecting as a non-owner role.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appendAuditEvent, verifyAuditTrail } from '../../src/app/audit.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { inCampaign } from '../../src/db/scope.js';
import { AppError } from '../../src/domain/errors.js';
import { auditVerifyJob } from '../../src/jobs/audit-verify-job.js';
import { installJobSchema, queueName } from '../../src/jobs/boss.js';
import { defineJob, JobError, type AnyJobDefinition } from '../../src/jobs/definition.js';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from '../../src/jobs/runner.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import {
  auditTypes,
  bossState,
  captureLogger,
  createTestCampaign,
  FAST,
  rawQuery,
  uniqueJobName,
  waitFor,
} from '../fixtures/job-helpers.js';

const staff = randomUUID();
const actor = { type: 'user', id: staff } as const;

let t: TestDatabase;
const runners: JobRunner[] = [];
const extraDatabases: Database[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ graceful: false })));
});

afterAll(async () => {
  await Promise.all(extraDatabases.splice(0).map((d) => d.close()));
  await t?.close();
});

/** Installs the definitions' queues (as the owner), then creates — and optionally starts — a runner. */
async function runnerFor(
  jobs: AnyJobDefinition[],
  options: Partial<JobRunnerOptions> & { start?: boolean } = {},
): Promise<JobRunner & { log: ReturnType<typeof captureLogger> }> {
  await installJobSchema(t.owner, { jobs });
  const log = captureLogger();
  const { start = true, ...rest } = options;
  const runner = createJobRunner({ db: t.db, jobs, logger: log, ...FAST, ...rest });
  runners.push(runner);
  if (start) await runner.start();
  return Object.assign(runner, { log });
}

function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const until = (runner: JobRunner, campaignId: string, jobId: string, statuses: string[], timeoutMs = 15_000) =>
  waitFor(
    () => runner.getJob(campaignId, jobId),
    (job) => job !== null && statuses.includes(job.status),
    { timeoutMs, what: `job ${jobId} to be ${statuses.join('|')}` },
  ).then((job) => job!);

async function expectChainIntact(campaignId: string): Promise<void> {
  const verification = await verifyAuditTrail(t.db, campaignId);
  expect(verification).toMatchObject({ ok: true, problem: null });
}

describe('enqueue', () => {
  it('runs a job, persisting progress and checkpoint while it runs and the result at the end', async () => {
    const campaignId = await createTestCampaign(t.db);
    const halfway = latch();
    const proceed = latch();
    const job = defineJob({
      name: uniqueJobName('count'),
      version: 1,
      payload: z.object({ items: z.number().int().min(1) }).strict(),
      checkpoint: z.object({ next: z.number() }),
      handler: async (ctx, payload) => {
        for (let i = 1; i <= payload.items; i++) {
          await ctx.reportProgress(i, payload.items, i === 3 ? { next: 3 } : undefined);
          if (i === 3) {
            halfway.open();
            await proceed.promise;
          }
        }
        return { counted: payload.items, attempt: ctx.attempt, campaignId: ctx.campaignId };
      },
    });
    const runner = await runnerFor([job]);
    const queued = await runner.enqueue({
      campaignId,
      name: job.name,
      payload: { items: 10 },
      createdBy: staff,
      actor,
    });
    expect(queued).toMatchObject({
      status: 'queued',
      name: job.name,
      version: 1,
      attempts: 0,
      createdBy: staff,
      payload: { items: 10 },
    });

    await halfway.promise;
    const running = await waitFor(
      () => runner.getJob(campaignId, queued.jobId),
      (j) => j?.progress.done === 3,
      { what: 'progress 3/10 to be stored' },
    );
    expect(running).toMatchObject({
      status: 'running',
      attempts: 1,
      progress: { done: 3, total: 10 },
      checkpoint: { next: 3 },
    });
    expect(running!.startedAt).toBeInstanceOf(Date);
    expect(running!.heartbeatAt).toBeInstanceOf(Date);
    proceed.open();

    const done = await until(runner, campaignId, queued.jobId, ['completed']);
    expect(done).toMatchObject({
      status: 'completed',
      attempts: 1,
      progress: { done: 10, total: 10 },
      result: { counted: 10, attempt: 1, campaignId },
      error: null,
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(await bossState(t.owner, queued.jobId)).toBe('completed');
    expect((await runner.listJobs(campaignId)).map((j) => j.jobId)).toEqual([queued.jobId]);
    expect(await auditTypes(t.db, campaignId)).toEqual(['job.queued', 'job.finished:completed']);
    await expectChainIntact(campaignId);
  });

  it('refuses an invalid payload, naming the field, and writes nothing', async () => {
    const campaignId = await createTestCampaign(t.db);
    const job = defineJob({
      name: uniqueJobName('strict'),
      version: 1,
      payload: z.object({ list: z.object({ limit: z.number().int().max(100) }) }).strict(),
      handler: async () => null,
    });
    const runner = await runnerFor([job], { start: false });
    const attempt = runner.enqueue({
      campaignId,
      name: job.name,
      payload: { list: { limit: 'lots' } },
      createdBy: staff,
      actor,
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('payload.list.limit'),
      details: { issues: [{ field: 'payload.list.limit', message: expect.any(String) }] },
    });
    await expect(
      runner.enqueue({ campaignId, name: 'test.nonexistent', payload: {}, createdBy: staff, actor }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { issues: [{ field: 'name' }] },
    });
    expect(await runner.listJobs(campaignId)).toEqual([]);
    expect(await auditTypes(t.db, campaignId)).toEqual([]);
    const queued = await rawQuery(t.owner, `SELECT id FROM pgboss.job WHERE data->>'campaignId' = $1`, [campaignId]);
    expect(queued).toEqual([]);
  });

  it('writes the job record, its audit event and the queue entry together or not at all', async () => {
    const campaignId = await createTestCampaign(t.db);
    const job = defineJob({
      name: uniqueJobName('orphan'),
      version: 1,
      payload: z.object({}),
      handler: async () => null,
    });
    // No queue installed for this job, and the runner is not started (it would create it):
    // pg-boss's insert finds no queue, so the whole enqueue must roll back.
    const runner = createJobRunner({ db: t.db, jobs: [job], logger: captureLogger(), ...FAST });
    await expect(runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor })).rejects.toThrow(
      /queue/,
    );
    expect(await runner.listJobs(campaignId)).toEqual([]);
    expect(await auditTypes(t.db, campaignId)).toEqual([]);
  });

  it("enqueues inside the caller's transaction, which can roll it back", async () => {
    const campaignId = await createTestCampaign(t.db);
    const job = defineJob({
      name: uniqueJobName('intx'),
      version: 1,
      payload: z.object({}),
      handler: async () => null,
    });
    const runner = await runnerFor([job], { start: false });
    await expect(
      inCampaign(t.db, campaignId, async (tx) => {
        await runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: null, actor, tx });
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await runner.listJobs(campaignId)).toEqual([]);
    expect(await rawQuery(t.owner, `SELECT id FROM pgboss.job WHERE data->>'campaignId' = $1`, [campaignId])).toEqual(
      [],
    );
  });
});

describe('cancellation', () => {
  it('cancels a queued job at once; it never runs', async () => {
    const campaignId = await createTestCampaign(t.db);
    let runs = 0;
    const job = defineJob({
      name: uniqueJobName('never'),
      version: 1,
      payload: z.object({}),
      handler: async () => {
        runs += 1;
        return null;
      },
    });
    const runner = await runnerFor([job], { start: false });
    const queued = await runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    const cancelled = await runner.requestCancel(campaignId, queued.jobId, actor);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled.cancelRequestedAt).toBeInstanceOf(Date);
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    expect(await bossState(t.owner, queued.jobId)).toBe('cancelled');

    // Asking again changes nothing and records nothing more.
    await runner.requestCancel(campaignId, queued.jobId, actor);
    await runner.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toBe(0);
    expect(await runner.getJob(campaignId, queued.jobId)).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(await auditTypes(t.db, campaignId)).toEqual([
      'job.queued',
      'job.cancel_requested',
      'job.finished:cancelled',
    ]);
    await expectChainIntact(campaignId);
  });

  it('stops a running job at its next progress report, even when another process asks', async () => {
    const campaignId = await createTestCampaign(t.db);
    const seen: { signalAborted?: boolean; isCancelled?: boolean; error?: string } = {};
    const job = defineJob({
      name: uniqueJobName('endless'),
      version: 1,
      payload: z.object({}),
      handler: async (ctx) => {
        try {
          for (let i = 1; ; i++) {
            await ctx.reportProgress(i, null);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        } catch (error) {
          seen.signalAborted = ctx.signal.aborted;
          seen.isCancelled = ctx.isCancelled();
          seen.error = (error as Error).name;
          throw error;
        }
      },
    });
    const runner = await runnerFor([job]);
    // The request comes through a runner that is not running the job (as from another
    // process): the worker learns of it from the database.
    const other = createJobRunner({ db: t.db, jobs: [job], logger: captureLogger(), ...FAST });
    const queued = await other.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    await waitFor(
      () => runner.getJob(campaignId, queued.jobId),
      (j) => j?.status === 'running' && j.progress.done > 2,
      { what: 'the job to make progress' },
    );
    const requested = await other.requestCancel(campaignId, queued.jobId, actor);
    expect(requested.status).toBe('running');
    expect(requested.cancelRequestedAt).toBeInstanceOf(Date);

    const cancelled = await until(runner, campaignId, queued.jobId, ['cancelled', 'failed', 'completed'], 5_000);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    expect(seen).toEqual({ signalAborted: true, isCancelled: true, error: 'JobCancelledError' });
    expect(await bossState(t.owner, queued.jobId)).toBe('cancelled');
    expect(await auditTypes(t.db, campaignId)).toEqual([
      'job.queued',
      'job.cancel_requested',
      'job.finished:cancelled',
    ]);
    await expectChainIntact(campaignId);
  });
});

describe('retries', () => {
  it('retries a failed attempt and then succeeds', async () => {
    const campaignId = await createTestCampaign(t.db);
    const attempts: number[] = [];
    const job = defineJob({
      name: uniqueJobName('flaky'),
      version: 1,
      payload: z.object({}),
      retryLimit: 2,
      retryDelaySeconds: 0,
      retryBackoff: false,
      handler: async (ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt === 1) throw new JobError('the upstream service was busy');
        return { ok: true };
      },
    });
    const runner = await runnerFor([job]);
    const queued = await runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    const done = await until(runner, campaignId, queued.jobId, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, result: { ok: true }, error: null });
    expect(attempts).toEqual([1, 2]);
    expect(await auditTypes(t.db, campaignId)).toEqual(['job.queued', 'job.finished:completed']);
  });

  it('fails for good after its retries, storing a generic error without personal data', async () => {
    const campaignId = await createTestCampaign(t.db);
    let calls = 0;
    const job = defineJob({
      name: uniqueJobName('doomed'),
      version: 1,
      payload: z.object({}),
      retryLimit: 2,
      retryDelaySeconds: 0,
      retryBackoff: false,
      handler: async () => {
        calls += 1;
        throw new Error('duplicate key (email)=(jane.voter@example.org)');
      },
    });
    const runner = await runnerFor([job]);
    const queued = await runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    const failed = await until(runner, campaignId, queued.jobId, ['failed', 'completed']);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'internal_error' } });
    expect(calls).toBe(3);
    expect(JSON.stringify(failed.error)).not.toContain('jane.voter');
    expect(await bossState(t.owner, queued.jobId)).toBe('failed');
    const output = await rawQuery<{ output: unknown }>(t.owner, 'SELECT output FROM pgboss.job WHERE id = $1', [
      queued.jobId,
    ]);
    expect(JSON.stringify(output)).not.toContain('jane.voter');
    // The operator's log has the detail.
    expect(runner.log.entries.some((e) => e.level === 'error' && String(e.data.err).includes('duplicate key'))).toBe(
      true,
    );
    expect(await auditTypes(t.db, campaignId)).toEqual(['job.queued', 'job.finished:failed']);
    await expectChainIntact(campaignId);
  });

  it('does not retry a failure the handler marks as permanent', async () => {
    const campaignId = await createTestCampaign(t.db);
    const job = defineJob({
      name: uniqueJobName('permanent'),
      version: 1,
      payload: z.object({}),
      retryLimit: 5,
      retryDelaySeconds: 0,
      handler: async () => {
        throw new JobError('the file has no header row', { retryable: false });
      },
    });
    const runner = await runnerFor([job]);
    const queued = await runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    const failed = await until(runner, campaignId, queued.jobId, ['failed', 'completed']);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'job_failed', message: 'the file has no header row' },
    });
    expect(await bossState(t.owner, queued.jobId)).toBe('failed');
  });
});

describe('crash recovery in one process', () => {
  /** As if a process had claimed the job, saved a checkpoint, and died an hour ago. */
  async function simulateDeadAttempt(campaignId: string, jobId: string, checkpoint: unknown): Promise<void> {
    await rawQuery(
      t.owner,
      `UPDATE pgboss.job SET state = 'active', started_on = now() - interval '1 hour', expire_in = interval '2 seconds' WHERE id = $1`,
      [jobId],
    );
    await rawQuery(
      t.owner,
      `UPDATE job_runs SET status = 'running', attempts = 1, started_at = now() - interval '1 hour',
              heartbeat_at = now() - interval '1 hour', checkpoint = $3::jsonb, progress_done = 4
        WHERE campaign_id = $1 AND job_id = $2`,
      [campaignId, jobId, JSON.stringify(checkpoint)],
    );
  }

  it('on start-up, expires the dead attempt and resumes from its checkpoint', async () => {
    const campaignId = await createTestCampaign(t.db);
    const seen: Array<{ attempt: number; checkpoint: unknown }> = [];
    const job = defineJob({
      name: uniqueJobName('resume'),
      version: 1,
      payload: z.object({ items: z.number() }),
      checkpoint: z.object({ next: z.number() }),
      retryLimit: 1,
      retryDelaySeconds: 0,
      retryBackoff: false,
      handler: async (ctx, payload) => {
        seen.push({ attempt: ctx.attempt, checkpoint: ctx.checkpoint });
        for (let i = ctx.checkpoint?.next ?? 0; i < payload.items; i++)
          await ctx.reportProgress(i + 1, payload.items, { next: i + 1 });
        return { resumedFrom: ctx.checkpoint?.next ?? 0 };
      },
    });
    const runner = await runnerFor([job], { start: false });
    const queued = await runner.enqueue({ campaignId, name: job.name, payload: { items: 8 }, createdBy: staff, actor });
    await simulateDeadAttempt(campaignId, queued.jobId, { next: 4 });

    await runner.start();
    const done = await until(runner, campaignId, queued.jobId, ['completed', 'failed']);
    expect(done).toMatchObject({
      status: 'completed',
      attempts: 2,
      result: { resumedFrom: 4 },
      progress: { done: 8, total: 8 },
    });
    expect(seen).toEqual([{ attempt: 2, checkpoint: { next: 4 } }]);
    expect(runner.log.entries.some((e) => e.message.includes('recovered a job whose last attempt died'))).toBe(true);
    expect(await auditTypes(t.db, campaignId)).toEqual(['job.queued', 'job.finished:completed']);
  });

  it('marks the run failed (worker_lost) when the dead attempt had no retry left', async () => {
    const campaignId = await createTestCampaign(t.db);
    let runs = 0;
    const job = defineJob({
      name: uniqueJobName('oneshot'),
      version: 1,
      payload: z.object({}),
      retryLimit: 0,
      handler: async () => {
        runs += 1;
        return null;
      },
    });
    const runner = await runnerFor([job], { start: false });
    const queued = await runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    await simulateDeadAttempt(campaignId, queued.jobId, { next: 1 });

    await runner.start();
    const failed = await until(runner, campaignId, queued.jobId, ['failed', 'completed']);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'worker_lost' } });
    expect(runs).toBe(0);
    expect(await auditTypes(t.db, campaignId)).toEqual(['job.queued', 'job.finished:failed']);
    await expectChainIntact(campaignId);
  });

  it('puts a running job back in the queue on shutdown; the next runner resumes it', async () => {
    const campaignId = await createTestCampaign(t.db);
    const started = latch();
    const seen: Array<{ attempt: number; checkpoint: unknown }> = [];
    const job = defineJob({
      name: uniqueJobName('interrupt'),
      version: 1,
      payload: z.object({}),
      checkpoint: z.object({ step: z.number() }),
      retryLimit: 0, // an interrupted attempt must not use up a retry
      handler: async (ctx) => {
        seen.push({ attempt: ctx.attempt, checkpoint: ctx.checkpoint });
        if (ctx.checkpoint === null) {
          await ctx.reportProgress(1, 2, { step: 1 });
          started.open();
          for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            await ctx.reportProgress(1, 2);
          }
        }
        await ctx.reportProgress(2, 2, { step: 2 });
        return { finishedAt: 'second attempt' };
      },
    });
    const first = await runnerFor([job]);
    const queued = await first.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    await started.promise;
    await first.stop({ graceful: false });
    expect(await first.getJob(campaignId, queued.jobId)).toMatchObject({ status: 'queued', checkpoint: { step: 1 } });
    expect(await bossState(t.owner, queued.jobId)).toBe('retry');

    const second = await runnerFor([job]);
    const done = await until(second, campaignId, queued.jobId, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, result: { finishedAt: 'second attempt' } });
    expect(seen).toEqual([
      { attempt: 1, checkpoint: null },
      { attempt: 2, checkpoint: { step: 1 } },
    ]);
  });
});

describe('lease', () => {
  it('keeps a job that outlives its lease while its heartbeat beats: no second attempt', async () => {
    const campaignId = await createTestCampaign(t.db);
    const attempts: number[] = [];
    const job = defineJob({
      name: uniqueJobName('long'),
      version: 1,
      payload: z.object({}),
      retryLimit: 2,
      retryDelaySeconds: 0,
      retryBackoff: false,
      handler: async (ctx) => {
        attempts.push(ctx.attempt);
        // More than twice the 2 s lease, with maintenance expiring overdue jobs every second.
        const until = Date.now() + 4_500;
        while (Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          await ctx.reportProgress(1);
        }
        return { attempt: ctx.attempt };
      },
    });
    const runner = await runnerFor([job], { leaseSeconds: 2, maintenanceIntervalSeconds: 1 });
    const queued = await runner.enqueue({ campaignId, name: job.name, payload: {}, createdBy: staff, actor });
    const done = await until(runner, campaignId, queued.jobId, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempts: 1, result: { attempt: 1 } });
    expect(attempts).toEqual([1]);
    expect(runner.log.entries.filter((e) => e.level !== 'info')).toEqual([]);
  });
});

describe('audit.verify job', () => {
  it('verifies the chain with progress, and reports tampering', async () => {
    const campaignId = await createTestCampaign(t.db);
    await inCampaign(t.db, campaignId, async (tx) => {
      for (let i = 0; i < 25; i++) {
        await appendAuditEvent(tx, campaignId, actor, { type: 'campaign.updated', data: { fields: [`f${i}`] } });
      }
    });
    const runner = await runnerFor([auditVerifyJob]);
    const first = await runner.enqueue({ campaignId, name: 'audit.verify', payload: {}, createdBy: staff, actor });
    const ok = await until(runner, campaignId, first.jobId, ['completed', 'failed']);
    // 25 events plus the job's own job.queued.
    expect(ok).toMatchObject({
      status: 'completed',
      result: { ok: true, eventsChecked: 26, headSeq: 26, problem: null },
      progress: { done: 26, total: 26 },
    });

    await rawQuery(
      t.owner,
      `UPDATE audit_events SET payload = '{"fields":["forged"]}' WHERE campaign_id = $1 AND seq = 7`,
      [campaignId],
    );
    const second = await runner.enqueue({ campaignId, name: 'audit.verify', payload: {}, createdBy: staff, actor });
    const broken = await until(runner, campaignId, second.jobId, ['completed', 'failed']);
    expect(broken).toMatchObject({ status: 'completed', result: { ok: false, problem: { kind: 'altered', seq: 7 } } });
  });

  it('verifyAuditTrail reports batch progress outside its transactions', async () => {
    const campaignId = await createTestCampaign(t.db);
    await inCampaign(t.db, campaignId, async (tx) => {
      for (let i = 0; i < 12; i++)
        await appendAuditEvent(tx, campaignId, actor, { type: 'campaign.updated', data: { fields: ['x'] } });
    });
    const progress: number[] = [];
    const result = await verifyAuditTrail(t.db, campaignId, {
      batchSize: 5,
      // Opening a transaction here would deadlock on PGlite if called inside one.
      onProgress: async ({ eventsChecked }) => {
        progress.push(eventsChecked);
        await inCampaign(t.db, campaignId, (tx) => sql`SELECT 1`.execute(tx));
      },
    });
    expect(result).toMatchObject({ ok: true, eventsChecked: 12 });
    expect(progress).toEqual([5, 10]);

    // An event stored past the head by someone other than the application is still found.
    const stray = await rawQuery<{ hash: string }>(
      t.owner,
      'SELECT hash FROM audit_events WHERE campaign_id = $1 AND seq = 12',
      [campaignId],
    );
    await rawQuery(
      t.owner,
      `INSERT INTO audit_events (campaign_id, seq, event_id, occurred_at, actor_type, actor_id, type, payload, prev_hash, hash)
       VALUES ($1, 13, $2, now(), 'system', NULL, 'campaign.updated', '{}', $3, repeat('a', 64))`,
      [campaignId, randomUUID(), stray[0]!.hash],
    );
    expect(await verifyAuditTrail(t.db, campaignId, { batchSize: 5 })).toMatchObject({
      ok: false,
      problem: { kind: 'inserted', seq: 13 },
    });
  });
});

describe.skipIf(!usingPostgres)('two runners on one PostgreSQL', () => {
  it('runs each of many jobs exactly once', async () => {
    const campaignId = await createTestCampaign(t.db);
    await rawQuery(
      t.owner,
      `CREATE TABLE IF NOT EXISTS job_test_executions (job_id uuid NOT NULL, runner text NOT NULL, attempt integer NOT NULL);
       GRANT SELECT, INSERT ON job_test_executions TO canvass_app`,
    );
    const name = uniqueJobName('shared');
    const makeJob = (runnerName: string) =>
      defineJob({
        name,
        version: 1,
        payload: z.object({ n: z.number() }),
        retryLimit: 0,
        handler: async (ctx) => {
          await ctx.inCampaign((tx) =>
            sql`INSERT INTO job_test_executions (job_id, runner, attempt) VALUES (${ctx.jobId}::uuid, ${runnerName}, ${ctx.attempt}::int)`.execute(
              tx,
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
          return { by: runnerName };
        },
      });
    await installJobSchema(t.owner, { jobs: [makeJob('a')] });
    // A second process in all but name: its own pool, its own pg-boss, its own runner.
    const otherDb = await openDatabase({ kind: 'postgres', url: t.appUrl!, maxConnections: 4 });
    extraDatabases.push(otherDb);
    const a = createJobRunner({
      db: t.db,
      jobs: [makeJob('a')],
      logger: captureLogger(),
      ...FAST,
      concurrency: 3,
      pollIntervalMs: 20,
    });
    const b = createJobRunner({
      db: otherDb,
      jobs: [makeJob('b')],
      logger: captureLogger(),
      ...FAST,
      concurrency: 3,
      pollIntervalMs: 20,
    });
    runners.push(a, b);

    // Both poll while the jobs arrive.
    await Promise.all([a.start(), b.start()]);
    const ids: string[] = [];
    for (let n = 0; n < 60; n++)
      ids.push((await a.enqueue({ campaignId, name, payload: { n }, createdBy: null, actor })).jobId);

    await waitFor(
      () => a.listJobs(campaignId, { status: 'completed', limit: 500 }),
      (jobs) => jobs.length === ids.length,
      { timeoutMs: 30_000, what: 'all jobs to complete' },
    );
    const executions = await rawQuery<{ job_id: string; runner: string; attempt: number }>(
      t.owner,
      'SELECT job_id, runner, attempt FROM job_test_executions WHERE job_id = ANY($1::uuid[])',
      [ids],
    );
    expect(executions).toHaveLength(ids.length);
    expect(new Set(executions.map((e) => e.job_id)).size).toBe(ids.length);
    expect(executions.every((e) => e.attempt === 1)).toBe(true);
    const byRunner = {
      a: executions.filter((e) => e.runner === 'a').length,
      b: executions.filter((e) => e.runner === 'b').length,
    };
    expect(byRunner.a).toBeGreaterThan(0);
    expect(byRunner.b).toBeGreaterThan(0);
    const finished = (await auditTypes(t.db, campaignId)).filter((type) => type === 'job.finished:completed');
    expect(finished).toHaveLength(ids.length);
    await expectChainIntact(campaignId);
  });
});

describe('queue wiring', () => {
  it('keeps only ids in the pg-boss row: no payload outside row-level security', async () => {
    const campaignId = await createTestCampaign(t.db);
    const job = defineJob({
      name: uniqueJobName('private'),
      version: 1,
      payload: z.object({ email: z.email() }),
      handler: async () => null,
    });
    const runner = await runnerFor([job], { start: false });
    const queued = await runner.enqueue({
      campaignId,
      name: job.name,
      payload: { email: 'jane.voter@example.org' },
      createdBy: null,
      actor,
    });
    const rows = await rawQuery<{ name: string; data: unknown }>(
      t.owner,
      'SELECT name, data FROM pgboss.job WHERE id = $1',
      [queued.jobId],
    );
    expect(rows).toEqual([{ name: queueName(job), data: { campaignId, jobId: queued.jobId } }]);
  });
});
