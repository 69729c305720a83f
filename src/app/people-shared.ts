/**
 * What the people use cases share: the per-campaign people lock, loading a person's full
 * record (PersonDetail), a person's suppression identifiers, and the DM-OBJECTION-ABSOLUTE
 * refusal.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/scope.js';
import { normalizeUkPostcode } from '../domain/identifiers.js';
import { art14Status, type Art14Status } from '../domain/people.js';
import { RULE_CATALOGUE } from '../domain/rules/catalogue.js';
import type { Finding } from '../domain/rules/rule.js';
import type { PersonSummary } from '../shared/views.js';
import { namePostcodeKey, type SuppressionIdentifier } from '../domain/suppression.js';
import { AppError, notFound } from '../domain/errors.js';
import type { NoticeDeliveryView } from '../shared/privacy-notice.js';
import { loadNoticeDeliveries } from './privacy-notice-deliveries.js';

/**
 * One writer at a time for a campaign's people: an identifier belongs to exactly one person
 * (people.email/phone and person_identifiers together), which no unique index can check
 * across the two tables. Imports and staff writes take this lock first.
 */
export async function lockPeople(tx: Tx, campaignId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${peopleLockKey(campaignId)}))`.execute(tx);
}

/** The advisory-lock key of a campaign's people; imports take the same lock (src/imports/engine.ts). */
export const peopleLockKey = (campaignId: string): string => `canvass.people:${campaignId}`;

/** The person (their id and when they objected, if they did), or not found; `forUpdate` locks the row. */
export async function findPersonOrThrow(
  tx: Tx,
  campaignId: string,
  personId: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ person_id: string; objected_at: Date | null }> {
  const person = await tx
    .selectFrom('people')
    .select(['person_id', 'objected_at'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .$if(options.forUpdate === true, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!person) throw notFound('person');
  return person;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const isoOf = (d: Date | string): string => new Date(d).toISOString();

export type { PersonSummary } from '../shared/views.js';

export interface FactProvenance {
  id: number;
  kind: string;
  lawfulBasis: string | null;
  collectedAt: string;
  recordedAt: string;
  sourceId: string;
  sourceName: string;
  sourceType: string;
  importId: string | null;
}

export interface PersonDetail extends Omit<PersonSummary, 'art14Status'> {
  objectedAt: string | null;
  updatedAt: string;
  identifiers: { kind: 'email' | 'phone'; value: string; primary: boolean }[];
  facts: { field: string; value: string; specialCategory: string | null; provenance: FactProvenance | null }[];
  tags: MembershipView[];
  lists: MembershipView[];
  sources: { id: string; name: string; type: string; first: boolean }[];
  consent: {
    current: { purpose: string; channel: string; granted: boolean; occurredAt: string; recordId: string }[];
    history: {
      recordId: string;
      purpose: string;
      channel: string;
      action: 'granted' | 'withdrawn';
      method: string;
      wordingHash: string | null;
      wordingVersion: string | null;
      wording: string | null;
      occurredAt: string;
      recordedAt: string;
      recordedBy: unknown;
      note: string | null;
    }[];
  };
  objections: { id: string; receivedAt: string; method: string; note: string | null; recordedAt: string }[];
  art14: { status: Art14Status; dueAt: string | null; notifiedAt: string | null };
  /** The privacy-notice versions the person was given, when and how (oldest first). */
  noticeDeliveries: NoticeDeliveryView[];
}

export interface PersonRowLike {
  person_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  postcode: string | null;
  objected_at: Date | string | null;
  art14_due_at: Date | string | null;
  art14_notified_at: Date | string | null;
  created_at: Date | string;
}

export function presentSummary(row: PersonRowLike, now: Date): PersonSummary {
  return {
    id: row.person_id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    postcode: row.postcode,
    objected: row.objected_at !== null,
    art14Status: art14Status(
      row.art14_due_at === null ? null : new Date(row.art14_due_at),
      row.art14_notified_at === null ? null : new Date(row.art14_notified_at),
      now,
    ),
    createdAt: isoOf(row.created_at),
  };
}

/** A person's place on a tag or list, with where that fact came from (null for memberships older than provenance). */
export interface MembershipView {
  id: string;
  name: string;
  archived: boolean;
  addedAt: string;
  provenance: FactProvenance | null;
}

const MEMBERSHIP_TABLES = {
  tag: { table: 'tags', members: 'person_tags', id: 'tag_id' },
  list: { table: 'lists', members: 'list_members', id: 'list_id' },
} as const;

/** A person's tags (or lists), by name; `onlyId` narrows it to one. */
export async function loadMemberships(
  tx: Tx,
  campaignId: string,
  kind: 'tag' | 'list',
  personId: string,
  onlyId?: string,
): Promise<MembershipView[]> {
  const t = MEMBERSHIP_TABLES[kind];
  const rows = await sql<{
    id: string;
    name: string;
    archived_at: Date | string | null;
    added_at: Date | string;
    provenance_id: number | string | null;
    kind: string | null;
    lawful_basis: string | null;
    collected_at: Date | string | null;
    recorded_at: Date | string | null;
    source_id: string | null;
    import_id: string | null;
    source_name: string | null;
    source_type: string | null;
  }>`
    SELECT c.${sql.ref(t.id)} AS id, c.name, c.archived_at, m.added_at, p.provenance_id, p.kind, p.lawful_basis,
           p.collected_at, p.recorded_at, p.source_id, p.import_id, s.name AS source_name, s.type AS source_type
      FROM ${sql.table(t.members)} m
      JOIN ${sql.table(t.table)} c ON c.campaign_id = m.campaign_id AND c.${sql.ref(t.id)} = m.${sql.ref(t.id)}
      LEFT JOIN provenance p ON p.campaign_id = m.campaign_id AND p.provenance_id = m.provenance_id
      LEFT JOIN sources s ON s.campaign_id = p.campaign_id AND s.source_id = p.source_id
     WHERE m.campaign_id = ${campaignId} AND m.person_id = ${personId}
           ${onlyId === undefined ? sql`` : sql`AND m.${sql.ref(t.id)} = ${onlyId}`}
     ORDER BY lower(c.name), c.${sql.ref(t.id)}`.execute(tx);
  return rows.rows.map((r) => ({
    id: r.id,
    name: r.name,
    archived: r.archived_at !== null,
    addedAt: isoOf(r.added_at),
    provenance:
      r.provenance_id === null || r.source_id === null
        ? null
        : {
            id: Number(r.provenance_id),
            kind: r.kind ?? 'provided',
            lawfulBasis: r.lawful_basis,
            collectedAt: isoOf(r.collected_at ?? r.added_at),
            recordedAt: isoOf(r.recorded_at ?? r.added_at),
            sourceId: r.source_id,
            sourceName: r.source_name ?? '',
            sourceType: r.source_type ?? '',
            importId: r.import_id,
          },
  }));
}

/** The person's full record, or not_found. Reads only: the caller audits the view if needed. */
export async function loadPersonDetail(tx: Tx, campaignId: string, personId: string, now: Date): Promise<PersonDetail> {
  const row = await tx
    .selectFrom('people')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!row) throw notFound('person');

  const extra = await tx
    .selectFrom('person_identifiers')
    .select(['kind', 'value', 'provenance_id'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('value')
    .execute();

  const facts = Array.isArray(row.facts) ? row.facts : [];
  const provenanceIds = [...new Set(facts.map((f) => Number(f.p)).filter((p) => Number.isFinite(p)))];
  const provenance = new Map<number, FactProvenance>();
  if (provenanceIds.length > 0) {
    const rows = await tx
      .selectFrom('provenance')
      .innerJoin('sources', (j) =>
        j
          .onRef('sources.campaign_id', '=', 'provenance.campaign_id')
          .onRef('sources.source_id', '=', 'provenance.source_id'),
      )
      .select([
        'provenance.provenance_id',
        'provenance.kind',
        'provenance.lawful_basis',
        'provenance.collected_at',
        'provenance.recorded_at',
        'provenance.source_id',
        'provenance.import_id',
        'sources.name',
        'sources.type',
      ])
      .where('provenance.campaign_id', '=', campaignId)
      .where('provenance.provenance_id', 'in', provenanceIds)
      .execute();
    for (const p of rows) {
      provenance.set(Number(p.provenance_id), {
        id: Number(p.provenance_id),
        kind: p.kind,
        lawfulBasis: p.lawful_basis,
        collectedAt: isoOf(p.collected_at),
        recordedAt: isoOf(p.recorded_at),
        sourceId: p.source_id,
        sourceName: p.name,
        sourceType: p.type,
        importId: p.import_id,
      });
    }
  }

  const tags = await loadMemberships(tx, campaignId, 'tag', personId);
  const lists = await loadMemberships(tx, campaignId, 'list', personId);
  const sources = await sql<{ source_id: string; name: string; type: string; first: boolean }>`
    SELECT s.source_id, s.name, s.type, s.source_id = ${row.first_source_id} AS first
      FROM sources s
     WHERE s.campaign_id = ${campaignId}
       AND (s.source_id = ${row.first_source_id}
            OR s.source_id IN (SELECT ps.source_id FROM person_sources ps
                                WHERE ps.campaign_id = ${campaignId} AND ps.person_id = ${personId}))
     ORDER BY (s.source_id = ${row.first_source_id}) DESC, s.name`.execute(tx);

  const current = await tx
    .selectFrom('consent_state')
    .select(['purpose', 'channel', 'granted', 'occurred_at', 'record_id'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .orderBy('purpose')
    .orderBy('channel')
    .execute();
  const history = await tx
    .selectFrom('consent_records as r')
    .leftJoin('consent_wordings as w', (j) =>
      j.onRef('w.campaign_id', '=', 'r.campaign_id').onRef('w.wording_hash', '=', 'r.wording_hash'),
    )
    .select([
      'r.record_id',
      'r.purpose',
      'r.channel',
      'r.action',
      'r.method',
      'r.wording_hash',
      'r.wording_version',
      'w.text',
      'r.occurred_at',
      'r.recorded_at',
      'r.recorded_by',
      'r.note',
    ])
    .where('r.campaign_id', '=', campaignId)
    .where('r.person_id', '=', personId)
    .orderBy('r.occurred_at')
    .orderBy('r.recorded_at')
    .orderBy('r.record_id')
    .execute();
  const objections = await tx
    .selectFrom('objections')
    .select(['objection_id', 'received_at', 'method', 'note', 'recorded_at'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .orderBy('received_at')
    .execute();
  const noticeDeliveries = await loadNoticeDeliveries(tx, campaignId, personId);

  const identifiers: PersonDetail['identifiers'] = [];
  if (row.email) identifiers.push({ kind: 'email', value: row.email, primary: true });
  if (row.phone) identifiers.push({ kind: 'phone', value: row.phone, primary: true });
  for (const i of extra) identifiers.push({ kind: i.kind as 'email' | 'phone', value: i.value, primary: false });

  const summary = presentSummary(row, now);
  return {
    id: summary.id,
    firstName: summary.firstName,
    lastName: summary.lastName,
    email: summary.email,
    phone: summary.phone,
    postcode: summary.postcode,
    objected: summary.objected,
    objectedAt: iso(row.objected_at),
    createdAt: summary.createdAt,
    updatedAt: isoOf(row.updated_at),
    identifiers,
    facts: facts.map((f) => ({
      field: f.f,
      value: f.v,
      specialCategory: f.c ?? null,
      provenance: provenance.get(Number(f.p)) ?? null,
    })),
    tags,
    lists,
    sources: sources.rows.map((s) => ({ id: s.source_id, name: s.name, type: s.type, first: s.first })),
    consent: {
      current: current.map((c) => ({
        purpose: c.purpose,
        channel: c.channel,
        granted: c.granted,
        occurredAt: isoOf(c.occurred_at),
        recordId: c.record_id,
      })),
      history: history.map((h) => ({
        recordId: h.record_id,
        purpose: h.purpose,
        channel: h.channel,
        action: h.action as 'granted' | 'withdrawn',
        method: h.method,
        wordingHash: h.wording_hash,
        wordingVersion: h.wording_version,
        wording: h.text,
        occurredAt: isoOf(h.occurred_at),
        recordedAt: isoOf(h.recorded_at),
        recordedBy: typeof h.recorded_by === 'string' ? (JSON.parse(h.recorded_by) as unknown) : h.recorded_by,
        note: h.note,
      })),
    },
    objections: objections.map((o) => ({
      id: o.objection_id,
      receivedAt: isoOf(o.received_at),
      method: o.method,
      note: o.note,
      recordedAt: isoOf(o.recorded_at),
    })),
    art14: { status: summary.art14Status, dueAt: iso(row.art14_due_at), notifiedAt: iso(row.art14_notified_at) },
    noticeDeliveries,
  };
}

/**
 * Every identifier of a person that a suppression entry keys on: the primary email and phone,
 * the extra identifiers, and name + postcode for every name and postcode held (the row's and
 * those among the facts), so an objection covers each way the person could come back.
 */
export async function personSuppressionIdentifiers(
  tx: Tx,
  campaignId: string,
  personId: string,
): Promise<SuppressionIdentifier[] | null> {
  const row = await tx
    .selectFrom('people')
    .select(['email', 'phone', 'first_name', 'last_name', 'postcode', 'facts'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!row) return null;
  const extra = await tx
    .selectFrom('person_identifiers')
    .select(['kind', 'value'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .execute();
  const out = new Map<string, SuppressionIdentifier>();
  const add = (id: SuppressionIdentifier): void => {
    out.set(`${id.kind}:${id.value}`, id);
  };
  if (row.email) add({ kind: 'email', value: row.email });
  if (row.phone) add({ kind: 'phone', value: row.phone });
  for (const e of extra) add({ kind: e.kind as 'email' | 'phone', value: e.value });

  const facts = Array.isArray(row.facts) ? row.facts : [];
  const names = new Set<string>();
  const rowName = [row.first_name, row.last_name].filter((n) => n).join(' ');
  if (rowName) names.add(rowName);
  for (const f of facts) if (f.f === 'full_name' && f.v) names.add(f.v);
  const postcodes = new Set<string>();
  if (row.postcode) postcodes.add(row.postcode);
  for (const f of facts) {
    if (f.f !== 'postcode' || !f.v) continue;
    const pc = normalizeUkPostcode(f.v);
    if (pc.ok) postcodes.add(pc.value);
  }
  for (const name of names) {
    for (const pc of postcodes) {
      const key = namePostcodeKey(name, pc);
      if (key) add({ kind: 'name_postcode', value: key });
    }
  }
  return [...out.values()];
}

/** The finding that refuses any processing that would bring an objector back. */
export function objectionFinding(explanation: string): Finding {
  const rule = RULE_CATALOGUE['DM-OBJECTION-ABSOLUTE'];
  return { ruleId: rule.id, citation: rule.citation, outcome: 'refuse', explanation, remedy: null };
}

export function objectionRefusal(explanation: string): AppError {
  const finding = objectionFinding(explanation);
  return new AppError('rule_refused', `${finding.ruleId} (${finding.citation}): ${explanation}`, {
    findings: [finding],
  });
}

export const dateOnly = (d: Date): string => d.toISOString().slice(0, 10);
