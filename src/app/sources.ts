/**
 * Sources (issue 3): where a campaign's personal data comes from and the duties each one
 * carries. Create, list, read and update; every change is audited.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/scope.js';
import { inCampaign } from '../db/scope.js';
import type { SourcesTable } from '../db/schema.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import { parseInput } from './validate.js';
import { conflict, notFound } from '../domain/errors.js';
import {
  isThirdPartySource,
  sourceInputSchema,
  sourceUpdateSchema,
  type DueDiligence,
  type LawfulBasis,
  type Source,
  type SourceType,
} from '../domain/sources.js';
import { uuidv7 } from '../domain/people.js';
import type { Selectable } from 'kysely';

type SourceRow = Selectable<SourcesTable>;

const iso = (d: Date | string): string => new Date(d).toISOString();

export function presentSource(row: SourceRow): Source {
  const type = row.type as SourceType;
  return {
    id: row.source_id,
    name: row.name,
    type,
    thirdParty: isThirdPartySource(type),
    description: row.description,
    collectionPurpose: row.collection_purpose,
    lawfulBasis: row.lawful_basis as LawfulBasis | null,
    lawfulBasisNote: row.lawful_basis_note,
    art9Condition: row.art9_condition,
    dueDiligence: (row.due_diligence ?? null) as DueDiligence | null,
    art14Plan: row.art14_plan,
    compatibilityAssessment: row.compatibility_assessment,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    archivedAt: row.archived_at ? iso(row.archived_at) : null,
  };
}

/** A source of the campaign (inside the caller's transaction), or not_found. */
export async function loadSource(tx: Tx, campaignId: string, sourceId: string): Promise<Source> {
  const row = await tx
    .selectFrom('sources')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  if (!row) throw notFound('source');
  return presentSource(row);
}

async function assertNameFree(tx: Tx, campaignId: string, name: string, except: string | null): Promise<void> {
  const clash = await tx
    .selectFrom('sources')
    .select('source_id')
    .where('campaign_id', '=', campaignId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (clash && clash.source_id !== except) {
    throw conflict(`a source named "${name}" already exists`, { field: 'name', sourceId: clash.source_id });
  }
}

export async function createSource(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<Source> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const parsed = parseInput(sourceInputSchema, input);
    await authorize(tx, principal, campaignId, 'sources.manage');
    await assertNameFree(tx, campaignId, parsed.name, null);
    const now = nowOf(deps);
    const sourceId = uuidv7(now.getTime());
    const row = await tx
      .insertInto('sources')
      .values({
        campaign_id: campaignId,
        source_id: sourceId,
        name: parsed.name,
        type: parsed.type,
        description: parsed.description,
        collection_purpose: parsed.collectionPurpose,
        lawful_basis: parsed.lawfulBasis,
        lawful_basis_note: parsed.lawfulBasisNote,
        art9_condition: parsed.art9Condition,
        due_diligence: parsed.dueDiligence ? JSON.stringify(parsed.dueDiligence) : null,
        art14_plan: parsed.art14Plan,
        compatibility_assessment: parsed.compatibilityAssessment,
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'source.created', data: { sourceId, name: parsed.name, sourceType: parsed.type } },
      now,
    );
    return presentSource(row);
  });
}

export async function listSources(deps: AppDeps, principal: Principal, campaignId: string): Promise<Source[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'sources.read');
    const rows = await tx
      .selectFrom('sources')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('created_at', 'desc')
      .orderBy('source_id', 'desc')
      .execute();
    return rows.map(presentSource);
  });
}

export async function getSource(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  sourceId: string,
): Promise<Source> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'sources.read');
    return loadSource(tx, campaignId, sourceId);
  });
}

const COLUMN_OF = {
  name: 'name',
  type: 'type',
  description: 'description',
  collectionPurpose: 'collection_purpose',
  lawfulBasis: 'lawful_basis',
  lawfulBasisNote: 'lawful_basis_note',
  art9Condition: 'art9_condition',
  art14Plan: 'art14_plan',
  compatibilityAssessment: 'compatibility_assessment',
} as const;

export async function updateSource(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  sourceId: string,
  input: unknown,
): Promise<Source> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const parsed = parseInput(sourceUpdateSchema.strict(), input);
    // The schema fills defaults for absent fields (zod's partial keeps .default()): only the
    // fields the caller sent are changed.
    const sent = new Set(input !== null && typeof input === 'object' ? Object.keys(input) : []);
    await authorize(tx, principal, campaignId, 'sources.manage');
    await loadSource(tx, campaignId, sourceId);
    const now = nowOf(deps);
    const set: Record<string, unknown> = { updated_at: now };
    const fields: string[] = [];
    for (const [key, column] of Object.entries(COLUMN_OF) as [keyof typeof COLUMN_OF, string][]) {
      if (sent.has(key) && parsed[key] !== undefined) {
        set[column] = parsed[key];
        fields.push(key);
      }
    }
    if (sent.has('dueDiligence') && parsed.dueDiligence !== undefined) {
      set.due_diligence = parsed.dueDiligence ? JSON.stringify(parsed.dueDiligence) : null;
      fields.push('dueDiligence');
    }
    if (parsed.archived !== undefined) {
      set.archived_at = parsed.archived ? now : null;
      fields.push('archived');
    }
    if (sent.has('name') && parsed.name !== undefined) await assertNameFree(tx, campaignId, parsed.name, sourceId);
    const row = await tx
      .updateTable('sources')
      .set(set)
      .where('campaign_id', '=', campaignId)
      .where('source_id', '=', sourceId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (fields.length > 0) {
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        { type: 'source.updated', data: { sourceId, fields } },
        now,
      );
    }
    return presentSource(row);
  });
}
