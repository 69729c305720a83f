/**
 * Direct-marketing rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { batch, explanationOf, outcomeOf, person } from '../../../test/helpers/rule-facts.js';
import {
  batchScreenedForSuppressions,
  objectionAbsolute,
  objectionKeptAsSuppression,
  postToObjectors,
  removeFromLiveAudiences,
  type LiveAudience,
  type PostFacts,
} from './marketing-rules.js';

describe('DM-OBJECTION-ABSOLUTE', () => {
  it.each([
    ['nobody objected', undefined, [false, false]],
    ['one objector among two', 'refuse', [true, false]],
    ['a single objector', 'refuse', [true]],
  ] as const)('%s → %s', (_name, outcome, objected) => {
    const facts = batch({ people: objected.map((o) => person({ objected: o })) });
    expect(outcomeOf(objectionAbsolute, facts)).toBe(outcome);
  });
  it('names how many and that nothing overrides it', () => {
    const facts = batch({ people: [person({ objected: true }), person(), person({ objected: true })] });
    expect(objectionAbsolute.evaluate(facts)).toMatchObject({
      explanation: expect.stringMatching(/^2 of 3 people objected/),
      remedy: expect.stringMatching(/nothing can override/),
    });
  });
});

describe('DM-SUPPRESSION', () => {
  it.each([
    ['a batch screened against suppressions', undefined, '2026-11-29T11:59:00Z'],
    ['a batch not screened', 'require', null],
  ] as const)('%s → %s', (_name, outcome, suppressionScreenedAt) => {
    expect(outcomeOf(batchScreenedForSuppressions, batch({ suppressionScreenedAt }))).toBe(outcome);
  });
  it.each([
    ['every identifier kept', undefined, 3, 3, null],
    ['no entry kept', 'require', 2, 0, /not kept as a suppression entry/],
    ['some identifiers not kept', 'require', 3, 1, /Only 1 of the objector’s 3/],
    ['an objection by identifier alone', undefined, 1, 1, null],
  ] as const)('objection: %s → %s', (_name, outcome, identifiers, suppressionEntries, explanation) => {
    const facts = { objection: { identifiers, suppressionEntries, liveAudiences: [] } };
    expect(outcomeOf(objectionKeptAsSuppression, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(objectionKeptAsSuppression, facts)).toMatch(explanation);
  });
});

describe('DM-REMOVE-FROM-LIVE-AUDIENCES', () => {
  const audience = (over: Partial<LiveAudience> = {}): LiveAudience => ({
    platform: 'meta',
    audienceId: 'a-1',
    name: 'Supporters Nov',
    removalQueued: true,
    ...over,
  });
  it.each([
    ['in no live audience', undefined, []],
    ['removal queued everywhere', undefined, [audience(), audience({ platform: 'google', audienceId: 'a-2' })]],
    [
      'one audience without removal',
      'require',
      [audience(), audience({ platform: 'x', name: 'Donors', removalQueued: false })],
    ],
  ] as const)('%s → %s', (_name, outcome, liveAudiences) => {
    const facts = { objection: { identifiers: 1, suppressionEntries: 1, liveAudiences: [...liveAudiences] } };
    expect(outcomeOf(removeFromLiveAudiences, facts)).toBe(outcome);
    if (outcome) expect(explanationOf(removeFromLiveAudiences, facts)).toMatch(/"Donors" on X/);
  });
});

describe('DM-POST-S91', () => {
  const post = (
    people: { objected: boolean; electionAddressSent: boolean }[],
    s91ElectionAddress: boolean,
  ): PostFacts => ({
    ...batch({ channel: 'post' }),
    people: people.map((p) => ({ ...person({ objected: p.objected }), electionAddressSent: p.electionAddressSent })),
    post: { s91ElectionAddress },
  });
  it.each([
    ['a leaflet to non-objectors', undefined, [{ objected: false, electionAddressSent: false }], false],
    ['a leaflet to an objector', 'refuse', [{ objected: true, electionAddressSent: false }], false],
    ['the s.91 election address to an objector', undefined, [{ objected: true, electionAddressSent: false }], true],
    ['a second s.91 mailing to an objector', 'refuse', [{ objected: true, electionAddressSent: true }], true],
    ['a second s.91 mailing to a non-objector', undefined, [{ objected: false, electionAddressSent: true }], true],
  ] as const)('%s → %s', (_name, outcome, people, s91) => {
    expect(outcomeOf(postToObjectors, post([...people], s91))).toBe(outcome);
  });
});
