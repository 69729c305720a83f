/**
 * The consent ledger (LB-CONSENT-EVIDENCE, Art 7(1),(3)): append-only records per person ×
 * purpose × channel, each with its evidence; the wording shown is stored once, keyed by the
 * SHA-256 of its exact text. The current state (consent_state) is derived by the database
 * trigger from the record with the latest occurred_at, so history is never rewritten and
 * a late-arriving older record cannot override a newer one.
 */
import { createHash } from 'node:crypto';
import { inCampaign } from '../db/scope.js';
import { consentInputSchema, uuidv7 } from '../domain/people.js';
import { queueAudienceRemovals } from './audience-removals.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { dateOnly, findPersonOrThrow, lockPeople, objectionRefusal } from './people-shared.js';
import { parseInput } from './validate.js';

export const wordingHashOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface ConsentRecorded {
  records: { recordId: string; channel: string }[];
}

export async function recordConsent(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  personId: string,
  input: unknown,
): Promise<ConsentRecorded> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'consent.record');
    const parsed = parseInput(consentInputSchema, input);
    // A withdrawal may queue audience removals, which take the people lock: take it before the row lock.
    if (parsed.action === 'withdrawn') await lockPeople(tx, campaignId);
    const person = await findPersonOrThrow(tx, campaignId, personId, { forUpdate: true });
    if (parsed.action === 'granted' && person.objected_at !== null) {
      throw objectionRefusal(
        `this person objected to direct marketing on ${dateOnly(new Date(person.objected_at))}. An objection is absolute: staff cannot opt an objector back in. If the person now positively asks to receive messages, the objection would first have to be withdrawn by them, and Canvass does not support withdrawing an objection yet, so this consent cannot be recorded.`,
      );
    }
    const now = nowOf(deps);
    const actor = actorOf(principal);
    let wordingHash: string | null = null;
    if (parsed.action === 'granted') {
      wordingHash = wordingHashOf(parsed.wording);
      await tx
        .insertInto('consent_wordings')
        .values({ campaign_id: campaignId, wording_hash: wordingHash, text: parsed.wording, created_at: now })
        .onConflict((oc) => oc.columns(['campaign_id', 'wording_hash']).doNothing())
        .execute();
    }
    const channels = [...new Set(parsed.channels)];
    const records = channels.map((channel) => ({ recordId: uuidv7(now.getTime()), channel }));
    await tx
      .insertInto('consent_records')
      .values(
        records.map((r) => ({
          campaign_id: campaignId,
          record_id: r.recordId,
          person_id: personId,
          purpose: parsed.purpose,
          channel: r.channel,
          action: parsed.action,
          method: parsed.method,
          wording_hash: wordingHash,
          wording_version: parsed.action === 'granted' ? parsed.wordingVersion : null,
          occurred_at: new Date(parsed.occurredAt),
          recorded_at: now,
          recorded_by: JSON.stringify(actor),
          source_id: null,
          import_id: null,
          note: parsed.note,
        })),
      )
      .execute();
    if (parsed.action === 'withdrawn') {
      const consent = { purpose: parsed.purpose, channels };
      await queueAudienceRemovals(tx, campaignId, {
        personIds: [personId],
        reason: 'consent_withdrawn',
        consent,
        actor,
        now,
      });
    }
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      {
        type: 'person.consent_recorded',
        data: {
          personId,
          action: parsed.action,
          purpose: parsed.purpose,
          channels,
          recordIds: records.map((r) => r.recordId),
        },
      },
      now,
    );
    return { records };
  });
}
