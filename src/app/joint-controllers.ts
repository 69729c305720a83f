/**
 * Joint-controller arrangements (UK GDPR Art 26; issue 4): one per platform and scope
 * (custom audiences, lookalikes, pixels and plugins, page insights), allocating each
 * responsibility — transparency information, rights requests, security, DPIA, breach
 * notification, contact point — to the campaign, the platform or both, with the essence
 * written for individuals (Art 26(2)) and a review date.
 *
 * An arrangement can start from the platform's preset (src/domain/platforms.ts): what the
 * platform's standard terms cover and the notes the research supports are filled in; every
 * party is left for the DPO to assign. Saving records facts and is never refused; the gaps
 * (ONL-ARRANGEMENT-GAPS) refuse every activity that relies on the arrangement.
 */
import { inCampaign, type Tx } from '../db/scope.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import {
  arrangementCreateSchema,
  arrangementLabel,
  arrangementUpdateSchema,
  emptyResponsibilities,
  mergeResponsibilities,
  RESPONSIBILITIES,
  type ArrangementFields,
  type JointControllerArrangement,
  type Responsibilities,
} from '../domain/governance.js';
import { uuidv7 } from '../domain/people.js';
import { PLATFORM_PRESETS, presetOf } from '../domain/platforms.js';
import { decideArrangement } from '../domain/rules/governance-rules.js';
import type { ArrangementView, PlatformPresetView } from '../shared/governance.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import {
  archiveChange,
  definedOnly,
  findingData,
  loadGovernanceGraph,
  lockReliedOn,
  presentArrangement,
  todayOf,
} from './governance-records.js';
import { parseInput } from './validate.js';

function columnsOf(f: ArrangementFields) {
  return {
    platform: f.platform,
    platform_name: f.platformName,
    scope: f.scope,
    terms_reference: f.termsReference,
    responsibilities: JSON.stringify(f.responsibilities),
    essence: f.essence,
    eligibility_confirmation: f.eligibilityConfirmation,
    review_due_on: f.reviewDueOn,
    last_reviewed_on: f.lastReviewedOn,
    notes: f.notes,
  };
}

const fieldsOf = (a: JointControllerArrangement): ArrangementFields => {
  const { id: _id, presetVersion: _p, createdAt: _c, updatedAt: _u, archivedAt: _a, ...fields } = a;
  return fields;
};

/** One live arrangement per platform and scope (the partial unique index says the same). */
async function assertScopeFree(tx: Tx, campaignId: string, f: ArrangementFields, except: string | null): Promise<void> {
  const clashes = await tx
    .selectFrom('joint_controller_arrangements')
    .select(['arrangement_id', 'platform_name'])
    .where('campaign_id', '=', campaignId)
    .where('platform', '=', f.platform)
    .where('scope', '=', f.scope)
    .where('archived_at', 'is', null)
    .execute();
  const clash = clashes.find(
    (c) => c.platform_name.toLowerCase() === f.platformName.toLowerCase() && c.arrangement_id !== except,
  );
  if (clash) {
    throw conflict(`an arrangement for ${arrangementLabel(f)} already exists: change that one`, {
      field: 'scope',
      arrangementId: clash.arrangement_id,
    });
  }
}

async function viewOf(tx: Tx, deps: AppDeps, campaignId: string, arrangementId: string): Promise<ArrangementView> {
  const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
  const arrangement = graph.arrangements.get(arrangementId);
  if (!arrangement) throw notFound('joint-controller arrangement');
  return presentArrangement(arrangement, graph);
}

export async function createJointControllerArrangement(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<ArrangementView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const { fromPreset, ...parsed } = parseInput(arrangementCreateSchema, input);
    await authorize(tx, principal, campaignId, 'governance.manage');
    const preset = presetOf(parsed.platform);
    if (parsed.platform === 'other' && !parsed.platformName?.trim()) {
      throw invalid([{ field: 'platformName', message: 'name the platform' }]);
    }
    if (fromPreset && !preset) {
      throw invalid([
        {
          field: 'fromPreset',
          message:
            'Canvass has no preset for this platform: choose one of its platforms, or fill the arrangement in yourself',
        },
      ]);
    }
    const terms = fromPreset && preset ? preset.scopes[parsed.scope] : null;
    const prefilled: Responsibilities = emptyResponsibilities();
    if (terms) {
      for (const r of RESPONSIBILITIES) prefilled[r] = { party: null, note: terms.notes[r] ?? '' };
    }
    const given = definedOnly(parsed);
    const fields: ArrangementFields = {
      platformName: preset?.name ?? '',
      termsReference: terms?.termsName ?? null,
      essence: '',
      eligibilityConfirmation: null,
      reviewDueOn: null,
      lastReviewedOn: null,
      notes: '',
      ...given,
      responsibilities: mergeResponsibilities(
        prefilled,
        parsed.responsibilities && definedOnly(parsed.responsibilities),
      ),
      platform: parsed.platform,
      scope: parsed.scope,
    };
    // A preset platform is named by its preset, so one platform has one name.
    if (preset) fields.platformName = preset.name;
    await assertScopeFree(tx, campaignId, fields, null);
    const now = nowOf(deps);
    const arrangementId = uuidv7(now.getTime());
    const presetVersion = fromPreset && preset ? preset.version : null;
    await tx
      .insertInto('joint_controller_arrangements')
      .values({
        campaign_id: campaignId,
        arrangement_id: arrangementId,
        ...columnsOf(fields),
        preset_version: presetVersion,
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
        type: 'joint_arrangement.created',
        data: {
          arrangementId,
          platform: fields.platform,
          scope: fields.scope,
          presetVersion,
          findings: findingData(decideArrangement(fields, todayOf(deps)).findings),
        },
      },
      now,
    );
    return viewOf(tx, deps, campaignId, arrangementId);
  });
}

export async function listJointControllerArrangements(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<ArrangementView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
    return [...graph.arrangements.values()].map((a) => presentArrangement(a, graph));
  });
}

export async function getJointControllerArrangement(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  arrangementId: string,
): Promise<ArrangementView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    return viewOf(tx, deps, campaignId, arrangementId);
  });
}

/**
 * Changes the fields sent (responsibilities: only the ones sent); `archived: true` archives an
 * arrangement no activity still relies on. The platform and scope are fixed: record another
 * arrangement for another scope.
 */
export async function updateJointControllerArrangement(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  arrangementId: string,
  input: unknown,
): Promise<ArrangementView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const { archived, ...parsed } = parseInput(arrangementUpdateSchema, input);
    await authorize(tx, principal, campaignId, 'governance.manage');
    const { graph, before, linked } = await lockReliedOn(tx, deps, campaignId, 'arrangement', arrangementId);
    if (
      parsed.platformName !== undefined &&
      before.platform !== 'other' &&
      parsed.platformName !== before.platformName
    ) {
      throw invalid([
        { field: 'platformName', message: `a ${before.platformName} arrangement keeps the platform's name` },
      ]);
    }
    const { responsibilities, ...rest } = definedOnly(parsed);
    const fields: ArrangementFields = {
      ...fieldsOf(before),
      ...rest,
      responsibilities: mergeResponsibilities(
        before.responsibilities,
        responsibilities && definedOnly(responsibilities),
      ),
    };
    if (before.platform === 'other' && !fields.platformName.trim()) {
      throw invalid([{ field: 'platformName', message: 'name the platform' }]);
    }
    const sent: string[] = [
      ...Object.keys(rest),
      ...(responsibilities ? Object.keys(definedOnly(responsibilities)).map((r) => `responsibilities.${r}`) : []),
    ];
    const now = nowOf(deps);
    const archivedAt = archiveChange('arrangement', archived, before, linked, now);
    if (archivedAt !== undefined) sent.push('archived');
    // Restoring an arrangement, or renaming one that stays live: its platform and scope must be free.
    const renamedLive = fields.platformName !== before.platformName && before.archivedAt === null && archivedAt !== now;
    if (archivedAt === null || renamedLive) await assertScopeFree(tx, campaignId, fields, arrangementId);
    await tx
      .updateTable('joint_controller_arrangements')
      .set({ ...columnsOf(fields), updated_at: now, ...(archivedAt !== undefined ? { archived_at: archivedAt } : {}) })
      .where('campaign_id', '=', campaignId)
      .where('arrangement_id', '=', arrangementId)
      .execute();
    if (sent.length > 0) {
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        {
          type: 'joint_arrangement.updated',
          data: {
            arrangementId,
            fields: sent,
            findings: findingData(decideArrangement(fields, graph.today).findings),
            activeActivityIds: linked.filter((a) => a.status === 'active').map((a) => a.id),
          },
        },
        now,
      );
    }
    return viewOf(tx, deps, campaignId, arrangementId);
  });
}

/** The platform presets (the same for every campaign; any signed-in member may read them). */
export function listPlatformPresets(): PlatformPresetView[] {
  return Object.values(PLATFORM_PRESETS);
}
