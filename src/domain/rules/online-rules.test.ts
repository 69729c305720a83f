/**
 * Online targeting rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { explanationOf, notice, outcomeOf, purpose } from '../../../test/helpers/rule-facts.js';
import {
  adChecklist,
  contextualExempt,
  jointControllerArrangement,
  platformEligibility,
  type AdFacts,
  type Art26Scope,
  type JointControllerFacts,
  type PlatformUseFacts,
} from './online-rules.js';
import { PLATFORMS, type PlatformId } from './platforms.js';

describe('ONL-JOINT-CONTROLLER', () => {
  const facts = (
    jointProcessing: JointControllerFacts['jointProcessing'],
    arrangements: JointControllerFacts['arrangements'],
  ): JointControllerFacts => ({ jointProcessing, arrangements });
  const meta = (...scopes: Art26Scope[]) => ({ platform: 'meta' as const, scopes });
  it.each([
    [
      'custom audience with an arrangement',
      undefined,
      [{ platform: 'meta', scope: 'custom_audiences' }],
      [meta('custom_audiences')],
    ],
    ['custom audience with none', 'refuse', [{ platform: 'meta', scope: 'custom_audiences' }], []],
    [
      'lookalike, arrangement for custom audiences only',
      'refuse',
      [{ platform: 'meta', scope: 'lookalikes' }],
      [meta('custom_audiences')],
    ],
    [
      'pixel, arrangement with another platform',
      'refuse',
      [{ platform: 'meta', scope: 'pixels_plugins' }],
      [{ platform: 'x', scopes: ['pixels_plugins'] }],
    ],
    [
      'page insights covered',
      undefined,
      [{ platform: 'meta', scope: 'page_insights' }],
      [meta('page_insights', 'pixels_plugins')],
    ],
    ['no joint processing', undefined, [], []],
  ] as const)('%s → %s', (_name, outcome, joint, arrangements) => {
    expect(outcomeOf(jointControllerArrangement, facts([...joint], [...arrangements]))).toBe(outcome);
  });
  it('names each uncovered scope and platform', () => {
    const f = facts(
      [
        { platform: 'meta', scope: 'custom_audiences' },
        { platform: 'google', scope: 'pixels_plugins' },
      ],
      [],
    );
    expect(explanationOf(jointControllerArrangement, f)).toMatch(
      /custom audiences on Meta \(Facebook, Instagram\) and pixels and plugins on Google/,
    );
  });
});

describe('ONL-PLATFORM-ELIGIBILITY', () => {
  const use = (platform: PlatformId, over: Partial<PlatformUseFacts['platformUse']> = {}): PlatformUseFacts => ({
    platformUse: { platform, authorised: true, customerList: true, electionAd: true, ad: null, ...over },
  });
  const expected: Record<PlatformId, 'refuse' | undefined> = {
    meta: undefined,
    google: 'refuse', // customer lists for UK election ads
    x: undefined,
    snap: undefined,
    linkedin: 'refuse',
    tiktok: 'refuse',
  };
  it.each(PLATFORMS.map((p) => [p, expected[p]] as const))(
    'a customer-list election audience on %s → %s',
    (p, outcome) => {
      expect(outcomeOf(platformEligibility, use(p))).toBe(outcome);
    },
  );
  it.each([
    [
      'Meta without its authorisation',
      'refuse',
      use('meta', { authorised: false }),
      /social issues, elections or politics/,
    ],
    ['Google interest targeting (no customer list)', undefined, use('google', { customerList: false }), null],
    ['Google customer list for a non-election ad', undefined, use('google', { electionAd: false }), null],
    ['Snap ad without "paid for by"', 'refuse', use('snap', { ad: { paidForBy: null } }), /paid for by/],
    [
      'Snap ad with "paid for by"',
      undefined,
      use('snap', { ad: { paidForBy: 'Paid for by Smith for Exampletown' } }),
      null,
    ],
    [
      'LinkedIn, any political ad',
      'refuse',
      use('linkedin', { customerList: false, electionAd: false }),
      /does not allow political adverts/,
    ],
    ['TikTok, any political ad', 'refuse', use('tiktok', { customerList: false }), /does not allow political adverts/],
  ] as const)('%s → %s', (_name, outcome, facts, explanation) => {
    expect(outcomeOf(platformEligibility, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(platformEligibility, facts)).toMatch(explanation);
  });
});

const ad = (over: Partial<AdFacts['ad']> = {}, rest: Partial<Omit<AdFacts, 'ad'>> = {}): AdFacts => ({
  purpose: purpose(),
  jointProcessing: [{ platform: 'meta', scope: 'custom_audiences' }],
  arrangements: [{ platform: 'meta', scopes: ['custom_audiences', 'lookalikes', 'pixels_plugins'] }],
  notice: notice(),
  ad: {
    platform: 'meta',
    targeting: ['customer_list'],
    criteria: [],
    accessesDevices: false,
    deviceConsent: false,
    explicitConsent: false,
    dpiaApproved: true,
    processorsContracted: true,
    ...over,
  },
  ...rest,
});

describe('ONL-AD-CHECKLIST', () => {
  const sensitive = [{ name: 'interest: Labour Party', specialCategory: 'political_opinion' as const, inferred: true }];
  it.each([
    ['every item in place', undefined, ad(), null],
    [
      'retargeting without cookie consent',
      'refuse',
      ad({ targeting: ['retargeting'], accessesDevices: true }),
      /prior consent for cookies/,
    ],
    [
      'retargeting with cookie consent',
      undefined,
      ad({ targeting: ['retargeting'], accessesDevices: true, deviceConsent: true }),
      null,
    ],
    [
      'political interests without explicit consent',
      'refuse',
      ad({ targeting: ['interest'], criteria: sensitive }),
      /explicit consent for the special category data/,
    ],
    ['no lawful basis', 'refuse', ad({}, { purpose: purpose({ basis: null }) }), /a complete lawful basis/],
    ['no approved DPIA', 'refuse', ad({ dpiaApproved: false }), /an approved DPIA/],
    ['no privacy notice', 'refuse', ad({}, { notice: null }), /clear privacy information/],
    [
      'list matching buried',
      'refuse',
      ad({}, { notice: notice({ listMatching: 'buried' }) }),
      /clear privacy information/,
    ],
    [
      'no joint-controller arrangement',
      'refuse',
      ad({}, { arrangements: [] }),
      /processor and joint-controller arrangements/,
    ],
    [
      'a processor without Art 28 terms',
      'refuse',
      ad({ processorsContracted: false }),
      /processor and joint-controller arrangements/,
    ],
    [
      'contextual only (another rule)',
      undefined,
      ad({ targeting: ['contextual'], dpiaApproved: false }, { notice: null }),
      null,
    ],
    [
      'contextual but with a frequency-capping cookie',
      'refuse',
      ad({ targeting: ['contextual'], accessesDevices: true, dpiaApproved: false }),
      /prior consent for cookies and similar technologies \(PECR reg 6\) and an approved DPIA/,
    ],
  ] as const)('%s → %s', (_name, outcome, facts, explanation) => {
    expect(outcomeOf(adChecklist, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(adChecklist, facts)).toMatch(explanation);
  });
});

describe('ONL-CONTEXTUAL-EXEMPT (allow, record the reasoning)', () => {
  it.each([
    ['contextual, no device access', 'allow', ad({ targeting: ['contextual'] })],
    ['contextual with device access', undefined, ad({ targeting: ['contextual'], accessesDevices: true })],
    ['contextual and interests', undefined, ad({ targeting: ['contextual', 'interest'] })],
    ['list-based', undefined, ad()],
    ['no targeting stated', undefined, ad({ targeting: [] })],
  ] as const)('%s → %s', (_name, outcome, facts) => {
    expect(outcomeOf(contextualExempt, facts)).toBe(outcome);
    if (outcome) expect(explanationOf(contextualExempt, facts)).toMatch(/PECR reg 6 is not engaged.*Art 2/);
  });
});
