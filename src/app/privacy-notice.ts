/**
 * The privacy notice (issue 4): composed from the campaign's records, previewed, published as
 * append-only versions in English and Welsh, served publicly, and asked by other features
 * whether a version explains list matching with a platform.
 *
 * The records are read by loadNoticeRecords (SQL against the tables of the foundation, people,
 * governance and privacy-notice migrations) and mapped onto the domain's NoticeInput by ONE
 * function, noticeInputFromRecords: when the governance records change shape, that function
 * is the one to change. Columns it relies on are listed in docs/privacy-notice.md.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { inCampaign, type Tx } from '../db/scope.js';
import { AppError, invalid, notFound } from '../domain/errors.js';
import {
  composePrivacyNotice,
  hasMissingParts,
  isNoticeSectionId,
  listMatchingCoverage,
  NOTICE_LANGUAGES,
  noticeCoverage,
  noticeSettingsSchema,
  noticeSha256,
  sectionPlainText,
  sectionSha256,
  translateNotice,
  translationInputSchema,
  describeUntranslated,
  type ListMatchingCoverage,
  type NoticeActivity,
  type NoticeDocument,
  type NoticeInput,
  type NoticeLanguage,
  type NoticeSectionId,
  type NoticeTransfer,
  type NoticeVersionSummary,
  type NoticeHistoryEntry,
  type NoticeOverview,
  type NoticeSettingsView,
  type NoticeUrls,
  type PublishResult,
  type SectionForTranslation,
  type SectionTranslation,
  type StoredVersion,
} from '../domain/privacy-notice.js';
import { RULE_CATALOGUE } from '../domain/rules/catalogue.js';
import { decideAction } from '../domain/rules/engine.js';
import { proceeds, type Finding } from '../domain/rules/rule.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { parseInput } from './validate.js';

const iso = (d: Date | string): string => new Date(d).toISOString();

// ---------------------------------------------------------------------------------------
// Public addresses
// ---------------------------------------------------------------------------------------

/** The public addresses of a campaign's notice (no sign-in needed). */
export function noticeUrls(publicUrl: string, campaignId: string): NoticeUrls {
  const base = `${publicUrl.replace(/\/+$/, '')}/p/${campaignId}/privacy-notice`;
  return { notice: base, welsh: `${base}?lang=cy`, json: `${base}.json`, versions: `${base}/versions` };
}

// ---------------------------------------------------------------------------------------
// Records → NoticeInput
// ---------------------------------------------------------------------------------------

/** The rows the notice is composed from, as the database holds them. */
export interface NoticeRecords {
  campaign: {
    name: string;
    controller_type: string;
    postal_address: string;
    ico_registration_number: string | null;
    dpo_name: string | null;
    dpo_email: string | null;
    dpo_phone: string | null;
  };
  settings: { objection_url: string | null; privacy_email: string | null; complaint_url: string | null } | null;
  sources: { name: string; type: string; description: string }[];
  attributes: { label: string; kind: string; special_category: string | null }[];
  activities: {
    activity_id: string;
    name: string;
    description: string;
    purposes: unknown;
    lawful_basis: string | null;
    lawful_basis_note: string | null;
    legitimate_interests_assessment: unknown;
    data_categories: unknown;
    special_categories: unknown;
    appropriate_policy_document: string | null;
    recipients: unknown;
    retention: string | null;
    other_sources: string;
    transfers: unknown;
    capabilities: unknown;
  }[];
  activityArrangements: { activity_id: string; arrangement_id: string }[];
  activityProcessors: { activity_id: string; processor_id: string }[];
  arrangements: { arrangement_id: string; platform: string; platform_name: string; scope: string; essence: string }[];
  processors: { processor_id: string; name: string; service: string; hosting: unknown; sub_processors: unknown }[];
}

const json = (value: unknown): unknown => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const array = (value: unknown): unknown[] => {
  const v = json(value);
  return Array.isArray(v) ? v : [];
};
const strings = (value: unknown): string[] =>
  array(value).filter((s): s is string => typeof s === 'string' && s.trim() !== '');
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

function transfersOf(value: unknown): NoticeTransfer[] {
  return array(value).map((t) => {
    const r = record(t);
    return {
      country: typeof r.country === 'string' ? r.country.trim().toUpperCase() : '',
      mechanism: str(r.mechanism),
      recipient: typeof r.recipient === 'string' ? r.recipient : '',
    };
  });
}

/**
 * The one mapping from the records to the notice's input. Reads the governance records'
 * columns and JSON as migration 20261129000200 and src/domain/governance.ts define them:
 * purposes / data_categories / recipients / capabilities are arrays of strings;
 * special_categories are {category, inferred, condition, schedule1Paragraph}; transfers and
 * hosting are {country, mechanism, recipient}; sub_processors are {name, hosting}; the
 * legitimate-interests assessment's `purpose` is the interest pursued.
 */
export function noticeInputFromRecords(
  records: NoticeRecords,
  context: { urls: NoticeUrls; asOf: string },
): NoticeInput {
  const c = records.campaign;
  const activities: NoticeActivity[] = records.activities.map((a) => {
    const lia = record(json(a.legitimate_interests_assessment));
    return {
      id: a.activity_id,
      name: a.name,
      description: a.description,
      purposes: strings(a.purposes),
      lawfulBasis: a.lawful_basis,
      legitimateInterest: str(lia.purpose) ?? str(a.lawful_basis_note),
      dataCategories: strings(a.data_categories),
      specialCategories: array(a.special_categories).map((s) => {
        const r = record(s);
        return {
          category: typeof r.category === 'string' ? r.category : 'unknown',
          inferred: r.inferred === true,
          condition: str(r.condition),
          schedule1Paragraph: typeof r.schedule1Paragraph === 'number' ? r.schedule1Paragraph : null,
        };
      }),
      appropriatePolicyDocument: str(a.appropriate_policy_document) !== null,
      recipients: strings(a.recipients),
      retention: a.retention,
      otherSources: a.other_sources,
      transfers: transfersOf(a.transfers),
      capabilities: strings(a.capabilities),
      arrangementIds: records.activityArrangements
        .filter((l) => l.activity_id === a.activity_id)
        .map((l) => l.arrangement_id),
      processorIds: records.activityProcessors
        .filter((l) => l.activity_id === a.activity_id)
        .map((l) => l.processor_id),
    };
  });
  return {
    controller: {
      name: c.name,
      controllerType: c.controller_type,
      postalAddress: c.postal_address,
      icoRegistrationNumber: c.ico_registration_number,
      dpo: c.dpo_email ? { name: c.dpo_name ?? '', email: c.dpo_email, phone: c.dpo_phone } : null,
    },
    contact: {
      objectionUrl: records.settings?.objection_url ?? null,
      privacyEmail: records.settings?.privacy_email ?? null,
      complaintUrl: records.settings?.complaint_url ?? null,
    },
    sources: records.sources.map((s) => ({ name: s.name, type: s.type, description: s.description })),
    attributes: records.attributes.map((a) => ({
      label: a.label,
      kind: a.kind === 'observed' || a.kind === 'inferred' ? a.kind : 'provided',
      specialCategory: a.special_category,
    })),
    activities,
    arrangements: records.arrangements.map((a) => ({
      id: a.arrangement_id,
      platform: a.platform,
      platformName: a.platform_name,
      scope: a.scope,
      essence: a.essence,
    })),
    processors: records.processors.map((p) => ({
      id: p.processor_id,
      name: p.name,
      service: p.service,
      hosting: transfersOf(p.hosting),
      subProcessors: array(p.sub_processors).map((s) => {
        const r = record(s);
        return { name: typeof r.name === 'string' ? r.name : '', hosting: transfersOf(r.hosting) };
      }),
    })),
    links: { notice: context.urls.notice, versions: context.urls.versions },
    asOf: context.asOf,
  };
}

/**
 * The records, read inside the caller's transaction: the campaign, the notice settings, the
 * sources people's data came from (current ones, and archived ones still holding people), the
 * attributes recorded about people, the ACTIVE processing activities with their links, the
 * live joint-controller arrangements, and the processors of the active activities.
 */
export async function loadNoticeRecords(tx: Tx, campaignId: string): Promise<NoticeRecords> {
  const campaign = await sql<NoticeRecords['campaign']>`
    SELECT name, controller_type, postal_address, ico_registration_number, dpo_name, dpo_email, dpo_phone
      FROM campaigns WHERE campaign_id = ${campaignId}`.execute(tx);
  if (campaign.rows.length === 0) throw notFound('campaign');
  const settings = await sql<NonNullable<NoticeRecords['settings']>>`
    SELECT objection_url, privacy_email, complaint_url FROM privacy_notice_settings WHERE campaign_id = ${campaignId}`.execute(
    tx,
  );
  const sources = await sql<NoticeRecords['sources'][number]>`
    SELECT s.name, s.type, s.description
      FROM sources s
     WHERE s.campaign_id = ${campaignId}
       AND (s.archived_at IS NULL
            OR EXISTS (SELECT 1 FROM people p WHERE p.campaign_id = s.campaign_id AND p.first_source_id = s.source_id)
            OR EXISTS (SELECT 1 FROM person_sources ps WHERE ps.campaign_id = s.campaign_id AND ps.source_id = s.source_id))
     ORDER BY s.created_at, s.source_id`.execute(tx);
  const attributes = await sql<NoticeRecords['attributes'][number]>`
    SELECT label, kind, special_category FROM attribute_definitions WHERE campaign_id = ${campaignId} ORDER BY name`.execute(
    tx,
  );
  const activities = await sql<NoticeRecords['activities'][number]>`
    SELECT activity_id, name, description, purposes, lawful_basis, lawful_basis_note, legitimate_interests_assessment,
           data_categories, special_categories, appropriate_policy_document, recipients, retention, other_sources,
           transfers, capabilities
      FROM processing_activities
     WHERE campaign_id = ${campaignId} AND status = 'active'
     ORDER BY activated_at, lower(name), activity_id`.execute(tx);
  const activityArrangements = await sql<NoticeRecords['activityArrangements'][number]>`
    SELECT l.activity_id, l.arrangement_id
      FROM processing_activity_arrangements l
      JOIN processing_activities a ON a.campaign_id = l.campaign_id AND a.activity_id = l.activity_id
     WHERE l.campaign_id = ${campaignId} AND a.status = 'active'`.execute(tx);
  const activityProcessors = await sql<NoticeRecords['activityProcessors'][number]>`
    SELECT l.activity_id, l.processor_id
      FROM processing_activity_processors l
      JOIN processing_activities a ON a.campaign_id = l.campaign_id AND a.activity_id = l.activity_id
     WHERE l.campaign_id = ${campaignId} AND a.status = 'active'`.execute(tx);
  const arrangements = await sql<NoticeRecords['arrangements'][number]>`
    SELECT arrangement_id, platform, platform_name, scope, essence
      FROM joint_controller_arrangements
     WHERE campaign_id = ${campaignId} AND archived_at IS NULL
     ORDER BY created_at, arrangement_id`.execute(tx);
  const processors = await sql<NoticeRecords['processors'][number]>`
    SELECT p.processor_id, p.name, p.service, p.hosting, p.sub_processors
      FROM processors p
     WHERE p.campaign_id = ${campaignId} AND p.archived_at IS NULL
       AND p.processor_id IN (SELECT l.processor_id
                                FROM processing_activity_processors l
                                JOIN processing_activities a ON a.campaign_id = l.campaign_id AND a.activity_id = l.activity_id
                               WHERE l.campaign_id = ${campaignId} AND a.status = 'active')
     ORDER BY lower(p.name), p.processor_id`.execute(tx);
  return {
    campaign: campaign.rows[0]!,
    settings: settings.rows[0] ?? null,
    sources: sources.rows,
    attributes: attributes.rows,
    activities: activities.rows,
    activityArrangements: activityArrangements.rows,
    activityProcessors: activityProcessors.rows,
    arrangements: arrangements.rows,
    processors: processors.rows,
  };
}

/** The notice's input for a campaign now. */
export async function loadNoticeInput(tx: Tx, campaignId: string, publicUrl: string, now: Date): Promise<NoticeInput> {
  return noticeInputFromRecords(await loadNoticeRecords(tx, campaignId), {
    urls: noticeUrls(publicUrl, campaignId),
    asOf: now.toISOString().slice(0, 10),
  });
}

// ---------------------------------------------------------------------------------------
// Stored versions and Welsh texts
// ---------------------------------------------------------------------------------------

interface VersionRow {
  version: number;
  language: string;
  document: unknown;
  text_sha256: string;
  published_at: Date | string;
}

const storedOf = (r: VersionRow): StoredVersion => ({
  version: Number(r.version),
  language: r.language as NoticeLanguage,
  sha256: r.text_sha256,
  publishedAt: iso(r.published_at),
  document: json(r.document) as NoticeDocument,
});

const summaryOf = (v: StoredVersion): NoticeVersionSummary => ({
  version: v.version,
  language: v.language,
  sha256: v.sha256,
  publishedAt: v.publishedAt,
});

/** The published versions of a notice in a language, as stored. */
const versionsIn = (tx: Tx, campaignId: string, language: NoticeLanguage) =>
  tx
    .selectFrom('privacy_notice_versions')
    .select(['version', 'language', 'document', 'text_sha256', 'published_at'])
    .where('campaign_id', '=', campaignId)
    .where('language', '=', language);

/** The newest published version in a language, or null. */
export async function latestVersion(
  tx: Tx,
  campaignId: string,
  language: NoticeLanguage,
): Promise<StoredVersion | null> {
  const row = await versionsIn(tx, campaignId, language).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? storedOf(row) : null;
}

export async function findVersion(
  tx: Tx,
  campaignId: string,
  version: number,
  language: NoticeLanguage,
): Promise<StoredVersion | null> {
  const row = await versionsIn(tx, campaignId, language).where('version', '=', version).executeTakeFirst();
  return row ? storedOf(row) : null;
}

async function loadHistory(tx: Tx, campaignId: string): Promise<NoticeHistoryEntry[]> {
  const rows = await tx
    .selectFrom('privacy_notice_versions')
    .select(['version', 'language', 'text_sha256', 'published_at'])
    .where('campaign_id', '=', campaignId)
    .orderBy('version', 'desc')
    .orderBy('language', 'desc')
    .execute();
  const byVersion = new Map<number, NoticeHistoryEntry>();
  for (const r of rows) {
    const version = Number(r.version);
    const entry = byVersion.get(version) ?? { version, publishedAt: iso(r.published_at), languages: [] };
    entry.languages.push({
      version,
      language: r.language as NoticeLanguage,
      sha256: r.text_sha256,
      publishedAt: iso(r.published_at),
    });
    // A version is dated by its English publication (its Welsh may follow later).
    if (r.language === 'en') entry.publishedAt = iso(r.published_at);
    byVersion.set(version, entry);
  }
  return [...byVersion.values()];
}

async function loadTranslations(
  tx: Tx,
  campaignId: string,
): Promise<Record<string, SectionTranslation & { updatedAt: string }>> {
  const rows = await tx
    .selectFrom('privacy_notice_translations')
    .select(['section_id', 'heading', 'body', 'source_sha256', 'updated_at'])
    .where('campaign_id', '=', campaignId)
    .where('language', '=', 'cy')
    .execute();
  return Object.fromEntries(
    rows.map((r) => [
      r.section_id,
      { heading: r.heading, body: r.body, sourceSha256: r.source_sha256, updatedAt: iso(r.updated_at) },
    ]),
  );
}

// ---------------------------------------------------------------------------------------
// The DPO's view: preview of the next version beside the published one
// ---------------------------------------------------------------------------------------

const sectionsForTranslation = (doc: NoticeDocument | null): SectionForTranslation[] =>
  (doc?.sections ?? []).map((s) => ({
    id: s.id,
    heading: s.heading,
    text: sectionPlainText(s),
    sha256: sectionSha256(s),
  }));

/** Gaps the rules do not name (defensive): a notice with a missing part is never published. */
function missingPartsFinding(): Finding {
  const rule = RULE_CATALOGUE['TR-ART13-AT-COLLECTION'];
  return {
    ruleId: rule.id,
    citation: rule.citation,
    outcome: 'refuse',
    explanation: 'Part of the notice cannot be written from the records (it is marked in the preview).',
    remedy: 'Complete the records the preview marks as missing, then publish again.',
  };
}

async function overviewInTx(tx: Tx, deps: AppDeps, campaignId: string, now: Date): Promise<NoticeOverview> {
  const input = await loadNoticeInput(tx, campaignId, deps.settings.publicUrl, now);
  const document = composePrivacyNotice(input);
  const decision = decideAction({ capability: 'notice.publish', facts: input });
  const findings =
    proceeds(decision) && hasMissingParts(document) ? [...decision.findings, missingPartsFinding()] : decision.findings;
  const outcome = findings.some((f) => f.outcome === 'refuse')
    ? 'refuse'
    : findings.some((f) => f.outcome === 'require')
      ? 'require'
      : decision.outcome;
  const sha256 = noticeSha256(document);
  const en = await latestVersion(tx, campaignId, 'en');
  const cy = en ? await findVersion(tx, campaignId, en.version, 'cy') : null;
  const texts = await loadTranslations(tx, campaignId);
  const settingsRow = await tx
    .selectFrom('privacy_notice_settings')
    .select(['objection_url', 'privacy_email', 'complaint_url', 'updated_at'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return {
    urls: noticeUrls(deps.settings.publicUrl, campaignId),
    settings: {
      objectionUrl: settingsRow?.objection_url ?? null,
      privacyEmail: settingsRow?.privacy_email ?? null,
      complaintUrl: settingsRow?.complaint_url ?? null,
      updatedAt: settingsRow ? iso(settingsRow.updated_at) : null,
    },
    preview: {
      document,
      sha256,
      changed: en?.sha256 !== sha256,
      outcome,
      findings,
      sections: sectionsForTranslation(document),
      welsh: translateNotice(document, texts).sections,
    },
    published: {
      en,
      cy,
      sections: sectionsForTranslation(en?.document ?? null),
      welsh: en ? translateNotice(en.document, texts).sections : [],
    },
    translations: Object.entries(texts).map(([sectionId, t]) => ({ sectionId, ...t })),
    history: await loadHistory(tx, campaignId),
  };
}

/** The notice as it would be published now, beside the published one, with the Welsh texts and history. */
export async function getPrivacyNoticeOverview(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<NoticeOverview> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'privacy_notice.read');
    return overviewInTx(tx, deps, campaignId, nowOf(deps));
  });
}

const versionQuerySchema = z
  .object({
    version: z.coerce.number().int('must be a whole number').min(1, 'versions start at 1'),
    language: z.enum(NOTICE_LANGUAGES).default('en'),
  })
  .strict();

/** One published version with its document (staff view). */
export async function getPrivacyNoticeVersion(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<StoredVersion> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'privacy_notice.read');
    const { version, language } = parseInput(versionQuerySchema, input);
    const found = await findVersion(tx, campaignId, version, language);
    if (!found) throw notFound('privacy notice version');
    return found;
  });
}

// ---------------------------------------------------------------------------------------
// Settings and Welsh texts
// ---------------------------------------------------------------------------------------

const SETTING_COLUMNS = {
  objectionUrl: 'objection_url',
  privacyEmail: 'privacy_email',
  complaintUrl: 'complaint_url',
} as const;

/** Sets the objection page, privacy inbox and complaint form (only the fields sent). */
export async function updatePrivacyNoticeSettings(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<NoticeSettingsView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'privacy_notice.edit');
    const parsed = parseInput(noticeSettingsSchema, input ?? {});
    const now = nowOf(deps);
    const values: Record<string, string | null> = {};
    const fields: string[] = [];
    for (const [key, column] of Object.entries(SETTING_COLUMNS) as [keyof typeof SETTING_COLUMNS, string][]) {
      const value = parsed[key];
      if (value === undefined) continue;
      values[column] = value === null || value === '' ? null : value;
      fields.push(key);
    }
    if (fields.length > 0) {
      await tx
        .insertInto('privacy_notice_settings')
        .values({ campaign_id: campaignId, ...values, updated_at: now, updated_by: principal.userId })
        .onConflict((oc) =>
          oc.column('campaign_id').doUpdateSet({ ...values, updated_at: now, updated_by: principal.userId }),
        )
        .execute();
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        { type: 'privacy_notice.settings_updated', data: { fields } },
        now,
      );
    }
    const row = await tx
      .selectFrom('privacy_notice_settings')
      .select(['objection_url', 'privacy_email', 'complaint_url', 'updated_at'])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    return {
      objectionUrl: row?.objection_url ?? null,
      privacyEmail: row?.privacy_email ?? null,
      complaintUrl: row?.complaint_url ?? null,
      updatedAt: row ? iso(row.updated_at) : null,
    };
  });
}

function sectionIdOf(value: string): NoticeSectionId {
  if (!isNoticeSectionId(value)) throw notFound('privacy notice section');
  return value;
}

/**
 * Saves the Welsh text of a section. `sourceSha256` says which English it translates: the
 * section of the notice as it would be published now, or of the published version. Any other
 * hash means the English changed since the text was written.
 */
export async function saveNoticeTranslation(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  sectionIdParam: string,
  input: unknown,
): Promise<{ sectionId: NoticeSectionId; heading: string; body: string; sourceSha256: string; updatedAt: string }> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'privacy_notice.edit');
    const sectionId = sectionIdOf(sectionIdParam);
    const parsed = parseInput(translationInputSchema, input);
    const now = nowOf(deps);
    const preview = composePrivacyNotice(await loadNoticeInput(tx, campaignId, deps.settings.publicUrl, now));
    const published = await latestVersion(tx, campaignId, 'en');
    const candidates = [preview, published?.document]
      .flatMap((doc) => doc?.sections ?? [])
      .filter((s) => s.id === sectionId);
    if (candidates.length === 0) {
      throw invalid([{ field: 'sectionId', message: `the notice has no “${sectionId}” section now` }]);
    }
    if (!candidates.some((s) => sectionSha256(s) === parsed.sourceSha256)) {
      throw invalid([
        {
          field: 'sourceSha256',
          message:
            'the English text of this section has changed since it was shown to you: reload and check the translation',
        },
      ]);
    }
    const values = {
      heading: parsed.heading,
      body: parsed.body,
      source_sha256: parsed.sourceSha256,
      updated_at: now,
      updated_by: principal.userId,
    };
    await tx
      .insertInto('privacy_notice_translations')
      .values({ campaign_id: campaignId, language: 'cy', section_id: sectionId, ...values })
      .onConflict((oc) => oc.columns(['campaign_id', 'language', 'section_id']).doUpdateSet(values))
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      {
        type: 'privacy_notice.translation_saved',
        data: { language: 'cy', sectionId, sourceSha256: parsed.sourceSha256, removed: false },
      },
      now,
    );
    return {
      sectionId,
      heading: parsed.heading,
      body: parsed.body,
      sourceSha256: parsed.sourceSha256,
      updatedAt: iso(now),
    };
  });
}

/** Removes the Welsh text of a section. */
export async function removeNoticeTranslation(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  sectionIdParam: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'privacy_notice.edit');
    const sectionId = sectionIdOf(sectionIdParam);
    const removed = await tx
      .deleteFrom('privacy_notice_translations')
      .where('campaign_id', '=', campaignId)
      .where('language', '=', 'cy')
      .where('section_id', '=', sectionId)
      .returning('source_sha256')
      .executeTakeFirst();
    if (!removed) throw notFound('Welsh text of this section');
    const now = nowOf(deps);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      {
        type: 'privacy_notice.translation_saved',
        data: { language: 'cy', sectionId, sourceSha256: removed.source_sha256, removed: true },
      },
      now,
    );
  });
}

// ---------------------------------------------------------------------------------------
// Publishing
// ---------------------------------------------------------------------------------------

export const publishInputSchema = z
  .object({ language: z.enum(NOTICE_LANGUAGES, { message: 'must be en or cy' }).default('en') })
  .strict();

type PublishOutcome = { result: PublishResult } | { refused: Finding[]; language: NoticeLanguage };

const findingData = (findings: readonly Finding[]) =>
  findings.map((f) => ({ ruleId: f.ruleId, citation: f.citation, outcome: f.outcome, explanation: f.explanation }));

/** One writer of a campaign's notice versions at a time (version numbers have no gaps). */
async function lockNotice(tx: Tx, campaignId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`canvass.privacy_notice:${campaignId}`}))`.execute(tx);
}

async function insertVersion(
  tx: Tx,
  principal: Principal,
  campaignId: string,
  version: number,
  document: NoticeDocument,
  warnings: readonly Finding[],
  now: Date,
): Promise<StoredVersion> {
  const sha256 = noticeSha256(document);
  await tx
    .insertInto('privacy_notice_versions')
    .values({
      campaign_id: campaignId,
      version,
      language: document.language,
      document: JSON.stringify(document),
      text_sha256: sha256,
      published_at: now,
      published_by: principal.userId,
    })
    .execute();
  await appendAuditEvent(
    tx,
    campaignId,
    actorOf(principal),
    {
      type: 'privacy_notice.published',
      data: {
        version,
        language: document.language,
        sha256,
        sections: document.sections.map((s) => s.id),
        warnings: findingData(warnings),
      },
    },
    now,
  );
  return { version, language: document.language, sha256, publishedAt: iso(now), document };
}

async function nextVersionNumber(tx: Tx, campaignId: string): Promise<number> {
  const row = await tx
    .selectFrom('privacy_notice_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

async function publishInTx(
  tx: Tx,
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  language: NoticeLanguage,
): Promise<PublishOutcome> {
  await lockNotice(tx, campaignId);
  const now = nowOf(deps);
  const urls = noticeUrls(deps.settings.publicUrl, campaignId);
  const texts = await loadTranslations(tx, campaignId);
  const created: StoredVersion[] = [];
  let english = await latestVersion(tx, campaignId, 'en');
  let warnings: Finding[] = [];

  if (language === 'en') {
    const input = await loadNoticeInput(tx, campaignId, deps.settings.publicUrl, now);
    const document = composePrivacyNotice(input);
    const decision = decideAction({ capability: 'notice.publish', facts: input });
    const refused = !proceeds(decision)
      ? decision.findings
      : hasMissingParts(document)
        ? [...decision.findings, missingPartsFinding()]
        : null;
    if (refused) {
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        { type: 'privacy_notice.publish_refused', data: { language, findings: findingData(refused) } },
        now,
      );
      return { refused, language };
    }
    warnings = decision.findings;
    if (english?.sha256 !== noticeSha256(document)) {
      english = await insertVersion(
        tx,
        principal,
        campaignId,
        await nextVersionNumber(tx, campaignId),
        document,
        warnings,
        now,
      );
      created.push(english);
    }
    // The Welsh goes out with the English as soon as every section has its Welsh text.
    const welsh = translateNotice(english.document, texts);
    if (welsh.document && !(await findVersion(tx, campaignId, english.version, 'cy'))) {
      created.push(await insertVersion(tx, principal, campaignId, english.version, welsh.document, [], now));
    }
  } else {
    if (!english) {
      throw new AppError('invalid_state', 'publish the English notice first: the Welsh notice translates it', {
        field: 'language',
      });
    }
    const welsh = translateNotice(english.document, texts);
    if (!welsh.document) {
      throw new AppError(
        'invalid_state',
        `the Welsh notice is published only when every section has Welsh text; missing: ${describeUntranslated(welsh.sections)}`,
        { sections: welsh.sections },
      );
    }
    const existing = await findVersion(tx, campaignId, english.version, 'cy');
    if (!existing) {
      created.push(await insertVersion(tx, principal, campaignId, english.version, welsh.document, [], now));
    } else if (existing.sha256 !== noticeSha256(welsh.document)) {
      // A published version never changes: a corrected Welsh text is a new version, with the
      // same English.
      const version = await nextVersionNumber(tx, campaignId);
      english = await insertVersion(tx, principal, campaignId, version, english.document, [], now);
      created.push(english, await insertVersion(tx, principal, campaignId, version, welsh.document, [], now));
    }
  }

  const cy = await findVersion(tx, campaignId, english.version, 'cy');
  return {
    result: {
      version: english.version,
      english: summaryOf(english),
      welsh: cy ? summaryOf(cy) : null,
      created: created.map(summaryOf),
      welshMissing: cy
        ? []
        : translateNotice(english.document, texts).sections.filter((s) => s.status !== 'translated'),
      warnings,
      urls,
    },
  };
}

/**
 * Publishes the notice (privacy_notice.publish, the DPO or the owner).
 *
 *  - language 'en' (the default): composes the notice from the records. A section that cannot
 *    be written refuses with its rule id (audited as privacy_notice.publish_refused). If the
 *    text differs from the current version, it becomes version N+1; if every section has Welsh
 *    text for it, the Welsh is published as version N+1 too.
 *  - language 'cy': publishes the Welsh of the current English version, refused (saying which
 *    sections lack Welsh) until every section has it. A corrected Welsh text of a version
 *    already published in Welsh becomes a new version: published versions never change.
 *
 * Publishing what is already published changes nothing (`created` is empty).
 */
export async function publishPrivacyNotice(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<PublishResult> {
  const outcome = await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'privacy_notice.publish');
    const { language } = parseInput(publishInputSchema, input ?? {});
    return publishInTx(tx, deps, principal, campaignId, language);
  });
  if ('refused' in outcome) {
    const blocking = outcome.refused.filter((f) => f.outcome === 'refuse' || f.outcome === 'require');
    throw new AppError(
      'rule_refused',
      `the privacy notice cannot be published: ${blocking.map((f) => `${f.ruleId} (${f.citation}): ${f.explanation}`).join(' ')}`,
      { findings: outcome.refused },
    );
  }
  return outcome.result;
}

// ---------------------------------------------------------------------------------------
// Public reading (no sign-in)
// ---------------------------------------------------------------------------------------

export type PublicNotice =
  | {
      kind: 'found';
      version: StoredVersion;
      /** The languages this version is published in (for the language switch). */
      languages: NoticeLanguage[];
      /** The current English version (to say whether this one is current). */
      currentVersion: number;
    }
  /** Nothing is published in English yet (or the campaign does not exist). */
  | { kind: 'none' }
  /** The version exists in English, but not in the language asked for. */
  | { kind: 'untranslated'; version: number; language: NoticeLanguage }
  /** That version number was never published. */
  | { kind: 'no_such_version'; version: number; currentVersion: number };

/**
 * The notice the public sees: the current version (the newest English version, and its Welsh
 * if published — never an older Welsh that would not describe today's processing), or the
 * version asked for. Reads only published rows, inside the campaign's row-level scope.
 */
export async function readPublicNotice(
  db: Database,
  campaignId: string,
  options: { language: NoticeLanguage; version?: number },
): Promise<PublicNotice> {
  return inCampaign(db, campaignId, async (tx) => {
    const current = await latestVersion(tx, campaignId, 'en');
    if (!current) return { kind: 'none' } as const;
    const version = options.version ?? current.version;
    const languages = (
      await tx
        .selectFrom('privacy_notice_versions')
        .select('language')
        .where('campaign_id', '=', campaignId)
        .where('version', '=', version)
        .execute()
    ).map((r) => r.language as NoticeLanguage);
    if (languages.length === 0) return { kind: 'no_such_version', version, currentVersion: current.version } as const;
    const found =
      version === current.version && options.language === 'en'
        ? current
        : await findVersion(tx, campaignId, version, options.language);
    if (!found) return { kind: 'untranslated', version, language: options.language } as const;
    return {
      kind: 'found',
      version: found,
      languages: NOTICE_LANGUAGES.filter((l) => languages.includes(l)),
      currentVersion: current.version,
    } as const;
  });
}

/** Every published version, newest first, with its dates and languages (public). */
export async function readPublicHistory(
  db: Database,
  campaignId: string,
): Promise<{ controllerName: string | null; history: NoticeHistoryEntry[] }> {
  return inCampaign(db, campaignId, async (tx) => {
    const history = await loadHistory(tx, campaignId);
    if (history.length === 0) return { controllerName: null, history };
    const current = await latestVersion(tx, campaignId, 'en');
    return { controllerName: current?.document.controllerName ?? null, history };
  });
}

// ---------------------------------------------------------------------------------------
// For other features: does notice version N explain list matching with platform P?
// ---------------------------------------------------------------------------------------

/**
 * Whether version `version` of the campaign's notice (in `language`) explains matching people's
 * details with `platform` prominently, naming it — and lookalike audiences, for a lookalike
 * seed (TR-LIST-MATCHING-DISCLOSED). Null when that version was never published. For the
 * audiences feature (issue 5), inside its own transaction.
 */
export async function noticeListMatchingCoverage(
  tx: Tx,
  campaignId: string,
  query: {
    version: number;
    language?: NoticeLanguage;
    platform: string;
    platformName?: string;
    kind?: 'list' | 'lookalike_seed';
  },
): Promise<ListMatchingCoverage | null> {
  const found = await findVersion(tx, campaignId, query.version, query.language ?? 'en');
  if (!found) return null;
  return listMatchingCoverage(
    found.document,
    query.platformName === undefined
      ? { platform: query.platform }
      : { platform: query.platform, name: query.platformName },
    query.kind ?? 'list',
  );
}

/** What each published English version explains (the NoticeCoverage the transparency rules read). */
export async function loadNoticeCoverages(
  tx: Tx,
  campaignId: string,
): Promise<{ current: ReturnType<typeof noticeCoverage> | null; versions: ReturnType<typeof noticeCoverage>[] }> {
  const rows = await tx
    .selectFrom('privacy_notice_versions')
    .select(['version', 'language', 'document', 'text_sha256', 'published_at'])
    .where('campaign_id', '=', campaignId)
    .where('language', '=', 'en')
    .orderBy('version', 'desc')
    .execute();
  const versions = rows.map((r) => {
    const v = storedOf(r);
    return noticeCoverage(String(v.version), v.document);
  });
  return { current: versions[0] ?? null, versions };
}
