/**
 * The governance record schemas: drafts may be incomplete (completeness is a rule, not a
 * validation error), but what is sent must be well-formed, and a failure names the field.
 */
import { describe, expect, it } from 'vitest';
import {
  activityCreateSchema,
  activityUpdateSchema,
  arrangementGaps,
  arrangementUpdateSchema,
  emptyResponsibilities,
  mergeArt28Terms,
  emptyArt28Terms,
  processorCreateSchema,
  reviewStatus,
  transferSchema,
} from './governance.js';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`) ?? [];

describe('transfers', () => {
  it.each([
    [{ country: 'us' }, null],
    [{ country: 'UK' }, 'country: the ISO code of the United Kingdom is GB, not UK'],
    [{ country: 'USA' }, 'country: must be a two-letter ISO country code, e.g. US (GB for the UK)'],
    [{ country: 'US', mechanism: 'pinky_promise' }, 'mechanism'],
    [
      { country: 'US', dpfCertificationCheckedOn: '20/11/2026' },
      'dpfCertificationCheckedOn: must be a date (YYYY-MM-DD)',
    ],
  ])('%j', (input, problem) => {
    const result = transferSchema.safeParse(input);
    if (problem === null) {
      expect(result.success).toBe(true);
      expect(result.data?.country).toBe('US');
    } else {
      expect(issues(result).join(' ')).toContain(problem);
    }
  });
});

describe('activities', () => {
  it('accepts a draft with only a name, trims and de-duplicates lists', () => {
    const parsed = activityCreateSchema.parse({ name: ' Canvassing ', purposes: [' Persuade ', 'Persuade'] });
    expect(parsed).toEqual({ name: 'Canvassing', purposes: ['Persuade'] });
  });

  it.each([
    [{}, 'name: Invalid input'],
    [{ name: '' }, 'name: a name is required'],
    [{ name: 'x', purposes: [''] }, 'purposes.0: a purpose is required'],
    [{ name: 'x', lawfulBasis: 'democratic_engagement' }, 'lawfulBasis'],
    [
      {
        name: 'x',
        specialCategories: [{ category: 'political_opinion' }, { category: 'political_opinion' }],
      },
      'specialCategories: each special category once',
    ],
    [
      { name: 'x', specialCategories: [{ category: 'health', schedule1Paragraph: 40 }] },
      'specialCategories.0.schedule1Paragraph',
    ],
    [{ name: 'x', capabilities: ['telepathy'] }, 'capabilities.0'],
    [{ name: 'x', dpiaId: 'dpia-1' }, 'dpiaId: must be a DPIA id'],
    [{ name: 'x', status: 'retired' }, 'status'],
    [{ name: 'x', colour: 'blue' }, 'Unrecognized key: "colour"'],
  ])('%j is refused, naming the field', (input, problem) => {
    expect(issues(activityCreateSchema.safeParse(input)).join(' ')).toContain(problem);
  });

  it('takes only the fields sent on update', () => {
    expect(activityUpdateSchema.parse({ retention: 'One year' })).toEqual({ retention: 'One year' });
  });
});

describe('processors and arrangements', () => {
  it('merges a partial Art 28(3) checklist over the one held', () => {
    const held = { ...emptyArt28Terms(), security: { present: true, clause: '7' } };
    const parsed = processorCreateSchema.parse({ name: 'P', art28Terms: { confidentiality: { present: true } } });
    const merged = mergeArt28Terms(held, parsed.art28Terms as Partial<typeof held>);
    expect(merged.security).toEqual({ present: true, clause: '7' });
    expect(merged.confidentiality).toEqual({ present: true, clause: '' });
    expect(merged.audits_information).toEqual({ present: false, clause: '' });
  });

  it('keeps the platform and scope of an arrangement fixed', () => {
    expect(issues(arrangementUpdateSchema.safeParse({ scope: 'lookalikes' })).join(' ')).toContain('scope');
    expect(
      issues(arrangementUpdateSchema.safeParse({ responsibilities: { dpia: { party: 'nobody' } } })).join(' '),
    ).toContain('responsibilities.dpia.party');
  });

  it('finds the gaps of an arrangement and its review status', () => {
    const gaps = arrangementGaps({ responsibilities: emptyResponsibilities(), essence: ' ' });
    expect(gaps.map((g) => g.item)).toEqual([
      'transparency',
      'rights_requests',
      'security',
      'dpia',
      'breach_notification',
      'contact_point',
      'essence',
    ]);
    expect(reviewStatus({ reviewDueOn: '2026-01-01' }, '2026-01-02')).toBe('overdue');
    expect(reviewStatus({ reviewDueOn: '2026-01-02' }, '2026-01-02')).toBe('scheduled');
    expect(reviewStatus({ reviewDueOn: null }, '2026-01-02')).toBe('not_scheduled');
  });
});
