/**
 * The DPIA rules, table-driven, each case naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import type { DpiaCoverView, IcoConsultation } from '../../shared/dpia.js';
import { screen } from '../dpia.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { DPIA_RULES, decideDpiaCover, type DpiaCoverFacts, type ResidualRiskFacts } from './dpia-rules.js';
import { decideAction } from './engine.js';

/** DPIA-RESIDUAL-HIGH is checked when a DPIA is approved (the capability dpia.approve). */
const decideDpiaApproval = (facts: ResidualRiskFacts) => decideAction({ capability: 'dpia.approve', facts });

const required = screen({ activity: { kind: 'custom_audience', platform: 'Meta' } }).result;
const notRequired = screen({ activity: { kind: 'email_marketing' } }).result;

const cover = (
  state: DpiaCoverView['state'],
  over: Partial<DpiaCoverFacts['dpia']['cover']> = {},
): DpiaCoverFacts['dpia']['cover'] => ({
  covered: state === 'approved',
  state,
  version: state === 'none' ? null : 2,
  reviewDate: state === 'none' ? null : '2026-10-01',
  ...over,
});

describe('DPIA-HIGH-RISK', () => {
  it('takes its id, citation and action from the catalogue', () => {
    expect(DPIA_RULES[0]?.rule.meta).toBe(RULE_CATALOGUE['DPIA-HIGH-RISK']);
    expect(DPIA_RULES[0]?.rule.meta.citation).toMatch(/Art 35/);
  });
  it.each<[string, DpiaCoverFacts['dpia'], 'allow' | 'require', RegExp | null]>([
    ['needed, no DPIA', { screening: required, cover: cover('none') }, 'require', /there is no DPIA/],
    [
      'needed, a draft',
      { screening: required, cover: cover('in_progress') },
      'require',
      /version 2\) is not approved yet/,
    ],
    [
      'needed, expired',
      { screening: required, cover: cover('expired') },
      'require',
      /passed its review date \(2026-10-01\)/,
    ],
    ['needed, rejected', { screening: required, cover: cover('rejected') }, 'require', /was rejected/],
    ['needed, approved and current', { screening: required, cover: cover('approved') }, 'allow', null],
    ['not needed, no DPIA', { screening: notRequired, cover: cover('none') }, 'allow', null],
    ['not needed, rejected DPIA', { screening: notRequired, cover: cover('rejected') }, 'allow', null],
  ])('DPIA-HIGH-RISK: %s → %s', (_name, facts, outcome, explanation) => {
    const decision = decideDpiaCover(facts);
    expect(decision.outcome).toBe(outcome);
    const finding = decision.findings.find((f) => f.ruleId === 'DPIA-HIGH-RISK');
    if (explanation) {
      expect(finding?.explanation).toMatch(explanation);
      // The reasons screening found are named, and there is always a way forward.
      expect(finding?.explanation).toMatch(/combining, comparing or matching/);
      expect(finding?.explanation).toMatch(/invisible processing/);
      expect(finding?.remedy).toBeTruthy();
      expect(finding?.citation).toBe(RULE_CATALOGUE['DPIA-HIGH-RISK'].citation);
    } else {
      expect(finding).toBeUndefined();
    }
  });
  it('DPIA-HIGH-RISK: the remedy fits the state', () => {
    const remedy = (state: DpiaCoverView['state']) =>
      decideDpiaCover({ screening: required, cover: cover(state) }).findings[0]?.remedy;
    expect(remedy('expired')).toMatch(/Review the DPIA/);
    expect(remedy('rejected')).toMatch(/reasons for rejection/);
    expect(remedy('none')).toMatch(/all seven steps/);
  });
});

describe('DPIA-RESIDUAL-HIGH', () => {
  const high = [{ label: 'R2', description: 'Supporters exposed as such if the platform account is compromised' }];
  const consulted: IcoConsultation = {
    submittedOn: '2026-11-02',
    reference: 'IC-123',
    summary: 'DPIA sent',
    adviceReceivedOn: null,
    advice: null,
  };
  it('takes its id, citation and action from the catalogue', () => {
    expect(DPIA_RULES[1]?.rule.meta).toBe(RULE_CATALOGUE['DPIA-RESIDUAL-HIGH']);
    expect(DPIA_RULES[1]?.rule.meta.citation).toMatch(/Art 36/);
  });
  it.each([
    ['no residual high risk', [], null, 'allow', null],
    ['a residual high risk, ICO not consulted', high, null, 'require', /R2 \(Supporters exposed.*must be consulted/],
    [
      'a residual high risk, ICO consulted, no advice yet',
      high,
      consulted,
      'warn',
      /consulted on 2026-11-02.*eight weeks/,
    ],
    [
      "a residual high risk, the ICO's advice recorded",
      high,
      { ...consulted, adviceReceivedOn: '2026-12-01', advice: 'Proceed with care' },
      'allow',
      null,
    ],
  ] as const)('DPIA-RESIDUAL-HIGH: %s → %s', (_name, residualHigh, icoConsultation, outcome, explanation) => {
    const decision = decideDpiaApproval({ residualHigh, icoConsultation });
    expect(decision.outcome).toBe(outcome);
    const finding = decision.findings.find((f) => f.ruleId === 'DPIA-RESIDUAL-HIGH');
    if (explanation) expect(finding?.explanation).toMatch(explanation);
    else expect(finding).toBeUndefined();
  });
  it('DPIA-RESIDUAL-HIGH: counts several risks', () => {
    const two = [...high, { label: 'R3', description: 'x'.repeat(200) }];
    const finding = decideDpiaApproval({ residualHigh: two, icoConsultation: null }).findings[0];
    expect(finding?.explanation).toMatch(/^2 risks stay high/);
    expect(finding?.explanation).toMatch(/R3 \(x+…\)/);
  });
});
