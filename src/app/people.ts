/**
 * People: search (keyset-paginated, every filter on an index), the full record of a person
 * with the provenance of each value, manual entry screened against suppressions, and the Art 14
 * notice. Tags and lists: src/app/tags.ts.
 */
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { inCampaign, type Tx } from '../db/scope.js';
import { AppError, invalid, notFound, conflict, type FieldIssue } from '../domain/errors.js';
import type { Finding } from '../domain/rules/rule.js';
import { normalizeEmail, normalizePhone, normalizeUkPostcode } from '../domain/identifiers.js';
import { art14DueAt, art14WarningFrom, peopleQuerySchema, uuidv7, type PeopleQuery } from '../domain/people.js';
import { isThirdPartySource, type SourceType } from '../domain/sources.js';
import { suppressionKeys } from '../domain/suppression.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import {
  dateOnly,
  loadPersonDetail,
  lockPeople,
  objectionRefusal,
  presentSummary,
  type PersonDetail,
  type PersonRowLike,
  type PersonSummary,
} from './people-shared.js';
import { recordArt14Delivery } from './privacy-notice-deliveries.js';
import { findSuppressions, identifiersFromRaw, suppressionHasher } from './suppression.js';
import { parseInput } from './validate.js';

export type { PersonDetail, PersonSummary } from './people-shared.js';

// ---------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------

export interface PeoplePage {
  people: PersonSummary[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const encodeCursor = (personId: string): string => Buffer.from(`p:${personId}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('p:') ? text.slice(2) : '';
  if (!UUID.test(id)) throw invalid([{ field: 'after', message: 'not a cursor from a previous page' }]);
  return id;
}

/**
 * Values of `column` that start with `prefix`, as a byte-wise range with the text_pattern
 * operators. Row-level security lets only leakproof conditions use an index; LIKE and lower()
 * are not leakproof, ~>=~ and ~<~ are, and the columns searched this way carry
 * text_pattern_ops indexes. U+10FFFF sorts after every other character.
 */
const startsWith = (column: RawBuilder<unknown>, prefix: string): Filter =>
  sql`(${column} ~>=~ ${prefix} AND ${column} ~<~ ${`${prefix}\u{10FFFF}`})`;

const OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/;

type Filter = RawBuilder<unknown>;

/** What `q` is: an email, a phone, a postcode or the start of a name. */
export function classifyQuery(q: string): { kind: 'email' | 'phone' | 'postcode' | 'name'; value: string } {
  const text = q.trim();
  if (text.includes('@')) return { kind: 'email', value: text };
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (normalizeUkPostcode(text).ok || OUTWARD.test(compact)) return { kind: 'postcode', value: text };
  if (/\d/.test(text) && normalizePhone(text).ok) return { kind: 'phone', value: text };
  return { kind: 'name', value: text };
}

async function identifierOwners(tx: Tx, campaignId: string, kind: 'email' | 'phone', value: string): Promise<string[]> {
  const column = kind === 'email' ? sql.ref('email') : sql.ref('phone');
  const rows = await sql<{ person_id: string }>`
    SELECT person_id FROM people WHERE campaign_id = ${campaignId} AND ${column} = ${value}
    UNION
    SELECT person_id FROM person_identifiers WHERE campaign_id = ${campaignId} AND kind = ${kind} AND value = ${value}`.execute(
    tx,
  );
  return rows.rows.map((r) => r.person_id);
}

/**
 * The filters of a query as SQL conditions on `p` (people). Email and phone are resolved
 * first (primary or extra identifier → person ids), so the main query is an index lookup.
 * Returns null when a filter can match no one.
 */
async function filtersOf(tx: Tx, campaignId: string, query: PeopleQuery, now: Date): Promise<Filter[] | null> {
  const filters: Filter[] = [];
  const issues: FieldIssue[] = [];
  let email = query.email;
  let phone = query.phone;
  let postcode = query.postcode;
  let name = query.name;
  if (query.q) {
    const c = classifyQuery(query.q);
    if (c.kind === 'email') email ??= c.value;
    else if (c.kind === 'phone') phone ??= c.value;
    else if (c.kind === 'postcode') postcode ??= c.value;
    else name ??= c.value;
  }
  const idSets: string[][] = [];
  if (email) {
    const n = normalizeEmail(email);
    if (n.ok) idSets.push(await identifierOwners(tx, campaignId, 'email', n.value));
    else filters.push(startsWith(sql.ref('p.email'), email.trim().toLowerCase()));
  }
  if (phone) {
    const n = normalizePhone(phone);
    if (n.ok) idSets.push(await identifierOwners(tx, campaignId, 'phone', n.value));
    else issues.push({ field: 'phone', message: `${n.reason}` });
  }
  if (postcode) {
    const n = normalizeUkPostcode(postcode);
    if (n.ok) filters.push(sql`p.postcode = ${n.value}`);
    else filters.push(startsWith(sql.ref('p.postcode'), postcode.trim().toUpperCase().replace(/\s+/g, ' ')));
  }
  if (name) {
    const words = name.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const last = words.pop();
    if (last) filters.push(startsWith(sql.ref('p.last_name_key'), last));
    if (words.length > 0) filters.push(startsWith(sql.ref('p.first_name_key'), words.join(' ')));
  }
  if (issues.length > 0) throw invalid(issues);
  for (const ids of idSets) {
    if (ids.length === 0) return null;
    filters.push(sql`p.person_id IN (${sql.join(ids)})`);
  }
  if (query.tag) {
    const tag = await tx
      .selectFrom('tags')
      .select('tag_id')
      .where('campaign_id', '=', campaignId)
      .where(sql`lower(name)`, '=', query.tag.toLowerCase())
      .executeTakeFirst();
    if (!tag) return null;
    filters.push(sql`EXISTS (SELECT 1 FROM person_tags pt WHERE pt.campaign_id = p.campaign_id
      AND pt.tag_id = ${tag.tag_id} AND pt.person_id = p.person_id)`);
  }
  if (query.list) {
    const list = await tx
      .selectFrom('lists')
      .select('list_id')
      .where('campaign_id', '=', campaignId)
      .where(sql`lower(name)`, '=', query.list.toLowerCase())
      .executeTakeFirst();
    if (!list) return null;
    filters.push(sql`EXISTS (SELECT 1 FROM list_members lm WHERE lm.campaign_id = p.campaign_id
      AND lm.list_id = ${list.list_id} AND lm.person_id = p.person_id)`);
  }
  if (query.sourceId) {
    filters.push(sql`p.person_id IN (
      SELECT s1.person_id FROM people s1 WHERE s1.campaign_id = ${campaignId} AND s1.first_source_id = ${query.sourceId}
      UNION
      SELECT s2.person_id FROM person_sources s2 WHERE s2.campaign_id = ${campaignId} AND s2.source_id = ${query.sourceId})`);
  }
  if (query.consent || query.consentChannel) {
    const channel = query.consentChannel ? sql`AND cs.channel = ${query.consentChannel}` : sql``;
    const held = (granted: boolean | null): Filter =>
      sql`EXISTS (SELECT 1 FROM consent_state cs WHERE cs.campaign_id = p.campaign_id AND cs.person_id = p.person_id
        ${channel} ${granted === null ? sql`` : sql`AND cs.granted = ${granted}`})`;
    switch (query.consent ?? 'granted') {
      case 'granted':
        filters.push(held(true));
        break;
      case 'withdrawn':
        filters.push(held(false), sql`NOT ${held(true)}`);
        break;
      case 'none':
        filters.push(sql`NOT ${held(null)}`);
        break;
    }
  }
  if (query.objection === 'objected') filters.push(sql`p.objected_at IS NOT NULL`);
  if (query.objection === 'not_objected') filters.push(sql`p.objected_at IS NULL`);
  if (query.art14) {
    // The partial index people_art14_idx holds exactly the people still owed a notice.
    filters.push(sql`p.art14_due_at IS NOT NULL AND p.art14_notified_at IS NULL`);
    if (query.art14 === 'overdue') filters.push(sql`p.art14_due_at <= ${now}`);
    if (query.art14 === 'warning')
      filters.push(sql`p.art14_due_at > ${now} AND p.art14_due_at <= ${art14WarningFrom(now)}`);
  }
  return filters;
}

/** The SQL of a search page, for EXPLAIN in tests and for listPeople. */
export async function peopleSearchSql(
  tx: Tx,
  campaignId: string,
  query: PeopleQuery,
  now: Date = new Date(),
): Promise<RawBuilder<PersonRowLike> | null> {
  const filters = await filtersOf(tx, campaignId, query, now);
  if (filters === null) return null;
  if (query.after) filters.push(sql`p.person_id < ${decodeCursor(query.after)}`);
  const where = filters.length > 0 ? sql`AND ${sql.join(filters, sql` AND `)}` : sql``;
  return sql<PersonRowLike>`
    SELECT p.person_id, p.first_name, p.last_name, p.email, p.phone, p.postcode, p.objected_at,
           p.art14_due_at, p.art14_notified_at, p.created_at
      FROM people p
     WHERE p.campaign_id = ${campaignId} ${where}
     ORDER BY p.person_id DESC
     LIMIT ${query.limit + 1}`;
}

/** Search and filter people, newest first, one page at a time (`after` = the previous nextCursor). */
export async function listPeople(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<PeoplePage> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.read');
    const query = parseInput(peopleQuerySchema, input);
    const statement = await peopleSearchSql(tx, campaignId, query, nowOf(deps));
    if (statement === null) return { people: [], nextCursor: null };
    const rows = (await statement.execute(tx)).rows;
    const now = nowOf(deps);
    const page = rows.slice(0, query.limit);
    return {
      people: page.map((r) => presentSummary(r, now)),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.person_id) : null,
    };
  });
}

// ---------------------------------------------------------------------------------------
// Detail
// ---------------------------------------------------------------------------------------

/** A person's full record; the view is recorded in the audit trail (person.viewed). */
export async function getPerson(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  personId: string,
): Promise<PersonDetail> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.read');
    const now = nowOf(deps);
    const person = await loadPersonDetail(tx, campaignId, personId, now);
    await appendAuditEvent(tx, campaignId, actorOf(principal), { type: 'person.viewed', data: { personId } }, now);
    return person;
  });
}

// ---------------------------------------------------------------------------------------
// Manual entry
// ---------------------------------------------------------------------------------------

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const personInputSchema = z
  .object({
    sourceId: z.uuid('choose the source this person came from'),
    firstName: optionalText(100),
    lastName: optionalText(100),
    email: optionalText(320),
    phone: optionalText(64),
    addressLine1: optionalText(200),
    addressLine2: optionalText(200),
    town: optionalText(100),
    postcode: optionalText(16),
  })
  .strict();
export type PersonInput = z.infer<typeof personInputSchema>;

/**
 * Adds a person by hand. Refused when any identifier is on the suppression list
 * (DM-OBJECTION-ABSOLUTE); a conflict when the email or phone already belongs to someone.
 * A refusal is recorded in the audit trail (person.create_refused, with the rule's finding and
 * no identifier), in a transaction of its own since the refused one is rolled back.
 */
export async function createPerson(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<PersonDetail> {
  try {
    return await insertPerson(deps, principal, campaignId, input);
  } catch (error) {
    if (error instanceof AppError && error.code === 'rule_refused') {
      const findings = Array.isArray(error.details?.findings) ? (error.details.findings as Finding[]) : [];
      const sourceId = String((input as { sourceId?: unknown }).sourceId);
      await inCampaign(deps.db, campaignId, (tx) =>
        appendAuditEvent(
          tx,
          campaignId,
          actorOf(principal),
          {
            type: 'person.create_refused',
            data: {
              sourceId,
              findings: findings.map((f) => ({
                ruleId: f.ruleId,
                citation: f.citation,
                outcome: f.outcome,
                explanation: f.explanation,
              })),
            },
          },
          nowOf(deps),
        ),
      );
    }
    throw error;
  }
}

async function insertPerson(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<PersonDetail> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.write');
    const parsed = parseInput(personInputSchema, input);
    const blank = (v: string | null | undefined): string | null =>
      v === undefined || v === null || v === '' ? null : v;
    const firstName = blank(parsed.firstName);
    const lastName = blank(parsed.lastName);
    const issues: FieldIssue[] = [];
    let email: string | null = null;
    let phone: string | null = null;
    let postcode: string | null = null;
    const rawEmail = blank(parsed.email);
    if (rawEmail) {
      const n = normalizeEmail(rawEmail);
      if (n.ok) email = n.value;
      else issues.push({ field: 'email', message: n.reason });
    }
    const rawPhone = blank(parsed.phone);
    if (rawPhone) {
      const n = normalizePhone(rawPhone);
      if (n.ok) phone = n.value;
      else issues.push({ field: 'phone', message: n.reason });
    }
    const rawPostcode = blank(parsed.postcode);
    if (rawPostcode) {
      const n = normalizeUkPostcode(rawPostcode);
      if (n.ok) postcode = n.value;
      else issues.push({ field: 'postcode', message: n.reason });
    }
    const fullName = [firstName, lastName].filter((n) => n).join(' ');
    if (issues.length === 0 && !email && !phone && !(fullName && postcode)) {
      issues.push({ field: '', message: 'a person needs an email, a phone number, or a name and a postcode' });
    }
    const source = await tx
      .selectFrom('sources')
      .select(['source_id', 'type', 'lawful_basis', 'archived_at'])
      .where('campaign_id', '=', campaignId)
      .where('source_id', '=', parsed.sourceId)
      .executeTakeFirst();
    if (!source) issues.push({ field: 'sourceId', message: 'no such source in this campaign' });
    else if (source.archived_at !== null)
      issues.push({ field: 'sourceId', message: 'this source is archived: choose a current one' });
    if (issues.length > 0 || !source) throw invalid(issues);

    await lockPeople(tx, campaignId);
    const now = nowOf(deps);
    const actor = actorOf(principal);

    // DM-SUPPRESSION: screened before anything is stored.
    const hasher = await suppressionHasher(tx, campaignId);
    const identifiers = identifiersFromRaw({ emails: [email], phones: [phone], name: fullName, postcode });
    const hits = await findSuppressions(tx, campaignId, suppressionKeys(hasher, identifiers));
    if (hits.size > 0) {
      const first = [...hits.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0]!;
      const kinds = [...new Set([...hits.values()].map((h) => h.kind.replace('_', ' + ')))].join(', ');
      throw objectionRefusal(
        `this person objected to direct marketing: their ${kinds} matches a suppression entry recorded on ${dateOnly(first.createdAt)}. An objection is absolute, so they cannot be added again; suppression entries survive erasure.`,
      );
    }

    for (const [kind, value] of [
      ['email', email],
      ['phone', phone],
    ] as const) {
      if (!value) continue;
      const owners = await identifierOwners(tx, campaignId, kind, value);
      if (owners.length > 0) {
        throw conflict(`this ${kind} already belongs to person ${owners[0]}: open that record instead`, {
          field: kind,
          personId: owners[0],
        });
      }
    }

    const [prov] = await tx
      .insertInto('provenance')
      .values({
        campaign_id: campaignId,
        source_id: source.source_id,
        import_id: null,
        kind: 'provided',
        lawful_basis: source.lawful_basis,
        collected_at: now,
        recorded_at: now,
        recorded_by: JSON.stringify(actor),
      })
      .returning('provenance_id')
      .execute();
    const p = Number(prov!.provenance_id);
    const facts: { f: string; v: string; p: number }[] = [];
    const fact = (f: string, v: string | null | undefined): void => {
      if (v) facts.push({ f, v, p });
    };
    fact('first_name', firstName);
    fact('last_name', lastName);
    fact('email', email);
    fact('phone', phone);
    fact('address_line1', blank(parsed.addressLine1));
    fact('address_line2', blank(parsed.addressLine2));
    fact('town', blank(parsed.town));
    fact('postcode', postcode);

    const personId = uuidv7(now.getTime());
    await tx
      .insertInto('people')
      .values({
        campaign_id: campaignId,
        person_id: personId,
        first_name: firstName,
        last_name: lastName,
        email,
        phone,
        postcode,
        facts: JSON.stringify(facts),
        first_source_id: source.source_id,
        created_import_id: null,
        created_at: now,
        updated_at: now,
        art14_due_at: isThirdPartySource(source.type as SourceType) ? art14DueAt(now) : null,
      })
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      { type: 'person.created', data: { personId, sourceId: source.source_id } },
      now,
    );
    return loadPersonDetail(tx, campaignId, personId, now);
  });
}

// ---------------------------------------------------------------------------------------
// Art 14 notice
// ---------------------------------------------------------------------------------------

export const art14NoticeSchema = z
  .object({
    sentAt: z.iso.datetime({ offset: true, message: 'a date and time in ISO 8601, e.g. 2026-11-29T10:00:00Z' }),
    method: z.string().trim().min(1, 'say how the notice was given (e.g. letter, email)').max(200),
    /** The privacy-notice version given; by default, the one published when it was sent. */
    noticeVersion: z.number().int('must be a whole number').min(1, 'versions start at 1').optional(),
    noticeLanguage: z.enum(['en', 'cy'], { message: 'must be en or cy' }).optional(),
  })
  .strict();

/**
 * Records that the Art 14 privacy notice was given (TR-ART14-ONE-MONTH stops counting), and
 * which published version of the privacy notice it gave (src/app/privacy-notice-deliveries.ts).
 */
export async function recordArt14Notice(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  personId: string,
  input: unknown,
): Promise<PersonDetail> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.write');
    const parsed = parseInput(art14NoticeSchema, input);
    const now = nowOf(deps);
    const sentAt = new Date(parsed.sentAt);
    if (sentAt.getTime() > now.getTime() + 5 * 60_000) {
      throw invalid([{ field: 'sentAt', message: 'cannot be in the future' }]);
    }
    const updated = await tx
      .updateTable('people')
      .set({ art14_notified_at: sentAt, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('person_id', '=', personId)
      .returning('person_id')
      .executeTakeFirst();
    if (!updated) throw notFound('person');
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'person.updated', data: { personId, fields: ['art14NotifiedAt', `art14NoticeMethod:${parsed.method}`] } },
      now,
    );
    await recordArt14Delivery(
      tx,
      campaignId,
      actorOf(principal),
      {
        personId,
        sentAt,
        method: parsed.method,
        version: parsed.noticeVersion,
        language: parsed.noticeLanguage,
      },
      now,
    );
    return loadPersonDetail(tx, campaignId, personId, now);
  });
}
