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
  /** The joint processing this action starts or continues. */
  jointProcessing: readonly { platform: PlatformId; scope: Art26Scope }[];
  /** The Art 26 arrangements in force, by platform and scope. */
  arrangements: readonly { platform: PlatformId; scopes: readonly Art26Scope[] }[];
}

/** The joint processing no arrangement covers. */
export function uncoveredJointProcessing(facts: JointControllerFacts): { platform: PlatformId; scope: Art26Scope }[] {
  return facts.jointProcessing.filter(
    (j) => !facts.arrangements.some((a) => a.platform === j.platform && a.scopes.includes(j.scope)),
  );
}

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
      explanation: `The campaign and the platform are joint controllers for this, and no Art 26 arrangement covers ${listOf(missing.map((m) => `${SCOPE_LABELS[m.scope]} on ${platformLabel(m.platform)}`))}.`,
      remedy:
        'Record the joint-controller arrangement with the platform for this scope, allocating every responsibility.',
    };
  },
};

// ---------------------------------------------------------------------------------------
// ONL-PLATFORM-ELIGIBILITY
// ---------------------------------------------------------------------------------------

export interface PlatformUseFacts {
  platformUse: {
    platform: PlatformId;
    /** The campaign holds the platform's political-advertiser authorisation, where one is needed. */
    authorised: boolean;
    /** Uses a customer list: a list-based audience, or a lookalike built on one. */
    customerList: boolean;
    /** The adverts are election adverts (about a UK election, party or candidate). */
    electionAd: boolean;
    /** For an advert: its "paid for by" line (null: none); null for an audience on its own. */
    ad: { paidForBy: string | null } | null;
  };
}

/**
 * ONL-PLATFORM-ELIGIBILITY (platform policies): political targeting only where the platform's
 * policy allows it (platforms.ts).
 */
export const platformEligibility: Rule<PlatformUseFacts> = {
  meta: RULE_CATALOGUE['ONL-PLATFORM-ELIGIBILITY'],
  evaluate: ({ platformUse: use }) => {
    const policy = PLATFORM_POLICIES[use.platform];
    const problem =
      policy.politicalAds === 'banned'
        ? `${policy.label} does not allow political adverts.`
        : policy.politicalAds === 'authorisation_required' && !use.authorised
          ? `${policy.label} requires its ${policy.authorisation} before political adverts, and the campaign does not hold it.`
          : use.customerList && use.electionAd && !policy.customerListsForElectionAds
            ? `${policy.label} does not allow customer lists for UK election adverts.`
            : use.ad !== null && policy.paidForByRequired && !use.ad.paidForBy?.trim()
              ? `${policy.label} requires a "paid for by" line on political adverts, and this one has none.`
              : null;
    if (problem === null) return null;
    return {
      outcome: 'refuse',
      explanation: `${problem} (${policy.summary})`,
      remedy:
        policy.politicalAds === 'banned' || (use.customerList && !policy.customerListsForElectionAds)
          ? 'Use another platform, or another kind of targeting this platform allows.'
          : 'Complete what the platform requires, then decide again.',
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
    'audience.build',
    'audience.lookalike_seed',
    'cookies.configure',
    'page_insights.enable',
  ]),
  applies(platformEligibility, ['audience.build', 'audience.lookalike_seed', 'ad.launch']),
  applies(adChecklist, ['ad.launch']),
  applies(contextualExempt, ['ad.launch']),
];
