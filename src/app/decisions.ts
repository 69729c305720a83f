/**
 * Recording the rules engine's decisions (src/domain/rules/engine.ts) in the audit trail:
 * every refusal, requirement and warning — and every allowance whose reasoning the catalogue
 * says to record (ONL-CONTEXTUAL-EXEMPT) — is written in the caller's transaction, so the
 * decision and the processing it allowed (or the refusal) commit together (UK GDPR Art 5(2)).
 *
 * The facts the engine decided on are not written: they can hold personal data. The caller
 * passes ids (`ref`) that say what was decided on.
 *
 *   const decision = decideAction(action, { confirmedRules });
 *   await recordDecision(tx, principal, campaignId, { capability: action.capability, ref: { audienceId } }, decision, now);
 *   if (!proceeds(decision)) throw refusalError(action.capability, decision);
 */
import type { Tx } from '../db/scope.js';
import type { AuditActor, RuleFindingData } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { CAPABILITY_DESCRIPTIONS, type Capability } from '../domain/rules/capabilities.js';
import { blockingFindings, type Decision, type Finding, type Reasoning } from '../domain/rules/rule.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, type Principal } from './context.js';

/** What was decided: the capability, and ids of what it acted on (never personal data). */
export interface DecidedAction {
  capability: Capability;
  ref?: Record<string, string>;
}

/** Findings as the audit trail stores them (RuleFindingData). */
export function auditFindings(findings: readonly (Finding | Reasoning)[]): RuleFindingData[] {
  return findings.map((f) => ({
    ruleId: f.ruleId,
    citation: f.citation,
    outcome: f.outcome,
    explanation: f.explanation,
    ...('remedy' in f ? { remedy: f.remedy } : {}),
  }));
}

/** Whether the audit trail must keep this decision: anything but a plain allow. */
const mustRecord = (decision: Decision): boolean =>
  decision.outcome !== 'allow' || decision.findings.length > 0 || (decision.reasoning?.length ?? 0) > 0;

const isPrincipal = (who: Principal | AuditActor): who is Principal => 'userId' in who;

/**
 * Writes the decision to the audit trail (event `rules.decided`) in the caller's transaction,
 * unless it is a plain allow. Returns the event's sequence number, or null when nothing was written.
 */
export async function recordDecision(
  tx: Tx,
  who: Principal | AuditActor,
  campaignId: string,
  action: DecidedAction,
  decision: Decision,
  now: Date = new Date(),
): Promise<number | null> {
  if (!mustRecord(decision)) return null;
  const { seq } = await appendAuditEvent(
    tx,
    campaignId,
    isPrincipal(who) ? actorOf(who) : who,
    {
      type: 'rules.decided',
      data: {
        capability: action.capability,
        outcome: decision.outcome,
        ref: action.ref ?? null,
        findings: auditFindings(decision.findings),
        reasoning: auditFindings(decision.reasoning ?? []),
      },
    },
    now,
  );
  return seq;
}

/** The rule_refused error for a decision that does not proceed, naming each blocking rule. */
export function refusalError(capability: Capability, decision: Decision): AppError {
  const blocking = blockingFindings(decision);
  return new AppError(
    'rule_refused',
    `${CAPABILITY_DESCRIPTIONS[capability]}: refused by ${blocking.map((f) => `${f.ruleId} (${f.citation}): ${f.explanation}`).join(' ')}`,
    { findings: decision.findings },
  );
}
