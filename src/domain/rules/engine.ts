/**
 * The rules engine: one entry point that decides whether a capability may process personal
 * data, on the facts it gives.
 *
 *   const decision = decideAction({ capability: 'message.email', facts }, { confirmedRules });
 *   // decision.outcome: allow | warn | require | refuse; decision.findings: rule id, citation,
 *   // explanation, remedy. Record it with recordDecision (src/app/decisions.ts) in the same
 *   // transaction, and go ahead only if proceeds(decision).
 *
 * ALL_RULES is the registry: each rule file exports its bindings (rule → capabilities, made
 * with `applies`), and this list gathers them. To register a new rule file, import its
 * bindings and add them here; a capability without any rule is a programming error.
 */
import { CANVASSING_RULES } from './canvassing-rules.js';
import { applies, type ActionOf, type Capability, type CapabilityFacts, type RuleBinding } from './capabilities.js';
import { DPIA_RULES } from './dpia-rules.js';
import { GOVERNANCE_RULES } from './governance-rules.js';
import { IMPORT_RULES } from './import-rules.js';
import { IMPRINT_RULES } from './imprint-rules.js';
import { LAWFUL_BASIS_RULES } from './lawful-basis-rules.js';
import { MARKETING_RULES } from './marketing-rules.js';
import { ONLINE_RULES } from './online-rules.js';
import { PECR_RULES } from './pecr-rules.js';
import { PRIVACY_NOTICE_BINDINGS } from './privacy-notice-rules.js';
import { REGISTER_RULES } from './register-rules.js';
import { RETENTION_RULES } from './retention-rules.js';
import { RIGHTS_RULES } from './rights-rules.js';
import { decide, type DecideOptions, type Decision, type Rule } from './rule.js';
import { SPECIAL_CATEGORY_RULES } from './special-category-rules.js';
import { TRANSPARENCY_RULES } from './transparency-rules.js';

export type { Action, ActionOf, Capability, CapabilityFacts } from './capabilities.js';
export { CAPABILITIES, CAPABILITY_DESCRIPTIONS } from './capabilities.js';

/** Every rule binding, in the order the engine evaluates them. */
export const ALL_RULES: readonly RuleBinding[] = [
  ...IMPORT_RULES.map((rule) => applies(rule, ['import'])),
  // The record first: an incomplete record of processing is the first thing to fix.
  ...GOVERNANCE_RULES,
  ...LAWFUL_BASIS_RULES,
  ...SPECIAL_CATEGORY_RULES,
  ...REGISTER_RULES,
  ...TRANSPARENCY_RULES,
  ...MARKETING_RULES,
  ...PECR_RULES,
  ...ONLINE_RULES,
  ...IMPRINT_RULES,
  ...RIGHTS_RULES,
  ...RETENTION_RULES,
  ...CANVASSING_RULES,
  ...DPIA_RULES,
  ...PRIVACY_NOTICE_BINDINGS,
];

function index(bindings: readonly RuleBinding[]): Map<Capability, Rule<never>[]> {
  const byCapability = new Map<Capability, Rule<never>[]>();
  for (const { rule, capabilities } of bindings) {
    for (const capability of capabilities) {
      const rules = byCapability.get(capability) ?? [];
      if (!rules.includes(rule)) rules.push(rule);
      byCapability.set(capability, rules);
    }
  }
  return byCapability;
}

const BY_CAPABILITY = index(ALL_RULES);

/** The rules checked on a capability, in evaluation order. */
export function rulesFor<K extends Capability>(capability: K): readonly Rule<CapabilityFacts[K]>[] {
  const rules = BY_CAPABILITY.get(capability);
  if (!rules || rules.length === 0) {
    // Deny by default: a capability nobody registered rules for must not process anything.
    throw new Error(`no rules are registered for the capability "${capability}"`);
  }
  // Sound by construction: `applies` only binds a rule to capabilities whose facts it reads.
  return rules;
}

/** The capabilities a rule is checked on (for the docs). */
export function capabilitiesOf(rule: Rule<never>): Capability[] {
  return [...new Set(ALL_RULES.filter((b) => b.rule === rule).flatMap((b) => b.capabilities))];
}

/**
 * Decides an action: every rule registered for its capability runs on its facts. Unconfirmed
 * ([U]) rules only warn unless `options.confirmedRules` names them.
 */
export function decideAction<K extends Capability>(action: ActionOf<K>, options: DecideOptions = {}): Decision {
  return decide(rulesFor(action.capability), action.facts, options);
}
