/**
 * The record of processing activities (UK GDPR Art 30; issue 4). A DPO drafts an activity,
 * fills in the record, links the sources, processors and joint-controller arrangements it
 * relies on, and activates it: activation is refused while any governance rule blocks
 * (ROPA-COMPLETE, ONL-JOINT-CONTROLLER, ONL-ARRANGEMENT-GAPS, ONL-PLATFORM-ELIGIBILITY,
 * CTRL-ART28-CONTRACT, XFER-MECHANISM). An active activity stays within the rules: a change
 * that would make it fail them is refused too. Refusals and warnings are written to the audit
 * trail in the same transaction as the decision.
 *
 * Life: draft → active → retired (or draft → retired). Nothing is deleted.
 */
import { sql } from 'kysely';
import { inCampaign, type Tx } from '../db/scope.js';
import { AppError, conflict, invalid, notFound } from '../domain/errors.js';
import {
  activityCreateSchema,
  activityUpdateSchema,
  emptyActivityFields,
  type ActivityFields,
  type ProcessingActivity,
} from '../domain/governance.js';
import { uuidv7 } from '../domain/people.js';
import { proceeds, type Decision } from '../domain/rules/rule.js';
import { ACTIVITY_STATUSES, type ActivityStatus, type ActivityView } from '../shared/governance.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import {
  activityRefusal,
  assertLinksUsable,
  decideActivityFields,
  definedOnly,
  findingData,
  loadGovernanceGraph,
  presentActivity,
  replaceLinks,
  todayOf,
  type GovernanceGraph,
} from './governance-records.js';
import { parseInput } from './validate.js';

/** The columns of an activity's recorded fields (links are rows of their own). */
function columnsOf(f: ActivityFields) {
  return {
    name: f.name,
    description: f.description,
    purposes: JSON.stringify(f.purposes),
    lawful_basis: f.lawfulBasis,
    lawful_basis_note: f.lawfulBasisNote,
    legitimate_interests_assessment: f.legitimateInterestsAssessment
      ? JSON.stringify(f.legitimateInterestsAssessment)
      : null,
    data_categories: JSON.stringify(f.dataCategories),
    special_categories: JSON.stringify(f.specialCategories),
    appropriate_policy_document: f.appropriatePolicyDocument,
    data_subjects: JSON.stringify(f.dataSubjects),
    other_sources: f.otherSources,
    recipients: JSON.stringify(f.recipients),
    retention: f.retention,
    transfers: f.transfers === null ? null : JSON.stringify(f.transfers),
    security_measures: f.securityMeasures,
    capabilities: JSON.stringify(f.capabilities),
    dpia_id: f.dpiaId,
  };
}

const fieldsOf = (a: ProcessingActivity): ActivityFields => {
  const { id: _id, status: _s, createdAt: _c, updatedAt: _u, activatedAt: _a, retiredAt: _r, ...fields } = a;
  return fields;
};

/** The DPIA an activity names must be one of the campaign's (a foreign key backs this up). */
async function assertDpiaExists(tx: Tx, campaignId: string, dpiaId: string | null): Promise<void> {
  if (dpiaId === null) return;
  const found = await tx
    .selectFrom('dpias')
    .select('dpia_id')
    .where('campaign_id', '=', campaignId)
    .where('dpia_id', '=', dpiaId)
    .executeTakeFirst();
  if (!found) throw invalid([{ field: 'dpiaId', message: 'no DPIA of this campaign has this id' }]);
}

async function assertNameFree(tx: Tx, campaignId: string, name: string, except: string | null): Promise<void> {
  const clash = await tx
    .selectFrom('processing_activities')
    .select('activity_id')
    .where('campaign_id', '=', campaignId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (clash && clash.activity_id !== except) {
    throw conflict(`a processing activity named "${name}" already exists`, {
      field: 'name',
      activityId: clash.activity_id,
    });
  }
}

/** Locks the activity row for the change, and the processors and arrangements it links to for the decision. */
async function lockActivity(tx: Tx, campaignId: string, activityId: string): Promise<void> {
  const row = await tx
    .selectFrom('processing_activities')
    .select('activity_id')
    .where('campaign_id', '=', campaignId)
    .where('activity_id', '=', activityId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('processing activity');
}

/**
 * Locks the processors and arrangements a decision reads, so that a concurrent change to one
 * of them (which takes its row FOR UPDATE) waits for the decision or is seen by it.
 */
async function lockLinked(tx: Tx, campaignId: string, fields: ActivityFields): Promise<void> {
  if (fields.processorIds.length > 0) {
    await tx
      .selectFrom('processors')
      .select('processor_id')
      .where('campaign_id', '=', campaignId)
      .where('processor_id', 'in', fields.processorIds)
      .forShare()
      .execute();
  }
  if (fields.arrangementIds.length > 0) {
    await tx
      .selectFrom('joint_controller_arrangements')
      .select('arrangement_id')
      .where('campaign_id', '=', campaignId)
      .where('arrangement_id', 'in', fields.arrangementIds)
      .forShare()
      .execute();
  }
}

type Outcome = { view: ActivityView; refused: null } | { view: null; refused: AppError };

const REFUSED_WHEN = { create: 'created as active', update: 'changed while active', activate: 'activated' } as const;

/**
 * Decides an activity that is active or about to be: its warnings when the rules let it
 * proceed; otherwise the refusal, already written to the audit trail (every refusal of a
 * rule is on the record), for the caller to return so that it is raised after the commit.
 */
async function decideActive(
  tx: Tx,
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  attempt: { activityId: string | null; name: string; action: keyof typeof REFUSED_WHEN },
  fields: ActivityFields,
  graph: GovernanceGraph,
): Promise<{ view: null; refused: AppError } | { refused: null; warnings: Decision['findings'] }> {
  const decision = decideActivityFields(fields, graph);
  if (proceeds(decision)) return { refused: null, warnings: decision.findings };
  await appendAuditEvent(
    tx,
    campaignId,
    actorOf(principal),
    {
      type: 'processing_activity.refused',
      data: {
        activityId: attempt.activityId,
        name: attempt.name,
        action: attempt.action,
        findings: findingData(decision.findings),
      },
    },
    nowOf(deps),
  );
  return { view: null, refused: activityRefusal(REFUSED_WHEN[attempt.action], decision, fields, graph) };
}

async function viewOf(tx: Tx, deps: AppDeps, campaignId: string, activityId: string): Promise<ActivityView> {
  const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
  const activity = graph.activities.get(activityId);
  if (!activity) throw notFound('processing activity');
  return presentActivity(activity, graph);
}

/**
 * Moves an activity to active or retired, stamping when, and audits the change with the
 * warnings the rules gave (Art 5(2) accountability: the record shows when processing began
 * and ended, and on what findings).
 */
async function changeStatus(
  tx: Tx,
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  change: { activityId: string; from: string; to: 'active' | 'retired'; warnings: Decision['findings'] },
): Promise<ActivityView> {
  const { activityId, from, to, warnings } = change;
  const now = nowOf(deps);
  await tx
    .updateTable('processing_activities')
    .set({ status: to, ...(to === 'active' ? { activated_at: now } : { retired_at: now }), updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('activity_id', '=', activityId)
    .execute();
  await appendAuditEvent(
    tx,
    campaignId,
    actorOf(principal),
    { type: 'processing_activity.status_changed', data: { activityId, from, to, warnings: findingData(warnings) } },
    now,
  );
  return viewOf(tx, deps, campaignId, activityId);
}

/** Runs a change that may be refused: the refusal's audit event commits, then the error is thrown. */
async function refusable(
  deps: AppDeps,
  campaignId: string,
  change: (tx: Tx) => Promise<Outcome>,
): Promise<ActivityView> {
  const outcome = await inCampaign(deps.db, campaignId, change);
  if (outcome.refused) throw outcome.refused;
  return outcome.view;
}

/**
 * Records a processing activity: a draft, or (status 'active') created and activated in one
 * step, which the governance rules may refuse (rule_refused, audited).
 */
export async function createProcessingActivity(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<ActivityView> {
  return refusable(deps, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const parsed = parseInput(activityCreateSchema, input);
    await authorize(tx, principal, campaignId, 'governance.manage');
    await assertNameFree(tx, campaignId, parsed.name, null);
    const { status = 'draft', ...given } = parsed;
    const fields: ActivityFields = { ...emptyActivityFields(parsed.name), ...definedOnly(given) };
    await lockLinked(tx, campaignId, fields);
    await assertDpiaExists(tx, campaignId, fields.dpiaId);
    const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
    assertLinksUsable(fields, graph);
    const now = nowOf(deps);
    let warnings: Decision['findings'] = [];
    if (status === 'active') {
      const decided = await decideActive(
        tx,
        deps,
        principal,
        campaignId,
        { activityId: null, name: fields.name, action: 'create' },
        fields,
        graph,
      );
      if (decided.refused) return decided;
      warnings = decided.warnings;
    }
    const activityId = uuidv7(now.getTime());
    await tx
      .insertInto('processing_activities')
      .values({
        campaign_id: campaignId,
        activity_id: activityId,
        ...columnsOf(fields),
        status,
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
        activated_at: status === 'active' ? now : null,
      })
      .execute();
    await replaceLinks(tx, campaignId, activityId, 'sources', fields.sourceIds);
    await replaceLinks(tx, campaignId, activityId, 'processors', fields.processorIds);
    await replaceLinks(tx, campaignId, activityId, 'arrangements', fields.arrangementIds);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      {
        type: 'processing_activity.created',
        data: { activityId, name: fields.name, status, warnings: findingData(warnings) },
      },
      now,
    );
    return { view: await viewOf(tx, deps, campaignId, activityId), refused: null };
  });
}

/** The campaign's processing activities by name, each with its current decision. */
export async function listProcessingActivities(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  options: { status?: ActivityStatus } = {},
): Promise<ActivityView[]> {
  if (options.status !== undefined && !ACTIVITY_STATUSES.includes(options.status)) {
    throw invalid([{ field: 'status', message: `must be one of ${ACTIVITY_STATUSES.join(', ')}` }]);
  }
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
    return [...graph.activities.values()]
      .filter((a) => options.status === undefined || a.status === options.status)
      .map((a) => presentActivity(a, graph));
  });
}

export async function getProcessingActivity(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  activityId: string,
): Promise<ActivityView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    return viewOf(tx, deps, campaignId, activityId);
  });
}

const LINKS = { sourceIds: 'sources', processorIds: 'processors', arrangementIds: 'arrangements' } as const;

/**
 * Changes the fields sent. A retired activity is closed; an active one must still pass the
 * rules after the change (refused and audited otherwise).
 */
export async function updateProcessingActivity(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  activityId: string,
  input: unknown,
): Promise<ActivityView> {
  return refusable(deps, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const parsed = parseInput(activityUpdateSchema, input);
    await authorize(tx, principal, campaignId, 'governance.manage');
    await lockActivity(tx, campaignId, activityId);
    const before = (await loadGovernanceGraph(tx, campaignId, todayOf(deps))).activities.get(activityId);
    if (!before) throw notFound('processing activity');
    if (before.status === 'retired') {
      throw new AppError('invalid_state', 'this processing activity is retired: record a new one instead');
    }
    const changes = definedOnly(parsed);
    const sent = Object.keys(changes) as (keyof ActivityFields)[];
    const fields: ActivityFields = { ...fieldsOf(before), ...changes };
    if (sent.includes('name')) await assertNameFree(tx, campaignId, fields.name, activityId);
    await lockLinked(tx, campaignId, fields);
    await assertDpiaExists(tx, campaignId, fields.dpiaId);
    const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
    assertLinksUsable(fields, graph);
    let warnings: Decision['findings'] = [];
    if (before.status === 'active') {
      const decided = await decideActive(
        tx,
        deps,
        principal,
        campaignId,
        { activityId, name: before.name, action: 'update' },
        fields,
        graph,
      );
      if (decided.refused) return decided;
      warnings = decided.warnings;
    }
    const now = nowOf(deps);
    await tx
      .updateTable('processing_activities')
      .set({ ...columnsOf(fields), updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('activity_id', '=', activityId)
      .execute();
    for (const [key, kind] of Object.entries(LINKS) as [keyof typeof LINKS, (typeof LINKS)[keyof typeof LINKS]][]) {
      if (sent.includes(key)) await replaceLinks(tx, campaignId, activityId, kind, fields[key]);
    }
    if (sent.length > 0) {
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        { type: 'processing_activity.updated', data: { activityId, fields: sent, warnings: findingData(warnings) } },
        now,
      );
    }
    return { view: await viewOf(tx, deps, campaignId, activityId), refused: null };
  });
}

/** Activates a draft: refused (rule_refused, audited) while any governance rule blocks. */
export async function activateProcessingActivity(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  activityId: string,
): Promise<ActivityView> {
  return refusable(deps, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    await lockActivity(tx, campaignId, activityId);
    const current = (await loadGovernanceGraph(tx, campaignId, todayOf(deps))).activities.get(activityId);
    if (!current) throw notFound('processing activity');
    if (current.status !== 'draft') {
      throw new AppError('invalid_state', `only a draft can be activated; this activity is ${current.status}`);
    }
    const fields = fieldsOf(current);
    await lockLinked(tx, campaignId, fields);
    const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
    const decided = await decideActive(
      tx,
      deps,
      principal,
      campaignId,
      { activityId, name: current.name, action: 'activate' },
      fields,
      graph,
    );
    if (decided.refused) return decided;
    const view = await changeStatus(tx, deps, principal, campaignId, {
      activityId,
      from: 'draft',
      to: 'active',
      warnings: decided.warnings,
    });
    return { view, refused: null };
  });
}

/** Retires an activity (the processing has ended); its record is kept. */
export async function retireProcessingActivity(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  activityId: string,
): Promise<ActivityView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    const row = await tx
      .selectFrom('processing_activities')
      .select('status')
      .where('campaign_id', '=', campaignId)
      .where('activity_id', '=', activityId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('processing activity');
    if (row.status === 'retired') throw new AppError('invalid_state', 'this processing activity is already retired');
    return changeStatus(tx, deps, principal, campaignId, { activityId, from: row.status, to: 'retired', warnings: [] });
  });
}
