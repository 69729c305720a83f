/**
 * Per-platform normalization and hashing, table-driven from the platform rules
 * (platform-rules.ts; research notes audiences.md): UK cases — accented and apostrophe names,
 * "+44 (0)" and "0044" phones, Gmail dots and tags, spaced postcodes, NFD input — and the
 * platforms' published check values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, type CountryCode } from '../identifiers.js';
import { PLATFORMS, type PlatformId } from '../rules/platforms.js';
import {
  canonicalEmail,
  encodeCell,
  neutralizeFormula,
  normalizeCountryCode,
  normalizeField,
  sha256Hex,
} from './normalize.js';
import { fieldRuleOf, type AudienceField } from './platform-rules.js';

const ruleOf = (platform: PlatformId, field: AudienceField) => {
  const rule = fieldRuleOf(platform, field);
  if (rule === null) throw new Error(`${platform} has no ${field} rule`);
  return rule;
};

type Case = [
  platform: PlatformId,
  field: AudienceField,
  raw: string,
  expected: string | { reason: string },
  country?: CountryCode,
];

const CASES: Case[] = [
  // ---- Email: trimmed, lower-cased; Gmail dots and +tag for Google only; +tag everywhere for TikTok.
  ['meta', 'email', '  Mary@Example.COM ', 'mary@example.com'],
  ['meta', 'email', 'Jo.Smith+news@gmail.com', 'jo.smith+news@gmail.com'],
  ['meta', 'email', 'not-an-email', { reason: 'not an email address' }],
  ['meta', 'email', '   ', { reason: 'empty' }],
  ['google', 'email', 'Jo.Smith+news@Gmail.com', 'josmith@gmail.com'],
  ['google', 'email', 'jo.smith+news@googlemail.com', 'josmith@googlemail.com'],
  ['google', 'email', 'jo.smith+news@example.org', 'jo.smith+news@example.org'],
  ['google', 'email', '+news@gmail.com', { reason: 'not an email address' }],
  ['x', 'email', ' Jo.Smith+news@Gmail.com', 'jo.smith+news@gmail.com'],
  ['snap', 'email', 'Jo.Smith+news@Gmail.com', 'jo.smith+news@gmail.com'],
  ['linkedin', 'email', 'Jo.Smith+news@Gmail.com', 'jo.smith+news@gmail.com'],
  ['tiktok', 'email', 'Jane.Doe+ads@Example.com', 'jane.doe@example.com'],
  ['tiktok', 'email', 'jo.smith+news@gmail.com', 'jo.smith@gmail.com'],
  // NFD input: the canonical email is NFC.
  ['meta', 'email', 'zoe\u0308@example.org', 'zo\u00eb@example.org'],

  // ---- Phone: the project's normalizer (libphonenumber-js), then "+" or not.
  ['meta', 'phone', '+44 (0)20 7946 0018', '442079460018'], // not 4402079460018 (audiences.md)
  ['meta', 'phone', '+44 (0)7900 123456', '447900123456'],
  ['meta', 'phone', '0044 7900 123456', '447900123456'],
  ['meta', 'phone', '07900 123456', '447900123456'],
  ['meta', 'phone', '07700 900123', { reason: 'not a valid phone number' }], // Ofcom drama range
  ['meta', 'phone', '12', { reason: 'not a possible phone number' }],
  ['meta', 'phone', 'n/a', { reason: 'not a possible phone number' }],
  ['google', 'phone', '+44 (0)7900 123456', '+447900123456'],
  ['google', 'phone', '0044 7900 123456', '+447900123456'],
  ['google', 'phone', '+1 800 555 0100', '+18005550100'],
  ['x', 'phone', '+44 (0)7900 123456', '447900123456'],
  ['snap', 'phone', '0044 7900 123456', '447900123456'],
  ['tiktok', 'phone', '+374 93 828222', '37493828222'],
  ['tiktok', 'phone', '07900 123456', '447900123456'],
  // A French number for a person in France: their country is the default region.
  ['meta', 'phone', '01 23 45 67 89', '33123456789', 'FR'],

  // ---- Names. Meta: letters only, accents transliterated.
  ['meta', 'first_name', 'Zoë', 'zoe'],
  ['meta', 'first_name', 'Zoe\u0308', 'zoe'], // NFD input
  ['meta', 'first_name', 'Siân', 'sian'],
  ['meta', 'first_name', '  MARY  ', 'mary'],
  ['meta', 'first_name', 'Dr Mary', 'mary'],
  ['meta', 'first_name', 'Mary Ann', 'maryann'],
  ['meta', 'first_name', 'Łukasz', 'lukasz'],
  ['meta', 'first_name', 'Σοφία', 'σοφια'],
  ['meta', 'first_name', '123', { reason: 'no letters' }],
  ['meta', 'last_name', "O'Brien", 'obrien'],
  ['meta', 'last_name', "D'Souza", 'dsouza'],
  ['meta', 'last_name', 'Smith-Jones', 'smithjones'],
  ['meta', 'last_name', 'Ó Súilleabháin', 'osuilleabhain'],
  ['meta', 'last_name', 'Øvergaard', 'overgaard'],
  ['meta', 'last_name', 'Straße', 'strasse'],
  ['meta', 'last_name', 'Smith Jr', 'smith'],
  ['meta', 'last_name', 'Evans, OBE', 'evans'],
  ['meta', 'last_name', 'Lord', 'lord'], // a title only when another word remains
  // Google: lower case, accents kept (NFC), white space and punctuation removed.
  ['google', 'first_name', 'Zoë', 'zoë'],
  ['google', 'first_name', 'Zoe\u0308', 'zo\u00eb'],
  ['google', 'first_name', 'Mrs Siân', 'siân'],
  ['google', 'first_name', 'Mary Ann', 'maryann'],
  ['google', 'last_name', "O'Brien", 'obrien'],
  ['google', 'last_name', 'Ó Súilleabháin', 'ósúilleabháin'],
  // LinkedIn: plain text as written, single spaces, titles dropped, at most 35 characters.
  ['linkedin', 'first_name', 'Dr  Mary   Ann', 'Mary Ann'],
  ['linkedin', 'last_name', "  O'Brien ", "O'Brien"],
  ['linkedin', 'last_name', 'Zoe\u0308', 'Zo\u00eb'],
  ['linkedin', 'last_name', 'A'.repeat(36), { reason: 'longer than the platform allows' }],
  ['linkedin', 'last_name', 'É'.repeat(35), 'É'.repeat(35)],

  // ---- Postcodes. Meta: lower case, no spaces, hashed; Google: canonical, plain.
  ['meta', 'postcode', 'sw1a 1aa', 'sw1a1aa'],
  ['meta', 'postcode', ' SW1A1AA ', 'sw1a1aa'],
  ['meta', 'postcode', 'EC1A  1BB', 'ec1a1bb'],
  ['meta', 'postcode', 'XX1 1XX', { reason: 'not a UK postcode' }],
  ['meta', 'postcode', 'JE2 3AB', 'je23ab', 'JE'],
  ['meta', 'postcode', '90210-1234', '90210', 'US'],
  ['google', 'postcode', 'sw1a1aa', 'SW1A 1AA'],
  ['google', 'postcode', ' 75001 ', '75001', 'FR'],
  ['google', 'postcode', '<script>', { reason: 'not a postcode' }, 'FR'],

  // ---- Country: ISO alpha-2, GB not UK.
  ['meta', 'country', 'GB', 'gb'],
  ['meta', 'country', 'UK', 'gb'],
  ['meta', 'country', ' gb ', 'gb'],
  ['meta', 'country', 'United Kingdom', { reason: 'not a country code' }],
  ['meta', 'country', 'XX', { reason: 'not a country code' }],
  ['google', 'country', 'uk', 'GB'],
  ['linkedin', 'country', 'gb', 'GB'],
];

describe('per-platform normalization (audiences.md, "Per platform")', () => {
  it.each(CASES)('%s %s %j → %j', (platform, field, raw, expected, country = 'GB') => {
    const result = normalizeField(ruleOf(platform, field), raw, country);
    if (typeof expected === 'string') {
      expect(result).toEqual({ ok: true, value: expected });
      expect(result.ok && result.value === result.value.normalize('NFC')).toBe(true);
    } else {
      expect(result).toEqual({ ok: false, reason: expected.reason });
    }
  });

  it('hashes composed and decomposed input alike (NFC before hashing)', () => {
    for (const platform of ['meta', 'google'] as const) {
      const rule = ruleOf(platform, 'first_name');
      expect(encodeCell(rule, 'Zoe\u0308', 'GB')).toEqual(encodeCell(rule, 'Zo\u00eb', 'GB'));
    }
    expect(sha256Hex('zoe\u0308')).toBe(sha256Hex('zo\u00eb'));
  });

  it('hashes hashed fields (SHA-256, lower-case hex) and leaves plain fields plain', () => {
    for (const platform of PLATFORMS) {
      for (const field of ['email', 'phone', 'first_name', 'last_name', 'postcode', 'country'] as const) {
        const rule = fieldRuleOf(platform, field);
        if (rule === null) continue;
        const raw = {
          email: 'a@b.org',
          phone: '07900 123456',
          first_name: 'Zoë',
          last_name: 'Ng',
          postcode: 'SW1A 1AA',
          country: 'GB',
        }[field];
        const cell = encodeCell(rule, raw, 'GB');
        const normalized = normalizeField(rule, raw, 'GB');
        expect(cell.ok && normalized.ok).toBe(true);
        if (!cell.ok || !normalized.ok) continue;
        if (rule.hashed) {
          expect(cell.value).toMatch(/^[0-9a-f]{64}$/);
          expect(cell.value).toBe(sha256Hex(normalized.value));
        } else {
          expect(cell.value).toBe(normalized.value);
        }
      }
    }
  });
});

describe("the platforms' published check values (audiences.md)", () => {
  // Input as the platform publishes it (already normalized) and its SHA-256.
  const PUBLISHED: [label: string, input: string, digest: string][] = [
    ['Meta email', 'mary@example.com', 'f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79'],
    ['Meta phone', '15559876543', '1ef970831d7963307784fa8688e8fce101a15685d62aa765fed23f3a2c576a4e'],
    ['X handle', 'adsapi', '49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d'],
    ['Google phone', '+18005550100', 'fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30'],
    ['TikTok / Google email', 'janedoe@gmail.com', 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69'],
    ['TikTok phone', '37493828222', '65b7e6dcf6f4310f8d7cbfbd78289a753062fb054d6664fb9aaac5df66a422d4'],
  ];
  it.each(PUBLISHED)('%s: sha256(%j)', (_label, input, digest) => {
    expect(sha256Hex(input)).toBe(digest);
  });

  // The same digests reached from raw input through each platform's rules. (Meta's phone
  // 1 555 987 6543 is a fictional 555 number that libphonenumber-js rejects, and X handles are
  // not an identifier Canvass holds: those two are checked as hashes above.)
  const THROUGH_RULES: [PlatformId, AudienceField, string, string][] = [
    ['meta', 'email', ' Mary@Example.com', 'f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79'],
    ['google', 'phone', '+1 (800) 555-0100', 'fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30'],
    ['google', 'email', 'Jane.Doe@gmail.com', 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69'],
    ['tiktok', 'email', 'JaneDoe+promo@gmail.com', 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69'],
    ['tiktok', 'phone', '+374-93-828222', '65b7e6dcf6f4310f8d7cbfbd78289a753062fb054d6664fb9aaac5df66a422d4'],
  ];
  it.each(THROUGH_RULES)('%s %s %j', (platform, field, raw, digest) => {
    expect(encodeCell(ruleOf(platform, field), raw, 'GB')).toEqual({ ok: true, value: digest });
  });
});

describe('the email fast path', () => {
  it('gives exactly normalizeEmail’s answer', () => {
    const local = fc.stringMatching(/^[A-Za-z0-9._%+'!#-]{0,70}$/);
    const domain = fc.stringMatching(/^[A-Za-z0-9.-]{0,70}$/);
    const address = fc.oneof(
      fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`),
      fc.tuple(local, domain, fc.constantFrom(' ', '\t', 'É', '@', '..', 'ß')).map(([l, d, x]) => `${l}${x}@${d}`),
      fc.string(),
    );
    fc.assert(
      fc.property(address, (raw) => {
        const fast = canonicalEmail(raw);
        const reference = normalizeEmail(raw);
        expect(typeof fast === 'string' ? { ok: true, value: fast } : fast).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['a@b.co', 'a@b.co'],
    ['A.B+c@Example.CO.UK', 'a.b+c@example.co.uk'],
    [`${'a'.repeat(64)}@example.org`, `${'a'.repeat(64)}@example.org`],
    [`${'a'.repeat(65)}@example.org`, null],
    ['user@10.0.0.1', null],
    ['.a@b.co', null],
    ['a..b@b.co', null],
    ['a@-b.co', null],
  ])('%s', (raw, expected) => {
    expect(canonicalEmail(raw)).toEqual(expected ?? normalizeEmail(raw));
    if (expected === null) expect(normalizeEmail(raw).ok).toBe(false);
  });
});

describe('the ASCII name path', () => {
  it('gives the Unicode path’s answer on ASCII names', () => {
    // A trailing zero-width space (Unicode category Cf) sends a name down the Unicode path
    // without changing its words.
    const name = fc.stringMatching(/^[A-Za-z '.,-]{0,40}$/);
    fc.assert(
      fc.property(name, fc.constantFrom<PlatformId>('meta', 'google', 'linkedin'), (raw, platform) => {
        for (const field of ['first_name', 'last_name'] as const) {
          const rule = ruleOf(platform, field);
          expect(normalizeField(rule, raw, 'GB')).toEqual(normalizeField(rule, `${raw}\u200b`, 'GB'));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('country codes', () => {
  it.each([
    ['GB', 'GB'],
    ['uk', 'GB'],
    ['ie', 'IE'],
    ['', null],
    ['GBR', null],
    ['ZZ', null],
  ])('%j', (raw, expected) => {
    const result = normalizeCountryCode(raw);
    expect(result.ok ? result.value : null).toBe(expected);
  });
});

describe('formula neutralisation (plain cells)', () => {
  it.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ['+441234', "'+441234"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['SW1A 1AA', 'SW1A 1AA'],
    ["O'Brien", "O'Brien"],
  ])('%j → %j', (cell, expected) => {
    expect(neutralizeFormula(cell)).toBe(expected);
  });
});
