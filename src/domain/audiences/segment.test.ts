import { describe, expect, it } from 'vitest';
import { segmentCriteria, segmentDefinitionSchema, type SegmentDefinitionInput } from './segment.js';

const TAG = '0190a0b0-0000-7000-8000-000000000001';
const TAG2 = '0190a0b0-0000-7000-8000-000000000002';
const LIST = '0190a0b0-0000-7000-8000-000000000003';

describe('segment definition', () => {
  it.each<[string, unknown, string | null]>([
    ['a tag', { tags: [{ id: TAG }] }, null],
    ['granted consent alone', { consent: { purpose: 'campaign_updates', channel: 'email' } }, null],
    ['nothing', {}, ''],
    ['only a consent that is not granted', { consent: { purpose: 'x', channel: 'email', state: 'not_granted' } }, ''],
    ['a tag that is not an id', { tags: [{ id: 'supporters' }] }, 'tags.0.id'],
    ['the same tag twice', { tags: [{ id: TAG }, { id: TAG }] }, 'tags'],
    ['an attribute name with spaces', { attributes: [{ name: 'support score' }] }, 'attributes.0.name'],
    ['an unknown key', { tags: [{ id: TAG }], everyone: true }, ''],
    ['an unknown channel', { consent: { purpose: 'x', channel: 'carrier_pigeon' } }, 'consent.channel'],
  ])('%s', (_label, input, failingField) => {
    const parsed = segmentDefinitionSchema.safeParse(input);
    if (failingField === null) {
      expect(parsed.success).toBe(true);
    } else {
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(failingField);
    }
  });
});

describe('segment criteria (special category data)', () => {
  const lookups = {
    tags: new Map([
      [TAG, { name: 'Pledged supporters' }],
      [TAG2, { name: 'Doorstep contacts' }],
    ]),
    lists: new Map([[LIST, { name: 'Newsletter' }]]),
    attributes: new Map([['turnout', { specialCategory: null, kind: 'inferred' as const }]]),
  };

  it.each<[string, SegmentDefinitionInput, { specialCategory: string | null; inferred: boolean }]>([
    [
      'a supporters tag reveals political opinion',
      { tags: [{ id: TAG }] },
      { specialCategory: 'political_opinion', inferred: false },
    ],
    ['a neutral tag reveals nothing', { tags: [{ id: TAG2 }] }, { specialCategory: null, inferred: false }],
    [
      'staff can declare what a name does not show',
      { lists: [{ id: LIST, specialCategory: 'trade_union_membership' }] },
      { specialCategory: 'trade_union_membership', inferred: false },
    ],
    [
      'a score attribute is inferred political opinion',
      { attributes: [{ name: 'support_score' }] },
      { specialCategory: 'political_opinion', inferred: true },
    ],
    [
      'a defined attribute keeps its definition',
      { attributes: [{ name: 'turnout' }] },
      { specialCategory: null, inferred: true },
    ],
  ])('%s', (_label, input, expected) => {
    const [criterion] = segmentCriteria(segmentDefinitionSchema.parse(input), lookups);
    expect(criterion).toMatchObject(expected);
  });
});
