/**
 * The fast path of phone normalization: the common shapes of a UK contact list, answered
 * without libphonenumber-js's parser, with exactly the answer libphonenumber-js would give.
 *
 * libphonenumber-js is the authority (src/domain/identifiers.ts, `normalizePhoneReference`),
 * but parses 20,000–50,000 numbers/s; a million-row import cannot afford it per row. This
 * module answers the shapes below and returns `null` for everything else, so the caller
 * falls back to libphonenumber-js:
 *
 * - UK numbers with a 10-digit national number, in any of
 *     07911 123456 · 07911-123-456 · (07911) 123456 · 7911 123456 (leading zero lost)
 *     +44 7911 123456 · +44 (0)7911 123456 · 0044 7911 123456 · 44 7911 123456
 *     020 7946 0000 · (020) 7946-0000 · 0161.496.0000 · 0300 123 4567 · 0800 123 4567
 *   → E.164 if valid; "not a valid phone number" if libphonenumber-js would say so (e.g.
 *   Ofcom's drama range 07700 900xxx, unallocated ranges). +44 is shared by GB, Guernsey,
 *   the Isle of Man and Jersey: libphonenumber-js gives a number to the first of them (in
 *   its order, GB first) whose leading digits or number types claim it and judges it by that
 *   country's plan; the fast path does the same, with the same metadata.
 * - International numbers after "+" or "00" ("+33 1 23 45 67 89"): answered only when valid
 *   in the main country of the calling code and not starting with its national prefix.
 * - Blanks, ASCII text without a digit ("n/a", "ex-directory"), and nationally dialled
 *   strings of at most 6 or more than 10 national digits: "empty" / "not a possible phone
 *   number", as libphonenumber-js says (GB's possible lengths are 7, 9 and 10).
 *
 * Accepted characters: ASCII digits, one leading "+", the separators space, "-", ".", "/",
 * "(" and ")" (all libphonenumber-js punctuation, which it ignores), and leading or trailing
 * spaces and tabs. Anything else — letters, extensions, other Unicode digits — goes to
 * libphonenumber-js, as do 9-digit UK numbers, national numbers starting 1800 (a national
 * prefix for parsing in the GB metadata) and international numbers it cannot settle.
 *
 * Validity is decided with the very regular expressions of libphonenumber-js's 'max'
 * metadata, read at start-up and applied as its `isValid()` and `isPossible()` apply them.
 * The proof is in phone-fast-path.test.ts: property tests over the targeted shapes, random
 * mutations of them, international numbers, junk and digit strings, every string of up to 5
 * digits, and 200,000 numbers of the benchmark's distribution, all compared with
 * libphonenumber-js; bench/phone-normalize.ts compares a further million.
 */
import metadata from 'libphonenumber-js/max/metadata';

/** Why a phone number was rejected, as the import report says it (see identifiers.ts). */
export type PhoneReason = 'empty' | 'not a possible phone number' | 'not a valid phone number';
/** A normalized phone number in E.164, or the reason it was rejected. */
export type PhoneResult = { ok: true; value: string } | { ok: false; reason: PhoneReason };

export const PHONE_EMPTY: PhoneResult = Object.freeze({ ok: false, reason: 'empty' });
export const PHONE_NOT_POSSIBLE: PhoneResult = Object.freeze({ ok: false, reason: 'not a possible phone number' });
export const PHONE_NOT_VALID: PhoneResult = Object.freeze({ ok: false, reason: 'not a valid phone number' });

const NSN_LENGTH = 10;

interface CompiledPlan {
  callingCode: string;
  /** Possible lengths of a national number in this plan (`isPossible()`). */
  possibleLengths: number[];
  nationalNumberPattern: RegExp;
  /** Each number type that exists: its pattern and the national number lengths it admits. */
  types: { slot: number; pattern: RegExp; lengths: number[] }[];
  /** The national prefix for parsing, if any (e.g. "0"), anchored at the start. */
  nationalPrefixForParsing: RegExp | undefined;
  hasLeadingDigits: boolean;
}

/**
 * Reads a country's numbering plan out of libphonenumber-js's compressed 'max' metadata,
 * in the layout its `Metadata` class reads: [0] calling code, [2] national number pattern,
 * [3] possible lengths, [5] national prefix, [7] national prefix for parsing (defaults to
 * the national prefix), [10] leading digits, [11] types as [pattern, possible lengths?] or 0.
 * Fails loudly if a future metadata format no longer has that shape; the tests then fail.
 */
function compilePlan(country: string): CompiledPlan {
  const plan: unknown = (metadata.countries as unknown as Record<string, unknown>)[country];
  if (!Array.isArray(plan)) throw new Error(`libphonenumber-js metadata: no numbering plan for ${country}`);
  const fields = plan as unknown[];
  const [callingCode, , nationalNumberPattern, possibleLengths, , nationalPrefix] = fields;
  const prefixForParsing = fields[7] || nationalPrefix;
  const types: unknown = fields[11];
  if (
    typeof callingCode !== 'string' ||
    typeof nationalNumberPattern !== 'string' ||
    !isNumberArray(possibleLengths) ||
    !Array.isArray(types) ||
    !(prefixForParsing === undefined || prefixForParsing === 0 || typeof prefixForParsing === 'string')
  ) {
    throw new Error(`libphonenumber-js metadata: unexpected layout of the ${country} numbering plan`);
  }
  const compiled: CompiledPlan['types'] = [];
  for (const [slot, type] of (types as unknown[]).entries()) {
    if (type === 0 || type === undefined || type === null) continue; // no numbers of this type
    if (!Array.isArray(type) || typeof type[0] !== 'string') {
      throw new Error(`libphonenumber-js metadata: unexpected ${country} number type layout`);
    }
    const pattern = type[0];
    const lengths: unknown = type[1];
    // libphonenumber-js: a type without its own lengths has the plan's possible lengths;
    // an empty pattern means the type does not exist.
    const effectiveLengths = lengths === undefined || lengths === 0 ? possibleLengths : lengths;
    if (!isNumberArray(effectiveLengths)) {
      throw new Error(`libphonenumber-js metadata: unexpected ${country} possible lengths`);
    }
    if (pattern !== '') compiled.push({ slot, pattern: entirely(pattern), lengths: effectiveLengths });
  }
  return {
    callingCode,
    possibleLengths,
    nationalNumberPattern: entirely(nationalNumberPattern),
    types: compiled,
    nationalPrefixForParsing: prefixForParsing ? new RegExp('^(?:' + prefixForParsing + ')') : undefined,
    hasLeadingDigits: Boolean(fields[10]),
  };
}

const isNumberArray = (x: unknown): x is number[] => Array.isArray(x) && x.every((n) => typeof n === 'number');

/** libphonenumber-js's `matchesEntirely`, compiled once. */
const entirely = (pattern: string): RegExp => new RegExp('^(?:' + pattern + ')$');

/**
 * `isValid()` of libphonenumber-js for a national number whose country is this plan's: the
 * national number pattern, then any number type whose lengths admit it and whose pattern
 * matches (getNumberType).
 */
function isValidIn(plan: CompiledPlan, nsn: string): boolean {
  if (plan.types.length === 0 || !plan.nationalNumberPattern.test(nsn)) return false;
  for (const type of plan.types) {
    if (type.lengths.includes(nsn.length) && type.pattern.test(nsn)) return true;
  }
  return false;
}

const GB = compilePlan('GB');
if (GB.callingCode !== '44' || GB.hasLeadingDigits) throw new Error('libphonenumber-js metadata: unexpected GB plan');

/** The GB type patterns that admit 10 digits: the only ones a 10-digit number can match. */
// Mobile (slot 1 of the metadata types) first, as most numbers are mobiles: the order of the
// tests does not change the answer (any matching type makes a number valid).
const MOBILE_SLOT = 1;
const GB_TYPES_OF_10_DIGITS = [...GB.types]
  .sort((a, b) => Number(b.slot === MOBILE_SLOT) - Number(a.slot === MOBILE_SLOT))
  .filter((type) => type.lengths.includes(NSN_LENGTH))
  .map((type) => type.pattern);

/** True when the 10-digit national number is valid in the GB plan, as libphonenumber-js decides. */
export function isValidGbNationalNumber(nsn: string): boolean {
  if (nsn.length !== NSN_LENGTH || !GB.nationalNumberPattern.test(nsn)) return false;
  for (const pattern of GB_TYPES_OF_10_DIGITS) if (pattern.test(nsn)) return true;
  return false;
}

const plans = new Map<string, CompiledPlan | null>();

/**
 * The plan a calling code's numbers are checked against first: the "main" country of the
 * code (the first listed, e.g. US for +1, AU for +61). libphonenumber-js assigns a number to
 * the first country of the list that claims it, by leading digits or by a matching type; so
 * a number valid in the main country is the main country's — unless the main country has
 * leading digits (then its rule differs), in which case the fast path declines (null).
 */
function mainPlanOf(callingCode: string): CompiledPlan | null {
  let plan = plans.get(callingCode);
  if (plan === undefined) {
    const countries = metadata.country_calling_codes[callingCode];
    const main = countries?.[0];
    plan = main === undefined ? null : compilePlan(main);
    if (plan !== null && plan.hasLeadingDigits && countries!.length > 1) plan = null;
    plans.set(callingCode, plan);
  }
  return plan;
}

/** Calling codes are at most 3 digits. */
const MAX_CALLING_CODE_LENGTH = 3;
const DIGIT_CHARS = '0123456789';

/**
 * An international number other than +44 ("+33 1 23 45 67 89", "0033 1 23 45 67 89"), its
 * digits from `from` on: the calling code, then the national number. Answered only when the
 * result is a valid number of the calling code's main country and the national number does
 * not start with that country's national prefix (libphonenumber-js would then strip it, or
 * not, by rules this fast path does not repeat).
 */
function normalizeInternational(from: number, count: number): PhoneResult | null {
  if (digits[from] === 0) return null;
  let callingCode = '';
  let plan: CompiledPlan | null = null;
  let at = from;
  while (at < count && at - from < MAX_CALLING_CODE_LENGTH) {
    callingCode += DIGIT_CHARS[digits[at++]!];
    if (Object.hasOwn(metadata.nonGeographic, callingCode)) return null; // +800, +870, …
    if (Object.hasOwn(metadata.country_calling_codes, callingCode)) {
      plan = mainPlanOf(callingCode);
      break;
    }
  }
  if (plan === null || callingCode === GB.callingCode) return null;
  let nsn = '';
  for (let i = at; i < count; i++) nsn += DIGIT_CHARS[digits[i]!];
  if (plan.nationalPrefixForParsing?.test(nsn)) return null;
  if (!plan.possibleLengths.includes(nsn.length) || !isValidIn(plan, nsn)) return null;
  return { ok: true, value: '+' + callingCode + nsn };
}

// Character codes.
const PLUS = 43;
const ZERO = 48;
const NINE = 57;
const SPACE = 32;
const TAB = 9;

/** The separators the fast path skips: space - . / ( ). All are libphonenumber-js punctuation. */
function isSeparator(c: number): boolean {
  return c === SPACE || c === 45 || c === 46 || c === 47 || c === 40 || c === 41;
}

/** The longest input the fast path looks at; longer strings are left to libphonenumber-js. */
const MAX_INPUT = 40;
/** At most "00" + 15 digits (E.164's maximum). */
const MAX_DIGITS = 17;

/** National numbers this short are never possible in the GB plan (possible lengths 7, 9, 10). */
const MAX_IMPOSSIBLE_DIGITS = 6;

// Digits of the current input, reused across calls (the scan allocates nothing).
const digits = new Uint8Array(MAX_DIGITS);

/**
 * Normalizes a phone number in one of the shapes above (default country "GB") to E.164 or a
 * rejection, exactly as libphonenumber-js would; or returns null when the input is not one
 * of the shapes this fast path has been proven on (the caller then asks libphonenumber-js).
 */
export function normalizeUkPhoneFast(raw: string): PhoneResult | null {
  const n = raw.length;
  if (n > MAX_INPUT) return null;

  let i = 0;
  let end = n;
  while (i < end && (raw.charCodeAt(i) === SPACE || raw.charCodeAt(i) === TAB)) i++;
  while (end > i && (raw.charCodeAt(end - 1) === SPACE || raw.charCodeAt(end - 1) === TAB)) end--;

  let plus = false;
  if (i < end && raw.charCodeAt(i) === PLUS) {
    plus = true;
    i++;
  }

  let count = 0;
  for (; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      if (count === MAX_DIGITS) return null;
      digits[count++] = c - ZERO;
    } else if (!isSeparator(c)) {
      return withoutDigits(raw);
    }
  }
  if (count === 0) return withoutDigits(raw);
  if (count < NSN_LENGTH) {
    // At most 6 digits, nationally dialled: libphonenumber-js finds no possible GB length
    // (7, 9 or 10) in them. Not after "+" or "00", where another country's plan would apply.
    const international = plus || (count >= 2 && digits[0] === 0 && digits[1] === 0);
    if (!international) return count <= MAX_IMPOSSIBLE_DIGITS ? PHONE_NOT_POSSIBLE : null;
  }

  // Where the national significant number starts, by the shape of the digits.
  let start: number;
  if (plus) {
    // +44 NSN, or +44 (0) NSN: libphonenumber-js strips the national prefix 0.
    if (digits[0] !== 4 || digits[1] !== 4) return normalizeInternational(0, count);
    start = digits[2] === 0 ? 3 : 2;
  } else if (digits[0] === 0 && digits[1] === 0) {
    // 0044 NSN, 0044 (0) NSN: "00" is the UK's international prefix.
    if (digits[2] !== 4 || digits[3] !== 4) return normalizeInternational(2, count);
    start = digits[4] === 0 ? 5 : 4;
  } else if (digits[0] === 0) {
    // 0 NSN: national format.
    start = 1;
  } else if (digits[0] === 4 && digits[1] === 4) {
    // 44 NSN, 44 (0) NSN: a calling code without "+"; 12 or 13 digits are too long for a UK
    // national number, so libphonenumber-js takes the 44 as the calling code.
    start = digits[2] === 0 ? 3 : 2;
  } else {
    // NSN alone (a spreadsheet dropped the leading zero).
    start = 0;
  }
  if (count - start !== NSN_LENGTH) {
    // More than 10 digits dialled nationally (not starting 44, not after "+" or "00"): too
    // long for any GB national number, so not possible.
    return start <= 1 && !plus && count - start > NSN_LENGTH ? PHONE_NOT_POSSIBLE : null;
  }

  const d0 = digits[start]!;
  // A national number starts 1–9. 180020 is a national prefix for parsing in the GB
  // metadata: leave numbers starting 1800 to libphonenumber-js.
  if (d0 === 0) return null;
  if (d0 === 1 && digits[start + 1] === 8 && digits[start + 2] === 0 && digits[start + 3] === 0) return null;

  const nsn = String.fromCharCode(
    ZERO + d0,
    ZERO + digits[start + 1]!,
    ZERO + digits[start + 2]!,
    ZERO + digits[start + 3]!,
    ZERO + digits[start + 4]!,
    ZERO + digits[start + 5]!,
    ZERO + digits[start + 6]!,
    ZERO + digits[start + 7]!,
    ZERO + digits[start + 8]!,
    ZERO + digits[start + 9]!,
  );
  if (isValidGbNationalNumber(nsn)) return { ok: true, value: '+44' + nsn };
  return classifyShared44(nsn);
}

/** The countries sharing +44 in libphonenumber-js's order: GB (main), GG, IM, JE. */
const SHARED_44 = (metadata.country_calling_codes['44'] ?? []).map((country) => {
  const plan = compilePlan(country);
  const fields = (metadata.countries as unknown as Record<string, unknown[]>)[country]!;
  const leadingDigits = fields[10];
  return {
    plan,
    // libphonenumber-js: `nationalNumber.search(leadingDigits) === 0`, i.e. a match at the start.
    leadingDigits:
      typeof leadingDigits === 'string' && leadingDigits !== '' ? new RegExp('^(?:' + leadingDigits + ')') : undefined,
  };
});
if (SHARED_44[0]?.plan.callingCode !== '44' || SHARED_44[0].leadingDigits !== undefined) {
  throw new Error('libphonenumber-js metadata: unexpected +44 countries');
}

/**
 * A 10-digit +44 national number that is not valid in GB: libphonenumber-js gives it to the
 * first of GG, IM, JE whose leading digits match or whose number types match it, and judges
 * it by that country's plan; if none claims it, by GB's, where it is possible (10 digits) but
 * not valid. Declines (null) if the claiming plan does not admit 10 digits, where
 * libphonenumber-js's national prefix stripping would behave differently.
 */
function classifyShared44(nsn: string): PhoneResult | null {
  for (let k = 1; k < SHARED_44.length; k++) {
    const { plan, leadingDigits } = SHARED_44[k]!;
    const claims = leadingDigits ? leadingDigits.test(nsn) : isValidIn(plan, nsn);
    if (claims) {
      if (!plan.possibleLengths.includes(NSN_LENGTH)) return null;
      return isValidIn(plan, nsn) ? { ok: true, value: '+44' + nsn } : PHONE_NOT_VALID;
    }
  }
  return PHONE_NOT_VALID;
}

/**
 * Text without a digit ("", "n/a", "none", "ex-directory", "-"): blank after trimming, or not a
 * phone number. Only plain ASCII is answered here (libphonenumber-js also reads full-width
 * and Arabic-Indic digits), and only when there is no ASCII digit at all.
 */
function withoutDigits(raw: string): PhoneResult | null {
  let blank = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 128 || (c >= ZERO && c <= NINE)) return null;
    // String.prototype.trim's ASCII white space: tab, line feed, vertical tab, form feed,
    // carriage return and space.
    if (c !== SPACE && (c < TAB || c > 13)) blank = false;
  }
  return blank ? PHONE_EMPTY : PHONE_NOT_POSSIBLE;
}
