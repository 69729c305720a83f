/**
 * Electoral register purpose rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { batch, explanationOf, outcomeOf, person, purpose } from '../../../test/helpers/rule-facts.js';
import type { SourceType } from '../../shared/labels.js';
import type { PurposeCategory } from './facts.js';
import { registerPurposeForPeople, registerPurposeForReuse } from './register-rules.js';

describe('ER-PERMITTED-PURPOSE', () => {
  const cases: [SourceType, PurposeCategory, 'refuse' | undefined][] = [
    ['full_register', 'campaigning', undefined],
    ['full_register', 'donation_check', undefined],
    ['full_register', 'commercial', 'refuse'],
    ['full_register', 'research', 'refuse'],
    ['full_register', 'casework', 'refuse'],
    ['marked_register', 'other', 'refuse'],
    ['marked_register', 'campaigning', undefined],
    ['open_register', 'commercial', undefined],
    ['web_form', 'research', undefined],
  ];
  it.each(cases)('reuse of %s data for %s → %s', (type, category, outcome) => {
    const facts = { purpose: purpose({ category }), reuse: { sourceTypes: [type], compatibilityAssessment: null } };
    expect(outcomeOf(registerPurposeForReuse, facts)).toBe(outcome);
  });
  it.each(cases)('a batch with %s people for %s → %s', (type, category, outcome) => {
    const facts = batch({ purpose: purpose({ category }), people: [person({ sourceTypes: ['web_form', type] })] });
    expect(outcomeOf(registerPurposeForPeople, facts)).toBe(outcome);
  });
  it('counts the people who came from the register', () => {
    const facts = batch({
      purpose: purpose({ name: 'survey_panel', category: 'research' }),
      people: [person({ sourceTypes: ['full_register'] }), person({ sourceTypes: ['web_form'] })],
    });
    expect(explanationOf(registerPurposeForPeople, facts)).toMatch(/\(1 of 2 people came from it\).*"survey_panel"/);
  });
});
