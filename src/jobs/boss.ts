/**
 * pg-boss wiring. The queue lives in pg-boss's own schema (`pgboss`) in the same database;
 * job_runs (RLS, per campaign) is the record staff see. pg-boss rows carry only ids
 * ({ campaignId, jobId }), never a payload, because its schema has no row-level security.
 *
 * pg-boss talks to the database through our pool (both engines) or, when a queue write must
 * commit with our own rows, through the caller's transaction (`txExecutor`). Both run as the
 * application's role, which installJobSchema grants what pg-boss needs.
 *
 * pg-boss 10 has no heartbeat, so a few statements below touch its job table directly (lease
 * extension, putting a job back, final failure). They were written against its schema
 * version PGBOSS_SCHEMA_VERSION, which installJobSchema and the runner check.
 */
import PgBoss from 'pg-boss';
import { CompiledQuery, sql } from 'kysely';
import type { Database } from '../db/client.js';
import type { Tx } from '../db/scope.js';
import type { AnyJobDefinition } from './definition.js';
import { JOBS } from './registry.js';

export const JOB_SCHEMA = 'pgboss';
/** The pg-boss schema version this file's direct SQL was written for (pg-boss 10.1.5 – 10.4.x). */
export const PGBOSS_SCHEMA_VERSION = 24;
/**
 * Dead-letter queue of every job queue: pg-boss moves a job here when it fails for good, in
 * particular when it expired (its process died) with no retry left, which no handler sees.
 */
export const SETTLE_QUEUE = 'canvass.settle';

/** One queue per job name and version: a runner only takes jobs whose version it knows. */
export function queueName(job: { name: string; version: number }): string {
  return `canvass.${job.name}.v${job.version}`;
}

/** What each pg-boss job carries. */
export interface BossJobData {
  campaignId: string;
  jobId: string;
}

export function isBossJobData(value: unknown): value is BossJobData {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.campaignId === 'string' && typeof v.jobId === 'string';
}

/**
 * pg-boss over our pool. A statement without parameters may hold several commands (pg-boss's
 * maintenance and migrations do), so it goes through exec, which returns every statement's
 * rows; a failed multi-statement text may leave a transaction open, so it is rolled back
 * before the connection goes back (PGlite has only the one).
 */
export function poolExecutor(db: Database): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const client = await db.pool.connect();
      try {
        if (values === undefined || values.length === 0) {
          try {
            const results = await client.exec(text);
            return { rows: results.flat() };
          } catch (error) {
            await client.exec('ROLLBACK').catch(() => undefined);
            throw error;
          }
        }
        const result = await client.query(text, values);
        return { rows: result.rows };
      } finally {
        client.release();
      }
    },
  };
}

/** pg-boss inside one of our transactions: its write commits or rolls back with ours. */
export function txExecutor(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const result = await tx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows };
    },
  };
}

export interface BossOptions {
  /** Run pg-boss's maintenance (expiring overdue jobs, archiving) in this process. */
  supervise: boolean;
  maintenanceIntervalSeconds: number;
}

export function createBoss(db: Database, options: BossOptions): PgBoss {
  return new PgBoss({
    db: poolExecutor(db),
    schema: JOB_SCHEMA,
    migrate: false, // installJobSchema does that, as the owner
    schedule: false, // no cron: no clock-skew polling and no internal queue to create
    supervise: options.supervise,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
  });
}

export interface InstallJobSchemaOptions {
  /** Queues to create; default: every job in the registry. */
  jobs?: readonly AnyJobDefinition[];
}

/**
 * Creates or migrates pg-boss's schema and the job queues, as the database owner, and grants
 * the application role what pg-boss needs. Idempotent; `canvass migrate` calls it after the
 * SQL migrations, and so do the test helpers.
 */
export async function installJobSchema(owner: Database, options: InstallJobSchemaOptions = {}): Promise<void> {
  const jobs = options.jobs ?? JOBS;
  const boss = new PgBoss({
    db: poolExecutor(owner),
    schema: JOB_SCHEMA,
    migrate: true,
    schedule: false,
    supervise: false,
  });
  const errors: Error[] = [];
  boss.on('error', (error) => errors.push(error));
  await boss.start();
  try {
    const version = Number(await boss.schemaVersion());
    if (version !== PGBOSS_SCHEMA_VERSION) {
      throw new Error(
        `pg-boss schema version ${version} is not the ${PGBOSS_SCHEMA_VERSION} that src/jobs/boss.ts was written for`,
      );
    }
    await boss.createQueue(SETTLE_QUEUE, { name: SETTLE_QUEUE, policy: 'standard' });
    for (const job of jobs) {
      const name = queueName(job);
      await boss.createQueue(name, { name, policy: 'standard' });
    }
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
  if (errors[0]) throw errors[0];
  const client = await owner.pool.connect();
  try {
    await client.exec(`
      GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO canvass_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO canvass_app;
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} TO canvass_app;
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_SCHEMA} TO canvass_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOB_SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO canvass_app;
    `);
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------
// Direct statements on pg-boss's job table (schema version 24). Each is fenced by the
// fetch it belongs to: pg-boss adds 1 to retry_count each time it hands out a started job.
// ---------------------------------------------------------------------------------------

/**
 * Heartbeat: pushes the active job's expiry `leaseSeconds` past now, so pg-boss's
 * maintenance only expires (and retries) a job whose process stopped beating.
 * False when this fetch no longer holds the job.
 */
export async function extendLease(
  tx: Tx,
  queue: string,
  id: string,
  retryCount: number,
  leaseSeconds: number,
): Promise<boolean> {
  const result = await sql`
    UPDATE pgboss.job
       SET expire_in = (now() - started_on) + make_interval(secs => ${leaseSeconds}::float8)
     WHERE name = ${queue} AND id = ${id}::uuid AND state = 'active' AND retry_count = ${retryCount}::int`.execute(tx);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/**
 * Puts an interrupted job (runner shutting down) back in the queue at once, without using
 * up a retry: the next fetch adds the 1 back to retry_count.
 */
export async function releaseJob(tx: Tx, queue: string, id: string, retryCount: number): Promise<boolean> {
  const result = await sql`
    UPDATE pgboss.job
       SET state = 'retry', start_after = now(), retry_count = retry_count - 1
     WHERE name = ${queue} AND id = ${id}::uuid AND state = 'active' AND retry_count = ${retryCount}::int`.execute(tx);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** Makes pg-boss's next fail() of this job final (no retry left), for non-retryable errors. */
export async function spendRetries(tx: Tx, queue: string, id: string): Promise<void> {
  await sql`UPDATE pgboss.job SET retry_limit = retry_count WHERE name = ${queue} AND id = ${id}::uuid AND state < 'completed'`.execute(
    tx,
  );
}

/** Locks a job against fetching (fetch skips locked rows) and reads its state. */
export async function lockBossJob(tx: Tx, queue: string, id: string): Promise<string | null> {
  const result = await sql<{ state: string }>`
    SELECT state::text AS state FROM pgboss.job WHERE name = ${queue} AND id = ${id}::uuid FOR UPDATE SKIP LOCKED`.execute(
    tx,
  );
  return result.rows[0]?.state ?? null;
}

/** Jobs that started once and now wait for another attempt (their last attempt died or failed). */
export async function listStartedWaitingJobs(
  db: Database,
  queues: readonly string[],
): Promise<Array<{ queue: string; id: string; data: unknown }>> {
  if (queues.length === 0) return [];
  const { rows } = await poolExecutor(db).executeSql(
    `SELECT name AS queue, id::text AS id, data FROM ${JOB_SCHEMA}.job
      WHERE name = ANY($1::text[]) AND state IN ('created', 'retry') AND started_on IS NOT NULL
      LIMIT 1000`,
    [queues],
  );
  return rows as Array<{ queue: string; id: string; data: unknown }>;
}
