/**
 * The shape of a legal rule and of a decision (rule ids and citations: docs/law.md of the
 * research notes, mirrored in catalogue.ts). A rule is a pure function of facts: it returns
 * a finding when it has something to say and null when it is satisfied. A decision combines
 * findings: refuse > require > warn > allow. `require` blocks like `refuse` until the missing
 * record exists; `warn` lets the processing go ahead and is recorded in the audit trail.
 *
 * A rule whose catalogue action is "allow, record the reasoning" (ONL-CONTEXTUAL-EXEMPT)
 * returns an `allow` result: it never blocks, and its reasoning is kept on the decision
 * (`reasoning`) so that it is recorded in the audit trail like a warning.
 *
 * Rules marked [U] in the research notes (`unconfirmed` in the catalogue) act as warnings
 * until the campaign's DPO confirms them: `decide` turns their refusals and requirements
 * into warnings unless their id is among `options.confirmedRules`.
 */

export const OUTCOMES = ['allow', 'warn', 'require', 'refuse'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type FindingOutcome = Exclude<Outcome, 'allow'>;

export interface RuleMeta {
  id: string;
  citation: string;
  /** What the rule does when it fires, per the catalogue ('allow' records its reasoning). */
  action: Outcome;
  /** One line: when the rule fires. */
  when: string;
  /**
   * Marked [U] in the research notes (not confirmed from a primary source): the rule is applied
   * as a warning, whatever its catalogue action, until confirmed.
   */
  unconfirmed?: boolean;
}

export type { Finding } from '../../shared/views.js';
import type { Finding } from '../../shared/views.js';

/** Why a rule allowed something it could have blocked (recorded, never blocking). */
export interface Reasoning {
  ruleId: string;
  citation: string;
  outcome: 'allow';
  explanation: string;
}

export interface Decision {
  outcome: Outcome;
  findings: Finding[];
  /** Present when an allow-with-reasoning rule applied (ONL-CONTEXTUAL-EXEMPT). */
  reasoning?: Reasoning[];
}

/** What a rule says: a finding, or an allowance with its reasoning. */
export type RuleResult = Omit<Finding, 'ruleId' | 'citation'> | { outcome: 'allow'; explanation: string };

export interface Rule<F> {
  meta: RuleMeta;
  evaluate(facts: F): RuleResult | null;
}

export interface DecideOptions {
  /**
   * Ids of unconfirmed ([U]) rules that the campaign's DPO has confirmed: these act with
   * their catalogue action. Any other unconfirmed rule only warns.
   */
  confirmedRules?: Iterable<string>;
}

/** Appended to the explanation of an unconfirmed rule's finding while it only warns. */
export const UNCONFIRMED_NOTE =
  'This rule could not be confirmed from a primary source, so it only warns until the campaign’s DPO confirms it.';

const RANK: Record<Outcome, number> = { allow: 0, warn: 1, require: 2, refuse: 3 };

/** Runs every rule on the facts and combines the findings into one decision. */
export function decide<F>(rules: readonly Rule<F>[], facts: F, options: DecideOptions = {}): Decision {
  const confirmed = new Set(options.confirmedRules ?? []);
  const findings: Finding[] = [];
  const reasoning: Reasoning[] = [];
  for (const rule of rules) {
    const found = rule.evaluate(facts);
    if (!found) continue;
    const { id: ruleId, citation } = rule.meta;
    if (found.outcome === 'allow') {
      reasoning.push({ ruleId, citation, outcome: 'allow', explanation: found.explanation });
    } else if (rule.meta.unconfirmed && !confirmed.has(ruleId) && found.outcome !== 'warn') {
      findings.push({
        ruleId,
        citation,
        ...found,
        outcome: 'warn',
        explanation: `${found.explanation} ${UNCONFIRMED_NOTE}`,
      });
    } else {
      findings.push({ ruleId, citation, ...found });
    }
  }
  let outcome: Outcome = 'allow';
  for (const f of findings) if (RANK[f.outcome] > RANK[outcome]) outcome = f.outcome;
  return reasoning.length > 0 ? { outcome, findings, reasoning } : { outcome, findings };
}

/** Whether the processing may go ahead (allow or warn). */
export const proceeds = (decision: Decision): boolean => decision.outcome === 'allow' || decision.outcome === 'warn';

/** The findings that block (refuse and require). */
export const blockingFindings = (decision: Decision): Finding[] =>
  decision.findings.filter((f) => f.outcome === 'refuse' || f.outcome === 'require');
