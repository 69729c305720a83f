/**
 * Tags and lists: creating, renaming, archiving and deleting them, and putting people on them
 * or taking them off. Every change is audited in the same transaction.
 *
 * A membership is a fact about a person like any other value Canvass holds, so it carries its
 * provenance: the source it came from (and that source's lawful basis), the kind of data
 * (provided, observed, inferred), when and by whom it was recorded (UK GDPR Art 5(2)
 * accountability; ICO guidance on provided, observed and inferred data). That decides what a
 * DPO would expect of deletion: a tag or list that people are on is archived, not deleted — it
 * keeps every membership with its provenance, stays visible on each person's record and as a
 * search filter, and takes no new members until restored. Only a tag or list nobody is on can
 * be deleted. Taking one person off is allowed (it removes that fact) and audited.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/scope.js';
import { inCampaign } from '../db/scope.js';
import { AppError, conflict, invalid, notFound } from '../domain/errors.js';
import { uuidv7 } from '../domain/people.js';
import {
  listInputSchema,
  listMembershipSchema,
  listUpdateSchema,
  tagInputSchema,
  tagMembershipSchema,
  tagUpdateSchema,
  type CollectionKind,
  type MembershipInput,
} from '../domain/tags.js';
import type { AuditEvent } from '../domain/audit.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { findPersonOrThrow, loadMemberships, lockPeople, type MembershipView } from './people-shared.js';
import { parseInput } from './validate.js';

export type { CollectionKind } from '../domain/tags.js';
export type { MembershipView } from './people-shared.js';

export interface TagView {
  id: string;
  name: string;
  /** When it was archived: it keeps its members and takes no new ones. */
  archivedAt: string | null;
  createdAt: string;
  /** How many people are on it. */
  people: number;
}

export interface ListView extends TagView {
  description: string;
}

export type CollectionView<K extends CollectionKind> = K extends 'list' ? ListView : TagView;

const TABLES = {
  tag: { table: 'tags', members: 'person_tags', id: 'tag_id', idField: 'tagId', the: 'the tag', a: 'a tag' },
  list: { table: 'lists', members: 'list_members', id: 'list_id', idField: 'listId', the: 'the list', a: 'a list' },
} as const;

interface CollectionRow {
  id: string;
  name: string;
  description: string | null;
  archived_at: Date | string | null;
  created_at: Date | string;
  people: number | string;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

function present<K extends CollectionKind>(kind: K, row: CollectionRow): CollectionView<K> {
  const view: TagView = {
    id: row.id,
    name: row.name,
    archivedAt: row.archived_at === null ? null : iso(row.archived_at),
    createdAt: iso(row.created_at),
    people: Number(row.people),
  };
  return (kind === 'list' ? { ...view, description: row.description ?? '' } : view) as CollectionView<K>;
}

/** The campaign's tags (or lists), by name, with their member counts; `onlyId` narrows it to one. */
async function selectCollections(
  tx: Tx,
  campaignId: string,
  kind: CollectionKind,
  onlyId?: string,
): Promise<CollectionRow[]> {
  const t = TABLES[kind];
  const rows = await sql<CollectionRow>`
    SELECT c.${sql.ref(t.id)} AS id, c.name, ${kind === 'list' ? sql`c.description` : sql`NULL`} AS description,
           c.archived_at, c.created_at,
           (SELECT count(*) FROM ${sql.table(t.members)} m
             WHERE m.campaign_id = c.campaign_id AND m.${sql.ref(t.id)} = c.${sql.ref(t.id)}) AS people
      FROM ${sql.table(t.table)} c
     WHERE c.campaign_id = ${campaignId} ${onlyId === undefined ? sql`` : sql`AND c.${sql.ref(t.id)} = ${onlyId}`}
     ORDER BY lower(c.name), c.${sql.ref(t.id)}`.execute(tx);
  return rows.rows;
}

async function loadCollection(tx: Tx, campaignId: string, kind: CollectionKind, id: string): Promise<CollectionRow> {
  const [row] = await selectCollections(tx, campaignId, kind, id);
  if (!row) throw notFound(kind);
  return row;
}

/** The tag (or list) of that id, or of that name whatever its case. */
async function findCollection(
  tx: Tx,
  campaignId: string,
  kind: CollectionKind,
  by: { id: string } | { name: string },
): Promise<{ id: string; name: string; archived: boolean } | null> {
  const t = TABLES[kind];
  const rows = await sql<{ id: string; name: string; archived_at: Date | null }>`
    SELECT ${sql.ref(t.id)} AS id, name, archived_at FROM ${sql.table(t.table)}
     WHERE campaign_id = ${campaignId}
       AND ${'id' in by ? sql`${sql.ref(t.id)} = ${by.id}` : sql`lower(name) = ${by.name.toLowerCase()}`}`.execute(tx);
  const row = rows.rows[0];
  return row ? { id: row.id, name: row.name, archived: row.archived_at !== null } : null;
}

const nameTaken = (kind: CollectionKind, name: string, id: string): AppError =>
  conflict(`${TABLES[kind].a} named "${name}" already exists`, { field: 'name', [TABLES[kind].idField]: id });

function createdEvent(kind: CollectionKind, id: string, name: string): AuditEvent {
  return kind === 'tag'
    ? { type: 'tag.created', data: { tagId: id, name } }
    : { type: 'list.created', data: { listId: id, name } };
}

/**
 * A person was put on or taken off a tag or list: their record shows it changed, and the
 * audit trail says who did it and when (UK GDPR Art 5(2)).
 */
async function recordMembershipChange(
  tx: Tx,
  principal: Principal,
  campaignId: string,
  personId: string,
  event: AuditEvent,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('people')
    .set({ updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .execute();
  await appendAuditEvent(tx, campaignId, actorOf(principal), event, now);
}

/** Inserts a tag (or list); a name taken meanwhile (an import creates tags too) is a conflict. */
async function insertCollection(
  tx: Tx,
  campaignId: string,
  kind: CollectionKind,
  input: { name: string; description: string },
  principal: Principal,
  now: Date,
): Promise<string> {
  const t = TABLES[kind];
  const existing = await findCollection(tx, campaignId, kind, { name: input.name });
  if (existing) throw nameTaken(kind, existing.name, existing.id);
  const id = uuidv7(now.getTime());
  const inserted = await sql<{ id: string }>`
    INSERT INTO ${sql.table(t.table)} (campaign_id, ${sql.ref(t.id)}, name, created_at
                                       ${kind === 'list' ? sql`, description` : sql``})
    VALUES (${campaignId}, ${id}, ${input.name}, ${now} ${kind === 'list' ? sql`, ${input.description}` : sql``})
    ON CONFLICT (campaign_id, lower(name)) DO NOTHING
    RETURNING ${sql.ref(t.id)} AS id`.execute(tx);
  if (inserted.rows.length === 0) {
    const clash = await findCollection(tx, campaignId, kind, { name: input.name });
    throw nameTaken(kind, clash?.name ?? input.name, clash?.id ?? '');
  }
  await appendAuditEvent(tx, campaignId, actorOf(principal), createdEvent(kind, id, input.name), now);
  return id;
}

// ---------------------------------------------------------------------------------------
// Tags and lists
// ---------------------------------------------------------------------------------------

/** Every tag (or list) of the campaign, archived ones included, by name. */
export async function listCollections<K extends CollectionKind>(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  kind: K,
): Promise<CollectionView<K>[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.read');
    return (await selectCollections(tx, campaignId, kind)).map((row) => present(kind, row));
  });
}

/** Creates a tag (or list). Whoever may add facts about people may create one. */
export async function createCollection<K extends CollectionKind>(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  kind: K,
  input: unknown,
): Promise<CollectionView<K>> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.write');
    const parsed =
      kind === 'list' ? parseInput(listInputSchema, input) : { ...parseInput(tagInputSchema, input), description: '' };
    const id = await insertCollection(tx, campaignId, kind, parsed, principal, nowOf(deps));
    return present(kind, await loadCollection(tx, campaignId, kind, id));
  });
}

/** Renames (a list: describes), archives or restores a tag (or list). */
export async function updateCollection<K extends CollectionKind>(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  kind: K,
  id: string,
  input: unknown,
): Promise<CollectionView<K>> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'tags.manage');
    const parsed: { name?: string | undefined; description?: string | undefined; archived?: boolean | undefined } =
      kind === 'list' ? parseInput(listUpdateSchema, input) : parseInput(tagUpdateSchema, input);
    const t = TABLES[kind];
    const before = await loadCollection(tx, campaignId, kind, id);
    const now = nowOf(deps);
    const fields: string[] = [];
    const set: RawBuilder<unknown>[] = [];
    if (parsed.name !== undefined && parsed.name !== before.name) {
      const clash = await findCollection(tx, campaignId, kind, { name: parsed.name });
      if (clash && clash.id !== id) throw nameTaken(kind, clash.name, clash.id);
      set.push(sql`name = ${parsed.name}`);
      fields.push('name');
    }
    if (kind === 'list' && parsed.description !== undefined && parsed.description !== (before.description ?? '')) {
      set.push(sql`description = ${parsed.description}`);
      fields.push('description');
    }
    if (parsed.archived !== undefined && parsed.archived !== (before.archived_at !== null)) {
      set.push(sql`archived_at = ${parsed.archived ? now : null}`);
      fields.push(parsed.archived ? 'archived' : 'restored');
    }
    if (set.length === 0) return present(kind, before);
    await sql`UPDATE ${sql.table(t.table)} SET ${sql.join(set)}
               WHERE campaign_id = ${campaignId} AND ${sql.ref(t.id)} = ${id}`.execute(tx);
    const name = parsed.name ?? before.name;
    const renamed = fields.includes('name') ? { previousName: before.name } : {};
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      kind === 'tag'
        ? { type: 'tag.updated', data: { tagId: id, fields, name, ...renamed } }
        : { type: 'list.updated', data: { listId: id, fields, name, ...renamed } },
      now,
    );
    return present(kind, await loadCollection(tx, campaignId, kind, id));
  });
}

/**
 * Deletes a tag (or list) that nobody is on. One that people are on is refused: deleting it
 * would delete their memberships and the record of where each came from; archive it instead.
 */
export async function deleteCollection(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  kind: CollectionKind,
  id: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'tags.manage');
    // The people lock keeps an import or a staff member from putting someone on it meanwhile.
    await lockPeople(tx, campaignId);
    const t = TABLES[kind];
    const row = await loadCollection(tx, campaignId, kind, id);
    const people = Number(row.people);
    if (people > 0) {
      throw new AppError(
        'invalid_state',
        `${people === 1 ? '1 person is' : `${people} people are`} on ${t.the} "${row.name}": deleting it would delete ${people === 1 ? 'that membership' : 'their memberships'} and the record of where each came from. Archive it instead (it then takes no new people), or take everyone off it first`,
        { people },
      );
    }
    await sql`DELETE FROM ${sql.table(t.table)} WHERE campaign_id = ${campaignId} AND ${sql.ref(t.id)} = ${id}`.execute(
      tx,
    );
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      kind === 'tag'
        ? { type: 'tag.deleted', data: { tagId: id, name: row.name } }
        : { type: 'list.deleted', data: { listId: id, name: row.name } },
      nowOf(deps),
    );
  });
}

// ---------------------------------------------------------------------------------------
// People on tags and lists
// ---------------------------------------------------------------------------------------

function parseMembership(kind: CollectionKind, input: unknown): MembershipInput {
  if (kind === 'tag') {
    const { tagId, ...rest } = parseInput(tagMembershipSchema, input);
    return { ...rest, id: tagId, name: rest.name };
  }
  const { listId, ...rest } = parseInput(listMembershipSchema, input);
  return { ...rest, id: listId, name: rest.name };
}

/**
 * Puts a person on a tag (or list), by its id or its name (a new name creates it). The
 * membership gets a provenance record of its own: the source (current, not archived) with its
 * lawful basis, the kind of data, and who recorded it.
 */
export async function addPersonToCollection(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  kind: CollectionKind,
  personId: string,
  input: unknown,
): Promise<MembershipView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.write');
    const parsed = parseMembership(kind, input);
    const t = TABLES[kind];
    const source = await tx
      .selectFrom('sources')
      .select(['source_id', 'lawful_basis', 'archived_at'])
      .where('campaign_id', '=', campaignId)
      .where('source_id', '=', parsed.sourceId)
      .executeTakeFirst();
    if (!source) throw invalid([{ field: 'sourceId', message: 'no such source in this campaign' }]);
    if (source.archived_at !== null) {
      throw invalid([{ field: 'sourceId', message: 'this source is archived: choose a current one' }]);
    }
    await lockPeople(tx, campaignId);
    await findPersonOrThrow(tx, campaignId, personId);
    const now = nowOf(deps);

    // The field that named the tag (or list), for the errors below.
    const field = parsed.id !== undefined ? t.idField : 'name';
    let target: { id: string; name: string; archived: boolean } | null;
    if (parsed.id !== undefined) {
      target = await findCollection(tx, campaignId, kind, { id: parsed.id });
      if (!target) throw invalid([{ field, message: `no such ${kind} in this campaign` }]);
    } else {
      const name = parsed.name!;
      target = await findCollection(tx, campaignId, kind, { name });
      if (!target) {
        const id = await insertCollection(tx, campaignId, kind, { name, description: '' }, principal, now);
        target = { id, name, archived: false };
      }
    }
    if (target.archived) {
      throw new AppError(
        'invalid_state',
        `${t.the} "${target.name}" is archived: it takes no new people. Restore it first, or choose another`,
        { field, [t.idField]: target.id },
      );
    }
    const held = await sql<{ one: number }>`
      SELECT 1 AS one FROM ${sql.table(t.members)}
       WHERE campaign_id = ${campaignId} AND ${sql.ref(t.id)} = ${target.id} AND person_id = ${personId}`.execute(tx);
    if (held.rows.length > 0) {
      throw conflict(`this person is already on ${t.the} "${target.name}"`, { field, [t.idField]: target.id });
    }

    const [provenance] = await tx
      .insertInto('provenance')
      .values({
        campaign_id: campaignId,
        source_id: source.source_id,
        import_id: null,
        kind: parsed.kind,
        lawful_basis: source.lawful_basis,
        collected_at: now,
        recorded_at: now,
        recorded_by: JSON.stringify(actorOf(principal)),
      })
      .returning('provenance_id')
      .execute();
    const provenanceId = Number(provenance!.provenance_id);
    await sql`INSERT INTO ${sql.table(t.members)} (campaign_id, ${sql.ref(t.id)}, person_id, provenance_id, added_at)
              VALUES (${campaignId}, ${target.id}, ${personId}, ${provenanceId}, ${now})`.execute(tx);
    await recordMembershipChange(
      tx,
      principal,
      campaignId,
      personId,
      kind === 'tag'
        ? { type: 'person.tag_added', data: { personId, tagId: target.id, provenanceId } }
        : { type: 'person.list_added', data: { personId, listId: target.id, provenanceId } },
      now,
    );
    const [membership] = await loadMemberships(tx, campaignId, kind, personId, target.id);
    return membership!;
  });
}

/** Takes a person off a tag (or list): that fact and its link to its provenance go. */
export async function removePersonFromCollection(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  kind: CollectionKind,
  personId: string,
  id: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.write');
    await lockPeople(tx, campaignId);
    await findPersonOrThrow(tx, campaignId, personId);
    const t = TABLES[kind];
    const removed = await sql<{ one: number }>`
      DELETE FROM ${sql.table(t.members)}
       WHERE campaign_id = ${campaignId} AND ${sql.ref(t.id)} = ${id} AND person_id = ${personId}
      RETURNING 1 AS one`.execute(tx);
    if (removed.rows.length === 0) throw new AppError('not_found', `this person is not on ${t.the}`);
    const now = nowOf(deps);
    await recordMembershipChange(
      tx,
      principal,
      campaignId,
      personId,
      kind === 'tag'
        ? { type: 'person.tag_removed', data: { personId, tagId: id } }
        : { type: 'person.list_removed', data: { personId, listId: id } },
      now,
    );
  });
}
