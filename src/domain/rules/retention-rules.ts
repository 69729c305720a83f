/**
 * Storage limitation (UK GDPR Art 5(1)(e)) and keeping the proof of consent (Art 7(1)): when a
 * campaign closes, or a register copy has served its purpose, the data is reviewed and
 * destroyed with a record; but consent evidence stays while any processing relies on it.
 */
import type { ConsentChannel } from '../../shared/labels.js';
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { listOf } from './facts.js';
import type { Rule } from './rule.js';

export interface RegisterCopy {
  sourceId: string;
  name: string;
  type: 'full_register' | 'marked_register' | 'open_register';
  /** When the purpose it was obtained for ends (e.g. the election it was supplied for); null: open-ended. */
  purposeEndsAt: string | null;
  /** The destruction record, if it was destroyed. */
  destroyedAt: string | null;
}

export interface RetentionFacts {
  campaign: {
    /** When the campaign closed (its purposes ended); null while it runs. */
    closedAt: string | null;
    /** The retention review done at or after closing. */
    retentionReviewedAt: string | null;
  };
  registerCopies: readonly RegisterCopy[];
  now: string;
}

/**
 * RET-CAMPAIGN-END (Art 5(1)(e)): a closed campaign needs its retention review, and a register
 * copy past its purpose needs a destruction record.
 */
export const retentionAtCampaignEnd: Rule<RetentionFacts> = {
  meta: RULE_CATALOGUE['RET-CAMPAIGN-END'],
  evaluate: ({ campaign, registerCopies, now }) => {
    const problems: string[] = [];
    if (
      campaign.closedAt !== null &&
      (campaign.retentionReviewedAt === null || new Date(campaign.retentionReviewedAt) < new Date(campaign.closedAt))
    ) {
      problems.push('the campaign has closed without a retention review');
    }
    const expired = registerCopies.filter(
      (c) => c.destroyedAt === null && c.purposeEndsAt !== null && new Date(c.purposeEndsAt) <= new Date(now),
    );
    if (expired.length > 0) {
      problems.push(
        `${listOf(expired.map((c) => `"${c.name}"`))} ${expired.length === 1 ? 'is a register copy' : 'are register copies'} past the purpose ${expired.length === 1 ? 'it was' : 'they were'} obtained for, with no destruction record`,
      );
    }
    if (problems.length === 0) return null;
    return {
      outcome: 'require',
      explanation: `Personal data is kept longer than its purpose: ${listOf(problems)}.`,
      remedy: 'Review what is kept and why, destroy what is no longer needed, and record the destruction.',
    };
  },
};

export interface ConsentEvidenceDeletionFacts {
  evidence: readonly {
    recordId: string;
    purpose: string;
    channel: ConsentChannel;
    /** The running processing that relies on this consent (activities, scheduled sends). */
    reliedOnBy: readonly string[];
  }[];
}

/** RET-CONSENT-PROOF (Art 7(1)): consent evidence is not deleted while processing relies on it. */
export const keepConsentProof: Rule<ConsentEvidenceDeletionFacts> = {
  meta: RULE_CATALOGUE['RET-CONSENT-PROOF'],
  evaluate: ({ evidence }) => {
    const relied = evidence.filter((e) => e.reliedOnBy.length > 0);
    if (relied.length === 0) return null;
    const users = [...new Set(relied.flatMap((e) => e.reliedOnBy))];
    return {
      outcome: 'refuse',
      explanation: `${relied.length === 1 ? 'A consent record' : `${relied.length} consent records`} would be deleted while ${listOf(users.map((u) => `"${u}"`))} still ${users.length === 1 ? 'relies' : 'rely'} on ${relied.length === 1 ? 'it' : 'them'}: the campaign must be able to show the consent (Art 7(1)).`,
      remedy: 'Stop the processing that relies on the consent first, or keep the evidence.',
    };
  },
};

export const RETENTION_RULES: readonly RuleBinding[] = [
  applies(retentionAtCampaignEnd, ['retention.check']),
  applies(keepConsentProof, ['consent_evidence.delete']),
];
