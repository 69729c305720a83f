/**
 * Clocks on people's rights: subject access requests (UK GDPR Arts 12(3), 12A, 15) and
 * data-protection complaints (DPA 2018 s.164A). The clocks are pure functions of the request
 * and the time, so the dashboard, a reminder job and the rules all read the same dates.
 */
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { DAY_MS } from './facts.js';
import type { Rule } from './rule.js';

// ---------------------------------------------------------------------------------------
// DSAR-CLOCK
// ---------------------------------------------------------------------------------------

/** Art 12(3): respond without undue delay and at the latest within one month of receipt. */
export const DSAR_RESPONSE_MONTHS = 1;
/** Art 12(3): extendable by two further months where necessary, given complexity and number of requests. */
export const DSAR_EXTENSION_MONTHS = 2;
/** The catalogue's thresholds on the running clock: warn at day 20, escalate at day 30. */
export const DSAR_WARN_DAY = 20;
export const DSAR_ESCALATE_DAY = 30;
/** With the extension, warn this many days before the extended deadline. */
export const DSAR_EXTENDED_WARN_DAYS_BEFORE_DUE = 10;

export interface SubjectAccessRequest {
  receivedAt: string;
  /** Complex, or one of several from the person: the extension may apply. */
  complex: boolean;
  /** When the person was told of the extension, with reasons (it must be within the first month). */
  extensionNotifiedAt: string | null;
  /** When the campaign asked the person to confirm their identity (Art 12(6)); the clock pauses until it arrives. */
  idRequestedAt: string | null;
  idReceivedAt: string | null;
  respondedAt: string | null;
}

export type DsarClockState = 'closed' | 'awaiting_id' | 'running' | 'warning' | 'escalate' | 'overdue';

export interface DsarClock {
  state: DsarClockState;
  /** Days the clock has run (the pause for identity excluded). */
  daysRunning: number;
  /** The start of the first day on which the response is late. */
  dueAt: Date;
  extended: boolean;
}

/**
 * The same day `months` calendar months later, or the last day of that month when it has no
 * such day (ICO: the corresponding calendar date; 31 January → 28 or 29 February).
 */
export function addCalendarMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(date.getUTCDate(), lastDay),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );
}

const startOfDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** The deadline `months` after receipt: the end of the corresponding calendar day. */
const deadline = (receivedAt: Date, months: number): Date =>
  new Date(startOfDay(addCalendarMonths(receivedAt, months)).getTime() + DAY_MS);

/** Where a subject access request stands at `now`. */
export function dsarClock(request: SubjectAccessRequest, now: Date): DsarClock {
  const received = new Date(request.receivedAt);
  let pausedMs = 0;
  if (request.idRequestedAt !== null) {
    const from = Math.max(new Date(request.idRequestedAt).getTime(), received.getTime());
    const until = request.idReceivedAt === null ? now.getTime() : new Date(request.idReceivedAt).getTime();
    pausedMs = Math.max(0, until - from);
  }
  const firstMonthDue = new Date(deadline(received, DSAR_RESPONSE_MONTHS).getTime() + pausedMs);
  const extended =
    request.complex &&
    request.extensionNotifiedAt !== null &&
    new Date(request.extensionNotifiedAt).getTime() < firstMonthDue.getTime();
  const dueAt = extended
    ? new Date(deadline(received, DSAR_RESPONSE_MONTHS + DSAR_EXTENSION_MONTHS).getTime() + pausedMs)
    : firstMonthDue;
  const daysRunning = Math.max(0, (now.getTime() - received.getTime() - pausedMs) / DAY_MS);
  const clock = (state: DsarClockState): DsarClock => ({ state, daysRunning, dueAt, extended });
  if (request.respondedAt !== null) return clock('closed');
  if (request.idRequestedAt !== null && request.idReceivedAt === null) return clock('awaiting_id');
  if (now.getTime() >= dueAt.getTime()) return clock('overdue');
  if (extended) {
    return clock(
      now.getTime() >= dueAt.getTime() - DSAR_EXTENDED_WARN_DAYS_BEFORE_DUE * DAY_MS ? 'warning' : 'running',
    );
  }
  if (daysRunning >= DSAR_ESCALATE_DAY) return clock('escalate');
  if (daysRunning >= DSAR_WARN_DAY) return clock('warning');
  return clock('running');
}

export interface SubjectAccessFacts {
  request: SubjectAccessRequest;
  now: string;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);
/** The last day on which the response is on time. */
const lastDay = (dueAt: Date): string => day(new Date(dueAt.getTime() - DAY_MS));

/**
 * DSAR-CLOCK (Arts 12(3), 12A, 15): a subject access request is answered within one month
 * (three if complex and the person was told in time), the clock paused while the campaign waits
 * for proof of identity; warns at day 20 and escalates at day 30.
 */
export const subjectAccessClock: Rule<SubjectAccessFacts> = {
  meta: RULE_CATALOGUE['DSAR-CLOCK'],
  evaluate: ({ request, now }) => {
    const clock = dsarClock(request, new Date(now));
    const by = lastDay(clock.dueAt);
    const extensionHint =
      request.complex && !clock.extended
        ? ' If it is complex, tell the person now, with reasons, that the response will take up to two more months.'
        : '';
    switch (clock.state) {
      case 'closed':
      case 'awaiting_id':
      case 'running':
        return null;
      case 'warning':
        return {
          outcome: 'warn',
          explanation: `A subject access request has been open ${Math.floor(clock.daysRunning)} days; the response is due by ${by}.${extensionHint}`,
          remedy: 'Send the response (or the extension notice) before the deadline.',
        };
      case 'escalate':
        return {
          outcome: 'warn',
          explanation: `Escalate to the DPO: a subject access request has been open ${Math.floor(clock.daysRunning)} days and is due by ${by}.${extensionHint}`,
          remedy: 'The DPO makes sure the response goes out by the deadline.',
        };
      case 'overdue':
        return {
          outcome: 'warn',
          explanation: `Escalate to the DPO: a subject access request is overdue — the response was due by ${by}${clock.extended ? ' (with the extension)' : ''}.`,
          remedy: 'Respond now, and record why it was late.',
        };
    }
  },
};

// ---------------------------------------------------------------------------------------
// COMPLAINT-30D
// ---------------------------------------------------------------------------------------

/**
 * DPA 2018 s.164A (inserted by the Data (Use and Access) Act 2025): a controller acknowledges a
 * data-protection complaint within 30 days beginning with the day it is received. In force for
 * complaints received from this date.
 */
export const COMPLAINT_ACK_DUTY_FROM = '2026-06-19';
export const COMPLAINT_ACK_DAYS = 30;
/** The catalogue's warning threshold: day 20 of the 30. */
export const COMPLAINT_WARN_DAY = 20;

export interface ComplaintFacts {
  complaint: { receivedAt: string; acknowledgedAt: string | null };
  now: string;
}

/** The day of the 30 (the day of receipt is day 1) and the start of the first day too late. */
export function complaintClock(receivedAt: Date, now: Date): { day: number; lateFrom: Date } {
  const start = startOfDay(receivedAt);
  return {
    day: Math.floor((now.getTime() - start.getTime()) / DAY_MS) + 1,
    lateFrom: new Date(start.getTime() + COMPLAINT_ACK_DAYS * DAY_MS),
  };
}

/** COMPLAINT-30D (DPA 2018 s.164A): acknowledge a complaint within 30 days; warn from day 20. */
export const complaintAcknowledged: Rule<ComplaintFacts> = {
  meta: RULE_CATALOGUE['COMPLAINT-30D'],
  evaluate: ({ complaint, now }) => {
    if (complaint.acknowledgedAt !== null) return null;
    const received = new Date(complaint.receivedAt);
    if (received < new Date(COMPLAINT_ACK_DUTY_FROM)) return null;
    const { day: d, lateFrom } = complaintClock(received, new Date(now));
    if (d < COMPLAINT_WARN_DAY) return null;
    const by = day(new Date(lateFrom.getTime() - DAY_MS));
    return new Date(now) >= lateFrom
      ? {
          outcome: 'warn',
          explanation: `A data-protection complaint received on ${day(received)} was not acknowledged within 30 days (by ${by}), in breach of DPA 2018 s.164A.`,
          remedy: 'Acknowledge it now, and tell the DPO.',
        }
      : {
          outcome: 'warn',
          explanation: `A data-protection complaint received on ${day(received)} is on day ${d} of 30 without an acknowledgement; acknowledge it by ${by}.`,
          remedy: 'Acknowledge the complaint.',
        };
  },
};

export const RIGHTS_RULES: readonly RuleBinding[] = [
  applies(subjectAccessClock, ['dsar.check']),
  applies(complaintAcknowledged, ['complaint.check']),
];
