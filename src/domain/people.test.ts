/**
 * People domain: the Art 14 clock (TR-ART14-ONE-MONTH), attribute classification, uuidv7,
 * and the input schemas' evidence requirements.
 */
import { describe, expect, it } from 'vitest';
import {
  art14DueAt,
  art14Status,
  classifyAttributeName,
  consentInputSchema,
  objectionByIdentifierSchema,
  peopleQuerySchema,
  uuidv7,
  type Art14Status,
} from './people.js';

const DAY = 86_400_000;
const collected = new Date('2026-11-01T12:00:00Z');

describe('TR-ART14-ONE-MONTH: art14Status', () => {
  const due = art14DueAt(collected);
  const at = (days: number): Date => new Date(collected.getTime() + days * DAY);
  const table: [string, Date | null, Date | null, Date, Art14Status][] = [
    ['no clock (data from the person)', null, null, at(40), 'not_applicable'],
    ['day 0', due, null, at(0), 'due'],
    ['day 20', due, null, at(20), 'due'],
    ['day 21: warning', due, null, at(21), 'warning'],
    ['day 29.9', due, null, at(29.9), 'warning'],
    ['day 30: breach', due, null, at(30), 'overdue'],
    ['day 45', due, null, at(45), 'overdue'],
    ['notified in time', due, at(10), at(45), 'notified'],
    ['notified late is still notified', due, at(40), at(45), 'notified'],
  ];
  for (const [name, dueAt, notifiedAt, now, expected] of table) {
    it(`TR-ART14-ONE-MONTH: ${name} → ${expected}`, () => {
      expect(art14Status(dueAt, notifiedAt, now)).toBe(expected);
    });
  }

  it('TR-ART14-ONE-MONTH: the deadline is 30 days after collection', () => {
    expect(due.toISOString()).toBe('2026-12-01T12:00:00.000Z');
  });
});

describe('classifyAttributeName', () => {
  const table: [string, string | null, string][] = [
    ['support_score', 'political_opinion', 'inferred'],
    ['voting_intention', 'political_opinion', 'provided'],
    ['party_member', 'political_opinion', 'provided'],
    ['pledged', 'political_opinion', 'provided'],
    ['ethnicity', 'racial_or_ethnic_origin', 'provided'],
    ['religion', 'religious_or_philosophical_belief', 'provided'],
    ['trade_union', 'trade_union_membership', 'provided'],
    ['health_notes', 'health', 'provided'],
    ['disability', 'health', 'provided'],
    ['sexual_orientation', 'sexual_orientation', 'provided'],
    ['dna_sample', 'genetic', 'provided'],
    ['fingerprint_id', 'biometric', 'provided'],
    ['favourite_colour', null, 'provided'],
    ['ward', null, 'provided'],
  ];
  for (const [name, category, kind] of table) {
    it(`${name} → ${category ?? 'not special'} (${kind})`, () => {
      expect(classifyAttributeName(name)).toEqual({ specialCategory: category, kind });
    });
  }
});

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID carrying the time', () => {
    const now = Date.UTC(2026, 10, 29, 3, 0, 0, 123);
    const id = uuidv7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('orders by time (newest-first paging relies on it)', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((d) => uuidv7(1_790_000_000_000 + d));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is unique', () => {
    const now = Date.now();
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7(now))).size).toBe(1000);
  });
});

describe('input schemas', () => {
  it('LB-CONSENT-EVIDENCE: a grant needs wording, version, method and time; a withdrawal does not need wording', () => {
    const base = { purpose: 'news', channels: ['email'], method: 'form', occurredAt: '2026-11-01T00:00:00Z' };
    expect(consentInputSchema.safeParse({ action: 'granted', ...base }).success).toBe(false);
    expect(
      consentInputSchema.safeParse({ action: 'granted', ...base, wording: 'Email me', wordingVersion: 'v1' }).success,
    ).toBe(true);
    expect(consentInputSchema.safeParse({ action: 'withdrawn', ...base }).success).toBe(true);
    expect(consentInputSchema.safeParse({ action: 'withdrawn', ...base, purpose: 'Bad Purpose' }).success).toBe(false);
  });

  it('an objection by identifier defaults the identifiers to null', () => {
    const parsed = objectionByIdentifierSchema.parse({ method: 'phone', receivedAt: '2026-11-01T00:00:00Z' });
    expect(parsed).toMatchObject({ email: null, phone: null, name: null, postcode: null, note: null });
  });

  it('people queries page at most 200', () => {
    expect(peopleQuerySchema.parse({}).limit).toBe(50);
    expect(peopleQuerySchema.safeParse({ limit: '200' }).success).toBe(true);
    expect(peopleQuerySchema.safeParse({ limit: '201' }).success).toBe(false);
  });
});
