/**
 * The byte fast paths of copy-text.ts give exactly normalizeFieldValue's answer whenever they
 * answer: for every platform's email, name and postcode rule, on hand-written UK cases and on
 * generated values (canonical forms, random case, Gmail dots and tags, mutations, random
 * printable ASCII and Unicode).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeFieldValue } from '../domain/audiences/normalize.js';
import { PLATFORM_FILE_RULES, type FieldRule } from '../domain/audiences/platform-rules.js';
import type { CountryCode } from '../domain/identifiers.js';
import { PLATFORMS } from '../domain/rules/platforms.js';
import { decodeCopyValue, FALLBACK, fastField, hasFastPath, isCopyNull } from './copy-text.js';

const RULES: { name: string; rule: FieldRule }[] = PLATFORMS.flatMap((platform) =>
  PLATFORM_FILE_RULES[platform].fields
    .filter((rule) => hasFastPath(rule))
    .map((rule) => ({ name: `${platform} ${rule.field}`, rule })),
);

const dst = new Uint8Array(1024);

/** The fast path's answer (null: it declined), checked against the reference whenever it answers. */
function check(rule: FieldRule, value: string, country: CountryCode = 'GB'): string | null {
  const src = Buffer.from(`\t${value}\t`, 'utf8');
  const n = fastField(rule, country, src, 1, src.length - 1, dst, 7);
  if (n === FALLBACK) return null;
  const fast = Buffer.from(dst.subarray(7, 7 + n)).toString('utf8');
  expect(fast, `${rule.field} ${JSON.stringify(value)} (${country})`).toBe(normalizeFieldValue(rule, value, country));
  return fast;
}

const COUNTRIES: CountryCode[] = ['GB', 'JE', 'GG', 'IM', 'FR', 'US', 'IE'];

describe('byte fast paths equal normalizeFieldValue', () => {
  it('has fast paths for emails, names and postcodes', () => {
    expect(new Set(RULES.map((r) => r.rule.normalization.kind))).toEqual(
      new Set(['email', 'phone', 'name', 'postcode']),
    );
  });

  // Hand-written cases: [rule kind, value, answered by the fast path?]
  const CASES: [kind: 'email' | 'phone' | 'name' | 'postcode', value: string, answered: boolean][] = [
    ['email', 'mary@example.com', true],
    ['email', 'Mary.Smith@Example.CO.UK', true],
    ['email', 'jo.smith+news@gmail.com', true],
    ['email', 'Jo.Smith+News@GoogleMail.com', true],
    ['email', "o'brien@example.ie", true],
    ['email', '+news@gmail.com', true], // except where the "+tag" is cut (Google, TikTok): nothing is left, the reference says why
    ['email', '.mary@example.com', false],
    ['email', 'mary..smith@example.com', false],
    ['email', 'mary@example', false],
    ['email', 'mary@example.123', false],
    ['email', 'mary@-example.com', false],
    ['email', 'zoë@example.org', false],
    ['email', ' mary@example.com', false],
    ['email', 'a@b@example.com', false],
    ['email', `${'a'.repeat(65)}@example.com`, false],
    ['phone', '+447900123456', true],
    ['phone', '+442079460018', true],
    ['phone', '+447700900123', false], // Ofcom's drama range: not valid, the reference says why
    ['phone', '+441800123456', false],
    ['phone', '+4407900123456', false],
    ['phone', '07900 123456', false],
    ['phone', '+33123456789', false],
    ['name', 'Mary', true],
    ['name', 'MARY', true],
    ['name', 'Zoë', false],
    ['name', 'Dr Mary', false],
    ['name', 'Smith Jr', false],
    ['name', '', false],
    ['postcode', 'SW1A 1AA', true],
    ['postcode', 'sw1a1aa', true],
    ['postcode', 'M1 1AE', true],
    ['postcode', 'EC1A 1BB', true],
    ['postcode', 'W1A 0AX', true],
    ['postcode', 'GIR 0AA', false],
    ['postcode', 'SW1A  1AA', false],
    ['postcode', 'QW1A 1AA', false],
    ['postcode', 'SW1A 1AI', false],
  ];
  for (const { name, rule } of RULES) {
    it(`${name}: hand-written cases`, () => {
      for (const [kind, value, answered] of CASES) {
        if (rule.normalization.kind !== kind) continue;
        const fast = check(rule, value);
        const n = rule.normalization;
        const tagCut = n.kind === 'email' && n.removePlusTag !== 'never' && value.startsWith('+');
        expect(fast !== null, `${name} ${JSON.stringify(value)} answered`).toBe(answered && !tagCut);
      }
    });
  }

  const localAtom = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}$/);
  const label = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?$/);
  const email = fc.oneof(
    fc
      .tuple(
        fc.array(localAtom, { minLength: 1, maxLength: 3 }),
        fc.oneof(
          fc.constantFrom('gmail.com', 'GMail.com', 'googlemail.com', 'example.co.uk', 'x.org', 'example.123'),
          fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
        ),
      )
      .map(([atoms, domain]) => `${atoms.join('.')}@${domain}`),
    fc.string({ unit: fc.constantFrom(...'ab.+@-_Z9 .\u00e9'.split('')), maxLength: 20 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
  );

  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const postcode = fc.oneof(
    fc
      .tuple(
        fc.stringMatching(/^[A-Z]{1,2}[0-9][0-9A-Z]?$/),
        fc.stringMatching(/^[0-9][A-Z]{2}$/),
        fc.constantFrom(' ', '', '  '),
        fc.boolean(),
      )
      .map(([out, inward, space, lower]) => {
        const p = `${out}${space}${inward}`;
        return lower ? p.toLowerCase() : p;
      }),
    fc.string({ unit: fc.constantFrom(...`${upper}0123456789 -`.split('')), maxLength: 9 }),
  );
  const phone = fc.oneof(
    fc.stringMatching(/^\+44[1-9][0-9]{9}$/),
    fc.stringMatching(/^\+447[0-9]{9}$/),
    fc.constantFrom('+447900', '+44790012345678', '+4479001234a6', '+441800123456', '+447624123456', '+441481123456'),
    fc.string({ unit: fc.constantFrom(...'+0123456789 ()'.split('')), maxLength: 16 }),
  );
  const name = fc.oneof(
    fc.stringMatching(/^[A-Za-z]{1,40}$/),
    fc.string({ unit: fc.constantFrom(...`Ab'.- ,zé`.split('')), maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
  );

  for (const { name: ruleName, rule } of RULES) {
    it(`${ruleName}: generated values`, () => {
      const kind = rule.normalization.kind;
      const values = kind === 'email' ? email : kind === 'phone' ? phone : kind === 'name' ? name : postcode;
      let answered = 0;
      fc.assert(
        // Phones: GB mostly, as the fast path answers only people in GB.
        fc.property(values, fc.constantFrom(...COUNTRIES, 'GB', 'GB', 'GB'), (value, country) => {
          if (check(rule, value, country) !== null) answered++;
        }),
        { numRuns: 3000 },
      );
      // The generators reach the fast path often enough for the comparison to mean something.
      expect(answered).toBeGreaterThan(150);
    });
  }
});

describe('COPY text values', () => {
  it('reads \\N as NULL and undoes the backslash escapes', () => {
    const text = Buffer.from('\\N\ta\\tb\\\\c\\nd\tZo\u00eb', 'utf8');
    expect(isCopyNull(text, 0, 2)).toBe(true);
    expect(isCopyNull(text, 3, 5)).toBe(false);
    const tab2 = text.indexOf(9, 3);
    expect(decodeCopyValue(text, 3, tab2)).toBe('a\tb\\c\nd');
    expect(decodeCopyValue(text, tab2 + 1, text.length)).toBe('Zo\u00eb');
  });
});
