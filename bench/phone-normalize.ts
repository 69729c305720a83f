/**
 * Benchmark: phone normalization, fast path + fallback against libphonenumber-js alone.
 *
 *   npx tsx bench/phone-normalize.ts [--count 1000000] [--seed 1]
 *
 * Generates N realistic messy phone strings (generatePhone below, also used by
 * src/domain/phone-fast-path.test.ts), normalizes them all
 * with the baseline (normalizePhoneReference: libphonenumber-js with 'max' metadata) and with
 * normalizePhone (the fast path of src/domain/phone-fast-path.ts, falling back to the
 * baseline), asserts identical output on every input, and prints numbers/s for both, the
 * ratio, and the fast-path hit rate. Exits non-zero on any difference.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { normalizePhone, normalizePhoneReference } from '../src/domain/identifiers.js';
import { normalizeUkPhoneFast } from '../src/domain/phone-fast-path.js';

// ---------------------------------------------------------------------------------------
// The generator.
// ---------------------------------------------------------------------------------------

/**
 * Generates realistic messy phone strings, as found in campaign spreadsheets, with a seeded
 * PRNG so that the benchmark and the tests draw the same distribution. Shares:
 * 64% UK mobiles and 30.5% UK landlines / 03 numbers in many formats (national, +44, +44 (0),
 * 0044, 44, leading zero lost; spaces, dashes, dots, parentheses, padding); 0.5% other UK
 * numbers (drama ranges, 0800/0845/0870, Channel Islands and Isle of Man mobiles); 0.8%
 * international; 0.2% numbers with words (extensions, labels, two numbers); 4% junk (blank,
 * text, too few or too many digits) — 5% junk/international/annotated.
 */
export function createRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Allocated mobile blocks (07400–07999 minus the Channel Islands and Isle of Man blocks,
// which are in OTHER_UK), drawn uniformly; the remaining digits are random.
const MOBILE_PREFIXES = [
  '71',
  '72',
  '73',
  '740',
  '741',
  '742',
  '743',
  '744',
  '745',
  '746',
  '747',
  '748',
  '749',
  '751',
  '752',
  '753',
  '754',
  '755',
  '756',
  '757',
  '758',
  '759',
  '770',
  '771',
  '772',
  '773',
  '774',
  '775',
  '776',
  '777',
  '778',
  '779',
  '780',
  '784',
  '785',
  '786',
  '787',
  '788',
  '789',
  '790',
  '792',
  '794',
  '795',
  '796',
  '798',
  '799',
];
// Landline and 03 blocks in use (London, large cities, a few towns, 03 non-geographic).
const LANDLINE_PREFIXES = [
  '207',
  '208',
  '203',
  '1212',
  '1214',
  '1216',
  '161',
  '1132',
  '1134',
  '141',
  '1312',
  '1315',
  '2920',
  '2890',
  '1179',
  '151',
  '1142',
  '1159',
  '1223',
  '1865',
  '1904',
  '1273',
  '1392',
  '1603',
  '1752',
  '300',
  '303',
  '345',
  '330',
];
// UK numbers the fast path leaves to libphonenumber-js: drama ranges, freephone and special
// rate, Channel Islands and Isle of Man mobiles.
const OTHER_UK = ['7700900', '1632960', '800', '845', '870', '7781', '7624', '7911', '7797', '7839'];
const INTERNATIONAL = [
  '+33 6 12 34 56 78',
  '+1 415 555 2671',
  '+353 87 123 4567',
  '+49 30 123456',
  '+61 2 9876 5432',
  '0033 1 23 45 67 89',
];
// Numbers with words around them: always left to libphonenumber-js.
const ANNOTATED = [
  '07400 123456 (mobile)',
  '0161 496 0000 ext 23',
  'Tel 020 7946 0000',
  '07400 123456 / 01632 960123',
  'mob: 07400123456',
  '+44 7400 123456 x2',
];
const JUNK = [
  '',
  '',
  '',
  '   ',
  'n/a',
  'N/A',
  'none',
  '-',
  'ex-directory',
  'TBC',
  'see notes',
  'unknown',
  'no',
  '0',
  '123',
  '07911',
  'x',
  'refused',
  '?',
  '0791112345678901',
];

function digitsOf(rng: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(rng() * 10));
  return s;
}

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

/** Formats a 10-digit national significant number in one of the shapes seen in real lists. */
export function formatUk(rng: () => number, nsn: string): string {
  const sep = pick(rng, [' ', ' ', ' ', '', '-', '.']);
  const grouped =
    nsn[0] === '7'
      ? nsn.slice(0, 4) + sep + nsn.slice(4)
      : nsn[0] === '2'
        ? nsn.slice(0, 2) + sep + nsn.slice(2, 6) + sep + nsn.slice(6)
        : nsn.slice(0, 3) + sep + nsn.slice(3, 6) + sep + nsn.slice(6);
  const r = rng();
  let s: string;
  if (r < 0.5) s = '0' + grouped;
  else if (r < 0.6) s = '(0' + grouped.replace(sep, ') ');
  else if (r < 0.75) s = '+44 ' + grouped;
  else if (r < 0.83) s = '+44 (0)' + grouped;
  else if (r < 0.9) s = '0044 ' + grouped;
  else if (r < 0.94) s = '44 ' + grouped;
  else s = grouped;
  return rng() < 0.05 ? ' ' + s + ' ' : s;
}

export function generatePhone(rng: () => number): string {
  const r = rng();
  if (r < 0.64) {
    const p = pick(rng, MOBILE_PREFIXES);
    return formatUk(rng, p + digitsOf(rng, 10 - p.length));
  }
  if (r < 0.945) {
    const p = pick(rng, LANDLINE_PREFIXES);
    return formatUk(rng, p + digitsOf(rng, 10 - p.length));
  }
  if (r < 0.95) {
    const p = pick(rng, OTHER_UK);
    return formatUk(rng, p + digitsOf(rng, 10 - p.length));
  }
  if (r < 0.958) return pick(rng, INTERNATIONAL);
  if (r < 0.96) return pick(rng, ANNOTATED);
  return pick(rng, JUNK);
}

// ---------------------------------------------------------------------------------------
// The benchmark, when this file is run (not when the tests import the generator).
// ---------------------------------------------------------------------------------------

function main(): void {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' } },
  });
  const N = Number(values.count);
  const rng = createRng(Number(values.seed));
  const inputs: string[] = new Array<string>(N);
  for (let i = 0; i < N; i++) inputs[i] = generatePhone(rng);

  const key = (r: ReturnType<typeof normalizePhone>): string => (r.ok ? r.value : '!' + r.reason);

  // Warm up both paths.
  for (let i = 0; i < Math.min(N, 200_000); i++) normalizePhone(inputs[i]!);
  for (let i = 0; i < Math.min(N, 20_000); i++) normalizePhoneReference(inputs[i]!);

  let t = performance.now();
  const baseline: string[] = new Array<string>(N);
  for (let i = 0; i < N; i++) baseline[i] = key(normalizePhoneReference(inputs[i]!));
  const baselineMs = performance.now() - t;

  t = performance.now();
  const fast: string[] = new Array<string>(N);
  for (let i = 0; i < N; i++) fast[i] = key(normalizePhone(inputs[i]!));
  const fastMs = performance.now() - t;

  let hits = 0;
  for (let i = 0; i < N; i++) if (normalizeUkPhoneFast(inputs[i]!) !== null) hits++;

  let differences = 0;
  for (let i = 0; i < N; i++) {
    if (baseline[i] !== fast[i]) {
      if (differences < 10)
        console.error(`DIFFERENT: ${JSON.stringify(inputs[i])} → ${fast[i]} (libphonenumber-js: ${baseline[i]})`);
      differences++;
    }
  }

  const rate = (ms: number): string => Math.round(N / (ms / 1000)).toLocaleString('en-GB');
  console.log(`numbers:                    ${N.toLocaleString('en-GB')}`);
  console.log(`libphonenumber-js (baseline): ${rate(baselineMs)} numbers/s (${(baselineMs / 1000).toFixed(2)} s)`);
  console.log(`normalizePhone:               ${rate(fastMs)} numbers/s (${(fastMs / 1000).toFixed(2)} s)`);
  console.log(`ratio (baseline time / time): ${(baselineMs / fastMs).toFixed(1)}×`);
  console.log(
    `fast-path hit rate:           ${((100 * hits) / N).toFixed(3)}% (${(N - hits).toLocaleString('en-GB')} to libphonenumber-js)`,
  );
  console.log(`differences:                  ${differences}`);
  if (differences > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
