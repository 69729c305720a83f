/**
 * Suppression hashing (DM-SUPPRESSION): the hand-rolled HMAC equals node's createHmac on
 * every input, including non-ASCII and inputs longer than its preallocated buffer; the
 * name + postcode key normalizes the ways a name is written.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSuppressionHasher,
  namePostcodeKey,
  normalizePersonName,
  SUPPRESSION_KINDS,
  suppressionHash,
  suppressionKeys,
} from './suppression.js';

const reference = (key: Uint8Array, kind: string, value: string): string =>
  createHmac('sha256', key).update(`${kind}:${value}`, 'utf8').digest('hex');

describe('createSuppressionHasher (DM-SUPPRESSION)', () => {
  it('equals createHmac on random strings: ASCII, full Unicode, and long ones', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom(...SUPPRESSION_KINDS),
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme', minLength: 200, maxLength: 2000 }),
        ),
        (key, kind, value) => {
          const hasher = createSuppressionHasher(key);
          expect(hasher.hash(kind, value)).toBe(reference(key, kind, value));
          // The hasher reuses its buffers: a second call must not be affected by the first.
          expect(hasher.hash(kind, `${value}x`)).toBe(reference(key, kind, `${value}x`));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays correct after growing its buffer and going back to short inputs', () => {
    const key = randomBytes(32);
    const hasher = createSuppressionHasher(key);
    for (const value of ['a', 'é'.repeat(5000), 'b', '😀'.repeat(300), '', 'jo@example.org']) {
      expect(hasher.hash('email', value)).toBe(suppressionHash(key, 'email', value));
    }
  });

  it('differs by kind and by campaign key', () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const h1 = createSuppressionHasher(k1);
    expect(h1.hash('email', 'x')).not.toBe(h1.hash('phone', 'x'));
    expect(h1.hash('email', 'x')).not.toBe(createSuppressionHasher(k2).hash('email', 'x'));
    expect(h1.hash('email', 'x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSuppressionHasher(new Uint8Array(16))).toThrow(/32 bytes/);
  });

  it('suppressionKeys keeps order and kinds', () => {
    const key = randomBytes(32);
    const keys = suppressionKeys(createSuppressionHasher(key), [
      { kind: 'phone', value: '+447911123456' },
      { kind: 'email', value: 'a@example.org' },
    ]);
    expect(keys).toEqual([
      { kind: 'phone', keyHash: suppressionHash(key, 'phone', '+447911123456') },
      { kind: 'email', keyHash: suppressionHash(key, 'email', 'a@example.org') },
    ]);
  });
});

describe('namePostcodeKey', () => {
  const table: [string, string | null, string | null][] = [
    ["Ann O'Neill", 'SW1A 1AA', "ann o'neill|SW1A 1AA"],
    ['ANN  O’NEILL', 'SW1A 1AA', "ann o'neill|SW1A 1AA"],
    ['  ann   o`neill ', 'SW1A 1AA', "ann o'neill|SW1A 1AA"],
    ['Mary-Jane Smith', 'CF10 1AA', 'mary-jane smith|CF10 1AA'],
    ['Dr. J. Smith', 'CF10 1AA', 'dr j smith|CF10 1AA'],
    ['Zoë Ĺewis', 'CF10 1AA', 'zoë ĺewis|CF10 1AA'],
    ['Ｊｏ Ｂｌｏｇｇｓ', 'CF10 1AA', 'jo bloggs|CF10 1AA'], // NFKC folds full-width letters
    ['Ann Smith', null, null],
    ['Ann Smith', '', null],
    ['', 'SW1A 1AA', null],
    ['!!!', 'SW1A 1AA', null],
  ];
  for (const [name, postcode, expected] of table) {
    it(`${JSON.stringify(name)} + ${JSON.stringify(postcode)} → ${JSON.stringify(expected)}`, () => {
      expect(namePostcodeKey(name, postcode)).toBe(expected);
    });
  }

  it('normalizePersonName is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const once = normalizePersonName(s);
        expect(normalizePersonName(once)).toBe(once);
      }),
    );
  });
});
