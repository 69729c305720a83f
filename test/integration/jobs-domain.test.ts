/** The pure job rules (src/domain/jobs.ts): statuses and the moves between them. */
import { describe, expect, it } from 'vitest';
import {
  canTransitionJob,
  isTerminalJobStatus,
  isValidJobName,
  JOB_STATUSES,
  type JobStatus,
} from '../../src/domain/jobs.js';

describe('job status transitions', () => {
  const allowed: Array<[JobStatus, JobStatus]> = [
    ['queued', 'running'],
    ['queued', 'cancelled'], // cancelled before it started
    ['queued', 'failed'], // unrunnable, or its process died with no retry left
    ['running', 'completed'],
    ['running', 'failed'],
    ['running', 'cancelled'],
    ['running', 'queued'], // the attempt failed or was interrupted; another is due
  ];
  it.each(JOB_STATUSES.flatMap((from) => JOB_STATUSES.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    expect(canTransitionJob(from, to)).toBe(allowed.some(([a, b]) => a === from && b === to));
  });

  it('knows which statuses are final', () => {
    expect(JOB_STATUSES.filter(isTerminalJobStatus)).toEqual(['completed', 'failed', 'cancelled']);
  });
});

describe('job names', () => {
  it.each([
    ['audit.verify', true],
    ['import.people_csv', true],
    ['export', true],
    ['Audit.verify', false],
    ['audit..verify', false],
    ['audit.verify.', false],
    ['1audit', false],
    ['audit verify', false],
    ['a'.repeat(61), false],
  ])('%s → %s', (name, valid) => {
    expect(isValidJobName(name)).toBe(valid);
  });
});
