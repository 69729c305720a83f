/**
 * job_runs: the campaign-visible record of each job. Reads and the guarded writes the runner
 * makes; every statement runs in a transaction of the job's campaign (RLS applies).
 */
import { sql } from 'kysely';
import type { Tx } from '../db/scope.js';
import type { JobRunRow } from '../db/schema.js';
import { isJobStatus, type JobStatus } from '../domain/jobs.js';

export interface JobRun {
  jobId: string;
  campaignId: string;
  name: string;
  version: number;
  status: JobStatus;
  payload: unknown;
  progress: { done: number; total: number | null };
  /** The last checkpoint the job saved (what a resumed attempt starts from). */
  checkpoint: unknown;
  result: unknown;
  /** Why the last attempt failed: a generic code and message, never personal data. */
  error: { code: string; message: string } | null;
  attempts: number;
  cancelRequestedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
}

function statusOf(value: string): JobStatus {
  if (!isJobStatus(value)) throw new Error(`job_runs.status holds an unknown status "${value}"`);
  return value;
}

export function toJobRun(row: JobRunRow): JobRun {
  return {
    jobId: row.job_id,
    campaignId: row.campaign_id,
    name: row.name,
    version: row.version,
    status: statusOf(row.status),
    payload: row.payload,
    progress: {
      done: Number(row.progress_done),
      total: row.progress_total === null ? null : Number(row.progress_total),
    },
    checkpoint: row.checkpoint ?? null,
    result: row.result ?? null,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    attempts: row.attempts,
    cancelRequestedAt: row.cancel_requested_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    finishedAt: row.finished_at,
  };
}

/** JSON text for a jsonb column; undefined and null both store SQL NULL. */
export function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export async function lockJobRun(tx: Tx, campaignId: string, jobId: string): Promise<JobRunRow | undefined> {
  return tx
    .selectFrom('job_runs')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('job_id', '=', jobId)
    .forUpdate()
    .executeTakeFirst();
}

export interface ProgressWrite {
  done?: number;
  /** undefined leaves the stored total as it is. */
  total?: number | null;
  /** Present: replace the stored checkpoint. */
  checkpoint?: { value: unknown };
}

export type GuardedWriteResult = { kind: 'ok'; cancelRequested: boolean } | { kind: 'lost' };

/**
 * Writes progress and the heartbeat for the given attempt only: if the row is no longer
 * running under this attempt (finished, or another attempt took over), nothing is written.
 */
export async function writeProgress(
  tx: Tx,
  run: { campaignId: string; jobId: string; attempt: number },
  progress: ProgressWrite,
): Promise<GuardedWriteResult> {
  const row = await tx
    .updateTable('job_runs')
    .set({
      heartbeat_at: sql<Date>`now()`,
      ...(progress.done !== undefined ? { progress_done: progress.done } : {}),
      ...(progress.total !== undefined ? { progress_total: progress.total } : {}),
      ...(progress.checkpoint !== undefined ? { checkpoint: jsonOrNull(progress.checkpoint.value) } : {}),
    })
    .where('campaign_id', '=', run.campaignId)
    .where('job_id', '=', run.jobId)
    .where('status', '=', 'running')
    .where('attempts', '=', run.attempt)
    .returning(['cancel_requested_at'])
    .executeTakeFirst();
  if (!row) return { kind: 'lost' };
  return { kind: 'ok', cancelRequested: row.cancel_requested_at !== null };
}
