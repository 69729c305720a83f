/**
 * The lawful gate of an audience (issue 5, item 2): the facts the rules engine decides on, and
 * the scan that sorts the segment's people into those who may be uploaded and those left out,
 * by reason.
 *
 * Two levels, both decided by the rule objects of src/domain/rules:
 *  - the audience as a whole — platform eligibility, the Art 26 arrangements linked to the
 *    activity and their gaps, the DPIA, the published notice, the purpose's lawful basis,
 *    micro-targeting in the notice — is `decideAction({ capability: 'audience.build' |
 *    'audience.lookalike_seed', facts })` with the audience's facts and no people;
 *  - each person is decided on alone by the rules that read people (DM-OBJECTION-ABSOLUTE,
 *    LB-CONSENT-EVIDENCE, SCD-TARGETING-EXPLICIT-CONSENT) and the list-matching test of
 *    TR-LIST-MATCHING-DISCLOSED; a person a rule refuses is left out, counted under that rule.
 *    Those rules refuse a batch when any one person fails, so a batch of people each of whom
 *    passes passes as a whole. People never given a list-matching notice are left out, or —
 *    when the audience says so — kept, and then the engine refuses the batch (and the build).
 * Every kept batch is then decided by the engine itself, with every rule of the capability:
 * nothing reaches a file that `decideAction` has not allowed.
 *
 * The scan streams: a server-side cursor over the segment's query, fetched BATCH_SIZE rows at a
 * time inside the caller's transaction, so memory does not grow with the segment and the
 * segment's plan runs once (a keyset query per batch re-ran the semi-joins each time).
 */
import { sql } from 'kysely';
import type { AudiencePerson } from '../audiences/audience-file-writer.js';
import type { Tx } from '../db/scope.js';
import { normalizeField } from '../domain/audiences/normalize.js';
import { fieldRuleOf, PLATFORM_FILE_RULES, type AudienceField } from '../domain/audiences/platform-rules.js';
import { segmentCriteria, type SegmentDefinition } from '../domain/audiences/segment.js';
import { segmentCondition } from './audience-segment-sql.js';
import { invalid, AppError, notFound } from '../domain/errors.js';
import { namePostcodeKey, type SuppressionIdentifier } from '../domain/suppression.js';
import type { AudienceBuildFacts } from '../domain/rules/capabilities.js';
import { decideAction } from '../domain/rules/engine.js';
import { lawfulBasisClaimOf } from '../domain/rules/governance-rules.js';
import type { ConsentFact, PurposeRef, SubjectFacts } from '../domain/rules/facts.js';
import { consentEvidence } from '../domain/rules/lawful-basis-rules.js';
import { objectionAbsolute } from '../domain/rules/marketing-rules.js';
import type { Art26Scope } from '../domain/rules/online-rules.js';
import { PLATFORM_POLICIES, platformLabel, type PlatformId } from '../domain/rules/platforms.js';
import { decide, type Decision, type Finding, type Outcome } from '../domain/rules/rule.js';
import { targetingExplicitConsent } from '../domain/rules/special-category-rules.js';
import { AUDIENCE_CHANNEL, listMatchingGaps, type NoticeCoverage } from '../domain/rules/transparency-rules.js';
import type { CountryCode } from '../domain/identifiers.js';
import type { ControllerType, LawfulBasis, SourceType, SpecialCategory } from '../shared/labels.js';
import type { AudienceKind, ExclusionReason } from '../shared/audiences.js';
import { EXCLUSION_REASONS } from '../shared/audiences.js';
import { audienceTx } from './audience-tables.js';
import { screenProcessingNeed, loadDpiaCover } from './dpias.js';
import { loadGovernanceGraph } from './governance-records.js';
import { loadNoticeCoverages } from './privacy-notice.js';
import { findSuppressions, suppressionHasher } from './suppression.js';

export const BATCH_SIZE = 1000;

let scanCounter = 0;

const DEFAULT_COUNTRY: CountryCode = 'GB';

/** An audience row as the gate needs it. */
export interface GateAudience {
  audienceId: string;
  name: string;
  platform: PlatformId;
  kind: AudienceKind;
  activityId: string;
  consentPurpose: string;
  electionAds: boolean;
  uninformed: 'exclude' | 'refuse';
  fields: AudienceField[];
  definition: SegmentDefinition;
}

export type CapabilityOf<K extends AudienceKind> = K extends 'list' ? 'audience.build' : 'audience.lookalike_seed';
export const capabilityOf = (kind: AudienceKind): 'audience.build' | 'audience.lookalike_seed' =>
  kind === 'list' ? 'audience.build' : 'audience.lookalike_seed';

/** The Art 26 scopes an upload of this kind starts with the platform. */
export const jointScopesOf = (kind: AudienceKind): Art26Scope[] =>
  kind === 'list' ? ['custom_audiences'] : ['custom_audiences', 'lookalikes'];

/** Everything about the audience except its people: the facts of the audience-level decision. */
export interface GateContext {
  audience: GateAudience;
  facts: Omit<AudienceBuildFacts, 'people'>;
  /** The exported fields (the platform's default when the audience names none). */
  fields: AudienceField[];
  controllerId: string;
}

/** Loads the audience-level facts. invalid_state when the activity cannot carry an audience at all. */
export async function loadGateContext(
  tx: Tx,
  campaignId: string,
  audience: GateAudience,
  now: Date,
): Promise<GateContext> {
  const today = now.toISOString().slice(0, 10);
  const graph = await loadGovernanceGraph(tx, campaignId, today);
  const activity = graph.activities.get(audience.activityId);
  if (!activity) throw notFound('processing activity');
  const neededCapability = audience.kind === 'list' ? 'custom_audiences' : 'lookalikes';
  if (activity.status !== 'active') {
    throw new AppError(
      'invalid_state',
      `the processing activity "${activity.name}" is ${activity.status}: an audience is built only for an active activity of the record of processing`,
      { activityId: activity.id, status: activity.status },
    );
  }
  if (!activity.capabilities.includes(neededCapability)) {
    throw new AppError(
      'invalid_state',
      `the record of processing does not list ${neededCapability === 'custom_audiences' ? 'custom audiences' : 'lookalike audiences'} for "${activity.name}": add it to the activity (Art 30) before building this audience`,
      { activityId: activity.id, capability: neededCapability },
    );
  }
  const campaign = await tx
    .selectFrom('campaigns')
    .select(['campaign_id', 'name', 'controller_type'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();

  // Lookups for the segment's criteria.
  const d = audience.definition;
  const tagIds = d.tags.map((t) => t.id);
  const listIds = d.lists.map((t) => t.id);
  const [tags, lists, attributes] = await Promise.all([
    tagIds.length === 0
      ? []
      : tx
          .selectFrom('tags')
          .select(['tag_id as id', 'name'])
          .where('campaign_id', '=', campaignId)
          .where('tag_id', 'in', tagIds)
          .execute(),
    listIds.length === 0
      ? []
      : tx
          .selectFrom('lists')
          .select(['list_id as id', 'name'])
          .where('campaign_id', '=', campaignId)
          .where('list_id', 'in', listIds)
          .execute(),
    tx
      .selectFrom('attribute_definitions')
      .select(['name', 'special_category', 'kind'])
      .where('campaign_id', '=', campaignId)
      .execute(),
  ]);
  const criteria = segmentCriteria(d, {
    tags: new Map(tags.map((t) => [t.id, { name: t.name }])),
    lists: new Map(lists.map((t) => [t.id, { name: t.name }])),
    attributes: new Map(
      attributes.map((a) => [
        a.name,
        {
          specialCategory: a.special_category as SpecialCategory | null,
          kind: a.kind as 'provided' | 'observed' | 'inferred',
        },
      ]),
    ),
  });

  const scopes = jointScopesOf(audience.kind);
  const linked = activity.arrangementIds
    .map((id) => graph.arrangements.get(id))
    .filter((a) => a !== undefined && a.archivedAt === null && a.platform === audience.platform);
  const arrangements = linked.map((a) => ({ platform: audience.platform, scopes: [a!.scope] }));
  const authorised = linked.some((a) => !!a!.eligibilityConfirmation?.trim());

  const notices = await loadNoticeCoverages(tx, campaignId);
  const screening = screenProcessingNeed({
    activity: {
      kind: audience.kind === 'list' ? 'custom_audience' : 'lookalike_audience',
      platform: PLATFORM_POLICIES[audience.platform].label,
      listRevealsPoliticalOpinion: criteria.some((c) => c.specialCategory === 'political_opinion'),
    },
  }).result;
  const cover = await loadDpiaCover(tx, campaignId, activity.id, now);

  const purpose: PurposeRef = {
    name: audience.consentPurpose,
    category: 'campaigning',
    basis: lawfulBasisClaimOf(activity),
  };
  const facts = {
    controller: { id: campaign.campaign_id, name: campaign.name, type: campaign.controller_type as ControllerType },
    purpose,
    channel: AUDIENCE_CHANNEL[audience.kind],
    // Every batch is screened against the suppression entries as it is read (scanAudience).
    suppressionScreenedAt: now.toISOString(),
    audience: { platform: audience.platform, kind: audience.kind },
    notices: { current: notices.current as NoticeCoverage | null, versions: notices.versions as NoticeCoverage[] },
    targeting: { criteria },
    jointProcessing: scopes.map((scope) => ({ platform: audience.platform, scope })),
    arrangements,
    // ONL-ARRANGEMENT-GAPS reads the arrangements themselves.
    linkedArrangements: linked.map((a) => a!),
    today,
    platformUse: {
      platform: audience.platform,
      authorised,
      customerList: true,
      electionAd: audience.electionAds,
      ad: null,
    },
    dpia: { screening: { required: screening.required, reasons: screening.reasons }, cover },
  };
  const fields =
    audience.fields.length > 0 ? audience.fields : [...PLATFORM_FILE_RULES[audience.platform].defaultFields];
  return {
    audience,
    facts,
    fields,
    controllerId: campaign.campaign_id,
  };
}

const RANK: Record<Outcome, number> = { allow: 0, warn: 1, require: 2, refuse: 3 };

/** The combined decision of findings. */
export function decisionOf(findings: Finding[], reasoning: Decision['reasoning'] = []): Decision {
  let outcome: Outcome = 'allow';
  for (const f of findings) if (RANK[f.outcome] > RANK[outcome]) outcome = f.outcome;
  return reasoning && reasoning.length > 0 ? { outcome, findings, reasoning } : { outcome, findings };
}

/**
 * The audience-level decision: the engine on the audience's facts with no people (platform,
 * the Art 26 arrangement and its gaps, DPIA-HIGH-RISK, notice, lawful basis, …).
 */
export function decideAudienceLevel(ctx: GateContext): Decision {
  return decideAction({
    capability: capabilityOf(ctx.audience.kind),
    facts: { ...ctx.facts, people: [] },
  });
}

// ---------------------------------------------------------------------------------------
// The scan
// ---------------------------------------------------------------------------------------

interface PersonRow {
  person_id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  postcode: string | null;
  objected_at: Date | string | null;
  first_source_id: string;
  notice_version: number | null;
}

export interface ScannedPerson {
  personId: string;
  person: AudiencePerson;
  subject: SubjectFacts;
}

export interface ScanBatch {
  /** People kept for the file, in person_id order. */
  kept: ScannedPerson[];
  /** The engine's decision on the kept people with every rule of the capability. */
  decision: Decision;
  excluded: Partial<Record<ExclusionReason, number>>;
  selected: number;
}

/** The person-level rules: each person alone. */
const PERSON_RULES = [objectionAbsolute, consentEvidence, targetingExplicitConsent] as const;

const REASON_OF: Record<string, ExclusionReason> = {
  'DM-OBJECTION-ABSOLUTE': 'DM-OBJECTION-ABSOLUTE',
  'LB-CONSENT-EVIDENCE': 'LB-CONSENT-EVIDENCE',
  'SCD-TARGETING-EXPLICIT-CONSENT': 'SCD-TARGETING-EXPLICIT-CONSENT',
};

/** The segment's people in batches: selected, screened and decided. */
export async function* scanAudience(tx: Tx, campaignId: string, ctx: GateContext): AsyncGenerator<ScanBatch> {
  const hasher = await suppressionHasher(tx, campaignId);
  const screen = await suppressionScreen(tx, campaignId);
  // The facts every person-level decision shares; only `people` changes from one to the next.
  const personFacts = { ...ctx.facts, people: [] as SubjectFacts[] };
  const condition = segmentCondition(ctx.audience.definition);
  const capability = capabilityOf(ctx.audience.kind);
  const channel = ctx.facts.channel;
  const byVersion = new Map(ctx.facts.notices.versions.map((v) => [v.version, v]));
  // The campaign's sources (a small table), read once.
  const campaignSources = new Map(
    (
      await tx
        .selectFrom('sources')
        .select(['source_id', 'type', 'lawful_basis'])
        .where('campaign_id', '=', campaignId)
        .execute()
    ).map((r) => [r.source_id, { type: r.type as SourceType, basis: r.lawful_basis }]),
  );
  // One server-side cursor per scan: the segment's plan runs once and streams, whatever its size.
  const cursor = sql.id(`canvass_audience_scan_${(scanCounter += 1)}`);
  await sql`DECLARE ${cursor} NO SCROLL CURSOR FOR
        SELECT p.person_id, p.email, p.phone, p.first_name, p.last_name, p.postcode, p.objected_at,
               p.first_source_id,
               -- The newest notice version given (as noticeVersionsGiven reads it).
               (SELECT d.version FROM privacy_notice_deliveries d
                 WHERE d.campaign_id = p.campaign_id AND d.person_id = p.person_id
                 ORDER BY d.delivered_at DESC, d.version DESC LIMIT 1) AS notice_version
          FROM people p
         WHERE p.campaign_id = ${campaignId} AND ${condition}
         ORDER BY p.person_id`.execute(tx);
  for (;;) {
    const rows = (await sql<PersonRow>`FETCH ${sql.raw(String(BATCH_SIZE))} FROM ${cursor}`.execute(tx)).rows;
    if (rows.length === 0) {
      await sql`CLOSE ${cursor}`.execute(tx);
      return;
    }
    const ids = rows.map((r) => r.person_id);
    const [others, laterSources, consents] = await Promise.all([
      loadOtherIdentifiers(tx, campaignId, ids),
      loadLaterSources(tx, campaignId, ids),
      loadConsents(tx, campaignId, ids, ctx.audience.consentPurpose, channel, ctx.controllerId),
    ]);

    // Suppression screening (DM-SUPPRESSION): every identifier of the batch, checked against the
    // entries read at the start of the scan, or in one query per batch when there are too many
    // to hold; nothing to hash when the campaign has none.
    const keysOf = new Map<string, { kind: string; keyHash: string }[]>();
    for (const r of screen.none ? [] : rows) {
      const ids: SuppressionIdentifier[] = [];
      if (r.email) ids.push({ kind: 'email', value: r.email });
      if (r.phone) ids.push({ kind: 'phone', value: r.phone });
      for (const o of others.get(r.person_id) ?? []) ids.push({ kind: o.kind, value: o.value });
      const name = [r.first_name, r.last_name].filter((n) => n).join(' ');
      const np = name && r.postcode ? namePostcodeKey(name, r.postcode) : null;
      if (np) ids.push({ kind: 'name_postcode', value: np });
      keysOf.set(
        r.person_id,
        ids.map((i) => ({ kind: i.kind, keyHash: hasher.hash(i.kind, i.value) })),
      );
    }
    const suppressed =
      screen.entries ??
      new Set(
        (
          await findSuppressions(
            tx,
            campaignId,
            [...keysOf.values()].flat() as { kind: 'email' | 'phone' | 'name_postcode'; keyHash: string }[],
          )
        ).keys(),
      );

    const excluded: Partial<Record<ExclusionReason, number>> = {};
    const exclude = (reason: ExclusionReason): void => {
      excluded[reason] = (excluded[reason] ?? 0) + 1;
    };
    const kept: ScannedPerson[] = [];
    for (const r of rows) {
      const own = others.get(r.person_id) ?? [];
      const src = sourcesOf(campaignSources, [r.first_source_id, ...(laterSources.get(r.person_id) ?? [])]);
      const subject: SubjectFacts = {
        personId: r.person_id,
        objected:
          r.objected_at !== null ||
          (keysOf.get(r.person_id) ?? []).some((k) => suppressed.has(`${k.kind}:${k.keyHash}`)),
        sourceTypes: src.types,
        lawfulBasis: personBasis(src.bases),
        consents: consents.get(r.person_id) ?? [],
        noticeVersion: r.notice_version === null ? null : String(r.notice_version),
      };
      const person: AudiencePerson = {
        email: r.email,
        otherEmails: own.filter((o) => o.kind === 'email').map((o) => o.value),
        phone: r.phone,
        otherPhones: own.filter((o) => o.kind === 'phone').map((o) => o.value),
        firstName: r.first_name,
        lastName: r.last_name,
        postcode: r.postcode,
        country: null,
      };
      personFacts.people = [subject];
      const single = decide(PERSON_RULES as never, personFacts as never);
      const personReason = EXCLUSION_REASONS.find((reason) =>
        single.findings.some(
          (f) => REASON_OF[f.ruleId] === reason && (f.outcome === 'refuse' || f.outcome === 'require'),
        ),
      );
      if (subject.objected) {
        exclude('DM-OBJECTION-ABSOLUTE');
        continue;
      }
      const given = subject.noticeVersion === null ? undefined : byVersion.get(subject.noticeVersion);
      const uninformed = given === undefined || listMatchingGaps(given, ctx.facts.audience).length > 0;
      if (uninformed && ctx.audience.uninformed === 'exclude') {
        exclude('TR-LIST-MATCHING-DISCLOSED');
        continue;
      }
      if (personReason !== undefined) {
        exclude(personReason);
        continue;
      }
      if (!hasUsableIdentifier(ctx.audience.platform, ctx.fields, person)) {
        exclude('NO-USABLE-IDENTIFIER');
        continue;
      }
      kept.push({ personId: r.person_id, person, subject });
    }
    const decision = decideAction({
      capability,
      facts: { ...ctx.facts, people: kept.map((k) => k.subject) },
    });
    yield { kept, decision, excluded, selected: rows.length };
  }
}

/** Suppression entries read once per scan when there are at most this many (≈ 100 bytes each). */
export const SUPPRESSION_SCREEN_IN_MEMORY = 100_000;

/**
 * The campaign's suppression entries for a scan: none (nothing to hash or look up), all of them
 * as "kind:hash" keys when few enough to hold, or null entries (looked up per batch).
 */
async function suppressionScreen(
  tx: Tx,
  campaignId: string,
): Promise<{ none: boolean; entries: ReadonlySet<string> | null }> {
  const rows = await sql<{ kind: string; key_hash: string }>`
    SELECT kind, key_hash FROM suppressions WHERE campaign_id = ${campaignId}
     LIMIT ${SUPPRESSION_SCREEN_IN_MEMORY + 1}`.execute(tx);
  if (rows.rows.length === 0) return { none: true, entries: new Set() };
  if (rows.rows.length > SUPPRESSION_SCREEN_IN_MEMORY) return { none: false, entries: null };
  return { none: false, entries: new Set(rows.rows.map((r) => `${r.kind}:${r.key_hash}`)) };
}

/** The person's lawful basis, from their sources: consent only when every source relies on it. */
function personBasis(bases: readonly (string | null)[]): LawfulBasis | null {
  const known = bases.filter((b): b is string => b !== null);
  const other = known.find((b) => b !== 'consent');
  if (other !== undefined) return other as LawfulBasis;
  return known.length > 0 ? 'consent' : null;
}

/** Whether any of the platform's match keys is complete for the person, among the exported fields. */
export function hasUsableIdentifier(
  platform: PlatformId,
  fields: readonly AudienceField[],
  p: AudiencePerson,
): boolean {
  const rules = PLATFORM_FILE_RULES[platform];
  const values: Record<AudienceField, (string | null | undefined)[]> = {
    email: [p.email, ...(p.otherEmails ?? [])],
    phone: [p.phone, ...(p.otherPhones ?? [])],
    first_name: [p.firstName],
    last_name: [p.lastName],
    postcode: [p.postcode],
    country: [p.country ?? DEFAULT_COUNTRY],
  };
  const usable = (field: AudienceField): boolean => {
    if (!fields.includes(field)) return false;
    const rule = fieldRuleOf(platform, field);
    if (!rule) return false;
    return values[field].some((v) => !!v && normalizeField(rule, v, DEFAULT_COUNTRY).ok);
  };
  return rules.matchKeys.some((key) => key.every(usable));
}

async function loadOtherIdentifiers(
  tx: Tx,
  campaignId: string,
  ids: readonly string[],
): Promise<Map<string, { kind: 'email' | 'phone'; value: string }[]>> {
  const rows = await tx
    .selectFrom('person_identifiers')
    .select(['person_id', 'kind', 'value'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', 'in', ids)
    .orderBy('created_at')
    .execute();
  const map = new Map<string, { kind: 'email' | 'phone'; value: string }[]>();
  for (const r of rows) {
    const list = map.get(r.person_id) ?? [];
    list.push({ kind: r.kind as 'email' | 'phone', value: r.value });
    map.set(r.person_id, list);
  }
  return map;
}

/** Sources each person came from after the first (person_sources). */
async function loadLaterSources(tx: Tx, campaignId: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await tx
    .selectFrom('person_sources')
    .select(['person_id', 'source_id'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', 'in', ids)
    .execute();
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.person_id, [...(map.get(r.person_id) ?? []), r.source_id]);
  return map;
}

/** The kinds and lawful bases of a person's sources. */
function sourcesOf(
  campaignSources: ReadonlyMap<string, { type: SourceType; basis: string | null }>,
  ids: readonly string[],
): { types: SourceType[]; bases: (string | null)[] } {
  const types: SourceType[] = [];
  const bases: (string | null)[] = [];
  for (const id of new Set(ids)) {
    const s = campaignSources.get(id);
    if (!s) continue;
    if (!types.includes(s.type)) types.push(s.type);
    bases.push(s.basis);
  }
  return { types, bases };
}

/**
 * Each person's current consent for the audience's purpose and channel, with its evidence
 * (LB-CONSENT-EVIDENCE) and whether its wording was marked an explicit statement covering
 * special category data (SCD-TARGETING-EXPLICIT-CONSENT).
 */
async function loadConsents(
  tx: Tx,
  campaignId: string,
  ids: readonly string[],
  purpose: string,
  channel: string,
  controllerId: string,
): Promise<Map<string, ConsentFact[]>> {
  const rows = await sql<{
    person_id: string;
    purpose: string;
    channel: string;
    granted: boolean;
    occurred_at: Date | string;
    method: string;
    wording_hash: string | null;
    wording_version: string | null;
    explicit: boolean;
    granted_at: Date | string | null;
  }>`
    SELECT cs.person_id, cs.purpose, cs.channel, cs.granted, cs.occurred_at, r.method, g.wording_hash,
           g.wording_version, (e.wording_hash IS NOT NULL) AS explicit, g.occurred_at AS granted_at
      FROM consent_state cs
      JOIN consent_records r ON r.campaign_id = cs.campaign_id AND r.record_id = cs.record_id
      LEFT JOIN LATERAL (
        SELECT g.wording_hash, g.wording_version, g.occurred_at FROM consent_records g
         WHERE g.campaign_id = cs.campaign_id AND g.person_id = cs.person_id AND g.purpose = cs.purpose
           AND g.channel = cs.channel AND g.action = 'granted' AND g.occurred_at <= cs.occurred_at
         ORDER BY g.occurred_at DESC LIMIT 1) g ON true
      LEFT JOIN explicit_consent_wordings e ON e.campaign_id = cs.campaign_id AND e.wording_hash = g.wording_hash
     WHERE cs.campaign_id = ${campaignId} AND cs.person_id IN (SELECT unnest(${[...ids]}::uuid[]))
       AND cs.purpose = ${purpose} AND cs.channel = ${channel}`.execute(audienceTx(tx));
  const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
  const map = new Map<string, ConsentFact[]>();
  for (const r of rows.rows) {
    const fact: ConsentFact = {
      controllerId,
      purpose: r.purpose,
      channel: r.channel as ConsentFact['channel'],
      givenAt: iso(r.granted_at),
      method: r.method,
      wordingHash: r.wording_hash,
      wordingVersion: r.wording_version,
      withdrawnAt: r.granted ? null : iso(r.occurred_at),
      explicit: r.explicit,
    };
    map.set(r.person_id, [...(map.get(r.person_id) ?? []), fact]);
  }
  return map;
}

/** A platform's label, for messages. */
export const platformName = (platform: PlatformId): string => platformLabel(platform);

/** validation_failed for fields the platform does not take. */
export function checkFields(platform: PlatformId, fields: readonly AudienceField[]): void {
  const bad = fields.filter((f) => fieldRuleOf(platform, f) === null);
  if (bad.length > 0) {
    throw invalid([
      { field: 'fields', message: `${platformLabel(platform)} does not take ${bad.join(', ')} in a customer list` },
    ]);
  }
  for (const group of PLATFORM_FILE_RULES[platform].fieldGroups) {
    const chosen = group.filter((f) => fields.includes(f));
    if (chosen.length > 0 && chosen.length < group.length) {
      throw invalid([{ field: 'fields', message: `${group.join(', ')} go together on ${platformLabel(platform)}` }]);
    }
  }
}
