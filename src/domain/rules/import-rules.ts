/**
 * The rules an import must pass before any row is read (issue 3). Pure functions of facts
 * about the campaign, the source and the mapping.
 */
import type { ControllerType } from '../../shared/labels.js';
import { dueDiligenceSchema, isThirdPartySource, type Source } from '../sources.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { decide, type Decision, type Rule } from './rule.js';

export interface ImportFacts {
  controllerType: ControllerType;
  source: Pick<
    Source,
    | 'type'
    | 'lawfulBasis'
    | 'lawfulBasisNote'
    | 'art9Condition'
    | 'dueDiligence'
    | 'art14Plan'
    | 'compatibilityAssessment'
    | 'archivedAt'
  >;
  /** Attributes the mapping imports that are special category data, with their class. */
  specialCategoryAttributes: readonly { name: string; category: string }[];
}

/**
 * Who may have the full register (RPR 2001 Part VI: regs 103-108 — registered parties,
 * candidates, elected representatives; permitted participants at a referendum) and the
 * marked register (reg 118-120: parties, candidates, elected representatives).
 */
export const FULL_REGISTER_ENTITLED: readonly ControllerType[] = [
  'registered_party',
  'candidate',
  'elected_representative',
  'referendum_campaigner',
];
export const MARKED_REGISTER_ENTITLED: readonly ControllerType[] = [
  'registered_party',
  'candidate',
  'elected_representative',
];

export const lawfulBasisRecorded: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['LB-BASIS-RECORDED'],
  evaluate: ({ source }) => {
    if (source.lawfulBasis === null) {
      return {
        outcome: 'require',
        explanation: 'This source has no lawful basis recorded, so nothing from it can be processed.',
        remedy: 'Record the lawful basis for this source, with the reasons, on the source page.',
      };
    }
    if (
      (source.lawfulBasis === 'public_task' || source.lawfulBasis === 'legitimate_interests') &&
      !source.lawfulBasisNote
    ) {
      return {
        outcome: 'require',
        explanation:
          source.lawfulBasis === 'public_task'
            ? 'Public task is relied on without a note of why the processing is necessary for democratic engagement.'
            : 'Legitimate interests is relied on without the balancing assessment.',
        remedy: 'Add the necessity note or legitimate-interests assessment to the source.',
      };
    }
    return null;
  },
};

export const fullRegisterEntitled: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['ER-FULL-REGISTER-ENTITLED'],
  evaluate: ({ controllerType, source }) => {
    if (source.type === 'full_register' && !FULL_REGISTER_ENTITLED.includes(controllerType)) {
      return {
        outcome: 'refuse',
        explanation:
          'Only registered parties, candidates, elected representatives and referendum permitted participants may be supplied with the full electoral register; this campaign is not one of them.',
        remedy:
          "Use the open register instead, or correct the campaign's controller type if it is wrong. No record can make a full-register import lawful for this campaign.",
      };
    }
    if (source.type === 'marked_register' && !MARKED_REGISTER_ENTITLED.includes(controllerType)) {
      return {
        outcome: 'refuse',
        explanation:
          'Only registered parties, candidates and elected representatives may obtain the marked register; this campaign is not one of them.',
        remedy: "Correct the campaign's controller type if it is wrong; otherwise the marked register cannot be used.",
      };
    }
    return null;
  },
};

export const brokerDueDiligence: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['TP-BROKER-DUE-DILIGENCE'],
  evaluate: ({ source }) => {
    if (source.type !== 'data_broker') return null;
    const parsed = dueDiligenceSchema.safeParse(source.dueDiligence);
    if (!parsed.success) {
      const missing = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'the record'))];
      return {
        outcome: 'refuse',
        explanation:
          source.dueDiligence === null
            ? 'Data from a broker needs a due-diligence record before it is imported; this source has none.'
            : `The due-diligence record is incomplete: ${missing.join(', ')}.`,
        remedy: 'Complete the due-diligence record on the source page.',
      };
    }
    const dd = parsed.data;
    if (!dd.peopleToldOfDisclosure) {
      return {
        outcome: 'refuse',
        explanation:
          'The supplier did not tell the people in this file that their data would be passed to campaigns like this one, so they would not expect it (Art 5(1)(a), 14).',
        remedy: 'Do not use this file. Obtain data only from suppliers who told people about the disclosure.',
      };
    }
    if (source.lawfulBasis === 'consent' && dd.consentCoversUs !== true) {
      return {
        outcome: 'refuse',
        explanation:
          'The file relies on consent, but the consent the supplier collected does not cover this campaign and its channels; consent is not transferable.',
        remedy: 'Record that the consent names this campaign (or its type) and the channels, or do not use the file.',
      };
    }
    return null;
  },
};

export const scrapedController: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['TP-SCRAPED-CONTROLLER'],
  evaluate: ({ source }) => {
    if (source.type !== 'scraped_data' && source.type !== 'public_data') return null;
    const missing = [
      ...(source.lawfulBasis === null || !source.lawfulBasisNote ? ['a lawful basis with its reasons'] : []),
      ...(!source.art14Plan ? ['a plan for the Art 14 notice'] : []),
    ];
    if (missing.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `Publicly available or scraped data is still personal data, and this campaign is its controller; the source lacks ${missing.join(' and ')}.`,
      remedy: 'Record the lawful basis (with the reasons) and how people will be told within one month.',
    };
  },
};

export const art14OneMonth: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['TR-ART14-ONE-MONTH'],
  evaluate: ({ source }) => {
    if (!isThirdPartySource(source.type)) return null;
    return {
      outcome: 'warn',
      explanation: source.art14Plan
        ? 'These people did not give us their data: each must receive the Art 14 privacy notice within one month. The clock starts for every imported person today; the dashboard warns at day 21.'
        : 'These people did not give us their data: each must receive the Art 14 privacy notice within one month, and the source has no plan for it yet. The clock starts for every imported person today.',
      remedy: source.art14Plan ? null : 'Record on the source how and when the Art 14 notice will be sent.',
    };
  },
};

export const compatibleReuse: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['PURP-COMPATIBLE-REUSE'],
  evaluate: ({ source }) => {
    if (source.type !== 'petition' && source.type !== 'survey' && source.type !== 'casework') return null;
    if (source.lawfulBasis === 'consent' || source.compatibilityAssessment) return null;
    return {
      outcome: 'warn',
      explanation: `Data collected through ${source.type === 'casework' ? 'casework' : `a ${source.type}`} is being brought into the campaign database without a compatibility assessment or consent: people may not expect to be campaigned to.`,
      remedy: 'Record a compatibility assessment (Art 6(4)) on the source, or rely on consent.',
    };
  },
};

export const art9Condition: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['SCD-ART9-CONDITION'],
  evaluate: ({ source, specialCategoryAttributes }) => {
    if (specialCategoryAttributes.length === 0 || source.art9Condition) return null;
    const list = specialCategoryAttributes.map((a) => `${a.name} (${a.category.replaceAll('_', ' ')})`).join(', ');
    return {
      outcome: 'refuse',
      explanation: `The mapping imports special category data — ${list} — and the source records no Art 9 condition. Political opinions count, inferred ones included.`,
      remedy:
        'Record the Art 9 condition on the source (for example explicit consent, or DPA 2018 Sch 1 para 22 for a registered party), or leave these columns out.',
    };
  },
};

export const archivedSource: Rule<ImportFacts> = {
  meta: RULE_CATALOGUE['LB-BASIS-RECORDED'],
  evaluate: ({ source }) =>
    source.archivedAt
      ? {
          outcome: 'require',
          explanation: 'This source is archived: no new data is taken from it.',
          remedy: 'Restore the source, or choose another.',
        }
      : null,
};

export const IMPORT_RULES: readonly Rule<ImportFacts>[] = [
  archivedSource,
  lawfulBasisRecorded,
  fullRegisterEntitled,
  brokerDueDiligence,
  scrapedController,
  art9Condition,
  art14OneMonth,
  compatibleReuse,
];

export const decideImport = (facts: ImportFacts): Decision => decide(IMPORT_RULES, facts);
