import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone, normalizePhoneReference, normalizeUkPostcode } from './identifiers.js';

describe('normalizeEmail', () => {
  it.each([
    { raw: '  Jo.Smith@Example.ORG ', expected: { ok: true, value: 'jo.smith@example.org' } },
    { raw: 'a+tag@sub.example.co.uk', expected: { ok: true, value: 'a+tag@sub.example.co.uk' } },
    { raw: 'Ze\u0301lie@example.fr', expected: { ok: true, value: 'z\u00e9lie@example.fr' } },
    { raw: '', expected: { ok: false, reason: 'empty' } },
    { raw: '   ', expected: { ok: false, reason: 'empty' } },
    { raw: 'not an email', expected: { ok: false, reason: 'not an email address' } },
    { raw: 'a@b', expected: { ok: false, reason: 'not an email address' } },
    { raw: 'a@@b.com', expected: { ok: false, reason: 'not an email address' } },
    { raw: '.a@b.com', expected: { ok: false, reason: 'not an email address' } },
    { raw: 'a..b@b.com', expected: { ok: false, reason: 'not an email address' } },
    { raw: 'a@-b.com', expected: { ok: false, reason: 'not an email address' } },
    { raw: 'a@10.0.0.1', expected: { ok: false, reason: 'not an email address' } },
    {
      raw: 'x'.repeat(300) + '@' + 'y'.repeat(30) + '.com',
      expected: { ok: false, reason: 'longer than 320 characters' },
    },
  ])('$raw', ({ raw, expected }) => {
    expect(normalizeEmail(raw)).toEqual(expected);
  });
});

describe('normalizeUkPostcode', () => {
  it.each([
    { raw: 'sw1a1aa', expected: { ok: true, value: 'SW1A 1AA' } },
    { raw: ' SW1A  1AA ', expected: { ok: true, value: 'SW1A 1AA' } },
    { raw: 'm1 1ae', expected: { ok: true, value: 'M1 1AE' } },
    { raw: 'B33 8TH', expected: { ok: true, value: 'B33 8TH' } },
    { raw: 'cr2 6xh', expected: { ok: true, value: 'CR2 6XH' } },
    { raw: 'DN55 1PT', expected: { ok: true, value: 'DN55 1PT' } },
    { raw: 'W1A 0AX', expected: { ok: true, value: 'W1A 0AX' } },
    { raw: 'gir0aa', expected: { ok: true, value: 'GIR 0AA' } },
    { raw: '', expected: { ok: false, reason: 'empty' } },
    { raw: 'QA1 1AA', expected: { ok: false, reason: 'not a UK postcode' } },
    { raw: 'SW1A 1CA', expected: { ok: false, reason: 'not a UK postcode' } },
    { raw: '12345', expected: { ok: false, reason: 'not a UK postcode' } },
    { raw: 'BFPO 123', expected: { ok: false, reason: 'not a UK postcode' } },
  ])('$raw', ({ raw, expected }) => {
    expect(normalizeUkPostcode(raw)).toEqual(expected);
  });
});

describe('normalizePhone', () => {
  const cases = [
    { raw: '+44 (0)20 7946 0000', expected: { ok: true, value: '+442079460000' } },
    { raw: '0044 7700 900123', expected: { ok: false, reason: 'not a valid phone number' } },
    { raw: '07700 900123', expected: { ok: false, reason: 'not a valid phone number' } },
    { raw: '07911 123456', expected: { ok: true, value: '+447911123456' } },
    { raw: '07400 123456', expected: { ok: true, value: '+447400123456' } },
    { raw: ' 0161-496-0000 ', expected: { ok: true, value: '+441614960000' } },
    { raw: '44 7400 123456', expected: { ok: true, value: '+447400123456' } },
    { raw: '7400 123456', expected: { ok: true, value: '+447400123456' } },
    { raw: '+33 1 23 45 67 89', expected: { ok: true, value: '+33123456789' } },
    { raw: '123', expected: { ok: false, reason: 'not a possible phone number' } },
    { raw: '07911 12345678', expected: { ok: false, reason: 'not a possible phone number' } },
    { raw: 'n/a', expected: { ok: false, reason: 'not a possible phone number' } },
    { raw: '   ', expected: { ok: false, reason: 'empty' } },
  ];
  it.each(cases)('$raw', ({ raw, expected }) => {
    expect(normalizePhone(raw)).toEqual(expected);
    expect(normalizePhoneReference(raw)).toEqual(expected);
  });

  it('agrees with libphonenumber-js/max used directly', () => {
    for (const { raw, expected } of cases) {
      const parsed = parsePhoneNumberFromString(raw.trim(), { defaultCountry: 'GB', extract: false });
      expect(expected.ok ? parsed?.number : undefined).toBe(expected.ok ? expected.value : undefined);
    }
  });
});
