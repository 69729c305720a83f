/**
 * Generates a realistic, messy supporter CSV for the import benchmark (issue 3).
 *
 *   npx tsx bench/generate-supporters.ts [--rows 1000000] [--seed 1] [--out FILE]
 *
 * Deterministic: the same rows and seed give the same bytes. Streamed to the file in blocks
 * of rows (the 1M-row file is about 120 MB), never built as one string.
 *
 * What it contains, as a spreadsheet export from a campaign office would:
 * - a UTF-8 byte-order mark, comma-separated, CRLF line ends (Excel's "CSV UTF-8");
 * - names with apostrophes, hyphens and accents (O'Brien, Zoë, Siân, Müller), some in upper
 *   or lower case or padded with spaces;
 * - emails in mixed case, some padded; a few that are not email addresses (rejected);
 * - UK phones in `07…`, `+44 7…`, `+44 (0)20 …`, `0044 …`, `(01…) …` and other shapes, some
 *   international numbers, some impossible ones and junk ("n/a", too few digits: rejected),
 *   drawn from `generatePhone` of bench/phone-normalize.ts;
 * - UK postcodes in various spacing and case; a few invalid ones (rejected);
 * - quoted fields with commas ("Flat 2, 14 Mill Lane") and with embedded line breaks (notes,
 *   two-line addresses); some rows quoted throughout;
 * - blank lines, and rows of empty fields (",,,,,", a cleared spreadsheet row);
 * - about 5% rows that repeat an earlier person (another spelling of the email's case,
 *   another phone format, another tag): duplicates within the file;
 * - tag and list columns on some rows, a "Support score" attribute column, notes;
 * - about 1% rows with no identifier at all (no email, phone or postcode): rejected.
 *
 * Command-line use writes one file (and, with --copy-out FILE, the COPY baseline's file).
 *
 * A person is a pure function of (seed, person number), so a duplicate row re-derives the
 * earlier person instead of keeping every person in memory.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ColumnMappingEntry } from '../src/imports/column-mapping.js';
import { createRng, generatePhone } from './phone-normalize.js';

/** Bumped whenever the output changes, so cached files are regenerated. */
export const GENERATOR_VERSION = 1;

export const SUPPORTER_COLUMNS = [
  'First name',
  'Last name',
  'Email',
  'Phone',
  'Address line 1',
  'Address line 2',
  'Town',
  'Postcode',
  'Tags',
  'List',
  'Support score',
  'Notes',
] as const;

/** The mapping the benchmark imports with: every column. */
export const SUPPORTER_MAPPING: ColumnMappingEntry[] = [
  { column: 'First name', field: 'first_name' },
  { column: 'Last name', field: 'last_name' },
  { column: 'Email', field: 'email' },
  { column: 'Phone', field: 'phone' },
  { column: 'Address line 1', field: 'address_line1' },
  { column: 'Address line 2', field: 'address_line2' },
  { column: 'Town', field: 'town' },
  { column: 'Postcode', field: 'postcode' },
  { column: 'Tags', field: 'tag' },
  { column: 'List', field: 'list' },
  { column: 'Support score', field: 'attribute:support_score' },
  { column: 'Notes', field: 'note' },
];

export interface GeneratedFile {
  path: string;
  bytes: number;
  /** Data records (every CSV record after the header, empty-field rows included). */
  records: number;
  /** Blank lines (not records). */
  blankLines: number;
  /** Records whose fields are all empty. */
  emptyRecords: number;
  /** Records that repeat a person of an earlier record. */
  duplicates: number;
  /** Records of people generated without any identifier. */
  noIdentifier: number;
}

// prettier-ignore
const FIRST_NAMES = [
  'Oliver', 'George', 'Harry', 'Jack', 'Jacob', 'Noah', 'Charlie', 'Muhammad', 'Thomas', 'Oscar',
  'William', 'James', 'Leo', 'Alfie', 'Henry', 'Joshua', 'Freddie', 'Archie', 'Ethan', 'Isaac',
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Emily', 'Sophia', 'Grace', 'Mia', 'Poppy', 'Ella',
  'Lily', 'Evie', 'Isabella', 'Sophie', 'Ivy', 'Freya', 'Harper', 'Willow', 'Charlotte', 'Jessica',
  'Zoë', 'Siân', 'Seán', 'José', 'Chloé', 'Renée', 'Anaïs', 'Björn', 'Aoife', 'Niamh',
  'Ffion', 'Dafydd', 'Eilidh', 'Mairéad', 'Priya', 'Aarav', 'Fatima', 'Wei', 'Kwame', 'Jo-Anne',
  'Mary', 'John', 'Margaret', 'David', 'Susan', 'Peter', 'Janet', 'Michael', 'Patricia', 'Robert',
];
// prettier-ignore
const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright',
  'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke',
  'Patel', 'Khan', 'Ahmed', 'Singh', 'Begum', 'Hussain', 'Ali', 'Shah', 'Kaur', 'Chen',
  "O'Brien", "O'Connor", "O'Neill", "D'Souza", "McDonald", 'MacLeod', 'Müller', 'Núñez', 'Ó Súilleabháin', 'Llewellyn',
  'Smith-Jones', 'Bowes-Lyon', 'Fitzgerald', 'Murphy', 'Kelly', 'Byrne', 'Ryan', 'Lefèvre', 'Øvergaard', 'Nowak',
];
// prettier-ignore
const DOMAINS = [
  'gmail.com', 'gmail.com', 'gmail.com', 'hotmail.co.uk', 'hotmail.com', 'yahoo.co.uk', 'outlook.com',
  'btinternet.com', 'icloud.com', 'live.co.uk', 'sky.com', 'aol.com', 'virginmedia.com', 'talktalk.net',
  'example.org', 'nhs.net', 'ntlworld.com',
];
// prettier-ignore
const STREETS = [
  'High Street', 'Station Road', 'Main Street', 'Park Road', 'Church Road', 'Church Street', 'London Road',
  'Victoria Road', 'Green Lane', 'Manor Road', 'Church Lane', 'Park Avenue', 'The Avenue', 'The Crescent',
  "Queen's Road", "St John's Close", 'Mill Lane', 'Kings Road', 'New Road', 'Grange Road', 'Heol y Bont',
];
// prettier-ignore
const TOWNS = [
  'London', 'Birmingham', 'Manchester', 'Leeds', 'Sheffield', 'Glasgow', 'Edinburgh', 'Cardiff', 'Bristol',
  'Belfast', 'Newcastle upon Tyne', 'Nottingham', 'Oxford', 'Cambridge', 'Brighton', 'Exeter', 'Plymouth',
  'York', 'Coventry', 'Leicester', 'Reading', 'Aberdeen', "Bishop's Stortford", 'Stoke-on-Trent',
];
// prettier-ignore
const POSTCODE_AREAS = [
  'SW', 'SE', 'E', 'N', 'NW', 'W', 'EC', 'WC', 'B', 'M', 'L', 'LS', 'S', 'G', 'EH', 'CF', 'BS', 'BT',
  'NE', 'NG', 'OX', 'CB', 'BN', 'EX', 'PL', 'YO', 'CV', 'LE', 'RG', 'AB',
];
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const SUB_DISTRICT = 'ABEHMNPRVWXY';
const BAD_POSTCODES = ['N/A', 'SW1A 1A', '12345', 'LONDON', 'XX1 1XX', 'E1 1AAA', 'tbc'];
const BAD_EMAILS = ['@gmail.com', 'no email', 'n/a', 'jo.smith@gmail', 'jo smith@hotmail.com', 'jo.smith at gmail.com'];
const TAGS = ['volunteer', 'donor', 'poster site', 'deliverer', 'member', 'Volunteer', 'street leader'];
const LISTS = ['Newsletter', 'Street leaders', 'Phone bank', 'Fundraising'];
const NOTES = [
  'Met at the summer fete',
  'Prefers email, not phone',
  'Asked about bin collections, "very keen"',
  'Moved house; new address to follow',
  'Will display a poster\nCall after 6pm',
  'Signed the petition, wants updates, has a car',
  'Wheelchair user – ground floor meetings only',
];

interface Person {
  first: string;
  last: string;
  email: string | null;
  phone: string | null;
  address1: string;
  address2: string;
  town: string;
  postcode: string | null;
  score: string;
}

/** A hash of (seed, n) for a per-person PRNG seed. */
const personSeed = (seed: number, n: number): number =>
  Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35);

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** ASCII-folds and simplifies a name for an email local part. */
const asciiLocal = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/[^A-Za-z'-]/g, '')
    .toLowerCase();

function postcode(rng: () => number): string {
  const area = pick(rng, POSTCODE_AREAS);
  let district = String(1 + Math.floor(rng() * (area.length === 1 ? 9 : 20)));
  if (area.length === 2 && district.length === 1 && rng() < 0.1) district += pick(rng, [...SUB_DISTRICT]);
  const inward =
    String(Math.floor(rng() * 10)) +
    INWARD_LETTERS[Math.floor(rng() * INWARD_LETTERS.length)]! +
    INWARD_LETTERS[Math.floor(rng() * INWARD_LETTERS.length)]!;
  return `${area}${district} ${inward}`;
}

/** The person numbered n (0-based): a pure function of (seed, n). */
function personAt(seed: number, n: number): Person {
  const rng = createRng(personSeed(seed, n));
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const kind = rng();
  // 1%: no identifier at all; 4%: name and postcode only; 15%: phone only; the rest have an email.
  const noIdentifier = kind < 0.01;
  const namePostcodeOnly = !noIdentifier && kind < 0.05;
  const phoneOnly = !noIdentifier && !namePostcodeOnly && kind < 0.2;
  let email: string | null = null;
  if (!noIdentifier && !namePostcodeOnly && !phoneOnly) {
    if (rng() < 0.003) {
      email = pick(rng, BAD_EMAILS);
    } else {
      const f = asciiLocal(first);
      const l = asciiLocal(last);
      const style = rng();
      const local =
        style < 0.4 ? `${f}.${l}` : style < 0.6 ? `${f}${l}` : style < 0.8 ? `${f[0] ?? 'x'}.${l}` : `${f}_${l}`;
      // The person number keeps addresses unique across people.
      email = `${local}${n}@${pick(rng, DOMAINS)}`;
    }
  }
  let phone: string | null = null;
  if (phoneOnly || (!noIdentifier && !namePostcodeOnly && rng() < 0.55)) {
    phone = generatePhone(rng);
    // A phone-only person whose phone is blank or junk is a rejected row; keep most usable.
    if (phoneOnly && phone.trim() === '') phone = generatePhone(rng) || '07400 123456';
  }
  let pc: string | null = null;
  if (!noIdentifier && (namePostcodeOnly || rng() < 0.85))
    pc = rng() < 0.003 ? pick(rng, BAD_POSTCODES) : postcode(rng);
  const house = 1 + Math.floor(rng() * 250);
  const street = pick(rng, STREETS);
  const a = rng();
  const address1 =
    a < 0.1
      ? `Flat ${1 + Math.floor(rng() * 20)}, ${house} ${street}`
      : a < 0.13
        ? `Flat ${1 + Math.floor(rng() * 9)}\n${house} ${street}`
        : `${house} ${street}`;
  const address2 =
    rng() < 0.15 ? pick(rng, ['Marylebone', 'Headingley', 'Roath', 'Jesmond', 'Clifton', 'Morningside']) : '';
  const town = pc === null && rng() < 0.5 ? '' : pick(rng, TOWNS);
  const score = rng() < 0.4 ? String(1 + Math.floor(rng() * 5)) : '';
  return { first, last, email, phone, address1, address2, town, postcode: pc, score };
}

const NEEDS_QUOTES = /[",\r\n]/;

function field(value: string, quoteAll: boolean): string {
  if (quoteAll || NEEDS_QUOTES.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** Spreadsheet mess applied each time a person is written (so duplicates differ in form). */
function messName(rng: () => number, name: string): string {
  const r = rng();
  if (r < 0.03) return name.toUpperCase();
  if (r < 0.05) return name.toLowerCase();
  if (r < 0.08) return ` ${name} `;
  return name;
}

function messEmail(rng: () => number, email: string): string {
  const r = rng();
  if (r < 0.15) return email.charAt(0).toUpperCase() + email.slice(1);
  if (r < 0.2) return email.toUpperCase();
  if (r < 0.25) return ` ${email}`;
  if (r < 0.28) return `${email}  `;
  return email;
}

function messPostcode(rng: () => number, pc: string): string {
  const r = rng();
  if (r < 0.15) return pc.replace(' ', '');
  if (r < 0.25) return pc.toLowerCase();
  if (r < 0.3) return pc.replace(' ', '  ');
  if (r < 0.33) return ` ${pc.toLowerCase().replace(' ', '')} `;
  return pc;
}

function renderRow(rng: () => number, p: Person, quoteAll: boolean): string {
  const tag = rng() < 0.3 ? pick(rng, TAGS) : '';
  const list = rng() < 0.2 ? pick(rng, LISTS) : '';
  const note = rng() < 0.08 ? pick(rng, NOTES) : '';
  const values = [
    messName(rng, p.first),
    messName(rng, p.last),
    p.email === null ? '' : messEmail(rng, p.email),
    p.phone ?? '',
    p.address1,
    p.address2,
    p.town,
    p.postcode === null ? '' : messPostcode(rng, p.postcode),
    tag,
    list,
    p.score,
    note,
  ];
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += field(values[i]!, quoteAll);
  }
  return line;
}

/**
 * Writes an N-record supporter CSV to `path` (through a temporary file, renamed at the end,
 * so an interrupted run never leaves a truncated file behind). With `copyPath`, also writes
 * the same records without the BOM and the blank lines, which PostgreSQL's `COPY … (FORMAT
 * csv)` refuses: the benchmark's baseline loads that file.
 */
export async function writeSupporterCsv(
  path: string,
  rows: number,
  seed = 1,
  copyPath?: string,
): Promise<GeneratedFile> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  const copyPartial = copyPath === undefined ? undefined : `${copyPath}.${process.pid}.partial`;
  const copyOut = copyPartial === undefined ? undefined : createWriteStream(copyPartial);
  const rng = createRng(seed);
  const result: GeneratedFile = {
    path,
    bytes: 0,
    records: 0,
    blankLines: 0,
    emptyRecords: 0,
    duplicates: 0,
    noIdentifier: 0,
  };
  const EOL = '\r\n';
  let block = `\uFEFF${SUPPORTER_COLUMNS.join(',')}${EOL}`;
  let copyBlock = `${SUPPORTER_COLUMNS.join(',')}${EOL}`;
  let people = 0;
  for (let r = 0; r < rows; r++) {
    const roll = rng();
    let line: string;
    if (roll < 0.002) {
      line = ','.repeat(SUPPORTER_COLUMNS.length - 1) + EOL;
      result.emptyRecords++;
    } else {
      let p: Person;
      if (roll < 0.052 && people > 0) {
        p = personAt(seed, Math.floor(rng() * people));
        result.duplicates++;
      } else {
        p = personAt(seed, people++);
      }
      if (p.email === null && p.phone === null && p.postcode === null) result.noIdentifier++;
      line = renderRow(rng, p, rng() < 0.05) + EOL;
    }
    block += line;
    if (copyOut !== undefined) copyBlock += line;
    result.records++;
    if (rng() < 0.003) {
      block += rng() < 0.7 ? EOL : `  ${EOL}`;
      result.blankLines++;
    }
    if (block.length > 256 * 1024) {
      if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      block = '';
      if (copyOut !== undefined) {
        if (!copyOut.write(copyBlock)) await new Promise<void>((resolve) => copyOut.once('drain', () => resolve()));
        copyBlock = '';
      }
    }
  }
  out.end(block);
  await finished(out);
  if (copyOut !== undefined && copyPath !== undefined && copyPartial !== undefined) {
    copyOut.end(copyBlock);
    await finished(copyOut);
    await rename(copyPartial, copyPath);
  }
  await rename(partial, path);
  result.bytes = (await stat(path)).size;
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'supporters.csv' },
      'copy-out': { type: 'string' },
    },
  });
  const t = performance.now();
  const file = await writeSupporterCsv(values.out, Number(values.rows), Number(values.seed), values['copy-out']);
  console.log(JSON.stringify({ ...file, seconds: +((performance.now() - t) / 1000).toFixed(1) }));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
