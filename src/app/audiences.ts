/**
 * Audiences (issue 5): saved segments, audiences built from them for a platform and a purpose of
 * the record of processing, the preview (who is in, who is left out and why), the export behind
 * the lawful gate (src/app/audience-gate.ts) into the platform's files, uploads that make an
 * audience live, audited downloads and the files' expiry.
 *
 * Export, in one transaction:
 *   1. the audience-level decision and one pass over the segment (counting exclusions, letting
 *      the engine decide every batch, and recording each kept person — id only — as a member of
 *      the export, inside a savepoint): refused → the members are rolled back, the decision is
 *      recorded in the audit trail (rules.decided), committed, and rule_refused names every
 *      failing rule with its fix;
 *   2. allowed → the members' identifiers are streamed into writeAudienceFiles (bounded memory;
 *      on PostgreSQL as COPY text the writer reads itself), then the export row with the
 *      manifest and the audit event are written. The campaign's people lock is held throughout,
 *      so no objection, erasure or consent withdrawal can slip between the gate and the file:
 *      each waits, then queues its removal against the committed export
 *      (src/app/audience-removals.ts).
 *
 * Expiry (item 5): an export's files are deleted `file_expiry_days` after it (the audience's
 * setting, else the campaign's, default 7); the manifest stays, in the database and beside the
 * files. There is no periodic hook in src/jobs (pg-boss runs without its scheduler), so the
 * sweep, `sweepExpiredAudienceFiles`, runs at the start of every export, download, audience list
 * and audience view, and after the expiry setting changes; a download past expiry is refused
 * even before the sweep has run.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { z } from 'zod';
import {
  writeAudienceFiles,
  MANIFEST_FILE,
  type AudienceFileManifest,
  type AudiencePerson,
} from '../audiences/audience-file-writer.js';
import { copyOut } from '../db/copy-out.js';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { AUDIENCE_FIELDS, type AudienceField } from '../domain/audiences/platform-rules.js';
import { segmentDefinitionSchema, type SegmentDefinition } from '../domain/audiences/segment.js';
import { AppError, conflict, invalid, notFound } from '../domain/errors.js';
import { isUuid, PURPOSE_PATTERN, uuidv7 } from '../domain/people.js';
import { CAPABILITY_DESCRIPTIONS } from '../domain/rules/capabilities.js';
import { PLATFORMS, type PlatformId } from '../domain/rules/platforms.js';
import { blockingFindings, proceeds, type Decision, type Finding } from '../domain/rules/rule.js';
import {
  AUDIENCE_KINDS,
  EXCLUSION_LABELS,
  EXCLUSION_REASONS,
  UNINFORMED_CHOICES,
  exclusionKey,
  type AudienceDetailView,
  type AudienceExportView,
  type AudienceSettingsView,
  type ConsentWordingView,
  type AudienceKind,
  type AudiencePreview,
  type AudienceView,
  type ExclusionReason,
  type SegmentView,
} from '../shared/audiences.js';
import { appendAuditEvent } from './audit.js';
import {
  capabilityOf,
  checkFields,
  decideAudienceLevel,
  decisionOf,
  loadGateContext,
  scanAudience,
  type ScanBatch,
  type GateAudience,
  type GateContext,
} from './audience-gate.js';
import { audienceTx, type AudienceTx } from './audience-tables.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { recordDecision } from './decisions.js';
import { lockPeople } from './people-shared.js';
import { parseInput } from './validate.js';

export const DEFAULT_FILE_EXPIRY_DAYS = 7;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------

const name = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');

export const segmentInputSchema = z.object({ name, definition: segmentDefinitionSchema }).strict();

const expiryDays = z.number().int('must be a whole number of days').min(1).max(90);
const fieldsSchema = z.array(z.enum(AUDIENCE_FIELDS)).max(AUDIENCE_FIELDS.length);

export const audienceCreateSchema = z
  .object({
    name,
    platform: z.enum(PLATFORMS, { message: `must be one of ${PLATFORMS.join(', ')}` }),
    kind: z.enum(AUDIENCE_KINDS, { message: 'must be list or lookalike_seed' }),
    activityId: z.uuid('choose the processing activity (the purpose in the record of processing)'),
    segmentId: z.uuid().optional(),
    segment: segmentInputSchema.optional(),
    consentPurpose: z.string().trim().regex(PURPOSE_PATTERN, 'a consent purpose, e.g. campaign_updates'),
    electionAds: z.boolean().default(true),
    uninformed: z.enum(UNINFORMED_CHOICES, {
      message: 'choose exclude (leave out people never given a list-matching notice) or refuse',
    }),
    fields: fieldsSchema.default([]),
    fileExpiryDays: expiryDays.nullable().default(null),
    seedAudienceId: z.uuid().nullable().default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.segmentId === undefined) === (v.segment === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['segmentId'],
        message: 'give a saved segment (segmentId) or a new one (segment)',
      });
    }
    if (v.seedAudienceId !== null && v.kind !== 'lookalike_seed') {
      ctx.addIssue({
        code: 'custom',
        path: ['seedAudienceId'],
        message: 'only a lookalike seed is built from another audience',
      });
    }
  });

export const audienceUpdateSchema = z
  .object({
    name: name.optional(),
    segmentId: z.uuid().optional(),
    consentPurpose: z.string().trim().regex(PURPOSE_PATTERN, 'a consent purpose, e.g. campaign_updates').optional(),
    electionAds: z.boolean().optional(),
    uninformed: z.enum(UNINFORMED_CHOICES).optional(),
    fields: fieldsSchema.optional(),
    fileExpiryDays: expiryDays.nullable().optional(),
    status: z.literal('retired').optional(),
  })
  .strict();

export const uploadInputSchema = z
  .object({
    uploadedAt: z.iso.datetime({ offset: true, message: 'a date and time in ISO 8601, e.g. 2026-11-29T10:00:00Z' }),
    note: z.string().trim().max(2000).nullable().default(null),
  })
  .strict();

export const audienceSettingsSchema = z.object({ fileExpiryDays: expiryDays }).strict();

// ---------------------------------------------------------------------------------------
// Rows and views
// ---------------------------------------------------------------------------------------

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d));

type AudienceRow = Awaited<ReturnType<typeof loadAudienceRow>>;

async function loadAudienceRow(tx: AudienceTx, campaignId: string, audienceId: string, lock = false) {
  let q = tx
    .selectFrom('audiences')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('audience_id', '=', audienceId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('audience');
  return row;
}

async function loadSegmentRow(tx: AudienceTx, campaignId: string, segmentId: string) {
  const row = await tx
    .selectFrom('audience_segments')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('segment_id', '=', segmentId)
    .executeTakeFirst();
  if (!row) throw notFound('segment');
  return row;
}

function presentSegment(row: Awaited<ReturnType<typeof loadSegmentRow>>): SegmentView {
  return {
    id: row.segment_id,
    name: row.name,
    definition: row.definition as SegmentView['definition'],
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The audience's choices as stored, typed: what its view shows and what the gate decides on. */
function audienceChoices(row: AudienceRow) {
  return {
    platform: row.platform as PlatformId,
    kind: row.kind as AudienceKind,
    activityId: row.activity_id,
    consentPurpose: row.consent_purpose,
    electionAds: row.election_ads,
    uninformed: row.uninformed as 'exclude' | 'refuse',
    fields: row.fields as AudienceField[],
  };
}

function presentAudience(
  row: AudienceRow,
  pendingRemovals: number,
  lastExport: AudienceView['lastExport'] = null,
): AudienceView {
  return {
    id: row.audience_id,
    name: row.name,
    ...audienceChoices(row),
    segmentId: row.segment_id,
    fileExpiryDays: row.file_expiry_days,
    status: row.status as AudienceView['status'],
    seedAudienceId: row.seed_audience_id,
    needsRebuild: row.needs_rebuild,
    needsRebuildReason: row.needs_rebuild_reason,
    pendingRemovals,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    liveAt: isoOrNull(row.live_at),
    retiredAt: isoOrNull(row.retired_at),
    lastExport,
  };
}

/** Each audience's latest file export (not removal files), with whether it was uploaded: one query. */
async function lastExports(
  atx: AudienceTx,
  campaignId: string,
  audienceId?: string,
): Promise<Map<string, NonNullable<AudienceView['lastExport']>>> {
  let query = atx
    .selectFrom('audience_exports as e')
    .leftJoin('audience_uploads as u', (j) =>
      j.onRef('u.campaign_id', '=', 'e.campaign_id').onRef('u.export_id', '=', 'e.export_id'),
    )
    .distinctOn('e.audience_id')
    .select(['e.audience_id', 'e.export_id', 'e.created_at', 'u.uploaded_at'])
    .where('e.campaign_id', '=', campaignId)
    .where('e.operation', '=', 'add');
  if (audienceId !== undefined) query = query.where('e.audience_id', '=', audienceId);
  const rows = await query.orderBy('e.audience_id').orderBy('e.created_at', 'desc').execute();
  return new Map(
    rows.map((r) => [
      r.audience_id,
      { exportId: r.export_id, createdAt: iso(r.created_at), uploadedAt: isoOrNull(r.uploaded_at) },
    ]),
  );
}

export type ExportRow = Awaited<ReturnType<typeof loadExportRow>>;

export async function loadExportRow(tx: AudienceTx, campaignId: string, exportId: string) {
  const row = await tx
    .selectFrom('audience_exports')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('export_id', '=', exportId)
    .executeTakeFirst();
  if (!row) throw notFound('audience export');
  return row;
}

export function presentExport(row: ExportRow, uploadedAt: Date | string | null, now: Date): AudienceExportView {
  const manifest = row.manifest as AudienceFileManifest;
  return {
    id: row.export_id,
    audienceId: row.audience_id,
    operation: row.operation as 'add' | 'remove',
    platform: row.platform as PlatformId,
    directory: row.output_dir,
    files: manifest.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
    peopleCount: row.people_count,
    rowsWritten: row.rows_written,
    excluded: manifest.excluded,
    warnings: manifest.warnings,
    normalizationRulesVersion: manifest.normalizationRulesVersion,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    filesDeletedAt: isoOrNull(row.files_deleted_at),
    downloadable: row.files_deleted_at === null && new Date(row.expires_at).getTime() > now.getTime(),
    uploadedAt: isoOrNull(uploadedAt),
  };
}

async function pendingRemovalCounts(tx: AudienceTx, campaignId: string): Promise<Map<string, number>> {
  const rows = await tx
    .selectFrom('audience_removals')
    .select(['audience_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('confirmed_at', 'is', null)
    .groupBy('audience_id')
    .execute();
  return new Map(rows.map((r) => [r.audience_id, Number(r.n)]));
}

/** An audience's view as it is now, with its pending removals. */
async function loadAudienceView(atx: AudienceTx, campaignId: string, audienceId: string): Promise<AudienceView> {
  const pending = await pendingRemovalCounts(atx, campaignId);
  const last = await lastExports(atx, campaignId, audienceId);
  return presentAudience(
    await loadAudienceRow(atx, campaignId, audienceId),
    pending.get(audienceId) ?? 0,
    last.get(audienceId) ?? null,
  );
}

/** Adds one pass's exclusion counts to a running total. */
function addExclusions(
  total: Partial<Record<ExclusionReason, number>>,
  more: Partial<Record<ExclusionReason, number>>,
): void {
  for (const [reason, n] of Object.entries(more) as [ExclusionReason, number][]) {
    total[reason] = (total[reason] ?? 0) + n;
  }
}

// ---------------------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------------------

async function checkSegmentReferences(tx: Tx, campaignId: string, d: SegmentDefinition): Promise<void> {
  const issues: { field: string; message: string }[] = [];
  const check = async (
    table: 'tags' | 'lists' | 'sources',
    column: 'tag_id' | 'list_id' | 'source_id',
    ids: readonly string[],
    field: string,
  ): Promise<void> => {
    if (ids.length === 0) return;
    const found = await sql<{ id: string }>`
      SELECT ${sql.ref(column)} AS id FROM ${sql.table(table)}
       WHERE campaign_id = ${campaignId} AND ${sql.ref(column)} IN (SELECT unnest(${[...ids]}::uuid[]))`.execute(tx);
    const known = new Set(found.rows.map((r) => r.id));
    ids.forEach((id, i) => {
      if (!known.has(id)) issues.push({ field: `definition.${field}.${i}`, message: 'not found in this campaign' });
    });
  };
  await check(
    'tags',
    'tag_id',
    d.tags.map((t) => t.id),
    'tags',
  );
  await check(
    'lists',
    'list_id',
    d.lists.map((t) => t.id),
    'lists',
  );
  await check('sources', 'source_id', d.sources, 'sources');
  if (issues.length > 0) throw invalid(issues);
}

async function insertSegment(
  tx: Tx,
  campaignId: string,
  principal: Principal,
  input: z.output<typeof segmentInputSchema>,
  now: Date,
): Promise<string> {
  await checkSegmentReferences(tx, campaignId, input.definition);
  const segmentId = uuidv7(now.getTime());
  const taken = await audienceTx(tx)
    .selectFrom('audience_segments')
    .select('segment_id')
    .where('campaign_id', '=', campaignId)
    .where(sql<boolean>`lower(name) = lower(${input.name})`)
    .executeTakeFirst();
  if (taken) throw conflict(`a segment named "${input.name}" exists`, { field: 'name' });
  await audienceTx(tx)
    .insertInto('audience_segments')
    .values({
      campaign_id: campaignId,
      segment_id: segmentId,
      name: input.name,
      definition: JSON.stringify(input.definition),
      created_at: now,
      created_by: principal.userId,
      updated_at: now,
    })
    .execute();
  await appendAuditEvent(
    tx,
    campaignId,
    actorOf(principal),
    { type: 'audience.segment_saved', data: { segmentId, name: input.name, created: true } },
    now,
  );
  return segmentId;
}

export async function createSegment(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<SegmentView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.manage');
    const parsed = parseInput(segmentInputSchema, input);
    const id = await insertSegment(tx, campaignId, principal, parsed, nowOf(deps));
    return presentSegment(await loadSegmentRow(audienceTx(tx), campaignId, id));
  });
}

export async function updateSegment(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  segmentId: string,
  input: unknown,
): Promise<SegmentView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.manage');
    const parsed = parseInput(segmentInputSchema, input);
    const atx = audienceTx(tx);
    await loadSegmentRow(atx, campaignId, segmentId);
    await checkSegmentReferences(tx, campaignId, parsed.definition);
    const now = nowOf(deps);
    await atx
      .updateTable('audience_segments')
      .set({ name: parsed.name, definition: JSON.stringify(parsed.definition), updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('segment_id', '=', segmentId)
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'audience.segment_saved', data: { segmentId, name: parsed.name, created: false } },
      now,
    );
    return presentSegment(await loadSegmentRow(atx, campaignId, segmentId));
  });
}

export async function listSegments(deps: AppDeps, principal: Principal, campaignId: string): Promise<SegmentView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.read');
    const rows = await audienceTx(tx)
      .selectFrom('audience_segments')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('name')
      .execute();
    return rows.map(presentSegment);
  });
}

// ---------------------------------------------------------------------------------------
// Audiences
// ---------------------------------------------------------------------------------------

export async function createAudience(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<AudienceView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.manage');
    const parsed = parseInput(audienceCreateSchema, input);
    checkFields(parsed.platform, parsed.fields);
    const atx = audienceTx(tx);
    const now = nowOf(deps);
    const activity = await tx
      .selectFrom('processing_activities')
      .select('activity_id')
      .where('campaign_id', '=', campaignId)
      .where('activity_id', '=', parsed.activityId)
      .executeTakeFirst();
    if (!activity) throw invalid([{ field: 'activityId', message: 'no such processing activity in this campaign' }]);
    if (parsed.seedAudienceId !== null) {
      const seed = await atx
        .selectFrom('audiences')
        .select(['kind'])
        .where('campaign_id', '=', campaignId)
        .where('audience_id', '=', parsed.seedAudienceId)
        .executeTakeFirst();
      if (!seed) throw invalid([{ field: 'seedAudienceId', message: 'no such audience in this campaign' }]);
    }
    const segmentId =
      parsed.segment !== undefined
        ? await insertSegment(tx, campaignId, principal, parsed.segment, now)
        : (await loadSegmentRow(atx, campaignId, parsed.segmentId!)).segment_id;
    const taken = await atx
      .selectFrom('audiences')
      .select('audience_id')
      .where('campaign_id', '=', campaignId)
      .where(sql<boolean>`lower(name) = lower(${parsed.name})`)
      .executeTakeFirst();
    if (taken) throw conflict(`an audience named "${parsed.name}" exists`, { field: 'name' });
    const audienceId = uuidv7(now.getTime());
    await atx
      .insertInto('audiences')
      .values({
        campaign_id: campaignId,
        audience_id: audienceId,
        name: parsed.name,
        platform: parsed.platform,
        kind: parsed.kind,
        activity_id: parsed.activityId,
        segment_id: segmentId,
        consent_purpose: parsed.consentPurpose,
        election_ads: parsed.electionAds,
        uninformed: parsed.uninformed,
        fields: JSON.stringify(parsed.fields),
        file_expiry_days: parsed.fileExpiryDays,
        seed_audience_id: parsed.seedAudienceId,
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
      })
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      {
        type: 'audience.created',
        data: {
          audienceId,
          name: parsed.name,
          platform: parsed.platform,
          kind: parsed.kind,
          activityId: parsed.activityId,
          segmentId,
        },
      },
      now,
    );
    return presentAudience(await loadAudienceRow(atx, campaignId, audienceId), 0);
  });
}

export async function updateAudience(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  audienceId: string,
  input: unknown,
): Promise<AudienceView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.manage');
    const parsed = parseInput(audienceUpdateSchema, input);
    const atx = audienceTx(tx);
    const row = await loadAudienceRow(atx, campaignId, audienceId, true);
    if (row.status === 'retired') throw new AppError('invalid_state', 'the audience is retired');
    if (parsed.fields !== undefined) checkFields(row.platform as PlatformId, parsed.fields);
    if (parsed.segmentId !== undefined) await loadSegmentRow(atx, campaignId, parsed.segmentId);
    const now = nowOf(deps);
    const changes = {
      ...(parsed.name !== undefined ? { name: parsed.name } : {}),
      ...(parsed.segmentId !== undefined ? { segment_id: parsed.segmentId } : {}),
      ...(parsed.consentPurpose !== undefined ? { consent_purpose: parsed.consentPurpose } : {}),
      ...(parsed.electionAds !== undefined ? { election_ads: parsed.electionAds } : {}),
      ...(parsed.uninformed !== undefined ? { uninformed: parsed.uninformed } : {}),
      ...(parsed.fields !== undefined ? { fields: JSON.stringify(parsed.fields) } : {}),
      ...(parsed.fileExpiryDays !== undefined ? { file_expiry_days: parsed.fileExpiryDays } : {}),
      ...(parsed.status === 'retired' ? { status: 'retired', retired_at: now } : {}),
    };
    const fields = Object.keys(parsed).filter((k) => parsed[k as keyof typeof parsed] !== undefined);
    if (fields.length > 0) {
      await atx
        .updateTable('audiences')
        .set({ ...changes, updated_at: now })
        .where('campaign_id', '=', campaignId)
        .where('audience_id', '=', audienceId)
        .execute();
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        { type: 'audience.updated', data: { audienceId, fields } },
        now,
      );
    }
    return loadAudienceView(atx, campaignId, audienceId);
  });
}

export async function listAudiences(deps: AppDeps, principal: Principal, campaignId: string): Promise<AudienceView[]> {
  await sweepExpiredAudienceFiles(deps, campaignId);
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.read');
    const atx = audienceTx(tx);
    const rows = await atx
      .selectFrom('audiences')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('created_at', 'desc')
      .execute();
    const pending = await pendingRemovalCounts(atx, campaignId);
    const last = await lastExports(atx, campaignId);
    return rows.map((r) => presentAudience(r, pending.get(r.audience_id) ?? 0, last.get(r.audience_id) ?? null));
  });
}

export async function getAudience(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  audienceId: string,
): Promise<AudienceDetailView> {
  await sweepExpiredAudienceFiles(deps, campaignId);
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.read');
    const atx = audienceTx(tx);
    const row = await loadAudienceRow(atx, campaignId, audienceId);
    const segment = await loadSegmentRow(atx, campaignId, row.segment_id);
    const exports = await listExportRows(atx, campaignId, audienceId);
    const pending = await pendingRemovalCounts(atx, campaignId);
    const now = nowOf(deps);
    // The latest file export is among the exports just read (newest first): no second query.
    const last = exports.find((e) => e.operation === 'add');
    return {
      audience: presentAudience(
        row,
        pending.get(audienceId) ?? 0,
        last
          ? { exportId: last.export_id, createdAt: iso(last.created_at), uploadedAt: isoOrNull(last.uploaded_at) }
          : null,
      ),
      segment: presentSegment(segment),
      exports: exports.map((e) => presentExport(e, e.uploaded_at, now)),
    };
  });
}

async function listExportRows(atx: AudienceTx, campaignId: string, audienceId: string) {
  return atx
    .selectFrom('audience_exports as e')
    .leftJoin('audience_uploads as u', (j) =>
      j.onRef('u.campaign_id', '=', 'e.campaign_id').onRef('u.export_id', '=', 'e.export_id'),
    )
    .selectAll('e')
    .select('u.uploaded_at')
    .where('e.campaign_id', '=', campaignId)
    .where('e.audience_id', '=', audienceId)
    .orderBy('e.created_at', 'desc')
    .execute();
}

function gateAudienceOf(row: AudienceRow, definition: SegmentDefinition): GateAudience {
  return { audienceId: row.audience_id, name: row.name, ...audienceChoices(row), definition };
}

async function loadGate(tx: Tx, campaignId: string, audienceId: string, now: Date) {
  const atx = audienceTx(tx);
  const row = await loadAudienceRow(atx, campaignId, audienceId);
  if (row.status === 'retired')
    throw new AppError('invalid_state', 'the audience is retired: nothing is built from it');
  const segment = await loadSegmentRow(atx, campaignId, row.segment_id);
  const definition = segmentDefinitionSchema.parse(segment.definition);
  const ctx = await loadGateContext(tx, campaignId, gateAudienceOf(row, definition), now);
  return { row, ctx };
}

interface GateResult {
  decision: Decision;
  segmentCount: number;
  included: number;
  excluded: Partial<Record<ExclusionReason, number>>;
}

/**
 * The first pass: the audience-level decision plus every batch's, merged (each rule once, the
 * first explanation standing), and the exclusions counted.
 */
async function runGate(
  tx: Tx,
  campaignId: string,
  ctx: GateContext,
  onBatch?: (batch: ScanBatch) => Promise<void>,
): Promise<GateResult> {
  const audienceLevel = decideAudienceLevel(ctx);
  const findings: Finding[] = [...audienceLevel.findings];
  const excluded: Partial<Record<ExclusionReason, number>> = {};
  let segmentCount = 0;
  let included = 0;
  for await (const batch of scanAudience(tx, campaignId, ctx)) {
    segmentCount += batch.selected;
    included += batch.kept.length;
    addExclusions(excluded, batch.excluded);
    if (onBatch) await onBatch(batch);
    for (const f of batch.decision.findings) if (!findings.some((g) => g.ruleId === f.ruleId)) findings.push(f);
  }
  return { decision: decisionOf(findings, audienceLevel.reasoning), segmentCount, included, excluded };
}

const exclusionList = (excluded: Partial<Record<ExclusionReason, number>>): AudiencePreview['exclusions'] =>
  EXCLUSION_REASONS.filter((r) => (excluded[r] ?? 0) > 0).map((reason) => ({
    reason,
    label: EXCLUSION_LABELS[reason],
    count: excluded[reason]!,
  }));

/** Preview: the count, who would be left out and why, and what the rules say now. Writes nothing. */
export async function previewAudience(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  audienceId: string,
): Promise<AudiencePreview> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.read');
    const { row, ctx } = await loadGate(tx, campaignId, audienceId, nowOf(deps));
    const gate = await runGate(tx, campaignId, ctx);
    const excludedCount = Object.values(gate.excluded).reduce((a, b) => a + (b ?? 0), 0);
    return {
      audienceId,
      platform: row.platform as PlatformId,
      kind: row.kind as AudienceKind,
      segmentCount: gate.segmentCount,
      includedCount: gate.included,
      excludedCount,
      exclusions: exclusionList(gate.excluded),
      outcome: gate.decision.outcome,
      findings: gate.decision.findings,
    };
  });
}

/** The rule_refused error of a build, naming every failing rule with its fix. */
export function buildRefusal(kind: AudienceKind, decision: Decision): AppError {
  const blocking = blockingFindings(decision);
  return new AppError(
    'rule_refused',
    `${CAPABILITY_DESCRIPTIONS[capabilityOf(kind)]}: refused by ${blocking
      .map((f) => `${f.ruleId} (${f.citation}): ${f.explanation}${f.remedy ? ` Fix: ${f.remedy}` : ''}`)
      .join(' ')}`,
    { findings: decision.findings, ruleIds: blocking.map((f) => f.ruleId) },
  );
}

export interface ExportOptions {
  /** The directory to write into (created; must not exist). */
  directory: string;
  onProgress?: (progress: { peopleRead: number; rowsWritten: number; total: number }) => void;
  signal?: AbortSignal;
}

async function fileExpiryDays(atx: AudienceTx, campaignId: string, row: AudienceRow): Promise<number> {
  if (row.file_expiry_days !== null) return row.file_expiry_days;
  const settings = await atx
    .selectFrom('audience_settings')
    .select('file_expiry_days')
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return settings?.file_expiry_days ?? DEFAULT_FILE_EXPIRY_DAYS;
}

/** The staff member a file's manifest names: the user's display name, else their id. */
export async function staffMemberOf(tx: Tx, principal: Principal): Promise<{ id: string; name: string }> {
  const user = await tx
    .selectFrom('users')
    .select('display_name')
    .where('user_id', '=', principal.userId)
    .executeTakeFirst();
  return { id: principal.userId, name: user?.display_name ?? principal.userId };
}

/** Deletes a directory of files that will not be recorded (best effort: the error that led here stands). */
const discardDirectory = (directory: string): Promise<void> =>
  rm(directory, { recursive: true, force: true }).catch(() => undefined);

export interface NewExport {
  exportId: string;
  audienceId: string;
  operation: 'add' | 'remove';
  platform: PlatformId;
  manifest: AudienceFileManifest;
  directory: string;
  peopleCount: number;
  /** Exclusion counts by key, for the audit event (none for a removal). */
  excluded: Record<string, number>;
  /** The gate's recorded decision (none for a removal). */
  decisionSeq: number | null;
  expiresAt: Date;
}

/** Records written files: the export row and the audience.exported audit event. Returns its view. */
export async function recordExport(
  tx: Tx,
  campaignId: string,
  principal: Principal,
  e: NewExport,
  now: Date,
): Promise<AudienceExportView> {
  const atx = audienceTx(tx);
  const actor = actorOf(principal);
  await atx
    .insertInto('audience_exports')
    .values({
      campaign_id: campaignId,
      export_id: e.exportId,
      audience_id: e.audienceId,
      operation: e.operation,
      platform: e.platform,
      manifest: JSON.stringify(e.manifest),
      output_dir: e.directory,
      files: JSON.stringify(e.manifest.files.map((f) => f.name)),
      people_count: e.peopleCount,
      rows_written: e.manifest.rowsWritten,
      decision_seq: e.decisionSeq,
      created_by: principal.userId,
      created_by_actor: JSON.stringify(actor),
      created_at: now,
      expires_at: e.expiresAt,
    })
    .execute();
  await appendAuditEvent(
    tx,
    campaignId,
    actor,
    {
      type: 'audience.exported',
      data: {
        audienceId: e.audienceId,
        exportId: e.exportId,
        operation: e.operation,
        platform: e.platform,
        people: e.peopleCount,
        rows: e.manifest.rowsWritten,
        files: e.manifest.files.map((f) => ({ name: f.name, sha256: f.sha256 })),
        excluded: e.excluded,
        decisionSeq: e.decisionSeq,
        normalizationRulesVersion: e.manifest.normalizationRulesVersion,
      },
    },
    now,
  );
  return presentExport(await loadExportRow(atx, campaignId, e.exportId), null, now);
}

/** The columns an export reads of each member, in the writer's COPY column order. */
const MEMBER_COLUMNS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'postcode',
  'other_emails',
  'other_phones',
] as const;

/**
 * An export's members with their identifiers, in person order: on PostgreSQL as COPY text,
 * which the file writer reads itself (its byte fast paths); on PGlite, whose COPY TO is not a
 * stream, through a cursor, as person objects. The further email addresses and phone numbers
 * (person_identifiers) come oldest first.
 */
async function exportMembers(
  deps: AppDeps,
  tx: Tx,
  campaignId: string,
  exportId: string,
): Promise<{
  input: Pick<Parameters<typeof writeAudienceFiles>[0], 'people' | 'copyText'>;
  close(): Promise<void>;
}> {
  // COPY takes no parameters: both ids are checked to be UUIDs before they are written in.
  if (!isUuid(campaignId) || !isUuid(exportId)) throw new Error('export ids must be UUIDs');
  const others = (kind: 'email' | 'phone'): string =>
    `(SELECT array_to_json(array_agg(i.value ORDER BY i.created_at)) FROM person_identifiers i
       WHERE i.campaign_id = p.campaign_id AND i.person_id = p.person_id AND i.kind = '${kind}')`;
  const query = `SELECT p.email, p.phone, p.first_name, p.last_name, p.postcode,
         ${others('email')} AS other_emails, ${others('phone')} AS other_phones
    FROM audience_export_members m
    JOIN people p ON p.campaign_id = m.campaign_id AND p.person_id = m.person_id
   WHERE m.campaign_id = '${campaignId}' AND m.export_id = '${exportId}'
   ORDER BY p.person_id`;
  const copy = await copyOut(tx, deps.db.kind, query);
  if (copy !== null) {
    return { input: { copyText: { columns: MEMBER_COLUMNS, chunks: copy.chunks } }, close: () => copy.close() };
  }
  const cursor = sql.id(`canvass_export_members_${exportId.replaceAll('-', '')}`);
  await sql`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql.raw(query)}`.execute(tx);
  let open = true;
  async function* people(): AsyncGenerator<AudiencePerson[]> {
    for (;;) {
      const rows = (
        await sql<{
          email: string | null;
          phone: string | null;
          first_name: string | null;
          last_name: string | null;
          postcode: string | null;
          other_emails: string[] | null;
          other_phones: string[] | null;
        }>`FETCH 1000 FROM ${cursor}`.execute(tx)
      ).rows;
      if (rows.length === 0) break;
      yield rows.map((r) => ({
        email: r.email,
        phone: r.phone,
        firstName: r.first_name,
        lastName: r.last_name,
        postcode: r.postcode,
        otherEmails: r.other_emails ?? [],
        otherPhones: r.other_phones ?? [],
        country: null,
      }));
    }
    await sql`CLOSE ${cursor}`.execute(tx);
    open = false;
  }
  return {
    input: { people: people() },
    async close() {
      if (open) await sql`CLOSE ${cursor}`.execute(tx).catch(() => undefined);
      open = false;
    },
  };
}

/**
 * Export: the lawful gate, then the platform's files and the manifest (see the file comment).
 * Refused → rule_refused naming every failing rule; the decision is in the audit trail.
 */
export async function exportAudience(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  audienceId: string,
  options: ExportOptions,
): Promise<AudienceExportView> {
  await sweepExpiredAudienceFiles(deps, campaignId);
  const directory = resolve(options.directory);
  const refused: { error: AppError | null } = { error: null };
  const view = await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.export');
    await lockPeople(tx, campaignId);
    const now = nowOf(deps);
    const atx = audienceTx(tx);
    const { row, ctx } = await loadGate(tx, campaignId, audienceId, now);
    const capability = capabilityOf(ctx.audience.kind);
    const exportId = uuidv7(now.getTime());
    // One pass of the gate: each batch's kept people are recorded as members of this export as
    // the scan goes, inside a savepoint, so that a refused build keeps none of them. The files
    // are then written from exactly these members (under the people lock, nothing they depend
    // on can change in between).
    await sql`SAVEPOINT audience_gate`.execute(tx);
    const gate = await runGate(tx, campaignId, ctx, async (batch) => {
      if (!proceeds(batch.decision) || batch.kept.length === 0) return;
      await atx
        .insertInto('audience_export_members')
        .values(batch.kept.map((k) => ({ campaign_id: campaignId, export_id: exportId, person_id: k.personId })))
        .execute();
    });
    const allowed = proceeds(gate.decision);
    await sql.raw(allowed ? 'RELEASE SAVEPOINT audience_gate' : 'ROLLBACK TO SAVEPOINT audience_gate').execute(tx);
    const decisionSeq = await recordDecision(
      tx,
      principal,
      campaignId,
      { capability, ref: { audienceId, exportId } },
      gate.decision,
      now,
    );
    if (!allowed) {
      // Commit the recorded refusal, then raise it.
      refused.error = buildRefusal(ctx.audience.kind, gate.decision);
      return null;
    }

    const excluded: Record<string, number> = {};
    for (const [reason, n] of Object.entries(gate.excluded)) excluded[exclusionKey(reason as ExclusionReason)] = n;
    const ruleDecisions = [
      ...gate.decision.findings.map((f) => ({ ruleId: f.ruleId, outcome: f.outcome, explanation: f.explanation })),
      ...(gate.decision.reasoning ?? []).map((r) => ({
        ruleId: r.ruleId,
        outcome: r.outcome,
        explanation: r.explanation,
      })),
      {
        ruleId: capability,
        outcome: gate.decision.outcome,
        explanation: `The lawful gate allowed the ${capability === 'audience.build' ? 'list-based audience' : 'lookalike seed'} for ${gate.included} of the ${gate.segmentCount} people of the segment; the others are left out, counted by reason.`,
      },
    ];
    const staff = await staffMemberOf(tx, principal);
    const expiresAt = new Date(now.getTime() + (await fileExpiryDays(atx, campaignId, row)) * DAY_MS);
    const source = await exportMembers(deps, tx, campaignId, exportId);
    let written;
    try {
      written = await writeAudienceFiles({
        platform: ctx.audience.platform,
        fields: ctx.fields,
        audience: { id: audienceId, name: row.name },
        staffMember: staff,
        ...source.input,
        directory,
        excluded,
        ruleDecisions,
        now: () => nowOf(deps),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (p) => options.onProgress?.({ ...p, total: gate.included }),
      });
    } catch (error) {
      await source.close();
      await discardDirectory(directory);
      throw error;
    }
    const manifest = written.manifest;
    const members = gate.included;
    if (manifest.peopleRead !== members) {
      await discardDirectory(directory);
      throw new Error(`the export read ${manifest.peopleRead} of its ${members} members`);
    }
    let exported: AudienceExportView;
    try {
      exported = await recordExport(
        tx,
        campaignId,
        principal,
        {
          exportId,
          audienceId,
          operation: 'add',
          platform: ctx.audience.platform,
          manifest,
          directory,
          peopleCount: members,
          excluded,
          decisionSeq,
          expiresAt,
        },
        now,
      );
    } catch (error) {
      await discardDirectory(directory);
      throw error;
    }
    await atx
      .updateTable('audiences')
      .set({ needs_rebuild: false, needs_rebuild_reason: null, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('audience_id', '=', audienceId)
      .execute();
    return exported;
  });
  if (refused.error) throw refused.error;
  return view!;
}

// ---------------------------------------------------------------------------------------
// Uploads: an export uploaded to the platform makes the audience live
// ---------------------------------------------------------------------------------------

export async function recordAudienceUpload(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  exportId: string,
  input: unknown,
): Promise<AudienceView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.export');
    const parsed = parseInput(uploadInputSchema, input);
    const atx = audienceTx(tx);
    const exp = await loadExportRow(atx, campaignId, exportId);
    if (exp.operation !== 'add') {
      throw new AppError('invalid_state', 'this is a removal export: confirm it with the removals, not as an upload');
    }
    const row = await loadAudienceRow(atx, campaignId, exp.audience_id, true);
    if (row.status === 'retired') throw new AppError('invalid_state', 'the audience is retired');
    const uploaded = await atx
      .selectFrom('audience_uploads')
      .select('upload_id')
      .where('campaign_id', '=', campaignId)
      .where('export_id', '=', exportId)
      .executeTakeFirst();
    if (uploaded) throw conflict('this export’s upload is already recorded');
    const now = nowOf(deps);
    const uploadedAt = new Date(parsed.uploadedAt);
    if (uploadedAt.getTime() > now.getTime() + 5 * 60_000) {
      throw invalid([{ field: 'uploadedAt', message: 'cannot be in the future' }]);
    }
    if (uploadedAt.getTime() < new Date(exp.created_at).getTime()) {
      throw invalid([{ field: 'uploadedAt', message: 'cannot be before the export was written' }]);
    }
    const uploadId = uuidv7(now.getTime());
    const actor = actorOf(principal);
    await atx
      .insertInto('audience_uploads')
      .values({
        campaign_id: campaignId,
        upload_id: uploadId,
        export_id: exportId,
        audience_id: row.audience_id,
        uploaded_at: uploadedAt,
        note: parsed.note,
        recorded_at: now,
        recorded_by: JSON.stringify(actor),
      })
      .execute();
    await atx
      .updateTable('audiences')
      .set({ status: 'live', live_at: row.live_at ?? uploadedAt, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('audience_id', '=', row.audience_id)
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      { type: 'audience.uploaded', data: { audienceId: row.audience_id, exportId, uploadId } },
      now,
    );
    return loadAudienceView(atx, campaignId, row.audience_id);
  });
}

// ---------------------------------------------------------------------------------------
// Downloads (audited) and expiry
// ---------------------------------------------------------------------------------------

export interface OpenedExportFile {
  name: string;
  contentType: string;
  stream: Readable;
}

/** A file of an export, for download: audited; refused once the files expired or were deleted. */
export async function openAudienceExportFile(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  exportId: string,
  fileName: string,
): Promise<OpenedExportFile> {
  await sweepExpiredAudienceFiles(deps, campaignId);
  const { path, name } = await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.export');
    const atx = audienceTx(tx);
    const exp = await loadExportRow(atx, campaignId, exportId);
    const files = exp.files;
    if (fileName !== MANIFEST_FILE && !files.includes(fileName)) throw notFound('file');
    const now = nowOf(deps);
    if (fileName !== MANIFEST_FILE && (exp.files_deleted_at !== null || new Date(exp.expires_at) <= now)) {
      throw new AppError(
        'invalid_state',
        `the files of this export expired on ${iso(exp.expires_at).slice(0, 10)} and were deleted; the manifest is kept. Export the audience again.`,
        { expiresAt: iso(exp.expires_at) },
      );
    }
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'audience.file_downloaded', data: { exportId, audienceId: exp.audience_id, file: fileName } },
      now,
    );
    return { path: join(exp.output_dir, fileName), name: fileName };
  });
  return {
    name,
    contentType: name.endsWith('.json') ? 'application/json' : 'text/csv; charset=utf-8',
    stream: createReadStream(path),
  };
}

/**
 * Deletes the data files of every export past its expiry (the manifest stays, on disk and in
 * the database) and records it. Runs before exports, downloads and audience views.
 */
export async function sweepExpiredAudienceFiles(deps: AppDeps, campaignId: string): Promise<string[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    const atx = audienceTx(tx);
    const now = nowOf(deps);
    const due = await atx
      .selectFrom('audience_exports')
      .select(['export_id', 'output_dir', 'files'])
      .where('campaign_id', '=', campaignId)
      .where('files_deleted_at', 'is', null)
      .where('expires_at', '<=', now)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    for (const e of due) {
      for (const file of e.files) {
        await rm(join(e.output_dir, file), { force: true });
      }
    }
    const exportIds = due.map((e) => e.export_id);
    await atx
      .updateTable('audience_exports')
      .set({ files_deleted_at: now })
      .where('campaign_id', '=', campaignId)
      .where('export_id', 'in', exportIds)
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      { type: 'system', id: null },
      { type: 'audience.files_expired', data: { exportIds } },
      now,
    );
    return exportIds;
  });
}

/** The campaign's file expiry (audiences may override it), and whether it is the default. */
export async function getAudienceSettings(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<AudienceSettingsView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.read');
    const row = await audienceTx(tx)
      .selectFrom('audience_settings')
      .select(['file_expiry_days', 'updated_at'])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    return {
      fileExpiryDays: row?.file_expiry_days ?? DEFAULT_FILE_EXPIRY_DAYS,
      isDefault: row === undefined,
      defaultFileExpiryDays: DEFAULT_FILE_EXPIRY_DAYS,
      updatedAt: row ? iso(row.updated_at) : null,
    };
  });
}

export async function updateAudienceSettings(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<{ fileExpiryDays: number }> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.export');
    const parsed = parseInput(audienceSettingsSchema, input);
    const now = nowOf(deps);
    await audienceTx(tx)
      .insertInto('audience_settings')
      .values({
        campaign_id: campaignId,
        file_expiry_days: parsed.fileExpiryDays,
        updated_at: now,
        updated_by: principal.userId,
      })
      .onConflict((oc) =>
        oc
          .column('campaign_id')
          .doUpdateSet({ file_expiry_days: parsed.fileExpiryDays, updated_at: now, updated_by: principal.userId }),
      )
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'audience.settings_updated', data: { fileExpiryDays: parsed.fileExpiryDays } },
      now,
    );
    return { fileExpiryDays: parsed.fileExpiryDays };
  });
}

/**
 * The consent wordings people were asked with (newest first), how many consents each
 * evidences, and whether the DPO marked it an explicit statement covering special category
 * data — what SCD-TARGETING-EXPLICIT-CONSENT reads. The wording text is the campaign's own
 * form text, not personal data.
 */
export async function listConsentWordings(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  /** Only this wording (e.g. the one just marked). */
  wordingHash?: string,
): Promise<ConsentWordingView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.read');
    const rows = await sql<{
      wording_hash: string;
      text: string;
      created_at: Date | string;
      versions: string[] | null;
      consents: number;
      note: string | null;
      recorded_at: Date | string | null;
    }>`
      SELECT w.wording_hash, w.text, w.created_at,
             (SELECT array_agg(DISTINCT r.wording_version ORDER BY r.wording_version) FROM consent_records r
               WHERE r.campaign_id = w.campaign_id AND r.wording_hash = w.wording_hash
                 AND r.wording_version IS NOT NULL) AS versions,
             (SELECT count(*)::int FROM consent_records r
               WHERE r.campaign_id = w.campaign_id AND r.wording_hash = w.wording_hash AND r.action = 'granted') AS consents,
             e.note, e.recorded_at
        FROM consent_wordings w
        LEFT JOIN explicit_consent_wordings e ON e.campaign_id = w.campaign_id AND e.wording_hash = w.wording_hash
       WHERE w.campaign_id = ${campaignId}
         AND (${wordingHash ?? null}::text IS NULL OR w.wording_hash = ${wordingHash ?? null})
       ORDER BY w.created_at DESC, w.wording_hash`.execute(audienceTx(tx));
    return rows.rows.map((r) => ({
      wordingHash: r.wording_hash,
      text: r.text,
      firstSeenAt: iso(r.created_at),
      versions: r.versions ?? [],
      grantedConsents: Number(r.consents),
      explicit: r.recorded_at === null ? null : { note: r.note ?? '', recordedAt: iso(r.recorded_at) },
    }));
  });
}

export const explicitWordingSchema = z
  .object({
    wordingHash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the consent wording (hex)'),
    note: z.string().trim().min(1, 'say why this wording is an explicit statement (Art 9(2)(a))').max(2000),
  })
  .strict();

/**
 * Marks a consent wording as an express statement covering special category data (UK GDPR
 * Art 9(2)(a)): consents given with it count as explicit for SCD-TARGETING-EXPLICIT-CONSENT.
 * Evidence: append-only, audited. The DPO and the owner decide it (governance.manage).
 */
export async function markExplicitConsentWording(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    const parsed = parseInput(explicitWordingSchema, input);
    const known = await tx
      .selectFrom('consent_wordings')
      .select('wording_hash')
      .where('campaign_id', '=', campaignId)
      .where('wording_hash', '=', parsed.wordingHash)
      .executeTakeFirst();
    if (!known) throw invalid([{ field: 'wordingHash', message: 'no consent was recorded with this wording' }]);
    const now = nowOf(deps);
    const actor: AuditActor = actorOf(principal);
    await audienceTx(tx)
      .insertInto('explicit_consent_wordings')
      .values({
        campaign_id: campaignId,
        wording_hash: parsed.wordingHash,
        note: parsed.note,
        recorded_at: now,
        recorded_by: JSON.stringify(actor),
      })
      .onConflict((oc) => oc.columns(['campaign_id', 'wording_hash']).doNothing())
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      { type: 'audience.explicit_wording_marked', data: { wordingHash: parsed.wordingHash } },
      now,
    );
  });
}
