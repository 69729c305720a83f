import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, formatUk, generatePhone } from '../../bench/phone-normalize.js';
import { normalizePhoneReference } from './identifiers.js';
import { normalizeUkPhoneFast } from './phone-fast-path.js';

/** The claim: the fast path either declines or gives libphonenumber-js's answer. */
function agrees(raw: string): boolean {
  const fast = normalizeUkPhoneFast(raw);
  return fast === null || JSON.stringify(fast) === JSON.stringify(normalizePhoneReference(raw));
}

const digit = fc.constantFrom(...'0123456789');
// National numbers: mostly 10 digits with realistic leading digits, some of any length 8–12.
const nsn = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('1', '2', '3', '7', '74', '75', '77', '78', '79', '7624', '7700900', '1632960'),
      fc.array(digit, { minLength: 9, maxLength: 9 }),
    )
    .map(([d, ds]) => (d + ds.join('')).slice(0, 10)),
  fc.array(digit, { minLength: 8, maxLength: 12 }).map((ds) => ds.join('')),
);
const shaped = fc.tuple(nsn, fc.integer()).map(([n, seed]) => formatUk(createRng(seed), n));
const international = fc
  .tuple(
    fc.constantFrom('+', '00', '+ ', '+(', '0'),
    fc.constantFrom('1', '33', '49', '353', '61', '7', '39', '34', '800', '0', '262', '590', '44', '999'),
    fc.array(digit, { minLength: 1, maxLength: 14 }),
    fc.constantFrom(' ', '', '-', ') '),
  )
  .map(([p, cc, ds, sep]) => p + cc + sep + ds.join(''));
const shortDigits = fc
  .tuple(fc.array(fc.constantFrom(...'0123456789 -.()+'), { maxLength: 9 }), fc.constantFrom('', ' ', '\t'))
  .map(([cs, pad]) => pad + cs.join('') + pad);
const longDigits = fc
  .tuple(fc.constantFrom('', '0', '00', '+', '44', '7', '0044'), fc.array(digit, { minLength: 9, maxLength: 18 }))
  .map(([p, ds]) => p + ds.join(''));
const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '\t \n', 'n/a', 'none', '-', 'ex-directory', '+', '()', '\u00a0', '\uff10\uff17'),
);
const SEPARATORS = [' ', '-', '.', '/', '(', ')', '+', '0', '4', '\t', 'x', '\u00a0'];
const mutated = fc
  .tuple(shaped, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SEPARATORS), fc.boolean()), { maxLength: 3 }))
  .map(([s, edits]) =>
    edits.reduce((acc, [at, ch, del]) => {
      const i = at % (acc.length + 1);
      return del ? acc.slice(0, i) + acc.slice(i + 1) : acc.slice(0, i) + ch + acc.slice(i);
    }, s),
  );

describe('phone fast path', () => {
  it('answers the common shapes', () => {
    expect(normalizeUkPhoneFast('+44 (0)20 7946 0000')).toEqual({ ok: true, value: '+442079460000' });
    expect(normalizeUkPhoneFast('07400 123456')).toEqual({ ok: true, value: '+447400123456' });
    expect(normalizeUkPhoneFast('0044 7400-123-456')).toEqual({ ok: true, value: '+447400123456' });
  });

  it('answers rejections and the other +44 countries as libphonenumber-js does', () => {
    expect(normalizeUkPhoneFast('07700 900123')).toEqual({ ok: false, reason: 'not a valid phone number' });
    expect(normalizeUkPhoneFast('07911 123456')).toEqual({ ok: true, value: '+447911123456' }); // Guernsey
    expect(normalizeUkPhoneFast('+33 1 23 45 67 89')).toEqual({ ok: true, value: '+33123456789' });
    expect(normalizeUkPhoneFast('n/a')).toEqual({ ok: false, reason: 'not a possible phone number' });
    expect(normalizeUkPhoneFast('  ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('declines the shapes it has not been proven on', () => {
    for (const raw of ['+44 1800 20 1234', '016977 1234', '(+44) 7400 123456', '07400 123456 ext 5', '\uff10\uff17']) {
      expect(normalizeUkPhoneFast(raw)).toBeNull();
    }
  });

  it('property: targeted shapes agree with libphonenumber-js', () => {
    fc.assert(fc.property(shaped, agrees), { numRuns: 20_000 });
  });

  it('property: mutated shapes agree with libphonenumber-js', () => {
    fc.assert(fc.property(mutated, agrees), { numRuns: 20_000 });
  });

  it('property: arbitrary strings agree with libphonenumber-js', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), agrees), { numRuns: 5_000 });
  });

  it('property: international numbers agree with libphonenumber-js', () => {
    fc.assert(fc.property(international, agrees), { numRuns: 20_000 });
  });

  it('property: blanks, text and too few or too many digits agree with libphonenumber-js', () => {
    fc.assert(fc.property(fc.oneof(shortDigits, longDigits, junk), agrees), { numRuns: 20_000 });
  });

  it('every string of up to 5 digits, nationally dialled, is not possible, as libphonenumber-js says', () => {
    for (let length = 1; length <= 5; length++) {
      for (let n = 0; n < 10 ** length; n++) {
        const raw = String(n).padStart(length, '0');
        expect(agrees(raw), raw).toBe(true);
      }
    }
  }, 60_000);

  it('200,000 numbers of the benchmark distribution agree with libphonenumber-js', () => {
    const rng = createRng(42);
    let hits = 0;
    let differences = 0;
    for (let i = 0; i < 200_000; i++) {
      const raw = generatePhone(rng);
      const fast = normalizeUkPhoneFast(raw);
      if (fast === null) continue;
      hits++;
      if (JSON.stringify(fast) !== JSON.stringify(normalizePhoneReference(raw))) differences++;
    }
    expect(differences).toBe(0);
    expect(hits).toBeGreaterThan(190_000);
  }, 60_000);
});
