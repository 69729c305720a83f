/**
 * The governance rules, table-driven, each case naming its rule id (docs/law.md): a complete
 * activity with a complete arrangement and processor passes; each case breaks one thing.
 */
import { describe, expect, it } from 'vitest';
import {
  ART28_TERMS,
  RESPONSIBILITIES,
  emptyResponsibilities,
  type ActivityFields,
  type Art28Term,
  type Art28TermRecord,
  type Responsibilities,
} from '../governance.js';
import {
  ACTIVITY,
  ARRANGEMENT,
  PROCESSOR,
  allTerms,
  assigned,
  transfer,
} from '../../../test/helpers/governance-facts.js';
import { capabilitiesOf, decideAction, rulesFor } from './engine.js';
import {
  GOVERNANCE_RULES,
  activityActivateFacts,
  decideArrangement,
  decideProcessor,
  type ActivityRecordFacts,
} from './governance-rules.js';

/** Activation, as the app decides it: the rules engine on the facts of the record. */
const decideActivity = (record: ActivityRecordFacts) =>
  decideAction({
    capability: 'activity.activate',
    facts: activityActivateFacts({ ...record, campaignId: '00000000-0000-4000-8000-000000000001' }),
  });

const TODAY = '2026-11-29';

const facts = (
  over: Omit<Partial<ActivityRecordFacts>, 'activity'> & { activity?: Partial<ActivityFields> } = {},
): ActivityRecordFacts => ({
  controllerRecord: over.controllerRecord ?? {
    name: 'Ann Candidate',
    postalAddress: '1 High Street',
    controllerType: 'candidate',
    dpo: null,
  },
  activity: { ...ACTIVITY, ...over.activity },
  linkedArrangements: over.linkedArrangements ?? [ARRANGEMENT],
  processors: over.processors ?? [PROCESSOR],
  today: over.today ?? TODAY,
});

const finding = (f: ActivityRecordFacts, ruleId: string) => decideActivity(f).findings.find((x) => x.ruleId === ruleId);

describe('a complete activity', () => {
  it('passes every governance rule', () => {
    expect(decideActivity(facts())).toEqual({ outcome: 'allow', findings: [] });
  });

  it("takes its rules from the catalogue, with the other files' rules on the same record", () => {
    expect(new Set(GOVERNANCE_RULES.map((b) => b.rule.meta.id))).toEqual(
      new Set(['ROPA-COMPLETE', 'ONL-ARRANGEMENT-GAPS', 'CTRL-ART28-CONTRACT', 'CTRL-SEGREGATION', 'XFER-MECHANISM']),
    );
    for (const b of GOVERNANCE_RULES) expect(capabilitiesOf(b.rule)).toContain('activity.activate');
    const activation = new Set(rulesFor('activity.activate').map((r) => r.meta.id));
    expect([...activation]).toEqual(
      expect.arrayContaining([
        'ROPA-COMPLETE',
        'SCD-P22-ELIGIBLE',
        'ONL-JOINT-CONTROLLER',
        'ONL-ARRANGEMENT-GAPS',
        'ONL-PLATFORM-ELIGIBILITY',
        'CTRL-ART28-CONTRACT',
        'CTRL-SEGREGATION',
        'XFER-MECHANISM',
        'LB-BASIS-RECORDED',
        'SCD-ART9-CONDITION',
      ]),
    );
  });
});

describe('ROPA-COMPLETE', () => {
  it.each([
    ['no purposes', { purposes: [] }, 'the purposes of the processing'],
    ['no lawful basis', { lawfulBasis: null }, 'the lawful basis'],
    [
      'public task without a necessity note',
      { lawfulBasis: 'public_task' as const, lawfulBasisNote: ' ' },
      'the necessity note for public task',
    ],
    [
      'legitimate interests without an assessment',
      { lawfulBasis: 'legitimate_interests' as const },
      'the legitimate-interests assessment',
    ],
    [
      'legitimate interests with an assessment lacking the balancing test',
      {
        lawfulBasis: 'legitimate_interests' as const,
        legitimateInterestsAssessment: {
          purpose: 'Tell residents about the candidate',
          necessity: 'No less intrusive way',
          balancing: '',
          conclusion: 'Proceed',
          assessedOn: '2026-11-01',
          assessedBy: 'Dee Pio',
        },
      },
      'the LIA balancing test',
    ],
    ['consent without reasons', { lawfulBasisNote: null }, 'the reasons for the lawful basis'],
    ['no data subjects', { dataSubjects: [] }, 'the categories of data subjects'],
    ['no data categories', { dataCategories: [] }, 'the categories of personal data'],
    [
      'special category data without an Art 9 condition',
      {
        specialCategories: [
          {
            category: 'political_opinion' as const,
            inferred: true,
            condition: null,
            schedule1Paragraph: null,
            note: '',
          },
        ],
      },
      'the Art 9 condition for political opinion',
    ],
    [
      'substantial public interest without a Sch 1 paragraph',
      {
        specialCategories: [
          {
            category: 'political_opinion' as const,
            inferred: false,
            condition: 'substantial_public_interest' as const,
            schedule1Paragraph: null,
            note: '',
          },
        ],
      },
      'the DPA 2018 Sch 1 paragraph relied on for political opinion',
    ],
    [
      'para 22 without the appropriate policy document',
      {
        specialCategories: [
          {
            category: 'political_opinion' as const,
            inferred: false,
            condition: 'substantial_public_interest' as const,
            schedule1Paragraph: 22,
            note: '',
          },
        ],
      },
      'the appropriate policy document (DPA 2018 Sch 1 para 22)',
    ],
    ['no recipients', { recipients: [] }, 'the categories of recipients'],
    ['transfers not stated', { transfers: null }, 'transfers outside the UK (or that there are none)'],
    ['no retention period', { retention: '' }, 'the retention period'],
    ['no security measures', { securityMeasures: null }, 'the security measures'],
  ] as const)('%s: requires, naming the field', (_name, over, label) => {
    const f = finding(facts({ activity: over as Partial<ActivityFields> }), 'ROPA-COMPLETE');
    expect(f?.outcome).toBe('require');
    expect(f?.explanation).toContain(label);
    expect(f?.citation).toBe('UK GDPR Art 30');
  });

  it('names every missing field of an empty record, and the controller when its address is missing', () => {
    const f = finding(
      facts({
        controllerRecord: { name: 'Ann', postalAddress: '', controllerType: 'candidate', dpo: null },
        activity: {
          purposes: [],
          lawfulBasis: null,
          dataSubjects: [],
          dataCategories: [],
          recipients: [],
          transfers: null,
          retention: null,
          securityMeasures: null,
        },
      }),
      'ROPA-COMPLETE',
    );
    for (const label of [
      "the controller's name and contact details",
      'the purposes',
      'the lawful basis',
      'data subjects',
      'personal data',
      'recipients',
      'transfers',
      'retention',
      'security measures',
    ]) {
      expect(f?.explanation).toContain(label);
    }
  });

  it('is satisfied by para 22 with its policy document (for a registered party), and by a complete LIA', () => {
    const p22 = facts({
      controllerRecord: { name: 'Party', postalAddress: '1 Road', controllerType: 'registered_party', dpo: null },
      activity: {
        specialCategories: [
          {
            category: 'political_opinion',
            inferred: true,
            condition: 'substantial_public_interest',
            schedule1Paragraph: 22,
            note: '',
          },
        ],
        appropriatePolicyDocument: 'APD v3, reviewed 2026-10; retention as in section 5',
      },
    });
    expect(decideActivity(p22)).toEqual({ outcome: 'allow', findings: [] });
    const lia = facts({
      activity: {
        lawfulBasis: 'legitimate_interests',
        lawfulBasisNote: null,
        legitimateInterestsAssessment: {
          purpose: 'a',
          necessity: 'b',
          balancing: 'c',
          conclusion: 'd',
          assessedOn: '2026-11-01',
          assessedBy: 'Dee Pio',
        },
      },
    });
    expect(finding(lia, 'ROPA-COMPLETE')).toBeUndefined();
  });
});

describe('SCD-P22-ELIGIBLE', () => {
  const p22 = {
    specialCategories: [
      {
        category: 'political_opinion' as const,
        inferred: false,
        condition: 'substantial_public_interest' as const,
        schedule1Paragraph: 22,
        note: '',
      },
    ],
    appropriatePolicyDocument: 'APD v1',
  };
  it.each([
    ['registered_party', undefined],
    ['candidate', 'warn'],
    ['non_party_campaigner', 'warn'],
  ] as const)('para 22 relied on by a %s: %s (unconfirmed, so a warning)', (controllerType, outcome) => {
    const f = finding(
      facts({ controllerRecord: { name: 'C', postalAddress: 'A', controllerType, dpo: null }, activity: p22 }),
      'SCD-P22-ELIGIBLE',
    );
    expect(f?.outcome).toBe(outcome);
    if (outcome) expect(f?.explanation).toMatch(/not a registered political party/);
  });
});

describe('ONL-JOINT-CONTROLLER', () => {
  it.each([
    [
      'custom audiences with no arrangement',
      ['custom_audiences'],
      [],
      'refuse',
      /no Art 26 arrangement covers custom audiences/,
    ],
    [
      'lookalikes with only a custom-audience arrangement',
      ['custom_audiences', 'lookalikes'],
      [ARRANGEMENT],
      'refuse',
      /lookalike audiences/,
    ],
    [
      'pixels with a pixel arrangement',
      ['pixels_plugins'],
      [{ ...ARRANGEMENT, scope: 'pixels_plugins' as const }],
      undefined,
      null,
    ],
    ['email needs no arrangement', ['email'], [], undefined, null],
  ] as const)('%s', (_name, capabilities, arrangements, outcome, explanation) => {
    const f = finding(
      facts({ activity: { capabilities: [...capabilities] }, linkedArrangements: arrangements }),
      'ONL-JOINT-CONTROLLER',
    );
    expect(f?.outcome).toBe(outcome);
    if (explanation) expect(f?.explanation).toMatch(explanation);
  });
});

describe('ONL-ARRANGEMENT-GAPS', () => {
  const without = (r: (typeof RESPONSIBILITIES)[number]): Responsibilities => ({
    ...assigned(),
    [r]: { party: null, note: '' },
  });
  it.each(RESPONSIBILITIES.map((r) => [r, without(r)] as const))(
    '%s unassigned: refused, naming it',
    (r, responsibilities) => {
      const f = finding(facts({ linkedArrangements: [{ ...ARRANGEMENT, responsibilities }] }), 'ONL-ARRANGEMENT-GAPS');
      expect(f?.outcome).toBe('refuse');
      const label = {
        transparency: 'transparency information',
        rights_requests: 'rights requests',
        security: 'security',
        dpia: 'DPIA',
        breach_notification: 'breach notification',
        contact_point: 'contact point',
      }[r];
      expect(f?.explanation).toContain(`Meta — custom audiences: ${label} (unassigned)`);
    },
  );

  it.each([
    [
      'everything unassigned',
      { responsibilities: emptyResponsibilities() },
      /transparency information \(unassigned\), rights requests \(unassigned\), security \(unassigned\), DPIA \(unassigned\), breach notification \(unassigned\), contact point \(unassigned\)/,
    ],
    [
      'shared without saying who does what',
      { responsibilities: { ...assigned(), security: { party: 'both' as const, note: ' ' } } },
      /security \(shared, without saying who does what\)/,
    ],
    ['no essence for individuals', { essence: '' }, /the essence for individuals \(Art 26\(2\)\)/],
  ])('%s: refused', (_name, over, explanation) => {
    const f = finding(facts({ linkedArrangements: [{ ...ARRANGEMENT, ...over }] }), 'ONL-ARRANGEMENT-GAPS');
    expect(f?.outcome).toBe('refuse');
    expect(f?.explanation).toMatch(explanation);
  });

  it('shared with a note is no gap', () => {
    const shared = { ...assigned(), security: { party: 'both' as const, note: 'Each secures its own systems' } };
    expect(
      finding(facts({ linkedArrangements: [{ ...ARRANGEMENT, responsibilities: shared }] }), 'ONL-ARRANGEMENT-GAPS'),
    ).toBeUndefined();
  });

  it.each([
    ['overdue review', { reviewDueOn: '2026-11-28' }, 'warn', /review was due 2026-11-28/],
    ['no review date', { reviewDueOn: null }, 'warn', /no review date/],
    ['review due today', { reviewDueOn: TODAY }, undefined, null],
  ])('%s: %s', (_name, over, outcome, explanation) => {
    const found = decideActivity(facts({ linkedArrangements: [{ ...ARRANGEMENT, ...over }] })).findings.filter(
      (f) => f.ruleId === 'ONL-ARRANGEMENT-GAPS',
    );
    expect(found.map((f) => f.outcome)).toEqual(outcome ? [outcome] : []);
    if (explanation) expect(found[0]?.explanation).toMatch(explanation);
  });

  it('decides an arrangement on its own the same way', () => {
    const decision = decideArrangement({ ...ARRANGEMENT, responsibilities: without('rights_requests') }, TODAY);
    expect(decision.outcome).toBe('refuse');
    expect(decision.findings[0]).toMatchObject({ ruleId: 'ONL-ARRANGEMENT-GAPS', citation: 'UK GDPR Art 26(1)–(2)' });
    expect(decision.findings[0]?.explanation).toContain('rights requests (unassigned)');
    expect(decideArrangement(ARRANGEMENT, TODAY)).toEqual({ outcome: 'allow', findings: [] });
  });
});

describe('ONL-PLATFORM-ELIGIBILITY', () => {
  it.each([
    ['linkedin', 'custom_audiences', 'refuse', /LinkedIn does not allow political adverts/],
    ['tiktok', 'lookalikes', 'refuse', /TikTok does not allow political adverts/],
    ['tiktok', 'pixels_plugins', 'refuse', /TikTok does not allow political adverts/],
    ['linkedin', 'page_insights', undefined, null],
    ['google', 'custom_audiences', 'refuse', /customer lists for UK election adverts/],
    ['google', 'pixels_plugins', undefined, null],
    ['x', 'custom_audiences', undefined, null],
    ['meta', 'custom_audiences', undefined, null],
    ['snap', 'custom_audiences', undefined, null],
  ] as const)('%s, %s: %s', (platform, scope, outcome, explanation) => {
    const arrangement = { ...ARRANGEMENT, platform, platformName: platform, scope };
    const f = finding(
      facts({ activity: { capabilities: [scope] }, linkedArrangements: [arrangement] }),
      'ONL-PLATFORM-ELIGIBILITY',
    );
    expect(f?.outcome).toBe(outcome);
    if (explanation) expect(f?.explanation).toMatch(explanation);
  });

  it.each([
    ['meta', /social issues, elections or politics/],
    ['snap', /paid for by/],
    ['other', /political-ads policy has not been checked/],
  ] as const)('%s without a recorded condition: warns', (platform, explanation) => {
    const arrangement = { ...ARRANGEMENT, platform, platformName: 'P', eligibilityConfirmation: null };
    const f = finding(facts({ linkedArrangements: [arrangement] }), 'ONL-PLATFORM-ELIGIBILITY');
    expect(f?.outcome).toBe('warn');
    expect(f?.explanation).toMatch(explanation);
  });
});

describe('CTRL-ART28-CONTRACT', () => {
  it.each(ART28_TERMS.map((t) => [t] as const))('a contract without %s is refused, naming the term', (term) => {
    const processor = { ...PROCESSOR, art28Terms: { ...allTerms(), [term]: { present: false, clause: '' } } };
    const f = finding(facts({ processors: [processor] }), 'CTRL-ART28-CONTRACT');
    expect(f?.outcome).toBe('refuse');
    expect(f?.explanation).toMatch(/Mailer Ltd's contract lacks Art 28\(3\)\([a-h]\)/);
    expect(decideProcessor(processor).outcome).toBe('refuse');
  });

  it('names every missing term', () => {
    const processor = {
      ...PROCESSOR,
      art28Terms: Object.fromEntries(ART28_TERMS.map((t) => [t, { present: false, clause: '' }])) as Record<
        Art28Term,
        Art28TermRecord
      >,
    };
    const f = finding(facts({ processors: [processor] }), 'CTRL-ART28-CONTRACT');
    for (const letter of 'abcdefgh') expect(f?.explanation).toContain(`Art 28(3)(${letter})`);
  });
});

describe('CTRL-SEGREGATION', () => {
  it.each([
    ['no segregation statement', { segregation: null }, /cannot state how this campaign's data is kept apart/],
    [
      'service improvement without a basis',
      { serviceImprovement: 'without_basis' as const },
      /without a recorded basis/,
    ],
    ['service improvement not known', { serviceImprovement: 'unknown' as const }, /has not said whether/],
    [
      'service improvement with a basis not written down',
      { serviceImprovement: 'with_basis' as const, serviceImprovementNote: '' },
      /basis is not written down/,
    ],
  ])('%s: warns (the activity may proceed)', (_name, over, explanation) => {
    const f = facts({ processors: [{ ...PROCESSOR, ...over }] });
    expect(finding(f, 'CTRL-SEGREGATION')?.explanation).toMatch(explanation);
    expect(decideActivity(f).outcome).toBe('warn');
  });

  it('service improvement with a recorded basis is fine', () => {
    const p = {
      ...PROCESSOR,
      serviceImprovement: 'with_basis' as const,
      serviceImprovementNote: 'Aggregate only, contract cl. 9',
    };
    expect(finding(facts({ processors: [p] }), 'CTRL-SEGREGATION')).toBeUndefined();
  });
});

describe('XFER-MECHANISM', () => {
  it.each([
    ['UK hosting', transfer({ country: 'GB' }), undefined, null],
    ['no mechanism', transfer({ country: 'US' }), 'refuse', /United States \(US\) with no transfer mechanism/],
    ['an approved country', transfer({ country: 'IE', mechanism: 'uk_adequacy' }), undefined, null],
    [
      'the US claimed as approved',
      transfer({ country: 'US', mechanism: 'uk_adequacy' }),
      'refuse',
      /Data Privacy Framework/,
    ],
    [
      'a country not on the approved list',
      transfer({ country: 'IN', mechanism: 'uk_adequacy' }),
      'warn',
      /not on Canvass's list of approved countries/,
    ],
    [
      'an IDTA without a risk assessment',
      transfer({ country: 'IN', mechanism: 'idta' }),
      'refuse',
      /no transfer risk assessment/,
    ],
    [
      'an IDTA with a risk assessment',
      transfer({ country: 'IN', mechanism: 'idta', transferRiskAssessment: 'TRA 2026-10' }),
      undefined,
      null,
    ],
    [
      'the UK Addendum without a risk assessment',
      transfer({ country: 'AU', mechanism: 'uk_addendum' }),
      'refuse',
      /UK Addendum/,
    ],
    [
      'DPF without a certification check',
      transfer({ country: 'US', mechanism: 'us_dpf_uk_extension' }),
      'refuse',
      /certification .* was checked/,
    ],
    [
      'DPF with a certification check',
      transfer({ country: 'US', mechanism: 'us_dpf_uk_extension', dpfCertificationCheckedOn: '2026-11-01' }),
      undefined,
      null,
    ],
    [
      'DPF claimed outside the US',
      transfer({ country: 'CA', mechanism: 'us_dpf_uk_extension', dpfCertificationCheckedOn: '2026-11-01' }),
      'refuse',
      /United States only/,
    ],
  ] as const)('a processor hosting with %s', (_name, t, outcome, explanation) => {
    const processor = { ...PROCESSOR, hosting: [t] };
    const f = finding(facts({ processors: [processor] }), 'XFER-MECHANISM');
    expect(f?.outcome).toBe(outcome);
    if (explanation) expect(f?.explanation).toMatch(explanation);
    expect(decideProcessor(processor).findings.find((x) => x.ruleId === 'XFER-MECHANISM')?.outcome).toBe(outcome);
  });

  it('refuses a processor whose hosting countries are not recorded', () => {
    const processor = { ...PROCESSOR, hosting: [] };
    const f = finding(facts({ processors: [processor] }), 'XFER-MECHANISM');
    expect(f?.outcome).toBe('refuse');
    expect(f?.explanation).toContain('where Mailer Ltd hosts or accesses the data is not recorded');
  });

  it("covers sub-processors and the activity's own transfers", () => {
    const processor = {
      ...PROCESSOR,
      subProcessors: [{ name: 'SMS Cloud', service: 'SMS', hosting: [transfer({ country: 'US' })] }],
    };
    const f = finding(
      facts({
        processors: [processor],
        activity: { transfers: [transfer({ recipient: 'Printer Inc', country: 'IN' })] },
      }),
      'XFER-MECHANISM',
    );
    expect(f?.outcome).toBe('refuse');
    expect(f?.explanation).toContain("Mailer Ltd's sub-processor SMS Cloud hosts in US");
    expect(f?.explanation).toContain('the activity sends data to Printer Inc in IN');
  });
});
