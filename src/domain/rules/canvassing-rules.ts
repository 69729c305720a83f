/**
 * Canvassing tasks. Since the Elections Act 2022 a political campaigner commits an offence by
 * handling another person's postal ballot paper, postal voting statement or their envelopes
 * (RPA 1983 s.112A); the exceptions (close family, carers, postal workers) are personal, never
 * a campaign task.
 */
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { listOf } from './facts.js';
import type { Rule } from './rule.js';

export const CANVASS_ACTIVITIES = [
  'door_knocking',
  'leafleting',
  'phone_banking',
  'telling',
  'voter_reminder',
  'postal_vote_application_help',
  'collect_postal_votes',
  'deliver_postal_votes',
  'help_complete_postal_vote',
  'handle_postal_vote_envelopes',
] as const;
export type CanvassActivity = (typeof CANVASS_ACTIVITIES)[number];

/** Activities that put a campaigner's hands on someone else's postal vote (RPA 1983 s.112A). */
export const POSTAL_VOTE_HANDLING: readonly CanvassActivity[] = [
  'collect_postal_votes',
  'deliver_postal_votes',
  'help_complete_postal_vote',
  'handle_postal_vote_envelopes',
];

const ACTIVITY_LABELS: Record<CanvassActivity, string> = {
  door_knocking: 'door knocking',
  leafleting: 'leafleting',
  phone_banking: 'phone banking',
  telling: 'telling at polling stations',
  voter_reminder: 'reminding people to vote',
  postal_vote_application_help: 'helping with postal vote applications',
  collect_postal_votes: 'collecting postal votes',
  deliver_postal_votes: 'delivering postal votes',
  help_complete_postal_vote: 'helping people fill in their postal vote',
  handle_postal_vote_envelopes: 'handling postal vote envelopes',
};

export interface CanvassTaskFacts {
  task: { title: string; activities: readonly CanvassActivity[] };
}

/** CANV-POSTAL-VOTE (RPA 1983 s.112A): no task involves handling someone else's postal vote. */
export const noPostalVoteHandling: Rule<CanvassTaskFacts> = {
  meta: RULE_CATALOGUE['CANV-POSTAL-VOTE'],
  evaluate: ({ task }) => {
    const handling = task.activities.filter((a) => POSTAL_VOTE_HANDLING.includes(a));
    if (handling.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The task "${task.title}" involves ${listOf(handling.map((a) => ACTIVITY_LABELS[a]))}. A campaigner who handles another person’s postal ballot paper, postal voting statement or envelope commits an offence.`,
      remedy: 'Remove these activities; volunteers may remind people to post their own vote or hand it in themselves.',
    };
  },
};

export const CANVASSING_RULES: readonly RuleBinding[] = [applies(noPostalVoteHandling, ['canvass.task'])];
