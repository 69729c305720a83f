/**
 * Governance records (issue 4): what the DPO keeps to show how the campaign complies.
 *
 *  - A processing activity is one entry of the record of processing activities (UK GDPR
 *    Art 30(1)), with the lawful basis and its reasons (Art 5(2), 6(1)), the Art 9 condition
 *    for special category data and, where DPA 2018 Sch 1 is relied on, the appropriate
 *    policy document (DPA 2018 Sch 1 paras 5, 39–41).
 *  - A processor is a party that processes personal data on the campaign's behalf (Art 28):
 *    its contract terms (Art 28(3)(a)–(h)), where it hosts data and on what transfer
 *    mechanism (Arts 44A, 45A, 46), its sub-processors, and how it keeps each campaign's
 *    data apart (ICO guidance on campaign platforms).
 *  - A joint-controller arrangement allocates the Art 26 responsibilities with a platform for
 *    one scope (custom audiences, lookalikes, pixels and plugins, page insights).
 *
 * Inputs are lenient where a draft may be incomplete: completeness is a rule
 * (ROPA-COMPLETE, ONL-ARRANGEMENT-GAPS), checked before anything is processed, not a
 * validation error that would stop the DPO saving a draft.
 */
import { z } from 'zod';
import {
  ART28_TERMS,
  ART9_CONDITIONS,
  CAPABILITY_KINDS,
  JOINT_CONTROLLER_SCOPES,
  PARTIES,
  PLATFORMS,
  RESPONSIBILITIES,
  RESPONSIBILITY_LABELS,
  SCHEDULE1_POLITICAL_PARTIES_PARAGRAPH,
  SERVICE_IMPROVEMENT_USES,
  TRANSFER_MECHANISMS,
  UK_COUNTRY_CODE,
  type ActivityStatus,
  type Art28Term,
  type CapabilityKind,
  type JointControllerScope,
  type Responsibility,
} from '../shared/governance.js';
import { LAWFUL_BASES, SPECIAL_CATEGORIES, type LawfulBasis, type SpecialCategory } from '../shared/labels.js';

export * from '../shared/governance.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number, what: string) =>
  z.string().trim().min(1, `${what} is required`).max(max, `must be at most ${max} characters`);
const isoDate = z.iso.date('must be a date (YYYY-MM-DD)');
/** A list of short entries (purposes, categories, recipients): trimmed, no blanks, no duplicates. */
const entries = (what: string) =>
  z
    .array(required(500, what))
    .max(100, 'at most 100 entries')
    .transform((list) => [...new Set(list)]);
const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `at most ${max} entries`)
    .transform((list) => [...new Set(list)] as z.output<T>[]);

// ---------------------------------------------------------------------------------------
// Transfers
// ---------------------------------------------------------------------------------------

/**
 * Countries the UK has approved by regulations for transfers (UK GDPR Art 45A; the adequacy
 * regulations carried over from the EU and the UK's own "data bridges"), as Canvass records
 * them. NOT from the research notes: a claim of an approved country outside this list is a
 * warning (check legislation.gov.uk), never a refusal. The United States is approved only
 * for recipients certified under the UK Extension to the Data Privacy Framework, recorded
 * with its own mechanism. Canada and Japan are approved for the recipients within the scope
 * of their regulations only.
 */
export const UK_APPROVED_COUNTRIES_AS_OF = '2026-11';
export const UK_APPROVED_COUNTRIES: Readonly<Record<string, string>> = {
  AT: 'Austria',
  BE: 'Belgium',
  BG: 'Bulgaria',
  HR: 'Croatia',
  CY: 'Cyprus',
  CZ: 'Czechia',
  DK: 'Denmark',
  EE: 'Estonia',
  FI: 'Finland',
  FR: 'France',
  DE: 'Germany',
  GR: 'Greece',
  HU: 'Hungary',
  IE: 'Ireland',
  IT: 'Italy',
  LV: 'Latvia',
  LT: 'Lithuania',
  LU: 'Luxembourg',
  MT: 'Malta',
  NL: 'Netherlands',
  PL: 'Poland',
  PT: 'Portugal',
  RO: 'Romania',
  SK: 'Slovakia',
  SI: 'Slovenia',
  ES: 'Spain',
  SE: 'Sweden',
  IS: 'Iceland',
  LI: 'Liechtenstein',
  NO: 'Norway',
  GI: 'Gibraltar',
  AD: 'Andorra',
  AR: 'Argentina',
  CA: 'Canada (recipients within the scope of the regulations)',
  FO: 'Faroe Islands',
  GG: 'Guernsey',
  IM: 'Isle of Man',
  IL: 'Israel',
  JP: 'Japan (recipients within the scope of the regulations)',
  JE: 'Jersey',
  NZ: 'New Zealand',
  KR: 'Republic of Korea',
  CH: 'Switzerland',
  UY: 'Uruguay',
};

const regionNames = new Intl.DisplayNames(['en-GB'], { type: 'region', fallback: 'code' });

/**
 * A country's name in English for an ISO 3166 code: "United States" for US, "France" for FR;
 * the code itself when it is not a region code. One function for the record of processing,
 * the transfer rules and the privacy notice.
 */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

export const transferSchema = z
  .object({
    /** Who receives the data there (for a processor's own hosting, may be left blank). */
    recipient: text(200).default(''),
    /** ISO 3166-1 alpha-2, e.g. US; GB is the UK itself (no transfer). */
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code, e.g. US (GB for the UK)')
      .refine((c) => c !== 'UK', 'the ISO code of the United Kingdom is GB, not UK'),
    mechanism: z.enum(TRANSFER_MECHANISMS).nullable().default(null),
    /** IDTA / UK Addendum: where the transfer risk assessment is, and when it was made. */
    transferRiskAssessment: text(2000).nullable().default(null),
    /** US DPF UK Extension: when the recipient's certification was checked on the DPF list. */
    dpfCertificationCheckedOn: isoDate.nullable().default(null),
    note: text(2000).default(''),
  })
  .strict();
export type Transfer = z.output<typeof transferSchema>;

export interface TransferProblem {
  outcome: 'refuse' | 'warn';
  message: string;
}

/**
 * What is wrong with one transfer (XFER-MECHANISM). `where` names it for the message, e.g.
 * "Mailer Ltd hosts in US".
 */
export function transferProblem(t: Transfer, where: string): TransferProblem | null {
  if (t.country === UK_COUNTRY_CODE) return null;
  const country = `${countryName(t.country)} (${t.country})`;
  switch (t.mechanism) {
    case null:
      return { outcome: 'refuse', message: `${where}: data goes to ${country} with no transfer mechanism recorded` };
    case 'uk_adequacy':
      if (t.country === 'US') {
        return {
          outcome: 'refuse',
          message: `${where}: the United States is approved only for recipients certified under the UK Extension to the Data Privacy Framework; record that mechanism and the certification check, or use an IDTA or the UK Addendum`,
        };
      }
      if (!Object.hasOwn(UK_APPROVED_COUNTRIES, t.country)) {
        return {
          outcome: 'warn',
          message: `${where}: ${country} is not on Canvass's list of approved countries (${UK_APPROVED_COUNTRIES_AS_OF}); check the UK adequacy regulations, or use an IDTA or the UK Addendum`,
        };
      }
      return null;
    case 'idta':
    case 'uk_addendum':
      return t.transferRiskAssessment
        ? null
        : {
            outcome: 'refuse',
            message: `${where}: the ${t.mechanism === 'idta' ? 'IDTA' : 'UK Addendum'} for ${country} has no transfer risk assessment recorded`,
          };
    case 'us_dpf_uk_extension':
      if (t.country !== 'US') {
        return {
          outcome: 'refuse',
          message: `${where}: the Data Privacy Framework UK Extension covers recipients in the United States only, not ${country}`,
        };
      }
      return t.dpfCertificationCheckedOn
        ? null
        : {
            outcome: 'refuse',
            message: `${where}: no record that the recipient's certification under the UK Extension to the Data Privacy Framework was checked`,
          };
  }
}

// ---------------------------------------------------------------------------------------
// Processing activities (Art 30)
// ---------------------------------------------------------------------------------------

/** The three-part legitimate-interests test (ICO: purpose, necessity, balancing). */
export const legitimateInterestsAssessmentSchema = z
  .object({
    /** The purpose test: the interest pursued. */
    purpose: text(8000).default(''),
    /** The necessity test: why this processing is needed for it. */
    necessity: text(8000).default(''),
    /** The balancing test: people's interests and reasonable expectations weighed against it. */
    balancing: text(8000).default(''),
    conclusion: text(4000).default(''),
    assessedOn: isoDate.nullable().default(null),
    assessedBy: text(200).default(''),
  })
  .strict();
export type LegitimateInterestsAssessment = z.output<typeof legitimateInterestsAssessmentSchema>;

export const specialCategoryUseSchema = z
  .object({
    category: z.enum(SPECIAL_CATEGORIES),
    /** Whether the data is inferred (e.g. a support score): still special category data. */
    inferred: z.boolean().default(false),
    condition: z.enum(ART9_CONDITIONS).nullable().default(null),
    /** For Art 9(2)(g): the DPA 2018 Sch 1 Part 2 paragraph relied on (6–28), e.g. 22. */
    schedule1Paragraph: z.number().int().min(6, 'Sch 1 Part 2 runs from para 6').max(28).nullable().default(null),
    note: text(2000).default(''),
  })
  .strict();
export type SpecialCategoryUse = z.output<typeof specialCategoryUseSchema>;

const activityFields = {
  name: required(200, 'a name'),
  description: text(4000),
  purposes: entries('a purpose'),
  lawfulBasis: z.enum(LAWFUL_BASES).nullable(),
  /** The reasons for the basis; for public task, why the processing is necessary (DPA s.8(e)). */
  lawfulBasisNote: text(8000).nullable(),
  legitimateInterestsAssessment: legitimateInterestsAssessmentSchema.nullable(),
  dataCategories: entries('a category of personal data'),
  specialCategories: z
    .array(specialCategoryUseSchema)
    .max(SPECIAL_CATEGORIES.length)
    .refine((list) => new Set(list.map((s) => s.category)).size === list.length, 'each special category once'),
  /** Where DPA 2018 Sch 1 is relied on: the appropriate policy document (reference, version, retention). */
  appropriatePolicyDocument: text(4000).nullable(),
  dataSubjects: entries('a category of data subjects'),
  sourceIds: uniqueList(z.uuid('must be a source id'), 100),
  /** Sources that are not in the sources table, e.g. "observed by the pixel on our website". */
  otherSources: text(4000),
  recipients: entries('a category of recipients'),
  retention: text(4000).nullable(),
  /** Transfers outside the UK: null while not stated, [] for none. */
  transfers: z.array(transferSchema).max(50).nullable(),
  securityMeasures: text(8000).nullable(),
  capabilities: uniqueList(z.enum(CAPABILITY_KINDS), CAPABILITY_KINDS.length),
  /** The DPIA covering this activity (the DPIA records arrive in a later migration). */
  dpiaId: z.uuid('must be a DPIA id').nullable(),
  arrangementIds: uniqueList(z.uuid('must be an arrangement id'), 50),
  processorIds: uniqueList(z.uuid('must be a processor id'), 100),
};

export const activityCreateSchema = z
  .object(activityFields)
  .partial()
  .required({ name: true })
  .extend({
    /** 'active' creates and activates in one step (refused unless every rule passes). */
    status: z.enum(['draft', 'active']).optional(),
  })
  .strict();
export const activityUpdateSchema = z.object(activityFields).partial().strict();

export type ActivityCreateInput = z.output<typeof activityCreateSchema>;
export type ActivityUpdateInput = z.output<typeof activityUpdateSchema>;
export type ActivityFields = { [K in keyof typeof activityFields]: z.output<(typeof activityFields)[K]> };

/** An activity's recorded fields with nothing filled in but its name. */
export const emptyActivityFields = (name: string): ActivityFields => ({
  name,
  description: '',
  purposes: [],
  lawfulBasis: null,
  lawfulBasisNote: null,
  legitimateInterestsAssessment: null,
  dataCategories: [],
  specialCategories: [],
  appropriatePolicyDocument: null,
  dataSubjects: [],
  sourceIds: [],
  otherSources: '',
  recipients: [],
  retention: null,
  transfers: null,
  securityMeasures: null,
  capabilities: [],
  dpiaId: null,
  arrangementIds: [],
  processorIds: [],
});

export interface ProcessingActivity extends ActivityFields {
  id: string;
  status: ActivityStatus;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
}

/** The controller, as Art 30(1)(a) needs it (from the campaign record). */
export interface ControllerRecord {
  name: string;
  postalAddress: string;
  controllerType: string;
  dpo: { name: string; email: string; phone: string | null } | null;
}

/** A required field of the record that is empty: `field` is the input's field path. */
export interface MissingField {
  field: string;
  label: string;
}

const blank = (value: string | null | undefined): boolean => !value || value.trim() === '';

/**
 * Every required field of the record that is missing (ROPA-COMPLETE): Art 30(1)(a)–(g), the
 * lawful basis with its reasons (Art 5(2), 6(1); public task's necessity, DPA s.8(e); the
 * legitimate-interests assessment, Art 6(1)(f)), the Art 9 condition for each special
 * category (Art 9(1)), and, where DPA 2018 Sch 1 para 22 is relied on, the appropriate
 * policy document (Sch 1 paras 5, 39 and 41, which puts the condition and the document's
 * retention in the record itself).
 */
export function missingActivityFields(activity: ActivityFields, controller: ControllerRecord): MissingField[] {
  const missing: MissingField[] = [];
  const need = (field: string, label: string): void => {
    missing.push({ field, label });
  };
  if (blank(controller.name) || blank(controller.postalAddress)) {
    need('controller', "the controller's name and contact details (campaign settings)");
  }
  if (activity.purposes.length === 0) need('purposes', 'the purposes of the processing');
  if (activity.lawfulBasis === null) {
    need('lawfulBasis', 'the lawful basis');
  } else if (activity.lawfulBasis === 'public_task') {
    if (blank(activity.lawfulBasisNote)) need('lawfulBasisNote', 'the necessity note for public task');
  } else if (activity.lawfulBasis === 'legitimate_interests') {
    const lia = activity.legitimateInterestsAssessment;
    if (!lia) {
      need('legitimateInterestsAssessment', 'the legitimate-interests assessment');
    } else {
      if (blank(lia.purpose)) need('legitimateInterestsAssessment.purpose', 'the LIA purpose test');
      if (blank(lia.necessity)) need('legitimateInterestsAssessment.necessity', 'the LIA necessity test');
      if (blank(lia.balancing)) need('legitimateInterestsAssessment.balancing', 'the LIA balancing test');
      if (blank(lia.conclusion)) need('legitimateInterestsAssessment.conclusion', 'the LIA conclusion');
      if (lia.assessedOn === null || blank(lia.assessedBy)) {
        need('legitimateInterestsAssessment.assessedOn', 'who made the LIA and when');
      }
    }
  } else if (blank(activity.lawfulBasisNote)) {
    need('lawfulBasisNote', 'the reasons for the lawful basis');
  }
  if (activity.dataSubjects.length === 0) need('dataSubjects', 'the categories of data subjects');
  if (activity.dataCategories.length === 0) need('dataCategories', 'the categories of personal data');
  activity.specialCategories.forEach((s, i) => {
    const what = s.category.replaceAll('_', ' ');
    if (s.condition === null) {
      need(`specialCategories.${i}.condition`, `the Art 9 condition for ${what}`);
    } else if (s.condition === 'substantial_public_interest' && s.schedule1Paragraph === null) {
      need(`specialCategories.${i}.schedule1Paragraph`, `the DPA 2018 Sch 1 paragraph relied on for ${what}`);
    }
  });
  if (usesParagraph22(activity) && blank(activity.appropriatePolicyDocument)) {
    need('appropriatePolicyDocument', 'the appropriate policy document (DPA 2018 Sch 1 para 22)');
  }
  if (activity.recipients.length === 0) need('recipients', 'the categories of recipients');
  if (activity.transfers === null) need('transfers', 'transfers outside the UK (or that there are none)');
  if (blank(activity.retention)) need('retention', 'the retention period');
  if (blank(activity.securityMeasures)) need('securityMeasures', 'the security measures');
  return missing;
}

/** Whether the activity relies on DPA 2018 Sch 1 para 22 (political parties). */
export const usesParagraph22 = (activity: Pick<ActivityFields, 'specialCategories'>): boolean =>
  activity.specialCategories.some(
    (s) =>
      s.condition === 'substantial_public_interest' && s.schedule1Paragraph === SCHEDULE1_POLITICAL_PARTIES_PARAGRAPH,
  );

export const jointControllerCapabilities = (capabilities: readonly CapabilityKind[]): JointControllerScope[] =>
  JOINT_CONTROLLER_SCOPES.filter((s) => capabilities.includes(s));

// ---------------------------------------------------------------------------------------
// Processors (Art 28)
// ---------------------------------------------------------------------------------------

export const art28TermSchema = z
  .object({
    present: z.boolean().default(false),
    /** Where the contract says it, e.g. "DPA clause 4.2". */
    clause: text(500).default(''),
  })
  .strict();
export type Art28TermRecord = z.output<typeof art28TermSchema>;

/** An object schema with one optional entry per key: a partial checklist or matrix. */
const partialShape = <K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) =>
  Object.fromEntries(keys.map((k) => [k, schema.optional()])) as { [P in K]: z.ZodOptional<S> };

/** The Art 28(3) checklist as sent: the terms given; the others keep their value (or are absent). */
export const art28TermsSchema = z.object(partialShape(ART28_TERMS, art28TermSchema)).strict();
export type Art28Terms = Record<Art28Term, Art28TermRecord>;

export const emptyArt28Terms = (): Art28Terms =>
  Object.fromEntries(ART28_TERMS.map((t) => [t, { present: false, clause: '' }])) as Art28Terms;

/** The checklist with the terms sent laid over `base`. */
export const mergeArt28Terms = (base: Art28Terms, given: Partial<Art28Terms> | undefined): Art28Terms =>
  Object.fromEntries(ART28_TERMS.map((t) => [t, given?.[t] ?? base[t]])) as Art28Terms;

export const subProcessorSchema = z
  .object({
    name: required(200, 'the sub-processor name'),
    service: text(1000).default(''),
    hosting: z.array(transferSchema).max(20).default([]),
  })
  .strict();
export type SubProcessor = z.output<typeof subProcessorSchema>;

const processorFields = {
  name: required(200, 'a name'),
  service: text(2000),
  contractReference: text(1000).nullable(),
  contractDate: isoDate.nullable(),
  art28Terms: art28TermsSchema,
  /** Where the processor hosts or accesses the campaign's data (GB for the UK). */
  hosting: z.array(transferSchema).max(30),
  subProcessors: z.array(subProcessorSchema).max(100),
  /** How the processor keeps this campaign's data apart from other campaigns' data. */
  segregation: text(4000).nullable(),
  serviceImprovement: z.enum(SERVICE_IMPROVEMENT_USES),
  serviceImprovementNote: text(4000).nullable(),
  notes: text(4000),
};

export const processorCreateSchema = z.object(processorFields).partial().required({ name: true }).strict();
export const processorUpdateSchema = z
  .object(processorFields)
  .partial()
  .extend({ archived: z.boolean().optional() })
  .strict();

/** A processor's recorded fields, with the whole Art 28(3) checklist. */
export type ProcessorFields = Omit<
  { [K in keyof typeof processorFields]: z.output<(typeof processorFields)[K]> },
  'art28Terms'
> & { art28Terms: Art28Terms };
export type ProcessorCreateInput = z.output<typeof processorCreateSchema>;
export type ProcessorUpdateInput = z.output<typeof processorUpdateSchema>;

export const emptyProcessorFields = (name: string): ProcessorFields => ({
  name,
  service: '',
  contractReference: null,
  contractDate: null,
  art28Terms: emptyArt28Terms(),
  hosting: [],
  subProcessors: [],
  segregation: null,
  serviceImprovement: 'unknown',
  serviceImprovementNote: null,
  notes: '',
});

export interface Processor extends ProcessorFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/** The Art 28(3) terms the contract lacks (CTRL-ART28-CONTRACT). */
export const missingArt28Terms = (p: Pick<ProcessorFields, 'art28Terms'>): Art28Term[] =>
  ART28_TERMS.filter((t) => !p.art28Terms[t].present);

/** Every transfer of a processor and its sub-processors, with a name for messages. */
export function processorTransfers(p: Pick<ProcessorFields, 'name' | 'hosting' | 'subProcessors'>): {
  where: string;
  transfer: Transfer;
}[] {
  return [
    ...p.hosting.map((transfer) => ({ where: `${p.name} hosts in ${transfer.country}`, transfer })),
    ...p.subProcessors.flatMap((s) =>
      s.hosting.map((transfer) => ({
        where: `${p.name}'s sub-processor ${s.name} hosts in ${transfer.country}`,
        transfer,
      })),
    ),
  ];
}

/** What the processor cannot say about segregation and service improvement (CTRL-SEGREGATION). */
export function segregationConcerns(
  p: Pick<ProcessorFields, 'segregation' | 'serviceImprovement' | 'serviceImprovementNote'>,
): string[] {
  const concerns: string[] = [];
  if (blank(p.segregation)) concerns.push("cannot state how this campaign's data is kept apart from other campaigns'");
  if (p.serviceImprovement === 'without_basis') {
    concerns.push('uses campaign data for "service improvement" without a recorded basis');
  } else if (p.serviceImprovement === 'unknown') {
    concerns.push('has not said whether it uses campaign data for "service improvement"');
  } else if (p.serviceImprovement === 'with_basis' && blank(p.serviceImprovementNote)) {
    concerns.push('uses campaign data for "service improvement", and the basis is not written down');
  }
  return concerns;
}

// ---------------------------------------------------------------------------------------
// Joint-controller arrangements (Art 26)
// ---------------------------------------------------------------------------------------

export const allocationSchema = z
  .object({
    party: z.enum(PARTIES).nullable().default(null),
    /** How it is done in practice; required when both parties share it. */
    note: text(4000).default(''),
  })
  .strict();
export type Allocation = z.output<typeof allocationSchema>;

/** The responsibility matrix as sent: the responsibilities given; the others keep their allocation. */
export const responsibilitiesSchema = z.object(partialShape(RESPONSIBILITIES, allocationSchema)).strict();
export type Responsibilities = Record<Responsibility, Allocation>;

/** The matrix with the allocations sent laid over `base`. */
export const mergeResponsibilities = (
  base: Responsibilities,
  given: Partial<Responsibilities> | undefined,
): Responsibilities => Object.fromEntries(RESPONSIBILITIES.map((r) => [r, given?.[r] ?? base[r]])) as Responsibilities;

export const emptyResponsibilities = (): Responsibilities =>
  Object.fromEntries(RESPONSIBILITIES.map((r) => [r, { party: null, note: '' }])) as Responsibilities;

const arrangementFields = {
  platform: z.enum(PLATFORMS),
  /** The platform's name: required for "other"; presets supply their own. */
  platformName: text(200),
  scope: z.enum(JOINT_CONTROLLER_SCOPES),
  /** The platform's standard terms relied on, if any (name and where they are). */
  termsReference: text(2000).nullable(),
  responsibilities: responsibilitiesSchema,
  /** The essence of the arrangement, written for individuals (Art 26(2)); used in the privacy notice. */
  essence: text(8000),
  /** How the platform's political-advertising condition is met, e.g. Meta's authorisation reference. */
  eligibilityConfirmation: text(2000).nullable(),
  reviewDueOn: isoDate.nullable(),
  lastReviewedOn: isoDate.nullable(),
  notes: text(4000),
};

export const arrangementCreateSchema = z
  .object(arrangementFields)
  .partial()
  .required({ platform: true, scope: true })
  .extend({
    /** Start from the platform's preset: its terms reference and notes are filled in. */
    fromPreset: z.boolean().optional(),
  })
  .strict();
export const arrangementUpdateSchema = z
  .object(arrangementFields)
  .omit({ platform: true, scope: true })
  .partial()
  .extend({ archived: z.boolean().optional() })
  .strict();

/** An arrangement's recorded fields, with the whole responsibility matrix. */
export type ArrangementFields = Omit<
  { [K in keyof typeof arrangementFields]: z.output<(typeof arrangementFields)[K]> },
  'responsibilities'
> & { responsibilities: Responsibilities };
export type ArrangementCreateInput = z.output<typeof arrangementCreateSchema>;
export type ArrangementUpdateInput = z.output<typeof arrangementUpdateSchema>;

export interface JointControllerArrangement extends ArrangementFields {
  id: string;
  /** The preset version it was created from, if any. */
  presetVersion: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface ArrangementGap {
  /** A responsibility, or "essence" for the Art 26(2) text. */
  item: Responsibility | 'essence';
  problem: 'unassigned' | 'shared_without_note' | 'missing';
  label: string;
}

/**
 * The gaps of an arrangement (ONL-ARRANGEMENT-GAPS): each responsibility without a party;
 * each one given to "both" without saying how (the ICO: agree who is responsible for what,
 * with no gaps); and a missing essence for individuals (Art 26(2)).
 */
export function arrangementGaps(a: Pick<ArrangementFields, 'responsibilities' | 'essence'>): ArrangementGap[] {
  const gaps: ArrangementGap[] = [];
  for (const r of RESPONSIBILITIES) {
    const allocation = a.responsibilities[r];
    if (allocation.party === null) {
      gaps.push({ item: r, problem: 'unassigned', label: `${RESPONSIBILITY_LABELS[r]} (unassigned)` });
    } else if (allocation.party === 'both' && blank(allocation.note)) {
      gaps.push({
        item: r,
        problem: 'shared_without_note',
        label: `${RESPONSIBILITY_LABELS[r]} (shared, without saying who does what)`,
      });
    }
  }
  if (blank(a.essence))
    gaps.push({ item: 'essence', problem: 'missing', label: 'the essence for individuals (Art 26(2))' });
  return gaps;
}

/** Whether the arrangement's review is overdue (or was never scheduled) on `today` (YYYY-MM-DD). */
export function reviewStatus(
  a: Pick<ArrangementFields, 'reviewDueOn'>,
  today: string,
): 'scheduled' | 'overdue' | 'not_scheduled' {
  if (a.reviewDueOn === null) return 'not_scheduled';
  return a.reviewDueOn < today ? 'overdue' : 'scheduled';
}

export const arrangementLabel = (a: Pick<ArrangementFields, 'platformName' | 'scope'>): string =>
  `${a.platformName} — ${a.scope.replaceAll('_', ' ')}`;

export type { LawfulBasis, SpecialCategory };
