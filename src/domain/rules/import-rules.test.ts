/**
 * The import rules, table-driven, each case naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { CONTROLLER_TYPES, type ControllerType } from '../../shared/labels.js';
import type { DueDiligence, SourceType } from '../sources.js';
import { decideImport, type ImportFacts } from './import-rules.js';

const DUE_DILIGENCE: DueDiligence = {
  supplierName: 'Lists Ltd',
  supplierIcoRegistration: 'ZA999999',
  collectionMethod: 'Opt-in survey with disclosure to political campaigns',
  peopleToldOfDisclosure: true,
  consentCoversUs: true,
  supplierScreened: true,
  checkedOn: '2026-11-01',
  checkedBy: 'Dee Pio',
  notes: '',
};

type SourceFacts = ImportFacts['source'];

const source = (over: Partial<SourceFacts> = {}): SourceFacts => ({
  type: 'web_form',
  lawfulBasis: 'consent',
  lawfulBasisNote: null,
  art9Condition: null,
  dueDiligence: null,
  art14Plan: null,
  compatibilityAssessment: null,
  archivedAt: null,
  ...over,
});

const facts = (over: Partial<ImportFacts> & { src?: Partial<SourceFacts> } = {}): ImportFacts => ({
  controllerType: over.controllerType ?? 'candidate',
  source: source(over.src),
  specialCategoryAttributes: over.specialCategoryAttributes ?? [],
});

/** The finding of one rule, or undefined. */
const finding = (f: ImportFacts, ruleId: string) => decideImport(f).findings.find((x) => x.ruleId === ruleId);

describe('ER-FULL-REGISTER-ENTITLED', () => {
  const register = {
    lawfulBasis: 'public_task' as const,
    lawfulBasisNote: 'democratic engagement',
    art14Plan: 'leaflet',
  };
  const fullEntitled: Record<ControllerType, boolean> = {
    registered_party: true,
    candidate: true,
    elected_representative: true,
    referendum_campaigner: true,
    non_party_campaigner: false,
    other: false,
  };
  const markedEntitled: Record<ControllerType, boolean> = {
    registered_party: true,
    candidate: true,
    elected_representative: true,
    referendum_campaigner: false,
    non_party_campaigner: false,
    other: false,
  };
  it.each(CONTROLLER_TYPES.map((t) => [t, fullEntitled[t]] as const))(
    'full register, %s: entitled=%s',
    (controllerType, entitled) => {
      const f = facts({ controllerType, src: { type: 'full_register', ...register } });
      expect(finding(f, 'ER-FULL-REGISTER-ENTITLED')?.outcome).toBe(entitled ? undefined : 'refuse');
      expect(decideImport(f).outcome).toBe(entitled ? 'warn' : 'refuse');
    },
  );
  it.each(CONTROLLER_TYPES.map((t) => [t, markedEntitled[t]] as const))(
    'marked register, %s: entitled=%s',
    (controllerType, entitled) => {
      const f = facts({ controllerType, src: { type: 'marked_register', ...register } });
      expect(finding(f, 'ER-FULL-REGISTER-ENTITLED')?.outcome).toBe(entitled ? undefined : 'refuse');
    },
  );
  it.each(CONTROLLER_TYPES)('open register, %s: anyone may use it', (controllerType) => {
    const f = facts({ controllerType, src: { type: 'open_register', ...register } });
    expect(finding(f, 'ER-FULL-REGISTER-ENTITLED')).toBeUndefined();
  });
});

describe('TP-BROKER-DUE-DILIGENCE', () => {
  const broker = { type: 'data_broker' as const, lawfulBasis: 'consent' as const, art14Plan: 'email' };
  it.each([
    ['no record', { dueDiligence: null }, 'refuse', /has none/],
    [
      'an incomplete record',
      { dueDiligence: { ...DUE_DILIGENCE, supplierName: '' } },
      'refuse',
      /incomplete: supplierName/,
    ],
    [
      'people not told of the disclosure',
      { dueDiligence: { ...DUE_DILIGENCE, peopleToldOfDisclosure: false } },
      'refuse',
      /did not tell/,
    ],
    [
      'consent that does not cover the campaign',
      { dueDiligence: { ...DUE_DILIGENCE, consentCoversUs: false } },
      'refuse',
      /not transferable/,
    ],
    ['a complete record', { dueDiligence: DUE_DILIGENCE }, undefined, null],
    [
      'legitimate interests without the consent question',
      {
        dueDiligence: { ...DUE_DILIGENCE, consentCoversUs: null },
        lawfulBasis: 'legitimate_interests' as const,
        lawfulBasisNote: 'LIA',
      },
      undefined,
      null,
    ],
  ] as const)('%s', (_name, over, outcome, explanation) => {
    const f = finding(facts({ src: { ...broker, ...over } }), 'TP-BROKER-DUE-DILIGENCE');
    expect(f?.outcome).toBe(outcome);
    if (explanation) expect(f?.explanation).toMatch(explanation);
  });
  it('applies to brokers only', () => {
    expect(finding(facts({ src: { type: 'petition' } }), 'TP-BROKER-DUE-DILIGENCE')).toBeUndefined();
  });
});

describe('TP-SCRAPED-CONTROLLER', () => {
  it.each([
    ['scraped_data', { lawfulBasis: null, art14Plan: null }, 'refuse'],
    ['scraped_data', { lawfulBasis: 'legitimate_interests' as const, lawfulBasisNote: null, art14Plan: 'x' }, 'refuse'],
    [
      'scraped_data',
      { lawfulBasis: 'legitimate_interests' as const, lawfulBasisNote: 'LIA', art14Plan: null },
      'refuse',
    ],
    [
      'public_data',
      { lawfulBasis: 'legitimate_interests' as const, lawfulBasisNote: 'LIA', art14Plan: null },
      'refuse',
    ],
    [
      'scraped_data',
      { lawfulBasis: 'legitimate_interests' as const, lawfulBasisNote: 'LIA', art14Plan: 'x' },
      undefined,
    ],
    ['social_media', { lawfulBasis: 'consent' as const }, undefined],
  ] as const)('%s %j → %s', (type, over, outcome) => {
    expect(finding(facts({ src: { type, ...over } }), 'TP-SCRAPED-CONTROLLER')?.outcome).toBe(outcome);
  });
});

describe('TR-ART14-ONE-MONTH', () => {
  const thirdParty: SourceType[] = [
    'full_register',
    'open_register',
    'marked_register',
    'data_broker',
    'social_media',
    'public_data',
    'scraped_data',
  ];
  const fromPerson: SourceType[] = ['web_form', 'canvass', 'petition', 'event', 'survey', 'casework', 'manual_entry'];
  it.each(thirdParty)('%s: warns that the clock starts', (type) => {
    const f = finding(facts({ src: { type, art14Plan: null } }), 'TR-ART14-ONE-MONTH');
    expect(f?.outcome).toBe('warn');
    expect(f?.remedy).toMatch(/Art 14 notice/);
    const planned = finding(facts({ src: { type, art14Plan: 'letter' } }), 'TR-ART14-ONE-MONTH');
    expect(planned).toMatchObject({ outcome: 'warn', remedy: null });
  });
  it.each(fromPerson)('%s: the person gave the data, no Art 14 clock', (type) => {
    expect(finding(facts({ src: { type } }), 'TR-ART14-ONE-MONTH')).toBeUndefined();
  });
});

describe('PURP-COMPATIBLE-REUSE (warn)', () => {
  it.each([
    ['petition', 'legitimate_interests', null, 'warn'],
    ['survey', 'legitimate_interests', null, 'warn'],
    ['casework', 'public_task', null, 'warn'],
    ['petition', 'consent', null, undefined],
    ['survey', 'legitimate_interests', 'compatible: same cause', undefined],
    ['web_form', 'legitimate_interests', null, undefined],
  ] as const)('%s with %s, assessment %s → %s', (type, lawfulBasis, compatibilityAssessment, outcome) => {
    const f = facts({ src: { type, lawfulBasis, lawfulBasisNote: 'note', compatibilityAssessment } });
    expect(finding(f, 'PURP-COMPATIBLE-REUSE')?.outcome).toBe(outcome);
    if (outcome === 'warn') expect(decideImport(f).outcome).toBe('warn');
  });
});

describe('SCD-ART9-CONDITION', () => {
  const special = [{ name: 'support_score', category: 'political_opinion' }];
  it.each([
    ['special category without a condition', special, null, 'refuse'],
    ['special category with a condition', special, 'DPA 2018 Sch 1 para 22', undefined],
    ['no special category', [], null, undefined],
  ] as const)('%s', (_name, specialCategoryAttributes, art9Condition, outcome) => {
    const f = finding(facts({ specialCategoryAttributes, src: { art9Condition } }), 'SCD-ART9-CONDITION');
    expect(f?.outcome).toBe(outcome);
    if (outcome) expect(f?.explanation).toMatch(/support_score \(political opinion\)/);
  });
});

describe('LB-BASIS-RECORDED', () => {
  it.each([
    [null, null, 'require'],
    ['public_task', null, 'require'],
    ['legitimate_interests', null, 'require'],
    ['legitimate_interests', 'LIA', undefined],
    ['consent', null, undefined],
    ['contract', null, undefined],
  ] as const)('%s with note %s → %s', (lawfulBasis, lawfulBasisNote, outcome) => {
    const f = facts({ src: { lawfulBasis, lawfulBasisNote } });
    expect(finding(f, 'LB-BASIS-RECORDED')?.outcome).toBe(outcome);
    if (outcome === 'require') expect(decideImport(f).outcome).toBe('require');
  });
  it('an archived source takes no new data', () => {
    const f = facts({ src: { archivedAt: '2026-11-01T00:00:00Z' } });
    expect(finding(f, 'LB-BASIS-RECORDED')).toMatchObject({ outcome: 'require', explanation: /archived/ });
  });
  it('a web form with consent is simply allowed', () => {
    expect(decideImport(facts())).toEqual({ outcome: 'allow', findings: [] });
  });
});
