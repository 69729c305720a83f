/**
 * Online targeting (ICO, "Political campaigning online": the online advertising checklist,
 * joint controllers with social-media platforms) and the platforms' own policies. Contextual
 * adverts that neither touch devices nor use personal data are outside PECR reg 6 and the UK
 * GDPR: they are allowed, with the reasoning recorded.
 */
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { listOf, type PurposeFacts, type TargetingCriterion } from './facts.js';
import { lawfulBasisGap } from './lawful-basis-rules.js';
import { PLATFORM_POLICIES, platformLabel, type PlatformId } from './platforms.js';
import type { Rule } from './rule.js';
import { specialCategoryCriteria } from './special-category-rules.js';
import { listMatchingGaps, type NoticeCoverage } from './transparency-rules.js';

// ---------------------------------------------------------------------------------------
// ONL-JOINT-CONTROLLER
// ---------------------------------------------------------------------------------------

/** What a campaign and a platform jointly control (ICO guidance; UK GDPR Art 26). */
export const ART26_SCOPES = ['custom_audiences', 'lookalikes', 'pixels_plugins', 'page_insights'] as const;
export type Art26Scope = (typeof ART26_SCOPES)[number];

const SCOPE_LABELS: Record<Art26Scope, string> = {
  custom_audiences: 'custom audiences',
  lookalikes: 'lookalike audiences',
  pixels_plugins: 'pixels and plugins',
  page_insights: 'page insights',
};

export interface JointControllerFacts {
  /**
   * The joint processing this action starts or continues. `platform: null` when the platform is
   * not known yet — a processing activity names its scopes and finds its platforms in the
   * arrangements linked to it: any arrangement for the scope then covers it.
   */
  jointProcessing: readonly { platform: PlatformId | null; scope: Art26Scope }[];
  /** The Art 26 arrangements in force, by platform (one of PLATFORMS, or another) and scope. */
  arrangements: readonly { platform: string; scopes: readonly Art26Scope[] }[];
}

/** The joint processing no arrangement covers. */
export function uncoveredJointProcessing(
  facts: JointControllerFacts,
): JointControllerFacts['jointProcessing'][number][] {
  return facts.jointProcessing.filter(
    (j) =>
      !facts.arrangements.some((a) => (j.platform === null || a.platform === j.platform) && a.scopes.includes(j.scope)),
  );
}

const jointProcessingLabel = (j: JointControllerFacts['jointProcessing'][number]): string =>
  j.platform === null ? SCOPE_LABELS[j.scope] : `${SCOPE_LABELS[j.scope]} on ${platformLabel(j.platform)}`;

/**
 * ONL-JOINT-CONTROLLER (Art 26): audience uploads, lookalikes, pixels, plugins and page insights
 * make the campaign a joint controller with the platform; each needs an arrangement.
 */
export const jointControllerArrangement: Rule<JointControllerFacts> = {
  meta: RULE_CATALOGUE['ONL-JOINT-CONTROLLER'],
  evaluate: (facts) => {
    const missing = uncoveredJointProcessing(facts);
    if (missing.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The campaign and the platform are joint controllers for this, and no Art 26 arrangement covers ${listOf(missing.map(jointProcessingLabel))}.`,
      remedy:
        'Record the joint-controller arrangement with the platform for this scope, allocating every responsibility, and link it.',
    };
  },
};

// ---------------------------------------------------------------------------------------
// ONL-PLATFORM-ELIGIBILITY
// ---------------------------------------------------------------------------------------

export interface PlatformUse {
  platform: PlatformId;
  /** The campaign holds the platform's political-advertiser authorisation, where one is needed. */
  authorised: boolean;
  /** Uses a customer list: a list-based audience, or a lookalike built on one. */
  customerList: boolean;
  /** The adverts are election adverts (about a UK election, party or candidate). */
  electionAd: boolean;
  /** For an advert: its "paid for by" line (null: none); null for an audience on its own. */
  ad: { paidForBy: string | null } | null;
}

/** An actual use of a platform: an audience upload, a lookalike seed, an advert. */
export interface PlatformUseFacts {
  platformUse: PlatformUse;
}

/**
 * The platform uses a processing activity plans, from the Art 26 arrangements it relies on
 * (activation, and an arrangement's own page). Nothing is uploaded yet, so a condition the
 * platform sets that is not recorded as met is a warning here; the upload itself is refused.
 */
export interface PlannedPlatformUseFacts {
  plannedPlatformUses: readonly {
    /** One of PLATFORMS, or another platform Canvass has no research on. */
    platform: string;
    /** How the arrangement is named (platform and scope). */
    label: string;
    scope: Art26Scope;
    /** How the platform's condition (authorisation, "paid for by" lines) is met, if recorded. */
    conditionMet: string | null;
  }[];
}

const isPlatformId = (p: string): p is PlatformId => Object.hasOwn(PLATFORM_POLICIES, p);

/** Why the platform's policy forbids a use (null: it allows it). */
function policyProblem(use: PlatformUse): string | null {
  const policy = PLATFORM_POLICIES[use.platform];
  if (policy.politicalAds === 'banned') return `${policy.label} does not allow political adverts.`;
  if (policy.politicalAds === 'authorisation_required' && !use.authorised) {
    return `${policy.label} requires its ${policy.authorisation} before political adverts, and the campaign does not hold it.`;
  }
  if (use.customerList && use.electionAd && !policy.customerListsForElectionAds) {
    return `${policy.label} does not allow customer lists for UK election adverts.`;
  }
  if (use.ad !== null && policy.paidForByRequired && !use.ad.paidForBy?.trim()) {
    return `${policy.label} requires a "paid for by" line on political adverts, and this one has none.`;
  }
  return null;
}

const CUSTOMER_LIST_SCOPES: readonly Art26Scope[] = ['custom_audiences', 'lookalikes'];

/** A planned use: what the policy forbids (refuse), or a condition not recorded as met (warn). */
function plannedProblem(
  planned: PlannedPlatformUseFacts['plannedPlatformUses'][number],
): { outcome: 'refuse' | 'warn'; text: string } | null {
  // Page insights is not advertising: the political-advertising policies do not reach it.
  if (planned.scope === 'page_insights') return null;
  const met = Boolean(planned.conditionMet?.trim());
  if (!isPlatformId(planned.platform)) {
    return met
      ? null
      : { outcome: 'warn', text: `${planned.label} — the platform's political-ads policy has not been checked` };
  }
  const policy = PLATFORM_POLICIES[planned.platform];
  const forbidden = policyProblem({
    platform: planned.platform,
    authorised: true,
    customerList: CUSTOMER_LIST_SCOPES.includes(planned.scope),
    // A campaign's audiences and pixels serve its political adverts, election adverts among them.
    electionAd: true,
    ad: null,
  });
  if (forbidden !== null) return { outcome: 'refuse', text: `${planned.label} — ${forbidden}` };
  const condition =
    policy.politicalAds === 'authorisation_required'
      ? `the advertiser's ${policy.authorisation ?? 'political-advertising authorisation'}`
      : policy.paidForByRequired
        ? 'a "paid for by" line on every political ad'
        : null;
  return condition !== null && !met ? { outcome: 'warn', text: `${planned.label} — needs ${condition}` } : null;
}

/**
 * ONL-PLATFORM-ELIGIBILITY (platform policies): political targeting only where the platform's
 * policy allows it (platforms.ts). One rule for both shapes of fact: an actual use (an upload,
 * an advert) and the uses an activity plans.
 */
export const platformEligibility: Rule<PlatformUseFacts | PlannedPlatformUseFacts> = {
  meta: RULE_CATALOGUE['ONL-PLATFORM-ELIGIBILITY'],
  evaluate: (facts) => {
    if ('platformUse' in facts) {
      const use = facts.platformUse;
      const policy = PLATFORM_POLICIES[use.platform];
      const problem = policyProblem(use);
      if (problem === null) return null;
      return {
        outcome: 'refuse',
        explanation: `${problem} (${policy.summary})`,
        remedy:
          policy.politicalAds === 'banned' || (use.customerList && !policy.customerListsForElectionAds)
            ? 'Use another platform, or another kind of targeting this platform allows.'
            : 'Complete what the platform requires, then decide again.',
      };
    }
    const problems = facts.plannedPlatformUses.flatMap((p) => plannedProblem(p) ?? []);
    const refused = problems.filter((p) => p.outcome === 'refuse').map((p) => p.text);
    if (refused.length > 0) {
      return {
        outcome: 'refuse',
        explanation: `The platform's policy forbids this political targeting for UK campaigns: ${refused.join('; ')}`,
        remedy: 'Remove the platform from this activity, or the capability it forbids.',
      };
    }
    if (problems.length === 0) return null;
    return {
      outcome: 'warn',
      explanation: `The platform allows political advertising only on a condition that is not recorded as met: ${problems.map((p) => p.text).join('; ')}.`,
      remedy: 'Record on the arrangement how the condition is met (e.g. the authorisation reference).',
    };
  },
};

// ---------------------------------------------------------------------------------------
// ONL-AD-CHECKLIST and ONL-CONTEXTUAL-EXEMPT
// ---------------------------------------------------------------------------------------

export const AD_TARGETING = [
  'contextual',
  'demographic',
  'interest',
  'location',
  'customer_list',
  'lookalike',
  'retargeting',
] as const;
export type AdTargeting = (typeof AD_TARGETING)[number];

export interface AdFacts extends JointControllerFacts, PurposeFacts {
  ad: {
    platform: PlatformId;
    targeting: readonly AdTargeting[];
    /** Targeting criteria (interests, segments, the lists used). */
    criteria: readonly TargetingCriterion[];
    /** Delivery or measurement stores or reads information on devices (cookies, pixels, SDKs, fingerprinting). */
    accessesDevices: boolean;
    /** Where devices are accessed: the people gave PECR consent (e.g. retargeting only consenting visitors). */
    deviceConsent: boolean;
    /** Where criteria reveal special category data: the people targeted gave explicit consent. */
    explicitConsent: boolean;
    /** An approved DPIA covers the campaign. */
    dpiaApproved: boolean;
    /** Every processor involved works under Art 28(3) terms. */
    processorsContracted: boolean;
  };
  /** The published privacy notice, if any. */
  notice: NoticeCoverage | null;
}

/** A contextual advert: chosen by the page's content alone, touching no device. */
export const isContextualOnly = (ad: AdFacts['ad']): boolean =>
  ad.targeting.length > 0 && ad.targeting.every((t) => t === 'contextual') && !ad.accessesDevices;

/** The checklist items an ad campaign misses, in the words of the seed guidance. */
export function adChecklistGaps(facts: AdFacts): string[] {
  const { ad, notice } = facts;
  const gaps: string[] = [];
  if ((ad.accessesDevices || ad.targeting.includes('retargeting')) && !ad.deviceConsent) {
    gaps.push('prior consent for cookies and similar technologies (PECR reg 6)');
  }
  if (specialCategoryCriteria(ad.criteria).length > 0 && !ad.explicitConsent) {
    gaps.push('explicit consent for the special category data used in targeting');
  }
  const basis = lawfulBasisGap(facts.purpose);
  if (basis !== null) gaps.push(`a complete lawful basis (${basis.replace(/\.$/, '')})`);
  if (!ad.dpiaApproved) gaps.push('an approved DPIA');
  const listBased = ad.targeting.includes('customer_list') || ad.targeting.includes('lookalike');
  const privacy =
    notice === null ||
    !notice.microTargetingExplained ||
    (listBased &&
      listMatchingGaps(notice, {
        platform: ad.platform,
        kind: ad.targeting.includes('lookalike') ? 'lookalike_seed' : 'list',
      }).length > 0);
  if (privacy) gaps.push('clear privacy information about this targeting');
  if (uncoveredJointProcessing(facts).length > 0 || !ad.processorsContracted) {
    gaps.push('processor and joint-controller arrangements');
  }
  return gaps;
}

/**
 * ONL-AD-CHECKLIST (seed guidance, "What should we consider when using online advertising?"):
 * cookie consent, explicit consent for special category data, lawful basis, DPIA, privacy
 * information and arrangements — all before a targeted ad campaign launches.
 */
export const adChecklist: Rule<AdFacts> = {
  meta: RULE_CATALOGUE['ONL-AD-CHECKLIST'],
  evaluate: (facts) => {
    if (isContextualOnly(facts.ad)) return null;
    const gaps = adChecklistGaps(facts);
    if (gaps.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `This targeted ad campaign on ${platformLabel(facts.ad.platform)} is missing ${listOf(gaps)}.`,
      remedy: 'Complete each missing item of the online advertising checklist, then decide again.',
    };
  },
};

/**
 * ONL-CONTEXTUAL-EXEMPT (PECR reg 6; UK GDPR Art 2): an advert chosen by the page's content,
 * with no storage or access on devices and no personal data, engages neither; allowed, and the
 * reasoning recorded.
 */
export const contextualExempt: Rule<AdFacts> = {
  meta: RULE_CATALOGUE['ONL-CONTEXTUAL-EXEMPT'],
  evaluate: ({ ad }) =>
    isContextualOnly(ad)
      ? {
          outcome: 'allow',
          explanation:
            'Contextual advert: it is chosen by the content of the page, stores or reads nothing on devices (PECR reg 6 is not engaged) and uses no personal data (the UK GDPR does not apply, Art 2), so the targeting checklist does not apply.',
        }
      : null,
};

export const ONLINE_RULES: readonly RuleBinding[] = [
  applies(jointControllerArrangement, [
    'activity.activate',
    'audience.build',
    'audience.lookalike_seed',
    'cookies.configure',
    'page_insights.enable',
  ]),
  applies(platformEligibility, ['activity.activate', 'audience.build', 'audience.lookalike_seed', 'ad.launch']),
  applies(adChecklist, ['ad.launch']),
  applies(contextualExempt, ['ad.launch']),
];
