/**
 * Special category rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { batch, consent, CONTROLLER, explanationOf, outcomeOf, person } from '../../../test/helpers/rule-facts.js';
import type { ControllerType, SpecialCategory } from '../../shared/labels.js';
import { decide } from './rule.js';
import {
  isNameField,
  noNameInference,
  para22Eligible,
  processedWithCondition,
  targetingExplicitConsent,
  type Art9ConditionClaim,
  type Inference,
  type SpecialCategoryFacts,
} from './special-category-rules.js';

const APD = { reference: 'Appropriate policy document v2, adopted 2026-09-01' };
const claim = (over: Partial<Art9ConditionClaim> = {}): Art9ConditionClaim => ({
  category: 'political_opinion',
  condition: 'dpa_sch1_para22',
  appropriatePolicyDocument: APD,
  ...over,
});
const special = (
  processed: SpecialCategoryFacts['specialCategory']['processed'],
  conditions: Art9ConditionClaim[],
): SpecialCategoryFacts => ({ specialCategory: { processed, conditions } });

describe('SCD-ART9-CONDITION (processing)', () => {
  const score = { attribute: 'support_score', category: 'political_opinion' as const, inferred: true };
  const faith = { attribute: 'faith', category: 'religious_or_philosophical_belief' as const, inferred: false };
  it.each([
    ['an inferred political opinion without a condition', 'refuse', [score], []],
    ['with a condition for its category', undefined, [score], [claim({ condition: 'explicit_consent' })]],
    [
      'a second category without its own condition',
      'refuse',
      [score, faith],
      [claim({ condition: 'explicit_consent' })],
    ],
    ['nothing special processed', undefined, [], []],
  ] as const)('%s → %s', (_name, outcome, processed, conditions) => {
    expect(outcomeOf(processedWithCondition, special([...processed], [...conditions]))).toBe(outcome);
  });
  it('names what lacks a condition', () => {
    expect(explanationOf(processedWithCondition, special([score], []))).toMatch(
      /support_score \(political opinion, inferred\)/,
    );
  });
});

describe('SCD-P22-ELIGIBLE', () => {
  const facts = (type: ControllerType, claims: Art9ConditionClaim[]) => ({
    controller: { ...CONTROLLER, type },
    ...special([], claims),
  });
  it.each([
    ['a registered party with its policy document', undefined, 'registered_party', [claim()], null],
    ['a candidate', 'refuse', 'candidate', [claim()], /not a registered political party/],
    ['a non-party campaigner', 'refuse', 'non_party_campaigner', [claim()], /not a registered political party/],
    [
      'a registered party without a policy document',
      'refuse',
      'registered_party',
      [claim({ appropriatePolicyDocument: null })],
      /no appropriate policy document/,
    ],
    [
      'a registered party, for health data',
      'refuse',
      'registered_party',
      [claim({ category: 'health' })],
      /political opinions only, not health/,
    ],
    ['another condition', undefined, 'candidate', [claim({ condition: 'explicit_consent' })], null],
  ] as const)('%s → %s', (_name, outcome, type, claims, explanation) => {
    const f = facts(type, [...claims]);
    expect(outcomeOf(para22Eligible, f)).toBe(outcome);
    if (explanation) expect(explanationOf(para22Eligible, f)).toMatch(explanation);
  });

  // [U] in the research notes: a warning until the DPO confirms the rule.
  it.each([
    ['unconfirmed', 'warn', []],
    ['confirmed by the campaign', 'refuse', ['SCD-P22-ELIGIBLE']],
  ] as const)('SCD-P22-ELIGIBLE %s → %s', (_name, outcome, confirmedRules) => {
    const decision = decide([para22Eligible], facts('candidate', [claim()]), { confirmedRules });
    expect(decision.outcome).toBe(outcome);
    expect(decision.findings[0]).toMatchObject({ ruleId: 'SCD-P22-ELIGIBLE', outcome });
    if (outcome === 'warn') expect(decision.findings[0]?.explanation).toMatch(/only warns until/);
  });
});

describe('SCD-TARGETING-EXPLICIT-CONSENT', () => {
  const supporters = { name: 'tag: pledged supporter', specialCategory: 'political_opinion' as const, inferred: false };
  const postcode = { name: 'postcode district', specialCategory: null, inferred: false };
  const explicit = consent({ channel: 'social_list_matching', explicit: true });
  const plain = consent({ channel: 'social_list_matching' });
  const facts = (criteria: (typeof supporters | typeof postcode)[], consents: (typeof explicit)[]) => ({
    ...batch({ channel: 'social_list_matching', people: [person({ consents })] }),
    targeting: { criteria },
  });
  it.each([
    ['a supporters list, explicit consent', undefined, [supporters], [explicit]],
    ['a supporters list, ordinary consent', 'refuse', [supporters], [plain]],
    [
      'a supporters list, explicit consent withdrawn',
      'refuse',
      [supporters],
      [{ ...explicit, withdrawnAt: '2026-11-20T00:00:00Z' }],
    ],
    ['a supporters list, no consent', 'refuse', [supporters], []],
    ['selection by postcode only', undefined, [postcode], []],
  ] as const)('%s → %s', (_name, outcome, criteria, consents) => {
    expect(outcomeOf(targetingExplicitConsent, facts([...criteria], [...consents]))).toBe(outcome);
  });
  it('names the criterion and counts the people', () => {
    const f = { ...facts([supporters], []), people: [person({ consents: [explicit] }), person({ consents: [] })] };
    expect(explanationOf(targetingExplicitConsent, f)).toMatch(
      /tag: pledged supporter \(political opinion\).*1 of 2 people gave no explicit consent/,
    );
  });
});

describe('SCD-NAME-INFERENCE', () => {
  const inference = (attribute: string, category: SpecialCategory | null, inputs: string[]): Inference => ({
    attribute,
    category,
    inputs,
  });
  it.each([
    ['ethnicity from surnames', 'refuse', inference('ethnicity_guess', 'racial_or_ethnic_origin', ['last_name'])],
    [
      'religion from first names',
      'refuse',
      inference('likely_faith', 'religious_or_philosophical_belief', ['first_name']),
    ],
    ['ethnicity from full names, undeclared category', 'refuse', inference('ethnic_origin', null, ['full_name'])],
    ['ethnicity from a survey answer', undefined, inference('ethnicity', 'racial_or_ethnic_origin', ['survey_q3'])],
    ['support score from names', undefined, inference('support_score', 'political_opinion', ['first_name'])],
    ['age band from date of birth', undefined, inference('age_band', null, ['date_of_birth'])],
  ] as const)('%s → %s', (_name, outcome, i) => {
    expect(outcomeOf(noNameInference, { profiling: { inferences: [i] } })).toBe(outcome);
  });
  it.each(['first_name', 'lastname', 'Surname', 'full_name', 'name', 'given_name', 'family_name'])(
    '%s is a name field',
    (field) => expect(isNameField(field)).toBe(true),
  );
  it.each(['postcode', 'username', 'name_postcode', 'email'])('%s is not a name field', (field) =>
    expect(isNameField(field)).toBe(false),
  );
});
