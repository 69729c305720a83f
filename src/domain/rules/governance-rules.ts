/**
 * The rules that guard the governance records (issue 4): a processing activity may become
 * active — and so may the processing it describes — only when its record is complete
 * (Art 30), every joint-controller arrangement it relies on leaves no responsibility
 * unassigned (Art 26), every processor it shares data with has the Art 28(3) terms, and
 * every transfer outside the UK has a mechanism (Arts 44A, 45A, 46).
 *
 * Pure functions of facts. Activation is decided by the rules engine (`decideAction` with
 * `activity.activate` and `activityActivateFacts(record)`), which also runs the lawful-basis,
 * special-category (SCD-P22-ELIGIBLE), joint-controller and platform rules of the other files
 * on the same record. A processor or an arrangement on its own is decided here (what their
 * pages show), by the same rules, so both say the same thing.
 */
import { SCHEDULE1_POLITICAL_PARTIES_PARAGRAPH } from '../../shared/governance.js';
import { isControllerType, SPECIAL_CATEGORY_LABELS } from '../../shared/labels.js';
import {
  ART28_TERM_LABELS,
  arrangementGaps,
  arrangementLabel,
  jointControllerCapabilities,
  missingActivityFields,
  missingArt28Terms,
  processorTransfers,
  reviewStatus,
  segregationConcerns,
  transferProblem,
  type ActivityFields,
  type ArrangementFields,
  type ControllerRecord,
  type ProcessorFields,
  type SpecialCategoryUse,
  type TransferProblem,
} from '../governance.js';
import type { ActivityActivateFacts } from './capabilities.js';
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import type { LawfulBasisClaim } from './facts.js';
import { platformEligibility, type PlannedPlatformUseFacts } from './online-rules.js';
import { decide, type Decision, type Rule } from './rule.js';
import type { Art9Condition, Art9ConditionClaim } from './special-category-rules.js';

/** A linked arrangement, as the rules need it. */
export type ArrangementFacts = Pick<
  ArrangementFields,
  'platform' | 'platformName' | 'scope' | 'responsibilities' | 'essence' | 'eligibilityConfirmation' | 'reviewDueOn'
>;

/** A linked processor, as the rules need it. */
export type ProcessorFacts = Pick<
  ProcessorFields,
  'name' | 'art28Terms' | 'hosting' | 'subProcessors' | 'segregation' | 'serviceImprovement' | 'serviceImprovementNote'
>;

/** What the arrangement rules read: the arrangements the activity relies on, and the date. */
export interface ArrangementRuleFacts {
  linkedArrangements: readonly ArrangementFacts[];
  /** The date the decision is made on, YYYY-MM-DD (for review dates). */
  today: string;
}

/** What the processor rules read. */
export interface ProcessorRuleFacts {
  processors: readonly ProcessorFacts[];
}

/** An activity's record and the records linked to it, as activation reads them. */
export interface ActivityRecordFacts extends ArrangementRuleFacts, ProcessorRuleFacts {
  /** The controller as the record of processing names it (Art 30(1)(a)). */
  controllerRecord: ControllerRecord;
  activity: ActivityFields;
}

const list = (items: readonly string[]): string => items.join('; ');

// ---------------------------------------------------------------------------------------
// One processor, one arrangement
// ---------------------------------------------------------------------------------------

/** CTRL-ART28-CONTRACT for one processor: the terms its contract lacks, or null. */
export function art28Gap(p: ProcessorFacts): string | null {
  const missing = missingArt28Terms(p);
  if (missing.length === 0) return null;
  return `${p.name}'s contract lacks ${missing.map((t) => `${ART28_TERM_LABELS[t].citation} (${ART28_TERM_LABELS[t].label})`).join(', ')}`;
}

/** XFER-MECHANISM for one processor and its sub-processors. */
export function processorTransferProblems(p: ProcessorFacts): TransferProblem[] {
  // "It is vital that you know … where the platform hosts the data" (ICO guidance).
  const unknown: TransferProblem[] =
    p.hosting.length === 0
      ? [{ outcome: 'refuse', message: `where ${p.name} hosts or accesses the data is not recorded` }]
      : [];
  return [
    ...unknown,
    ...processorTransfers(p).flatMap(({ where, transfer }) => transferProblem(transfer, where) ?? []),
  ];
}

/** ONL-ARRANGEMENT-GAPS for one arrangement: what it leaves open, or null. */
export function arrangementGapText(a: ArrangementFacts): string | null {
  const gaps = arrangementGaps(a);
  return gaps.length === 0 ? null : `${arrangementLabel(a)}: ${gaps.map((g) => g.label).join(', ')}`;
}

function transferFinding(problems: TransferProblem[]): ReturnType<Rule<unknown>['evaluate']> {
  if (problems.length === 0) return null;
  const refused = problems.some((p) => p.outcome === 'refuse');
  return {
    outcome: refused ? 'refuse' : 'warn',
    explanation: `Personal data leaves the UK without a valid transfer mechanism: ${list(problems.map((p) => p.message))}.`,
    remedy:
      'For each country outside the UK, record the mechanism: an approved country (UK adequacy regulations); an IDTA or the UK Addendum, each with its transfer risk assessment; or, for the US, a recipient certified under the Data Privacy Framework UK Extension, with the date the certification was checked.',
  };
}

// ---------------------------------------------------------------------------------------
// Activity rules
// ---------------------------------------------------------------------------------------

export const ropaComplete: Rule<ActivityRecordFacts> = {
  meta: RULE_CATALOGUE['ROPA-COMPLETE'],
  evaluate: ({ activity, controllerRecord }) => {
    const missing = missingActivityFields(activity, controllerRecord);
    if (missing.length === 0) return null;
    return {
      outcome: 'require',
      explanation: `The record of this processing activity is incomplete (UK GDPR Art 30(1)). Missing: ${missing.map((m) => m.label).join(', ')}.`,
      remedy: 'Fill in each missing field on the activity, then activate it.',
    };
  },
};

export const arrangementHasNoGaps: Rule<ArrangementRuleFacts> = {
  meta: RULE_CATALOGUE['ONL-ARRANGEMENT-GAPS'],
  evaluate: ({ linkedArrangements }) => {
    const gaps = linkedArrangements.flatMap((a) => arrangementGapText(a) ?? []);
    if (gaps.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `An Art 26 arrangement this activity relies on leaves responsibilities open — ${list(gaps)}.`,
      remedy:
        'Assign each responsibility to the campaign, the platform or both (saying who does what when shared), and write the essence of the arrangement for individuals.',
    };
  },
};

export const arrangementReviewed: Rule<ArrangementRuleFacts> = {
  meta: RULE_CATALOGUE['ONL-ARRANGEMENT-GAPS'],
  evaluate: ({ linkedArrangements, today }) => {
    const due = linkedArrangements.flatMap((a) => {
      const status = reviewStatus(a, today);
      if (status === 'overdue') return [`${arrangementLabel(a)} (review was due ${a.reviewDueOn})`];
      if (status === 'not_scheduled') return [`${arrangementLabel(a)} (no review date)`];
      return [];
    });
    if (due.length === 0) return null;
    return {
      outcome: 'warn',
      explanation: `What happens in practice counts, not the paper (ICO guidance), and these arrangements are not kept under review: ${list(due)}.`,
      remedy: 'Review each arrangement against what the platform does now, and set the next review date.',
    };
  },
};

export const processorsHaveArt28Terms: Rule<ProcessorRuleFacts> = {
  meta: RULE_CATALOGUE['CTRL-ART28-CONTRACT'],
  evaluate: ({ processors }) => {
    const gaps = processors.flatMap((p) => art28Gap(p) ?? []);
    if (gaps.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `Personal data may be shared only with processors bound by every Art 28(3) term: ${list(gaps)}.`,
      remedy: "Amend the contract (or the processor's data processing terms) and record where each term is.",
    };
  },
};

export const processorsSegregate: Rule<ProcessorRuleFacts> = {
  meta: RULE_CATALOGUE['CTRL-SEGREGATION'],
  evaluate: ({ processors }) => {
    const concerns = processors.flatMap((p) => {
      const c = segregationConcerns(p);
      return c.length === 0 ? [] : [`${p.name} ${c.join(' and ')}`];
    });
    if (concerns.length === 0) return null;
    return {
      outcome: 'warn',
      explanation: `Campaign platforms hold many campaigns' data: ${list(concerns)}.`,
      remedy:
        'Ask the processor how each campaign is segregated and whether it uses campaign data for its own purposes, and record the answers.',
    };
  },
};

export const transfersHaveMechanism: Rule<ActivityRecordFacts> = {
  meta: RULE_CATALOGUE['XFER-MECHANISM'],
  evaluate: ({ activity, processors }) =>
    transferFinding([
      ...(activity.transfers ?? []).flatMap(
        (t) => transferProblem(t, `the activity sends data to ${t.recipient || 'a recipient'} in ${t.country}`) ?? [],
      ),
      ...processors.flatMap(processorTransferProblems),
    ]),
};

/**
 * The governance rules, bound to the capabilities they guard: activation of a processing
 * activity (with the lawful-basis, special-category, joint-controller and platform rules the
 * other rule files bind to it), and sharing data with a processor.
 */
export const GOVERNANCE_RULES: readonly RuleBinding[] = [
  applies(ropaComplete, ['activity.activate']),
  // An upload relies on the arrangement with the platform as much as the activity does.
  applies(arrangementHasNoGaps, ['activity.activate', 'audience.build', 'audience.lookalike_seed']),
  applies(arrangementReviewed, ['activity.activate', 'audience.build', 'audience.lookalike_seed']),
  applies(processorsHaveArt28Terms, ['activity.activate', 'processor.share']),
  applies(processorsSegregate, ['activity.activate', 'processor.share']),
  applies(transfersHaveMechanism, ['activity.activate']),
];

// ---------------------------------------------------------------------------------------
// From the record to the facts of activation
// ---------------------------------------------------------------------------------------

/** The Art 9 condition the record names, in the rules' terms (null: none recorded). */
function art9ConditionOf(use: SpecialCategoryUse): Art9Condition | null {
  switch (use.condition) {
    case null:
      return null;
    case 'not_for_profit_body':
      return 'not_for_profit_members';
    case 'made_public':
      return 'manifestly_made_public';
    case 'substantial_public_interest':
      return use.schedule1Paragraph === SCHEDULE1_POLITICAL_PARTIES_PARAGRAPH ? 'dpa_sch1_para22' : 'dpa_sch1_other';
    default:
      return use.condition;
  }
}

/** The lawful basis an activity's record names, with what it carries, as the lawful-basis rules read it. */
export function lawfulBasisClaimOf(
  activity: Pick<ActivityFields, 'lawfulBasis' | 'lawfulBasisNote' | 'legitimateInterestsAssessment'>,
): LawfulBasisClaim | null {
  switch (activity.lawfulBasis) {
    case null:
      return null;
    case 'public_task':
      return { kind: 'public_task', necessityNote: activity.lawfulBasisNote };
    case 'legitimate_interests': {
      const lia = activity.legitimateInterestsAssessment;
      return {
        kind: 'legitimate_interests',
        assessment: lia && {
          purpose: lia.purpose,
          necessity: lia.necessity,
          balancing: lia.balancing,
          assessedOn: lia.assessedOn ?? '',
          assessedBy: lia.assessedBy,
        },
      };
    }
    default:
      return { kind: activity.lawfulBasis };
  }
}

/** The platform uses the linked arrangements plan (ONL-PLATFORM-ELIGIBILITY). */
export const plannedPlatformUses = (
  arrangements: readonly ArrangementFacts[],
): PlannedPlatformUseFacts['plannedPlatformUses'] =>
  arrangements.map((a) => ({
    platform: a.platform,
    label: arrangementLabel(a),
    scope: a.scope,
    conditionMet: a.eligibilityConfirmation,
  }));

/**
 * The facts of `activity.activate` for an activity's record: the record itself (ROPA, Art 26,
 * Art 28, transfers), and the same record read as the other rules read any processing — its
 * purpose and lawful basis, its special category data with their Art 9 conditions, the
 * joint processing its capabilities start, and the platforms its arrangements name.
 */
export function activityActivateFacts(record: ActivityRecordFacts & { campaignId: string }): ActivityActivateFacts {
  const { activity, controllerRecord } = record;
  const specialCategories = activity.specialCategories;
  const apd = activity.appropriatePolicyDocument?.trim() ? { reference: activity.appropriatePolicyDocument } : null;
  return {
    controllerRecord,
    activity,
    linkedArrangements: record.linkedArrangements,
    processors: record.processors,
    today: record.today,
    controller: {
      id: record.campaignId,
      name: controllerRecord.name,
      type: isControllerType(controllerRecord.controllerType) ? controllerRecord.controllerType : 'other',
    },
    purpose: {
      name: activity.name,
      // The record of processing does not classify purposes; no rule checked on activation
      // reads the category (the register and reuse rules are checked where data is used).
      category: 'other',
      basis: lawfulBasisClaimOf(activity),
    },
    specialCategory: {
      processed: specialCategories.map((s) => ({
        attribute: s.note.trim() || SPECIAL_CATEGORY_LABELS[s.category],
        category: s.category,
        inferred: s.inferred,
      })),
      conditions: specialCategories.flatMap((s): Art9ConditionClaim[] => {
        const condition = art9ConditionOf(s);
        return condition === null ? [] : [{ category: s.category, condition, appropriatePolicyDocument: apd }];
      }),
    },
    // The record of processing holds no Art 14(5)(b) claim: people are told (Art 14 notices).
    art14Exemption: { claimed: false, assessment: null, publicNoticeUrl: null, dpiaApproved: false },
    jointProcessing: jointControllerCapabilities(activity.capabilities).map((scope) => ({ platform: null, scope })),
    arrangements: record.linkedArrangements.map((a) => ({ platform: a.platform, scopes: [a.scope] })),
    plannedPlatformUses: plannedPlatformUses(record.linkedArrangements),
  };
}

// ---------------------------------------------------------------------------------------
// A processor or an arrangement on its own (their pages and the DPO's list of gaps)
// ---------------------------------------------------------------------------------------

export const processorTransfersHaveMechanism: Rule<ProcessorRuleFacts> = {
  meta: RULE_CATALOGUE['XFER-MECHANISM'],
  evaluate: ({ processors }) => transferFinding(processors.flatMap(processorTransferProblems)),
};

/** A processor's findings: the same rules an activity applies to it when it shares data. */
export const PROCESSOR_RULES: readonly Rule<ProcessorRuleFacts>[] = [
  processorsHaveArt28Terms,
  processorsSegregate,
  processorTransfersHaveMechanism,
];

export const decideProcessor = (processor: ProcessorFacts): Decision =>
  decide(PROCESSOR_RULES, { processors: [processor] });

/** An arrangement's findings on `today`: the same rules an activity applies to it. */
export const ARRANGEMENT_RULES: readonly Rule<ArrangementRuleFacts & PlannedPlatformUseFacts>[] = [
  arrangementHasNoGaps,
  arrangementReviewed,
  platformEligibility,
];

export const decideArrangement = (arrangement: ArrangementFacts, today: string): Decision =>
  decide(ARRANGEMENT_RULES, {
    linkedArrangements: [arrangement],
    today,
    plannedPlatformUses: plannedPlatformUses([arrangement]),
  });
