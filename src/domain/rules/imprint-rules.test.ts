/**
 * Digital imprint rules, table-driven, each table naming its rule id (docs/law.md).
 */
import { describe, expect, it } from 'vitest';
import { CONTROLLER, explanationOf, outcomeOf } from '../../../test/helpers/rule-facts.js';
import type { ControllerType } from '../../shared/labels.js';
import {
  imprintContents,
  imprintPresent,
  imprintRequirement,
  type Imprint,
  type PublicationFacts,
} from './imprint-rules.js';

const IMPRINT: Imprint = {
  promoter: { name: 'A. Agent', address: '1 High Street, Exampletown, EX1 1AA' },
  onBehalfOf: [{ name: 'Jane Smith', address: '1 High Street, Exampletown, EX1 1AA' }],
  placement: 'in_material',
};

const publication = (
  over: Partial<PublicationFacts['publication']> = {},
  type: ControllerType = 'candidate',
): PublicationFacts => ({
  controller: { ...CONTROLLER, type },
  publication: {
    medium: 'paid_ad',
    paid: true,
    politicalMaterial: true,
    electionMaterial: true,
    toMembersOnly: false,
    registeredWithElectoralCommission: false,
    imprintFitsInMaterial: true,
    imprint: IMPRINT,
    ...over,
  },
});

describe('IMPRINT-PAID-POLITICAL', () => {
  const organic = { medium: 'social_post' as const, paid: false, imprint: null };
  it.each([
    ['a paid political advert with an imprint', undefined, publication()],
    ['a paid political advert without one', 'refuse', publication({ imprint: null })],
    ['a paid political advert by anyone', 'refuse', publication({ imprint: null }, 'other')],
    ['a paid advert that is not political', undefined, publication({ imprint: null, politicalMaterial: false })],
    ['organic election material by a candidate', 'refuse', publication(organic)],
    ['organic election material by a party', 'refuse', publication(organic, 'registered_party')],
    [
      'organic election material by an elected representative',
      'refuse',
      publication(organic, 'elected_representative'),
    ],
    ['organic material by an unregistered campaigner', undefined, publication(organic, 'non_party_campaigner')],
    [
      'organic material by a registered campaigner',
      'refuse',
      publication({ ...organic, registeredWithElectoralCommission: true }, 'non_party_campaigner'),
    ],
    ['organic material that is not election material', undefined, publication({ ...organic, electionMaterial: false })],
    ['an SMS', undefined, publication({ ...organic, medium: 'sms' })],
    [
      'a party email to members',
      undefined,
      publication({ ...organic, medium: 'email', toMembersOnly: true }, 'registered_party'),
    ],
    ['a party email to the public', 'refuse', publication({ ...organic, medium: 'email' }, 'registered_party')],
  ] as const)('%s → %s', (_name, outcome, facts) => {
    expect(outcomeOf(imprintPresent, facts)).toBe(outcome);
  });
  it('says why it is needed', () => {
    expect(imprintRequirement(publication())).toBe('paid');
    expect(imprintRequirement(publication({ paid: false, medium: 'video' }))).toBe('organic');
    expect(explanationOf(imprintPresent, publication({ imprint: null }))).toMatch(/paid advert is political material/);
  });
});

describe('IMPRINT-CONTENTS', () => {
  it.each([
    ['a complete imprint in the material', undefined, IMPRINT, {}, null],
    [
      'no promoter name',
      'refuse',
      { ...IMPRINT, promoter: { ...IMPRINT.promoter, name: ' ' } },
      {},
      /the name of the promoter/,
    ],
    [
      'no promoter address',
      'refuse',
      { ...IMPRINT, promoter: { ...IMPRINT.promoter, address: '' } },
      {},
      /the postal address of the promoter/,
    ],
    [
      'an email instead of an address',
      'refuse',
      { ...IMPRINT, promoter: { ...IMPRINT.promoter, address: 'agent@example.org' } },
      {},
      /not an email or web address/,
    ],
    [
      'the candidate without an address',
      'refuse',
      { ...IMPRINT, onBehalfOf: [{ name: 'Jane Smith', address: '' }] },
      {},
      /postal address of Jane Smith, on whose behalf/,
    ],
    [
      'only linked where the medium allows it inside',
      'refuse',
      { ...IMPRINT, placement: 'accessible_from_material' as const },
      {},
      /in the material itself/,
    ],
    [
      'linked where the medium does not allow it inside',
      undefined,
      { ...IMPRINT, placement: 'accessible_from_material' as const },
      { imprintFitsInMaterial: false },
      null,
    ],
    [
      'an incomplete imprint on material that needs none',
      undefined,
      { ...IMPRINT, promoter: { name: '', address: '' } },
      { medium: 'sms' as const },
      null,
    ],
  ] as const)('%s → %s', (_name, outcome, imprint, over, explanation) => {
    const facts = publication({ ...over, imprint });
    expect(outcomeOf(imprintContents, facts)).toBe(outcome);
    if (explanation) expect(explanationOf(imprintContents, facts)).toMatch(explanation);
  });
});
