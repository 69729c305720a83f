/**
 * The audience file writer's byte path: people read as PostgreSQL `COPY … TO STDOUT` text rows
 * and normalized straight from those bytes, without a JavaScript string or object per value.
 *
 * Each fast path below answers only a conservative shape of input — the canonical forms the
 * import stores (lower-case ASCII email addresses, canonical UK postcodes, one-word ASCII
 * names) — and writes exactly the bytes `normalizeFieldValue` (src/domain/audiences/
 * normalize.ts) would return for it. Anything else returns FALLBACK, and the writer decodes
 * the value and asks `normalizeFieldValue` itself, so the answer (a value or the reason a cell
 * is blank) is always the reference's. copy-text.test.ts proves the equality on generated and
 * hand-written inputs for every platform's rule.
 *
 * COPY text format (PostgreSQL manual, "COPY", File Formats → Text Format): one row per line
 * ending in "\n", columns separated by a tab, `\N` for NULL, and backslash escapes for
 * backslash, tab, newline, carriage return, backspace, form feed and vertical tab (COPY TO
 * never writes octal or hex escapes). No fast path accepts a backslash, so an escaped value
 * always takes the decoding path.
 */
import type { EmailRule, FieldRule, NameRule, PhoneRule, PostcodeRule } from '../domain/audiences/platform-rules.js';
import type { CountryCode } from '../domain/identifiers.js';
import { isValidGbNationalNumber } from '../domain/phone-fast-path.js';

/** A fast path's answer when the value is not of a shape it can answer: decode and ask the reference. */
export const FALLBACK = -1;

const BACKSLASH = 0x5c;

/** Whether bytes [start, end) are COPY's NULL marker `\N`. */
export function isCopyNull(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === 2 && bytes[start] === BACKSLASH && bytes[start + 1] === 0x4e;
}

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A COPY text value decoded: UTF-8, with its backslash escapes undone. */
export function decodeCopyValue(bytes: Buffer, start: number, end: number): string {
  // Buffer's own UTF-8 reader, without toString()'s argument handling (as the writer's utf8Write).
  const text = (bytes as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(start, end);
  if (!text.includes('\\')) return text;
  return text.replace(/\\([\s\S])/g, (_: string, c: string) => ESCAPES[c] ?? c);
}

// ---------------------------------------------------------------------------------------
// Character classes (byte tables)
// ---------------------------------------------------------------------------------------

const table = (chars: string, ranges: [number, number][] = []): Uint8Array => {
  const t = new Uint8Array(256);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  for (const [from, to] of ranges) for (let b = from; b <= to; b++) t[b] = 1;
  return t;
};
const DIGIT: [number, number] = [0x30, 0x39];
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const LOWER: [number, number] = [0x61, 0x7a];
const UPPER: [number, number] = [0x41, 0x5a];

/** normalizeEmail's dot-atom characters other than ".", upper case included (lower-cased on the way). */
const LOCAL_ATOM = table("!#$%&'*+/=?^_`{|}~-", [DIGIT, LOWER, UPPER]);
const DOMAIN_CHAR = table('-', [DIGIT, LOWER, UPPER]);

// ---------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------

const GMAIL = Buffer.from('gmail.com', 'latin1');
const GOOGLEMAIL = Buffer.from('googlemail.com', 'latin1');

/**
 * An email address of ASCII dot-atoms: "local@domain" with the local part's atoms of
 * normalizeEmail's characters separated by single dots (at most 64 bytes) and a domain of two
 * or more labels of letters, digits and inner hyphens (1–63 each, at most 255 bytes, the last
 * not all digits). That is normalizeEmail's rule restricted to ASCII, where its canonical form
 * is the input lower-cased; the platform's Gmail rules (dots, "+tag") are applied to the local
 * part as `normalizeEmailFor` applies them. Written lower-cased at `to`; returns its length.
 */
export function fastEmail(
  rule: EmailRule,
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  to: number,
): number {
  const length = end - start;
  if (length < 3 || length > 320) return FALLBACK;
  // The local part: atoms and single dots, up to the "@".
  let i = start;
  let previousDot = true; // no leading dot
  for (; i < end; i++) {
    const b = src[i]!;
    if (b === 0x40) break;
    if (b === 0x2e) {
      if (previousDot) return FALLBACK;
      previousDot = true;
    } else if (LOCAL_ATOM[b] === 1) {
      previousDot = false;
    } else {
      return FALLBACK;
    }
  }
  const at = i;
  if (at === end || at === start || previousDot || at - start > 64) return FALLBACK;
  // The domain: labels of letters, digits and inner hyphens.
  const domainStart = at + 1;
  if (end - domainStart > 255) return FALLBACK;
  let labels = 0;
  let labelStart = domainStart;
  let labelDigitsOnly = true;
  for (i = domainStart; i <= end; i++) {
    const b = i === end ? 0x2e : src[i]!;
    if (b === 0x2e) {
      const labelLength = i - labelStart;
      if (labelLength < 1 || labelLength > 63) return FALLBACK;
      if (src[labelStart] === 0x2d || src[i - 1] === 0x2d) return FALLBACK;
      labels++;
      if (i === end && labelDigitsOnly) return FALLBACK; // a numeric top-level label
      labelStart = i + 1;
      labelDigitsOnly = true;
    } else if (DOMAIN_CHAR[b] === 1) {
      if (b < 0x30 || b > 0x39) labelDigitsOnly = false;
    } else {
      return FALLBACK;
    }
  }
  if (labels < 2) return FALLBACK;

  // The domain lower-cased decides the Gmail rules; it is written after the local part.
  let gmail = false;
  if (rule.removeDots !== 'never' || rule.removePlusTag !== 'never') {
    // Lower-case comparison: the two Gmail domains are all letters, dots and no digits.
    const n = end - domainStart;
    if (n === GMAIL.length || n === GOOGLEMAIL.length) {
      const expected = n === GMAIL.length ? GMAIL : GOOGLEMAIL;
      gmail = true;
      for (let k = 0; k < n; k++) {
        if ((src[domainStart + k]! | 0x20) !== expected[k]) {
          gmail = false;
          break;
        }
      }
    }
  }
  const cutAtPlus = rule.removePlusTag === 'every_domain' || (rule.removePlusTag === 'gmail' && gmail);
  const dropDots = rule.removeDots === 'gmail' && gmail;
  let out = to;
  for (i = start; i < at; i++) {
    const b = src[i]!;
    if (b === 0x2b && cutAtPlus) break;
    if (b === 0x2e && dropDots) continue;
    dst[out++] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  }
  // "+news@example.org" has nothing left of its local part: the reference says why.
  if (out === to) return FALLBACK;
  dst[out++] = 0x40;
  for (i = domainStart; i < end; i++) {
    const b = src[i]!;
    dst[out++] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  }
  return out - to;
}

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

/**
 * A name of ASCII letters only (one word: no title or suffix to strip, nothing to fold), as
 * normalizeNameFor's first branch answers it: lower-cased for the letters styles, as written
 * for plain text within the platform's length. For the letters styles one-word names with
 * apostrophes, hyphens and dots ("O'Brien", "Smith-Jones") are answered too: with one word
 * there is no title to strip, and the letters are what remains.
 */
export function fastName(
  rule: NameRule,
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  to: number,
): number {
  const length = end - start;
  if (length === 0) return FALLBACK;
  if (rule.style === 'plain_text') {
    if (length > rule.maxLength) return FALLBACK;
    for (let i = start; i < end; i++) {
      const b = src[i]! | 0x20;
      if (b < 0x61 || b > 0x7a) return FALLBACK;
      dst[to + i - start] = src[i]!;
    }
    return length;
  }
  let out = to;
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    const lower = b | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) dst[out++] = lower;
    else if (b !== 0x27 && b !== 0x2d && b !== 0x2e) return FALLBACK;
  }
  return out === to ? FALLBACK : out - to;
}

// ---------------------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------------------

/**
 * A UK number in the E.164 form the import stores ("+447900123456": "+44" and a 10-digit
 * national number starting 1–9), for a person in GB, valid in the GB plan: normalizePhone's
 * fast path reads it the same way (phone-fast-path.ts) and answers it with this very validity
 * test. Written as the rule wants it, with or without the "+". Numbers starting 1800, numbers
 * GB's plan does not validate (Crown dependencies' ranges among them) and every other form take
 * the reference's path.
 */
export function fastUkPhone(
  rule: PhoneRule,
  country: CountryCode,
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  to: number,
): number {
  if (end - start !== 13 || country !== 'GB') return FALLBACK;
  if (src[start] !== 0x2b || src[start + 1] !== 0x34 || src[start + 2] !== 0x34) return FALLBACK;
  const n = start + 3;
  for (let i = n; i < end; i++) if (!isDigit(src[i]!)) return FALLBACK;
  const d0 = src[n]!;
  if (d0 === 0x30) return FALLBACK;
  if (d0 === 0x31 && src[n + 1] === 0x38 && src[n + 2] === 0x30 && src[n + 3] === 0x30) return FALLBACK;
  const nsn = String.fromCharCode(
    d0,
    src[n + 1]!,
    src[n + 2]!,
    src[n + 3]!,
    src[n + 4]!,
    src[n + 5]!,
    src[n + 6]!,
    src[n + 7]!,
    src[n + 8]!,
    src[n + 9]!,
  );
  if (!isValidGbNationalNumber(nsn)) return FALLBACK;
  let out = to;
  for (let i = rule.format === 'e164' ? start : start + 1; i < end; i++) dst[out++] = src[i]!;
  return out - to;
}

// ---------------------------------------------------------------------------------------
// UK postcodes
// ---------------------------------------------------------------------------------------

/** Regions whose postcodes follow the UK format (as normalize.ts reads them). */
const UK_FORMAT: ReadonlySet<string> = new Set(['GB', 'GG', 'JE', 'IM']);

// The classes of identifiers.ts's POSTCODE pattern, by position (upper case).
const FIRST = table('ABCDEFGHIJKLMNOPRSTUWYZ'); // [A-PR-UWYZ]
const SECOND = table('ABCDEFGHKLMNOPQRSTUVWXY'); // [A-HK-Y]
const THIRD_A9A = table('ABCDEFGHJKPSTUW'); // [A-HJKPSTUW]
const FOURTH_AA9A = table('ABEHMNPRVWXY');
const INWARD_LETTER = table('ABDEFGHJLNPQRSTUWXYZ'); // [ABD-HJLNP-UW-Z]

/** Whether the upper-case outward code of `n` bytes in `c` matches one of the pattern's forms. */
function ukOutward(c: Uint8Array, n: number): boolean {
  if (FIRST[c[0]!] !== 1) return false;
  switch (n) {
    case 2: // A9
      return isDigit(c[1]!);
    case 3: // A99, AA9, A9A
      return (
        (isDigit(c[1]!) && isDigit(c[2]!)) ||
        (SECOND[c[1]!] === 1 && isDigit(c[2]!)) ||
        (isDigit(c[1]!) && THIRD_A9A[c[2]!] === 1)
      );
    case 4: // AA99, AA9A
      return SECOND[c[1]!] === 1 && isDigit(c[2]!) && (isDigit(c[3]!) || FOURTH_AA9A[c[3]!] === 1);
    default:
      return false;
  }
}

const compact = new Uint8Array(8);

/**
 * A UK postcode in the canonical form the import stores ("SW1A 1AA"), or written compact or
 * in lower case: checked against the format (identifiers.ts, POSTCODE; GIR 0AA and anything
 * else take the reference's path) and written as the rule wants it — "sw1a1aa" or "SW1A 1AA".
 */
export function fastUkPostcode(
  rule: PostcodeRule,
  country: CountryCode,
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  to: number,
): number {
  const length = end - start;
  if (length < 5 || length > 8 || !UK_FORMAT.has(country)) return FALLBACK;
  let n = 0;
  for (let i = start; i < end; i++) {
    let b = src[i]!;
    if (b === 0x20) {
      // One space, before the inward code only.
      if (i !== end - 4) return FALLBACK;
      continue;
    }
    if (b >= 0x61 && b <= 0x7a) b &= 0xdf;
    else if (!(b >= 0x41 && b <= 0x5a) && !isDigit(b)) return FALLBACK;
    compact[n++] = b;
  }
  if (n < 5 || n > 7) return FALLBACK;
  const outward = n - 3;
  if (!isDigit(compact[outward]!) || INWARD_LETTER[compact[outward + 1]!] !== 1) return FALLBACK;
  if (INWARD_LETTER[compact[outward + 2]!] !== 1 || !ukOutward(compact, outward)) return FALLBACK;
  let out = to;
  if (rule.style === 'compact_lower') {
    for (let k = 0; k < n; k++) dst[out++] = compact[k]! >= 0x41 ? compact[k]! | 0x20 : compact[k]!;
  } else {
    for (let k = 0; k < n; k++) {
      if (k === outward) dst[out++] = 0x20;
      dst[out++] = compact[k]!;
    }
  }
  return out - to;
}

// ---------------------------------------------------------------------------------------
// One field
// ---------------------------------------------------------------------------------------

/**
 * The fast path for a field's rule: the normalized value's bytes written at `to` (returns
 * their length), or FALLBACK. Countries have none here: the writer keeps a per-export memo of
 * country codes.
 */
export function fastField(
  rule: FieldRule,
  country: CountryCode,
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  to: number,
): number {
  const n = rule.normalization;
  switch (n.kind) {
    case 'email':
      return fastEmail(n, src, start, end, dst, to);
    case 'name':
      return fastName(n, src, start, end, dst, to);
    case 'phone':
      return fastUkPhone(n, country, src, start, end, dst, to);
    case 'postcode':
      return fastUkPostcode(n, country, src, start, end, dst, to);
    default:
      return FALLBACK;
  }
}

/** Whether a fast path exists for the rule (so the writer need not try one for every value). */
export function hasFastPath(rule: FieldRule): boolean {
  const kind = rule.normalization.kind;
  return kind === 'email' || kind === 'phone' || kind === 'name' || kind === 'postcode';
}
