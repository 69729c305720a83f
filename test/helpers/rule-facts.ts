/**
 * Facts for the rules' table-driven tests: a compliant default for every shape, so each table
 * row changes only what it is about.
 */
import type { BatchFacts } from '../../src/domain/rules/capabilities.js';
import type { ConsentFact, ControllerRef, PurposeRef, SubjectFacts, UseChannel } from '../../src/domain/rules/facts.js';
import type { Rule } from '../../src/domain/rules/rule.js';
import type { NoticeCoverage, NoticeFacts } from '../../src/domain/rules/transparency-rules.js';

export const NOW = '2026-11-29T12:00:00.000Z';

export const CONTROLLER: ControllerRef = { id: 'campaign-1', name: 'Smith for Exampletown', type: 'candidate' };

export const PURPOSE: PurposeRef = {
  name: 'campaign_updates',
  category: 'campaigning',
  basis: { kind: 'public_task', necessityNote: 'Telling electors about the candidate supports democratic engagement.' },
};

export const purpose = (over: Partial<PurposeRef> = {}): PurposeRef => ({ ...PURPOSE, ...over });

export function consent(over: Partial<ConsentFact> = {}): ConsentFact {
  return {
    controllerId: CONTROLLER.id,
    purpose: PURPOSE.name,
    channel: 'email',
    givenAt: '2026-10-01T10:00:00Z',
    method: 'web form "Join us" v3',
    wordingHash: 'a'.repeat(64),
    wordingVersion: 'v3',
    withdrawnAt: null,
    explicit: false,
    ...over,
  };
}

let next = 0;
export function person(over: Partial<SubjectFacts> = {}): SubjectFacts {
  next += 1;
  return {
    personId: `person-${next}`,
    objected: false,
    sourceTypes: ['web_form'],
    lawfulBasis: 'consent',
    consents: [consent()],
    noticeVersion: '3',
    ...over,
  };
}

/** A person who consented on every channel the tests use. */
export const consentingOn = (channels: readonly UseChannel[], over: Partial<ConsentFact> = {}): ConsentFact[] =>
  channels.map((channel) => consent({ channel, ...over }));

export function batch(over: Partial<BatchFacts> & { channel?: UseChannel } = {}): BatchFacts {
  const channel = over.channel ?? 'email';
  return {
    controller: CONTROLLER,
    purpose: PURPOSE,
    channel,
    people: [person({ consents: [consent({ channel })] })],
    suppressionScreenedAt: NOW,
    ...over,
  };
}

/** A notice version that explains everything, naming every platform. */
export function notice(over: Partial<NoticeCoverage> = {}): NoticeCoverage {
  return {
    version: '3',
    listMatching: 'prominent',
    platformsNamed: ['meta', 'google', 'x', 'snap'],
    lookalikesExplained: true,
    profilingExplained: true,
    microTargetingExplained: true,
    ...over,
  };
}

export function notices(
  current: NoticeCoverage | null = notice(),
  older: NoticeCoverage[] = [],
): NoticeFacts['notices'] {
  return { current, versions: [...older, ...(current ? [current] : [])] };
}

/** The outcome a rule gives on the facts (undefined: satisfied). */
export const outcomeOf = <F>(rule: Rule<F>, facts: F): string | undefined => rule.evaluate(facts)?.outcome;

/** The explanation a rule gives on the facts ('' when satisfied). */
export const explanationOf = <F>(rule: Rule<F>, facts: F): string => rule.evaluate(facts)?.explanation ?? '';
