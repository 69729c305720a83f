/**
 * Benchmark: a Meta customer-list export from the database to files, against a Python hashlib
 * loop over the same identifiers (issue 5, item 7).
 *
 *   npm run bench:audience -- [--people 1000000] [--postgres URL] [--pglite] [--hashing worker|inline]
 *                              [--keep] [--cpu-prof-dir DIR] [--memory-detail]
 *
 * 1. Setup (not timed): a scratch PostgreSQL database `canvass_bench_audience_<pid>` created
 *    through URL (default the local server) and migrated; a campaign and a source made with
 *    the use cases; N people inserted into `people` with COPY (secondary indexes dropped and
 *    rebuilt around it), as an import leaves them — canonical email and E.164 phone, names as
 *    written (accents, apostrophes, hyphens, titles; 27,000 distinct surnames), canonical UK
 *    postcode — then ANALYZE and CHECKPOINT. With --pglite, the same in an embedded PGlite data
 *    directory instead.
 * 2. Export (timed, in a child process of its own, so that its peak resident memory is the
 *    export's alone): a transaction in the campaign's row-level-security scope (role
 *    canvass_app, app.campaign_id), `COPY (SELECT email, phone, first_name, last_name,
 *    postcode FROM people …) TO STDOUT` streamed through pg-copy-streams (PGlite: a server-side
 *    cursor fetched 5,000 rows at a time), each row parsed into a person and handed in
 *    batches to `writeAudienceFiles` (src/audiences/audience-file-writer.ts) for Meta with
 *    email, phone, fn, ln, zip and country: normalization, SHA-256, numbered files, fsync,
 *    manifest. Timed from connecting to the database to the manifest on disk.
 * 3. Baseline (timed, same run): the identifiers the export hashed, already normalized,
 *    written one per line to a file (not timed), then bench/audience_hashlib.py — a plain
 *    Python loop of hashlib.sha256(line).hexdigest() over the file, once hashing only and once
 *    also writing each digest to a file. The run then checks that Python's digests, in order,
 *    are exactly the cells of the export's files.
 *
 * Reported: identifiers hashed per second end to end (hashed cells written / export time)
 * against Python's identifiers per second, the ratio, the export's per-phase times, the floor
 * of reading (the same COPY received and dropped), and the peak resident memory (VmHWM) of the
 * export process against Python's, with the export's resident memory after each tenth of the
 * people (flat: memory does not grow with the number of people).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { AudiencePerson, WriteAudienceFilesResult } from '../src/audiences/audience-file-writer.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createBenchCampaign } from './bench-campaign.js';
import { migrate } from '../src/db/migrate.js';
import { normalizeField } from '../src/domain/audiences/normalize.js';
import { PLATFORM_FILE_RULES, type AudienceField } from '../src/domain/audiences/platform-rules.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '1000000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    pglite: { type: 'boolean', default: false },
    hashing: { type: 'string', default: 'worker' },
    // PostgreSQL: the writer reads COPY text itself (copy), or takes person objects parsed here.
    input: { type: 'string', default: 'copy' },
    // Rounds of (export, Python hash-only loop), alternated: the machine is shared, so each
    // ratio compares two runs made moments apart, and the median ratio is the result.
    rounds: { type: 'string', default: '3' },
    // Export with the TypeScript sources (tsx) instead of the compiled dist/.
    'from-source': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    // Writes V8 CPU profiles of the export child (and its hashing thread) into this directory.
    'cpu-prof-dir': { type: 'string' },
    // Logs the export's memory (rss, V8 heap, external) after each tenth of the people.
    'memory-detail': { type: 'boolean', default: false },
    // Internal: run as the export child.
    'export-child': { type: 'boolean', default: false },
    engine: { type: 'string' },
    target: { type: 'string' },
    campaign: { type: 'string' },
    out: { type: 'string' },
  },
});

const FIELDS: AudienceField[] = ['email', 'phone', 'first_name', 'last_name', 'postcode', 'country'];
const SELECT = 'SELECT email, phone, first_name, last_name, postcode FROM people WHERE campaign_id = $1';
const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const log = (message: string): void => void process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------
// The people
// ---------------------------------------------------------------------------------------

// prettier-ignore
const FIRST_NAMES = [
  'Oliver', 'George', 'Harry', 'Amelia', 'Olivia', 'Isla', 'Muhammad', 'Jack', 'Mary', 'John',
  'Zoë', 'Siân', 'Seán', 'José', 'Chloé', 'Renée', 'Anaïs', 'Björn', 'Aoife', 'Niamh', 'Dafydd',
  'Eilidh', 'Mairéad', 'Priya', 'Fatima', 'Jo-Anne', 'Mary Ann', 'Dr Jo', 'Mr Wei', 'Kwame',
];
// prettier-ignore
const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Davies', 'Patel', 'Khan', 'Singh',
  "O'Brien", "O'Connor", "D'Souza", 'McDonald', 'Smith-Jones', 'Müller', 'Núñez', 'Ó Súilleabháin',
  'Lefèvre', 'Øvergaard', 'Bowes-Lyon', 'Chen', 'Begum', 'Llewellyn', 'Smith Jr', 'Evans OBE',
];
// prettier-ignore
const SYLLABLES = [
  'Ash', 'Bar', 'Cal', 'Dun', 'El', 'Far', 'Gar', 'Hol', 'Ing', 'Kel', 'Lan', 'Mor', 'Nor', 'Os', 'Pen',
  'Rad', 'Sel', 'Tre', 'Ul', 'Ven', 'Wick', 'Yar', 'ham', 'ton', 'ley', 'ford', 'by', 'wood', 'son', 'well',
];
// prettier-ignore
const DOMAINS = ['gmail.com', 'gmail.com', 'hotmail.co.uk', 'yahoo.co.uk', 'outlook.com', 'btinternet.com', 'icloud.com', 'sky.com'];
const AREAS = ['SW', 'SE', 'E', 'N', 'NW', 'W', 'EC', 'B', 'M', 'LS', 'S', 'G', 'EH', 'CF', 'BS', 'NE', 'OX', 'CB'];
const UNIT = 'ABDEFGHJLNPQRSTUWXYZ';
/** Mobile ranges valid in libphonenumber-js's metadata: 07900…, 07920…, 07940… */
const MOBILE = ['790', '792', '794', '795', '796', '797', '798', '799'];

/** A deterministic person n, as an import would have stored them. */
function personRow(n: number): string[] {
  let s = (Math.imul(n + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  const next = (k: number): number => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s % k;
  };
  const first = FIRST_NAMES[next(FIRST_NAMES.length)]!;
  // Surnames: 40% from the list above, 60% made of three syllables (27,000 of them), so the
  // export meets many distinct names, as a real list does.
  const last =
    next(10) < 4
      ? LAST_NAMES[next(LAST_NAMES.length)]!
      : SYLLABLES[next(30)]! + SYLLABLES[next(30)]!.toLowerCase() + SYLLABLES[next(30)]!.toLowerCase();
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  const email = `${local}${n}@${DOMAINS[next(DOMAINS.length)]!}`;
  const phone = `+44${MOBILE[n % MOBILE.length]!}${String(Math.floor(n / MOBILE.length)).padStart(7, '0')}`;
  const area = AREAS[next(AREAS.length)]!;
  const postcode = `${area}${1 + next(19)} ${next(10)}${UNIT[next(UNIT.length)]!}${UNIT[next(UNIT.length)]!}`;
  return [email, phone, first, last, postcode];
}

const uuidOf = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** The people as COPY text rows (no value holds a tab, newline or backslash). */
function* copyRows(campaignId: string, sourceId: string, first: number, end: number): Generator<string> {
  const now = new Date().toISOString();
  const CHUNK = 5000;
  for (let from = first; from < end; from += CHUNK) {
    let text = '';
    for (let n = from; n < Math.min(end, from + CHUNK); n++) {
      const [email, phone, first, last, postcode] = personRow(n);
      text += `${campaignId}\t${uuidOf(n)}\t${first}\t${last}\t${email}\t${phone}\t${postcode}\t${sourceId}\t${now}\t${now}\n`;
    }
    yield text;
  }
}
const COPY_PEOPLE =
  'COPY people (campaign_id, person_id, first_name, last_name, email, phone, postcode, first_source_id, created_at, updated_at) FROM STDIN';

// ---------------------------------------------------------------------------------------
// Setup
// ---------------------------------------------------------------------------------------

interface Setup {
  engine: 'postgres' | 'pglite';
  /** A PostgreSQL URL or a PGlite data directory. */
  target: string;
  campaignId: string;
  insertMs: number;
  cleanup(): Promise<void>;
}

async function createCampaignAndSource(db: Database): Promise<{ campaignId: string; sourceId: string }> {
  await migrate(db);
  const { campaignId, sourceId } = await createBenchCampaign(db, 'Audience');
  return { campaignId, sourceId };
}

async function setupPostgres(adminUrl: string, people: number): Promise<Setup> {
  const name = `canvass_bench_audience_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const cleanup = async (): Promise<void> => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  try {
    const db = await openDatabase({ kind: 'postgres', url: url.toString() });
    let ids: { campaignId: string; sourceId: string };
    try {
      ids = await createCampaignAndSource(db);
    } finally {
      await db.close();
    }
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const t = performance.now();
      // Setup only: the secondary indexes are built once after the load (a sorted build)
      // instead of row by row, then exist as the migrations define them.
      const indexes = await client.query<{ indexname: string; indexdef: string }>(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'people' AND indexname <> 'people_pkey'",
      );
      for (const index of indexes.rows) await client.query(`DROP INDEX ${index.indexname}`);
      await pipeline(
        Readable.from(copyRows(ids.campaignId, ids.sourceId, 0, people)),
        client.query(copyFrom(COPY_PEOPLE)),
      );
      for (const index of indexes.rows) await client.query(index.indexdef);
      const insertMs = performance.now() - t;
      // VACUUM as well: sets the rows' hint bits and the visibility map now, so neither the first
      // reader nor an autovacuum during the timed rounds does it.
      await client.query('VACUUM (ANALYZE) people');
      await client.query('CHECKPOINT');
      return { engine: 'postgres', target: url.toString(), campaignId: ids.campaignId, insertMs, cleanup };
    } finally {
      await client.end();
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function setupPGlite(people: number): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'canvass-bench-audience-pglite-'));
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const ids = await createCampaignAndSource(db);
      const pglite = (db.pool as unknown as { pglite: PGlite }).pglite;
      const t = performance.now();
      // COPY FROM '/dev/blob' reads one blob: inserted in blocks of 200,000 people.
      const BLOCK = 200_000;
      for (let from = 0; from < people; from += BLOCK) {
        const parts = [...copyRows(ids.campaignId, ids.sourceId, from, Math.min(people, from + BLOCK))];
        await pglite.query(COPY_PEOPLE.replace('STDIN', "'/dev/blob'"), [], { blob: new Blob(parts) });
      }
      const insertMs = performance.now() - t;
      await pglite.exec('ANALYZE people; CHECKPOINT');
      return { engine: 'pglite', target: dir, campaignId: ids.campaignId, insertMs, cleanup };
    } finally {
      await db.close();
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// The export (child process)
// ---------------------------------------------------------------------------------------

interface ReadTimings {
  waitMs: number;
  parseMs: number;
}

/** Undoes COPY text escapes (\\, \t, \n, \r and friends) in a field that has a backslash. */
function unescapeCopy(field: string): string {
  return field.replace(/\\(.)/g, (_, c: string) =>
    c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'b' ? '\b' : c === 'f' ? '\f' : c === 'v' ? '\v' : c,
  );
}

const copyField = (line: string, from: number, to: number): string | null => {
  if (to - from === 2 && line.charCodeAt(from) === 92 && line.charCodeAt(from + 1) === 78) return null; // \N
  const value = line.slice(from, to);
  return value.includes('\\') ? unescapeCopy(value) : value;
};

/** People from a COPY … TO STDOUT text stream, in batches of about `size`. */
async function* peopleFromCopy(
  stream: AsyncIterable<Buffer>,
  timings: ReadTimings,
  size = 1024,
): AsyncGenerator<AudiencePerson[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let batch: AudiencePerson[] = [];
  let t = performance.now();
  for await (const chunk of stream) {
    let now = performance.now();
    timings.waitMs += now - t;
    t = now;
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      const t1 = text.indexOf('\t', start);
      const t2 = text.indexOf('\t', t1 + 1);
      const t3 = text.indexOf('\t', t2 + 1);
      const t4 = text.indexOf('\t', t3 + 1);
      batch.push({
        email: copyField(text, start, t1),
        phone: copyField(text, t1 + 1, t2),
        firstName: copyField(text, t2 + 1, t3),
        lastName: copyField(text, t3 + 1, t4),
        postcode: copyField(text, t4 + 1, end),
      });
      start = end + 1;
    }
    rest = text.slice(start);
    if (batch.length >= size) {
      now = performance.now();
      timings.parseMs += now - t;
      yield batch;
      batch = [];
      t = performance.now();
    } else {
      now = performance.now();
      timings.parseMs += now - t;
      t = now;
    }
  }
  if (rest !== '') throw new Error('COPY output ended inside a row');
  if (batch.length > 0) yield batch;
}

/** People from a PGlite server-side cursor, 5,000 rows per FETCH. */
async function* peopleFromCursor(pglite: PGlite, timings: ReadTimings): AsyncGenerator<AudiencePerson[]> {
  for (;;) {
    let t = performance.now();
    const result = await pglite.query<{
      email: string | null;
      phone: string | null;
      first_name: string | null;
      last_name: string | null;
      postcode: string | null;
    }>('FETCH 5000 FROM people_export');
    const now = performance.now();
    timings.waitMs += now - t;
    t = now;
    if (result.rows.length === 0) return;
    const batch = result.rows.map((r) => ({
      email: r.email,
      phone: r.phone,
      firstName: r.first_name,
      lastName: r.last_name,
      postcode: r.postcode,
    }));
    timings.parseMs += performance.now() - t;
    yield batch;
  }
}

const RULE_DECISIONS = [
  'ONL-PLATFORM-ELIGIBILITY',
  'ONL-JOINT-CONTROLLER',
  'DPIA-HIGH-RISK',
  'TR-LIST-MATCHING-DISCLOSED',
  'DM-OBJECTION-ABSOLUTE',
].map((ruleId) => ({
  ruleId,
  outcome: 'allow' as const,
  explanation: 'benchmark: the gate is not part of this measurement',
}));

/**
 * The process's peak resident memory in KiB: VmHWM of /proc/self/status, which starts afresh
 * at exec (getrusage's ru_maxrss keeps the high-water mark of the forking parent on Linux).
 */
function peakRssKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS;
}

interface ChildResult {
  ms: number;
  maxRssKiB: number;
  rows: number;
  hashedCells: number;
  files: { name: string; rows: number; bytes: number; sha256: string }[];
  timings: Record<string, number>;
  /** Resident memory (MiB) after each tenth of the people, to show that it stays flat. */
  rssByTenth: number[];
}

async function exportChild(): Promise<void> {
  const engine = values.engine;
  const target = values.target!;
  const campaignId = values.campaign!;
  if (!/^[0-9a-f-]{36}$/.test(campaignId)) throw new Error('--campaign must be a uuid');
  const hashing = values.hashing === 'inline' ? 'inline' : 'worker';
  const read: ReadTimings = { waitMs: 0, parseMs: 0 };
  const people = Number(values.people);
  const rssByTenth: number[] = [];
  const onProgress = ({ peopleRead }: { peopleRead: number }): void => {
    while (rssByTenth.length < 10 && peopleRead >= ((rssByTenth.length + 1) * people) / 10) {
      const m = process.memoryUsage();
      rssByTenth.push(Math.round(m.rss / 2 ** 20));
      if (values['memory-detail']) {
        log(
          `rss ${m.rss >> 20} heapTotal ${m.heapTotal >> 20} heapUsed ${m.heapUsed >> 20} external ${m.external >> 20} arrayBuffers ${m.arrayBuffers >> 20}`,
        );
      }
    }
  };
  const base = {
    platform: 'meta' as const,
    fields: FIELDS,
    audience: { id: 'bench', name: 'Benchmark audience' },
    staffMember: { id: 'bench', name: 'Benchmark' },
    directory: values.out!,
    excluded: {},
    ruleDecisions: RULE_DECISIONS,
    hashing,
    onProgress,
  } as const;
  const t = performance.now();
  let result: WriteAudienceFilesResult;
  // The compiled writer, as `canvass` runs it (npm run build:server, done by the parent), or
  // with --from-source the TypeScript sources through tsx (whose loader also runs in the
  // hashing thread, and slows its start).
  const { writeAudienceFiles } = (
    values['from-source']
      ? await import('../src/audiences/audience-file-writer.js')
      : await import(new URL('../dist/audiences/audience-file-writer.js', import.meta.url).href)
  ) as typeof import('../src/audiences/audience-file-writer.js');
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      await client.query('BEGIN');
      // The campaign's row-level-security scope, as src/db/scope.ts enters it.
      await client.query(
        "SELECT set_config('app.campaign_id', $1, true), set_config('app.user_id', '', true), set_config('role', 'canvass_app', true)",
        [campaignId],
      );
      // A few MB of buffer lets the server run ahead while rows are being normalized.
      const stream = client.query(
        copyTo(`COPY (${SELECT.replace('$1', `'${campaignId}'`)}) TO STDOUT`, { highWaterMark: 4 << 20 }),
      );
      // The writer reads the COPY text itself (values in the stored canonical forms normalized from
      // their bytes); --input objects parses the rows into person objects here instead.
      result =
        values.input === 'objects'
          ? await writeAudienceFiles({ ...base, people: peopleFromCopy(stream, read) })
          : await writeAudienceFiles({
              ...base,
              copyText: { columns: ['email', 'phone', 'first_name', 'last_name', 'postcode'], chunks: stream },
            });
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  } else {
    const pglite = await PGlite.create(target);
    try {
      await pglite.query('BEGIN');
      await pglite.query(
        "SELECT set_config('app.campaign_id', $1, true), set_config('app.user_id', '', true), set_config('role', 'canvass_app', true)",
        [campaignId],
      );
      await pglite.query(`DECLARE people_export NO SCROLL CURSOR FOR ${SELECT.replace('$1', `'${campaignId}'`)}`);
      result = await writeAudienceFiles({ ...base, people: peopleFromCursor(pglite, read) });
      await pglite.query('COMMIT');
    } finally {
      await pglite.close();
    }
  }
  const ms = performance.now() - t;
  const m = result.manifest;
  const hashedCells =
    m.rowsWritten * FIELDS.length -
    Object.values(m.blankFields).reduce((sum, reasons) => sum + Object.values(reasons).reduce((a, b) => a + b, 0), 0);
  const timings = { ...result.timings };
  if (values.input === 'objects' || engine !== 'postgres') {
    timings['db: wait for rows'] = read.waitMs;
    timings['main: parse rows into people'] = read.parseMs;
  }
  const childResult: ChildResult = {
    ms,
    maxRssKiB: peakRssKiB(),
    rows: m.rowsWritten,
    hashedCells,
    files: m.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
    timings,
    rssByTenth,
  };
  process.stdout.write(JSON.stringify(childResult) + '\n');
}

// ---------------------------------------------------------------------------------------
// The parent: setup, child, Python, checks
// ---------------------------------------------------------------------------------------

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

async function runExport(setup: Setup, out: string, people: number): Promise<ChildResult> {
  const self = fileURLToPath(import.meta.url);
  const profile = values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`] : [];
  const output = await run(process.execPath, [
    ...process.execArgv,
    ...profile,
    self,
    '--export-child',
    '--engine',
    setup.engine,
    '--target',
    setup.target,
    '--campaign',
    setup.campaignId,
    '--out',
    out,
    '--hashing',
    values.hashing ?? 'worker',
    '--input',
    values.input ?? 'copy',
    ...(values['from-source'] ? ['--from-source'] : []),
    '--people',
    String(people),
    ...(values['memory-detail'] ? ['--memory-detail'] : []),
  ]);
  return JSON.parse(output.trim().split('\n').pop()!) as ChildResult;
}

/**
 * The floor of reading: the same COPY in the same scope, its bytes received and dropped (no
 * parsing, no people). PostgreSQL only: what the database and the driver cost alone.
 */
async function copyFloor(setup: Setup): Promise<{ ms: number; bytes: number }> {
  const client = new pg.Client({ connectionString: setup.target });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      "SELECT set_config('app.campaign_id', $1, true), set_config('app.user_id', '', true), set_config('role', 'canvass_app', true)",
      [setup.campaignId],
    );
    const t = performance.now();
    let bytes = 0;
    const stream = client.query(copyTo(`COPY (${SELECT.replace('$1', `'${setup.campaignId}'`)}) TO STDOUT`));
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    const ms = performance.now() - t;
    await client.query('COMMIT');
    return { ms, bytes };
  } finally {
    await client.end();
  }
}

/** The identifiers the export hashed, normalized, one per line, in the order of the file's cells. */
async function writeIdentifiers(setup: Setup, path: string): Promise<number> {
  const rules = FIELDS.map((field) => PLATFORM_FILE_RULES.meta.fields.find((r) => r.field === field)!);
  const out = createWriteStream(path);
  let count = 0;
  const emit = async (people: AudiencePerson[]): Promise<void> => {
    let text = '';
    for (const p of people) {
      const raw = [p.email, p.phone, p.firstName, p.lastName, p.postcode, 'GB'];
      for (let k = 0; k < rules.length; k++) {
        const value = raw[k];
        if (value === null || value === undefined) continue;
        const r = normalizeField(rules[k]!, value, 'GB');
        if (r.ok) {
          text += r.value + '\n';
          count++;
        }
      }
    }
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const read: ReadTimings = { waitMs: 0, parseMs: 0 };
  if (setup.engine === 'postgres') {
    const client = new pg.Client({ connectionString: setup.target });
    await client.connect();
    try {
      const stream = client.query(copyTo(`COPY (${SELECT.replace('$1', `'${setup.campaignId}'`)}) TO STDOUT`));
      for await (const people of peopleFromCopy(stream, read)) await emit(people);
    } finally {
      await client.end();
    }
  } else {
    const pglite = await PGlite.create(setup.target);
    try {
      await pglite.query('BEGIN');
      await pglite.query(`DECLARE people_export NO SCROLL CURSOR FOR ${SELECT.replace('$1', `'${setup.campaignId}'`)}`);
      for await (const people of peopleFromCursor(pglite, read)) await emit(people);
      await pglite.query('COMMIT');
    } finally {
      await pglite.close();
    }
  }
  out.end();
  await finished(out);
  return count;
}

/** SHA-256 of "cell\n" for every non-empty cell of the export's CSV files, in order. */
async function digestOfCells(dir: string, files: string[]): Promise<{ digest: string; cells: number }> {
  const digest = createHash('sha256');
  let cells = 0;
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(join(dir, file), { highWaterMark: 1 << 20 }) });
    let header = true;
    for await (const line of lines) {
      if (header) {
        header = false;
        continue;
      }
      for (const cell of line.split(',')) {
        if (cell === '') continue;
        digest.update(cell + '\n');
        cells++;
      }
    }
  }
  return { digest: digest.digest('hex'), cells };
}

async function digestOfFile(path: string): Promise<string> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) digest.update(chunk as Buffer);
  return digest.digest('hex');
}

interface PythonResult {
  identifiers: number;
  seconds: number;
  maxRssKiB: number;
}

async function python(args: string[]): Promise<PythonResult> {
  const script = fileURLToPath(new URL('./audience_hashlib.py', import.meta.url));
  const output = await run('python3', [script, ...args]);
  return JSON.parse(output.trim()) as PythonResult;
}

interface Round {
  exported: ChildResult;
  pyHash: PythonResult;
  /** Identifiers hashed per second, export and Python. */
  rate: number;
  pyRate: number;
  ratio: number;
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function measure(setup: Setup, people: number, rounds: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'canvass-bench-audience-'));
  try {
    const out = join(work, 'export');
    log('identifiers for the Python baseline (not timed) …');
    const identifiersPath = join(work, 'identifiers.txt');
    const count = await writeIdentifiers(setup, identifiersPath);
    const identifierBytes = (await stat(identifiersPath)).size;

    // Rounds: the export, then the Python loop over the same identifiers, moments apart.
    const results: Round[] = [];
    for (let round = 1; round <= rounds; round++) {
      const dir = round === 1 ? out : join(work, `export-${round}`);
      log(`round ${round} of ${rounds}: export of ${fmt(people)} people to a Meta file (${setup.engine}) …`);
      const exported = await runExport(setup, dir, people);
      if (count !== exported.hashedCells)
        throw new Error(`${count} identifiers for Python, ${exported.hashedCells} hashed cells`);
      const rate = (exported.hashedCells / exported.ms) * 1000;
      log(`  ${fmt(exported.hashedCells)} identifiers hashed in ${seconds(exported.ms)}: ${fmt(rate)}/s`);
      if (round > 1) {
        // The same files as round 1's, byte for byte (by their SHA-256); then removed.
        const first = results[0]!.exported.files.map((f) => f.sha256).join();
        if (exported.files.map((f) => f.sha256).join() !== first) throw new Error(`round ${round} wrote other files`);
        await rm(dir, { recursive: true, force: true });
      }
      log(`round ${round} of ${rounds}: Python hashlib, hashing only …`);
      const pyHash = await python([identifiersPath]);
      const pyRate = pyHash.identifiers / pyHash.seconds;
      log(`  ${fmt(pyHash.identifiers)} identifiers in ${seconds(pyHash.seconds * 1000)}: ${fmt(pyRate)}/s`);
      results.push({ exported, pyHash, rate, pyRate, ratio: rate / pyRate });
    }
    const floor = setup.engine === 'postgres' ? await copyFloor(setup) : null;
    log('Python hashlib: hashing and writing the digests …');
    const digestsPath = join(work, 'python-digests.txt');
    const pyWrite = await python([identifiersPath, digestsPath]);
    log('checking the export against Python …');
    const files = (await readdir(out)).filter((f) => f.endsWith('.csv')).sort();
    const ours = await digestOfCells(out, files);
    const theirs = await digestOfFile(digestsPath);
    const identical = ours.digest === theirs && ours.cells === pyWrite.identifiers;

    // The round whose ratio is the median reports the details.
    const ratio = median(results.map((r) => r.ratio));
    const typical = results.reduce((best, r) => (Math.abs(r.ratio - ratio) < Math.abs(best.ratio - ratio) ? r : best));
    const { exported, pyHash, rate, pyRate } = typical;
    const pyWriteRate = pyWrite.identifiers / pyWrite.seconds;
    const total = Object.entries(exported.timings).sort((a, b) => b[1] - a[1]);
    console.log(
      `\n${setup.engine === 'postgres' ? 'PostgreSQL (local server)' : 'PGlite (on disk)'}, ${fmt(people)} people, hashing ${values.hashing}, input ${setup.engine === 'postgres' ? values.input : 'objects (cursor)'}, ${rounds} round(s)`,
    );
    console.log(
      `  setup: COPY + indexes       ${fmt((people / setup.insertMs) * 1000)} rows/s (${seconds(setup.insertMs)})`,
    );
    for (const [k, r] of results.entries()) {
      console.log(
        `  round ${k + 1}: export ${fmt(r.rate)}/s (${seconds(r.exported.ms)}), Python hash only ${fmt(r.pyRate)}/s (${seconds(r.pyHash.seconds * 1000)}): ${r.ratio.toFixed(2)}×`,
      );
    }
    console.log(
      `  export end to end           ${fmt(rate)} identifiers/s (${fmt(exported.hashedCells)} in ${seconds(exported.ms)}; ${fmt(exported.rows)} rows, ${exported.files.length} file(s), ${(exported.files.reduce((a, f) => a + f.bytes, 0) / 1e6).toFixed(1)} MB)`,
    );
    console.log(
      `  Python hashlib, hash only   ${fmt(pyRate)} identifiers/s (${seconds(pyHash.seconds * 1000)}; file of ${(identifierBytes / 1e6).toFixed(1)} MB)`,
    );
    console.log(`  Python hashlib, hash+write  ${fmt(pyWriteRate)} identifiers/s (${seconds(pyWrite.seconds * 1000)})`);
    if (floor !== null) {
      console.log(
        `  floor: the COPY alone       ${seconds(floor.ms)} (${(floor.bytes / 1e6).toFixed(1)} MB received and dropped, same scope)`,
      );
    }
    console.log(
      `  ratio, median of rounds     ${ratio.toFixed(2)}×   (this round's export / hash+write) ${(rate / pyWriteRate).toFixed(2)}×`,
    );
    const peak = Math.max(...results.map((r) => r.exported.maxRssKiB));
    console.log(
      `  peak RSS                    export ${fmt(peak / 1024)} MiB; Python ${fmt(pyHash.maxRssKiB / 1024)} MiB`,
    );
    console.log(`  export RSS by tenth (MiB)   ${exported.rssByTenth.join(' ')}`);
    console.log(`  digests identical to Python ${identical ? 'yes' : 'NO'} (${fmt(ours.cells)} cells)`);
    console.log("  where this round's export spent its time (main thread and hashing thread run at the same time)");
    for (const [phase, ms] of total) console.log(`    ${phase.padEnd(44)} ${seconds(ms).padStart(9)}`);
    console.log(
      `  JSON ${JSON.stringify({ engine: setup.engine, people, rounds: results.map((r) => ({ exportMs: r.exported.ms, pythonMs: r.pyHash.seconds * 1000, ratio: r.ratio })), ratio, exported, floor, pyHash, pyWrite, identical })}`,
    );
    if (!identical) throw new Error('the export differs from Python hashlib');
  } finally {
    if (values.keep) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (values['export-child']) {
    await exportChild();
    return;
  }
  const people = Number(values.people);
  if (!Number.isSafeInteger(people) || people < 1) throw new Error('--people must be a positive integer');
  if (values.hashing !== 'worker' && values.hashing !== 'inline') throw new Error('--hashing must be worker or inline');
  if (values.input !== 'copy' && values.input !== 'objects') throw new Error('--input must be copy or objects');
  const rounds = Number(values.rounds);
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  if (!values['from-source']) {
    log('compiling the server (npm run build:server) …');
    await run('npm', ['run', '--silent', 'build:server']);
  }
  log(`setting up ${fmt(people)} people …`);
  const setup = values.pglite ? await setupPGlite(people) : await setupPostgres(values.postgres, people);
  try {
    log(`  inserted in ${seconds(setup.insertMs)}`);
    await measure(setup, people, rounds);
  } finally {
    await setup.cleanup();
  }
}

await main();
