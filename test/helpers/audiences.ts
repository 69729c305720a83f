/**
 * Audience test helpers: a campaign ready for a lawful Meta audience — an active activity with
 * custom audiences, a complete Art 26 arrangement, an approved DPIA, a published notice that
 * explains list matching — and people built through the real use cases.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../src/app/context.js';
import { createPerson } from '../../src/app/people.js';
import { recordNoticeDelivery } from '../../src/app/privacy-notice-deliveries.js';
import { publishPrivacyNotice, updatePrivacyNoticeSettings } from '../../src/app/privacy-notice.js';
import { inCampaign } from '../../src/db/scope.js';
import { makeCampaign, type TestCampaign } from './factories.js';
import { insertSource } from './people.js';
import { insertActivity, insertArrangement, OBJECTION_URL } from './privacy-notice.js';

const FULL_RESPONSIBILITIES = {
  transparency: { party: 'campaign', note: '' },
  rights_requests: { party: 'campaign', note: '' },
  security: { party: 'platform', note: '' },
  dpia: { party: 'campaign', note: '' },
  breach_notification: { party: 'platform', note: '' },
  contact_point: { party: 'campaign', note: '' },
};

/** A complete Art 26 arrangement (every responsibility assigned, eligibility confirmed, reviewed). */
export async function insertCompleteArrangement(
  deps: AppDeps,
  campaignId: string,
  options: { platform?: string; platformName?: string; scope?: string } = {},
): Promise<string> {
  return insertArrangement(deps, campaignId, {
    ...options,
    termsReference: 'Meta Custom Audiences terms',
    responsibilities: FULL_RESPONSIBILITIES,
    eligibilityConfirmation: 'Authorised for social issues, elections or politics on 2026-10-01',
    reviewDueOn: '2027-06-01',
    lastReviewedOn: '2026-11-01',
  });
}

/** An approved DPIA version covering the activity, reviewed in 2027. */
export async function insertApprovedDpia(deps: AppDeps, campaignId: string, activityId: string): Promise<void> {
  const dpiaId = randomUUID();
  await inCampaign(deps.db, campaignId, async (tx) => {
    await tx
      .insertInto('dpias')
      .values({ campaign_id: campaignId, dpia_id: dpiaId, title: 'Audiences on Meta', activity_id: activityId })
      .execute();
    await tx
      .insertInto('dpia_versions')
      .values({
        campaign_id: campaignId,
        dpia_id: dpiaId,
        version: 1,
        status: 'approved',
        activity_id: activityId,
        screening: JSON.stringify({}),
        description: JSON.stringify({}),
        consultation: JSON.stringify({}),
        necessity: JSON.stringify({}),
        sign_off: JSON.stringify({}),
        review_date: '2027-06-01',
        decided_at: new Date(),
      } as never)
      .execute();
  });
}

export interface AudienceCampaign extends TestCampaign {
  c: string;
  activityId: string;
  /** A source relying on legitimate interests; and one relying on consent. */
  liSource: string;
  consentSource: string;
  tagId: string;
}

export async function makeAudienceCampaign(
  deps: AppDeps,
  options: { platforms?: { platform: string; platformName: string }[]; dpia?: boolean; arrangement?: boolean } = {},
): Promise<AudienceCampaign> {
  const tc = await makeCampaign(deps);
  const c = tc.campaign.id;
  const liSource = await insertSource(deps, c, { type: 'canvass', lawfulBasis: 'legitimate_interests' });
  const consentSource = await insertSource(deps, c, { type: 'web_form', lawfulBasis: 'consent' });
  const platforms = options.platforms ?? [{ platform: 'meta', platformName: 'Meta' }];
  const arrangementIds =
    options.arrangement === false
      ? []
      : await Promise.all(
          platforms.flatMap((p) =>
            ['custom_audiences', 'lookalikes'].map((scope) => insertCompleteArrangement(deps, c, { ...p, scope })),
          ),
        );
  const activityId = await insertActivity(deps, c, {
    name: 'Supporter adverts',
    capabilities: ['custom_audiences', 'lookalikes', 'profiling'],
    lawfulBasis: 'public_task',
    arrangementIds,
  });
  if (options.dpia !== false) await insertApprovedDpia(deps, c, activityId);
  await updatePrivacyNoticeSettings(deps, tc.owner.principal, c, { objectionUrl: OBJECTION_URL });
  await publishPrivacyNotice(deps, tc.owner.principal, c, {});
  const tagId = randomUUID();
  await inCampaign(deps.db, c, (tx) =>
    tx.insertInto('tags').values({ campaign_id: c, tag_id: tagId, name: 'Doorstep contacts' }).execute(),
  );
  return { ...tc, c, activityId, liSource, consentSource, tagId };
}

/** A person through the real use case, tagged, optionally given the current notice. */
export async function addPerson(
  deps: AppDeps,
  ac: AudienceCampaign,
  input: {
    email?: string;
    phone?: string;
    firstName?: string;
    lastName?: string;
    postcode?: string;
    sourceId?: string;
  },
  options: { notice?: boolean; tag?: boolean } = {},
): Promise<string> {
  const person = await createPerson(deps, ac.owner.principal, ac.c, {
    sourceId: input.sourceId ?? ac.liSource,
    ...(input.email ? { email: input.email } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.firstName ? { firstName: input.firstName } : {}),
    ...(input.lastName ? { lastName: input.lastName } : {}),
    ...(input.postcode ? { postcode: input.postcode } : {}),
  });
  if (options.tag !== false) {
    await inCampaign(deps.db, ac.c, (tx) =>
      tx.insertInto('person_tags').values({ campaign_id: ac.c, tag_id: ac.tagId, person_id: person.id }).execute(),
    );
  }
  if (options.notice !== false) {
    await recordNoticeDelivery(deps, ac.owner.principal, ac.c, person.id, {
      method: 'email',
      deliveredAt: new Date().toISOString(),
    });
  }
  return person.id;
}
