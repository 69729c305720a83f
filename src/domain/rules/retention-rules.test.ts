/**
 * Retention rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { explanationOf, NOW, outcomeOf } from '../../../test/helpers/rule-facts.js';
import { keepConsentProof, retentionAtCampaignEnd, type RegisterCopy, type RetentionFacts } from './retention-rules.js';

const copy = (over: Partial<RegisterCopy> = {}): RegisterCopy => ({
  sourceId: 's-1',
  name: 'Full register, Exampletown 2026',
  type: 'full_register',
  purposeEndsAt: '2026-06-01T00:00:00Z',
  destroyedAt: null,
  ...over,
});

const facts = (
  campaign: Partial<RetentionFacts['campaign']> = {},
  registerCopies: RegisterCopy[] = [],
): RetentionFacts => ({
  campaign: { closedAt: null, retentionReviewedAt: null, ...campaign },
  registerCopies,
  now: NOW,
});

describe('RET-CAMPAIGN-END', () => {
  it.each([
    ['a running campaign, no register copy', undefined, facts(), null],
    [
      'closed, no retention review',
      'require',
      facts({ closedAt: '2026-11-01T00:00:00Z' }),
      /closed without a retention review/,
    ],
    [
      'closed and reviewed',
      undefined,
      facts({ closedAt: '2026-11-01T00:00:00Z', retentionReviewedAt: '2026-11-10T00:00:00Z' }),
      null,
    ],
    [
      'reviewed before it closed',
      'require',
      facts({ closedAt: '2026-11-01T00:00:00Z', retentionReviewedAt: '2026-10-01T00:00:00Z' }),
      /closed without a retention review/,
    ],
    [
      'a register copy past its purpose',
      'require',
      facts({}, [copy()]),
      /"Full register, Exampletown 2026" is a register copy past/,
    ],
    ['a register copy destroyed', undefined, facts({}, [copy({ destroyedAt: '2026-06-10T00:00:00Z' })]), null],
    ['a register copy still in use', undefined, facts({}, [copy({ purposeEndsAt: '2027-05-06T00:00:00Z' })]), null],
    ['an open-ended copy', undefined, facts({}, [copy({ type: 'open_register', purposeEndsAt: null })]), null],
  ] as const)('%s → %s', (_name, outcome, f, explanation) => {
    expect(outcomeOf(retentionAtCampaignEnd, f)).toBe(outcome);
    if (explanation) expect(explanationOf(retentionAtCampaignEnd, f)).toMatch(explanation);
  });
});

describe('RET-CONSENT-PROOF', () => {
  const evidence = (reliedOnBy: string[]) => ({
    recordId: 'r-1',
    purpose: 'campaign_updates',
    channel: 'email' as const,
    reliedOnBy,
  });
  it.each([
    ['consent no longer relied on', undefined, [evidence([])], null],
    [
      'consent relied on by a scheduled send',
      'refuse',
      [evidence(['November newsletter'])],
      /"November newsletter" still relies on it/,
    ],
    [
      'several records, two users',
      'refuse',
      [evidence(['Newsletter']), evidence(['Newsletter', 'Volunteer SMS']), evidence([])],
      /^2 consent records .* "Newsletter" and "Volunteer SMS" still rely on them/,
    ],
  ] as const)('%s → %s', (_name, outcome, records, explanation) => {
    expect(outcomeOf(keepConsentProof, { evidence: [...records] })).toBe(outcome);
    if (explanation) expect(explanationOf(keepConsentProof, { evidence: [...records] })).toMatch(explanation);
  });
});
