/**
 * Direct marketing and the right to object (UK GDPR Art 21(2)-(3)). Political messaging to an
 * individual is direct marketing (DPA 2018 s.122(5)), on any channel, social-media targeting
 * included; an objection to it is absolute and covers profiling for it, audience uploads and
 * lookalike seeds (ICO guidance). An objector is suppressed, not deleted.
 */
import { applies, PEOPLE_CAPABILITIES, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { agree, capitalize, countOf, listOf, type PeopleFacts, type SubjectFacts } from './facts.js';
import { platformLabel, type PlatformId } from './platforms.js';
import type { Rule } from './rule.js';

/** DM-OBJECTION-ABSOLUTE (Art 21(2)-(3)): nobody who objected is reached; there is no override. */
export const objectionAbsolute: Rule<PeopleFacts> = {
  meta: RULE_CATALOGUE['DM-OBJECTION-ABSOLUTE'],
  evaluate: ({ people }) => {
    const objectors = people.filter((p) => p.objected).length;
    if (objectors === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `${capitalize(countOf(objectors, people.length))} objected to direct marketing (or ${agree(objectors, 'matches', 'match')} a suppression entry). An objection is absolute: they cannot be messaged, profiled, uploaded to an audience or used to seed a lookalike.`,
      remedy: `Leave out the ${objectors === 1 ? 'objector' : `${objectors} objectors`}; nothing can override the objection.`,
    };
  },
};

/** DM-SUPPRESSION (Art 21(3)): a batch is screened against the suppression entries before it goes. */
export const batchScreenedForSuppressions: Rule<PeopleFacts> = {
  meta: RULE_CATALOGUE['DM-SUPPRESSION'],
  evaluate: ({ suppressionScreenedAt }) =>
    suppressionScreenedAt === null
      ? {
          outcome: 'require',
          explanation:
            'This batch has not been screened against the suppression entries, so it may reach people who objected or were erased.',
          remedy: 'Screen the batch against the suppression entries, then decide again.',
        }
      : null,
};

export interface LiveAudience {
  platform: PlatformId;
  audienceId: string;
  name: string;
  /** A removal file or job is queued for the objector. */
  removalQueued: boolean;
}

export interface ObjectionFacts {
  objection: {
    /** Identifiers known for the objector (emails, phones, name and postcode). */
    identifiers: number;
    /** Suppression entries kept for them. */
    suppressionEntries: number;
    /** Live platform audiences the objector was uploaded to. */
    liveAudiences: readonly LiveAudience[];
  };
}

/** DM-SUPPRESSION (Art 21(3)): an objection is kept as a suppression entry for every identifier. */
export const objectionKeptAsSuppression: Rule<ObjectionFacts> = {
  meta: RULE_CATALOGUE['DM-SUPPRESSION'],
  evaluate: ({ objection }) => {
    if (objection.suppressionEntries > 0 && objection.suppressionEntries >= objection.identifiers) return null;
    return {
      outcome: 'require',
      explanation:
        objection.suppressionEntries === 0
          ? 'The objection is not kept as a suppression entry, so a later import or batch could bring the person back.'
          : `Only ${objection.suppressionEntries} of the objector’s ${objection.identifiers} identifiers are kept as suppression entries.`,
      remedy: 'Keep a suppression entry for each of the objector’s identifiers.',
    };
  },
};

/** DM-REMOVE-FROM-LIVE-AUDIENCES (Art 21(3); platform terms): an objector leaves every live audience. */
export const removeFromLiveAudiences: Rule<ObjectionFacts> = {
  meta: RULE_CATALOGUE['DM-REMOVE-FROM-LIVE-AUDIENCES'],
  evaluate: ({ objection }) => {
    const pending = objection.liveAudiences.filter((a) => !a.removalQueued);
    if (pending.length === 0) return null;
    return {
      outcome: 'require',
      explanation: `The objector is in ${pending.length === 1 ? 'a live audience' : `${pending.length} live audiences`} with no removal queued: ${listOf(pending.map((a) => `"${a.name}" on ${platformLabel(a.platform)}`))}.`,
      remedy: 'Queue a removal file or job for each live audience.',
    };
  },
};

export interface PostSubject extends SubjectFacts {
  /** Has already been sent the candidate's s.91 election address. */
  electionAddressSent: boolean;
}

export interface PostFacts extends PeopleFacts<PostSubject> {
  post: {
    /**
     * The mailing is the candidate's one free election address at a UK Parliamentary election
     * (RPA 1983 s.91).
     */
    s91ElectionAddress: boolean;
  };
}

/**
 * DM-POST-S91 (RPA 1983 s.91): addressed post does not go to objectors, except the candidate's
 * one election address at a parliamentary election — which each elector may receive once.
 */
export const postToObjectors: Rule<PostFacts> = {
  meta: RULE_CATALOGUE['DM-POST-S91'],
  evaluate: ({ people, post }) => {
    const objectors = people.filter((p) => p.objected);
    if (objectors.length === 0) return null;
    if (!post.s91ElectionAddress) {
      return {
        outcome: 'refuse',
        explanation: `${capitalize(countOf(objectors.length, people.length))} objected to direct marketing; addressed post to them is refused. Only a candidate’s one free election address at a parliamentary election (RPA 1983 s.91) may still go to them.`,
        remedy: 'Leave out the objectors.',
      };
    }
    const again = objectors.filter((p) => p.electionAddressSent).length;
    if (again === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `${capitalize(countOf(again, people.length))} objected and ${agree(again, 'has', 'have')} already been sent the s.91 election address: the candidate is entitled to one.`,
      remedy: 'Leave out the objectors who already received the election address.',
    };
  },
};

export const MARKETING_RULES: readonly RuleBinding[] = [
  // Addressed post to objectors has a rule of its own (postToObjectors, below).
  applies(
    objectionAbsolute,
    PEOPLE_CAPABILITIES.filter((c) => c !== 'post.addressed'),
  ),
  applies(batchScreenedForSuppressions, PEOPLE_CAPABILITIES),
  applies(objectionKeptAsSuppression, ['objection.record']),
  applies(removeFromLiveAudiences, ['objection.record']),
  applies(postToObjectors, ['post.addressed']),
];
