/**
 * The audit trail: typed events, hash-chained per campaign. Each event's hash commits to
 * its content and to the previous event's hash, and the campaign row keeps the head
 * (newest seq and hash), so altering, inserting or deleting any event — including the
 * newest — is detectable (UK GDPR Art 5(2) accountability, Art 30 records).
 *
 * The stored JSON of each event type is a contract: add fields, never rename or remove.
 */
import { createHash } from 'node:crypto';
import type { AudienceAuditEvent } from './audiences/audit-events.js';
import type { ConsentSiteAuditEvent } from './consent-sites.js';
import type { Role } from './permissions.js';
import { AUDIT_EVENT_LABELS } from '../shared/labels.js';

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
  | { type: 'person.viewed'; data: { personId: string } }
  // A decision of the rules engine (src/domain/rules/engine.ts) that refused, required, warned,
  // or allowed with its reasoning recorded; written by src/app/decisions.ts. `ref` holds ids only.
  | {
      type: 'rules.decided';
      data: {
        capability: string;
        outcome: 'allow' | 'warn' | 'require' | 'refuse';
        ref: Record<string, string> | null;
        findings: RuleFindingData[];
        reasoning: RuleFindingData[];
      };
    }
  // People: manual entry refused, tags and lists (issue 3)
  | { type: 'person.create_refused'; data: { sourceId: string; findings: RuleFindingData[] } }
  | { type: 'person.tag_added'; data: { personId: string; tagId: string; provenanceId: number } }
  | { type: 'person.tag_removed'; data: { personId: string; tagId: string } }
  | { type: 'person.list_added'; data: { personId: string; listId: string; provenanceId: number } }
  | { type: 'person.list_removed'; data: { personId: string; listId: string } }
  | { type: 'tag.created'; data: { tagId: string; name: string } }
  | { type: 'tag.updated'; data: { tagId: string; fields: string[]; name: string; previousName?: string } }
  | { type: 'tag.deleted'; data: { tagId: string; name: string } }
  | { type: 'list.created'; data: { listId: string; name: string } }
  | { type: 'list.updated'; data: { listId: string; fields: string[]; name: string; previousName?: string } }
  | { type: 'list.deleted'; data: { listId: string; name: string } }
  // DPIAs (issue 4; UK GDPR Art 35-36)
  | {
      type: 'dpia.created';
      data: {
        dpiaId: string;
        title: string;
        activityId: string | null;
        screeningRequired: boolean;
        triggers: string[];
      };
    }
  | { type: 'dpia.updated'; data: { dpiaId: string; version: number; fields: string[] } }
  | { type: 'dpia.version_created'; data: { dpiaId: string; version: number; fromVersion: number } }
  | { type: 'dpia.submitted'; data: { dpiaId: string; version: number } }
  | { type: 'dpia.returned_to_draft'; data: { dpiaId: string; version: number } }
  | {
      type: 'dpia.approved';
      data: {
        dpiaId: string;
        version: number;
        reviewDate: string;
        residualHighRisks: number;
        warnings: RuleFindingData[];
      };
    }
  | { type: 'dpia.approval_refused'; data: { dpiaId: string; version: number; findings: RuleFindingData[] } }
  | { type: 'dpia.rejected'; data: { dpiaId: string; version: number; reason: string } }
  | { type: 'dpia.action_added'; data: { dpiaId: string; actionId: string; dueDate: string } }
  | { type: 'dpia.action_updated'; data: { dpiaId: string; actionId: string; fields: string[] } }
  | { type: 'dpia.processing_refused'; data: { activityId: string; findings: RuleFindingData[] } }
  // Governance records (issue 4): record of processing (Art 30), processors (Art 28),
  // joint-controller arrangements (Art 26). `findings` are the rule findings of the record
  // when it was saved; `warnings` those that let a status change go ahead.
  | {
      type: 'processing_activity.created';
      data: { activityId: string; name: string; status: 'draft' | 'active'; warnings: RuleFindingData[] };
    }
  | { type: 'processing_activity.updated'; data: { activityId: string; fields: string[]; warnings: RuleFindingData[] } }
  | {
      type: 'processing_activity.status_changed';
      data: { activityId: string; from: string; to: 'active' | 'retired'; warnings: RuleFindingData[] };
    }
  | {
      type: 'processing_activity.refused';
      data: {
        activityId: string | null;
        name: string;
        action: 'create' | 'update' | 'activate';
        findings: RuleFindingData[];
      };
    }
  | { type: 'ropa.exported'; data: { format: 'csv' | 'json' | 'print'; activities: number } }
  | { type: 'processor.created'; data: { processorId: string; name: string; findings: RuleFindingData[] } }
  | {
      type: 'processor.updated';
      data: { processorId: string; fields: string[]; findings: RuleFindingData[]; activeActivityIds: string[] };
    }
  | {
      type: 'joint_arrangement.created';
      data: {
        arrangementId: string;
        platform: string;
        scope: string;
        presetVersion: string | null;
        findings: RuleFindingData[];
      };
    }
  | {
      type: 'joint_arrangement.updated';
      data: { arrangementId: string; fields: string[]; findings: RuleFindingData[]; activeActivityIds: string[] };
    }
  // Privacy notice (issue 4; UK GDPR Arts 12-14): settings, Welsh texts, publication, and
  // which version each person was given.
  | { type: 'privacy_notice.settings_updated'; data: { fields: string[] } }
  | {
      type: 'privacy_notice.translation_saved';
      data: { language: 'cy'; sectionId: string; sourceSha256: string; removed: boolean };
    }
  | {
      type: 'privacy_notice.published';
      data: { version: number; language: 'en' | 'cy'; sha256: string; sections: string[]; warnings: RuleFindingData[] };
    }
  | { type: 'privacy_notice.publish_refused'; data: { language: 'en' | 'cy'; findings: RuleFindingData[] } }
  | {
      type: 'privacy_notice.delivered';
      data: { deliveryId: string; personId: string; version: number; language: 'en' | 'cy'; method: string };
    }
  | AudienceAuditEvent
  | ConsentSiteAuditEvent;

/** Every event type has its dashboard label (src/shared/labels.ts): checked when compiling. */
export const AUDIT_EVENT_TYPE_LABELS: Readonly<Record<AuditEvent['type'], string>> = AUDIT_EVENT_LABELS;

/** A rule finding as stored in the audit trail (see src/domain/rules/rule.ts). */
export interface RuleFindingData {
  ruleId: string;
  citation: string;
  outcome: string;
  explanation: string;
  /** What would make it allowed (added for rules.decided; older events lack it). */
  remedy?: string | null;
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
