/**
 * The rules that guard the governance records (issue 4): a processing activity may become
 * active — and so may the processing it describes — only when its record is complete
 * (Art 30), every joint-controller arrangement it relies on leaves no responsibility
 * unassigned (Art 26), every processor it shares data with has the Art 28(3) terms, and
 * every transfer outside the UK has a mechanism (Arts 44A, 45A, 46).
 *
 * Pure functions of facts. Three entry points: the activity (GOVERNANCE_RULES, which the
 * rules engine registers), and a processor or an arrangement on its own (what their pages
 * show). The activity rules apply the record rules to each linked record, so both say the
 * same thing.
 */
import {
  ART28_TERM_LABELS,
  CAPABILITY_LABELS,
  arrangementGaps,
  arrangementLabel,
  jointControllerCapabilities,
  missingActivityFields,
  missingArt28Terms,
  processorTransfers,
  reviewStatus,
  segregationConcerns,
  transferProblem,
  usesParagraph22,
  type ActivityFields,
  type ArrangementFields,
  type ControllerFacts,
  type ProcessorFields,
  type TransferProblem,
} from '../governance.js';
import { scopeEligibility } from '../platforms.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { decide, type Decision, type Rule } from './rule.js';

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

/** What the arrangement rules read: the arrangements and the date. */
export interface ArrangementRuleFacts {
  arrangements: readonly ArrangementFacts[];
  /** The date the decision is made on, YYYY-MM-DD (for review dates). */
  today: string;
}

/** What the processor rules read. */
export interface ProcessorRuleFacts {
  processors: readonly ProcessorFacts[];
}

export interface ActivityFacts extends ArrangementRuleFacts, ProcessorRuleFacts {
  controller: ControllerFacts;
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

export const ropaComplete: Rule<ActivityFacts> = {
  meta: RULE_CATALOGUE['ROPA-COMPLETE'],
  evaluate: ({ activity, controller }) => {
    const missing = missingActivityFields(activity, controller);
    if (missing.length === 0) return null;
    return {
      outcome: 'require',
      explanation: `The record of this processing activity is incomplete (UK GDPR Art 30(1)). Missing: ${missing.map((m) => m.label).join(', ')}.`,
      remedy: 'Fill in each missing field on the activity, then activate it.',
    };
  },
};

export const paragraph22Eligible: Rule<ActivityFacts> = {
  meta: RULE_CATALOGUE['SCD-P22-ELIGIBLE'],
  evaluate: ({ activity, controller }) => {
    if (!usesParagraph22(activity) || controller.controllerType === 'registered_party') return null;
    return {
      // [U] in the research notes: decide() makes it a warning until the DPO confirms the rule.
      outcome: 'refuse',
      explanation:
        'DPA 2018 Sch 1 para 22 is a condition for registered political parties, and this campaign is not recorded as one.',
      remedy:
        "Rely on another Art 9 condition (explicit consent, or Art 9(2)(d) for a not-for-profit body's members), or correct the campaign's controller type if it is a registered party.",
    };
  },
};

export const jointControllerArrangementLinked: Rule<ActivityFacts> = {
  meta: RULE_CATALOGUE['ONL-JOINT-CONTROLLER'],
  evaluate: ({ activity, arrangements }) => {
    const uncovered = jointControllerCapabilities(activity.capabilities).filter(
      (scope) => !arrangements.some((a) => a.scope === scope),
    );
    if (uncovered.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The campaign and the platform are joint controllers for ${uncovered.map((s) => CAPABILITY_LABELS[s].toLowerCase()).join(', ')}, and no Art 26 arrangement for ${uncovered.length === 1 ? 'it' : 'them'} is linked to this activity.`,
      remedy: 'Record the arrangement with each platform (Joint controllers) and link it to the activity.',
    };
  },
};

export const arrangementHasNoGaps: Rule<ArrangementRuleFacts> = {
  meta: RULE_CATALOGUE['ONL-ARRANGEMENT-GAPS'],
  evaluate: ({ arrangements }) => {
    const gaps = arrangements.flatMap((a) => arrangementGapText(a) ?? []);
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
  evaluate: ({ arrangements, today }) => {
    const due = arrangements.flatMap((a) => {
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

export const platformEligible: Rule<ArrangementRuleFacts> = {
  meta: RULE_CATALOGUE['ONL-PLATFORM-ELIGIBILITY'],
  evaluate: ({ arrangements }) => {
    const forbidden: string[] = [];
    const unconfirmed: string[] = [];
    for (const a of arrangements) {
      const e = scopeEligibility(a.platform, a.scope);
      if (e.status === 'forbidden') forbidden.push(`${arrangementLabel(a)} — ${e.explanation}`);
      else if ((e.status === 'conditional' || e.status === 'unknown') && !a.eligibilityConfirmation?.trim()) {
        unconfirmed.push(
          e.status === 'conditional'
            ? `${arrangementLabel(a)} — needs: ${e.condition ?? ''}`
            : `${arrangementLabel(a)} — the platform's political-ads policy has not been checked`,
        );
      }
    }
    if (forbidden.length > 0) {
      return {
        outcome: 'refuse',
        explanation: `The platform's policy forbids this political targeting for UK campaigns: ${list(forbidden)}.`,
        remedy: 'Remove the platform from this activity, or the capability it forbids.',
      };
    }
    if (unconfirmed.length > 0) {
      return {
        outcome: 'warn',
        explanation: `The platform allows political advertising only on a condition that is not recorded as met: ${list(unconfirmed)}.`,
        remedy: 'Record on the arrangement how the condition is met (e.g. the authorisation reference).',
      };
    }
    return null;
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

export const transfersHaveMechanism: Rule<ActivityFacts> = {
  meta: RULE_CATALOGUE['XFER-MECHANISM'],
  evaluate: ({ activity, processors }) =>
    transferFinding([
      ...(activity.transfers ?? []).flatMap(
        (t) => transferProblem(t, `the activity sends data to ${t.recipient || 'a recipient'} in ${t.country}`) ?? [],
      ),
      ...processors.flatMap(processorTransferProblems),
    ]),
};

/** The rules an activity must pass before it is activated (and while it stays active). */
export const GOVERNANCE_RULES: readonly Rule<ActivityFacts>[] = [
  ropaComplete,
  paragraph22Eligible,
  jointControllerArrangementLinked,
  arrangementHasNoGaps,
  arrangementReviewed,
  platformEligible,
  processorsHaveArt28Terms,
  processorsSegregate,
  transfersHaveMechanism,
];

export const decideActivity = (facts: ActivityFacts): Decision => decide(GOVERNANCE_RULES, facts);

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
export const ARRANGEMENT_RULES: readonly Rule<ArrangementRuleFacts>[] = [
  arrangementHasNoGaps,
  arrangementReviewed,
  platformEligible,
];

export const decideArrangement = (arrangement: ArrangementFacts, today: string): Decision =>
  decide(ARRANGEMENT_RULES, { arrangements: [arrangement], today });
