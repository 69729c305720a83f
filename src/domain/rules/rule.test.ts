/**
 * decide(): combining findings, unconfirmed ([U]) rules as warnings until confirmed, and
 * allow-with-reasoning results.
 */
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE, UNCONFIRMED_RULE_IDS } from './catalogue.js';
import {
  blockingFindings,
  decide,
  proceeds,
  UNCONFIRMED_NOTE,
  type Outcome,
  type Rule,
  type RuleMeta,
} from './rule.js';

const meta = (id: string, over: Partial<RuleMeta> = {}): RuleMeta => ({
  id,
  citation: `citation of ${id}`,
  action: 'refuse',
  when: 'test',
  ...over,
});

/** A rule that gives `outcome` when the facts say so. */
const rule = (m: RuleMeta, outcome: Outcome): Rule<{ fire: boolean }> => ({
  meta: m,
  evaluate: ({ fire }) =>
    !fire
      ? null
      : outcome === 'allow'
        ? { outcome: 'allow', explanation: `${m.id} allows` }
        : { outcome, explanation: `${m.id} says ${outcome}`, remedy: `fix ${m.id}` },
});

describe('decide', () => {
  it.each([
    [[], 'allow'],
    [['warn'], 'warn'],
    [['warn', 'require'], 'require'],
    [['require', 'refuse', 'warn'], 'refuse'],
    [['allow'], 'allow'],
    [['allow', 'warn'], 'warn'],
  ] as const)('findings %j → %s', (outcomes, expected) => {
    const rules = outcomes.map((o, i) => rule(meta(`R-${i}`), o));
    const decision = decide(rules, { fire: true });
    expect(decision.outcome).toBe(expected);
    expect(proceeds(decision)).toBe(expected === 'allow' || expected === 'warn');
    expect(blockingFindings(decision).map((f) => f.outcome)).toEqual(
      outcomes.filter((o) => o === 'refuse' || o === 'require'),
    );
  });

  it('a satisfied rule says nothing', () => {
    expect(decide([rule(meta('R'), 'refuse')], { fire: false })).toEqual({ outcome: 'allow', findings: [] });
  });

  it('ONL-CONTEXTUAL-EXEMPT style: an allow result is kept as reasoning and never blocks', () => {
    const allowing = rule(meta('ONL-CONTEXTUAL-EXEMPT', { action: 'allow' }), 'allow');
    const decision = decide([allowing], { fire: true });
    expect(decision).toEqual({
      outcome: 'allow',
      findings: [],
      reasoning: [
        {
          ruleId: 'ONL-CONTEXTUAL-EXEMPT',
          citation: 'citation of ONL-CONTEXTUAL-EXEMPT',
          outcome: 'allow',
          explanation: 'ONL-CONTEXTUAL-EXEMPT allows',
        },
      ],
    });
  });

  describe('unconfirmed ([U]) rules warn until confirmed', () => {
    const u = (outcome: Outcome) => rule(meta('U-RULE', { unconfirmed: true, action: 'refuse' }), outcome);
    it.each([
      ['refuse, not confirmed', 'refuse', [], 'warn'],
      ['require, not confirmed', 'require', [], 'warn'],
      ['refuse, confirmed', 'refuse', ['U-RULE'], 'refuse'],
      ['require, confirmed', 'require', ['U-RULE'], 'require'],
      ['warn stays warn', 'warn', [], 'warn'],
      ['another rule confirmed', 'refuse', ['OTHER'], 'warn'],
    ] as const)('%s → %s', (_name, outcome, confirmedRules, expected) => {
      const decision = decide([u(outcome)], { fire: true }, { confirmedRules });
      expect(decision.outcome).toBe(expected);
      expect(decision.findings[0]?.outcome).toBe(expected);
      const downgraded = expected === 'warn' && outcome !== 'warn';
      expect(decision.findings[0]?.explanation.endsWith(UNCONFIRMED_NOTE)).toBe(downgraded);
      expect(decision.findings[0]?.remedy).toBe('fix U-RULE');
    });
    it('confirmation does not touch confirmed rules', () => {
      const confirmed = rule(meta('C-RULE'), 'refuse');
      expect(decide([confirmed], { fire: true }).outcome).toBe('refuse');
    });
  });

  it('the catalogue marks SCD-P22-ELIGIBLE, and only it, unconfirmed', () => {
    expect(UNCONFIRMED_RULE_IDS).toEqual(['SCD-P22-ELIGIBLE']);
    expect(RULE_CATALOGUE['ONL-CONTEXTUAL-EXEMPT'].action).toBe('allow');
    expect(Object.keys(RULE_CATALOGUE)).toHaveLength(49);
  });
});
