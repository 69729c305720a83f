/**
 * Rights clocks, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { explanationOf, NOW, outcomeOf } from '../../../test/helpers/rule-facts.js';
import {
  addCalendarMonths,
  COMPLAINT_ACK_DUTY_FROM,
  complaintAcknowledged,
  DSAR_ESCALATE_DAY,
  DSAR_WARN_DAY,
  dsarClock,
  subjectAccessClock,
  type SubjectAccessRequest,
} from './rights-rules.js';

const request = (over: Partial<SubjectAccessRequest> = {}): SubjectAccessRequest => ({
  receivedAt: '2026-11-15T10:00:00Z',
  complex: false,
  extensionNotifiedAt: null,
  idRequestedAt: null,
  idReceivedAt: null,
  respondedAt: null,
  ...over,
});

describe('DSAR-CLOCK', () => {
  it.each([
    ['2026-01-31T09:00:00Z', 1, '2026-02-28T09:00:00.000Z'],
    ['2028-01-31T09:00:00Z', 1, '2028-02-29T09:00:00.000Z'],
    ['2026-03-31T09:00:00Z', 1, '2026-04-30T09:00:00.000Z'],
    ['2026-12-15T09:00:00Z', 1, '2027-01-15T09:00:00.000Z'],
    ['2026-11-30T09:00:00Z', 3, '2027-02-28T09:00:00.000Z'],
  ])('DSAR-CLOCK: %s plus %i calendar month(s) is %s', (from, months, to) => {
    expect(addCalendarMonths(new Date(from), months).toISOString()).toBe(to);
  });

  // NOW is 2026-11-29T12:00Z.
  it.each([
    ['day 14', undefined, request(), NOW, 'running', null],
    [
      `day ${DSAR_WARN_DAY + 1}`,
      'warn',
      request({ receivedAt: '2026-11-08T10:00:00Z' }),
      NOW,
      'warning',
      /open 21 days; the response is due by 2026-12-08/,
    ],
    [
      `day ${DSAR_ESCALATE_DAY} of a 31-day month`,
      'warn',
      request({ receivedAt: '2026-10-30T10:00:00Z' }),
      NOW,
      'escalate',
      /^Escalate to the DPO: .* due by 2026-11-30/,
    ],
    [
      'past the month',
      'warn',
      request({ receivedAt: '2026-10-28T10:00:00Z' }),
      NOW,
      'overdue',
      /overdue — the response was due by 2026-11-28/,
    ],
    [
      'answered',
      undefined,
      request({ receivedAt: '2026-10-01T10:00:00Z', respondedAt: '2026-10-20T10:00:00Z' }),
      NOW,
      'closed',
      null,
    ],
    [
      'waiting for proof of identity',
      undefined,
      request({ receivedAt: '2026-10-01T10:00:00Z', idRequestedAt: '2026-10-02T10:00:00Z' }),
      NOW,
      'awaiting_id',
      null,
    ],
    [
      'paused 10 days for identity',
      'warn',
      request({
        receivedAt: '2026-10-25T10:00:00Z',
        idRequestedAt: '2026-11-01T00:00:00Z',
        idReceivedAt: '2026-11-11T00:00:00Z',
      }),
      NOW,
      'warning',
      /open 25 days; the response is due by 2026-12-05/,
    ],
    [
      'complex, extension told within the month, day 59',
      undefined,
      request({ receivedAt: '2026-10-01T10:00:00Z', complex: true, extensionNotifiedAt: '2026-10-10T10:00:00Z' }),
      NOW,
      'running',
      null,
    ],
    [
      'complex, extension told, 9 days before the extended deadline',
      'warn',
      request({ receivedAt: '2026-10-01T10:00:00Z', complex: true, extensionNotifiedAt: '2026-10-10T10:00:00Z' }),
      '2026-12-23T12:00:00Z',
      'warning',
      /due by 2027-01-01/,
    ],
    [
      'complex, extension told too late',
      'warn',
      request({ receivedAt: '2026-10-01T10:00:00Z', complex: true, extensionNotifiedAt: '2026-11-05T10:00:00Z' }),
      NOW,
      'overdue',
      /due by 2026-11-01/,
    ],
    [
      'complex, not yet told, day 21',
      'warn',
      request({ receivedAt: '2026-11-08T10:00:00Z', complex: true }),
      NOW,
      'warning',
      /tell the person now, with reasons/,
    ],
  ] as const)('DSAR-CLOCK: %s → %s', (_name, outcome, req, now, state, explanation) => {
    expect(dsarClock(req, new Date(now)).state).toBe(state);
    expect(outcomeOf(subjectAccessClock, { request: req, now })).toBe(outcome);
    if (explanation) expect(explanationOf(subjectAccessClock, { request: req, now })).toMatch(explanation);
  });
});

describe('COMPLAINT-30D', () => {
  const complaint = (receivedAt: string, acknowledgedAt: string | null = null) => ({
    complaint: { receivedAt, acknowledgedAt },
    now: NOW,
  });
  it.each([
    ['day 15', undefined, complaint('2026-11-15T09:00:00Z'), null],
    ['day 20', 'warn', complaint('2026-11-10T09:00:00Z'), /day 20 of 30 .* by 2026-12-09/],
    ['day 30, the last day', 'warn', complaint('2026-10-31T09:00:00Z'), /day 30 of 30 .* by 2026-11-29/],
    [
      'day 31',
      'warn',
      complaint('2026-10-30T09:00:00Z'),
      /not acknowledged within 30 days \(by 2026-11-28\), in breach/,
    ],
    ['acknowledged', undefined, complaint('2026-10-01T09:00:00Z', '2026-10-03T09:00:00Z'), null],
    [`received before the duty (${COMPLAINT_ACK_DUTY_FROM})`, undefined, complaint('2026-06-18T09:00:00Z'), null],
    ['received on the day the duty began', 'warn', complaint('2026-06-19T09:00:00Z'), /in breach/],
  ] as const)('%s → %s', (_name, outcome, facts, explanation) => {
    expect(outcomeOf(complaintAcknowledged, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(complaintAcknowledged, facts)).toMatch(explanation);
  });
});
