/**
 * What the governance use cases share (issue 4): reading the records of a campaign — its
 * processing activities with their links, processors and joint-controller arrangements —
 * into domain values, deciding them with the governance rules, and presenting them.
 *
 * A campaign keeps tens of these records, not thousands, so each use case reads all of them
 * in one go: every view is decided on the same, consistent set of records.
 */
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../db/scope.js';
import type { JointControllerArrangementsTable, ProcessingActivitiesTable, ProcessorsTable } from '../db/schema.js';
import type { RuleFindingData } from '../domain/audit.js';
import { AppError, invalid, notFound, type FieldIssue } from '../domain/errors.js';
import {
  arrangementGaps,
  arrangementLabel,
  emptyResponsibilities,
  missingActivityFields,
  missingArt28Terms,
  reviewStatus,
  type ActivityFields,
  type ActivityStatus,
  emptyArt28Terms,
  mergeArt28Terms,
  type Art28Terms,
  type CapabilityKind,
  type ControllerRecord,
  type JointControllerArrangement,
  type JointControllerScope,
  type LegitimateInterestsAssessment,
  type Platform,
  type ProcessingActivity,
  type Processor,
  type Responsibilities,
  type ServiceImprovementUse,
  type SpecialCategoryUse,
  type SubProcessor,
  type Transfer,
} from '../domain/governance.js';
import { PLATFORM_PRESETS_VERSION, presetOf, scopeEligibility } from '../domain/platforms.js';
import { decideAction } from '../domain/rules/engine.js';
import { activityActivateFacts, decideArrangement, decideProcessor } from '../domain/rules/governance-rules.js';
import type { Decision, Finding } from '../domain/rules/rule.js';
import type { LawfulBasis } from '../shared/labels.js';
import type {
  ActivityLink,
  ActivityView,
  ArrangementView,
  ProcessorView,
  RecordDecision,
} from '../shared/governance.js';
import { nowOf, type AppDeps } from './context.js';

type ActivityRow = Selectable<ProcessingActivitiesTable>;
type ProcessorRow = Selectable<ProcessorsTable>;
type ArrangementRow = Selectable<JointControllerArrangementsTable>;

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d ? iso(d) : null);

/** The keys of a parsed partial input that carry a value (what the caller sent). */
export function definedOnly<T extends object>(input: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Today's date in UTC, YYYY-MM-DD (review dates are calendar dates). */
export const todayOf = (deps: AppDeps): string => nowOf(deps).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------
// Rows into domain values. The jsonb documents were validated by the domain schemas when
// written, so they are read back as those shapes.
// ---------------------------------------------------------------------------------------

/** A stored transfer with every field present (rows written elsewhere may omit the optional ones). */
const transferOf = (raw: Partial<Transfer> & { country: string }): Transfer => ({
  recipient: raw.recipient ?? '',
  country: raw.country,
  mechanism: raw.mechanism ?? null,
  transferRiskAssessment: raw.transferRiskAssessment ?? null,
  dpfCertificationCheckedOn: raw.dpfCertificationCheckedOn ?? null,
  note: raw.note ?? '',
});
const transfersOf = (raw: unknown): Transfer[] =>
  (Array.isArray(raw) ? (raw as (Partial<Transfer> & { country: string })[]) : []).map(transferOf);

interface ActivityLinks {
  sourceIds: string[];
  processorIds: string[];
  arrangementIds: string[];
}

export function activityOf(row: ActivityRow, links: ActivityLinks): ProcessingActivity {
  return {
    id: row.activity_id,
    name: row.name,
    description: row.description,
    status: row.status as ActivityStatus,
    purposes: row.purposes as string[],
    lawfulBasis: row.lawful_basis as LawfulBasis | null,
    lawfulBasisNote: row.lawful_basis_note,
    legitimateInterestsAssessment: (row.legitimate_interests_assessment ??
      null) as LegitimateInterestsAssessment | null,
    dataCategories: row.data_categories as string[],
    specialCategories: row.special_categories as SpecialCategoryUse[],
    appropriatePolicyDocument: row.appropriate_policy_document,
    dataSubjects: row.data_subjects as string[],
    sourceIds: links.sourceIds,
    otherSources: row.other_sources,
    recipients: row.recipients as string[],
    retention: row.retention,
    transfers: row.transfers === null ? null : transfersOf(row.transfers),
    securityMeasures: row.security_measures,
    capabilities: row.capabilities as CapabilityKind[],
    dpiaId: row.dpia_id,
    arrangementIds: links.arrangementIds,
    processorIds: links.processorIds,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    activatedAt: isoOrNull(row.activated_at),
    retiredAt: isoOrNull(row.retired_at),
  };
}

export function processorOf(row: ProcessorRow): Processor {
  return {
    id: row.processor_id,
    name: row.name,
    service: row.service,
    contractReference: row.contract_reference,
    contractDate: row.contract_date,
    art28Terms: mergeArt28Terms(emptyArt28Terms(), row.art28_terms as Partial<Art28Terms>),
    hosting: transfersOf(row.hosting),
    subProcessors: (row.sub_processors as Partial<SubProcessor>[]).map((sp) => ({
      name: sp.name ?? '',
      service: sp.service ?? '',
      hosting: transfersOf(sp.hosting),
    })),
    segregation: row.segregation,
    serviceImprovement: row.service_improvement as ServiceImprovementUse,
    serviceImprovementNote: row.service_improvement_note,
    notes: row.notes,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    archivedAt: isoOrNull(row.archived_at),
  };
}

export function arrangementOf(row: ArrangementRow): JointControllerArrangement {
  return {
    id: row.arrangement_id,
    platform: row.platform as Platform,
    platformName: row.platform_name,
    scope: row.scope as JointControllerScope,
    presetVersion: row.preset_version,
    termsReference: row.terms_reference,
    responsibilities: { ...emptyResponsibilities(), ...(row.responsibilities as Partial<Responsibilities>) },
    essence: row.essence,
    eligibilityConfirmation: row.eligibility_confirmation,
    reviewDueOn: row.review_due_on,
    lastReviewedOn: row.last_reviewed_on,
    notes: row.notes,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    archivedAt: isoOrNull(row.archived_at),
  };
}

// ---------------------------------------------------------------------------------------
// The campaign's governance records, read together
// ---------------------------------------------------------------------------------------

export interface GovernanceGraph {
  campaignId: string;
  controller: ControllerRecord & { icoRegistrationNumber: string | null };
  activities: Map<string, ProcessingActivity>;
  processors: Map<string, Processor>;
  arrangements: Map<string, JointControllerArrangement>;
  sources: Map<string, { id: string; name: string; archived: boolean }>;
  today: string;
}

/** The campaign's governance records, decided as of `today` (YYYY-MM-DD). */
export async function loadGovernanceGraph(tx: Tx, campaignId: string, today: string): Promise<GovernanceGraph> {
  const campaign = await tx
    .selectFrom('campaigns')
    .select([
      'name',
      'postal_address',
      'controller_type',
      'ico_registration_number',
      'dpo_name',
      'dpo_email',
      'dpo_phone',
    ])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!campaign) throw notFound('campaign');
  const [activityRows, processorRows, arrangementRows, sourceRows, sourceLinks, processorLinks, arrangementLinks] =
    await Promise.all([
      tx.selectFrom('processing_activities').selectAll().where('campaign_id', '=', campaignId).execute(),
      tx.selectFrom('processors').selectAll().where('campaign_id', '=', campaignId).execute(),
      tx.selectFrom('joint_controller_arrangements').selectAll().where('campaign_id', '=', campaignId).execute(),
      tx
        .selectFrom('sources')
        .select(['source_id', 'name', 'archived_at'])
        .where('campaign_id', '=', campaignId)
        .execute(),
      tx
        .selectFrom('processing_activity_sources')
        .select(['activity_id', 'source_id as id'])
        .where('campaign_id', '=', campaignId)
        .execute(),
      tx
        .selectFrom('processing_activity_processors')
        .select(['activity_id', 'processor_id as id'])
        .where('campaign_id', '=', campaignId)
        .execute(),
      tx
        .selectFrom('processing_activity_arrangements')
        .select(['activity_id', 'arrangement_id as id'])
        .where('campaign_id', '=', campaignId)
        .execute(),
    ]);
  const grouped = (rows: { activity_id: string; id: string }[]): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.activity_id, [...(map.get(r.activity_id) ?? []), r.id]);
    return map;
  };
  const bySource = grouped(sourceLinks);
  const byProcessor = grouped(processorLinks);
  const byArrangement = grouped(arrangementLinks);
  const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name, 'en-GB');
  return {
    campaignId,
    controller: {
      name: campaign.name,
      postalAddress: campaign.postal_address,
      controllerType: campaign.controller_type,
      icoRegistrationNumber: campaign.ico_registration_number,
      dpo:
        campaign.dpo_name && campaign.dpo_email
          ? { name: campaign.dpo_name, email: campaign.dpo_email, phone: campaign.dpo_phone }
          : null,
    },
    activities: new Map(
      activityRows
        .map((row) =>
          activityOf(row, {
            sourceIds: bySource.get(row.activity_id) ?? [],
            processorIds: byProcessor.get(row.activity_id) ?? [],
            arrangementIds: byArrangement.get(row.activity_id) ?? [],
          }),
        )
        .sort(byName)
        .map((a) => [a.id, a]),
    ),
    processors: new Map(
      processorRows
        .map(processorOf)
        .sort(byName)
        .map((p) => [p.id, p]),
    ),
    arrangements: new Map(
      arrangementRows
        .map(arrangementOf)
        .sort((a, b) => arrangementLabel(a).localeCompare(arrangementLabel(b), 'en-GB'))
        .map((a) => [a.id, a]),
    ),
    sources: new Map(
      sourceRows.map((s) => [s.source_id, { id: s.source_id, name: s.name, archived: s.archived_at !== null }]),
    ),
    today,
  };
}

// ---------------------------------------------------------------------------------------
// Deciding
// ---------------------------------------------------------------------------------------

/**
 * The activation decision for an activity's fields, on the records of the graph: the rules
 * engine decides `activity.activate` on the record and the records linked to it.
 */
export function decideActivityFields(fields: ActivityFields, graph: GovernanceGraph): Decision {
  return decideAction({
    capability: 'activity.activate',
    facts: activityActivateFacts({
      campaignId: graph.campaignId,
      controllerRecord: graph.controller,
      activity: fields,
      linkedArrangements: fields.arrangementIds.flatMap((id) => graph.arrangements.get(id) ?? []),
      processors: fields.processorIds.flatMap((id) => graph.processors.get(id) ?? []),
      today: graph.today,
    }),
  });
}

export const findingData = (findings: readonly Finding[]): RuleFindingData[] =>
  findings.map((f) => ({ ruleId: f.ruleId, citation: f.citation, outcome: f.outcome, explanation: f.explanation }));

const recordDecision = (decision: Decision): RecordDecision => ({
  outcome: decision.outcome,
  findings: decision.findings,
});

/**
 * The error of a refused activity: rule_refused, naming each blocking rule and what it found
 * (the missing fields, the unassigned responsibilities) in the message and the details.
 */
export function activityRefusal(
  action: string,
  decision: Decision,
  fields: ActivityFields,
  graph: GovernanceGraph,
): AppError {
  const blocking = decision.findings.filter((f) => f.outcome === 'refuse' || f.outcome === 'require');
  return new AppError(
    'rule_refused',
    `the processing activity cannot be ${action}: ${blocking.map((f) => `${f.ruleId}: ${f.explanation}`).join(' ')}`,
    {
      findings: decision.findings,
      missing: missingActivityFields(fields, graph.controller),
      arrangementGaps: fields.arrangementIds.flatMap((id) => {
        const a = graph.arrangements.get(id);
        const gaps = a ? arrangementGaps(a) : [];
        return a && gaps.length > 0 ? [{ arrangementId: id, label: arrangementLabel(a), gaps }] : [];
      }),
    },
  );
}

// ---------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------

/**
 * Checks that an activity's links name records of the campaign: every source, processor and
 * arrangement exists, and none of the processors or arrangements is archived.
 */
export function assertLinksUsable(
  fields: Pick<ActivityFields, 'sourceIds' | 'processorIds' | 'arrangementIds'>,
  graph: GovernanceGraph,
): void {
  const issues: FieldIssue[] = [];
  fields.sourceIds.forEach((id, i) => {
    if (!graph.sources.has(id))
      issues.push({ field: `sourceIds.${i}`, message: 'no source of this campaign has this id' });
  });
  fields.processorIds.forEach((id, i) => {
    const p = graph.processors.get(id);
    if (!p) issues.push({ field: `processorIds.${i}`, message: 'no processor of this campaign has this id' });
    else if (p.archivedAt) issues.push({ field: `processorIds.${i}`, message: `the processor ${p.name} is archived` });
  });
  fields.arrangementIds.forEach((id, i) => {
    const a = graph.arrangements.get(id);
    if (!a)
      issues.push({
        field: `arrangementIds.${i}`,
        message: 'no joint-controller arrangement of this campaign has this id',
      });
    else if (a.archivedAt) {
      issues.push({ field: `arrangementIds.${i}`, message: `the arrangement ${arrangementLabel(a)} is archived` });
    }
  });
  if (issues.length > 0) throw invalid(issues);
}

/** Replaces an activity's links of one kind. */
export async function replaceLinks(
  tx: Tx,
  campaignId: string,
  activityId: string,
  kind: 'sources' | 'processors' | 'arrangements',
  ids: readonly string[],
): Promise<void> {
  switch (kind) {
    case 'sources':
      await tx
        .deleteFrom('processing_activity_sources')
        .where('campaign_id', '=', campaignId)
        .where('activity_id', '=', activityId)
        .execute();
      if (ids.length > 0) {
        await tx
          .insertInto('processing_activity_sources')
          .values(ids.map((source_id) => ({ campaign_id: campaignId, activity_id: activityId, source_id })))
          .execute();
      }
      return;
    case 'processors':
      await tx
        .deleteFrom('processing_activity_processors')
        .where('campaign_id', '=', campaignId)
        .where('activity_id', '=', activityId)
        .execute();
      if (ids.length > 0) {
        await tx
          .insertInto('processing_activity_processors')
          .values(ids.map((processor_id) => ({ campaign_id: campaignId, activity_id: activityId, processor_id })))
          .execute();
      }
      return;
    case 'arrangements':
      await tx
        .deleteFrom('processing_activity_arrangements')
        .where('campaign_id', '=', campaignId)
        .where('activity_id', '=', activityId)
        .execute();
      if (ids.length > 0) {
        await tx
          .insertInto('processing_activity_arrangements')
          .values(ids.map((arrangement_id) => ({ campaign_id: campaignId, activity_id: activityId, arrangement_id })))
          .execute();
      }
      return;
  }
}

/** The activities linked to a processor or an arrangement, whatever their status. */
export function linkedActivities(
  graph: GovernanceGraph,
  link: { processorId: string } | { arrangementId: string },
): ProcessingActivity[] {
  return [...graph.activities.values()].filter((a) =>
    'processorId' in link ? a.processorIds.includes(link.processorId) : a.arrangementIds.includes(link.arrangementId),
  );
}

/** A processor or a joint-controller arrangement: the parties a processing activity relies on. */
interface RelyOnKinds {
  processor: Processor;
  arrangement: JointControllerArrangement;
}

const RELY_ON = {
  processor: { table: 'processors', key: 'processor_id', label: 'processor' },
  arrangement: { table: 'joint_controller_arrangements', key: 'arrangement_id', label: 'joint-controller arrangement' },
} as const;

/**
 * Locks a processor's or an arrangement's row for an update (so two updates of it queue) and
 * reads it with the campaign's governance records: the record as it stands and the
 * activities linked to it. Not found when the campaign has no such record.
 */
export async function lockReliedOn<K extends keyof RelyOnKinds>(
  tx: Tx,
  deps: AppDeps,
  campaignId: string,
  kind: K,
  id: string,
): Promise<{ graph: GovernanceGraph; before: RelyOnKinds[K]; linked: ProcessingActivity[] }> {
  const { table, key, label } = RELY_ON[kind];
  const locked = await sql`
    SELECT 1 FROM ${sql.table(table)}
     WHERE campaign_id = ${campaignId} AND ${sql.ref(key)} = ${id}
       FOR UPDATE`.execute(tx);
  if (locked.rows.length === 0) throw notFound(label);
  const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
  const records: { [P in keyof RelyOnKinds]: Map<string, RelyOnKinds[P]> } = {
    processor: graph.processors,
    arrangement: graph.arrangements,
  };
  const before = records[kind].get(id);
  if (!before) throw notFound(label);
  const linked = linkedActivities(graph, kind === 'processor' ? { processorId: id } : { arrangementId: id });
  return { graph, before, linked };
}

/**
 * What `archived` in an update does to a processor or an arrangement: the new `archived_at`,
 * or undefined when it stays as it is. Archiving one that a draft or active activity still
 * relies on is refused: that activity's record (its recipients, UK GDPR Art 30(1)(d)) would
 * name a party the campaign no longer keeps.
 */
export function archiveChange(
  kind: keyof RelyOnKinds,
  archived: boolean | undefined,
  before: { archivedAt: string | null },
  linked: readonly ProcessingActivity[],
  now: Date,
): Date | null | undefined {
  if (archived === true && before.archivedAt === null) {
    const live = linked.filter((a) => a.status !== 'retired');
    if (live.length > 0) {
      throw new AppError(
        'invalid_state',
        `this ${kind} is linked to ${live.map((a) => `"${a.name}" (${a.status})`).join(', ')}: unlink it or retire those activities first`,
        { activityIds: live.map((a) => a.id) },
      );
    }
    return now;
  }
  if (archived === false && before.archivedAt !== null) return null;
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Presenting (allow-lists: every field named)
// ---------------------------------------------------------------------------------------

const activityLink = (a: ProcessingActivity): ActivityLink => ({ id: a.id, name: a.name, status: a.status });

export function presentActivity(activity: ProcessingActivity, graph: GovernanceGraph): ActivityView {
  const decision = decideActivityFields(activity, graph);
  return {
    id: activity.id,
    name: activity.name,
    description: activity.description,
    status: activity.status,
    purposes: activity.purposes,
    lawfulBasis: activity.lawfulBasis,
    lawfulBasisNote: activity.lawfulBasisNote,
    legitimateInterestsAssessment: activity.legitimateInterestsAssessment,
    dataCategories: activity.dataCategories,
    specialCategories: activity.specialCategories,
    appropriatePolicyDocument: activity.appropriatePolicyDocument,
    dataSubjects: activity.dataSubjects,
    sourceIds: activity.sourceIds,
    otherSources: activity.otherSources,
    recipients: activity.recipients,
    retention: activity.retention,
    transfers: activity.transfers,
    securityMeasures: activity.securityMeasures,
    capabilities: activity.capabilities,
    dpiaId: activity.dpiaId,
    arrangementIds: activity.arrangementIds,
    processorIds: activity.processorIds,
    createdAt: activity.createdAt,
    updatedAt: activity.updatedAt,
    activatedAt: activity.activatedAt,
    retiredAt: activity.retiredAt,
    sources: activity.sourceIds.flatMap((id) => {
      const s = graph.sources.get(id);
      return s ? [{ id, name: s.name }] : [];
    }),
    processors: activity.processorIds.flatMap((id) => {
      const p = graph.processors.get(id);
      return p ? [{ id, name: p.name }] : [];
    }),
    arrangements: activity.arrangementIds.flatMap((id) => {
      const a = graph.arrangements.get(id);
      return a ? [{ id, name: arrangementLabel(a), platform: a.platform, scope: a.scope }] : [];
    }),
    decision: recordDecision(decision),
    missing: missingActivityFields(activity, graph.controller),
  };
}

export function presentProcessor(processor: Processor, graph: GovernanceGraph): ProcessorView {
  return {
    id: processor.id,
    name: processor.name,
    service: processor.service,
    contractReference: processor.contractReference,
    contractDate: processor.contractDate,
    art28Terms: processor.art28Terms,
    hosting: processor.hosting,
    subProcessors: processor.subProcessors,
    segregation: processor.segregation,
    serviceImprovement: processor.serviceImprovement,
    serviceImprovementNote: processor.serviceImprovementNote,
    notes: processor.notes,
    createdAt: processor.createdAt,
    updatedAt: processor.updatedAt,
    archivedAt: processor.archivedAt,
    missingTerms: missingArt28Terms(processor),
    decision: recordDecision(decideProcessor(processor)),
    activities: linkedActivities(graph, { processorId: processor.id }).map(activityLink),
  };
}

export function presentArrangement(arrangement: JointControllerArrangement, graph: GovernanceGraph): ArrangementView {
  const preset = presetOf(arrangement.platform);
  return {
    id: arrangement.id,
    platform: arrangement.platform,
    platformName: arrangement.platformName,
    scope: arrangement.scope,
    termsReference: arrangement.termsReference,
    responsibilities: arrangement.responsibilities,
    essence: arrangement.essence,
    eligibilityConfirmation: arrangement.eligibilityConfirmation,
    reviewDueOn: arrangement.reviewDueOn,
    lastReviewedOn: arrangement.lastReviewedOn,
    notes: arrangement.notes,
    presetVersion: arrangement.presetVersion,
    presetOutdated:
      preset !== null && arrangement.presetVersion !== null && arrangement.presetVersion !== PLATFORM_PRESETS_VERSION,
    createdAt: arrangement.createdAt,
    updatedAt: arrangement.updatedAt,
    archivedAt: arrangement.archivedAt,
    gaps: arrangementGaps(arrangement),
    review: reviewStatus(arrangement, graph.today),
    eligibility: scopeEligibility(arrangement.platform, arrangement.scope),
    decision: recordDecision(decideArrangement(arrangement, graph.today)),
    activities: linkedActivities(graph, { arrangementId: arrangement.id }).map(activityLink),
  };
}
