/**
 * Data protection impact assessments (UK GDPR Art 35–36): the names, labels, the ICO's risk
 * matrix and the response shapes that the server and the dashboard share. Pure TypeScript
 * with imports from src/shared only, so the browser bundle can use it.
 */
import type { LawfulBasis, SpecialCategory } from './labels.js';
import type { Finding } from './views.js';

// ---------------------------------------------------------------------------------------
// Screening (step 1 of the ICO's process: identify the need for a DPIA)
// ---------------------------------------------------------------------------------------

/**
 * Every indicator of high risk Canvass screens for: the three cases of Art 35(3), the ICO's
 * list of processing likely to result in high risk (published under Art 35(4)), and the
 * triggers of the ICO's guidance on political campaigning online (the seed guidance).
 */
export const DPIA_TRIGGERS = [
  'systematic_evaluation',
  'large_scale_special_category',
  'public_monitoring',
  'innovative_technology',
  'denial_of_service',
  'large_scale_profiling',
  'biometric_data',
  'genetic_data',
  'data_matching',
  'invisible_processing',
  'tracking',
  'vulnerable_people',
  'physical_harm',
] as const;
export type DpiaTrigger = (typeof DPIA_TRIGGERS)[number];

export const DPIA_TRIGGER_LABELS: Record<DpiaTrigger, string> = {
  systematic_evaluation: 'Systematic and extensive evaluation with significant effects',
  large_scale_special_category: 'Large-scale special category or criminal offence data',
  public_monitoring: 'Systematic monitoring of a publicly accessible area',
  innovative_technology: 'New or innovative technology',
  denial_of_service: 'Decisions on access to a service, opportunity or benefit',
  large_scale_profiling: 'Profiling on a large scale',
  biometric_data: 'Biometric data',
  genetic_data: 'Genetic data',
  data_matching: 'Combining, comparing or matching data from several sources',
  invisible_processing: 'Invisible processing',
  tracking: 'Tracking location or behaviour',
  vulnerable_people: 'Children or other vulnerable people',
  physical_harm: 'Risk of physical harm',
};

/** Where a trigger comes from. */
export type TriggerBasis = 'art35_3' | 'ico_list' | 'seed_guidance';

export const TRIGGER_BASIS_LABELS: Record<TriggerBasis, string> = {
  art35_3: 'UK GDPR Art 35(3)',
  ico_list: "ICO's list of high-risk processing",
  seed_guidance: 'ICO guidance on political campaigning online',
};

/** The kinds of campaigning activity whose facts Canvass can derive for screening. */
export const ACTIVITY_KINDS = [
  'custom_audience',
  'lookalike_audience',
  'social_pixel',
  'interest_targeting',
  'geo_targeting',
  'support_scoring',
  'data_enrichment',
  'register_matching',
  'web_scraping',
  'canvassing',
  'email_marketing',
  'custom',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  custom_audience: "List-based audience (a list matched against a platform's users)",
  lookalike_audience: 'Lookalike audience (a seed list used to find similar people)',
  social_pixel: 'Social-media pixel or retargeting on campaign websites',
  interest_targeting: "Targeting on a platform's interest or demographic data",
  geo_targeting: 'Location-based (geofenced) targeting',
  support_scoring: 'Support or turnout scores (modelling voting intention)',
  data_enrichment: 'Enriching records with data from other sources',
  register_matching: 'Matching the electoral register with campaign records',
  web_scraping: 'Collecting data from websites or social-media profiles',
  canvassing: 'Door-to-door or telephone canvassing with recorded answers',
  email_marketing: 'Email or text messages to people who consented',
  custom: 'Something else (answer the questions yourself)',
};

/** The facts screening asks about, each a yes/no question (special categories: a list). */
export const SCREENING_FACT_KEYS = [
  'largeScale',
  'newTechnology',
  'profiling',
  'automatedDecisions',
  'accessDecisions',
  'criminalOffenceData',
  'dataMatching',
  'notObtainedFromPerson',
  'art14ExemptionClaimed',
  'hiddenFromPeople',
  'trackingLocation',
  'trackingBehaviour',
  'publicAreaMonitoring',
  'vulnerablePeople',
  'physicalHarmRisk',
] as const;
export type ScreeningFactKey = (typeof SCREENING_FACT_KEYS)[number];

export type ScreeningFacts = Record<ScreeningFactKey, boolean> & {
  /** Special category data involved, collected or inferred (Art 9(1)); political opinion included. */
  specialCategories: SpecialCategory[];
};

export const SCREENING_FACT_QUESTIONS: Record<ScreeningFactKey, string> = {
  largeScale:
    'Is it large scale — many people, a lot of data, a long time or a wide area (a whole constituency, a national list, a platform’s user base)?',
  newTechnology:
    'Does it use new or innovative technology, or a new use of existing technology (AI, machine learning, new platform tools)?',
  profiling:
    'Does it evaluate or predict people’s characteristics, interests or behaviour (profiling, segmenting, micro-targeting)?',
  automatedDecisions:
    'Are decisions with legal or similarly significant effects on people made automatically from that evaluation?',
  accessDecisions: 'Does it decide whether someone gets a service, an opportunity or a benefit?',
  criminalOffenceData: 'Does it involve criminal offence data (convictions, offences, related security measures)?',
  dataMatching: 'Does it combine, compare or match personal data from several sources?',
  notObtainedFromPerson: 'Is any of the data obtained from somewhere other than the person themselves?',
  art14ExemptionClaimed:
    'Do you consider telling people (the Art 14 notice) impossible or disproportionate effort, and rely on Art 14(5)(b)?',
  hiddenFromPeople:
    'Does it happen out of people’s sight, where they would not see or expect it (a platform matching a list against its users, third-party tracking, aggregation)?',
  trackingLocation: 'Does it track people’s location (geolocation, geofencing)?',
  trackingBehaviour: 'Does it track people’s behaviour online or offline (pixels, cookies, browsing, app use)?',
  publicAreaMonitoring: 'Does it systematically monitor a publicly accessible area?',
  vulnerablePeople:
    'Does it use the data of children or other vulnerable people (for example care-home residents, people in debt or in crisis)?',
  physicalHarmRisk: 'Could a breach of this data endanger someone’s physical health or safety?',
};

export interface ScreeningReason {
  trigger: DpiaTrigger;
  title: string;
  /** Plain English: why this processing meets the trigger. */
  explanation: string;
  citation: string;
  basis: TriggerBasis[];
}

export interface ScreeningResult {
  required: boolean;
  reasons: ScreeningReason[];
  /** Points worth knowing that are not triggers on their own. */
  notes: string[];
  summary: string;
}

/** An activity described in the campaign's words, from which screening facts are derived. */
export interface ActivityDescription {
  kind: ActivityKind;
  platform?: string | null | undefined;
  /** The list or seed is defined by support, membership, pledges or donations (reveals political opinion). */
  listRevealsPoliticalOpinion?: boolean | undefined;
}

/** A fact Canvass derived from the activity description, and why. */
export interface DerivedFact {
  fact: ScreeningFactKey | 'specialCategories';
  because: string;
}

export interface Screening {
  activity: ActivityDescription | null;
  facts: ScreeningFacts;
  derived: DerivedFact[];
  result: ScreeningResult;
}

// ---------------------------------------------------------------------------------------
// Risks: the ICO's matrix of likelihood × severity
// ---------------------------------------------------------------------------------------

export const LIKELIHOODS = ['remote', 'possible', 'probable'] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];
export const SEVERITIES = ['minimal', 'significant', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const LIKELIHOOD_LABELS: Record<Likelihood, string> = {
  remote: 'Remote',
  possible: 'Possible',
  probable: 'Probable',
};
export const SEVERITY_LABELS: Record<Severity, string> = {
  minimal: 'Minimal',
  significant: 'Significant',
  severe: 'Severe',
};
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { low: 'Low', medium: 'Medium', high: 'High' };

/**
 * The ICO's structured matrix (DPIA guidance, "How do we do a DPIA?", step 5): likelihood of
 * harm (remote, reasonable possibility, more likely than not) against severity (minimal
 * impact, some impact, serious harm). "High risk could result from either a high probability
 * of some harm, or a lower possibility of serious harm."
 */
export const RISK_MATRIX: Record<Likelihood, Record<Severity, RiskLevel>> = {
  remote: { minimal: 'low', significant: 'low', severe: 'low' },
  possible: { minimal: 'low', significant: 'medium', severe: 'high' },
  probable: { minimal: 'low', significant: 'high', severe: 'high' },
};

export const riskLevel = (likelihood: Likelihood, severity: Severity): RiskLevel => RISK_MATRIX[likelihood][severity];

const LEVEL_RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };
export const higherLevel = (a: RiskLevel | null, b: RiskLevel | null): RiskLevel | null =>
  a === null ? b : b === null ? a : LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;

/** What a measure does to its risk (ICO DPIA template, step 6). */
export const MEASURE_EFFECTS = ['eliminated', 'reduced', 'accepted'] as const;
export type MeasureEffect = (typeof MEASURE_EFFECTS)[number];
export const MEASURE_EFFECT_LABELS: Record<MeasureEffect, string> = {
  eliminated: 'Eliminated',
  reduced: 'Reduced',
  accepted: 'Accepted',
};

/** Who was consulted (step 3; Art 35(2) the DPO, Art 35(9) the people concerned). */
export const CONSULTEE_KINDS = [
  'individuals',
  'dpo',
  'staff',
  'processor',
  'security_expert',
  'legal',
  'other',
] as const;
export type ConsulteeKind = (typeof CONSULTEE_KINDS)[number];
export const CONSULTEE_KIND_LABELS: Record<ConsulteeKind, string> = {
  individuals: 'The people concerned or their representatives',
  dpo: 'Data Protection Officer',
  staff: 'Staff or volunteers',
  processor: 'A processor',
  security_expert: 'Information security',
  legal: 'Legal advice',
  other: 'Someone else',
};

// ---------------------------------------------------------------------------------------
// The DPIA: versions, statuses, the seven steps
// ---------------------------------------------------------------------------------------

export const DPIA_STATUSES = ['draft', 'in_review', 'approved', 'rejected'] as const;
export type DpiaStatus = (typeof DPIA_STATUSES)[number];
export const DPIA_STATUS_LABELS: Record<DpiaStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** The ICO's seven steps. */
export const DPIA_STEPS = [
  { step: 1, key: 'need', title: 'Identify the need for a DPIA' },
  { step: 2, key: 'description', title: 'Describe the processing' },
  { step: 3, key: 'consultation', title: 'Consultation' },
  { step: 4, key: 'necessity', title: 'Necessity and proportionality' },
  { step: 5, key: 'risks', title: 'Identify and assess risks' },
  { step: 6, key: 'measures', title: 'Measures to reduce risk' },
  { step: 7, key: 'signOff', title: 'Sign off and record outcomes' },
] as const;
export type DpiaStepKey = (typeof DPIA_STEPS)[number]['key'];

/** Review state of the DPIA in force: 'due_soon' within this many days of its review date. */
export const REVIEW_DUE_SOON_DAYS = 30;
export type ReviewState = 'current' | 'due_soon' | 'expired';

export interface DpiaDescription {
  nature: string;
  scope: string;
  context: string;
  purposes: string;
}

export interface ConsultationEntry {
  kind: ConsulteeKind;
  who: string;
  /** YYYY-MM-DD */
  when: string;
  views: string;
  response: string;
}

export interface DpiaConsultation {
  entries: ConsultationEntry[];
  /** Why the people concerned (or others) were not consulted (Art 35(9): "where appropriate"). */
  notConsultedReason: string | null;
}

export interface DpiaNecessity {
  lawfulBasis: LawfulBasis | null;
  lawfulBasisReasons: string;
  art9Condition: string | null;
  necessity: string;
  functionCreep: string;
  dataMinimisation: string;
  dataQuality: string;
  informationToIndividuals: string;
  rights: string;
  processors: string;
  transfers: string;
}

export interface RiskMeasure {
  description: string;
  effect: MeasureEffect;
}

export interface DpiaRisk {
  id: string;
  description: string;
  likelihood: Likelihood;
  severity: Severity;
  measures: RiskMeasure[];
  residualLikelihood: Likelihood | null;
  residualSeverity: Severity | null;
}

export interface DpiaSignOff {
  measuresApprovedBy: string | null;
  residualRisksApprovedBy: string | null;
  dpoAdvice: string | null;
  dpoAdviceAccepted: boolean | null;
  dpoOverruledReasons: string | null;
  acceptedBy: string | null;
  reviewer: string | null;
  /** YYYY-MM-DD: after this date the approval has expired and the DPIA must be reviewed. */
  reviewDate: string | null;
}

/** The record of prior consultation with the ICO (Art 36), needed when a residual risk stays high. */
export interface IcoConsultation {
  submittedOn: string;
  reference: string | null;
  summary: string;
  adviceReceivedOn: string | null;
  advice: string | null;
}

export interface DpiaContent {
  needSummary: string;
  description: DpiaDescription;
  consultation: DpiaConsultation;
  necessity: DpiaNecessity;
  risks: DpiaRisk[];
  signOff: DpiaSignOff;
  icoConsultation: IcoConsultation | null;
}

// ---------------------------------------------------------------------------------------
// Response shapes
// ---------------------------------------------------------------------------------------

export interface RiskView extends DpiaRisk {
  /** R1, R2, … in the order of the list. */
  label: string;
  level: RiskLevel;
  residualLevel: RiskLevel | null;
}

export interface RiskMapCell {
  likelihood: Likelihood;
  severity: Severity;
  level: RiskLevel;
  /** Labels of the risks scored here before measures. */
  before: string[];
  /** Labels of the risks scored here after measures. */
  after: string[];
}

export interface StepCompleteness {
  step: number;
  key: DpiaStepKey;
  complete: boolean;
  issues: { field: string; message: string }[];
}

export interface DpiaCoverView {
  activityId: string;
  /** Whether an approved, unexpired DPIA covers the activity: features that need one unlock. */
  covered: boolean;
  state: 'none' | 'in_progress' | 'approved' | 'expired' | 'rejected';
  dpiaId: string | null;
  version: number | null;
  reviewDate: string | null;
  explanation: string;
}

export interface DpiaActionView {
  id: string;
  riskId: string | null;
  action: string;
  owner: string;
  dueDate: string;
  done: boolean;
  doneAt: string | null;
  overdue: boolean;
  createdAt: string;
}

export interface DpiaVersionSummary {
  version: number;
  status: DpiaStatus;
  createdAt: string;
  decidedAt: string | null;
  reviewDate: string | null;
}

export interface DpiaSummaryView {
  id: string;
  title: string;
  activityId: string | null;
  latestVersion: number;
  latestStatus: DpiaStatus;
  /** The approved version in force (the newest decided version, when it is an approval). */
  inForce: { version: number; reviewDate: string | null; reviewState: ReviewState; decidedAt: string } | null;
  screeningRequired: boolean;
  highestResidualLevel: RiskLevel | null;
  openActions: number;
  overdueActions: number;
  createdAt: string;
  updatedAt: string;
}

export interface DpiaVersionView extends DpiaContent {
  dpiaId: string;
  version: number;
  status: DpiaStatus;
  activityId: string | null;
  screening: Screening;
  risks: RiskView[];
  riskMap: RiskMapCell[];
  completeness: StepCompleteness[];
  /** What approving now would find (DPIA-RESIDUAL-HIGH), so the DPO sees it before pressing the button. */
  approvalFindings: Finding[];
  editable: boolean;
  expired: boolean;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  approvalWarnings: Finding[];
}

export interface DpiaDetailView {
  dpia: DpiaSummaryView;
  version: DpiaVersionView;
  versions: DpiaVersionSummary[];
  actions: DpiaActionView[];
}
