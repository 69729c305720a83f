/**
 * Names and labels of the governance records (issue 4), shared by the dashboard and the
 * server: the record of processing activities (UK GDPR Art 30), processors (Art 28) and
 * joint-controller arrangements (Art 26). Pure TypeScript with no imports beyond
 * src/shared, so the browser bundle can use it.
 */

import type { LawfulBasis, SpecialCategory } from './labels.js';
import type { Finding } from './views.js';

/** A processing activity's life: drafted, activated once complete, retired when it ends. */
export const ACTIVITY_STATUSES = ['draft', 'active', 'retired'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  retired: 'Retired',
};

/**
 * What a processing activity does with personal data, in the product's terms. The first
 * four are the targeting tools for which the campaign and a platform are joint controllers
 * (ICO guidance on political campaigning online; UK GDPR Art 26).
 */
export const CAPABILITY_KINDS = [
  'custom_audiences',
  'lookalikes',
  'pixels_plugins',
  'page_insights',
  'email',
  'sms',
  'phone',
  'post',
  'canvassing',
  'imports',
  'profiling',
] as const;
export type CapabilityKind = (typeof CAPABILITY_KINDS)[number];

export const CAPABILITY_LABELS: Record<CapabilityKind, string> = {
  custom_audiences: 'Custom (list-based) audiences',
  lookalikes: 'Lookalike audiences',
  pixels_plugins: 'Pixels and social plugins',
  page_insights: 'Page insights',
  email: 'Email',
  sms: 'SMS',
  phone: 'Phone calls',
  post: 'Addressed post',
  canvassing: 'Canvassing',
  imports: 'Imports of personal data',
  profiling: 'Profiling or scoring',
};

/** The scopes of an Art 26 arrangement with a platform: the joint-controller capabilities. */
export const JOINT_CONTROLLER_SCOPES = ['custom_audiences', 'lookalikes', 'pixels_plugins', 'page_insights'] as const;
export type JointControllerScope = (typeof JOINT_CONTROLLER_SCOPES)[number];

/** The platforms Canvass has presets for, and "other" for any platform without one. */
export const PLATFORMS = ['meta', 'google', 'x', 'snap', 'linkedin', 'tiktok', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = {
  meta: 'Meta (Facebook, Instagram)',
  google: 'Google',
  x: 'X',
  snap: 'Snap',
  linkedin: 'LinkedIn',
  tiktok: 'TikTok',
  other: 'Another platform',
};

/**
 * The responsibilities an Art 26 arrangement must allocate (UK GDPR Art 26(1): "in
 * particular as regards the exercising of the rights of the data subject and their
 * respective duties to provide the information referred to in Articles 13 and 14").
 */
export const RESPONSIBILITIES = [
  'transparency',
  'rights_requests',
  'security',
  'dpia',
  'breach_notification',
  'contact_point',
] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export const RESPONSIBILITY_LABELS: Record<Responsibility, string> = {
  transparency: 'transparency information',
  rights_requests: 'rights requests',
  security: 'security',
  dpia: 'DPIA',
  breach_notification: 'breach notification',
  contact_point: 'contact point',
};

export const RESPONSIBILITY_HINTS: Record<Responsibility, string> = {
  transparency: 'Who gives people the Art 13/14 information about this processing, and where.',
  rights_requests: 'Who handles access, objection, erasure and other requests, and how the other party helps.',
  security: 'Who secures which part of the processing (Art 32).',
  dpia: 'Who carries out the data protection impact assessment for the joint processing (Art 35).',
  breach_notification: 'Who notifies the ICO and the people affected if there is a breach (Arts 33, 34).',
  contact_point: 'Where people go with questions about the joint processing.',
};

export const PARTIES = ['campaign', 'platform', 'both'] as const;
export type Party = (typeof PARTIES)[number];

export const PARTY_LABELS: Record<Party, string> = {
  campaign: 'The campaign',
  platform: 'The platform',
  both: 'Both',
};

/** The terms UK GDPR Art 28(3)(a)–(h) require in every processor contract. */
export const ART28_TERMS = [
  'documented_instructions',
  'confidentiality',
  'security',
  'sub_processors',
  'data_subject_rights',
  'compliance_assistance',
  'deletion_or_return',
  'audits_information',
] as const;
export type Art28Term = (typeof ART28_TERMS)[number];

export const ART28_TERM_LABELS: Record<Art28Term, { label: string; citation: string }> = {
  documented_instructions: {
    label: 'processes only on documented instructions, transfers included',
    citation: 'Art 28(3)(a)',
  },
  confidentiality: { label: 'people authorised to process are bound by confidentiality', citation: 'Art 28(3)(b)' },
  security: { label: 'takes the security measures of Art 32', citation: 'Art 28(3)(c)' },
  sub_processors: {
    label: 'engages sub-processors only with authorisation and on the same terms',
    citation: 'Art 28(3)(d), 28(2), 28(4)',
  },
  data_subject_rights: { label: "assists with data subjects' rights requests", citation: 'Art 28(3)(e)' },
  compliance_assistance: {
    label: 'assists with security, breach notification, DPIAs and prior consultation',
    citation: 'Art 28(3)(f)',
  },
  deletion_or_return: {
    label: 'deletes or returns all personal data when the service ends',
    citation: 'Art 28(3)(g)',
  },
  audits_information: {
    label: 'makes information available and allows audits and inspections',
    citation: 'Art 28(3)(h)',
  },
};

/** Whether a processor uses campaign data to improve its own services (ICO guidance on campaign platforms). */
export const SERVICE_IMPROVEMENT_USES = ['none', 'with_basis', 'without_basis', 'unknown'] as const;
export type ServiceImprovementUse = (typeof SERVICE_IMPROVEMENT_USES)[number];

export const SERVICE_IMPROVEMENT_LABELS: Record<ServiceImprovementUse, string> = {
  none: 'Does not use campaign data for its own purposes',
  with_basis: 'Uses it, with a basis the campaign has recorded',
  without_basis: 'Uses it, without a recorded basis',
  unknown: 'Not known',
};

/** Transfer mechanisms for personal data leaving the UK (UK GDPR Arts 44A, 45A, 46). */
export const TRANSFER_MECHANISMS = ['uk_adequacy', 'idta', 'uk_addendum', 'us_dpf_uk_extension'] as const;
export type TransferMechanism = (typeof TRANSFER_MECHANISMS)[number];

export const TRANSFER_MECHANISM_LABELS: Record<TransferMechanism, string> = {
  uk_adequacy: 'Approved country (UK adequacy regulations)',
  idta: 'International Data Transfer Agreement (IDTA) with a transfer risk assessment',
  uk_addendum: 'UK Addendum to the EU standard contractual clauses with a transfer risk assessment',
  us_dpf_uk_extension: 'US recipient certified under the UK Extension to the Data Privacy Framework',
};

/** UK GDPR Art 9(2) conditions for special category data. */
export const ART9_CONDITIONS = [
  'explicit_consent',
  'employment_social_security',
  'vital_interests',
  'not_for_profit_body',
  'made_public',
  'legal_claims',
  'substantial_public_interest',
  'health_social_care',
  'public_health',
  'archiving_research',
] as const;
export type Art9Condition = (typeof ART9_CONDITIONS)[number];

export const ART9_CONDITION_LABELS: Record<Art9Condition, string> = {
  explicit_consent: 'Explicit consent — Art 9(2)(a)',
  employment_social_security: 'Employment and social security law — Art 9(2)(b)',
  vital_interests: 'Vital interests — Art 9(2)(c)',
  not_for_profit_body:
    'Members of a not-for-profit political, philosophical, religious or trade-union body — Art 9(2)(d)',
  made_public: 'Made manifestly public by the person — Art 9(2)(e)',
  legal_claims: 'Legal claims — Art 9(2)(f)',
  substantial_public_interest: 'Substantial public interest, with a DPA 2018 Sch 1 Part 2 condition — Art 9(2)(g)',
  health_social_care: 'Health or social care — Art 9(2)(h)',
  public_health: 'Public health — Art 9(2)(i)',
  archiving_research: 'Archiving, research or statistics — Art 9(2)(j)',
};

/** DPA 2018 Sch 1 para 22: political parties' processing of political opinions. */
export const SCHEDULE1_POLITICAL_PARTIES_PARAGRAPH = 22;

/** The ISO 3166 code for the United Kingdom (not "UK"). */
export const UK_COUNTRY_CODE = 'GB';

// ---------------------------------------------------------------------------------------
// Response shapes (the API sends them, the dashboard reads them)
// ---------------------------------------------------------------------------------------

export interface TransferRecord {
  recipient: string;
  country: string;
  mechanism: TransferMechanism | null;
  transferRiskAssessment: string | null;
  dpfCertificationCheckedOn: string | null;
  note: string;
}

export interface LegitimateInterestsAssessmentRecord {
  purpose: string;
  necessity: string;
  balancing: string;
  conclusion: string;
  assessedOn: string | null;
  assessedBy: string;
}

export interface SpecialCategoryUseRecord {
  category: SpecialCategory;
  inferred: boolean;
  condition: Art9Condition | null;
  schedule1Paragraph: number | null;
  note: string;
}

/** The fields of a processing activity a DPO records (the input of create and update). */
export interface ActivityRecord {
  name: string;
  description: string;
  purposes: string[];
  lawfulBasis: LawfulBasis | null;
  lawfulBasisNote: string | null;
  legitimateInterestsAssessment: LegitimateInterestsAssessmentRecord | null;
  dataCategories: string[];
  specialCategories: SpecialCategoryUseRecord[];
  appropriatePolicyDocument: string | null;
  dataSubjects: string[];
  sourceIds: string[];
  otherSources: string;
  recipients: string[];
  retention: string | null;
  transfers: TransferRecord[] | null;
  securityMeasures: string | null;
  capabilities: CapabilityKind[];
  dpiaId: string | null;
  arrangementIds: string[];
  processorIds: string[];
}

/** What the rules say about a record now: the outcome, its findings and the missing fields. */
export interface RecordDecision {
  outcome: 'allow' | 'warn' | 'require' | 'refuse';
  findings: Finding[];
}

export interface MissingFieldView {
  /** The input field path, e.g. "retention" or "specialCategories.0.condition". */
  field: string;
  label: string;
}

export interface LinkedRecord {
  id: string;
  name: string;
}

export interface ActivityView extends ActivityRecord {
  id: string;
  status: ActivityStatus;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  sources: LinkedRecord[];
  processors: LinkedRecord[];
  arrangements: (LinkedRecord & { platform: Platform; scope: JointControllerScope })[];
  /** The activation decision on the records as they stand (for an active one: whether it still passes). */
  decision: RecordDecision;
  missing: MissingFieldView[];
}

export interface Art28TermView {
  present: boolean;
  clause: string;
}

export interface SubProcessorRecord {
  name: string;
  service: string;
  hosting: TransferRecord[];
}

export interface ProcessorRecord {
  name: string;
  service: string;
  contractReference: string | null;
  contractDate: string | null;
  art28Terms: Record<Art28Term, Art28TermView>;
  hosting: TransferRecord[];
  subProcessors: SubProcessorRecord[];
  segregation: string | null;
  serviceImprovement: ServiceImprovementUse;
  serviceImprovementNote: string | null;
  notes: string;
}

export interface ActivityLink extends LinkedRecord {
  status: ActivityStatus;
}

export interface ProcessorView extends ProcessorRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  missingTerms: Art28Term[];
  decision: RecordDecision;
  activities: ActivityLink[];
}

export interface AllocationView {
  party: Party | null;
  note: string;
}

export interface ArrangementRecord {
  platform: Platform;
  platformName: string;
  scope: JointControllerScope;
  termsReference: string | null;
  responsibilities: Record<Responsibility, AllocationView>;
  essence: string;
  eligibilityConfirmation: string | null;
  reviewDueOn: string | null;
  lastReviewedOn: string | null;
  notes: string;
}

export interface ArrangementGapView {
  item: Responsibility | 'essence';
  problem: 'unassigned' | 'shared_without_note' | 'missing';
  label: string;
}

export interface EligibilityView {
  status: 'allowed' | 'conditional' | 'forbidden' | 'unknown';
  explanation: string;
  condition: string | null;
  sources: readonly string[];
}

export interface ArrangementView extends ArrangementRecord {
  id: string;
  presetVersion: string | null;
  /** Created from an older version of the platform's preset: re-check the facts. */
  presetOutdated: boolean;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  gaps: ArrangementGapView[];
  review: 'scheduled' | 'overdue' | 'not_scheduled';
  eligibility: EligibilityView;
  decision: RecordDecision;
  activities: ActivityLink[];
}

export interface ScopeTermsView {
  covered: boolean | null;
  termsName: string | null;
  coverage: string;
  sources: readonly string[];
  notes: Partial<Record<Responsibility, string>>;
}

export interface PlatformPresetView {
  platform: Exclude<Platform, 'other'>;
  name: string;
  version: string;
  eligibility: {
    status: 'allowed' | 'allowed_with_condition' | 'restricted' | 'banned';
    summary: string;
    condition: string | null;
    forbiddenScopes: readonly JointControllerScope[];
    sources: readonly string[];
  };
  scopes: Record<JointControllerScope, ScopeTermsView>;
}

/** The record of processing activities as exported (CSV) and printed. */
export interface RecordOfProcessing {
  controller: {
    name: string;
    postalAddress: string;
    icoRegistrationNumber: string | null;
    dpo: { name: string; email: string; phone: string | null } | null;
  };
  generatedAt: string;
  activities: ActivityView[];
  /** Processors and arrangements the listed activities link to, in full. */
  processors: ProcessorView[];
  arrangements: ArrangementView[];
}
