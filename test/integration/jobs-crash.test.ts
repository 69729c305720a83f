/**
 * Resume after a crash, for real: a child process runs a resumable job, checkpoints part of
 * the way and is killed with SIGKILL; a runner started afterwards (as after a restart) picks
 * the job up once its lease has run out and finishes it from the checkpoint, with every
 * item processed exactly once.
 *
 * On PGlite the database is an on-disk directory, which only one process may open at a
 * time: the test closes it before the child opens it and opens it again after the kill.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../src/app/audit.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { installJobSchema } from '../../src/jobs/boss.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import { runChildUntilHang, type HungChild } from '../helpers/crash-child.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import {
  auditTypes,
  bossState,
  captureLogger,
  CRASH_BATCH,
  CRASH_JOB_NAME,
  CREATE_ITEMS_TABLE,
  createCrashJob,
  createTestCampaign,
  FAST,
  rawQuery,
  waitFor,
} from '../fixtures/job-helpers.js';

const CHILD = fileURLToPath(new URL('../fixtures/job-crash-child.ts', import.meta.url));
const ITEMS = 100;
const HANG_AFTER = 40;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts the child and resolves once it has checkpointed and hangs; returns how far it got. */
function runChild(env: Record<string, string>): Promise<HungChild> {
  return runChildUntilHang({
    script: CHILD,
    env: { ...env, CRASH_HANG_AFTER: String(HANG_AFTER) },
    timeoutMs: 25_000,
    cleanups,
  });
}

it('resumes a job from its checkpoint after its process is killed, processing each item once', async () => {
  const job = createCrashJob();
  let db: Database;
  let owner: Database;
  let childEnv: Record<string, string>;
  let reopen: () => Promise<void>;
  let testDb: TestDatabase | null = null;

  if (usingPostgres) {
    testDb = await createTestDatabase();
    const t = testDb;
    cleanups.push(() => t.close());
    db = t.db;
    owner = t.owner;
    childEnv = { CRASH_DB: 'postgres', CRASH_DATABASE_URL: t.appUrl! };
    reopen = async () => undefined;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'canvass-jobs-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    db = await openDatabase({ kind: 'pglite', dataDir });
    await migrate(db);
    owner = db;
    childEnv = { CRASH_DB: 'pglite', CRASH_DATA_DIR: dataDir };
    reopen = async () => {
      db = await openDatabase({ kind: 'pglite', dataDir });
      owner = db;
      cleanups.push(() => db.close());
    };
  }
  await installJobSchema(owner, { jobs: [job] });
  await rawQuery(owner, CREATE_ITEMS_TABLE.split(';')[0]!);
  await rawQuery(owner, 'GRANT SELECT, INSERT ON job_test_items TO canvass_app');
  const campaignId = await createTestCampaign(db);
  const actor = { type: 'user', id: randomUUID() } as const;
  const enqueuer = createJobRunner({ db, jobs: [job], logger: captureLogger(), ...FAST });
  const { jobId } = await enqueuer.enqueue({
    campaignId,
    name: CRASH_JOB_NAME,
    payload: { items: ITEMS },
    createdBy: actor.id,
    actor,
  });
  if (!usingPostgres) await db.close(); // the child opens the directory next

  const child = await runChild(childEnv);
  expect(child.done).toBe(HANG_AFTER);
  await child.kill();

  await reopen();
  // What the killed process left behind: a run still marked running, at its checkpoint.
  const left = await enqueuer.getJob(campaignId, jobId).catch(() => null);
  const runnerAfterRestart: JobRunner = createJobRunner({ db, jobs: [job], logger: captureLogger(), ...FAST });
  cleanups.push(() => runnerAfterRestart.stop({ graceful: false }));
  const stale = left ?? (await runnerAfterRestart.getJob(campaignId, jobId));
  expect(stale).toMatchObject({
    status: 'running',
    attempts: 1,
    checkpoint: { next: HANG_AFTER },
    progress: { done: HANG_AFTER },
  });
  expect(await bossState(owner, jobId)).toBe('active');

  const startedAt = Date.now();
  await runnerAfterRestart.start();
  const done = await waitFor(
    () => runnerAfterRestart.getJob(campaignId, jobId),
    (j) => j?.status === 'completed' || j?.status === 'failed',
    { timeoutMs: 20_000, what: 'the resumed job to finish' },
  );
  const recoveredInMs = Date.now() - startedAt;
  expect(done).toMatchObject({
    status: 'completed',
    attempts: 2,
    result: { processed: ITEMS, resumedFrom: HANG_AFTER },
    progress: { done: ITEMS, total: ITEMS },
  });
  // The lease (2 s) had to run out; recovery takes about lease + maintenance interval
  // (a generous bound for a loaded machine).
  expect(recoveredInMs).toBeLessThan(15_000);

  const items = await rawQuery<{ item: number; attempt: number }>(
    owner,
    'SELECT item, attempt FROM job_test_items WHERE job_id = $1',
    [jobId],
  );
  expect(items).toHaveLength(ITEMS);
  expect(new Set(items.map((i) => i.item)).size).toBe(ITEMS);
  expect(items.filter((i) => i.attempt === 1)).toHaveLength(HANG_AFTER);
  expect(items.filter((i) => i.attempt === 2)).toHaveLength(ITEMS - HANG_AFTER);
  expect(HANG_AFTER % CRASH_BATCH).toBe(0);

  expect(await bossState(owner, jobId)).toBe('completed');
  expect(await auditTypes(db, campaignId)).toEqual(['job.queued', 'job.finished:completed']);
  expect(await verifyAuditTrail(db, campaignId)).toMatchObject({ ok: true });
}, 60_000);
