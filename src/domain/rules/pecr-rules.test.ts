/**
 * PECR rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { batch, consent, CONTROLLER, explanationOf, NOW, outcomeOf, person } from '../../../test/helpers/rule-facts.js';
import type { UseChannel } from './facts.js';
import {
  automatedCallConsent,
  cookieNoOtherBasis,
  cookiePriorConsent,
  electronicMailConsent,
  exceptionScope,
  identityAndOptOut,
  isExempt,
  noSoftOptIn,
  SCH_A1_NEW_EXCEPTIONS_FROM,
  telephonePreference,
  TPS_SCREENING_MAX_AGE_DAYS,
  type CallSubject,
  type MessageFacts,
  type Technology,
} from './pecr-rules.js';

describe('PECR-R22-PRIOR-CONSENT', () => {
  it.each([
    ['email, consent to us by email', undefined, 'email', consent({ channel: 'email' })],
    ['sms, consent to us by sms', undefined, 'sms', consent({ channel: 'sms' })],
    ['sms, consent only by email', 'refuse', 'sms', consent({ channel: 'email' })],
    ['email, consent to another campaign', 'refuse', 'email', consent({ controllerId: 'party-hq' })],
    ['email, consent withdrawn', 'refuse', 'email', consent({ withdrawnAt: '2026-11-02T00:00:00Z' })],
    ['email, consent for another purpose', 'refuse', 'email', consent({ purpose: 'fundraising' })],
    ['email, consent without its wording', 'refuse', 'email', consent({ wordingHash: null })],
    ['direct message, consent by email only', 'refuse', 'social_dm', consent({ channel: 'email' })],
    ['voicemail, consent by phone only', 'refuse', 'voicemail', consent({ channel: 'phone' })],
  ] as const)('%s → %s', (_name, outcome, channel: UseChannel, c) => {
    const facts = batch({ channel, people: [person({ lawfulBasis: 'public_task', consents: [c] })] });
    expect(outcomeOf(electronicMailConsent, facts)).toBe(outcome);
  });
  it('counts and names the sender', () => {
    const facts = batch({ people: [person(), person({ consents: [] })] });
    expect(explanationOf(electronicMailConsent, facts)).toMatch(
      /^1 of 2 people gave Smith for Exampletown no standing consent to receive "campaign_updates" by email/,
    );
  });
});

const message = (over: Partial<MessageFacts['message']> = {}): MessageFacts => ({
  message: {
    softOptInClaimed: false,
    sender: { shownAs: CONTROLLER.name, concealed: false },
    optOut: { method: 'link', target: 'https://example.org/unsubscribe', testedAt: NOW },
    ...over,
  },
});

describe('PECR-R22-NO-SOFT-OPT-IN', () => {
  it.each([
    ['soft opt-in claimed', 'refuse', true],
    ['consent relied on', undefined, false],
  ] as const)('%s → %s', (_name, outcome, softOptInClaimed) => {
    expect(outcomeOf(noSoftOptIn, message({ softOptInClaimed }))).toBe(outcome);
  });
});

describe('PECR-R23-IDENTITY-OPTOUT', () => {
  it.each([
    ['named sender, tested unsubscribe link', undefined, {}, null],
    ['no sender name', 'refuse', { sender: { shownAs: '', concealed: false } }, /does not say who sends it/],
    ['a concealed sender', 'refuse', { sender: { shownAs: 'Local News', concealed: true } }, /conceals/],
    ['no opt-out', 'refuse', { optOut: { method: null, target: null, testedAt: null } }, /no way to opt out/],
    [
      'an opt-out with no target',
      'refuse',
      { optOut: { method: 'reply', target: ' ', testedAt: null } },
      /no way to opt out/,
    ],
    [
      'an untested opt-out',
      'refuse',
      { optOut: { method: 'reply', target: 'STOP to 60000', testedAt: null } },
      /not been tested working/,
    ],
  ] as const)('%s → %s', (_name, outcome, over, explanation) => {
    expect(outcomeOf(identityAndOptOut, message(over))).toBe(outcome);
    if (explanation) expect(explanationOf(identityAndOptOut, message(over))).toMatch(explanation);
  });
});

describe('PECR-R21-TPS', () => {
  const caller = (over: Partial<CallSubject> = {}): CallSubject => ({
    ...person({ lawfulBasis: 'public_task', consents: [] }),
    tpsRegistered: false,
    askedNotToCall: false,
    ...over,
  });
  const daysAgo = (d: number) => new Date(new Date(NOW).getTime() - d * 86_400_000).toISOString();
  const facts = (people: CallSubject[], tpsScreenedAt: string | null = daysAgo(3)) => ({
    ...batch({ channel: 'phone' }),
    people,
    call: { tpsScreenedAt },
    now: NOW,
  });
  it.each([
    ['screened, not on TPS', undefined, [caller()], daysAgo(3), null],
    ['never screened', 'refuse', [caller()], null, /not been screened/],
    [
      `screened ${TPS_SCREENING_MAX_AGE_DAYS + 1} days ago`,
      'refuse',
      [caller()],
      daysAgo(TPS_SCREENING_MAX_AGE_DAYS + 1),
      /more than 28 days old/,
    ],
    [
      `screened ${TPS_SCREENING_MAX_AGE_DAYS} days ago`,
      undefined,
      [caller()],
      daysAgo(TPS_SCREENING_MAX_AGE_DAYS),
      null,
    ],
    ['on TPS, no consent', 'refuse', [caller({ tpsRegistered: true })], daysAgo(1), /is on the TPS register/],
    [
      'on TPS, agreed to our calls (reg 21(4))',
      undefined,
      [caller({ tpsRegistered: true, consents: [consent({ channel: 'phone' })] })],
      daysAgo(1),
      null,
    ],
    [
      'asked us to stop, even with an old consent',
      'refuse',
      [caller({ askedNotToCall: true, consents: [consent({ channel: 'phone' })] })],
      daysAgo(1),
      /asked this campaign not to call/,
    ],
  ] as const)('%s → %s', (_name, outcome, people, screened, explanation) => {
    const f = facts([...people], screened);
    expect(outcomeOf(telephonePreference, f)).toBe(outcome);
    if (explanation) expect(explanationOf(telephonePreference, f)).toMatch(explanation);
  });
});

describe('PECR-R19-AUTOMATED', () => {
  it.each([
    ['consent to automated calls', undefined, [consent({ channel: 'automated_call' })]],
    ['consent to live calls only', 'refuse', [consent({ channel: 'phone' })]],
    ['no consent', 'refuse', []],
    ['consent to another caller', 'refuse', [consent({ channel: 'automated_call', controllerId: 'x' })]],
  ] as const)('%s → %s', (_name, outcome, consents) => {
    const facts = batch({ channel: 'automated_call', people: [person({ consents: [...consents] })] });
    expect(outcomeOf(automatedCallConsent, facts)).toBe(outcome);
  });
});

const tech = (over: Partial<Technology> = {}): Technology => ({
  name: 'Meta pixel',
  purpose: 'social_pixel',
  platform: 'meta',
  firstParty: false,
  basis: 'consent',
  exception: null,
  exceptionNoticeGiven: false,
  objectionMeans: false,
  runsBeforeConsent: false,
  defaultOn: false,
  ...over,
});
const analytics = (over: Partial<Technology> = {}): Technology =>
  tech({
    name: 'Site statistics',
    purpose: 'statistics',
    platform: null,
    firstParty: true,
    basis: 'exception',
    exception: 'statistics',
    exceptionNoticeGiven: true,
    objectionMeans: true,
    runsBeforeConsent: true,
    ...over,
  });
const site = (technologies: Technology[], now = NOW) => ({ site: { technologies }, now });

describe('PECR-R6-PRIOR-CONSENT', () => {
  it.each([
    ['a pixel held until consent', undefined, [tech()]],
    ['a pixel that fires on page load', 'refuse', [tech({ runsBeforeConsent: true })]],
    ['a pixel pre-ticked in the banner', 'refuse', [tech({ defaultOn: true })]],
    [
      'fingerprinting claiming strictly necessary',
      'refuse',
      [
        tech({
          purpose: 'fingerprinting',
          basis: 'exception',
          exception: 'strictly_necessary',
          runsBeforeConsent: true,
        }),
      ],
    ],
    ['first-party statistics with notice and objection', undefined, [analytics()]],
    [
      'a session cookie, strictly necessary',
      undefined,
      [
        tech({
          name: 'session',
          purpose: 'strictly_necessary',
          platform: null,
          firstParty: true,
          basis: 'exception',
          exception: 'strictly_necessary',
          runsBeforeConsent: true,
        }),
      ],
    ],
    ['statistics without a way to object, running early', 'refuse', [analytics({ objectionMeans: false })]],
  ] as const)('%s → %s', (_name, outcome, technologies) => {
    expect(outcomeOf(cookiePriorConsent, site([...technologies]))).toBe(outcome);
  });
  it('names the technologies', () => {
    expect(explanationOf(cookiePriorConsent, site([tech({ runsBeforeConsent: true, defaultOn: true })]))).toBe(
      'Meta pixel would run before the visitor consents and Meta pixel would be switched on by default. Only exempt technologies may run without consent; advertising, retargeting, social pixels and plugins and fingerprinting never are.',
    );
  });
});

describe('PECR-R6-EXCEPTION-SCOPE', () => {
  it.each([
    ['no exception claimed', undefined, tech(), null],
    ['statistics, first-party, notice and objection', undefined, analytics(), null],
    [
      'appearance with notice and objection',
      undefined,
      analytics({ name: 'Theme', purpose: 'appearance', exception: 'appearance' }),
      null,
    ],
    [
      'a pixel claiming statistics',
      'refuse',
      tech({ basis: 'exception', exception: 'statistics' }),
      /no exception covers/,
    ],
    [
      'advertising claiming strictly necessary',
      'refuse',
      tech({ purpose: 'advertising', exception: 'strictly_necessary' }),
      /no exception covers/,
    ],
    [
      'an embed claiming strictly necessary',
      'refuse',
      tech({ name: 'Video', purpose: 'embed', exception: 'strictly_necessary' }),
      /used for embed/,
    ],
    ['third-party statistics', 'refuse', analytics({ name: 'Hosted analytics', firstParty: false }), /third party’s/],
    [
      'statistics without information',
      'refuse',
      analytics({ exceptionNoticeGiven: false }),
      /without clear information/,
    ],
    [
      'appearance without a way to object',
      'refuse',
      analytics({ purpose: 'appearance', exception: 'appearance', objectionMeans: false }),
      /simple, free way to object/,
    ],
  ] as const)('%s → %s', (_name, outcome, t, explanation) => {
    expect(outcomeOf(exceptionScope, site([t]))).toBe(outcome);
    if (explanation) expect(explanationOf(exceptionScope, site([t]))).toMatch(explanation);
  });
  it(`the statistics exception is not in force before ${SCH_A1_NEW_EXCEPTIONS_FROM}`, () => {
    expect(outcomeOf(exceptionScope, site([analytics()], '2026-01-15T00:00:00Z'))).toBe('refuse');
    expect(isExempt(analytics(), '2026-01-15T00:00:00Z')).toBe(false);
    expect(isExempt(analytics(), NOW)).toBe(true);
  });
});

describe('PECR-R6-NO-OTHER-BASIS', () => {
  it.each([
    ['consent', undefined, tech({ basis: 'consent' })],
    ['a Sch A1 exception', undefined, analytics()],
    ['public task ("democratic engagement")', 'refuse', tech({ basis: 'public_task' })],
    ['legitimate interests', 'refuse', tech({ basis: 'legitimate_interests' })],
  ] as const)('%s → %s', (_name, outcome, t) => {
    expect(outcomeOf(cookieNoOtherBasis, site([t]))).toBe(outcome);
  });
});
