/**
 * Per-platform normalization of the identifiers in a customer-list file, as the rules table
 * (platform-rules.ts) describes them, and the cell each becomes: SHA-256 lower-case hex of the
 * NFC UTF-8 bytes for a hashed field, the value itself (formula-neutralised) for a plain one.
 *
 * Pure functions, no I/O. The project's normalizers (src/domain/identifiers.ts) come first —
 * the same canonical email, E.164 phone and UK postcode the import stores and matches on —
 * then each platform's own step (Gmail dots for Google, "+" or not for phones, name
 * transliteration for Meta …). A value that cannot be normalized leaves its cell blank, with
 * a reason the manifest counts ("not a valid phone number"); it never becomes a guess.
 *
 * Every value returned is NFC (audiences.md: "Apply Unicode NFC before hashing"), so hashing it
 * as UTF-8 bytes is hashing its NFC form.
 */
import { hash } from 'node:crypto';
import metadata from 'libphonenumber-js/max/metadata';
import {
  normalizeEmail,
  normalizePhone,
  normalizeUkPostcode,
  type CountryCode,
  type EmailReason,
  type PhoneReason,
  type PostcodeReason,
} from '../identifiers.js';
import {
  NAME_SUFFIXES,
  NAME_TITLES,
  type CountryRule,
  type EmailRule,
  type FieldRule,
  type NameRule,
  type PhoneRule,
  type PostcodeRule,
} from './platform-rules.js';

/** Why a field's cell was left blank. */
export type FieldReason =
  | EmailReason
  | PhoneReason
  | PostcodeReason
  | 'no letters'
  | 'not a postcode'
  | 'longer than the platform allows'
  | 'not a country code';

export type FieldFailure = { ok: false; reason: FieldReason };
export type FieldResult = { ok: true; value: string } | FieldFailure;
/** The hot path's form: the normalized value itself, or why not (no allocation on success). */
export type FieldValue = string | FieldFailure;

const fromResult = (r: { ok: true; value: string } | FieldFailure): FieldValue => (r.ok ? r.value : r);

const EMPTY: FieldFailure = Object.freeze({ ok: false, reason: 'empty' });
const NOT_AN_EMAIL: FieldFailure = Object.freeze({ ok: false, reason: 'not an email address' });

// ---------------------------------------------------------------------------------------
// Country
// ---------------------------------------------------------------------------------------

/**
 * An ISO 3166-1 alpha-2 code, upper case: trimmed, upper-cased, "UK" read as "GB" (the ISO
 * code for the United Kingdom is GB — audiences.md, "Every platform"). Accepted: the regions
 * libphonenumber-js knows (every ISO country plus a few territories such as AC and TA), so
 * the code also serves as the default region for parsing the person's phone number.
 */
export function normalizeCountryCode(raw: string): { ok: true; value: CountryCode } | FieldFailure {
  const code = raw.trim().toUpperCase();
  if (code === '') return EMPTY;
  const iso = code === 'UK' ? 'GB' : code;
  if (!/^[A-Z]{2}$/.test(iso) || !Object.hasOwn(metadata.countries, iso)) {
    return { ok: false, reason: 'not a country code' };
  }
  return { ok: true, value: iso as CountryCode };
}

function normalizeCountryFor(rule: CountryRule, raw: string): FieldValue {
  const code = normalizeCountryCode(raw);
  if (!code.ok) return code;
  return rule.case === 'lower' ? code.value.toLowerCase() : code.value;
}

// ---------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------

/** Printable ASCII without white space: the only inputs the fast path below answers. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
/**
 * normalizeEmail's rule restricted to lower-case ASCII: a dot-atom local part, "@", two or
 * more domain labels of letters and digits with inner hyphens (1–63 characters each).
 */
const ASCII_EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const NUMERIC_TLD = /\.[0-9]+$/;

/**
 * The project's canonical email (identifiers.ts `normalizeEmail`: trimmed, lower case, NFC,
 * checked), answered without its Unicode regular expressions when the input is printable
 * ASCII that passes: for such input trimming and NFC change nothing and the Unicode classes
 * reduce to [a-z0-9], so the answer is the same (normalize.test.ts compares the two on
 * generated addresses). Anything else, and every rejection, is normalizeEmail's own answer.
 */
export function canonicalEmail(raw: string): FieldValue {
  if (raw.length > 320 || !PRINTABLE_ASCII.test(raw)) return fromResult(normalizeEmail(raw));
  const value = raw.toLowerCase();
  if (!ASCII_EMAIL.test(value)) return fromResult(normalizeEmail(raw));
  const at = value.indexOf('@');
  if (at > 64 || value.length - at - 1 > 255 || NUMERIC_TLD.test(value)) return fromResult(normalizeEmail(raw));
  return value;
}

const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

function normalizeEmailFor(rule: EmailRule, raw: string): FieldValue {
  const canonical = canonicalEmail(raw);
  if (typeof canonical !== 'string' || (rule.removeDots === 'never' && rule.removePlusTag === 'never'))
    return canonical;
  const at = canonical.indexOf('@');
  let local = canonical.slice(0, at);
  const domain = canonical.slice(at + 1);
  const gmail = GMAIL_DOMAINS.has(domain);
  if (rule.removePlusTag === 'every_domain' || (rule.removePlusTag === 'gmail' && gmail)) {
    const plus = local.indexOf('+');
    if (plus >= 0) local = local.slice(0, plus);
  }
  if (rule.removeDots === 'gmail' && gmail) local = local.replaceAll('.', '');
  // "+news@example.org" has nothing left of its local part once the tag goes.
  if (local === '') return NOT_AN_EMAIL;
  return `${local}@${domain}`;
}

// ---------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------

/**
 * The project's normalizer (libphonenumber-js, with the proven fast path; default region the
 * person's country), then the platform's form: E.164 ("+447700900123") or its digits
 * ("447700900123": country code, no "+", no trunk "0"). Stripping a raw number to digits would
 * turn "+44 (0)20 …" into "4402…": the parser removes the trunk 0 (audiences.md).
 */
function normalizePhoneFor(rule: PhoneRule, raw: string, country: CountryCode): FieldValue {
  const e164 = normalizePhone(raw, country);
  if (!e164.ok) return e164;
  return rule.format === 'e164' ? e164.value : e164.value.slice(1);
}

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

/** A name of ASCII letters only, the common case: no title to strip, nothing to fold. */
const ASCII_LETTERS = /^[A-Za-z]+$/;
const WORD_SEPARATORS = /[\s,]+/u;
const CONTROL = /[\p{Cc}\p{Cf}]/gu;
const NOT_LETTER = /[^\p{L}]/gu;
const NOT_LETTER_OR_MARK = /[^\p{L}\p{M}]/gu;
const COMBINING_MARK = /\p{M}/gu;

/** Latin letters that do not decompose under NFD, spelled out in Roman letters. */
const SPELLED_OUT: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
  ŧ: 't',
  Ŧ: 't',
};
const SPELLED_OUT_PATTERN = new RegExp(`[${Object.keys(SPELLED_OUT).join('')}]`, 'gu');

const bareWord = (word: string): string => word.replace(/\.+$/u, '').toLowerCase();

/** Printable ASCII (space included): no Unicode folding needed, the common case. */
const PRINTABLE_ASCII_OR_SPACE = /^[\x20-\x7e]*$/;
const ASCII_WORD_SEPARATORS = /[ ,]+/;
const NOT_ASCII_LETTER = /[^a-z]/g;

/**
 * The words of a name without a leading title or trailing suffix ("Dr Mary Smith", "Smith
 * Jr", "Smith, OBE"): each is removed only while another word remains, so a surname that is
 * also a title ("Lord") is kept. For printable ASCII, NFC and control characters are moot and
 * the only white space is the space, so the cheaper ASCII split gives the same words.
 */
function nameWords(raw: string, ascii: boolean): string[] {
  const words = ascii
    ? raw.trim().split(ASCII_WORD_SEPARATORS).filter(Boolean)
    : raw.normalize('NFC').replace(CONTROL, ' ').trim().split(WORD_SEPARATORS).filter(Boolean);
  while (words.length > 1 && NAME_TITLES.has(bareWord(words[0]!))) words.shift();
  while (words.length > 1 && NAME_SUFFIXES.has(bareWord(words[words.length - 1]!))) words.pop();
  return words;
}

const TOO_LONG: FieldFailure = Object.freeze({ ok: false, reason: 'longer than the platform allows' });
const NO_LETTERS: FieldFailure = Object.freeze({ ok: false, reason: 'no letters' });

function normalizeNameFor(rule: NameRule, raw: string): FieldValue {
  if (ASCII_LETTERS.test(raw)) {
    // One ASCII word: no title to strip (a lone word is kept), nothing to fold or remove.
    if (rule.style === 'plain_text') return raw.length > rule.maxLength ? TOO_LONG : raw;
    return raw.toLowerCase();
  }
  const ascii = PRINTABLE_ASCII_OR_SPACE.test(raw);
  const words = nameWords(raw, ascii);
  if (words.length === 0) return EMPTY;
  switch (rule.style) {
    case 'letters_transliterated':
    case 'letters_accents_kept': {
      // ASCII: letters are a–z once lower-cased; nothing to transliterate, nothing to compose.
      const value = ascii
        ? words.join('').toLowerCase().replace(NOT_ASCII_LETTER, '')
        : rule.style === 'letters_transliterated'
          ? words
              .join('')
              .normalize('NFD')
              .replace(COMBINING_MARK, '')
              .replace(SPELLED_OUT_PATTERN, (c) => SPELLED_OUT[c] ?? c)
              .toLowerCase()
              .replace(NOT_LETTER, '')
              .normalize('NFC')
          : words.join('').toLowerCase().replace(NOT_LETTER_OR_MARK, '').normalize('NFC');
      return value === '' ? NO_LETTERS : value;
    }
    case 'plain_text': {
      const value = words.join(' ');
      return (ascii ? value.length : [...value].length) > rule.maxLength ? TOO_LONG : value;
    }
    default: {
      const unknown: never = rule;
      throw new Error(`unknown name rule ${JSON.stringify(unknown)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Postcode
// ---------------------------------------------------------------------------------------

/** Regions whose postcodes follow the UK format (Royal Mail: the Crown dependencies too). */
const UK_FORMAT_POSTCODES: ReadonlySet<string> = new Set(['GB', 'GG', 'JE', 'IM']);
const FOREIGN_POSTCODE = /^[A-Za-z0-9](?:[A-Za-z0-9 -]{0,10}[A-Za-z0-9])?$/;
const US_ZIP = /^([0-9]{5})(?:[0-9]{4})?$/;
const NOT_A_POSTCODE: FieldFailure = Object.freeze({ ok: false, reason: 'not a postcode' });

function normalizePostcodeFor(rule: PostcodeRule, raw: string, country: CountryCode): FieldValue {
  if (UK_FORMAT_POSTCODES.has(country)) {
    const uk = normalizeUkPostcode(raw);
    if (!uk.ok) return uk;
    return rule.style === 'compact_lower' ? uk.value.replace(' ', '').toLowerCase() : uk.value;
  }
  const written = raw.trim().replace(/\s+/gu, ' ');
  if (written === '') return EMPTY;
  if (!FOREIGN_POSTCODE.test(written)) return NOT_A_POSTCODE;
  if (rule.style === 'as_written') return written;
  const compact = written.replace(/[ -]/g, '').toLowerCase();
  const zip = country === 'US' ? US_ZIP.exec(compact) : null;
  return zip ? zip[1]! : compact;
}

// ---------------------------------------------------------------------------------------
// Fields and cells
// ---------------------------------------------------------------------------------------

/**
 * Normalizes one raw value for one platform field. `country` is the person's country (the
 * default region for a phone number, and whether a postcode is read as a UK postcode).
 */
export function normalizeField(rule: FieldRule, raw: string, country: CountryCode): FieldResult {
  const value = normalizeFieldValue(rule, raw, country);
  return typeof value === 'string' ? { ok: true, value } : value;
}

/** normalizeField for the file writer's hot path: the value itself, or the failure. */
export function normalizeFieldValue(rule: FieldRule, raw: string, country: CountryCode): FieldValue {
  const n = rule.normalization;
  switch (n.kind) {
    case 'email':
      return normalizeEmailFor(n, raw);
    case 'phone':
      return normalizePhoneFor(n, raw, country);
    case 'name':
      return normalizeNameFor(n, raw);
    case 'postcode':
      return normalizePostcodeFor(n, raw, country);
    case 'country':
      return normalizeCountryFor(n, raw);
    default: {
      const unknown: never = n;
      throw new Error(`unknown normalization ${JSON.stringify(unknown)}`);
    }
  }
}

/** SHA-256 of the NFC form's UTF-8 bytes, lower-case hex (audiences.md, "Every platform"). */
export function sha256Hex(value: string): string {
  return hash('sha256', value.normalize('NFC'), 'hex');
}

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection"): a
 * plain cell starting with one of them gets a leading apostrophe, which spreadsheets show as
 * text and never evaluate. Hashed cells are hex and never start with one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * The cell a raw value becomes in a platform's file: the hash of the normalized value, or the
 * normalized value itself (formula-neutralised) where the platform wants it plain. The
 * reference the file writer's batch hashing is tested against.
 */
export function encodeCell(rule: FieldRule, raw: string, country: CountryCode): FieldResult {
  const normalized = normalizeField(rule, raw, country);
  if (!normalized.ok) return normalized;
  return { ok: true, value: rule.hashed ? sha256Hex(normalized.value) : neutralizeFormula(normalized.value) };
}
