/**
 * DPIA test helpers: the seven steps filled in (a Meta custom audience of supporters), and a
 * clock for use cases that read the date (review dates, overdue actions).
 */
import type { AppDeps } from '../../src/app/context.js';

/** Use-case deps whose clock reads `iso` (a date or a date-time). */
export const at = (deps: AppDeps, iso: string): AppDeps => ({
  ...deps,
  now: () => new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso),
});

export const SUPPORTER_AUDIENCE = { activity: { kind: 'custom_audience', platform: 'Meta' } } as const;

/** Steps 1–6 complete, with one risk that stays high unless `residual` says otherwise. */
export function stepsOneToSix(
  residual: { likelihood: string; severity: string } = { likelihood: 'possible', severity: 'significant' },
) {
  return {
    needSummary:
      'Show get-out-the-vote adverts to supporters on Meta; screening found data matching and invisible processing.',
    description: {
      nature: 'Hashed emails of supporters are uploaded to Meta and matched against its users',
      scope: 'About 5,000 supporters in one constituency, for six weeks',
      context: 'Supporters gave their emails at events and on the website',
      purposes: 'Remind supporters to vote',
    },
    consultation: {
      entries: [
        {
          kind: 'individuals',
          who: 'Ten supporters at a local meeting',
          when: '2026-11-01',
          views: 'Happy if it is explained clearly',
          response: 'Privacy notice section rewritten',
        },
      ],
    },
    necessity: {
      lawfulBasis: 'consent',
      lawfulBasisReasons: 'Explicit consent to list matching at sign-up',
      art9Condition: 'Art 9(2)(a) explicit consent',
      necessity: 'No less intrusive way to reach supporters on Meta',
      functionCreep: 'The audience is deleted after polling day',
      dataMinimisation: 'Email only',
      dataQuality: 'Bounced emails are removed weekly',
      informationToIndividuals: 'Privacy notice section on list matching, near the top',
      rights: 'Objectors excluded before upload; removal file on objection',
      processors: 'None',
      transfers: 'Meta Platforms Ireland: UK adequacy regulations',
    },
    risks: [
      {
        id: 'exposure',
        description: 'Supporters identified as such by the platform',
        likelihood: 'probable',
        severity: 'severe',
        measures: [{ description: 'Hashed identifiers only; objectors excluded', effect: 'reduced' }],
        residualLikelihood: residual.likelihood,
        residualSeverity: residual.severity,
      },
    ],
  };
}

export function signOff(reviewDate = '2027-06-01') {
  return {
    signOff: {
      measuresApprovedBy: 'Campaign manager',
      residualRisksApprovedBy: 'Campaign manager',
      dpoAdvice: 'Proceed with the measures; review after polling day',
      dpoAdviceAccepted: true,
      acceptedBy: 'Election agent',
      reviewer: 'DPO',
      reviewDate,
    },
  };
}
