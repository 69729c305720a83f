/**
 * DPIA screening (UK GDPR Art 35(1),(3),(4)): does this processing need a data protection
 * impact assessment before it starts? Pure functions of facts about the processing.
 *
 * The triggers are, in one table:
 *  - the three cases of Art 35(3) where a DPIA is always required;
 *  - the ICO's list of processing "likely to result in high risk", published under Art 35(4)
 *    (innovative technology, denial of service, large-scale profiling, biometrics, genetic
 *    data, data matching, invisible processing, tracking, targeting of children or other
 *    vulnerable people, risk of physical harm);
 *  - the triggers of the ICO's guidance on political campaigning online (the seed guidance):
 *    new technologies, large-scale profiling, combining or matching data from several
 *    sources, invisible processing, tracking geolocation or behaviour, and the use of
 *    vulnerable people's data for marketing, profiling or automated decisions — plus
 *    large-scale special category data (Art 35(3)(b)).
 *
 * Canvass treats each trigger as enough on its own. The seed guidance says each of its
 * triggers requires a DPIA for online political campaigning; for the ICO-list items the ICO
 * pairs with "any other criterion" (innovative technology, biometrics, genetic data, invisible
 * processing, tracking) political campaigning supplies the other one: it is direct marketing
 * to individuals (DPA 2018 s.122(5)) and what it evaluates is political opinion, special
 * category data (Art 9(1)).
 */
import { z } from 'zod';
import {
  ACTIVITY_KINDS,
  DPIA_TRIGGER_LABELS,
  SCREENING_FACT_KEYS,
  type ActivityDescription,
  type DerivedFact,
  type DpiaTrigger,
  type Screening,
  type ScreeningFacts,
  type ScreeningReason,
  type ScreeningResult,
  type TriggerBasis,
} from '../shared/dpia.js';
import { SPECIAL_CATEGORIES, SPECIAL_CATEGORY_LABELS, type SpecialCategory } from '../shared/labels.js';

export * from '../shared/dpia.js';

// ---------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------

const flags = Object.fromEntries(SCREENING_FACT_KEYS.map((key) => [key, z.boolean().optional()])) as Record<
  (typeof SCREENING_FACT_KEYS)[number],
  z.ZodOptional<z.ZodBoolean>
>;

/** Facts as given: any subset (absent answers are "no", or what the activity description derives). */
export const screeningFactsInputSchema = z
  .object({
    ...flags,
    specialCategories: z.array(z.enum(SPECIAL_CATEGORIES)).max(SPECIAL_CATEGORIES.length).optional(),
  })
  .strict();
export type ScreeningFactsInput = z.infer<typeof screeningFactsInputSchema>;

export const activityDescriptionSchema = z
  .object({
    kind: z.enum(ACTIVITY_KINDS),
    platform: z.string().trim().max(100).nullable().optional(),
    listRevealsPoliticalOpinion: z.boolean().optional(),
  })
  .strict();

/** What a screening is asked with: an activity description, facts, or both (facts win). */
export const screeningInputSchema = z
  .object({
    activity: activityDescriptionSchema.nullable().optional(),
    facts: screeningFactsInputSchema.optional(),
  })
  .strict()
  .refine((input) => Boolean(input.activity) || input.facts !== undefined, {
    message: 'describe the activity (activity.kind) or answer the screening questions (facts)',
    path: ['activity'],
  });
export type ScreeningInput = z.infer<typeof screeningInputSchema>;

export const NO_FACTS: ScreeningFacts = {
  ...(Object.fromEntries(SCREENING_FACT_KEYS.map((key) => [key, false])) as Record<
    (typeof SCREENING_FACT_KEYS)[number],
    boolean
  >),
  specialCategories: [],
};

// ---------------------------------------------------------------------------------------
// Deriving facts from an activity description
// ---------------------------------------------------------------------------------------

const AUDIENCE_POLITICAL_OPINION =
  'a list a campaign keeps of its supporters, members, pledges or donors reveals their political opinion (special category data, Art 9(1); ICO: inferred or not)';

/**
 * The facts that follow from the kind of activity, each with the reason, so the DPO can see
 * and correct them. Facts not derived stay "no"; anything given explicitly wins.
 */
export function deriveScreeningFacts(activity: ActivityDescription): { facts: ScreeningFacts; derived: DerivedFact[] } {
  const facts: ScreeningFacts = { ...NO_FACTS, specialCategories: [] };
  const derived: DerivedFact[] = [];
  const platform = activity.platform?.trim() ? activity.platform.trim() : 'the platform';
  const set = (fact: Exclude<DerivedFact['fact'], 'specialCategories'>, because: string): void => {
    facts[fact] = true;
    derived.push({ fact, because });
  };
  const special = (category: SpecialCategory, because: string): void => {
    if (!facts.specialCategories.includes(category)) facts.specialCategories.push(category);
    derived.push({ fact: 'specialCategories', because: `${SPECIAL_CATEGORY_LABELS[category]}: ${because}` });
  };
  const listOpinion = activity.listRevealsPoliticalOpinion !== false;

  switch (activity.kind) {
    case 'custom_audience':
      set(
        'dataMatching',
        `the campaign's list is matched against ${platform}'s users: data from two sources are compared`,
      );
      set(
        'hiddenFromPeople',
        `the matching happens inside ${platform}, out of the people's sight; the ICO names direct marketing and online advertising as invisible processing`,
      );
      set(
        'profiling',
        'people are selected for political messages by their perceived support, and the platform optimises who sees each advert from their behaviour (micro-targeting)',
      );
      if (listOpinion) special('political_opinion', AUDIENCE_POLITICAL_OPINION);
      break;
    case 'lookalike_audience':
      set('dataMatching', `the seed list is matched against ${platform}'s users`);
      set(
        'hiddenFromPeople',
        `${platform} finds and targets people who never dealt with the campaign, out of their sight`,
      );
      set('profiling', `${platform} evaluates its users to find people who resemble the seed`);
      set('largeScale', `${platform} searches its whole user base for similar people`);
      if (listOpinion) special('political_opinion', AUDIENCE_POLITICAL_OPINION);
      special(
        'political_opinion',
        'people chosen for resembling supporters are treated as likely supporters: an inferred political opinion',
      );
      break;
    case 'social_pixel':
      set('trackingBehaviour', 'a pixel or tag records what visitors do on the campaign website');
      set('hiddenFromPeople', `${platform} receives the browsing data directly: third-party online tracking`);
      set('dataMatching', `${platform} links website visits to its users' accounts`);
      set('profiling', 'visitors are put into retargeting audiences by what they did');
      special(
        'political_opinion',
        'visiting and engaging with a political campaign’s website can reveal political opinion',
      );
      break;
    case 'interest_targeting':
      set('profiling', `${platform} selects people by interests and characteristics it inferred about them`);
      set('largeScale', `the selection runs over ${platform}'s user base`);
      set('hiddenFromPeople', 'people do not see how they were selected for the message');
      break;
    case 'geo_targeting':
      set('trackingLocation', 'people are selected by where their devices are or have been');
      set('hiddenFromPeople', 'location data is collected and used by advertising systems out of people’s sight');
      break;
    case 'support_scoring':
      set('profiling', 'each person is given a predicted level of support or turnout');
      set('dataMatching', 'models combine canvass returns, the electoral register and other data');
      special('political_opinion', 'a support score is an inferred political opinion');
      break;
    case 'data_enrichment':
      set('dataMatching', 'records are matched with data from other sources');
      set('notObtainedFromPerson', 'the added data comes from third parties, not from the person');
      set(
        'hiddenFromPeople',
        'people do not see their records being added to: the ICO names data aggregation as invisible processing',
      );
      break;
    case 'register_matching':
      set('dataMatching', 'the electoral register is matched with the campaign’s own records');
      set('notObtainedFromPerson', 'register data comes from the electoral registration officer, not the person');
      break;
    case 'web_scraping':
      set('notObtainedFromPerson', 'the data is collected from websites or social-media profiles, not from the person');
      set('hiddenFromPeople', 'people are not aware their public posts or profiles are collected');
      set('dataMatching', 'collected profiles are matched to people the campaign holds');
      break;
    case 'canvassing':
      special('political_opinion', 'canvass returns record voting intention and support');
      break;
    case 'email_marketing':
    case 'custom':
      break;
  }
  return { facts, derived };
}

/** Facts for a screening input: derived from the activity, then the explicit answers applied. */
export function resolveScreeningFacts(input: ScreeningInput): { facts: ScreeningFacts; derived: DerivedFact[] } {
  const base = input.activity ? deriveScreeningFacts(input.activity) : { facts: { ...NO_FACTS }, derived: [] };
  const facts: ScreeningFacts = { ...base.facts, specialCategories: [...base.facts.specialCategories] };
  const given = input.facts ?? {};
  for (const key of SCREENING_FACT_KEYS) {
    const value = given[key];
    if (value !== undefined) facts[key] = value;
  }
  if (given.specialCategories !== undefined) facts.specialCategories = [...new Set(given.specialCategories)];
  // An explicit answer replaces what was derived for that fact.
  const derived = base.derived.filter((d) =>
    d.fact === 'specialCategories' ? given.specialCategories === undefined : given[d.fact] === undefined,
  );
  return { facts, derived };
}

// ---------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------

const ICO_LIST = 'ICO list of processing likely to result in high risk';
const SEED = 'ICO guidance on political campaigning online';

interface Trigger {
  id: DpiaTrigger;
  basis: TriggerBasis[];
  citation: string;
  /** The explanation when the facts meet the trigger, else null. */
  test(facts: ScreeningFacts): string | null;
}

const listOf = (categories: readonly SpecialCategory[]): string =>
  categories.map((c) => SPECIAL_CATEGORY_LABELS[c].toLowerCase()).join(', ');

/** The screening table: each trigger with its basis, citation and test. Order is the order reported. */
export const DPIA_TRIGGER_TABLE: readonly Trigger[] = [
  {
    id: 'data_matching',
    basis: ['ico_list', 'seed_guidance'],
    citation: `UK GDPR Art 35(1),(4); ${ICO_LIST}: data matching; ${SEED}`,
    test: (f) =>
      f.dataMatching
        ? 'Personal data from several sources is combined, compared or matched. Matching can link people to information they never expected to be brought together.'
        : null,
  },
  {
    id: 'invisible_processing',
    basis: ['ico_list', 'seed_guidance'],
    citation: `UK GDPR Art 35(1),(4), Art 14(5)(b); ${ICO_LIST}: invisible processing; ${SEED}`,
    test: (f) => {
      if (f.art14ExemptionClaimed) {
        return 'Data not obtained from the people themselves is processed while telling them is claimed impossible or disproportionate (Art 14(5)(b)): they cannot know, object or complain.';
      }
      if (f.hiddenFromPeople) {
        return 'The processing happens where the people concerned cannot see it and would not expect it (the ICO names direct marketing, online advertising, third-party tracking and data aggregation), so they cannot exercise their rights over it.';
      }
      return null;
    },
  },
  {
    id: 'large_scale_profiling',
    basis: ['ico_list', 'seed_guidance'],
    citation: `UK GDPR Art 35(1),(4); ${ICO_LIST}: large-scale profiling; ${SEED}`,
    test: (f) =>
      f.profiling && f.largeScale
        ? 'People are profiled — their characteristics, interests or behaviour evaluated or predicted — on a large scale.'
        : null,
  },
  {
    id: 'large_scale_special_category',
    basis: ['art35_3'],
    citation: 'UK GDPR Art 35(3)(b)',
    test: (f) => {
      if (!f.largeScale) return null;
      if (f.specialCategories.length > 0) {
        return `Special category data (${listOf(f.specialCategories)}) is processed on a large scale. Political opinion counts, inferred or not.`;
      }
      if (f.criminalOffenceData) return 'Criminal offence data is processed on a large scale.';
      return null;
    },
  },
  {
    id: 'tracking',
    basis: ['ico_list', 'seed_guidance'],
    citation: `UK GDPR Art 35(1),(4); ${ICO_LIST}: tracking; ${SEED}`,
    test: (f) =>
      f.trackingLocation || f.trackingBehaviour
        ? `People's ${[f.trackingLocation ? 'location' : null, f.trackingBehaviour ? 'behaviour' : null].filter(Boolean).join(' and ')} is tracked.`
        : null,
  },
  {
    id: 'innovative_technology',
    basis: ['ico_list', 'seed_guidance'],
    citation: `UK GDPR Art 35(1),(4); ${ICO_LIST}: innovative technology; ${SEED}`,
    test: (f) =>
      f.newTechnology
        ? 'New or innovative technology (or a new use of existing technology) is used, whose risks to people are not yet well understood.'
        : null,
  },
  {
    id: 'vulnerable_people',
    basis: ['ico_list', 'seed_guidance'],
    citation: `UK GDPR Art 35(1),(4), Recital 75; ${ICO_LIST}: targeting of children or other vulnerable individuals; ${SEED}`,
    test: (f) =>
      f.vulnerablePeople
        ? "Children's or other vulnerable people's data is used for political messaging, which is direct marketing (DPA 2018 s.122(5)), or for profiling."
        : null,
  },
  {
    id: 'systematic_evaluation',
    basis: ['art35_3'],
    citation: 'UK GDPR Art 35(3)(a), Art 22',
    test: (f) =>
      f.profiling && f.automatedDecisions
        ? 'People are systematically evaluated by automated means, and decisions with legal or similarly significant effects are based on it.'
        : null,
  },
  {
    id: 'denial_of_service',
    basis: ['ico_list'],
    citation: `UK GDPR Art 35(1),(4); ${ICO_LIST}: denial of service`,
    test: (f) =>
      f.accessDecisions && (f.profiling || f.automatedDecisions || f.specialCategories.length > 0)
        ? 'Whether someone gets a service, opportunity or benefit is decided using automated decisions, profiling or special category data.'
        : null,
  },
  {
    id: 'biometric_data',
    basis: ['ico_list'],
    citation: `UK GDPR Art 35(1),(4), Art 9(1); ${ICO_LIST}: biometrics`,
    test: (f) =>
      f.specialCategories.includes('biometric') ? 'Biometric data is processed to identify people uniquely.' : null,
  },
  {
    id: 'genetic_data',
    basis: ['ico_list'],
    citation: `UK GDPR Art 35(1),(4), Art 9(1); ${ICO_LIST}: genetic data`,
    test: (f) => (f.specialCategories.includes('genetic') ? 'Genetic data is processed.' : null),
  },
  {
    id: 'public_monitoring',
    basis: ['art35_3'],
    citation: 'UK GDPR Art 35(3)(c)',
    test: (f) =>
      f.publicAreaMonitoring && f.largeScale
        ? 'A publicly accessible area is systematically monitored on a large scale.'
        : null,
  },
  {
    id: 'physical_harm',
    basis: ['ico_list'],
    citation: `UK GDPR Art 35(1),(4); ${ICO_LIST}: risk of physical harm`,
    test: (f) =>
      f.physicalHarmRisk ? "A breach of this data could put someone's physical health or safety at risk." : null,
  },
];

/** Screens the facts: a DPIA is required when any trigger is met, and every trigger met is a reason. */
export function screenProcessing(facts: ScreeningFacts): ScreeningResult {
  const reasons: ScreeningReason[] = [];
  for (const trigger of DPIA_TRIGGER_TABLE) {
    const explanation = trigger.test(facts);
    if (explanation) {
      reasons.push({
        trigger: trigger.id,
        title: DPIA_TRIGGER_LABELS[trigger.id],
        explanation,
        citation: trigger.citation,
        basis: trigger.basis,
      });
    }
  }
  const notes: string[] = [];
  if (facts.specialCategories.length > 0) {
    notes.push(
      `Special category data (${listOf(facts.specialCategories)}) needs an Art 9 condition (SCD-ART9-CONDITION), and targeting with it needs explicit consent (SCD-TARGETING-EXPLICIT-CONSENT).`,
    );
  }
  if (facts.notObtainedFromPerson && !facts.art14ExemptionClaimed) {
    notes.push(
      'Data not obtained from the person: each person must get the Art 14 notice within one month (TR-ART14-ONE-MONTH).',
    );
  }
  if (facts.art14ExemptionClaimed) {
    notes.push(
      'Relying on Art 14(5)(b) also needs a written assessment and a public privacy notice (TR-DISPROPORTIONATE-EFFORT).',
    );
  }
  const required = reasons.length > 0;
  const summary = required
    ? `A DPIA is required before this processing starts (UK GDPR Art 35(1)): it meets ${reasons.length} high-risk indicator${reasons.length === 1 ? '' : 's'} — ${reasons.map((r) => r.title.toLowerCase()).join('; ')}.`
    : 'No high-risk indicator is met, so a DPIA is not legally required. Keep this screening as the record of that decision; a DPIA is still good practice for any major project (ICO), and screen again if the processing changes.';
  return { required, reasons, notes, summary };
}

/** Screening from an input: the facts resolved and screened, with what was derived and why. */
export function screen(input: ScreeningInput): Screening {
  const { facts, derived } = resolveScreeningFacts(input);
  return { activity: input.activity ?? null, facts, derived, result: screenProcessing(facts) };
}
