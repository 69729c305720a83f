/**
 * DPIAs (issue 4; UK GDPR Art 35–36): screening, the seven-step assessment in versions,
 * review and sign-off, the action plan, and whether an approved DPIA covers an activity.
 *
 * Life of a version: draft → in review → approved | rejected (and back from review to
 * draft). Approved and rejected versions are the record of a decision and never change (the
 * database refuses it too); a new version starts as a copy of the previous one. Approval
 * checks all seven steps and DPIA-RESIDUAL-HIGH (Art 36): a refusal is written to the audit
 * trail in the transaction that decided it, then raised as rule_refused.
 *
 * Every write locks the DPIA's row first, so two editors cannot interleave.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { inCampaign, type Tx } from '../db/scope.js';
import type { DpiaActionsTable, DpiasTable, DpiaVersionsTable } from '../db/schema.js';
import type { AuditActor, AuditEvent, RuleFindingData } from '../domain/audit.js';
import {
  actionInputSchema,
  actionUpdateSchema,
  canStartNewVersion,
  consultationSchema,
  contentForNewVersion,
  coverOf,
  descriptionSchema,
  EMPTY_CONTENT,
  highestResidualLevel,
  icoConsultationSchema,
  isActionOverdue,
  isEditable,
  isExpired,
  issuesOfSteps,
  necessitySchema,
  nextStatus,
  presentRisks,
  residualHighRisks,
  reviewStateOf,
  riskMap,
  risksSchema,
  signOffSchema,
  stepCompleteness,
  todayOf,
  withRiskIds,
  type DpiaTransition,
} from '../domain/dpia-assessment.js';
import {
  screen,
  screeningInputSchema,
  screenProcessing,
  type DpiaActionView,
  type DpiaContent,
  type DpiaCoverView,
  type DpiaDetailView,
  type DpiaStatus,
  type DpiaSummaryView,
  type DpiaVersionView,
  type Screening,
  type ScreeningResult,
} from '../domain/dpia.js';
import { AppError, conflict, notFound, type FieldIssue } from '../domain/errors.js';
import { decideDpiaCover } from '../domain/rules/dpia-rules.js';
import { decideAction } from '../domain/rules/engine.js';
import { proceeds, type Decision, type Finding } from '../domain/rules/rule.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { parseInput } from './validate.js';

type DpiaRow = Selectable<DpiasTable>;
type VersionRow = Selectable<DpiaVersionsTable>;
type ActionRow = Selectable<DpiaActionsTable>;

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d ? iso(d) : null);
const findingData = (findings: readonly Finding[]): RuleFindingData[] =>
  findings.map((f) => ({ ruleId: f.ruleId, citation: f.citation, outcome: f.outcome, explanation: f.explanation }));

// ---------------------------------------------------------------------------------------
// Input schemas
// ---------------------------------------------------------------------------------------

const title = z.string().trim().min(1, 'a title is required').max(200);

export const dpiaCreateSchema = z
  .object({
    title,
    activityId: z.uuid('the activity id is a UUID').nullable().default(null),
    screening: screeningInputSchema,
    needSummary: z.string().trim().max(8000).default(''),
  })
  .strict();

/**
 * A change to the open version. Object sections (description, necessity, signOff, the
 * consultation's reason) change only the fields sent; lists (risks, consultation entries)
 * and icoConsultation are replaced whole.
 */
export const dpiaUpdateSchema = z
  .object({
    title: title.optional(),
    activityId: z.uuid('the activity id is a UUID').nullable().optional(),
    screening: screeningInputSchema.optional(),
    needSummary: z.string().trim().max(8000).optional(),
    description: descriptionSchema.optional(),
    consultation: consultationSchema.optional(),
    necessity: necessitySchema.optional(),
    risks: risksSchema.optional(),
    signOff: signOffSchema.optional(),
    icoConsultation: icoConsultationSchema.nullable().optional(),
  })
  .strict();

/** The version a transition acts on, so no one approves a version they did not see. */
export const dpiaTransitionSchema = z.object({ version: z.number().int().min(1) }).strict();
export const dpiaRejectSchema = z
  .object({ version: z.number().int().min(1), reason: z.string().trim().min(1, 'give the reason').max(4000) })
  .strict();

// ---------------------------------------------------------------------------------------
// Presenting
// ---------------------------------------------------------------------------------------

const contentOf = (row: VersionRow): DpiaContent => ({
  needSummary: row.need_summary,
  description: row.description as DpiaContent['description'],
  consultation: row.consultation as DpiaContent['consultation'],
  necessity: row.necessity as DpiaContent['necessity'],
  risks: row.risks as DpiaContent['risks'],
  signOff: { ...(row.sign_off as DpiaContent['signOff']), reviewDate: row.review_date },
  icoConsultation: (row.ico_consultation ?? null) as DpiaContent['icoConsultation'],
});

function presentVersion(row: VersionRow, today: string): DpiaVersionView {
  const content = contentOf(row);
  const screening = row.screening as Screening;
  const status = row.status as DpiaStatus;
  const highs = residualHighRisks(content.risks);
  return {
    ...content,
    dpiaId: row.dpia_id,
    version: row.version,
    status,
    activityId: row.activity_id,
    screening,
    risks: presentRisks(content.risks),
    riskMap: riskMap(content.risks),
    // A decided version is judged as it stood when it was decided (its review date was then in the future).
    completeness: stepCompleteness(content, screening, row.decided_at ? todayOf(new Date(row.decided_at)) : today),
    approvalFindings: decideAction({
      capability: 'dpia.approve',
      facts: { residualHigh: highs, icoConsultation: content.icoConsultation },
    }).findings,
    editable: isEditable(status),
    expired: status === 'approved' && isExpired(row.review_date, today),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    submittedAt: isoOrNull(row.submitted_at),
    decidedAt: isoOrNull(row.decided_at),
    decisionNote: row.decision_note,
    approvalWarnings: row.approval_warnings as Finding[],
  };
}

function presentAction(row: ActionRow, today: string): DpiaActionView {
  const done = row.done_at !== null;
  return {
    id: row.action_id,
    riskId: row.risk_id,
    action: row.action,
    owner: row.owner,
    dueDate: row.due_date,
    done,
    doneAt: isoOrNull(row.done_at),
    overdue: isActionOverdue({ dueDate: row.due_date, done }, today),
    createdAt: iso(row.created_at),
  };
}

type VersionBrief = Pick<VersionRow, 'version' | 'status' | 'review_date' | 'decided_at' | 'created_at'> & {
  screening: unknown;
  risks: unknown;
};

function presentSummary(
  dpia: DpiaRow,
  versions: readonly VersionBrief[],
  actions: readonly ActionRow[],
  today: string,
): DpiaSummaryView {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const latest = sorted[0];
  if (!latest) throw new Error(`DPIA ${dpia.dpia_id} has no version`);
  const decided = sorted.find((v) => !isEditable(v.status as DpiaStatus));
  const open = actions.filter((a) => a.done_at === null);
  return {
    id: dpia.dpia_id,
    title: dpia.title,
    activityId: dpia.activity_id,
    latestVersion: latest.version,
    latestStatus: latest.status as DpiaStatus,
    inForce:
      decided && decided.status === 'approved'
        ? {
            version: decided.version,
            reviewDate: decided.review_date,
            reviewState: reviewStateOf(decided.review_date, today),
            decidedAt: iso(decided.decided_at!),
          }
        : null,
    screeningRequired: (latest.screening as Screening).result.required,
    highestResidualLevel: highestResidualLevel(latest.risks as DpiaContent['risks']),
    openActions: open.length,
    overdueActions: open.filter((a) => isActionOverdue({ dueDate: a.due_date, done: false }, today)).length,
    createdAt: iso(dpia.created_at),
    updatedAt: iso(dpia.updated_at),
  };
}

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------

async function loadDpia(tx: Tx, campaignId: string, dpiaId: string, lock = false): Promise<DpiaRow> {
  let query = tx.selectFrom('dpias').selectAll().where('campaign_id', '=', campaignId).where('dpia_id', '=', dpiaId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('DPIA');
  return row;
}

async function loadVersions(tx: Tx, campaignId: string, dpiaId: string): Promise<VersionRow[]> {
  return tx
    .selectFrom('dpia_versions')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', '=', dpiaId)
    .orderBy('version', 'desc')
    .execute();
}

async function loadActions(tx: Tx, campaignId: string, dpiaId: string): Promise<ActionRow[]> {
  return tx
    .selectFrom('dpia_actions')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', '=', dpiaId)
    .orderBy('due_date')
    .orderBy('created_at')
    .execute();
}

async function loadDetail(
  tx: Tx,
  campaignId: string,
  dpiaId: string,
  now: Date,
  version?: number,
): Promise<DpiaDetailView> {
  const today = todayOf(now);
  const dpia = await loadDpia(tx, campaignId, dpiaId);
  const versions = await loadVersions(tx, campaignId, dpiaId);
  const actions = await loadActions(tx, campaignId, dpiaId);
  const shown = version === undefined ? versions[0] : versions.find((v) => v.version === version);
  if (!shown) throw notFound('DPIA version');
  return {
    dpia: presentSummary(dpia, versions, actions, today),
    version: presentVersion(shown, today),
    versions: versions.map((v) => ({
      version: v.version,
      status: v.status as DpiaStatus,
      createdAt: iso(v.created_at),
      decidedAt: isoOrNull(v.decided_at),
      reviewDate: v.review_date,
    })),
    actions: actions.map((a) => presentAction(a, today)),
  };
}

/** The newest version, locked with its DPIA; `expected` (a version number) must be it. */
async function latestVersionForWrite(
  tx: Tx,
  campaignId: string,
  dpiaId: string,
  expected?: number,
): Promise<{ dpia: DpiaRow; latest: VersionRow }> {
  const dpia = await loadDpia(tx, campaignId, dpiaId, true);
  const latest = await tx
    .selectFrom('dpia_versions')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', '=', dpiaId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) throw notFound('DPIA version');
  if (expected !== undefined && expected !== latest.version) {
    throw conflict(`version ${expected} is not the newest version of this DPIA (${latest.version} is): reload it`, {
      field: 'version',
      latestVersion: latest.version,
    });
  }
  return { dpia, latest };
}

function requireOpen(latest: VersionRow): void {
  if (!isEditable(latest.status as DpiaStatus)) {
    throw new AppError(
      'invalid_state',
      `version ${latest.version} is ${latest.status}: a decided version cannot change; start a new version`,
      { status: latest.status },
    );
  }
}

function incomplete(what: string, issues: FieldIssue[]): AppError {
  return new AppError('invalid_state', `${what}: ${issues.map((i) => i.message).join('; ')}`, { issues });
}

// ---------------------------------------------------------------------------------------
// Screening
// ---------------------------------------------------------------------------------------

/**
 * Screening on its own: a pure function of the facts, outside any campaign (the CLI's
 * `canvass dpia screen`). Writes nothing.
 */
export function screenProcessingNeed(input: unknown): Screening {
  return screen(parseInput(screeningInputSchema, input));
}

/** Screens an activity (description and/or facts) for the need of a DPIA. Writes nothing. */
export async function screenDpiaNeed(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<Screening> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.read');
    return screenProcessingNeed(input);
  });
}

// ---------------------------------------------------------------------------------------
// DPIAs and versions
// ---------------------------------------------------------------------------------------

export async function createDpia(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<DpiaDetailView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.write');
    const parsed = parseInput(dpiaCreateSchema, input);
    const now = nowOf(deps);
    const dpiaId = randomUUID();
    const screening = screen(parsed.screening);
    await tx
      .insertInto('dpias')
      .values({
        campaign_id: campaignId,
        dpia_id: dpiaId,
        title: parsed.title,
        activity_id: parsed.activityId,
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
      })
      .execute();
    const content: DpiaContent = { ...structuredClone(EMPTY_CONTENT), needSummary: parsed.needSummary };
    await tx
      .insertInto('dpia_versions')
      .values({
        campaign_id: campaignId,
        dpia_id: dpiaId,
        version: 1,
        status: 'draft',
        activity_id: parsed.activityId,
        screening: JSON.stringify(screening),
        approval_warnings: '[]',
        ...contentColumns(content),
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
        updated_by: principal.userId,
      })
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      {
        type: 'dpia.created',
        data: {
          dpiaId,
          title: parsed.title,
          activityId: parsed.activityId,
          screeningRequired: screening.result.required,
          triggers: screening.result.reasons.map((r) => r.trigger),
        },
      },
      now,
    );
    return loadDetail(tx, campaignId, dpiaId, now);
  });
}

function contentColumns(content: DpiaContent) {
  const { reviewDate, ...signOff } = content.signOff;
  return {
    need_summary: content.needSummary,
    description: JSON.stringify(content.description),
    consultation: JSON.stringify(content.consultation),
    necessity: JSON.stringify(content.necessity),
    risks: JSON.stringify(content.risks),
    sign_off: JSON.stringify(signOff),
    ico_consultation: content.icoConsultation ? JSON.stringify(content.icoConsultation) : null,
    review_date: reviewDate,
  };
}

export interface DpiaListFilter {
  activityId?: string | undefined;
}

export async function listDpias(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  filter: DpiaListFilter = {},
): Promise<DpiaSummaryView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.read');
    return selectDpiaSummaries(tx, campaignId, nowOf(deps), filter);
  });
}

/** The campaign's DPIAs, newest first, read in the caller's transaction (listDpias, the DPO's page). */
export async function selectDpiaSummaries(
  tx: Tx,
  campaignId: string,
  now: Date,
  filter: DpiaListFilter = {},
): Promise<DpiaSummaryView[]> {
  let query = tx.selectFrom('dpias').selectAll().where('campaign_id', '=', campaignId);
  if (filter.activityId !== undefined) query = query.where('activity_id', '=', filter.activityId);
  const dpias = await query.orderBy('updated_at', 'desc').orderBy('dpia_id').execute();
  if (dpias.length === 0) return [];
  const ids = dpias.map((d) => d.dpia_id);
  const versions = await tx
    .selectFrom('dpia_versions')
    .select(['dpia_id', 'version', 'status', 'review_date', 'decided_at', 'created_at', 'screening', 'risks'])
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', 'in', ids)
    .execute();
  const actions = await tx
    .selectFrom('dpia_actions')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', 'in', ids)
    .execute();
  const today = todayOf(now);
  return dpias.map((d) =>
    presentSummary(
      d,
      versions.filter((v) => v.dpia_id === d.dpia_id),
      actions.filter((a) => a.dpia_id === d.dpia_id),
      today,
    ),
  );
}

export async function getDpia(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  version?: number,
): Promise<DpiaDetailView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.read');
    return loadDetail(tx, campaignId, dpiaId, nowOf(deps), version);
  });
}

/** The keys of `raw[section]` that were sent (sections change only what was sent). */
function sentKeys(raw: unknown, section: string): Set<string> {
  if (raw === null || typeof raw !== 'object') return new Set();
  const value = (raw as Record<string, unknown>)[section];
  return new Set(value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []);
}

function mergeSent<T extends object>(current: T, parsed: T, sent: Set<string>): T {
  const merged = { ...current };
  for (const key of Object.keys(parsed) as (keyof T)[]) if (sent.has(key as string)) merged[key] = parsed[key];
  return merged;
}

/** Changes the open (draft or in-review) version: only the parts sent. */
export async function updateDpia(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  input: unknown,
): Promise<DpiaDetailView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.write');
    const parsed = parseInput(dpiaUpdateSchema, input);
    const { dpia, latest } = await latestVersionForWrite(tx, campaignId, dpiaId);
    const now = nowOf(deps);
    const fields: string[] = [];
    const dpiaSet: Record<string, unknown> = {};
    if (parsed.title !== undefined && parsed.title !== dpia.title) {
      dpiaSet.title = parsed.title;
      fields.push('title');
    }
    const versionChanges = Object.keys(parsed).some((k) => k !== 'title');
    if (versionChanges) requireOpen(latest);

    const content = contentOf(latest);
    let screening = latest.screening as Screening;
    let activityId = latest.activity_id;
    if (parsed.activityId !== undefined && parsed.activityId !== latest.activity_id) {
      activityId = parsed.activityId;
      dpiaSet.activity_id = activityId;
      fields.push('activityId');
    }
    if (parsed.screening !== undefined) {
      screening = screen(parsed.screening);
      fields.push('screening');
    }
    if (parsed.needSummary !== undefined) {
      content.needSummary = parsed.needSummary;
      fields.push('needSummary');
    }
    if (parsed.description !== undefined) {
      content.description = mergeSent(content.description, parsed.description, sentKeys(input, 'description'));
      fields.push('description');
    }
    if (parsed.consultation !== undefined) {
      content.consultation = mergeSent(content.consultation, parsed.consultation, sentKeys(input, 'consultation'));
      fields.push('consultation');
    }
    if (parsed.necessity !== undefined) {
      content.necessity = mergeSent(content.necessity, parsed.necessity, sentKeys(input, 'necessity'));
      fields.push('necessity');
    }
    if (parsed.risks !== undefined) {
      content.risks = withRiskIds(parsed.risks, () => randomUUID());
      fields.push('risks');
    }
    if (parsed.signOff !== undefined) {
      content.signOff = mergeSent(content.signOff, parsed.signOff, sentKeys(input, 'signOff'));
      fields.push('signOff');
    }
    if (parsed.icoConsultation !== undefined) {
      content.icoConsultation = parsed.icoConsultation;
      fields.push('icoConsultation');
    }
    if (fields.length === 0) return loadDetail(tx, campaignId, dpiaId, now);

    await tx
      .updateTable('dpias')
      .set({ ...dpiaSet, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('dpia_id', '=', dpiaId)
      .execute();
    if (versionChanges) {
      await tx
        .updateTable('dpia_versions')
        .set({
          ...contentColumns(content),
          screening: JSON.stringify(screening),
          activity_id: activityId,
          updated_at: now,
          updated_by: principal.userId,
        })
        .where('campaign_id', '=', campaignId)
        .where('dpia_id', '=', dpiaId)
        .where('version', '=', latest.version)
        .execute();
    }
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'dpia.updated', data: { dpiaId, version: latest.version, fields } },
      now,
    );
    return loadDetail(tx, campaignId, dpiaId, now);
  });
}

/** Starts a new version as a copy of the newest one, which must be decided (approved or rejected). */
export async function startDpiaVersion(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  input: unknown,
): Promise<DpiaDetailView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.write');
    const { version: expected } = parseInput(dpiaTransitionSchema, input);
    const { latest } = await latestVersionForWrite(tx, campaignId, dpiaId, expected);
    if (!canStartNewVersion(latest.status as DpiaStatus)) {
      throw new AppError(
        'invalid_state',
        `version ${latest.version} is still ${latest.status === 'draft' ? 'a draft' : 'in review'}: change it instead of starting a new version`,
        { status: latest.status },
      );
    }
    const now = nowOf(deps);
    const previous = latest.screening as Screening;
    // The facts are kept; the result is screened again with today's rules.
    const screening: Screening = { ...previous, result: screenProcessing(previous.facts) };
    const version = latest.version + 1;
    await tx
      .insertInto('dpia_versions')
      .values({
        campaign_id: campaignId,
        dpia_id: dpiaId,
        version,
        status: 'draft',
        activity_id: latest.activity_id,
        screening: JSON.stringify(screening),
        approval_warnings: '[]',
        ...contentColumns(contentForNewVersion(contentOf(latest))),
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
        updated_by: principal.userId,
      })
      .execute();
    await touch(tx, campaignId, dpiaId, now);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'dpia.version_created', data: { dpiaId, version, fromVersion: latest.version } },
      now,
    );
    return loadDetail(tx, campaignId, dpiaId, now);
  });
}

async function touch(tx: Tx, campaignId: string, dpiaId: string, now: Date): Promise<void> {
  await tx
    .updateTable('dpias')
    .set({ updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', '=', dpiaId)
    .execute();
}

function transitionOrThrow(latest: VersionRow, transition: DpiaTransition): DpiaStatus {
  const to = nextStatus(latest.status as DpiaStatus, transition);
  if (!to) {
    const verbs: Record<DpiaTransition, string> = {
      submit: 'sent for review (only a draft can be)',
      return_to_draft: 'returned to draft (only a version in review can be)',
      approve: 'approved (only a version in review can be)',
      reject: 'rejected (only a version in review can be)',
    };
    throw new AppError(
      'invalid_state',
      `version ${latest.version} is ${latest.status}: it cannot be ${verbs[transition]}`,
      {
        status: latest.status,
      },
    );
  }
  return to;
}

/** Draft → in review: steps 1–6 must be complete; the DPO then advises and signs off (step 7). */
export async function submitDpia(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  input: unknown,
): Promise<DpiaDetailView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.write');
    const { version } = parseInput(dpiaTransitionSchema, input);
    const { latest } = await latestVersionForWrite(tx, campaignId, dpiaId, version);
    const to = transitionOrThrow(latest, 'submit');
    const now = nowOf(deps);
    const issues = issuesOfSteps(stepCompleteness(contentOf(latest), latest.screening as Screening, todayOf(now)), 6);
    if (issues.length > 0) throw incomplete('the DPIA is not ready for review', issues);
    await recordTransition(
      tx,
      principal,
      campaignId,
      dpiaId,
      version,
      now,
      { status: to, submitted_at: now, submitted_by: principal.userId },
      { type: 'dpia.submitted', data: { dpiaId, version } },
    );
    return loadDetail(tx, campaignId, dpiaId, now);
  });
}

export async function returnDpiaToDraft(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  input: unknown,
): Promise<DpiaDetailView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.write');
    const { version } = parseInput(dpiaTransitionSchema, input);
    const { latest } = await latestVersionForWrite(tx, campaignId, dpiaId, version);
    const to = transitionOrThrow(latest, 'return_to_draft');
    const now = nowOf(deps);
    await recordTransition(
      tx,
      principal,
      campaignId,
      dpiaId,
      version,
      now,
      { status: to },
      { type: 'dpia.returned_to_draft', data: { dpiaId, version } },
    );
    return loadDetail(tx, campaignId, dpiaId, now);
  });
}

/**
 * Moves a version to its next status, marks the DPIA changed and audits the step, so the
 * assessment's history — who sent it for review, who decided and when — is on the record
 * (UK GDPR Art 35(2) and (7), Art 5(2)).
 */
async function recordTransition(
  tx: Tx,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  version: number,
  now: Date,
  set: {
    status: DpiaStatus;
    submitted_at?: Date;
    submitted_by?: string;
    decided_at?: Date;
    decided_by?: string;
    decision_note?: string;
    approval_warnings?: string;
  },
  event: AuditEvent,
): Promise<void> {
  await tx
    .updateTable('dpia_versions')
    .set({ ...set, updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', '=', dpiaId)
    .where('version', '=', version)
    .execute();
  await touch(tx, campaignId, dpiaId, now);
  await appendAuditEvent(tx, campaignId, actorOf(principal), event, now);
}

export function dpiaRuleRefusal(what: string, findings: readonly Finding[]): AppError {
  const blocking = findings.filter((f) => f.outcome === 'refuse' || f.outcome === 'require');
  return new AppError(
    'rule_refused',
    `${what}: ${blocking.map((f) => `${f.ruleId} (${f.citation}): ${f.explanation}`).join(' ')}`,
    { findings },
  );
}

/**
 * In review → approved. All seven steps must be complete; DPIA-RESIDUAL-HIGH must pass (a risk
 * still high after its measures needs the record of prior consultation with the ICO). A
 * refusal is audited in the transaction that decided it and then raised as rule_refused.
 */
export async function approveDpia(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  input: unknown,
): Promise<DpiaDetailView> {
  const outcome = await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.approve');
    const { version } = parseInput(dpiaTransitionSchema, input);
    const { latest } = await latestVersionForWrite(tx, campaignId, dpiaId, version);
    const to = transitionOrThrow(latest, 'approve');
    const now = nowOf(deps);
    const content = contentOf(latest);
    const issues = issuesOfSteps(stepCompleteness(content, latest.screening as Screening, todayOf(now)), 7);
    if (issues.length > 0) throw incomplete('the DPIA cannot be approved yet', issues);
    const highs = residualHighRisks(content.risks);
    const decision = decideAction({
      capability: 'dpia.approve',
      facts: { residualHigh: highs, icoConsultation: content.icoConsultation },
    });
    if (!proceeds(decision)) {
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        { type: 'dpia.approval_refused', data: { dpiaId, version, findings: findingData(decision.findings) } },
        now,
      );
      return { refused: decision.findings };
    }
    await recordTransition(
      tx,
      principal,
      campaignId,
      dpiaId,
      version,
      now,
      {
        status: to,
        decided_at: now,
        decided_by: principal.userId,
        approval_warnings: JSON.stringify(decision.findings),
      },
      {
        type: 'dpia.approved',
        data: {
          dpiaId,
          version,
          reviewDate: content.signOff.reviewDate!,
          residualHighRisks: highs.length,
          warnings: findingData(decision.findings),
        },
      },
    );
    return { detail: await loadDetail(tx, campaignId, dpiaId, now) };
  });
  if ('refused' in outcome) throw dpiaRuleRefusal('the DPIA cannot be approved', outcome.refused);
  return outcome.detail;
}

/** In review → rejected, with the reason: the processing must not go ahead as assessed. */
export async function rejectDpia(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  input: unknown,
): Promise<DpiaDetailView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.approve');
    const { version, reason } = parseInput(dpiaRejectSchema, input);
    const { latest } = await latestVersionForWrite(tx, campaignId, dpiaId, version);
    const to = transitionOrThrow(latest, 'reject');
    const now = nowOf(deps);
    await recordTransition(
      tx,
      principal,
      campaignId,
      dpiaId,
      version,
      now,
      { status: to, decided_at: now, decided_by: principal.userId, decision_note: reason },
      { type: 'dpia.rejected', data: { dpiaId, version, reason } },
    );
    return loadDetail(tx, campaignId, dpiaId, now);
  });
}

// ---------------------------------------------------------------------------------------
// Action plan
// ---------------------------------------------------------------------------------------

async function assertRiskOf(tx: Tx, campaignId: string, dpiaId: string, riskId: string | null): Promise<void> {
  if (riskId === null) return;
  const versions = await loadVersions(tx, campaignId, dpiaId);
  const known = versions.some((v) => (v.risks as DpiaContent['risks']).some((r) => r.id === riskId));
  if (!known) {
    throw new AppError('validation_failed', 'riskId: no risk of this DPIA has this id', {
      issues: [{ field: 'riskId', message: 'no risk of this DPIA has this id' }],
    });
  }
}

export async function addDpiaAction(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  input: unknown,
): Promise<DpiaActionView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.write');
    const parsed = parseInput(actionInputSchema, input);
    await loadDpia(tx, campaignId, dpiaId, true);
    await assertRiskOf(tx, campaignId, dpiaId, parsed.riskId);
    const now = nowOf(deps);
    const actionId = randomUUID();
    const row = await tx
      .insertInto('dpia_actions')
      .values({
        campaign_id: campaignId,
        dpia_id: dpiaId,
        action_id: actionId,
        risk_id: parsed.riskId,
        action: parsed.action,
        owner: parsed.owner,
        due_date: parsed.dueDate,
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await touch(tx, campaignId, dpiaId, now);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'dpia.action_added', data: { dpiaId, actionId, dueDate: parsed.dueDate } },
      now,
    );
    return presentAction(row, todayOf(now));
  });
}

export async function updateDpiaAction(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  dpiaId: string,
  actionId: string,
  input: unknown,
): Promise<DpiaActionView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.write');
    const parsed = parseInput(actionUpdateSchema, input);
    await loadDpia(tx, campaignId, dpiaId, true);
    const current = await tx
      .selectFrom('dpia_actions')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('dpia_id', '=', dpiaId)
      .where('action_id', '=', actionId)
      .executeTakeFirst();
    if (!current) throw notFound('action');
    const now = nowOf(deps);
    const set: Record<string, unknown> = {};
    const fields: string[] = [];
    if (parsed.riskId !== undefined && parsed.riskId !== current.risk_id) {
      await assertRiskOf(tx, campaignId, dpiaId, parsed.riskId);
      set.risk_id = parsed.riskId;
      fields.push('riskId');
    }
    if (parsed.action !== undefined && parsed.action !== current.action) {
      set.action = parsed.action;
      fields.push('action');
    }
    if (parsed.owner !== undefined && parsed.owner !== current.owner) {
      set.owner = parsed.owner;
      fields.push('owner');
    }
    if (parsed.dueDate !== undefined && parsed.dueDate !== current.due_date) {
      set.due_date = parsed.dueDate;
      fields.push('dueDate');
    }
    if (parsed.done !== undefined && parsed.done !== (current.done_at !== null)) {
      set.done_at = parsed.done ? now : null;
      set.done_by = parsed.done ? principal.userId : null;
      fields.push('done');
    }
    if (fields.length === 0) return presentAction(current, todayOf(now));
    const row = await tx
      .updateTable('dpia_actions')
      .set({ ...set, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('dpia_id', '=', dpiaId)
      .where('action_id', '=', actionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await touch(tx, campaignId, dpiaId, now);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'dpia.action_updated', data: { dpiaId, actionId, fields } },
      now,
    );
    return presentAction(row, todayOf(now));
  });
}

// ---------------------------------------------------------------------------------------
// Cover: does an activity have an approved, unexpired DPIA? (DPIA-HIGH-RISK)
// ---------------------------------------------------------------------------------------

/**
 * The DPIA cover of an activity, inside the caller's transaction: every version of every
 * DPIA that has ever been linked to the activity (the version in force decides).
 */
export async function loadDpiaCover(tx: Tx, campaignId: string, activityId: string, now: Date): Promise<DpiaCoverView> {
  const rows = await tx
    .selectFrom('dpia_versions')
    .select(['dpia_id', 'version', 'status', 'activity_id', 'review_date'])
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', 'in', (qb) =>
      qb
        .selectFrom('dpia_versions')
        .select('dpia_id')
        .where('campaign_id', '=', campaignId)
        .where('activity_id', '=', activityId),
    )
    .execute();
  return coverOf(
    activityId,
    rows.map((r) => ({
      dpiaId: r.dpia_id,
      version: r.version,
      status: r.status as DpiaStatus,
      activityId: r.activity_id,
      reviewDate: r.review_date,
    })),
    todayOf(now),
  );
}

/** "Does activity X have an approved, unexpired DPIA?" — for the dashboard, the API and the CLI. */
export async function dpiaCoverForActivity(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  activityId: string,
): Promise<DpiaCoverView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'dpias.read');
    return loadDpiaCover(tx, campaignId, activityId, nowOf(deps));
  });
}

/**
 * DPIA-HIGH-RISK for a feature about to process personal data for an activity, inside the
 * feature's transaction: screening says whether a DPIA is needed; the cover whether one is in
 * force. A requirement is written to the audit trail here, in that transaction; the caller
 * commits and then raises `dpiaRuleRefusal(...)` (as imports do), so the record survives.
 */
export async function enforceDpiaForActivity(
  tx: Tx,
  campaignId: string,
  actor: AuditActor,
  input: { activityId: string; screening: Pick<ScreeningResult, 'required' | 'reasons'> },
  now: Date,
): Promise<{ decision: Decision; cover: DpiaCoverView }> {
  const cover = await loadDpiaCover(tx, campaignId, input.activityId, now);
  const decision = decideDpiaCover({ screening: input.screening, cover });
  if (decision.findings.length > 0) {
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      {
        type: 'dpia.processing_refused',
        data: { activityId: input.activityId, findings: findingData(decision.findings) },
      },
      now,
    );
  }
  return { decision, cover };
}
