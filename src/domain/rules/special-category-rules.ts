/**
 * Special category data (UK GDPR Art 9). Political opinions are special category data,
 * inferred or not; a list of members or pledged supporters reveals them. ICO guidance: do not
 * target people with political messaging using special category data, inferred or otherwise,
 * without explicit consent; and do not infer ethnicity or religion from names ("Democracy
 * disrupted?", 2018).
 */
import { SPECIAL_CATEGORY_LABELS, type SpecialCategory } from '../../shared/labels.js';
import { classifyAttributeName } from '../people.js';
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import {
  consentsFor,
  countOf,
  isLiveConsent,
  listOf,
  type ControllerFacts,
  type PeopleFacts,
  type PurposeFacts,
  type TargetingCriterion,
} from './facts.js';
import type { Rule } from './rule.js';

/** The Art 9(2) conditions a campaign can rely on, with the provision of each. */
export const ART9_CONDITIONS = {
  explicit_consent: 'UK GDPR Art 9(2)(a): explicit consent',
  employment_social_security: 'UK GDPR Art 9(2)(b): employment, social security and social protection law',
  vital_interests: 'UK GDPR Art 9(2)(c): vital interests of a person unable to consent',
  not_for_profit_members:
    'UK GDPR Art 9(2)(d): a not-for-profit body with a political aim, about its members, former members or regular contacts',
  manifestly_made_public: 'UK GDPR Art 9(2)(e): made manifestly public by the person',
  dpa_sch1_para22: 'UK GDPR Art 9(2)(g); DPA 2018 Sch 1 para 22: political parties',
  dpa_sch1_other: 'UK GDPR Art 9(2)(g); DPA 2018 Sch 1 Part 2: another substantial public interest condition',
  legal_claims: 'UK GDPR Art 9(2)(f): legal claims or judicial acts',
  health_social_care: 'UK GDPR Art 9(2)(h): health or social care',
  public_health: 'UK GDPR Art 9(2)(i): public health',
  archiving_research: 'UK GDPR Art 9(2)(j): archiving, research or statistics',
} as const;
export type Art9Condition = keyof typeof ART9_CONDITIONS;

export interface Art9ConditionClaim {
  category: SpecialCategory;
  condition: Art9Condition;
  /** The appropriate policy document a Sch 1 Part 2 condition needs (DPA 2018 Sch 1 paras 5, 39). */
  appropriatePolicyDocument: { reference: string } | null;
}

export interface SpecialCategoryFacts {
  specialCategory: {
    /** The special category data the processing collects, infers or uses. */
    processed: readonly { attribute: string; category: SpecialCategory; inferred: boolean }[];
    /** The Art 9 conditions recorded for it. */
    conditions: readonly Art9ConditionClaim[];
  };
}

const label = (c: SpecialCategory): string => SPECIAL_CATEGORY_LABELS[c].toLowerCase();

/**
 * SCD-ART9-CONDITION (Art 9(1)): every category of special category data processed — collected
 * or inferred — needs an Art 9 condition recorded for it.
 */
export const processedWithCondition: Rule<SpecialCategoryFacts> = {
  meta: RULE_CATALOGUE['SCD-ART9-CONDITION'],
  evaluate: ({ specialCategory }) => {
    const covered = new Set(specialCategory.conditions.map((c) => c.category));
    const missing = specialCategory.processed.filter((p) => !covered.has(p.category));
    if (missing.length === 0) return null;
    const list = missing.map((p) => `${p.attribute} (${label(p.category)}${p.inferred ? ', inferred' : ''})`);
    return {
      outcome: 'refuse',
      explanation: `This processes special category data without an Art 9 condition: ${listOf(list)}. Political opinions count, inferred ones included.`,
      remedy:
        'Record the Art 9 condition for each category (for example explicit consent, or DPA 2018 Sch 1 para 22 for a registered party), or leave the data out.',
    };
  },
};

/**
 * SCD-P22-ELIGIBLE (DPA 2018 Sch 1 paras 22, 39) [U]: the political-parties condition covers
 * personal data revealing political opinions, processed by a party on the register kept under
 * PPERA 2000 s.23, with an appropriate policy document. Unconfirmed: `decide` makes it a warning
 * until the campaign's DPO confirms it.
 */
export const para22Eligible: Rule<ControllerFacts & SpecialCategoryFacts> = {
  meta: RULE_CATALOGUE['SCD-P22-ELIGIBLE'],
  evaluate: ({ controller, specialCategory }) => {
    const claims = specialCategory.conditions.filter((c) => c.condition === 'dpa_sch1_para22');
    if (claims.length === 0) return null;
    const problems: string[] = [];
    if (controller.type !== 'registered_party') {
      problems.push('this campaign is not a registered political party');
    }
    const otherCategories = [
      ...new Set(claims.filter((c) => c.category !== 'political_opinion').map((c) => c.category)),
    ];
    if (otherCategories.length > 0) {
      problems.push(`it covers political opinions only, not ${listOf(otherCategories.map(label))}`);
    }
    if (claims.some((c) => c.appropriatePolicyDocument === null)) {
      problems.push('no appropriate policy document is recorded');
    }
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `DPA 2018 Sch 1 para 22 is relied on, but ${listOf(problems)}.`,
      remedy:
        'Rely on another Art 9 condition (explicit consent; Art 9(2)(d) for members and regular contacts), or record the appropriate policy document.',
    };
  },
};

/** The criteria that reveal special category data. */
export const specialCategoryCriteria = (criteria: readonly TargetingCriterion[]): TargetingCriterion[] =>
  criteria.filter((c) => c.specialCategory !== null);

export interface TargetingFacts {
  targeting: {
    /** What selects the people: tags, lists, scores, segments (a supporters list reveals political opinion). */
    criteria: readonly TargetingCriterion[];
  };
}

/**
 * SCD-TARGETING-EXPLICIT-CONSENT (Art 9(2)(a); ICO guidance): targeting on special category
 * data — inferred included — needs each person's explicit consent to this controller for this
 * use.
 */
export const targetingExplicitConsent: Rule<ControllerFacts & PurposeFacts & PeopleFacts & TargetingFacts> = {
  meta: RULE_CATALOGUE['SCD-TARGETING-EXPLICIT-CONSENT'],
  evaluate: ({ controller, purpose, people, channel, targeting }) => {
    const sensitive = specialCategoryCriteria(targeting.criteria);
    if (sensitive.length === 0) return null;
    const without = people.filter(
      (p) =>
        !consentsFor(p, { controllerId: controller.id, channel, purpose: purpose.name }).some(
          (c) => c.explicit && isLiveConsent(c),
        ),
    ).length;
    if (without === 0) return null;
    const named = sensitive.map(
      (c) => `${c.name} (${label(c.specialCategory as SpecialCategory)}${c.inferred ? ', inferred' : ''})`,
    );
    return {
      outcome: 'refuse',
      explanation: `The audience is selected by ${listOf(named)}, which reveals special category data, and ${countOf(without, people.length)} gave no explicit consent to be targeted this way.`,
      remedy: 'Select without these criteria, or include only people who gave explicit consent for this use.',
    };
  },
};

export interface Inference {
  /** The attribute the model or rule produces. */
  attribute: string;
  /** Its special category, if the model declares one (else it is classified from its name). */
  category: SpecialCategory | null;
  /** The fields it is computed from. */
  inputs: readonly string[];
}

export interface ProfilingFacts {
  profiling: {
    inferences: readonly Inference[];
  };
}

/** A field that holds a person's name. */
const NAME_FIELD = /^(?:(?:first|last|full|given|family|middle|fore|sur|maiden|display)_?)?names?$/;
export const isNameField = (field: string): boolean => NAME_FIELD.test(field.trim().toLowerCase());

const NAME_INFERENCE_CATEGORIES: readonly SpecialCategory[] = [
  'racial_or_ethnic_origin',
  'religious_or_philosophical_belief',
];

/**
 * SCD-NAME-INFERENCE (Art 9(1); ICO "Democracy disrupted?"): ethnicity or religion inferred from
 * names is special category data made up from a stereotype; no condition makes it fair.
 */
export const noNameInference: Rule<ProfilingFacts> = {
  meta: RULE_CATALOGUE['SCD-NAME-INFERENCE'],
  evaluate: ({ profiling }) => {
    const found = profiling.inferences.filter((i) => {
      const category = i.category ?? classifyAttributeName(i.attribute).specialCategory;
      return category !== null && NAME_INFERENCE_CATEGORIES.includes(category) && i.inputs.some(isNameField);
    });
    if (found.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `${listOf(found.map((i) => i.attribute))} would infer ethnicity or religion from people’s names. That is special category data guessed from a stereotype: it is refused whatever the lawful basis.`,
      remedy:
        'Remove the inference from the model; ask people directly, with explicit consent, if the campaign needs it.',
    };
  },
};

export const SPECIAL_CATEGORY_RULES: readonly RuleBinding[] = [
  applies(processedWithCondition, ['activity.activate', 'collection.open', 'profiling.run']),
  applies(para22Eligible, ['activity.activate', 'collection.open', 'profiling.run']),
  applies(targetingExplicitConsent, ['audience.build', 'audience.lookalike_seed']),
  applies(noNameInference, ['profiling.run']),
];
