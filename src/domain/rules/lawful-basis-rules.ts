/**
 * Lawful basis (UK GDPR Art 6) and purpose limitation (Art 5(1)(b), 6(4)) for any processing
 * of a purpose: the basis is recorded with its reasons, "democratic engagement" is not a
 * recognised legitimate interest, and consent relied on has its evidence.
 */
import type { SourceType } from '../../shared/labels.js';
import { applies, PEOPLE_CAPABILITIES, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import {
  consentsFor,
  countOf,
  hasConsentEvidence,
  isLiveConsent,
  listOf,
  type ControllerFacts,
  type LegitimateInterestsAssessment,
  type PeopleFacts,
  type PurposeFacts,
  type PurposeRef,
} from './facts.js';
import type { Rule } from './rule.js';

/**
 * The conditions of UK GDPR Annex 1 (inserted by the Data (Use and Access) Act 2025 s.70,
 * Sch 4) that make an interest "recognised" under Art 6(1)(ea). "Democratic engagement" was in
 * the lapsed 2023 bill and is not among them.
 */
export const ANNEX_1_CONDITIONS = {
  public_task_disclosure: 'Disclosure to a person who needs it for a task in the public interest (Annex 1 para 1)',
  national_security: 'National security, public security and defence (Annex 1 para 2)',
  emergencies: 'Responding to an emergency (Annex 1 paras 3-4)',
  crime: 'Detecting, investigating or preventing crime, or apprehending or prosecuting offenders (Annex 1 para 5)',
  safeguarding: 'Safeguarding a vulnerable individual (Annex 1 paras 6-7)',
} as const;
export type Annex1Condition = keyof typeof ANNEX_1_CONDITIONS;

const isAnnex1Condition = (c: string): c is Annex1Condition => Object.hasOwn(ANNEX_1_CONDITIONS, c);

const blank = (s: string | null | undefined): boolean => !s?.trim();

/** LB-BASIS-RECORDED (Art 5(2), 6(1)): a purpose needs a recorded lawful basis. */
export const purposeBasisRecorded: Rule<PurposeFacts> = {
  meta: RULE_CATALOGUE['LB-BASIS-RECORDED'],
  evaluate: ({ purpose }) =>
    purpose.basis === null
      ? {
          outcome: 'require',
          explanation: `The purpose "${purpose.name}" has no lawful basis recorded, so no personal data can be processed for it.`,
          remedy:
            'Record the lawful basis for this purpose (public task, legitimate interests or consent), with the reasons.',
        }
      : null,
};

/** LB-PUBLIC-TASK-NECESSITY (Art 6(1)(e); DPA 2018 s.8(e)): public task needs a necessity note. */
export const publicTaskNecessity: Rule<PurposeFacts> = {
  meta: RULE_CATALOGUE['LB-PUBLIC-TASK-NECESSITY'],
  evaluate: ({ purpose }) =>
    purpose.basis?.kind === 'public_task' && blank(purpose.basis.necessityNote)
      ? {
          outcome: 'require',
          explanation: `The purpose "${purpose.name}" relies on public task (an activity that supports or promotes democratic engagement, DPA 2018 s.8(e)) without a note of why the processing is necessary for it.`,
          remedy:
            'Write the necessity note: what the democratic-engagement activity is and why this processing is needed for it.',
        }
      : null,
};

/**
 * LB-RLI-NOT-DEMOCRATIC (Art 6(1)(ea), Annex 1): a recognised legitimate interest is one of the
 * Annex 1 conditions; none of them covers campaigning.
 */
export const recognisedInterestNotDemocratic: Rule<PurposeFacts> = {
  meta: RULE_CATALOGUE['LB-RLI-NOT-DEMOCRATIC'],
  evaluate: ({ purpose }) => {
    if (purpose.basis?.kind !== 'recognised_legitimate_interest') return null;
    const condition = purpose.basis.condition?.trim() ?? '';
    const remedy =
      'Rely on public task (DPA 2018 s.8(e), with a necessity note), legitimate interests (with an assessment) or consent instead.';
    if (!isAnnex1Condition(condition)) {
      return {
        outcome: 'refuse',
        explanation: `"Recognised legitimate interest" is claimed for "${purpose.name}"${condition ? ` on the ground "${condition}"` : ''}, which is not an Annex 1 condition. Democratic engagement is not a recognised legitimate interest: it was in the lapsed 2023 bill, not in the Data (Use and Access) Act 2025.`,
        remedy,
      };
    }
    if (purpose.category === 'campaigning') {
      return {
        outcome: 'refuse',
        explanation: `"Recognised legitimate interest" (${ANNEX_1_CONDITIONS[condition]}) is claimed for campaigning; no Annex 1 condition covers campaigning.`,
        remedy,
      };
    }
    return null;
  },
};

const LIA_PARTS: readonly [keyof LegitimateInterestsAssessment, string][] = [
  ['purpose', 'the purpose test'],
  ['necessity', 'the necessity test'],
  ['balancing', 'the balancing test'],
  ['assessedOn', 'the date of the assessment'],
  ['assessedBy', 'who made it'],
];

/** LB-LI-ASSESSMENT (Art 6(1)(f)): legitimate interests need the three-part assessment. */
export const legitimateInterestsAssessment: Rule<PurposeFacts> = {
  meta: RULE_CATALOGUE['LB-LI-ASSESSMENT'],
  evaluate: ({ purpose }) => {
    if (purpose.basis?.kind !== 'legitimate_interests') return null;
    const lia = purpose.basis.assessment;
    const missing = lia === null ? [] : LIA_PARTS.filter(([k]) => blank(lia[k])).map(([, label]) => label);
    if (lia !== null && missing.length === 0) return null;
    return {
      outcome: 'require',
      explanation:
        lia === null
          ? `The purpose "${purpose.name}" relies on legitimate interests without a legitimate-interests assessment.`
          : `The legitimate-interests assessment of "${purpose.name}" lacks ${listOf(missing)}.`,
      remedy:
        'Complete the legitimate-interests assessment: the interest (purpose test), why the processing is needed (necessity test) and how it weighs against the people’s interests and expectations (balancing test).',
    };
  },
};

/** The first gap in a purpose's lawful basis, in words (used by the ad checklist). */
export function lawfulBasisGap(purpose: PurposeRef): string | null {
  for (const rule of [
    purposeBasisRecorded,
    publicTaskNecessity,
    recognisedInterestNotDemocratic,
    legitimateInterestsAssessment,
  ]) {
    const found = rule.evaluate({ purpose });
    if (found) return found.explanation;
  }
  return null;
}

/**
 * LB-CONSENT-EVIDENCE (Art 7(1),(3)): where consent is relied on — by the purpose, or for a
 * person whose data came in on consent — each person needs a consent to this controller, for
 * this purpose and channel, with its evidence (when, how, the wording and its version), not
 * withdrawn.
 */
export const consentEvidence: Rule<ControllerFacts & PurposeFacts & PeopleFacts> = {
  meta: RULE_CATALOGUE['LB-CONSENT-EVIDENCE'],
  evaluate: ({ controller, purpose, people, channel }) => {
    const purposeOnConsent = purpose.basis?.kind === 'consent';
    const relying = people.filter((p) => purposeOnConsent || p.lawfulBasis === 'consent');
    if (relying.length === 0) return null;
    let withdrawn = 0;
    let incomplete = 0;
    let none = 0;
    for (const person of relying) {
      const consents = consentsFor(person, { controllerId: controller.id, channel, purpose: purpose.name });
      if (consents.some(isLiveConsent)) continue;
      if (consents.some((c) => c.withdrawnAt !== null)) withdrawn += 1;
      else if (consents.some((c) => !hasConsentEvidence(c))) incomplete += 1;
      else none += 1;
    }
    if (withdrawn + incomplete + none === 0) return null;
    const total = people.length;
    const parts = [
      ...(withdrawn ? [`${countOf(withdrawn, total)} withdrew their consent`] : []),
      ...(incomplete
        ? [`the consent of ${countOf(incomplete, total)} lacks its evidence (when, how, the wording and its version)`]
        : []),
      ...(none
        ? [`${countOf(none, total)} gave no consent for "${purpose.name}" by ${channel.replaceAll('_', ' ')}`]
        : []),
    ];
    return {
      outcome: 'refuse',
      explanation: `This relies on consent, and ${listOf(parts)}.`,
      remedy:
        withdrawn + none > 0
          ? 'Leave out the people without a standing consent; record the missing evidence where consent was given.'
          : 'Record when, how and with what wording each consent was given, or leave those people out.',
    };
  },
};

/** Where data was collected for something else than campaigning (PURP-COMPATIBLE-REUSE). */
export const OTHER_PURPOSE_SOURCES: readonly SourceType[] = ['petition', 'survey', 'casework'];

export interface DataReuseFacts {
  reuse: {
    /** The kinds of source the reused data comes from. */
    sourceTypes: readonly SourceType[];
    /** The Art 6(4) compatibility assessment, if one was made. */
    compatibilityAssessment: string | null;
  };
}

/**
 * PURP-COMPATIBLE-REUSE (Art 5(1)(b), 6(4)): petition, survey or casework data reused for
 * campaigning needs a compatibility assessment or consent. A warning, as at import (issue 3).
 */
export const compatibleReuseForPurpose: Rule<PurposeFacts & DataReuseFacts> = {
  meta: RULE_CATALOGUE['PURP-COMPATIBLE-REUSE'],
  evaluate: ({ purpose, reuse }) => {
    const from = OTHER_PURPOSE_SOURCES.filter((t) => reuse.sourceTypes.includes(t));
    if (from.length === 0 || purpose.category !== 'campaigning') return null;
    if (purpose.basis?.kind === 'consent' || !blank(reuse.compatibilityAssessment)) return null;
    return {
      outcome: 'warn',
      explanation: `Data collected through ${listOf(from.map((t) => (t === 'casework' ? 'casework' : `a ${t}`)))} is being reused for campaigning ("${purpose.name}") without a compatibility assessment or consent: people may not expect it.`,
      remedy: 'Record a compatibility assessment (Art 6(4)) for this reuse, or rely on consent.',
    };
  },
};

/** The four checks of a purpose's basis: every capability that processes for a purpose. */
const PURPOSE_CAPABILITIES = [
  'data.reuse',
  'activity.activate',
  'collection.open',
  ...PEOPLE_CAPABILITIES,
  'processor.share',
] as const;

export const LAWFUL_BASIS_RULES: readonly RuleBinding[] = [
  applies(purposeBasisRecorded, PURPOSE_CAPABILITIES),
  applies(publicTaskNecessity, PURPOSE_CAPABILITIES),
  applies(recognisedInterestNotDemocratic, PURPOSE_CAPABILITIES),
  applies(legitimateInterestsAssessment, PURPOSE_CAPABILITIES),
  applies(consentEvidence, PEOPLE_CAPABILITIES),
  applies(compatibleReuseForPurpose, ['data.reuse']),
];
