/**
 * The DPIA itself (UK GDPR Art 35(7)), following the ICO's seven steps: need (the screening),
 * description of the processing, consultation, necessity and proportionality, risks scored
 * likelihood × severity, measures with the residual risk, and sign-off. Pure: schemas for
 * each step, what makes a step complete, the life of a version, the risk map, the action
 * plan's overdue items, expiry by review date, and whether a DPIA covers an activity.
 */
import { z } from 'zod';
import {
  CONSULTEE_KINDS,
  DPIA_STEPS,
  LIKELIHOODS,
  MEASURE_EFFECTS,
  REVIEW_DUE_SOON_DAYS,
  SEVERITIES,
  higherLevel,
  riskLevel,
  type DpiaContent,
  type DpiaCoverView,
  type DpiaRisk,
  type DpiaStatus,
  type ReviewState,
  type RiskLevel,
  type RiskMapCell,
  type RiskView,
  type Screening,
  type StepCompleteness,
} from '../shared/dpia.js';
import { LAWFUL_BASES } from '../shared/labels.js';
import type { FieldIssue } from './errors.js';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max);
const date = (what: string) => z.iso.date(`${what} is a date (YYYY-MM-DD)`);

// ---------------------------------------------------------------------------------------
// The steps, as input
// ---------------------------------------------------------------------------------------

/** Step 2: nature, scope, context and purposes (Art 35(7)(a)). */
export const descriptionSchema = z
  .object({
    nature: text(8000).default(''),
    scope: text(8000).default(''),
    context: text(8000).default(''),
    purposes: text(8000).default(''),
  })
  .strict();

/** Step 3: who was consulted, when, what they said — or why not (Art 35(2), 35(9)). */
export const consultationSchema = z
  .object({
    entries: z
      .array(
        z
          .object({
            kind: z.enum(CONSULTEE_KINDS),
            who: required(200, 'who was consulted'),
            when: date('when they were consulted'),
            views: required(4000, 'what they said'),
            response: text(4000).default(''),
          })
          .strict(),
      )
      .max(50)
      .default([]),
    notConsultedReason: text(4000).nullable().default(null),
  })
  .strict();

/** Step 4: necessity, proportionality and compliance measures (Art 35(7)(b)). */
export const necessitySchema = z
  .object({
    lawfulBasis: z.enum(LAWFUL_BASES).nullable().default(null),
    lawfulBasisReasons: text(8000).default(''),
    art9Condition: text(4000).nullable().default(null),
    necessity: text(8000).default(''),
    functionCreep: text(8000).default(''),
    dataMinimisation: text(8000).default(''),
    dataQuality: text(8000).default(''),
    informationToIndividuals: text(8000).default(''),
    rights: text(8000).default(''),
    processors: text(8000).default(''),
    transfers: text(8000).default(''),
  })
  .strict();

const RISK_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Steps 5 and 6: each risk scored, its measures, and the risk that remains after them (Art 35(7)(c),(d)). */
export const riskSchema = z
  .object({
    id: z.string().regex(RISK_ID, 'a risk id is lower-case letters, digits and dashes').optional(),
    description: required(4000, 'a description of the risk to people'),
    likelihood: z.enum(LIKELIHOODS),
    severity: z.enum(SEVERITIES),
    measures: z
      .array(z.object({ description: required(4000, 'the measure'), effect: z.enum(MEASURE_EFFECTS) }).strict())
      .max(30)
      .default([]),
    residualLikelihood: z.enum(LIKELIHOODS).nullable().default(null),
    residualSeverity: z.enum(SEVERITIES).nullable().default(null),
  })
  .strict()
  .refine((r) => (r.residualLikelihood === null) === (r.residualSeverity === null), {
    message: 'give both the residual likelihood and the residual severity, or neither',
    path: ['residualSeverity'],
  });
export const risksSchema = z
  .array(riskSchema)
  .max(100)
  .superRefine((risks, ctx) => {
    const seen = new Set<string>();
    risks.forEach((r, i) => {
      if (r.id === undefined) return;
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', message: 'risk ids must be unique', path: [i, 'id'] });
      seen.add(r.id);
    });
  });
export type RiskInput = z.infer<typeof riskSchema>;

/** Step 7: sign-off and outcomes (ICO template; the DPO's advice, Art 35(2), 39(1)(c)). */
export const signOffSchema = z
  .object({
    measuresApprovedBy: text(200).nullable().default(null),
    residualRisksApprovedBy: text(200).nullable().default(null),
    dpoAdvice: text(8000).nullable().default(null),
    dpoAdviceAccepted: z.boolean().nullable().default(null),
    dpoOverruledReasons: text(4000).nullable().default(null),
    acceptedBy: text(200).nullable().default(null),
    reviewer: text(200).nullable().default(null),
    reviewDate: date('the review date').nullable().default(null),
  })
  .strict();

/** Prior consultation with the ICO (Art 36(1),(3)). */
export const icoConsultationSchema = z
  .object({
    submittedOn: date('the date the ICO was consulted'),
    reference: text(100).nullable().default(null),
    summary: required(8000, 'a summary of what was sent to the ICO'),
    adviceReceivedOn: date("the date of the ICO's written advice").nullable().default(null),
    advice: text(8000).nullable().default(null),
  })
  .strict();

export const EMPTY_CONTENT: DpiaContent = {
  needSummary: '',
  description: { nature: '', scope: '', context: '', purposes: '' },
  consultation: { entries: [], notConsultedReason: null },
  necessity: {
    lawfulBasis: null,
    lawfulBasisReasons: '',
    art9Condition: null,
    necessity: '',
    functionCreep: '',
    dataMinimisation: '',
    dataQuality: '',
    informationToIndividuals: '',
    rights: '',
    processors: '',
    transfers: '',
  },
  risks: [],
  signOff: {
    measuresApprovedBy: null,
    residualRisksApprovedBy: null,
    dpoAdvice: null,
    dpoAdviceAccepted: null,
    dpoOverruledReasons: null,
    acceptedBy: null,
    reviewer: null,
    reviewDate: null,
  },
  icoConsultation: null,
};

/** Risks as stored: every one has an id (new ones get `newId()`). */
export function withRiskIds(risks: readonly RiskInput[], newId: () => string): DpiaRisk[] {
  return risks.map((r) => ({
    id: r.id ?? newId(),
    description: r.description,
    likelihood: r.likelihood,
    severity: r.severity,
    measures: r.measures.map((m) => ({ description: m.description, effect: m.effect })),
    residualLikelihood: r.residualLikelihood,
    residualSeverity: r.residualSeverity,
  }));
}

// ---------------------------------------------------------------------------------------
// Risks and the risk map
// ---------------------------------------------------------------------------------------

export const residualLevelOf = (risk: DpiaRisk): RiskLevel | null =>
  risk.residualLikelihood && risk.residualSeverity ? riskLevel(risk.residualLikelihood, risk.residualSeverity) : null;

export function presentRisks(risks: readonly DpiaRisk[]): RiskView[] {
  return risks.map((r, i) => ({
    ...r,
    label: `R${i + 1}`,
    level: riskLevel(r.likelihood, r.severity),
    residualLevel: residualLevelOf(r),
  }));
}

/**
 * The likelihood × severity grid, most likely and most severe first (the top-right corner is
 * the worst), with each risk placed where it was scored before measures and where it remains
 * after them. A risk without a residual score yet appears only before.
 */
export function riskMap(risks: readonly DpiaRisk[]): RiskMapCell[] {
  const views = presentRisks(risks);
  const cells: RiskMapCell[] = [];
  for (const likelihood of [...LIKELIHOODS].reverse()) {
    for (const severity of SEVERITIES) {
      cells.push({
        likelihood,
        severity,
        level: riskLevel(likelihood, severity),
        before: views.filter((r) => r.likelihood === likelihood && r.severity === severity).map((r) => r.label),
        after: views
          .filter((r) => r.residualLikelihood === likelihood && r.residualSeverity === severity)
          .map((r) => r.label),
      });
    }
  }
  return cells;
}

/**
 * The risks that stay high after their measures (DPIA-RESIDUAL-HIGH, Art 36(1)). A risk not
 * yet given a residual score counts at its inherent level: nothing shows it was reduced.
 */
export function residualHighRisks(risks: readonly DpiaRisk[]): RiskView[] {
  return presentRisks(risks).filter((r) => (r.residualLevel ?? r.level) === 'high');
}

export function highestResidualLevel(risks: readonly DpiaRisk[]): RiskLevel | null {
  let highest: RiskLevel | null = null;
  for (const r of presentRisks(risks)) highest = higherLevel(highest, r.residualLevel ?? r.level);
  return highest;
}

// ---------------------------------------------------------------------------------------
// Completeness of each step
// ---------------------------------------------------------------------------------------

const blank = (value: string | null | undefined): boolean => !value || value.trim() === '';

/**
 * What each of the seven steps still lacks. Steps 1–6 must be complete to send the DPIA for
 * review; all seven to approve it. `today` is YYYY-MM-DD.
 */
export function stepCompleteness(content: DpiaContent, screening: Screening, today: string): StepCompleteness[] {
  const issues: Record<(typeof DPIA_STEPS)[number]['key'], FieldIssue[]> = {
    need: [],
    description: [],
    consultation: [],
    necessity: [],
    risks: [],
    measures: [],
    signOff: [],
  };
  const need = (key: keyof typeof issues, field: string, message: string): void => {
    issues[key].push({ field, message });
  };

  if (blank(content.needSummary)) {
    need('need', 'needSummary', 'say what the project aims to achieve and why a DPIA is needed');
  }

  for (const key of ['nature', 'scope', 'context', 'purposes'] as const) {
    if (blank(content.description[key]))
      need('description', `description.${key}`, `describe the ${key} of the processing`);
  }

  const { entries, notConsultedReason } = content.consultation;
  if (entries.length === 0 && blank(notConsultedReason)) {
    need('consultation', 'consultation.entries', 'record who was consulted, or why no one was');
  } else if (!entries.some((e) => e.kind === 'individuals') && blank(notConsultedReason)) {
    need(
      'consultation',
      'consultation.notConsultedReason',
      'seek the views of the people concerned, or say why that is not appropriate (Art 35(9))',
    );
  }

  const n = content.necessity;
  if (n.lawfulBasis === null) need('necessity', 'necessity.lawfulBasis', 'choose the lawful basis (Art 6(1))');
  const necessityFields = [
    ['lawfulBasisReasons', 'give the reasons for the lawful basis (the assessment, for legitimate interests)'],
    ['necessity', 'say how the processing achieves the purpose and why there is no less intrusive way'],
    ['functionCreep', 'say how function creep is prevented'],
    ['dataMinimisation', 'say how the data is kept to the minimum needed'],
    ['dataQuality', 'say how data quality is ensured'],
    ['informationToIndividuals', 'say what information people are given, and how'],
    ['rights', 'say how people can exercise their rights (objection to direct marketing is absolute)'],
    ['processors', 'say how processors are held to their instructions (or that none is used)'],
    ['transfers', 'say how transfers outside the UK are safeguarded (or that there are none)'],
  ] as const;
  for (const [key, message] of necessityFields) {
    if (blank(n[key])) need('necessity', `necessity.${key}`, message);
  }
  if (screening.facts.specialCategories.length > 0 && blank(n.art9Condition)) {
    need('necessity', 'necessity.art9Condition', 'special category data is involved: give the Art 9 condition');
  }

  if (content.risks.length === 0) need('risks', 'risks', 'identify at least one risk to people and score it');
  content.risks.forEach((risk, i) => {
    if (risk.residualLikelihood === null || risk.residualSeverity === null) {
      need('measures', `risks.${i}.residualLikelihood`, `R${i + 1}: score the risk that remains after the measures`);
    }
    const inherent = riskLevel(risk.likelihood, risk.severity);
    if (risk.measures.length === 0 && inherent !== 'low') {
      need(
        'measures',
        `risks.${i}.measures`,
        `R${i + 1}: a ${inherent} risk needs a measure, or a measure recording that it is accepted`,
      );
    }
  });

  const s = content.signOff;
  if (blank(s.measuresApprovedBy)) need('signOff', 'signOff.measuresApprovedBy', 'record who approved the measures');
  if (blank(s.residualRisksApprovedBy)) {
    need('signOff', 'signOff.residualRisksApprovedBy', 'record who approved the residual risks');
  }
  if (blank(s.dpoAdvice)) need('signOff', 'signOff.dpoAdvice', "record the DPO's advice");
  if (s.dpoAdviceAccepted === null) {
    need('signOff', 'signOff.dpoAdviceAccepted', "record whether the DPO's advice was accepted");
  }
  if (s.dpoAdviceAccepted === false && blank(s.dpoOverruledReasons)) {
    need('signOff', 'signOff.dpoOverruledReasons', "the DPO's advice was overruled: give the reasons");
  }
  if (blank(s.acceptedBy)) need('signOff', 'signOff.acceptedBy', 'record who accepted the DPIA for the controller');
  if (s.reviewDate === null) need('signOff', 'signOff.reviewDate', 'set the date by which the DPIA is reviewed');
  else if (s.reviewDate <= today) need('signOff', 'signOff.reviewDate', 'the review date must be in the future');

  return DPIA_STEPS.map(({ step, key }) => ({ step, key, complete: issues[key].length === 0, issues: issues[key] }));
}

/** The issues of the given steps, flattened (e.g. steps 1–6 to submit, all to approve). */
export const issuesOfSteps = (completeness: readonly StepCompleteness[], upToStep: number): FieldIssue[] =>
  completeness.filter((s) => s.step <= upToStep).flatMap((s) => s.issues);

// ---------------------------------------------------------------------------------------
// Life of a version
// ---------------------------------------------------------------------------------------

export type DpiaTransition = 'submit' | 'return_to_draft' | 'approve' | 'reject';

const TRANSITIONS: Record<DpiaTransition, { from: readonly DpiaStatus[]; to: DpiaStatus }> = {
  submit: { from: ['draft'], to: 'in_review' },
  return_to_draft: { from: ['in_review'], to: 'draft' },
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review'], to: 'rejected' },
};

/** The status after a transition, or null when the version's status does not allow it. */
export function nextStatus(status: DpiaStatus, transition: DpiaTransition): DpiaStatus | null {
  const t = TRANSITIONS[transition];
  return t.from.includes(status) ? t.to : null;
}

/** Approved and rejected versions are the record of a decision: immutable. */
export const isEditable = (status: DpiaStatus): boolean => status === 'draft' || status === 'in_review';
/** A new version may be started only from a decided one (an open version is edited instead). */
export const canStartNewVersion = (latest: DpiaStatus): boolean => !isEditable(latest);

/**
 * A new version copies the previous one, except the sign-off: a changed DPIA needs a new
 * approval. The review date goes too; the reviewer stays.
 */
export function contentForNewVersion(previous: DpiaContent): DpiaContent {
  return {
    ...structuredClone(previous),
    signOff: { ...EMPTY_CONTENT.signOff, reviewer: previous.signOff.reviewer },
  };
}

// ---------------------------------------------------------------------------------------
// Dates: review and action plan
// ---------------------------------------------------------------------------------------

/** Today's date (UTC) as YYYY-MM-DD. */
export const todayOf = (now: Date): string => now.toISOString().slice(0, 10);

const addDays = (day: string, days: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** An approval lapses after its review date (Art 35(11): review when the risk may have changed). */
export const isExpired = (reviewDate: string | null, today: string): boolean =>
  reviewDate !== null && reviewDate < today;

export function reviewStateOf(reviewDate: string | null, today: string): ReviewState {
  if (isExpired(reviewDate, today)) return 'expired';
  if (reviewDate !== null && reviewDate <= addDays(today, REVIEW_DUE_SOON_DAYS)) return 'due_soon';
  return 'current';
}

/** An action of the plan is overdue when it is not done and its due date has passed. */
export const isActionOverdue = (action: { dueDate: string; done: boolean }, today: string): boolean =>
  !action.done && action.dueDate < today;

export const actionInputSchema = z
  .object({
    riskId: z.string().regex(RISK_ID, 'a risk id').nullable().default(null),
    action: required(2000, 'the action'),
    owner: required(200, 'who owns the action'),
    dueDate: date('the due date'),
  })
  .strict();
export const actionUpdateSchema = z
  .object({
    riskId: z.string().regex(RISK_ID, 'a risk id').nullable().optional(),
    action: required(2000, 'the action').optional(),
    owner: required(200, 'who owns the action').optional(),
    dueDate: date('the due date').optional(),
    done: z.boolean().optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------
// Cover: does an approved, unexpired DPIA cover an activity?
// ---------------------------------------------------------------------------------------

export interface CoverVersion {
  dpiaId: string;
  version: number;
  status: DpiaStatus;
  activityId: string | null;
  reviewDate: string | null;
}

/**
 * Whether the DPIAs linked to an activity cover it. Per DPIA, the newest decided version is
 * the one in force: it covers the activity when it is an approval of this activity that has
 * not expired. A newer draft does not remove the cover of the approval before it; a newer
 * rejection does. Covered by any DPIA → covered.
 */
export function coverOf(activityId: string, versions: readonly CoverVersion[], today: string): DpiaCoverView {
  const byDpia = new Map<string, CoverVersion[]>();
  for (const v of versions) byDpia.set(v.dpiaId, [...(byDpia.get(v.dpiaId) ?? []), v]);

  type Candidate = { state: DpiaCoverView['state']; version: CoverVersion | null };
  const candidates: Candidate[] = [];
  for (const list of byDpia.values()) {
    const sorted = [...list].sort((a, b) => b.version - a.version);
    const inForce = sorted.find((v) => !isEditable(v.status));
    const open = sorted.find((v) => isEditable(v.status) && v.activityId === activityId);
    if (inForce && inForce.activityId === activityId) {
      if (inForce.status === 'approved') {
        candidates.push({ state: isExpired(inForce.reviewDate, today) ? 'expired' : 'approved', version: inForce });
      } else {
        candidates.push({ state: 'rejected', version: inForce });
      }
    }
    if (open) candidates.push({ state: 'in_progress', version: open });
  }
  const order: DpiaCoverView['state'][] = ['approved', 'expired', 'rejected', 'in_progress'];
  candidates.sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
  const best = candidates[0] ?? { state: 'none' as const, version: null };
  const v = best.version;
  const explanations: Record<DpiaCoverView['state'], string> = {
    approved: `DPIA version ${v?.version ?? ''} is approved${v?.reviewDate ? ` until its review date, ${v.reviewDate}` : ''}.`,
    expired: `The approved DPIA passed its review date (${v?.reviewDate ?? ''}): review it and approve a new version.`,
    rejected: `The latest decision on the DPIA (version ${v?.version ?? ''}) rejected the processing.`,
    in_progress: `A DPIA for this activity is being written (version ${v?.version ?? ''}, ${v?.status === 'in_review' ? 'in review' : 'draft'}); it has not been approved.`,
    none: 'No DPIA is linked to this activity.',
  };
  return {
    activityId,
    covered: best.state === 'approved',
    state: best.state,
    dpiaId: v?.dpiaId ?? null,
    version: v?.version ?? null,
    reviewDate: v?.reviewDate ?? null,
    explanation: explanations[best.state],
  };
}
