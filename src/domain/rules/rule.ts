/**
 * The shape of a legal rule and of a decision (rule ids and citations: docs/law.md of the
 * research notes, mirrored in catalogue.ts). A rule is a pure function of facts: it returns
 * a finding when it has something to say and null when it is satisfied. A decision combines
 * findings: refuse > require > warn > allow. `require` blocks like `refuse` until the missing
 * record exists; `warn` lets the processing go ahead and is recorded in the audit trail.
 */

export const OUTCOMES = ['allow', 'warn', 'require', 'refuse'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type FindingOutcome = Exclude<Outcome, 'allow'>;

export interface RuleMeta {
  id: string;
  citation: string;
  /** What the rule does when it fires, per the catalogue. */
  action: FindingOutcome;
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

export interface Decision {
  outcome: Outcome;
  findings: Finding[];
}

export interface Rule<F> {
  meta: RuleMeta;
  evaluate(facts: F): Omit<Finding, 'ruleId' | 'citation'> | null;
}

const RANK: Record<Outcome, number> = { allow: 0, warn: 1, require: 2, refuse: 3 };

/** Runs every rule on the facts and combines the findings into one decision. */
export function decide<F>(rules: readonly Rule<F>[], facts: F): Decision {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const found = rule.evaluate(facts);
    if (found) findings.push({ ruleId: rule.meta.id, citation: rule.meta.citation, ...found });
  }
  let outcome: Outcome = 'allow';
  for (const f of findings) if (RANK[f.outcome] > RANK[outcome]) outcome = f.outcome;
  return { outcome, findings };
}

/** Whether the processing may go ahead (allow or warn). */
export const proceeds = (decision: Decision): boolean => decision.outcome === 'allow' || decision.outcome === 'warn';
