/**
 * Transparency rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { batch, explanationOf, notice, notices, outcomeOf, person, purpose } from '../../../test/helpers/rule-facts.js';
import type { LawfulBasisClaim } from './facts.js';
import type { PlatformId } from './platforms.js';
import {
  art13AtCollection,
  disproportionateEffort,
  listMatchingDisclosed,
  microTargetingDisclosed,
  profilingDisclosed,
  requiredArt13Items,
  type Art13Item,
  type CollectionFacts,
  type NoticeCoverage,
} from './transparency-rules.js';

const BASE_ITEMS: Art13Item[] = [
  'controller_identity',
  'dpo_contact',
  'purposes_and_basis',
  'recipients',
  'retention',
  'rights',
  'complain',
  'requirement',
];

const collection = (
  covers: readonly Art13Item[] | null,
  over: Partial<CollectionFacts['collection']> = {},
): CollectionFacts['collection'] => ({
  kind: 'web_form',
  name: 'Join us',
  privacyInformation: covers === null ? null : { noticeVersion: '3', covers },
  dpoAppointed: true,
  transfersOutsideUk: false,
  automatedDecisions: false,
  ...over,
});

describe('TR-ART13-AT-COLLECTION', () => {
  const pt: LawfulBasisClaim = { kind: 'public_task', necessityNote: 'note' };
  const li: LawfulBasisClaim = { kind: 'legitimate_interests', assessment: null };
  it.each([
    [
      'no privacy information at all',
      'refuse',
      null,
      {},
      pt,
      /collects personal data without giving privacy information/,
    ],
    ['the base items, public task', undefined, BASE_ITEMS, {}, pt, null],
    ['no retention period', 'refuse', BASE_ITEMS.filter((i) => i !== 'retention'), {}, pt, /how long the data is kept/],
    ['legitimate interests not stated', 'refuse', BASE_ITEMS, {}, li, /legitimate interests pursued/],
    ['consent without the right to withdraw', 'refuse', BASE_ITEMS, {}, { kind: 'consent' }, /withdraw consent/],
    ['transfers not stated', 'refuse', BASE_ITEMS, { transfersOutsideUk: true }, pt, /transfers outside the UK/],
    ['profiling not stated', 'refuse', BASE_ITEMS, { automatedDecisions: true }, pt, /automated decision-making/],
    [
      'a canvassing script without the DPO (no DPO appointed)',
      undefined,
      BASE_ITEMS.filter((i) => i !== 'dpo_contact'),
      { kind: 'canvass_script', dpoAppointed: false },
      pt,
      null,
    ],
  ] as const)('%s → %s', (_name, outcome, covers, over, basis, explanation) => {
    const facts = { collection: collection(covers, over), purpose: purpose({ basis }) };
    expect(outcomeOf(art13AtCollection, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(art13AtCollection, facts)).toMatch(explanation);
  });
  it('requires the conditional items only when they apply', () => {
    const facts = { collection: collection(BASE_ITEMS, { dpoAppointed: false }), purpose: purpose({ basis: li }) };
    expect(requiredArt13Items(facts)).toEqual([
      'controller_identity',
      'purposes_and_basis',
      'legitimate_interests',
      'recipients',
      'retention',
      'rights',
      'complain',
      'requirement',
    ]);
  });
});

describe('TR-DISPROPORTIONATE-EFFORT', () => {
  const claimed = {
    claimed: true,
    assessment: 'Two million register entries; a public notice and adverts reach them',
    publicNoticeUrl: 'https://example.org/privacy#register',
    dpiaApproved: true,
  };
  it.each([
    ['not claimed', undefined, { ...claimed, claimed: false, assessment: null }, null],
    ['claimed with all three', undefined, claimed, null],
    ['no assessment', 'require', { ...claimed, assessment: ' ' }, /assessment/],
    ['no public notice', 'require', { ...claimed, publicNoticeUrl: null }, /a public notice/],
    ['no approved DPIA', 'require', { ...claimed, dpiaApproved: false }, /approved DPIA/],
  ] as const)('%s → %s', (_name, outcome, art14Exemption, explanation) => {
    expect(outcomeOf(disproportionateEffort, { art14Exemption })).toBe(outcome);
    if (explanation) expect(explanationOf(disproportionateEffort, { art14Exemption })).toMatch(explanation);
  });
});

describe('TR-LIST-MATCHING-DISCLOSED', () => {
  interface Opts {
    platform?: PlatformId;
    kind?: 'list' | 'lookalike_seed';
    /** The notice version the person was given (default '3'; null: none). */
    given?: string | null;
    older?: NoticeCoverage[];
  }
  const facts = (current: NoticeCoverage | null, opts: Opts = {}) => ({
    ...batch({
      channel: 'social_list_matching',
      people: [person({ noticeVersion: opts.given === undefined ? '3' : opts.given })],
    }),
    audience: { platform: opts.platform ?? 'meta', kind: opts.kind ?? 'list' },
    notices: notices(current, opts.older ?? []),
  });
  const rows: [string, NoticeCoverage | null, Opts, 'refuse' | undefined, RegExp | null][] = [
    ['prominent, naming Meta', notice(), {}, undefined, null],
    ['no published notice', null, { given: null }, 'refuse', /no published privacy notice/],
    ['buried in the notice', notice({ listMatching: 'buried' }), {}, 'refuse', /not prominently/],
    ['not explained at all', notice({ listMatching: 'absent' }), {}, 'refuse', /does not explain matching/],
    ['does not name the platform', notice({ platformsNamed: ['google'] }), {}, 'refuse', /does not name Meta/],
    [
      'a lookalike seed without lookalikes explained',
      notice({ lookalikesExplained: false }),
      { kind: 'lookalike_seed' },
      'refuse',
      /lookalike audiences/,
    ],
    [
      'a person given an older notice that buried it',
      notice({ version: '4' }),
      { given: '2', older: [notice({ version: '2', listMatching: 'buried' })] },
      'refuse',
      /the person was not given a notice that explains it/,
    ],
    ['a person given no notice', notice(), { given: null }, 'refuse', /not given a notice/],
    [
      'a person given an older notice that explained it',
      notice({ version: '4' }),
      { given: '2', older: [notice({ version: '2' })] },
      undefined,
      null,
    ],
  ];
  it.each(rows)('%s → %s', (_name, current, opts, outcome, explanation) => {
    const f = facts(current, opts);
    expect(outcomeOf(listMatchingDisclosed, f)).toBe(outcome);
    if (explanation) expect(explanationOf(listMatchingDisclosed, f)).toMatch(explanation);
  });
});

describe('TR-PROFILING-DISCLOSED', () => {
  const profiling = { inferences: [{ attribute: 'support_score', category: null, inputs: ['canvass_answers'] }] };
  it.each([
    ['profiling explained', undefined, notice()],
    ['profiling not explained', 'refuse', notice({ profilingExplained: false })],
    ['no notice', 'refuse', null],
  ] as const)('profiling run: %s → %s', (_name, outcome, current) => {
    expect(outcomeOf(profilingDisclosed, { profiling, notices: notices(current) })).toBe(outcome);
  });
  const criterion = { name: 'age band 18-24', specialCategory: null, inferred: false };
  it.each([
    ['micro-targeting explained', undefined, [criterion], notice()],
    ['micro-targeting not explained', 'refuse', [criterion], notice({ microTargetingExplained: false })],
    ['no selection criteria (everyone on the list)', undefined, [], notice({ microTargetingExplained: false })],
  ] as const)('audience: %s → %s', (_name, outcome, criteria, current) => {
    expect(
      outcomeOf(microTargetingDisclosed, { targeting: { criteria: [...criteria] }, notices: notices(current) }),
    ).toBe(outcome);
  });
});
