/**
 * The import engine (issue 3): turns batches of CSV records into people, their identifiers,
 * facts with provenance, tags and lists, and the report lines that account for every record.
 *
 * A batch is planned in memory (`prepareRecord` is pure and runs before any transaction),
 * then applied by `applyBatch` inside ONE transaction of the campaign, which
 *  - takes the per-campaign people lock (an identifier belongs to one person),
 *  - screens every identifier of the batch against the suppression entries (one query),
 *  - looks up the batch's emails and phones (one query), the candidates for name+postcode
 *    matching (one query) and the matched people (one query),
 *  - decides each record in file order (earlier records of the file are matched too: the
 *    earlier batches are committed, this batch's people are in memory),
 *  - writes everything with set-based statements (json_to_recordset), never one per row.
 * The caller writes the report chunk, the summary and the job checkpoint in the same
 * transaction, so a crash loses or repeats nothing.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/scope.js';
import type { FactJson } from '../db/schema.js';
import { normalizeEmail, normalizePhone, normalizeUkPostcode } from '../domain/identifiers.js';
import { art14DueAt, uuidv7 } from '../domain/people.js';
import { namePostcodeKey, type SuppressionHasher, type SuppressionKind } from '../domain/suppression.js';
import { peopleLockKey } from '../app/people-shared.js';
import { findSuppressions } from '../app/suppression.js';
import { applyColumnMapping, type ColumnMapping, type ImportField } from './column-mapping.js';
import { isEmptyRecord, type CsvRecord } from './read-csv.js';
import type { ImportOutcome, ImportReportRow } from './report.js';

/**
 * The lock that keeps "an identifier belongs to one person" true (the same as lockPeople's in
 * src/app/people-shared.ts), and settings for the batch's transaction:
 *  - JIT off: the batch statements look expensive to the planner (thousands of array
 *    elements) and compiling them costs more than running them;
 *  - with `asyncCommit` (PostgreSQL), synchronous_commit off: the commit does not wait for
 *    the WAL flush. Only a crash of the database server can lose the last batches, and then
 *    atomically with their job checkpoint (same transaction), so the job redoes them. Not on
 *    PGlite, where every crash of the application is one of the database.
 */
async function lockForBatch(tx: Tx, campaignId: string, asyncCommit: boolean): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${peopleLockKey(campaignId)})),
                   set_config('jit', 'off', true),
                   set_config('synchronous_commit', ${asyncCommit ? 'off' : 'on'}, true)`.execute(tx);
}

/** Facts about the import that every batch needs; loaded once per attempt. */
export interface ImportContext {
  campaignId: string;
  importId: string;
  sourceId: string;
  mapping: ColumnMapping;
  hasher: SuppressionHasher;
  /** Provenance id per kind (provided / observed / inferred). */
  provenance: Record<string, number>;
  /** Attribute name → its special category (null when none) and data kind. */
  attributes: ReadonlyMap<string, { specialCategory: string | null; kind: string }>;
  /** Set on created people when the source is not the person (TR-ART14-ONE-MONTH). */
  art14DueAt: Date | null;
  now: Date;
  /** Commit batches without waiting for the WAL flush (PostgreSQL only; see lockForBatch). */
  asyncCommit?: boolean;
  /** lower(name) → id, filled as tags and lists are created or found. */
  tagIds: Map<string, string>;
  listIds: Map<string, string>;
  /**
   * lower(name) of archived tags and lists: an archived tag or list takes no new members
   * (migration 20261129000170), so records naming one are imported without that membership
   * and their report line says so. Filled with tagIds/listIds.
   */
  archivedTags?: Set<string>;
  archivedLists?: Set<string>;
  /** People this run has created, and that count at the last ANALYZE (see applyBatch). */
  createdThisRun?: number;
  createdAtLastAnalyze?: number;
}

/**
 * Time spent per phase of the import, in milliseconds, when CANVASS_IMPORT_PROFILE=1 (the
 * import benchmark sets it to say where the time goes). Process-wide; nothing personal.
 */
export const importProfile = new Map<string, number>();

/** A stopwatch for sequential phases: each call adds the time since the previous one. */
export function profileMarker(): (label: string) => void {
  if (process.env.CANVASS_IMPORT_PROFILE !== '1') return () => undefined;
  let last = performance.now();
  return (label) => {
    const now = performance.now();
    importProfile.set(label, (importProfile.get(label) ?? 0) + now - last);
    last = now;
  };
}

/** The first ANALYZE of a run comes once it has created this many people. */
const ANALYZE_MIN_ROWS = 2_000;

// ---------------------------------------------------------------------------------------
// Preparing a record (pure)
// ---------------------------------------------------------------------------------------

interface Fact {
  f: string;
  v: string;
  /** provenance kind */
  k: string;
  c?: string;
}

export type Prepared =
  | { type: 'final'; line: number; record: number; outcome: 'rejected' | 'skipped'; column?: string; reason: string }
  | {
      type: 'row';
      line: number;
      record: number;
      email: string | null;
      phone: string | null;
      postcode: string | null;
      firstName: string | null;
      lastName: string | null;
      npKey: string | null;
      facts: Fact[];
      tags: string[];
      lists: string[];
      /** Suppression keys: kind → hash. */
      keys: { kind: SuppressionKind; hash: string; column: string }[];
      columns: Partial<Record<ImportField, string>>;
    };

const NO_IDENTIFIER =
  'no identifier: the record has no email, no phone, and no name with a postcode, so it cannot be matched or screened';

function splitName(full: string): { first: string | null; last: string | null } {
  const parts = full.trim().split(/\s+/);
  if (parts.length === 1) return { first: null, last: parts[0] ?? null };
  return { first: parts.slice(0, -1).join(' '), last: parts[parts.length - 1] ?? null };
}

/** Normalizes and checks one record; no I/O. */
export function prepareRecord(ctx: ImportContext, r: CsvRecord): Prepared {
  if ('error' in r) {
    return {
      type: 'final',
      line: r.line,
      record: r.record,
      outcome: 'rejected',
      ...(r.error.column !== undefined ? { column: r.error.column } : {}),
      reason: r.error.reason,
    };
  }
  if (isEmptyRecord(r.values)) {
    return { type: 'final', line: r.line, record: r.record, outcome: 'skipped', reason: 'every field is empty' };
  }
  const m = applyColumnMapping(ctx.mapping, r.values);
  const cols = m.sourceColumn;
  const fields = m.fields;
  const reject = (field: ImportField, reason: string): Prepared => ({
    type: 'final',
    line: r.line,
    record: r.record,
    outcome: 'rejected',
    column: cols[field] ?? field,
    reason,
  });
  let email: string | null = null;
  if (fields.email !== undefined) {
    const n = normalizeEmail(fields.email);
    if (!n.ok) return reject('email', `email: ${n.reason}`);
    email = n.value;
  }
  let phone: string | null = null;
  if (fields.phone !== undefined) {
    const n = normalizePhone(fields.phone);
    if (!n.ok) return reject('phone', `phone: ${n.reason}`);
    phone = n.value;
  }
  let postcode: string | null = null;
  if (fields.postcode !== undefined) {
    const n = normalizeUkPostcode(fields.postcode);
    if (!n.ok) return reject('postcode', `postcode: ${n.reason}`);
    postcode = n.value;
  }
  let firstName = fields.first_name ?? null;
  let lastName = fields.last_name ?? null;
  const fullName =
    fields.full_name ?? (firstName !== null || lastName !== null ? `${firstName ?? ''} ${lastName ?? ''}` : null);
  if (fields.full_name !== undefined && firstName === null && lastName === null) {
    const split = splitName(fields.full_name);
    firstName = split.first;
    lastName = split.last;
  }
  const npKey = fullName !== null ? namePostcodeKey(fullName, postcode) : null;
  if (email === null && phone === null && npKey === null) {
    return { type: 'final', line: r.line, record: r.record, outcome: 'rejected', reason: NO_IDENTIFIER };
  }

  const facts: Fact[] = [];
  const push = (f: string, v: string | null | undefined): void => {
    if (v !== null && v !== undefined && v !== '') facts.push({ f, v, k: 'provided' });
  };
  push('first_name', fields.first_name);
  push('last_name', fields.last_name);
  push('full_name', fields.full_name);
  push('email', email);
  push('phone', phone);
  push('address_line1', fields.address_line1);
  push('address_line2', fields.address_line2);
  push('address_line3', fields.address_line3);
  push('town', fields.town);
  push('postcode', postcode);
  for (const note of m.notes) push('note', note);
  for (const name in m.attributes) {
    const def = ctx.attributes.get(name);
    const value = m.attributes[name]!;
    const fact: Fact = { f: `attribute:${name}`, v: value, k: def?.kind ?? 'provided' };
    if (def?.specialCategory) fact.c = def.specialCategory;
    facts.push(fact);
  }

  const keys: { kind: SuppressionKind; hash: string; column: string }[] = [];
  if (email !== null)
    keys.push({ kind: 'email', hash: ctx.hasher.hash('email', email), column: cols.email ?? 'email' });
  if (phone !== null)
    keys.push({ kind: 'phone', hash: ctx.hasher.hash('phone', phone), column: cols.phone ?? 'phone' });
  if (npKey !== null) {
    keys.push({
      kind: 'name_postcode',
      hash: ctx.hasher.hash('name_postcode', npKey),
      column: cols.postcode ?? 'postcode',
    });
  }
  return {
    type: 'row',
    line: r.line,
    record: r.record,
    email,
    phone,
    postcode,
    firstName,
    lastName,
    npKey,
    facts,
    tags: m.tags,
    lists: m.lists,
    keys,
    columns: cols,
  };
}

// ---------------------------------------------------------------------------------------
// Applying a batch (one transaction)
// ---------------------------------------------------------------------------------------

interface PersonState {
  id: string;
  isNew: boolean;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  postcode: string | null;
  objected: boolean;
  firstSourceId: string;
  /** Existing facts' keys `${f}\u0000${v}`, for de-duplication. */
  held: Set<string>;
  /** Facts to write: all of them for a new person, the additions for an existing one. */
  add: FactJson[];
  /** Existing person: whether the Art 14 clock may be started (no due date, not notified). */
  art14Open: boolean;
  setArt14: boolean;
  touched: boolean;
  primaryChanged: boolean;
}

export interface BatchResult {
  rows: ImportReportRow[];
  counts: Record<ImportOutcome, number>;
}

const factKey = (f: string, v: string): string => `${f}\u0000${v}`;

const SUPPRESSED_REASON = (kind: string, at: Date): string =>
  `DM-OBJECTION-ABSOLUTE: the ${kind === 'name_postcode' ? 'name and postcode' : kind} matches a suppression entry recorded on ${at.toISOString().slice(0, 10)} (an objection to direct marketing is absolute; suppression entries survive erasure), so nothing from this record was stored`;

const OBJECTED_REASON =
  'DM-OBJECTION-ABSOLUTE: this record matches a person who has objected to direct marketing, so nothing from it was stored';

export async function applyBatch(tx: Tx, ctx: ImportContext, batch: readonly Prepared[]): Promise<BatchResult> {
  const { campaignId } = ctx;
  const counts: Record<ImportOutcome, number> = { created: 0, merged: 0, suppressed: 0, rejected: 0, skipped: 0 };
  const rows = new Array<ImportReportRow>(batch.length);

  const mark = profileMarker();
  await lockForBatch(tx, campaignId, ctx.asyncCommit === true);
  mark('db: lock');

  // 1. Suppression screening: every identifier of the batch, one query.
  const keyList: { kind: SuppressionKind; keyHash: string }[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  for (const p of batch) {
    if (p.type !== 'row') continue;
    for (const k of p.keys) keyList.push({ kind: k.kind, keyHash: k.hash });
    if (p.email !== null) emails.push(p.email);
    if (p.phone !== null) phones.push(p.phone);
  }
  const suppressed = await findSuppressions(tx, campaignId, keyList);
  mark('db: suppression screening');

  // 2. Who holds the batch's emails and phones (primary or extra), one query.
  const owner = new Map<string, string>(); // `${kind}:${value}` → person_id
  if (emails.length > 0 || phones.length > 0) {
    // Joins on unnest() rather than `= ANY(array)`: each key is then one probe of a unique
    // index, whatever the planner's statistics say about the table's size.
    const found = await sql<{ kind: string; value: string; person_id: string }>`
      SELECT 'email' AS kind, p.email AS value, p.person_id FROM unnest(${emails}::text[]) AS k(v)
        JOIN people p ON p.campaign_id = ${campaignId} AND p.email = k.v
      UNION ALL
      SELECT 'phone', p.phone, p.person_id FROM unnest(${phones}::text[]) AS k(v)
        JOIN people p ON p.campaign_id = ${campaignId} AND p.phone = k.v
      UNION ALL
      SELECT i.kind, i.value, i.person_id FROM unnest(${emails}::text[]) AS k(v)
        JOIN person_identifiers i ON i.campaign_id = ${campaignId} AND i.kind = 'email' AND i.value = k.v
      UNION ALL
      SELECT i.kind, i.value, i.person_id FROM unnest(${phones}::text[]) AS k(v)
        JOIN person_identifiers i ON i.campaign_id = ${campaignId} AND i.kind = 'phone' AND i.value = k.v`.execute(tx);
    for (const r of found.rows) owner.set(`${r.kind}:${r.value}`, r.person_id);
  }
  mark('db: identifier owners');

  // 3. Name + postcode candidates, for records no identifier matched.
  const npOwner = new Map<string, string | null>(); // key → person_id, or null when ambiguous
  const postcodes = new Set<string>();
  for (const p of batch) {
    if (p.type !== 'row' || p.npKey === null || p.postcode === null) continue;
    if (p.email !== null && owner.has(`email:${p.email}`)) continue;
    if (p.phone !== null && owner.has(`phone:${p.phone}`)) continue;
    postcodes.add(p.postcode);
  }
  if (postcodes.size > 0) {
    const found = await sql<{
      person_id: string;
      first_name: string | null;
      last_name: string | null;
      postcode: string;
    }>`
      SELECT p.person_id, p.first_name, p.last_name, p.postcode FROM unnest(${[...postcodes]}::text[]) AS k(v)
        JOIN people p ON p.campaign_id = ${campaignId} AND p.postcode = k.v`.execute(tx);
    for (const r of found.rows) {
      const key = namePostcodeKey(`${r.first_name ?? ''} ${r.last_name ?? ''}`, r.postcode);
      if (key === null) continue;
      npOwner.set(key, npOwner.has(key) && npOwner.get(key) !== r.person_id ? null : r.person_id);
    }
  }
  mark('db: name+postcode candidates');

  // 4. The existing people any record may merge into.
  const candidateIds = new Set<string>(owner.values());
  for (const id of npOwner.values()) if (id !== null) candidateIds.add(id);
  const people = new Map<string, PersonState>();
  if (candidateIds.size > 0) {
    const found = await sql<{
      person_id: string;
      email: string | null;
      phone: string | null;
      first_name: string | null;
      last_name: string | null;
      postcode: string | null;
      facts: FactJson[] | string;
      objected_at: Date | null;
      art14_due_at: Date | null;
      art14_notified_at: Date | null;
      first_source_id: string;
    }>`
      SELECT p.person_id, p.email, p.phone, p.first_name, p.last_name, p.postcode, p.facts, p.objected_at,
             p.art14_due_at, p.art14_notified_at, p.first_source_id
        FROM unnest(${[...candidateIds]}::uuid[]) AS k(id)
        JOIN people p ON p.campaign_id = ${campaignId} AND p.person_id = k.id`.execute(tx);
    for (const r of found.rows) {
      const facts = (typeof r.facts === 'string' ? JSON.parse(r.facts) : r.facts) as FactJson[];
      people.set(r.person_id, {
        id: r.person_id,
        isNew: false,
        email: r.email,
        phone: r.phone,
        firstName: r.first_name,
        lastName: r.last_name,
        postcode: r.postcode,
        objected: r.objected_at !== null,
        firstSourceId: r.first_source_id,
        held: new Set(facts.map((f) => factKey(f.f, f.v))),
        add: [],
        art14Open: r.art14_due_at === null && r.art14_notified_at === null,
        setArt14: false,
        touched: false,
        primaryChanged: false,
      });
    }
  }

  // 5. Decide each record in file order.
  await findNamed(tx, ctx, 'tag', batch);
  await findNamed(tx, ctx, 'list', batch);
  mark('db: tags and lists by name');
  mark('db: candidate people');
  const newIdentifiers: { kind: string; value: string; person_id: string; provenance_id: number }[] = [];
  const personTags: { name: string; person_id: string }[] = [];
  const personLists: { name: string; person_id: string }[] = [];
  const provided = ctx.provenance.provided ?? 0;

  for (let i = 0; i < batch.length; i++) {
    const p = batch[i]!;
    if (p.type === 'final') {
      counts[p.outcome] += 1;
      rows[i] = {
        line: p.line,
        record: p.record,
        outcome: p.outcome,
        ...(p.column !== undefined ? { column: p.column } : {}),
        reason: p.reason,
      };
      continue;
    }
    // Suppression entries first: nothing from the record is stored.
    let hit: { kind: string; createdAt: Date; column: string } | null = null;
    for (const k of p.keys) {
      const s = suppressed.get(`${k.kind}:${k.hash}`);
      if (s) {
        hit = { kind: k.kind, createdAt: s.createdAt, column: k.column };
        break;
      }
    }
    if (hit) {
      counts.suppressed += 1;
      rows[i] = {
        line: p.line,
        record: p.record,
        outcome: 'suppressed',
        column: hit.column,
        reason: SUPPRESSED_REASON(hit.kind, hit.createdAt),
      };
      continue;
    }

    // Matching: email, else phone, else name + postcode.
    const notes: string[] = [];
    let person: PersonState | undefined;
    let dropPhone = false;
    const emailOwner = p.email !== null ? owner.get(`email:${p.email}`) : undefined;
    const phoneOwner = p.phone !== null ? owner.get(`phone:${p.phone}`) : undefined;
    if (emailOwner !== undefined) {
      person = people.get(emailOwner);
      if (phoneOwner !== undefined && phoneOwner !== emailOwner) {
        dropPhone = true;
        notes.push('the phone number belongs to another person, so it was not added');
      }
    } else if (phoneOwner !== undefined) {
      const candidate = people.get(phoneOwner);
      if (candidate && p.email !== null && candidate.email !== null && candidate.email !== p.email) {
        dropPhone = true;
        notes.push(
          'the phone number belongs to another person with a different email, so a new person was created without it',
        );
      } else person = candidate;
    } else if (p.npKey !== null) {
      const id = npOwner.get(p.npKey);
      const candidate = id ? people.get(id) : undefined;
      if (candidate && !(p.email !== null && candidate.email !== null && candidate.email !== p.email)) {
        person = candidate;
        notes.push('matched on name and postcode');
      }
    }

    if (person?.objected) {
      counts.suppressed += 1;
      rows[i] = {
        line: p.line,
        record: p.record,
        outcome: 'suppressed',
        column: p.columns.email ?? p.columns.phone ?? p.columns.postcode ?? '',
        reason: OBJECTED_REASON,
      };
      continue;
    }

    const outcome: ImportOutcome = person ? 'merged' : 'created';
    if (!person) {
      person = {
        id: uuidv7(ctx.now.getTime()),
        isNew: true,
        email: p.email,
        phone: dropPhone ? null : p.phone,
        firstName: p.firstName,
        lastName: p.lastName,
        postcode: p.postcode,
        objected: false,
        firstSourceId: ctx.sourceId,
        held: new Set(),
        add: [],
        art14Open: false,
        setArt14: ctx.art14DueAt !== null,
        touched: true,
        primaryChanged: false,
      };
      people.set(person.id, person);
      if (p.email !== null) owner.set(`email:${p.email}`, person.id);
      if (person.phone !== null) owner.set(`phone:${person.phone}`, person.id);
    } else {
      person.touched = true;
      if (person.art14Open && ctx.art14DueAt !== null) {
        person.setArt14 = true;
        person.art14Open = false;
      }
      if (person.firstName === null && p.firstName !== null) {
        person.firstName = p.firstName;
        person.primaryChanged = true;
      }
      if (person.lastName === null && p.lastName !== null) {
        person.lastName = p.lastName;
        person.primaryChanged = true;
      }
      if (person.postcode === null && p.postcode !== null) {
        person.postcode = p.postcode;
        person.primaryChanged = true;
      }
      // New identifiers: primary if the slot is free, else an extra identifier.
      const addIdentifier = (kind: 'email' | 'phone', value: string): void => {
        const key = `${kind}:${value}`;
        const holder = owner.get(key);
        if (holder === person!.id) return;
        if (holder !== undefined) {
          notes.push(`the ${kind} belongs to another person, so it was not added`);
          return;
        }
        owner.set(key, person!.id);
        if (person![kind] === null) {
          person![kind] = value;
          person!.primaryChanged = true;
        } else {
          newIdentifiers.push({ kind, value, person_id: person!.id, provenance_id: provided });
        }
      };
      if (p.email !== null) addIdentifier('email', p.email);
      if (p.phone !== null && !dropPhone) addIdentifier('phone', p.phone);
    }
    if (p.npKey !== null) {
      const prior = npOwner.get(p.npKey);
      npOwner.set(p.npKey, prior === undefined || prior === person.id ? person.id : null);
    }
    for (const fact of p.facts) {
      if (dropPhone && fact.f === 'phone') continue;
      const key = factKey(fact.f, fact.v);
      if (person.held.has(key)) continue;
      person.held.add(key);
      const out: FactJson = { f: fact.f, v: fact.v, p: ctx.provenance[fact.k] ?? provided };
      if (fact.c !== undefined) out.c = fact.c;
      person.add.push(out);
    }
    for (const t of p.tags) {
      if (ctx.archivedTags?.has(t.toLowerCase())) notes.push(`the tag “${t}” is archived, so it was not added`);
      else personTags.push({ name: t, person_id: person.id });
    }
    for (const l of p.lists) {
      if (ctx.archivedLists?.has(l.toLowerCase())) notes.push(`the list “${l}” is archived, so it was not added`);
      else personLists.push({ name: l, person_id: person.id });
    }
    counts[outcome] += 1;
    rows[i] = {
      line: p.line,
      record: p.record,
      outcome,
      personId: person.id,
      ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
    };
  }

  // 6. Writes, set-based.
  mark('node: decide');
  const now = ctx.now.toISOString();
  const due = ctx.art14DueAt ? ctx.art14DueAt.toISOString() : null;
  const created: unknown[] = [];
  const updated: unknown[] = [];
  const sourceLinks: string[] = [];
  const written = (person: PersonState) => ({
    person_id: person.id,
    first_name: person.firstName,
    last_name: person.lastName,
    email: person.email,
    phone: person.phone,
    postcode: person.postcode,
    facts: person.add,
    art14: person.setArt14,
  });
  for (const person of people.values()) {
    if (!person.touched) continue;
    if (person.isNew) {
      created.push(written(person));
    } else {
      if (person.add.length > 0 || person.primaryChanged || person.setArt14) updated.push(written(person));
      if (person.firstSourceId !== ctx.sourceId) sourceLinks.push(person.id);
    }
  }
  if (created.length > 0) {
    await sql`
      INSERT INTO people (campaign_id, person_id, first_name, last_name, email, phone, postcode, facts,
                          first_source_id, created_import_id, created_at, updated_at, art14_due_at)
      SELECT ${campaignId}::uuid, x.person_id, x.first_name, x.last_name, x.email, x.phone, x.postcode, x.facts::jsonb,
             ${ctx.sourceId}::uuid, ${ctx.importId}::uuid, ${now}::timestamptz, ${now}::timestamptz,
             CASE WHEN x.art14 THEN ${due}::timestamptz END
        FROM json_to_recordset(${JSON.stringify(created)}::json)
          AS x(person_id uuid, first_name text, last_name text, email text, phone text, postcode text,
               facts text, art14 boolean)`.execute(tx);
    // Fresh statistics whenever this run has doubled what it had created at the last
    // analysis: a handful of ANALYZEs per million rows keeps every lookup an index probe.
    mark('db: insert people');
    ctx.createdThisRun = (ctx.createdThisRun ?? 0) + created.length;
    if (ctx.createdThisRun >= Math.max(ANALYZE_MIN_ROWS, 2 * (ctx.createdAtLastAnalyze ?? 0))) {
      await sql`SELECT canvass_analyze_people()`.execute(tx);
      ctx.createdAtLastAnalyze = ctx.createdThisRun;
      mark('db: analyze');
    }
  }
  if (updated.length > 0) {
    await sql`
      UPDATE people p
         SET first_name = x.first_name, last_name = x.last_name, email = x.email, phone = x.phone,
             postcode = x.postcode, facts = p.facts || x.facts::jsonb, updated_at = ${now}::timestamptz,
             art14_due_at = CASE WHEN x.art14 THEN ${due}::timestamptz ELSE p.art14_due_at END
        FROM json_to_recordset(${JSON.stringify(updated)}::json)
          AS x(person_id uuid, first_name text, last_name text, email text, phone text, postcode text,
               facts text, art14 boolean)
       WHERE p.campaign_id = ${campaignId} AND p.person_id = x.person_id`.execute(tx);
    mark('db: update people');
  }
  if (newIdentifiers.length > 0) {
    await sql`
      INSERT INTO person_identifiers (campaign_id, kind, value, person_id, provenance_id, created_at)
      SELECT ${campaignId}::uuid, x.kind, x.value, x.person_id, x.provenance_id, ${now}::timestamptz
        FROM json_to_recordset(${JSON.stringify(newIdentifiers)}::json)
          AS x(kind text, value text, person_id uuid, provenance_id bigint)`.execute(tx);
  }
  if (sourceLinks.length > 0) {
    await sql`
      INSERT INTO person_sources (campaign_id, source_id, person_id, first_import_id, added_at)
      SELECT ${campaignId}::uuid, ${ctx.sourceId}::uuid, x, ${ctx.importId}::uuid, ${now}::timestamptz
        FROM unnest(${sourceLinks}::uuid[]) AS x
      ON CONFLICT (campaign_id, source_id, person_id) DO NOTHING`.execute(tx);
  }
  mark('db: identifiers and sources');
  if (personTags.length > 0) await linkNamed(tx, ctx, 'tag', personTags, provided, now);
  mark('db: tags');
  if (personLists.length > 0) await linkNamed(tx, ctx, 'list', personLists, provided, now);
  mark('db: lists');
  return { rows, counts };
}

/**
 * Looks up, once per import, the tags (or lists) the batch names that are not known yet:
 * their ids, and which are archived.
 */
async function findNamed(tx: Tx, ctx: ImportContext, what: 'tag' | 'list', batch: readonly Prepared[]): Promise<void> {
  const ids = what === 'tag' ? ctx.tagIds : ctx.listIds;
  const archived = what === 'tag' ? (ctx.archivedTags ??= new Set()) : (ctx.archivedLists ??= new Set());
  const unknown = new Set<string>();
  for (const p of batch) {
    if (p.type !== 'row') continue;
    for (const name of what === 'tag' ? p.tags : p.lists) {
      const key = name.toLowerCase();
      if (!ids.has(key) && !archived.has(key)) unknown.add(key);
    }
  }
  if (unknown.size === 0) return;
  const table = what === 'tag' ? sql.table('tags') : sql.table('lists');
  const idColumn = what === 'tag' ? sql.ref('tag_id') : sql.ref('list_id');
  const found = await sql<{ id: string; key: string; archived: boolean }>`
    SELECT ${idColumn} AS id, lower(name) AS key, archived_at IS NOT NULL AS archived FROM ${table}
     WHERE campaign_id = ${ctx.campaignId} AND lower(name) = ANY(${[...unknown]}::text[])`.execute(tx);
  for (const r of found.rows) {
    if (r.archived) archived.add(r.key);
    else ids.set(r.key, r.id);
  }
}

/** Creates missing tags (or lists) by name, then links people to them; set-based. */
async function linkNamed(
  tx: Tx,
  ctx: ImportContext,
  what: 'tag' | 'list',
  links: readonly { name: string; person_id: string }[],
  provenanceId: number,
  now: string,
): Promise<void> {
  const ids = what === 'tag' ? ctx.tagIds : ctx.listIds;
  const table = what === 'tag' ? sql.table('tags') : sql.table('lists');
  const linkTable = what === 'tag' ? sql.table('person_tags') : sql.table('list_members');
  const idColumn = what === 'tag' ? sql.ref('tag_id') : sql.ref('list_id');
  const missing = new Map<string, string>();
  for (const l of links) {
    const key = l.name.toLowerCase();
    if (!ids.has(key) && !missing.has(key)) missing.set(key, l.name.slice(0, 100));
  }
  if (missing.size > 0) {
    const fresh = [...missing.values()].map((name) => ({ id: uuidv7(ctx.now.getTime()), name }));
    const json = JSON.stringify(fresh);
    await sql`INSERT INTO ${table} (campaign_id, ${idColumn}, name)
              SELECT ${ctx.campaignId}::uuid, x.id, x.name FROM json_to_recordset(${json}::json) AS x(id uuid, name text)
              ON CONFLICT (campaign_id, lower(name)) DO NOTHING`.execute(tx);
    const found = await sql<{ id: string; key: string }>`
      SELECT ${idColumn} AS id, lower(name) AS key FROM ${table}
       WHERE campaign_id = ${ctx.campaignId} AND lower(name) = ANY(${[...missing.keys()]}::text[])`.execute(tx);
    for (const r of found.rows) ids.set(r.key, r.id);
  }
  const rows = [
    ...new Map(
      links.map((l) => {
        const id = ids.get(l.name.toLowerCase())!;
        return [`${id}:${l.person_id}`, { id, person_id: l.person_id }];
      }),
    ).values(),
  ];
  const json = JSON.stringify(rows);
  await sql`INSERT INTO ${linkTable} (campaign_id, ${idColumn}, person_id, provenance_id, added_at)
            SELECT ${ctx.campaignId}::uuid, x.id, x.person_id, ${provenanceId}::bigint, ${now}::timestamptz
              FROM json_to_recordset(${json}::json) AS x(id uuid, person_id uuid)
            ON CONFLICT (campaign_id, ${idColumn}, person_id) DO NOTHING`.execute(tx);
}

/** The Art 14 due date for people of a source, or null when the person gave the data. */
export const art14DueFor = (thirdParty: boolean, collectedAt: Date): Date | null =>
  thirdParty ? art14DueAt(collectedAt) : null;
