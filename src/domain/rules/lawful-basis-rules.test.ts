/**
 * Lawful basis and purpose rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import {
  batch,
  consent,
  explanationOf,
  outcomeOf,
  person,
  purpose,
  PURPOSE,
} from '../../../test/helpers/rule-facts.js';
import type { LawfulBasisClaim, LegitimateInterestsAssessment, PurposeRef } from './facts.js';
import {
  compatibleReuseForPurpose,
  consentEvidence,
  lawfulBasisGap,
  legitimateInterestsAssessment,
  publicTaskNecessity,
  purposeBasisRecorded,
  recognisedInterestNotDemocratic,
} from './lawful-basis-rules.js';

const LIA: LegitimateInterestsAssessment = {
  purpose: 'Winning support for the campaign',
  necessity: 'Email is the only channel we hold',
  balancing: 'Supporters expect updates; easy opt-out',
  assessedOn: '2026-10-01',
  assessedBy: 'Dee Pio',
};

const withBasis = (basis: LawfulBasisClaim | null, over: Partial<PurposeRef> = {}) => ({
  purpose: purpose({ basis, ...over }),
});

describe('LB-BASIS-RECORDED (purposes)', () => {
  it.each([
    ['no basis', 'require', null],
    ['consent', undefined, { kind: 'consent' }],
    ['public task', undefined, { kind: 'public_task', necessityNote: 'note' }],
    ['legal obligation', undefined, { kind: 'legal_obligation' }],
  ] as const)('%s → %s', (_name, outcome, basis) => {
    expect(outcomeOf(purposeBasisRecorded, withBasis(basis))).toBe(outcome);
  });
  it('names the purpose', () => {
    expect(explanationOf(purposeBasisRecorded, withBasis(null))).toMatch(/"campaign_updates" has no lawful basis/);
  });
});

describe('LB-PUBLIC-TASK-NECESSITY', () => {
  it.each([
    ['public task without a note', 'require', { kind: 'public_task', necessityNote: null }],
    ['public task with a blank note', 'require', { kind: 'public_task', necessityNote: '   ' }],
    ['public task with a note', undefined, { kind: 'public_task', necessityNote: 'Supports democratic engagement' }],
    ['legitimate interests (another rule)', undefined, { kind: 'legitimate_interests', assessment: null }],
    ['no basis (another rule)', undefined, null],
  ] as const)('%s → %s', (_name, outcome, basis) => {
    expect(outcomeOf(publicTaskNecessity, withBasis(basis))).toBe(outcome);
  });
});

describe('LB-RLI-NOT-DEMOCRATIC', () => {
  const rli = (condition: string | null) => ({ kind: 'recognised_legitimate_interest' as const, condition });
  it.each([
    ['democratic engagement for campaigning', 'refuse', rli('democratic_engagement'), 'campaigning', /not an Annex 1/],
    ['no condition named', 'refuse', rli(null), 'campaigning', /not an Annex 1/],
    ['an Annex 1 condition for campaigning', 'refuse', rli('safeguarding'), 'campaigning', /covers campaigning/],
    ['crime, for a disclosure that is not campaigning', undefined, rli('crime'), 'other', null],
    ['legitimate interests proper', undefined, { kind: 'legitimate_interests', assessment: LIA }, 'campaigning', null],
  ] as const)('%s → %s', (_name, outcome, basis, category, explanation) => {
    const facts = withBasis(basis, { category });
    expect(outcomeOf(recognisedInterestNotDemocratic, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(recognisedInterestNotDemocratic, facts)).toMatch(explanation);
  });
});

describe('LB-LI-ASSESSMENT', () => {
  const li = (assessment: LegitimateInterestsAssessment | null) => ({
    kind: 'legitimate_interests' as const,
    assessment,
  });
  it.each([
    ['no assessment', 'require', li(null), /without a legitimate-interests assessment/],
    ['no balancing test', 'require', li({ ...LIA, balancing: '' }), /lacks the balancing test/],
    [
      'no necessity test nor assessor',
      'require',
      li({ ...LIA, necessity: ' ', assessedBy: '' }),
      /lacks the necessity test and who made it/,
    ],
    ['a complete assessment', undefined, li(LIA), null],
    ['consent (another basis)', undefined, { kind: 'consent' as const }, null],
  ] as const)('%s → %s', (_name, outcome, basis, explanation) => {
    expect(outcomeOf(legitimateInterestsAssessment, withBasis(basis))).toBe(outcome);
    if (explanation) expect(explanationOf(legitimateInterestsAssessment, withBasis(basis))).toMatch(explanation);
  });
  it('lawfulBasisGap reports the first gap in words, null when complete', () => {
    expect(lawfulBasisGap(purpose({ basis: li(null) }))).toMatch(/legitimate-interests assessment/);
    expect(lawfulBasisGap(purpose({ basis: li(LIA) }))).toBeNull();
  });
});

describe('LB-CONSENT-EVIDENCE', () => {
  const consentPurpose = purpose({ basis: { kind: 'consent' } });
  it.each([
    ['a standing consent with its evidence', undefined, [consent()], consentPurpose, null],
    ['consent withdrawn', 'refuse', [consent({ withdrawnAt: '2026-11-01T00:00:00Z' })], consentPurpose, /withdrew/],
    ['no wording recorded', 'refuse', [consent({ wordingHash: null })], consentPurpose, /lacks its evidence/],
    ['no method recorded', 'refuse', [consent({ method: '' })], consentPurpose, /lacks its evidence/],
    ['no date recorded', 'refuse', [consent({ givenAt: null })], consentPurpose, /lacks its evidence/],
    [
      'consent for another purpose',
      'refuse',
      [consent({ purpose: 'volunteering' })],
      consentPurpose,
      /gave no consent/,
    ],
    ['consent on another channel', 'refuse', [consent({ channel: 'sms' })], consentPurpose, /gave no consent/],
    [
      'consent to another controller',
      'refuse',
      [consent({ controllerId: 'another-campaign' })],
      consentPurpose,
      /gave no consent/,
    ],
    ['no consent, but the purpose relies on public task', 'refuse', [], PURPOSE, /gave no consent/],
  ] as const)('%s → %s', (_name, outcome, consents, p, explanation) => {
    const facts = batch({ purpose: p, people: [person({ consents: [...consents] })] });
    expect(outcomeOf(consentEvidence, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(consentEvidence, facts)).toMatch(explanation);
  });
  it('does not apply where neither the purpose nor the person relies on consent', () => {
    const facts = batch({ people: [person({ lawfulBasis: 'public_task', consents: [] })] });
    expect(outcomeOf(consentEvidence, facts)).toBeUndefined();
  });
  it('counts each kind of gap across the batch', () => {
    const facts = batch({
      purpose: consentPurpose,
      people: [
        person(),
        person({ consents: [consent({ withdrawnAt: '2026-11-01T00:00:00Z' })] }),
        person({ consents: [] }),
        person({ consents: [] }),
      ],
    });
    expect(explanationOf(consentEvidence, facts)).toBe(
      'This relies on consent, and 1 of 4 people withdrew their consent and 2 of 4 people gave no consent for "campaign_updates" by email.',
    );
  });
});

describe('PURP-COMPATIBLE-REUSE (data.reuse)', () => {
  const li = { kind: 'legitimate_interests' as const, assessment: LIA };
  it.each([
    ['petition data for campaigning, no assessment', 'warn', ['petition'], null, li, 'campaigning'],
    ['casework data for campaigning, no assessment', 'warn', ['casework', 'web_form'], null, li, 'campaigning'],
    ['survey data with an assessment', undefined, ['survey'], 'Same cause, people told at signing', li, 'campaigning'],
    ['petition data on consent', undefined, ['petition'], null, { kind: 'consent' as const }, 'campaigning'],
    ['web form data', undefined, ['web_form'], null, li, 'campaigning'],
    ['petition data for donation checks', undefined, ['petition'], null, li, 'donation_check'],
  ] as const)('%s → %s', (_name, outcome, sourceTypes, compatibilityAssessment, basis, category) => {
    const facts = { purpose: purpose({ basis, category }), reuse: { sourceTypes, compatibilityAssessment } };
    expect(outcomeOf(compatibleReuseForPurpose, facts)).toBe(outcome);
  });
});
