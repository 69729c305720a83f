/**
 * Objections to direct marketing (UK GDPR Art 21(2)–(3); DM-OBJECTION-ABSOLUTE): recorded
 * for a person, or for raw identifiers of someone who may not be in the database. Either way
 * every identifier becomes a suppression entry (DM-SUPPRESSION), a keyed hash that outlives
 * the person's erasure, and every matching person is marked objected.
 */
import { sql } from 'kysely';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { invalid } from '../domain/errors.js';
import { normalizeEmail, normalizePhone, normalizeUkPostcode } from '../domain/identifiers.js';
import { objectionByIdentifierSchema, objectionInputSchema, uuidv7 } from '../domain/people.js';
import { normalizePersonName, suppressionKeys, type SuppressionIdentifier } from '../domain/suppression.js';
import { queueAudienceRemovals } from './audience-removals.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { findPersonOrThrow, lockPeople, personSuppressionIdentifiers } from './people-shared.js';
import { addSuppressionEntries, identifiersFromRaw, suppressionHasher } from './suppression.js';
import { parseInput } from './validate.js';

export interface ObjectionRecorded {
  objectionId: string;
  suppressionEntriesAdded: number;
}

/** Marks people objected (keeping the earliest date) and returns the suppression identifiers of all of them. */
async function markObjected(
  tx: Tx,
  campaignId: string,
  personIds: readonly string[],
  receivedAt: Date,
  now: Date,
): Promise<SuppressionIdentifier[]> {
  const out: SuppressionIdentifier[] = [];
  for (const personId of personIds) {
    await tx
      .updateTable('people')
      .set({
        objected_at: sql`LEAST(coalesce(objected_at, ${receivedAt}::timestamptz), ${receivedAt}::timestamptz)`,
        updated_at: now,
      })
      .where('campaign_id', '=', campaignId)
      .where('person_id', '=', personId)
      .execute();
    out.push(...((await personSuppressionIdentifiers(tx, campaignId, personId)) ?? []));
  }
  return out;
}

/** Inserts objection rows (one per person, or one with no person), all with the same details. */
async function insertObjections(
  tx: Tx,
  campaignId: string,
  objections: ReadonlyArray<{ objectionId: string; personId: string | null }>,
  details: { receivedAt: Date; method: string; note: string | null; now: Date; actor: AuditActor },
): Promise<void> {
  await tx
    .insertInto('objections')
    .values(
      objections.map((o) => ({
        campaign_id: campaignId,
        objection_id: o.objectionId,
        person_id: o.personId,
        received_at: details.receivedAt,
        method: details.method,
        note: details.note,
        recorded_at: details.now,
        recorded_by: JSON.stringify(details.actor),
      })),
    )
    .execute();
}

async function addEntries(
  tx: Tx,
  campaignId: string,
  identifiers: readonly SuppressionIdentifier[],
  objectionId: string,
  actor: AuditActor,
  now: Date,
): Promise<number> {
  const hasher = await suppressionHasher(tx, campaignId);
  return addSuppressionEntries(tx, campaignId, suppressionKeys(hasher, identifiers), {
    reason: 'objection',
    objectionId,
    actor,
    now,
  });
}

/** Records a person's objection: every channel, for good. */
export async function recordObjection(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  personId: string,
  input: unknown,
): Promise<ObjectionRecorded> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'objections.record');
    const parsed = parseInput(objectionInputSchema, input);
    await lockPeople(tx, campaignId);
    await findPersonOrThrow(tx, campaignId, personId);
    const now = nowOf(deps);
    const actor = actorOf(principal);
    const objectionId = uuidv7(now.getTime());
    const receivedAt = new Date(parsed.receivedAt);
    await insertObjections(tx, campaignId, [{ objectionId, personId }], {
      receivedAt,
      method: parsed.method,
      note: parsed.note,
      now,
      actor,
    });
    const identifiers = await markObjected(tx, campaignId, [personId], receivedAt, now);
    const added = await addEntries(tx, campaignId, identifiers, objectionId, actor, now);
    await queueAudienceRemovals(tx, campaignId, { personIds: [personId], reason: 'objection', actor, now });
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      { type: 'person.objection_recorded', data: { objectionId, personId, suppressionEntriesAdded: added } },
      now,
    );
    return { objectionId, suppressionEntriesAdded: added };
  });
}

/** The people an identifier set names: by email, phone, or exactly the name at the postcode. */
async function peopleMatching(
  tx: Tx,
  campaignId: string,
  raw: { email: string | null; phone: string | null; name: string | null; postcode: string | null },
): Promise<string[]> {
  const ids = new Set<string>();
  const byIdentifier = async (kind: 'email' | 'phone', value: string): Promise<void> => {
    const column = kind === 'email' ? sql.ref('email') : sql.ref('phone');
    const rows = await sql<{ person_id: string }>`
      SELECT person_id FROM people WHERE campaign_id = ${campaignId} AND ${column} = ${value}
      UNION
      SELECT person_id FROM person_identifiers WHERE campaign_id = ${campaignId} AND kind = ${kind} AND value = ${value}`.execute(
      tx,
    );
    for (const r of rows.rows) ids.add(r.person_id);
  };
  if (raw.email) {
    const n = normalizeEmail(raw.email);
    if (n.ok) await byIdentifier('email', n.value);
  }
  if (raw.phone) {
    const n = normalizePhone(raw.phone);
    if (n.ok) await byIdentifier('phone', n.value);
  }
  if (raw.name && raw.postcode) {
    const pc = normalizeUkPostcode(raw.postcode);
    const name = normalizePersonName(raw.name);
    if (pc.ok && name) {
      const rows = await tx
        .selectFrom('people')
        .select(['person_id', 'first_name', 'last_name'])
        .where('campaign_id', '=', campaignId)
        .where('postcode', '=', pc.value)
        .execute();
      for (const r of rows) {
        if (normalizePersonName([r.first_name, r.last_name].filter((n) => n).join(' ')) === name) ids.add(r.person_id);
      }
    }
  }
  return [...ids];
}

export interface ObjectionByIdentifierRecorded extends ObjectionRecorded {
  peopleMarked: string[];
}

/**
 * An objection from someone identified only by their contact details (an email to the
 * office, a phone call): entries for each usable identifier, and every matching person is
 * marked objected with all of their identifiers suppressed too.
 */
export async function recordObjectionByIdentifier(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<ObjectionByIdentifierRecorded> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'objections.record');
    const parsed = parseInput(objectionByIdentifierSchema, input);
    const issues = [];
    if (parsed.email) {
      const n = normalizeEmail(parsed.email);
      if (!n.ok) issues.push({ field: 'email', message: n.reason });
    }
    if (parsed.phone) {
      const n = normalizePhone(parsed.phone);
      if (!n.ok) issues.push({ field: 'phone', message: n.reason });
    }
    if (parsed.postcode) {
      const n = normalizeUkPostcode(parsed.postcode);
      if (!n.ok) issues.push({ field: 'postcode', message: n.reason });
    }
    if ((parsed.name && !parsed.postcode) || (!parsed.name && parsed.postcode)) {
      issues.push({ field: parsed.name ? 'postcode' : 'name', message: 'a name and a postcode go together' });
    }
    if (issues.length > 0) throw invalid(issues);
    const identifiers = identifiersFromRaw({
      emails: [parsed.email],
      phones: [parsed.phone],
      name: parsed.name,
      postcode: parsed.postcode,
    });
    if (identifiers.length === 0) {
      throw invalid([{ field: '', message: 'give an email, a phone number, or a name and a postcode' }]);
    }
    await lockPeople(tx, campaignId);
    const now = nowOf(deps);
    const actor = actorOf(principal);
    const receivedAt = new Date(parsed.receivedAt);
    const matched = await peopleMatching(tx, campaignId, parsed);
    // One objection row per person it names (each person's history shows it), or one unlinked row.
    const objectionIds = (matched.length > 0 ? matched : [null]).map((personId) => ({
      objectionId: uuidv7(now.getTime()),
      personId,
    }));
    const objectionId = objectionIds[0]!.objectionId;
    await insertObjections(tx, campaignId, objectionIds, {
      receivedAt,
      method: parsed.method,
      note: parsed.note,
      now,
      actor,
    });
    const personIdentifiers = await markObjected(tx, campaignId, matched, receivedAt, now);
    const added = await addEntries(tx, campaignId, [...identifiers, ...personIdentifiers], objectionId, actor, now);
    await queueAudienceRemovals(tx, campaignId, { personIds: matched, reason: 'objection', actor, now });
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      {
        type: 'person.objection_recorded',
        data: { objectionId, personId: matched[0] ?? null, suppressionEntriesAdded: added },
      },
      now,
    );
    return { objectionId, suppressionEntriesAdded: added, peopleMarked: matched };
  });
}
