/**
 * Privacy-notice test helpers: governance records written straight into their tables (as
 * migration 20261129000200 defines them), inside the campaign's row-level scope. The governance
 * use cases have their own tests; going around them keeps these tests about the notice.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../src/app/context.js';
import { inCampaign } from '../../src/db/scope.js';

export const META_ESSENCE =
  'Meta matches the scrambled list with its users and deletes the list once matched. We answer your requests about the list; Meta answers requests about its own use of your data.';

export interface ActivityRecord {
  name?: string;
  description?: string;
  status?: 'draft' | 'active' | 'retired';
  capabilities?: string[];
  lawfulBasis?: string | null;
  specialCategories?: unknown[];
  transfers?: unknown[] | null;
  retention?: string | null;
  arrangementIds?: string[];
  processorIds?: string[];
  sourceIds?: string[];
}

export async function insertActivity(deps: AppDeps, campaignId: string, record: ActivityRecord = {}): Promise<string> {
  const id = randomUUID();
  const status = record.status ?? 'active';
  await inCampaign(deps.db, campaignId, async (tx) => {
    await tx
      .insertInto('processing_activities')
      .values({
        campaign_id: campaignId,
        activity_id: id,
        name: record.name ?? `Activity ${id.slice(0, 8)}`,
        description: record.description ?? 'Keeping supporters informed about the campaign.',
        status,
        purposes: JSON.stringify(['sending campaign news to supporters']),
        lawful_basis: record.lawfulBasis === undefined ? 'consent' : record.lawfulBasis,
        lawful_basis_note: 'Supporters ask to hear from us.',
        legitimate_interests_assessment: null,
        data_categories: JSON.stringify(['name', 'email address']),
        special_categories: JSON.stringify(record.specialCategories ?? []),
        appropriate_policy_document: null,
        data_subjects: JSON.stringify(['supporters']),
        recipients: JSON.stringify([]),
        retention: record.retention === undefined ? 'Until three months after polling day' : record.retention,
        transfers: record.transfers === null ? null : JSON.stringify(record.transfers ?? []),
        security_measures: 'Access limited to named staff.',
        capabilities: JSON.stringify(record.capabilities ?? ['email']),
        activated_at: status === 'draft' ? null : new Date(),
        retired_at: status === 'retired' ? new Date() : null,
      })
      .execute();
    for (const arrangementId of record.arrangementIds ?? []) {
      await tx
        .insertInto('processing_activity_arrangements')
        .values({ campaign_id: campaignId, activity_id: id, arrangement_id: arrangementId })
        .execute();
    }
    for (const processorId of record.processorIds ?? []) {
      await tx
        .insertInto('processing_activity_processors')
        .values({ campaign_id: campaignId, activity_id: id, processor_id: processorId })
        .execute();
    }
    for (const sourceId of record.sourceIds ?? []) {
      await tx
        .insertInto('processing_activity_sources')
        .values({ campaign_id: campaignId, activity_id: id, source_id: sourceId })
        .execute();
    }
  });
  return id;
}

/** A joint-controller arrangement: by default Meta custom audiences, with the essence only. */
export async function insertArrangement(
  deps: AppDeps,
  campaignId: string,
  record: {
    platform?: string;
    platformName?: string;
    scope?: string;
    essence?: string;
    termsReference?: string;
    responsibilities?: Record<string, { party: string; note: string }>;
    eligibilityConfirmation?: string;
    reviewDueOn?: string;
    lastReviewedOn?: string;
  } = {},
): Promise<string> {
  const id = randomUUID();
  await inCampaign(deps.db, campaignId, (tx) =>
    tx
      .insertInto('joint_controller_arrangements')
      .values({
        campaign_id: campaignId,
        arrangement_id: id,
        platform: record.platform ?? 'meta',
        platform_name: record.platformName ?? 'Meta',
        scope: record.scope ?? 'custom_audiences',
        preset_version: null,
        terms_reference: record.termsReference ?? null,
        responsibilities: JSON.stringify(record.responsibilities ?? {}),
        essence: record.essence ?? META_ESSENCE,
        eligibility_confirmation: record.eligibilityConfirmation ?? null,
        review_due_on: record.reviewDueOn ?? null,
        last_reviewed_on: record.lastReviewedOn ?? null,
      })
      .execute(),
  );
  return id;
}

export async function updateArrangementEssence(
  deps: AppDeps,
  campaignId: string,
  arrangementId: string,
  essence: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, (tx) =>
    tx
      .updateTable('joint_controller_arrangements')
      .set({ essence })
      .where('campaign_id', '=', campaignId)
      .where('arrangement_id', '=', arrangementId)
      .execute(),
  );
}

export async function insertProcessor(
  deps: AppDeps,
  campaignId: string,
  record: { name?: string; hosting?: unknown[] } = {},
): Promise<string> {
  const id = randomUUID();
  await inCampaign(deps.db, campaignId, (tx) =>
    tx
      .insertInto('processors')
      .values({
        campaign_id: campaignId,
        processor_id: id,
        name: record.name ?? `Processor ${id.slice(0, 8)}`,
        service: 'sending email',
        contract_reference: null,
        contract_date: null,
        art28_terms: JSON.stringify({}),
        hosting: JSON.stringify(record.hosting ?? [{ country: 'GB', mechanism: null }]),
        sub_processors: JSON.stringify([]),
        segregation: null,
        service_improvement_note: null,
      })
      .execute(),
  );
  return id;
}

/** The public notice's settings: the campaign's objection page. */
export const OBJECTION_URL = 'https://campaign.example/object';
