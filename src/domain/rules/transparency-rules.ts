/**
 * Transparency (UK GDPR Arts 5(1)(a), 13, 14). Privacy information at collection; the Art
 * 14(5)(b) exemption only with its safeguards; and, for online targeting, the ICO's point that
 * list matching and lookalikes must be explained "clearly and prominently", not buried in the
 * privacy notice (ICO, political campaigning online: list-based targeting).
 */
import type { ConsentChannel } from '../../shared/labels.js';
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { agree, countOf, listOf, type PeopleFacts, type PurposeFacts } from './facts.js';
import { platformLabel, type PlatformId } from './platforms.js';
import type { Rule } from './rule.js';
import type { ProfilingFacts, TargetingFacts } from './special-category-rules.js';

/** What one published version of the campaign's privacy notice explains. */
export interface NoticeCoverage {
  version: string;
  /**
   * How it explains matching people's details with social-media platforms: in plain words in
   * a section of its own near the top, before the rights section ('prominent'); only further
   * down ('buried'); or not at all.
   */
  listMatching: 'prominent' | 'buried' | 'absent';
  /** The platforms the list-matching section names. */
  platformsNamed: readonly PlatformId[];
  lookalikesExplained: boolean;
  profilingExplained: boolean;
  /** Selecting people for messages by their perceived characteristics (micro-targeting). */
  microTargetingExplained: boolean;
}

export interface NoticeFacts {
  notices: {
    /** The version published now, if any. */
    current: NoticeCoverage | null;
    /** Every version people were given (the person record keeps which one). */
    versions: readonly NoticeCoverage[];
  };
}

// ---------------------------------------------------------------------------------------
// TR-ART13-AT-COLLECTION
// ---------------------------------------------------------------------------------------

/** What Art 13 requires at the time the data is obtained from the person. */
export const ART13_ITEMS = {
  controller_identity: 'who the controller is and how to contact them (Art 13(1)(a))',
  dpo_contact: 'the DPO’s contact details (Art 13(1)(b))',
  purposes_and_basis: 'the purposes and their lawful basis (Art 13(1)(c))',
  legitimate_interests: 'the legitimate interests pursued (Art 13(1)(d))',
  recipients: 'the recipients (Art 13(1)(e))',
  transfers: 'transfers outside the UK and their safeguards (Art 13(1)(f))',
  retention: 'how long the data is kept (Art 13(2)(a))',
  rights: 'the person’s rights, including to object (Art 13(2)(b))',
  withdraw_consent: 'the right to withdraw consent (Art 13(2)(c))',
  complain: 'the right to complain to the ICO (Art 13(2)(d))',
  requirement: 'whether giving the data is required and what happens if not (Art 13(2)(e))',
  automated_decisions: 'automated decision-making, including profiling (Art 13(2)(f))',
} as const;
export type Art13Item = keyof typeof ART13_ITEMS;

export const COLLECTION_POINT_KINDS = [
  'web_form',
  'canvass_script',
  'phone_script',
  'paper_form',
  'event_signup',
  'petition',
  'survey',
] as const;
export type CollectionPointKind = (typeof COLLECTION_POINT_KINDS)[number];

export interface CollectionFacts {
  collection: {
    kind: CollectionPointKind;
    name: string;
    /** The privacy information given where the data is collected (layers included), or null. */
    privacyInformation: { noticeVersion: string; covers: readonly Art13Item[] } | null;
    dpoAppointed: boolean;
    transfersOutsideUk: boolean;
    automatedDecisions: boolean;
  };
}

/** The Art 13 items this collection must give, given its facts. */
export function requiredArt13Items(facts: CollectionFacts & PurposeFacts): Art13Item[] {
  const { collection, purpose } = facts;
  return [
    'controller_identity',
    ...(collection.dpoAppointed ? (['dpo_contact'] as const) : []),
    'purposes_and_basis',
    ...(purpose.basis?.kind === 'legitimate_interests' ? (['legitimate_interests'] as const) : []),
    'recipients',
    ...(collection.transfersOutsideUk ? (['transfers'] as const) : []),
    'retention',
    'rights',
    ...(purpose.basis?.kind === 'consent' ? (['withdraw_consent'] as const) : []),
    'complain',
    'requirement',
    ...(collection.automatedDecisions ? (['automated_decisions'] as const) : []),
  ];
}

const COLLECTION_LABELS: Record<CollectionPointKind, string> = {
  web_form: 'web form',
  canvass_script: 'canvassing script',
  phone_script: 'phone script',
  paper_form: 'paper form',
  event_signup: 'event sign-up',
  petition: 'petition',
  survey: 'survey',
};

/** TR-ART13-AT-COLLECTION (Art 13): a form or script gives the privacy information as it collects. */
export const art13AtCollection: Rule<CollectionFacts & PurposeFacts> = {
  meta: RULE_CATALOGUE['TR-ART13-AT-COLLECTION'],
  evaluate: (facts) => {
    const { collection } = facts;
    const what = `The ${COLLECTION_LABELS[collection.kind]} "${collection.name}"`;
    if (collection.privacyInformation === null) {
      return {
        outcome: 'refuse',
        explanation: `${what} collects personal data without giving privacy information.`,
        remedy:
          'Show the privacy information where the data is collected (a short notice with a link to the full one).',
      };
    }
    const covered = new Set(collection.privacyInformation.covers);
    const missing = requiredArt13Items(facts).filter((item) => !covered.has(item));
    if (missing.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The privacy information of ${what.charAt(0).toLowerCase()}${what.slice(1)} does not say ${listOf(missing.map((m) => ART13_ITEMS[m]))}.`,
      remedy: 'Add the missing information to the notice this collection shows or links to.',
    };
  },
};

// ---------------------------------------------------------------------------------------
// TR-DISPROPORTIONATE-EFFORT
// ---------------------------------------------------------------------------------------

export interface Art14ExemptionFacts {
  art14Exemption: {
    /** Art 14(5)(b) claimed: telling each person would be impossible or take disproportionate effort. */
    claimed: boolean;
    /** Why, weighed against the effect on the people. */
    assessment: string | null;
    /** Where the information is made publicly available (the "appropriate measures" of Art 14(5)(b)). */
    publicNoticeUrl: string | null;
    /** An approved DPIA covers the processing: it is invisible processing (ICO high-risk list). */
    dpiaApproved: boolean;
  };
}

/** TR-DISPROPORTIONATE-EFFORT (Art 14(5)(b)): the claim needs an assessment, a public notice and a DPIA. */
export const disproportionateEffort: Rule<Art14ExemptionFacts> = {
  meta: RULE_CATALOGUE['TR-DISPROPORTIONATE-EFFORT'],
  evaluate: ({ art14Exemption: e }) => {
    if (!e.claimed) return null;
    const missing = [
      ...(!e.assessment?.trim() ? ['the assessment of why telling each person is disproportionate'] : []),
      ...(!e.publicNoticeUrl?.trim() ? ['a public notice'] : []),
      ...(!e.dpiaApproved ? ['an approved DPIA (this is invisible processing)'] : []),
    ];
    if (missing.length === 0) return null;
    return {
      outcome: 'require',
      explanation: `Not telling people individually (Art 14(5)(b)) is claimed without ${listOf(missing)}.`,
      remedy: 'Record the assessment, publish the information and link the approved DPIA — or send the Art 14 notices.',
    };
  },
};

// ---------------------------------------------------------------------------------------
// TR-LIST-MATCHING-DISCLOSED
// ---------------------------------------------------------------------------------------

export interface AudienceFacts {
  audience: {
    platform: PlatformId;
    /** A list-based audience, or a list uploaded as the seed of a lookalike audience. */
    kind: 'list' | 'lookalike_seed';
  };
}

/** The consent channel each kind of audience needs (the consent ledger's names). */
export const AUDIENCE_CHANNEL: Record<AudienceFacts['audience']['kind'], ConsentChannel> = {
  list: 'social_list_matching',
  lookalike_seed: 'lookalike_seeding',
};

/** What a notice version fails to explain about this audience (empty: it explains it). */
export function listMatchingGaps(notice: NoticeCoverage, audience: AudienceFacts['audience']): string[] {
  const gaps: string[] = [];
  if (notice.listMatching === 'absent') gaps.push('does not explain matching people’s details with platforms');
  if (notice.listMatching === 'buried') gaps.push('explains list matching only further down, not prominently');
  if (notice.listMatching !== 'absent' && !notice.platformsNamed.includes(audience.platform)) {
    gaps.push(`does not name ${platformLabel(audience.platform)}`);
  }
  if (audience.kind === 'lookalike_seed' && !notice.lookalikesExplained)
    gaps.push('does not explain lookalike audiences');
  return gaps;
}

/**
 * TR-LIST-MATCHING-DISCLOSED (Arts 5(1)(a),(b), 13, 14; ICO guidance): a list-based or lookalike
 * audience needs the published notice — and the notice each person was given — to explain it
 * prominently, naming the platform.
 */
export const listMatchingDisclosed: Rule<AudienceFacts & NoticeFacts & PeopleFacts> = {
  meta: RULE_CATALOGUE['TR-LIST-MATCHING-DISCLOSED'],
  evaluate: ({ audience, notices, people }) => {
    const problems: string[] = [];
    if (notices.current === null) problems.push('the campaign has no published privacy notice');
    else {
      const gaps = listMatchingGaps(notices.current, audience);
      if (gaps.length > 0) problems.push(`the published privacy notice ${listOf(gaps)}`);
    }
    const byVersion = new Map(notices.versions.map((v) => [v.version, v]));
    const uninformed = people.filter((p) => {
      const given = p.noticeVersion === null ? undefined : byVersion.get(p.noticeVersion);
      return given === undefined || listMatchingGaps(given, audience).length > 0;
    }).length;
    if (uninformed > 0) {
      problems.push(
        `${countOf(uninformed, people.length)} ${agree(uninformed, 'was', 'were')} not given a notice that explains it`,
      );
    }
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `People must be told clearly and prominently that their details are matched with ${platformLabel(audience.platform)}${audience.kind === 'lookalike_seed' ? ' to find similar people' : ''}; ${listOf(problems)}.`,
      remedy:
        'Publish a notice with a plain-words section near the top on list matching that names the platform, and give it to the people before they are uploaded (or leave out those not yet told).',
    };
  },
};

// ---------------------------------------------------------------------------------------
// TR-PROFILING-DISCLOSED
// ---------------------------------------------------------------------------------------

const noticeRemedy =
  'Add a section to the privacy notice explaining what is inferred or selected, from what data and why, and publish the new version.';

/** TR-PROFILING-DISCLOSED (Arts 13, 14): profiling is explained in the privacy notice. */
export const profilingDisclosed: Rule<ProfilingFacts & NoticeFacts> = {
  meta: RULE_CATALOGUE['TR-PROFILING-DISCLOSED'],
  evaluate: ({ profiling, notices }) =>
    notices.current?.profilingExplained
      ? null
      : {
          outcome: 'refuse',
          explanation: `This profiling${profiling.inferences.length > 0 ? ` (${listOf(profiling.inferences.map((i) => i.attribute))})` : ''} is not explained in the published privacy notice${notices.current === null ? ' (there is none)' : ''}.`,
          remedy: noticeRemedy,
        },
};

/** TR-PROFILING-DISCLOSED (Arts 13, 14): selecting people by their characteristics (micro-targeting) is explained. */
export const microTargetingDisclosed: Rule<TargetingFacts & NoticeFacts> = {
  meta: RULE_CATALOGUE['TR-PROFILING-DISCLOSED'],
  evaluate: ({ targeting, notices }) =>
    targeting.criteria.length === 0 || notices.current?.microTargetingExplained
      ? null
      : {
          outcome: 'refuse',
          explanation: `People are selected by ${listOf(targeting.criteria.map((c) => c.name))} (micro-targeting), which the published privacy notice does not explain${notices.current === null ? ' (there is none)' : ''}.`,
          remedy: noticeRemedy,
        },
};

export const TRANSPARENCY_RULES: readonly RuleBinding[] = [
  applies(art13AtCollection, ['collection.open']),
  applies(disproportionateEffort, ['activity.activate']),
  applies(listMatchingDisclosed, ['audience.build', 'audience.lookalike_seed']),
  applies(profilingDisclosed, ['profiling.run']),
  applies(microTargetingDisclosed, ['audience.build', 'audience.lookalike_seed']),
];
