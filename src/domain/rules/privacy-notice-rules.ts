/**
 * The rules a privacy notice must pass before it is published (UK GDPR Arts 12-14, 21(4),
 * 26(2), 44A-46): each section of src/domain/privacy-notice.ts must be writable from the
 * campaign's records, and a section that cannot be written refuses the publication with the
 * rule id of the duty it serves. Most important among them: TR-LIST-MATCHING-DISCLOSED — the
 * plain-words section on matching people's details with social-media platforms names each
 * platform and states the essence of the arrangement (ICO: list matching must not be buried).
 */
import {
  arrangementFor,
  blank,
  has,
  isUk,
  LIST_SCOPES,
  listOf,
  objectionHref,
  profilingActivities,
  SPECIAL_CATEGORY_WORDS,
  type NoticeInput,
} from '../privacy-notice.js';
import { countryName } from '../governance.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { applies, type RuleBinding } from './capabilities.js';
import type { Rule } from './rule.js';

type NoticeRule = Rule<NoticeInput>;

const LIST_SCOPE_LABEL: Record<(typeof LIST_SCOPES)[number], string> = {
  custom_audiences: 'custom audiences',
  lookalikes: 'lookalike audiences',
};

/**
 * TR-LIST-MATCHING-DISCLOSED (Arts 5(1)(a),(b), 13, 14; ICO guidance): the list-matching
 * section names each platform and states the essence of the arrangement. An activity that
 * matches lists without a linked arrangement, or a list arrangement without its essence,
 * leaves the section unwritable.
 */
export const listMatchingWritable: NoticeRule = {
  meta: RULE_CATALOGUE['TR-LIST-MATCHING-DISCLOSED'],
  evaluate: (input) => {
    const problems: string[] = [];
    for (const a of input.activities) {
      for (const scope of LIST_SCOPES) {
        if (has(a, scope) && arrangementFor(input, a, scope).length === 0) {
          problems.push(
            `“${a.name}” uses ${LIST_SCOPE_LABEL[scope]} with no live platform arrangement linked to it, so the notice cannot name the platform`,
          );
        }
      }
    }
    for (const a of input.arrangements) {
      if ((LIST_SCOPES as readonly string[]).includes(a.scope) && blank(a.essence)) {
        problems.push(
          `the ${LIST_SCOPE_LABEL[a.scope as (typeof LIST_SCOPES)[number]]} arrangement with ${a.platformName} has no essence written for individuals`,
        );
      }
    }
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The section on matching people’s details with social-media platforms cannot be written: ${listOf(problems)}.`,
      remedy:
        'Link each list-matching activity to its joint-controller arrangement, and write the essence of each arrangement for individuals (Art 26(2)).',
    };
  },
};

/** TR-PROFILING-DISCLOSED (Arts 13, 14): the notice says what each profiling activity does. */
export const profilingWritable: NoticeRule = {
  meta: RULE_CATALOGUE['TR-PROFILING-DISCLOSED'],
  evaluate: (input) => {
    const undescribed = profilingActivities(input).filter((a) => blank(a.description));
    if (undescribed.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The profiling section cannot be written: ${listOf(undescribed.map((a) => `“${a.name}”`))} ${undescribed.length === 1 ? 'does' : 'do'} not describe what is inferred, from what and why.`,
      remedy: 'Describe the profiling in the activity’s description in the record of processing.',
    };
  },
};

/**
 * TR-ART13-AT-COLLECTION (Art 13): the items every notice must give — who the controller is
 * (13(1)(a)), the purposes (13(1)(c)), where data goes (13(1)(f)), retention (13(2)(a)) and
 * the right to object with a way to do it (13(2)(b), 21(4)). A form that links to a notice
 * lacking them collects without privacy information.
 */
export const art13ItemsWritable: NoticeRule = {
  meta: RULE_CATALOGUE['TR-ART13-AT-COLLECTION'],
  evaluate: (input) => {
    const problems: string[] = [];
    if (blank(input.controller.name) || blank(input.controller.postalAddress)) {
      problems.push('the controller’s name and postal address (campaign settings)');
    }
    if (input.activities.length === 0) {
      problems.push('any purpose: no processing activity is active in the record of processing');
    }
    for (const a of input.activities) {
      if (a.purposes.length === 0) problems.push(`the purposes of “${a.name}”`);
      if (blank(a.retention)) problems.push(`how long “${a.name}” keeps data`);
    }
    for (const p of input.processors) {
      if (p.hosting.length === 0) problems.push(`where ${p.name} stores the data (so whether it leaves the UK)`);
    }
    if (objectionHref(input) === null) {
      problems.push('a working way to object: the campaign’s objection page, or an email for privacy matters');
    }
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The notice cannot give the information Art 13 requires: the records do not say ${listOf(problems)}.`,
      remedy: 'Complete the records named, then publish again.',
    };
  },
};

/** LB-BASIS-RECORDED (Art 5(2), 6(1); Art 13(1)(c)-(d)): each purpose's lawful basis, and the interest pursued. */
export const basisWritable: NoticeRule = {
  meta: RULE_CATALOGUE['LB-BASIS-RECORDED'],
  evaluate: (input) => {
    const problems = input.activities.flatMap((a) =>
      a.lawfulBasis === null
        ? [`“${a.name}” has no lawful basis`]
        : a.lawfulBasis === 'legitimate_interests' && blank(a.legitimateInterest)
          ? [`“${a.name}” relies on legitimate interests without saying which interest is pursued`]
          : [],
    );
    if (problems.length === 0) return null;
    return {
      outcome: 'require',
      explanation: `The notice cannot state the lawful bases: ${listOf(problems)}.`,
      remedy:
        'Record the lawful basis (and, for legitimate interests, the assessment’s purpose test) on each activity.',
    };
  },
};

/** SCD-ART9-CONDITION (Art 9(1)): the special category section states the Art 9 condition of each use. */
export const art9Writable: NoticeRule = {
  meta: RULE_CATALOGUE['SCD-ART9-CONDITION'],
  evaluate: (input) => {
    const problems = input.activities.flatMap((a) =>
      a.specialCategories
        .filter((s) => s.condition === null)
        .map((s) => `${SPECIAL_CATEGORY_WORDS[s.category] ?? s.category} in “${a.name}”`),
    );
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `Special category data is processed without an Art 9 condition: ${listOf(problems)}.`,
      remedy: 'Record the Art 9 condition for each special category on the activity (or stop processing it).',
    };
  },
};

/** XFER-MECHANISM (Arts 44A, 45A, 46; Art 13(1)(f)): every transfer outside the UK has its safeguard. */
export const transfersWritable: NoticeRule = {
  meta: RULE_CATALOGUE['XFER-MECHANISM'],
  evaluate: (input) => {
    const problems = [
      ...input.processors.flatMap((p) => [
        ...p.hosting
          .filter((t) => !isUk(t) && t.mechanism === null)
          .map((t) => `${p.name} in ${countryName(t.country)}`),
        ...p.subProcessors.flatMap((s) =>
          s.hosting
            .filter((t) => !isUk(t) && t.mechanism === null)
            .map((t) => `${p.name}’s sub-processor ${s.name} in ${countryName(t.country)}`),
        ),
      ]),
      ...input.activities.flatMap((a) =>
        a.transfers
          .filter((t) => !isUk(t) && t.mechanism === null)
          .map(
            (t) => `${blank(t.recipient) ? 'a recipient' : t.recipient} of “${a.name}” in ${countryName(t.country)}`,
          ),
      ),
    ];
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `Data leaves the UK without a recorded transfer mechanism, so the notice cannot state the safeguard: ${listOf(problems)}.`,
      remedy:
        'Record the transfer mechanism (UK adequacy, IDTA, UK Addendum or the DPF UK Extension) for each transfer.',
    };
  },
};

/** ONL-ARRANGEMENT-GAPS (Art 26(2)): the essence of every arrangement is made available to individuals. */
export const essenceWritable: NoticeRule = {
  meta: RULE_CATALOGUE['ONL-ARRANGEMENT-GAPS'],
  evaluate: (input) => {
    // List-matching arrangements are TR-LIST-MATCHING-DISCLOSED's: one finding per gap.
    const gaps = input.arrangements.filter(
      (a) => !(LIST_SCOPES as readonly string[]).includes(a.scope) && blank(a.essence),
    );
    if (gaps.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The essence of ${listOf(gaps.map((a) => `the ${a.platformName} ${a.scope.replaceAll('_', ' ')} arrangement`))} is not written, and Art 26(2) requires it to be available to individuals.`,
      remedy: 'Write the essence of each arrangement for individuals in the joint-controller record.',
    };
  },
};

export const PRIVACY_NOTICE_RULES: readonly NoticeRule[] = [
  art13ItemsWritable,
  basisWritable,
  art9Writable,
  transfersWritable,
  listMatchingWritable,
  profilingWritable,
  essenceWritable,
];

/**
 * Whether the notice may be published (the capability notice.publish): every section can be
 * written from the records.
 */
export const PRIVACY_NOTICE_BINDINGS: readonly RuleBinding[] = PRIVACY_NOTICE_RULES.map((rule) =>
  applies(rule, ['notice.publish']),
);
