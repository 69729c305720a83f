/**
 * DPIA screening, table-driven: every trigger of the table, the activity kinds and what they
 * derive, and the done-when case (a supporter list matched against a platform's users).
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_KINDS,
  DPIA_TRIGGER_TABLE,
  DPIA_TRIGGERS,
  NO_FACTS,
  deriveScreeningFacts,
  resolveScreeningFacts,
  screen,
  screenProcessing,
  screeningInputSchema,
  type ActivityKind,
  type DpiaTrigger,
  type ScreeningFacts,
} from './dpia.js';

const facts = (over: Partial<ScreeningFacts> = {}): ScreeningFacts => ({ ...NO_FACTS, ...over });
const triggersOf = (f: ScreeningFacts): DpiaTrigger[] => screenProcessing(f).reasons.map((r) => r.trigger);

describe('DPIA screening: each trigger', () => {
  const cases: [string, Partial<ScreeningFacts>, DpiaTrigger[]][] = [
    ['nothing of note', {}, []],
    ['data matching', { dataMatching: true }, ['data_matching']],
    ['an Art 14(5)(b) claim', { notObtainedFromPerson: true, art14ExemptionClaimed: true }, ['invisible_processing']],
    ['processing out of sight', { hiddenFromPeople: true }, ['invisible_processing']],
    ['third-party data, people told (Art 14 notice sent)', { notObtainedFromPerson: true }, []],
    ['profiling, not at scale', { profiling: true }, []],
    ['profiling at scale', { profiling: true, largeScale: true }, ['large_scale_profiling']],
    ['large scale alone', { largeScale: true }, []],
    ['political opinion, not at scale', { specialCategories: ['political_opinion'] }, []],
    [
      'political opinion at scale',
      { specialCategories: ['political_opinion'], largeScale: true },
      ['large_scale_special_category'],
    ],
    [
      'criminal offence data at scale',
      { criminalOffenceData: true, largeScale: true },
      ['large_scale_special_category'],
    ],
    ['criminal offence data, small', { criminalOffenceData: true }, []],
    ['location tracking', { trackingLocation: true }, ['tracking']],
    ['behaviour tracking', { trackingBehaviour: true }, ['tracking']],
    ['new technology', { newTechnology: true }, ['innovative_technology']],
    ['vulnerable people', { vulnerablePeople: true }, ['vulnerable_people']],
    [
      'profiling with significant automated decisions',
      { profiling: true, automatedDecisions: true },
      ['systematic_evaluation'],
    ],
    ['automated decisions without evaluation', { automatedDecisions: true }, []],
    ['access decided by profiling', { accessDecisions: true, profiling: true }, ['denial_of_service']],
    ['access decided by hand, no special data', { accessDecisions: true }, []],
    ['access decided on health data', { accessDecisions: true, specialCategories: ['health'] }, ['denial_of_service']],
    ['biometric data', { specialCategories: ['biometric'] }, ['biometric_data']],
    ['genetic data', { specialCategories: ['genetic'] }, ['genetic_data']],
    ['public area monitoring at scale', { publicAreaMonitoring: true, largeScale: true }, ['public_monitoring']],
    ['public area monitoring, small', { publicAreaMonitoring: true }, []],
    ['physical harm', { physicalHarmRisk: true }, ['physical_harm']],
  ];
  it.each(cases)('%s → %j', (_name, over, expected) => {
    const result = screenProcessing(facts(over));
    expect(result.reasons.map((r) => r.trigger)).toEqual(expected);
    expect(result.required).toBe(expected.length > 0);
  });

  it('covers every trigger of the table, each with a citation and a basis', () => {
    const seen = new Set(cases.flatMap(([, , t]) => t));
    expect([...seen].sort()).toEqual([...DPIA_TRIGGERS].sort());
    expect(DPIA_TRIGGER_TABLE.map((t) => t.id).sort()).toEqual([...DPIA_TRIGGERS].sort());
    for (const t of DPIA_TRIGGER_TABLE) {
      expect(t.citation).toMatch(/UK GDPR Art 35/);
      expect(t.basis.length).toBeGreaterThan(0);
    }
  });

  it('gives every reason a plain-English explanation, a title and a citation, and a summary naming them', () => {
    const all = screenProcessing(
      facts({
        dataMatching: true,
        hiddenFromPeople: true,
        profiling: true,
        largeScale: true,
        trackingBehaviour: true,
        trackingLocation: true,
        specialCategories: ['political_opinion'],
      }),
    );
    expect(all.required).toBe(true);
    for (const r of all.reasons) {
      expect(r.explanation.length).toBeGreaterThan(30);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.citation.length).toBeGreaterThan(5);
    }
    expect(all.reasons.find((r) => r.trigger === 'tracking')?.explanation).toMatch(/location and behaviour/);
    expect(all.summary).toMatch(/A DPIA is required/);
    expect(all.summary).toMatch(/combining, comparing or matching/);
  });

  it('cites the seed guidance for its triggers and Art 35(3) for the statutory cases', () => {
    const byId = new Map(DPIA_TRIGGER_TABLE.map((t) => [t.id, t]));
    for (const id of [
      'data_matching',
      'invisible_processing',
      'large_scale_profiling',
      'tracking',
      'innovative_technology',
      'vulnerable_people',
    ] as const) {
      expect(byId.get(id)?.basis).toContain('seed_guidance');
    }
    expect(byId.get('systematic_evaluation')?.citation).toMatch(/35\(3\)\(a\)/);
    expect(byId.get('large_scale_special_category')?.citation).toMatch(/35\(3\)\(b\)/);
    expect(byId.get('public_monitoring')?.citation).toMatch(/35\(3\)\(c\)/);
  });

  it('says why not, and what to keep, when nothing triggers', () => {
    const none = screenProcessing(facts());
    expect(none.required).toBe(false);
    expect(none.reasons).toEqual([]);
    expect(none.summary).toMatch(/not legally required/);
  });

  it('adds notes on the duties that come with the facts', () => {
    expect(screenProcessing(facts({ specialCategories: ['political_opinion'] })).notes.join(' ')).toMatch(
      /SCD-ART9-CONDITION/,
    );
    expect(screenProcessing(facts({ notObtainedFromPerson: true })).notes.join(' ')).toMatch(/TR-ART14-ONE-MONTH/);
    expect(screenProcessing(facts({ art14ExemptionClaimed: true })).notes.join(' ')).toMatch(
      /TR-DISPROPORTIONATE-EFFORT/,
    );
  });
});

describe('DPIA screening: facts derived from an activity description', () => {
  const expected: Record<ActivityKind, DpiaTrigger[]> = {
    custom_audience: ['data_matching', 'invisible_processing'],
    lookalike_audience: [
      'data_matching',
      'invisible_processing',
      'large_scale_profiling',
      'large_scale_special_category',
    ],
    social_pixel: ['data_matching', 'invisible_processing', 'tracking'],
    interest_targeting: ['invisible_processing', 'large_scale_profiling'],
    geo_targeting: ['invisible_processing', 'tracking'],
    support_scoring: ['data_matching'],
    data_enrichment: ['data_matching', 'invisible_processing'],
    register_matching: ['data_matching'],
    web_scraping: ['data_matching', 'invisible_processing'],
    canvassing: [],
    email_marketing: [],
    custom: [],
  };
  it.each(ACTIVITY_KINDS.map((kind) => [kind, expected[kind]] as const))('%s → %j', (kind, triggers) => {
    const { facts: derived, derived: why } = deriveScreeningFacts({ kind });
    expect(triggersOf(derived)).toEqual(triggers);
    // Every derived fact says why.
    for (const d of why) expect(d.because.length).toBeGreaterThan(10);
  });

  it('done-when: a supporter list matched against a platform’s users needs a DPIA, for data matching and invisible processing', () => {
    const s = screen({ activity: { kind: 'custom_audience', platform: 'Meta', listRevealsPoliticalOpinion: true } });
    expect(s.result.required).toBe(true);
    const triggers = s.result.reasons.map((r) => r.trigger);
    expect(triggers).toEqual(expect.arrayContaining(['data_matching', 'invisible_processing']));
    expect(s.facts).toMatchObject({
      dataMatching: true,
      hiddenFromPeople: true,
      profiling: true,
      specialCategories: ['political_opinion'],
    });
    expect(s.derived.map((d) => d.because).join(' ')).toMatch(/Meta/);
    // At scale, the profiling and the political opinions are large-scale triggers too.
    const big = screen({ activity: { kind: 'custom_audience', platform: 'Meta' }, facts: { largeScale: true } });
    expect(big.result.reasons.map((r) => r.trigger)).toEqual([
      'data_matching',
      'invisible_processing',
      'large_scale_profiling',
      'large_scale_special_category',
    ]);
  });

  it('a list not defined by support does not reveal political opinion', () => {
    const { facts: f } = deriveScreeningFacts({ kind: 'custom_audience', listRevealsPoliticalOpinion: false });
    expect(f.specialCategories).toEqual([]);
  });

  it('explicit answers win over derived facts, and replace the derivation note', () => {
    const resolved = resolveScreeningFacts({
      activity: { kind: 'custom_audience' },
      facts: { hiddenFromPeople: false, specialCategories: [] },
    });
    expect(resolved.facts.hiddenFromPeople).toBe(false);
    expect(resolved.facts.dataMatching).toBe(true);
    expect(resolved.facts.specialCategories).toEqual([]);
    expect(resolved.derived.map((d) => d.fact)).not.toContain('hiddenFromPeople');
    expect(resolved.derived.map((d) => d.fact)).not.toContain('specialCategories');
    expect(triggersOf(resolved.facts)).toEqual(['data_matching']);
  });

  it('facts alone are screened as given', () => {
    expect(screen({ facts: { trackingLocation: true } }).result.reasons.map((r) => r.trigger)).toEqual(['tracking']);
  });
});

describe('DPIA screening input', () => {
  it.each([
    [{}, 'activity'],
    [{ activity: { kind: 'telepathy' } }, 'activity.kind'],
    [{ facts: { dataMatching: 'yes' } }, 'facts.dataMatching'],
    [{ facts: { specialCategories: ['star_sign'] } }, 'facts.specialCategories.0'],
    [{ facts: { unknownFact: true } }, 'facts'],
  ])('%j is refused naming %s', (input, field) => {
    const parsed = screeningInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});
