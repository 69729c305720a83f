/**
 * The audit trail: typed events, hash-chained per campaign. Each event's hash commits to
 * its content and to the previous event's hash, and the campaign row keeps the head
 * (newest seq and hash), so altering, inserting or deleting any event — including the
 * newest — is detectable (UK GDPR Art 5(2) accountability, Art 30 records).
 *
 * The stored JSON of each event type is a contract: add fields, never rename or remove.
 */
import { createHash } from 'node:crypto';
import type { Role } from './permissions.js';

export type AuditEvent =
  | { type: 'campaign.created'; data: { name: string; controllerType: string } }
  | { type: 'campaign.updated'; data: { fields: string[] } }
  | { type: 'member.invited'; data: { invitationId: string; role: Role } }
  | { type: 'invitation.revoked'; data: { invitationId: string } }
  | {
      type: 'member.joined';
      data: { userId: string; role: Role; via: 'setup' | 'invitation' | 'campaign_creation' | 'cli' };
    }
  | { type: 'member.role_changed'; data: { userId: string; from: Role; to: Role } }
  | { type: 'member.removed'; data: { userId: string; role: Role } }
  | { type: 'job.queued'; data: { jobId: string; name: string } }
  | { type: 'job.cancel_requested'; data: { jobId: string; name: string } }
  | { type: 'job.finished'; data: { jobId: string; name: string; status: 'completed' | 'failed' | 'cancelled' } }
  | { type: 'audit.verified'; data: { ok: boolean; eventsChecked: number; problemSeq: number | null } }
  | { type: 'source.created'; data: { sourceId: string; name: string; sourceType: string } }
  | { type: 'source.updated'; data: { sourceId: string; fields: string[] } }
  | { type: 'import.refused'; data: { importId: string; sourceId: string; findings: RuleFindingData[] } }
  | {
      type: 'import.queued';
      data: { importId: string; sourceId: string; jobId: string; fileSha256: string; warnings: RuleFindingData[] };
    }
  | {
      type: 'import.finished';
      data: { importId: string; status: 'completed' | 'failed' | 'cancelled'; summary: Record<string, number> };
    }
  | { type: 'import.report_downloaded'; data: { importId: string; format: 'csv' } }
  | { type: 'person.created'; data: { personId: string; sourceId: string } }
  | { type: 'person.updated'; data: { personId: string; fields: string[] } }
  | {
      type: 'person.consent_recorded';
      data: {
        personId: string;
        action: 'granted' | 'withdrawn';
        purpose: string;
        channels: string[];
        recordIds: string[];
      };
    }
  | {
      type: 'person.objection_recorded';
      data: { objectionId: string; personId: string | null; suppressionEntriesAdded: number };
    }
  | { type: 'person.erased'; data: { erasureId: string; personId: string; suppressionEntriesKept: number } }
  | { type: 'person.viewed'; data: { personId: string } };

/** A rule finding as stored in the audit trail (see src/domain/rules/rule.ts). */
export interface RuleFindingData {
  ruleId: string;
  citation: string;
  outcome: string;
  explanation: string;
}

export type AuditEventType = AuditEvent['type'];

export type AuditActor =
  | { type: 'user'; id: string }
  | { type: 'api_token'; id: string }
  | { type: 'system'; id: string | null }
  | { type: 'public'; id: null };

export const GENESIS_HASH = '0'.repeat(64);

/** What the hash covers: everything stored except the hash itself. */
export interface ChainedEvent {
  campaignId: string;
  seq: number;
  eventId: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  type: string;
  payload: unknown;
  prevHash: string;
}

/** JSON with object keys sorted at every depth: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(event: ChainedEvent): string {
  const material = canonicalJson({
    v: 1,
    campaignId: event.campaignId,
    seq: event.seq,
    eventId: event.eventId,
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    type: event.type,
    payload: event.payload,
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(material).digest('hex');
}

export type ChainProblemKind = 'altered' | 'inserted' | 'missing';

export interface ChainProblem {
  kind: ChainProblemKind;
  seq: number;
  eventId: string | null;
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  eventsChecked: number;
  headSeq: number;
  problem: ChainProblem | null;
}

export interface ChainVerifier {
  /** Checks the next event in seq order; returns a result as soon as the chain is broken. */
  next(event: ChainedEvent & { hash: string }): ChainVerification | null;
  /** Called after the last event. */
  finish(): ChainVerification;
}

export function createChainVerifier(head: { seq: number; hash: string }): ChainVerifier {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const fail = (problem: ChainProblem): ChainVerification => ({
    ok: false,
    eventsChecked: checked,
    headSeq: head.seq,
    problem,
  });

  return {
    next(event) {
      if (event.seq > head.seq) {
        return fail({
          kind: 'inserted',
          seq: event.seq,
          eventId: event.eventId,
          message: `event ${event.seq} lies after the recorded head of the chain (${head.seq}): it was inserted outside the application`,
        });
      }
      if (event.seq > expectedSeq) {
        return fail({
          kind: 'missing',
          seq: expectedSeq,
          eventId: null,
          message: `event ${expectedSeq} is missing: the sequence jumps from ${expectedSeq - 1} to ${event.seq}`,
        });
      }
      const recomputed = hashEvent(event);
      if (event.prevHash !== prevHash) {
        // A self-consistent event that does not link to its predecessor was put there.
        const kind: ChainProblemKind = recomputed === event.hash ? 'inserted' : 'altered';
        return fail({
          kind,
          seq: event.seq,
          eventId: event.eventId,
          message:
            kind === 'inserted'
              ? `event ${event.seq} does not link to event ${event.seq - 1}: event ${event.seq} was inserted, or event ${event.seq - 1} was rewritten with a new hash`
              : `event ${event.seq} was altered: its link to the previous event no longer matches`,
        });
      }
      if (recomputed !== event.hash) {
        return fail({
          kind: 'altered',
          seq: event.seq,
          eventId: event.eventId,
          message: `event ${event.seq} (${event.type}) was altered: its content no longer matches its hash`,
        });
      }
      prevHash = event.hash;
      expectedSeq = event.seq + 1;
      checked += 1;
      return null;
    },
    finish() {
      if (expectedSeq - 1 < head.seq) {
        return fail({
          kind: 'missing',
          seq: expectedSeq,
          eventId: null,
          message: `event ${expectedSeq} is missing: the chain ends at ${expectedSeq - 1} but its recorded head is ${head.seq}`,
        });
      }
      if (prevHash !== head.hash) {
        return fail({
          kind: 'altered',
          seq: head.seq,
          eventId: null,
          message: `the recorded head of the chain does not match event ${head.seq}`,
        });
      }
      return { ok: true, eventsChecked: checked, headSeq: head.seq, problem: null };
    },
  };
}

/**
 * Walks a campaign's events in seq order and names the first problem:
 * - altered: the stored hash no longer matches the event's content;
 * - inserted: an event that does not link to its predecessor, or lies past the head;
 * - missing: a gap in the sequence, or the chain ends before the recorded head.
 */
export function verifyChain(
  events: Iterable<ChainedEvent & { hash: string }>,
  head: { seq: number; hash: string },
): ChainVerification {
  const verifier = createChainVerifier(head);
  for (const event of events) {
    const broken = verifier.next(event);
    if (broken) return broken;
  }
  return verifier.finish();
}
