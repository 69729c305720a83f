/**
 * Canvassing rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { explanationOf, outcomeOf } from '../../../test/helpers/rule-facts.js';
import {
  CANVASS_ACTIVITIES,
  noPostalVoteHandling,
  POSTAL_VOTE_HANDLING,
  type CanvassActivity,
} from './canvassing-rules.js';

describe('CANV-POSTAL-VOTE', () => {
  it.each(CANVASS_ACTIVITIES.map((a) => [a, POSTAL_VOTE_HANDLING.includes(a) ? 'refuse' : undefined] as const))(
    'a task of %s → %s',
    (activity, outcome) => {
      expect(outcomeOf(noPostalVoteHandling, { task: { title: 'Saturday', activities: [activity] } })).toBe(outcome);
    },
  );
  it('names the offending activities of a mixed task', () => {
    const activities: CanvassActivity[] = ['door_knocking', 'collect_postal_votes', 'help_complete_postal_vote'];
    expect(explanationOf(noPostalVoteHandling, { task: { title: 'Estate blitz', activities } })).toMatch(
      /"Estate blitz" involves collecting postal votes and helping people fill in their postal vote/,
    );
  });
});
