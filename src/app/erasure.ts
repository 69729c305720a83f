/**
 * Erasure (UK GDPR Art 17): removes the person's rows, their consent history and the link
 * from their objections, through canvass_erase_person(). Suppression entries are kept: they
 * are keyed hashes, not the identifiers, and they are what keeps an objector from being
 * imported or contacted again (Art 21(3)). Erasure alone never creates suppression entries.
 */
import { sql } from 'kysely';
import { inCampaign } from '../db/scope.js';
import { erasureInputSchema, uuidv7 } from '../domain/people.js';
import { suppressionKeys } from '../domain/suppression.js';
import { queueAudienceRemovals } from './audience-removals.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { findPersonOrThrow, lockPeople, personSuppressionIdentifiers } from './people-shared.js';
import { addSuppressionEntries, findSuppressions, suppressionHasher } from './suppression.js';
import { parseInput } from './validate.js';

export interface ErasureResult {
  erasureId: string;
  personId: string;
  suppressionEntriesKept: number;
  message: string;
}

export function erasureMessage(kept: number, objected: boolean): string {
  if (kept > 0) {
    return `Erased. ${kept} suppression ${kept === 1 ? 'entry was' : 'entries were'} kept so that this person is never imported or contacted again (UK GDPR Art 21(3)); they are keyed hashes, not the identifiers.`;
  }
  return objected
    ? 'Erased. No suppression entry could be kept: the person had no email, phone, or name and postcode to key one on.'
    : 'Erased. No suppression entries were kept: this person had not objected, so nothing stops them being imported again from a new source. Record an objection first if they also object to direct marketing.';
}

export async function erasePerson(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  personId: string,
  input: unknown,
): Promise<ErasureResult> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.erase');
    const parsed = parseInput(erasureInputSchema, input);
    await lockPeople(tx, campaignId);
    const person = await findPersonOrThrow(tx, campaignId, personId);
    const now = nowOf(deps);
    const actor = actorOf(principal);
    const objected = person.objected_at !== null;

    // The keys first: after the erasure nothing is left to compute them from.
    const identifiers = (await personSuppressionIdentifiers(tx, campaignId, personId)) ?? [];
    const hasher = await suppressionHasher(tx, campaignId);
    const keys = suppressionKeys(hasher, identifiers);
    if (objected) {
      const latest = await tx
        .selectFrom('objections')
        .select('objection_id')
        .where('campaign_id', '=', campaignId)
        .where('person_id', '=', personId)
        .orderBy('recorded_at', 'desc')
        .executeTakeFirst();
      await addSuppressionEntries(tx, campaignId, keys, {
        reason: 'objection',
        objectionId: latest?.objection_id ?? null,
        actor,
        now,
      });
    }
    const kept = (await findSuppressions(tx, campaignId, keys)).size;

    // Removal files need the person's hashed identifiers: kept on the removal, before they go.
    await queueAudienceRemovals(tx, campaignId, { personIds: [personId], reason: 'erased', actor, now });
    await sql`SELECT canvass_erase_person(${personId}::uuid)`.execute(tx);
    const erasureId = uuidv7(now.getTime());
    await tx
      .insertInto('erasures')
      .values({
        campaign_id: campaignId,
        erasure_id: erasureId,
        person_id: personId,
        erased_at: now,
        reason: parsed.reason,
        recorded_by: JSON.stringify(actor),
        suppression_entries: kept,
      })
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      { type: 'person.erased', data: { erasureId, personId, suppressionEntriesKept: kept } },
      now,
    );
    return { erasureId, personId, suppressionEntriesKept: kept, message: erasureMessage(kept, objected) };
  });
}
