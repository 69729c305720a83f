/**
 * Durable jobs, the pure part: the statuses a job run moves through, which moves are
 * allowed, and the retry defaults. No I/O here; src/jobs/ persists and runs them.
 *
 *   queued ──▶ running ──▶ completed | failed | cancelled
 *     │           │
 *     │           └──▶ queued      (the attempt failed or was interrupted; a retry is due)
 *     └──▶ cancelled | failed       (cancelled before it started; or unrunnable)
 */

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export type TerminalJobStatus = Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;

const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'cancelled', 'failed'],
  running: ['completed', 'failed', 'cancelled', 'queued'],
  completed: [],
  failed: [],
  cancelled: [],
};

export function isJobStatus(value: string): value is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value);
}

export function isTerminalJobStatus(status: JobStatus): status is TerminalJobStatus {
  return TRANSITIONS[status].length === 0;
}

export function canTransitionJob(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Codes stored in job_runs.error_code. They and the stored messages are generic on purpose:
 * a job's error is shown to staff and kept with the job, so it must never carry personal data
 * (a database error can quote a row; it is logged for the operator, not stored).
 */
export const JOB_ERROR_CODES = [
  'job_failed', // the handler reported a failure with its own safe message (JobError)
  'internal_error', // anything unexpected; the detail is in the operator's log only
  'worker_lost', // the process running it stopped responding and no retry was left
  'invalid_payload', // the stored payload no longer matches the job's schema
  'not_found', // AppError codes raised by use cases the job called pass through as-is
  'invalid_state',
  'rule_refused',
  'validation_failed',
  'conflict',
  'forbidden',
] as const;
export type JobErrorCode = (typeof JOB_ERROR_CODES)[number];

/** Attempts after the first when a handler throws (or its process dies). */
export const DEFAULT_JOB_RETRY_LIMIT = 2;
/** First retry waits about this long; with backoff each later one waits about twice as long. */
export const DEFAULT_JOB_RETRY_DELAY_SECONDS = 10;
export const DEFAULT_JOB_RETRY_BACKOFF = true;

/** Job names: lower-case words joined by dots, e.g. "audit.verify". */
export const JOB_NAME_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;
export const JOB_NAME_MAX_LENGTH = 60;

export function isValidJobName(name: string): boolean {
  return name.length <= JOB_NAME_MAX_LENGTH && JOB_NAME_PATTERN.test(name);
}
