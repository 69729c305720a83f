/**
 * The DPIA's pure parts, table-driven: the ICO risk matrix, the risk map, completeness of
 * the seven steps, the life of a version, expiry, overdue actions and activity cover.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_CONTENT,
  contentForNewVersion,
  coverOf,
  highestResidualLevel,
  isActionOverdue,
  isExpired,
  issuesOfSteps,
  nextStatus,
  residualHighRisks,
  reviewStateOf,
  riskMap,
  risksSchema,
  stepCompleteness,
  withRiskIds,
  type CoverVersion,
  type DpiaTransition,
} from './dpia-assessment.js';
import { screen } from './dpia.js';
import {
  LIKELIHOODS,
  RISK_MATRIX,
  SEVERITIES,
  riskLevel,
  type DpiaContent,
  type DpiaRisk,
  type DpiaStatus,
  type Likelihood,
  type RiskLevel,
  type Severity,
} from '../shared/dpia.js';

const risk = (over: Partial<DpiaRisk> = {}): DpiaRisk => ({
  id: 'r1',
  description: 'People on the list are identified as supporters by the platform',
  likelihood: 'probable',
  severity: 'significant',
  measures: [{ description: 'Upload hashed identifiers only; exclude objectors', effect: 'reduced' }],
  residualLikelihood: 'possible',
  residualSeverity: 'significant',
  ...over,
});

describe('the ICO risk matrix', () => {
  const table: [Likelihood, Severity, RiskLevel][] = [
    ['remote', 'minimal', 'low'],
    ['remote', 'significant', 'low'],
    ['remote', 'severe', 'low'],
    ['possible', 'minimal', 'low'],
    ['possible', 'significant', 'medium'],
    ['possible', 'severe', 'high'],
    ['probable', 'minimal', 'low'],
    ['probable', 'significant', 'high'],
    ['probable', 'severe', 'high'],
  ];
  it.each(table)('%s × %s → %s', (likelihood, severity, level) => {
    expect(riskLevel(likelihood, severity)).toBe(level);
  });
  it('has a cell for every likelihood and severity', () => {
    expect(table).toHaveLength(LIKELIHOODS.length * SEVERITIES.length);
    for (const l of LIKELIHOODS) for (const s of SEVERITIES) expect(RISK_MATRIX[l][s]).toBeDefined();
  });
});

describe('risk map', () => {
  it('places each risk before and after its measures, worst corner first', () => {
    const map = riskMap([
      risk({ id: 'a' }),
      risk({
        id: 'b',
        likelihood: 'possible',
        severity: 'severe',
        residualLikelihood: 'remote',
        residualSeverity: 'severe',
      }),
      risk({ id: 'c', residualLikelihood: null, residualSeverity: null }),
    ]);
    expect(map).toHaveLength(9);
    expect(map[0]).toMatchObject({ likelihood: 'probable', severity: 'minimal' });
    expect(map[8]).toMatchObject({ likelihood: 'remote', severity: 'severe', level: 'low', before: [], after: ['R2'] });
    const cell = (l: Likelihood, s: Severity) => map.find((c) => c.likelihood === l && c.severity === s)!;
    expect(cell('probable', 'significant')).toMatchObject({ level: 'high', before: ['R1', 'R3'], after: [] });
    expect(cell('possible', 'severe')).toMatchObject({ before: ['R2'], after: [] });
    expect(cell('possible', 'significant')).toMatchObject({ level: 'medium', before: [], after: ['R1'] });
    // R3 has no residual score yet: it appears only before.
    expect(map.flatMap((c) => c.after)).not.toContain('R3');
  });

  it('counts a risk without a residual score at its inherent level', () => {
    const risks = [risk({ residualLikelihood: null, residualSeverity: null }), risk({ id: 'b' })];
    expect(residualHighRisks(risks).map((r) => r.label)).toEqual(['R1']);
    expect(highestResidualLevel(risks)).toBe('high');
    expect(highestResidualLevel([risk()])).toBe('medium');
    expect(highestResidualLevel([])).toBeNull();
  });
});

describe('risks input', () => {
  it('assigns ids to new risks and keeps given ones', () => {
    const parsed = risksSchema.parse([
      { id: 'kept', description: 'x', likelihood: 'remote', severity: 'minimal' },
      { description: 'y', likelihood: 'possible', severity: 'severe' },
    ]);
    let n = 0;
    const risks = withRiskIds(parsed, () => `new-${++n}`);
    expect(risks.map((r) => r.id)).toEqual(['kept', 'new-1']);
    expect(risks[1]).toMatchObject({ measures: [], residualLikelihood: null, residualSeverity: null });
  });
  it.each([
    [[{ description: 'x', likelihood: 'likely', severity: 'minimal' }], '0.likelihood'],
    [[{ description: '', likelihood: 'remote', severity: 'minimal' }], '0.description'],
    [
      [{ description: 'x', likelihood: 'remote', severity: 'minimal', residualLikelihood: 'remote' }],
      '0.residualSeverity',
    ],
    [
      [
        { id: 'a', description: 'x', likelihood: 'remote', severity: 'minimal' },
        { id: 'a', description: 'y', likelihood: 'remote', severity: 'minimal' },
      ],
      '1.id',
    ],
    [
      [
        {
          description: 'x',
          likelihood: 'remote',
          severity: 'minimal',
          measures: [{ description: 'm', effect: 'ignored' }],
        },
      ],
      '0.measures.0.effect',
    ],
  ])('%j is refused naming %s', (input, field) => {
    const parsed = risksSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});

const TODAY = '2026-11-29';
const screening = screen({ activity: { kind: 'custom_audience', platform: 'Meta' } });

function completeContent(over: Partial<DpiaContent> = {}): DpiaContent {
  return {
    needSummary: 'Meta custom audience of supporters; screening: data matching and invisible processing.',
    description: {
      nature: 'Hashed emails of supporters uploaded to Meta',
      scope: '5,000 supporters, one constituency, six weeks',
      context: 'Supporters gave their emails at events',
      purposes: 'Show supporters get-out-the-vote adverts',
    },
    consultation: {
      entries: [
        {
          kind: 'individuals',
          who: 'Ten supporters',
          when: '2026-11-01',
          views: 'Fine if told clearly',
          response: 'Notice updated',
        },
      ],
      notConsultedReason: null,
    },
    necessity: {
      lawfulBasis: 'consent',
      lawfulBasisReasons: 'Explicit consent to list matching at sign-up',
      art9Condition: 'Art 9(2)(a) explicit consent',
      necessity: 'No less intrusive way to reach supporters on Meta',
      functionCreep: 'Audience deleted after polling day',
      dataMinimisation: 'Email only',
      dataQuality: 'Bounced emails removed',
      informationToIndividuals: 'Privacy notice section on list matching',
      rights: 'Objectors excluded; removal file on objection',
      processors: 'None',
      transfers: 'Meta Platforms Ireland; UK Addendum',
    },
    risks: [risk()],
    signOff: {
      measuresApprovedBy: 'Campaign manager',
      residualRisksApprovedBy: 'Campaign manager',
      dpoAdvice: 'Proceed with the measures',
      dpoAdviceAccepted: true,
      dpoOverruledReasons: null,
      acceptedBy: 'Agent',
      reviewer: 'DPO',
      reviewDate: '2027-05-01',
    },
    icoConsultation: null,
    ...over,
  };
}

describe('completeness of the seven steps', () => {
  it('an empty DPIA lacks something in every step', () => {
    const c = stepCompleteness(EMPTY_CONTENT, screening, TODAY);
    expect(c.map((s) => [s.step, s.complete])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
      [5, false],
      [6, true], // no risks, so no measures are missing yet: step 5 says so
      [7, false],
    ]);
  });
  it('a complete DPIA has no issues', () => {
    expect(issuesOfSteps(stepCompleteness(completeContent(), screening, TODAY), 7)).toEqual([]);
  });
  const base = completeContent();
  it.each<[string, Partial<DpiaContent>, string]>([
    ['no need summary', { needSummary: ' ' }, 'needSummary'],
    ['no purposes', { description: { ...base.description, purposes: '' } }, 'description.purposes'],
    [
      'nobody consulted, no reason',
      { consultation: { entries: [], notConsultedReason: null } },
      'consultation.entries',
    ],
    [
      'people concerned not consulted, no reason (Art 35(9))',
      {
        consultation: {
          entries: [{ kind: 'dpo', who: 'DPO', when: '2026-11-01', views: 'ok', response: '' }],
          notConsultedReason: null,
        },
      },
      'consultation.notConsultedReason',
    ],
    ['no lawful basis', { necessity: { ...base.necessity, lawfulBasis: null } }, 'necessity.lawfulBasis'],
    ['no function-creep answer', { necessity: { ...base.necessity, functionCreep: '' } }, 'necessity.functionCreep'],
    ['no transfers answer', { necessity: { ...base.necessity, transfers: '' } }, 'necessity.transfers'],
    [
      'special category without Art 9 condition',
      { necessity: { ...base.necessity, art9Condition: null } },
      'necessity.art9Condition',
    ],
    ['no risks', { risks: [] }, 'risks'],
    [
      'no residual score',
      { risks: [risk({ residualLikelihood: null, residualSeverity: null })] },
      'risks.0.residualLikelihood',
    ],
    ['a high risk without measures', { risks: [risk({ measures: [] })] }, 'risks.0.measures'],
    ['no DPO advice', { signOff: { ...base.signOff, dpoAdvice: null } }, 'signOff.dpoAdvice'],
    [
      'DPO advice acceptance unknown',
      { signOff: { ...base.signOff, dpoAdviceAccepted: null } },
      'signOff.dpoAdviceAccepted',
    ],
    [
      'DPO overruled without reasons',
      { signOff: { ...base.signOff, dpoAdviceAccepted: false } },
      'signOff.dpoOverruledReasons',
    ],
    ['nobody accepted it', { signOff: { ...base.signOff, acceptedBy: null } }, 'signOff.acceptedBy'],
    ['no measures approver', { signOff: { ...base.signOff, measuresApprovedBy: '' } }, 'signOff.measuresApprovedBy'],
    [
      'no residual approver',
      { signOff: { ...base.signOff, residualRisksApprovedBy: null } },
      'signOff.residualRisksApprovedBy',
    ],
    ['no review date', { signOff: { ...base.signOff, reviewDate: null } }, 'signOff.reviewDate'],
    ['a review date in the past', { signOff: { ...base.signOff, reviewDate: TODAY } }, 'signOff.reviewDate'],
  ])('%s → %s', (_name, over, field) => {
    const issues = issuesOfSteps(stepCompleteness(completeContent(over), screening, TODAY), 7);
    expect(issues.map((i) => i.field)).toEqual([field]);
  });
  it('a low risk may stand without measures; a stated reason replaces consulting people', () => {
    const c = completeContent({
      risks: [
        risk({
          likelihood: 'remote',
          severity: 'severe',
          measures: [],
          residualLikelihood: 'remote',
          residualSeverity: 'severe',
        }),
      ],
      consultation: { entries: [], notConsultedReason: 'Too close to polling day; DPO consulted instead' },
    });
    expect(issuesOfSteps(stepCompleteness(c, screening, TODAY), 7)).toEqual([]);
  });
  it('no Art 9 condition is asked for when screening found no special category data', () => {
    const plain = screen({ facts: { dataMatching: true } });
    const c = completeContent({ necessity: { ...base.necessity, art9Condition: null } });
    expect(issuesOfSteps(stepCompleteness(c, plain, TODAY), 7)).toEqual([]);
  });
});

describe('life of a version', () => {
  const table: [DpiaStatus, DpiaTransition, DpiaStatus | null][] = [
    ['draft', 'submit', 'in_review'],
    ['draft', 'approve', null],
    ['draft', 'reject', null],
    ['draft', 'return_to_draft', null],
    ['in_review', 'submit', null],
    ['in_review', 'return_to_draft', 'draft'],
    ['in_review', 'approve', 'approved'],
    ['in_review', 'reject', 'rejected'],
    ['approved', 'submit', null],
    ['approved', 'approve', null],
    ['approved', 'reject', null],
    ['approved', 'return_to_draft', null],
    ['rejected', 'submit', null],
    ['rejected', 'approve', null],
    ['rejected', 'return_to_draft', null],
  ];
  it.each(table)('%s --%s--> %s', (from, transition, to) => {
    expect(nextStatus(from, transition)).toBe(to);
  });

  it('a new version copies everything but the sign-off', () => {
    const previous = completeContent({
      icoConsultation: {
        submittedOn: '2026-11-02',
        reference: 'IC-1',
        summary: 's',
        adviceReceivedOn: null,
        advice: null,
      },
    });
    const next = contentForNewVersion(previous);
    expect(next.risks).toEqual(previous.risks);
    expect(next.risks).not.toBe(previous.risks);
    expect(next.icoConsultation).toEqual(previous.icoConsultation);
    expect(next.signOff).toEqual({ ...EMPTY_CONTENT.signOff, reviewer: 'DPO' });
  });
});

describe('dates', () => {
  it.each([
    [null, 'current', false],
    ['2027-06-01', 'current', false],
    ['2026-12-29', 'due_soon', false],
    ['2026-11-29', 'due_soon', false],
    ['2026-11-28', 'expired', true],
  ] as const)('review date %s → %s', (reviewDate, state, expired) => {
    expect(reviewStateOf(reviewDate, TODAY)).toBe(state);
    expect(isExpired(reviewDate, TODAY)).toBe(expired);
  });
  it.each([
    ['2026-11-28', false, true],
    ['2026-11-28', true, false],
    ['2026-11-29', false, false],
  ] as const)('action due %s, done %s → overdue %s', (dueDate, done, overdue) => {
    expect(isActionOverdue({ dueDate, done }, TODAY)).toBe(overdue);
  });
});

describe('activity cover', () => {
  const A = 'activity-a';
  const v = (version: number, status: DpiaStatus, over: Partial<CoverVersion> = {}): CoverVersion => ({
    dpiaId: 'd1',
    version,
    status,
    activityId: A,
    reviewDate: '2027-01-01',
    ...over,
  });
  it.each<[string, CoverVersion[], boolean, string]>([
    ['no DPIA', [], false, 'none'],
    ['a draft', [v(1, 'draft')], false, 'in_progress'],
    ['in review', [v(1, 'in_review')], false, 'in_progress'],
    ['approved', [v(1, 'approved')], true, 'approved'],
    ['approved, past its review date', [v(1, 'approved', { reviewDate: '2026-11-01' })], false, 'expired'],
    ['rejected', [v(1, 'rejected')], false, 'rejected'],
    ['approved, then a draft revision', [v(1, 'approved'), v(2, 'draft')], true, 'approved'],
    ['approved, then rejected', [v(1, 'approved'), v(2, 'rejected')], false, 'rejected'],
    ['rejected, then approved', [v(1, 'rejected'), v(2, 'approved')], true, 'approved'],
    ['approved for another activity', [v(1, 'approved', { activityId: 'other' })], false, 'none'],
    [
      'approved, then relinked to another activity and approved',
      [v(1, 'approved'), v(2, 'approved', { activityId: 'other' })],
      false,
      'none',
    ],
    ['one DPIA rejected, another approved', [v(1, 'rejected'), v(1, 'approved', { dpiaId: 'd2' })], true, 'approved'],
  ])('%s → covered %s (%s)', (_name, versions, covered, state) => {
    const cover = coverOf(A, versions, TODAY);
    expect({ covered: cover.covered, state: cover.state }).toEqual({ covered, state });
    expect(cover.explanation.length).toBeGreaterThan(10);
  });
});
