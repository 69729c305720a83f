/**
 * Normalization of the identifiers a people import matches on: email addresses, phone
 * numbers and UK postcodes. Each normalizer returns either the canonical value or a reason
 * written for the import report ("row 12, column email: not an email address").
 *
 * Canonical values are what gets stored, compared and hashed (e.g. for list-based audiences),
 * so two spellings of the same identifier must normalize to the same string.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';
import {
  normalizeUkPhoneFast,
  PHONE_EMPTY,
  PHONE_NOT_POSSIBLE,
  PHONE_NOT_VALID,
  type PhoneReason,
  type PhoneResult,
} from './phone-fast-path.js';

export type Normalized<Reason extends string> = { ok: true; value: string } | { ok: false; reason: Reason };

// ---------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------

/** RFC 5321 §4.5.3.1.3 limits a path to 256 octets; 320 (64 + 1 + 255) is the common cap. */
export const EMAIL_MAX_LENGTH = 320;
const EMAIL_LOCAL_MAX_LENGTH = 64;
const EMAIL_DOMAIN_MAX_LENGTH = 255;

export type EmailReason = 'empty' | 'not an email address' | 'longer than 320 characters';

// The local part: the printable characters people actually use, dot-separated, no quoting.
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
// A domain label: letters (including internationalized ones) and digits, inner hyphens.
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * Trims, lower-cases and NFC-normalizes an email address, and checks that it looks like one.
 *
 * The whole address is lower-cased, local part included. RFC 5321 lets a server treat the
 * local part as case-sensitive, but no mainstream provider does, and people type their
 * address in whatever case they like on each form: a campaign that matched case-sensitively
 * would keep "Jo.Smith@example.org" and "jo.smith@example.org" as two people, and — worse —
 * miss an objection or a suppression recorded under the other spelling. Matching in
 * campaigns is case-insensitive in practice, so the canonical form is lower case.
 *
 * The check is deliberately pragmatic (one "@", a dot-atom local part, a domain of at least
 * two labels): it catches the junk found in spreadsheets, not every RFC 5322 oddity such as
 * quoted local parts, which real contact lists do not contain.
 */
export function normalizeEmail(raw: string): Normalized<EmailReason> {
  const value = raw.trim().toLowerCase().normalize('NFC');
  if (value === '') return { ok: false, reason: 'empty' };
  if (value.length > EMAIL_MAX_LENGTH) return { ok: false, reason: 'longer than 320 characters' };
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return { ok: false, reason: 'not an email address' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (
    local.length > EMAIL_LOCAL_MAX_LENGTH ||
    domain.length > EMAIL_DOMAIN_MAX_LENGTH ||
    !LOCAL_PART.test(local) ||
    !isEmailDomain(domain)
  ) {
    return { ok: false, reason: 'not an email address' };
  }
  return { ok: true, value };
}

function isEmailDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  // A top-level domain is never all digits ("user@10.0.0.1" is not a contact address).
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

// ---------------------------------------------------------------------------------------
// UK postcode
// ---------------------------------------------------------------------------------------

export type PostcodeReason = 'empty' | 'not a UK postcode';

/**
 * The UK postcode format (outward code: area, district, optional sub-district letter;
 * inward code: sector digit and two unit letters), after the Government Data Standards
 * Catalogue pattern, plus the one non-geographic exception "GIR 0AA" (Girobank). The letters
 * excluded at each position (e.g. no Q, V or X first; no C, I, K, M, O or V in the unit) are
 * the Royal Mail's. BFPO and overseas-territory codes are out of scope.
 */
const POSTCODE =
  /^(?:GIR0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$/;

/**
 * Upper-cases a UK postcode, removes all white space, checks the format, and returns the
 * canonical "OUTWARD INWARD" form with one space: " sw1a1aa " → "SW1A 1AA".
 */
export function normalizeUkPostcode(raw: string): Normalized<PostcodeReason> {
  const compact = raw.replace(/\s+/g, '').toUpperCase();
  if (compact === '') return { ok: false, reason: 'empty' };
  if (compact.length < 5 || compact.length > 7 || !POSTCODE.test(compact)) {
    return { ok: false, reason: 'not a UK postcode' };
  }
  // The inward code is always the last three characters.
  return { ok: true, value: compact.slice(0, -3) + ' ' + compact.slice(-3) };
}

// ---------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------

export type { CountryCode, PhoneReason, PhoneResult };

/**
 * The authority: libphonenumber-js with its 'max' metadata (the full validity patterns; the
 * 'min' metadata only checks lengths, and would accept unassigned ranges).
 *
 * - blank (after trimming) → "empty";
 * - libphonenumber-js cannot parse it, or `isPossible()` is false (wrong length for the
 *   country) → "not a possible phone number";
 * - `isValid()` is false (a possible length, but a range that is not assigned) → "not a valid
 *   phone number". This includes Ofcom's drama numbers (07700 900000–900999, 020 7946 0xxx
 *   and the like): they are reserved for fiction, so they are rejected rather than stored as
 *   if someone could be reached on them;
 * - otherwise the E.164 form, e.g. "+447911123456". An extension is dropped.
 *
 * The input is trimmed first and parsed with `extract: false`, so "call me on 07911 123456"
 * is not a phone number: a cell must hold the number alone.
 */
export function normalizePhoneReference(raw: string, defaultCountry: CountryCode = 'GB'): PhoneResult {
  const text = raw.trim();
  if (text === '') return PHONE_EMPTY;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false }, metadata);
  if (parsed === undefined || !parsed.isPossible()) return PHONE_NOT_POSSIBLE;
  if (!parsed.isValid()) return PHONE_NOT_VALID;
  return { ok: true, value: parsed.number };
}

/**
 * Normalizes a phone number to E.164, or says why not. Same answer as
 * `normalizePhoneReference` (libphonenumber-js) on every input; common shapes take the
 * proven fast path of phone-fast-path.ts (tens of times faster), the rest libphonenumber-js.
 */
export function normalizePhone(raw: string, defaultCountry: CountryCode = 'GB'): PhoneResult {
  if (defaultCountry === 'GB') {
    const fast = normalizeUkPhoneFast(raw);
    if (fast !== null) return fast;
  }
  return normalizePhoneReference(raw, defaultCountry);
}
