/**
 * Benchmark: a people import end to end against a plain COPY of the same rows (issue 3, item 7).
 *
 *   npm run bench:import -- [--rows 1000000] [--seed 1] [--pglite] [--postgres URL]
 *
 * `--pglite` measures embedded PGlite (on disk, in a temporary directory); `--postgres URL`
 * measures a PostgreSQL server, in a scratch database `canvass_bench_<pid>` created through
 * URL and dropped at the end. With neither, PGlite alone. For each database, in the same run:
 *
 * 1. Baseline: the generated rows (every CSV column as text) loaded with a plain `COPY` into a
 *    bare table with no index, no key and no constraint — `COPY … FROM STDIN (FORMAT csv)` on
 *    PostgreSQL (pg-copy-streams), `COPY … FROM '/dev/blob'` on PGlite. The COPY input is the
 *    same records without the BOM and the blank lines (COPY refuses blank lines).
 * 2. End to end: the real import — a campaign, a web-form source, `createPathImport` (preview,
 *    SHA-256 of the file, import rules, job enqueued) and the job runner executing
 *    src/jobs/import-job.ts to completion. Timed from createPathImport to the import's status
 *    'completed'. Checks that the summary accounts for every record.
 * 3. Phases, measured alone on the same file after the import (warm): parse (readCsv, in
 *    batches), and parse + prepare (column mapping, normalization of emails, phones and
 *    postcodes, name+postcode keys, suppression HMACs: `prepareRecord`). The rest of the
 *    end-to-end time is the database work (matching queries and set-based writes) and the
 *    job's own overhead (a second SHA-256 of the file, report chunks, checkpoints).
 *
 * The file is generated once per (rows, seed, generator version) into the system temporary
 * directory (canvass-bench/) and reused. The machine is shared: compare the ratios.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { Parser } from 'csv-parse';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AppDeps, Principal } from '../src/app/context.js';
import { createPathImport, getImport, type ImportView } from '../src/app/imports.js';
import { suppressionHasher } from '../src/app/suppression.js';
import { openDatabase, withClient, type Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { inCampaign } from '../src/db/scope.js';
import { resolveColumnMapping } from '../src/imports/column-mapping.js';
import { importProfile, prepareRecord, type ImportContext } from '../src/imports/engine.js';
import { readCsv } from '../src/imports/read-csv.js';
import { installJobSchema } from '../src/jobs/boss.js';
import { JOBS } from '../src/jobs/registry.js';
import { createJobRunner } from '../src/jobs/runner.js';
import { createBenchCampaign } from './bench-campaign.js';
import {
  GENERATOR_VERSION,
  SUPPORTER_COLUMNS,
  SUPPORTER_MAPPING,
  writeSupporterCsv,
  type GeneratedFile,
} from './generate-supporters.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    pglite: { type: 'boolean', default: false },
    postgres: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const SEED = Number(values.seed);
if (!Number.isSafeInteger(ROWS) || ROWS < 1) throw new Error('--rows must be a positive integer');

const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const log = (message: string): void => void process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------------------

interface BenchFile extends GeneratedFile {
  copyPath: string;
}

async function benchFile(): Promise<BenchFile> {
  const dir = join(tmpdir(), 'canvass-bench');
  const path = join(dir, `supporters-v${GENERATOR_VERSION}-s${SEED}-${ROWS}.csv`);
  const copyPath = path.replace(/\.csv$/, '.copy.csv');
  const metaPath = path.replace(/\.csv$/, '.json');
  if (existsSync(path) && existsSync(copyPath) && existsSync(metaPath)) {
    return { ...(JSON.parse(await readFile(metaPath, 'utf8')) as GeneratedFile), copyPath };
  }
  log(`generating ${fmt(ROWS)} rows into ${path} …`);
  const t = performance.now();
  const file = await writeSupporterCsv(path, ROWS, SEED, copyPath);
  await writeFile(metaPath, JSON.stringify(file));
  log(`  generated ${(file.bytes / 1e6).toFixed(1)} MB in ${seconds(performance.now() - t)}`);
  return { ...file, copyPath };
}

// ---------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------

interface Result {
  label: string;
  copyRows: number;
  copyMs: number;
  floorMs: number;
  importMs: number;
  summary: NonNullable<ImportView['summary']>;
  rawParseMs: number;
  parseMs: number;
  prepareMs: number;
  profile: [string, number][];
}

const COPY_TABLE = `CREATE TABLE bench_copy (${SUPPORTER_COLUMNS.map((_, i) => `c${i} text`).join(', ')})`;
const COPY_SQL = 'COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)';
/**
 * The floor: the same COPY into the same table with two plain b-tree indexes, on the Email and
 * Phone columns — the least any importer must maintain per row to find a person by email or
 * phone in the database (matching duplicates against the database is part of the task).
 * Not unique (the raw file repeats people), otherwise the cheapest index there is.
 */
const FLOOR_INDEXES = 'CREATE INDEX ON bench_copy (c2); CREATE INDEX ON bench_copy (c3)';

async function copyPostgres(url: string, file: BenchFile, indexes = ''): Promise<{ rows: number; ms: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(COPY_TABLE);
    if (indexes) await client.query(indexes);
    const t = performance.now();
    const stream = client.query(copyFrom(COPY_SQL));
    await pipeline(createReadStream(file.copyPath, { highWaterMark: 1024 * 1024 }), stream);
    const ms = performance.now() - t;
    const rows = Number(stream.rowCount);
    await client.query('DROP TABLE bench_copy');
    await client.query('CHECKPOINT');
    return { rows, ms };
  } finally {
    await client.end();
  }
}

async function copyPGlite(db: Database, file: BenchFile, indexes = ''): Promise<{ rows: number; ms: number }> {
  // The embedded engine behind the pool (src/db/client.ts keeps it as `pglite`).
  const pglite = (db.pool as unknown as { pglite: PGlite }).pglite;
  const blob = new Blob([await readFile(file.copyPath)]);
  await pglite.exec(COPY_TABLE);
  if (indexes) await pglite.exec(indexes);
  const t = performance.now();
  const result = await pglite.query(COPY_SQL.replace('STDIN', "'/dev/blob'"), [], { blob });
  const ms = performance.now() - t;
  const rows = result.affectedRows ?? 0;
  await pglite.exec('DROP TABLE bench_copy; CHECKPOINT');
  return { rows, ms };
}

async function endToEnd(
  db: Database,
  file: BenchFile,
): Promise<{ ms: number; view: ImportView; deps: AppDeps; principal: Principal; campaignId: string }> {
  const { deps, principal, campaignId, sourceId } = await createBenchCampaign(db, 'Import', {
    // The "Support score" column is a political opinion (special category data).
    art9Condition: 'Explicit consent on the sign-up form (UK GDPR Art 9(2)(a))',
  });
  const runner = createJobRunner({ db, jobs: JOBS, pollIntervalMs: 500, progressIntervalMs: 2000 });
  await runner.start();
  try {
    const t = performance.now();
    const created = await createPathImport(
      deps,
      principal,
      campaignId,
      { path: file.path, sourceId, mapping: SUPPORTER_MAPPING },
      runner,
    );
    if (created.import.status !== 'queued') {
      throw new Error(
        `the import was not queued: ${created.import.status} ${JSON.stringify(created.import.decisions)}`,
      );
    }
    let view = created.import;
    let lastLog = performance.now();
    while (!['completed', 'failed', 'cancelled'].includes(view.status)) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      view = await getImport(deps, principal, campaignId, view.id);
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        const done = view.progress?.done ?? 0;
        log(
          `  … ${fmt(done)} records after ${seconds(performance.now() - t)} (${fmt(done / ((performance.now() - t) / 1000))}/s)`,
        );
      }
    }
    const ms = performance.now() - t;
    if (view.status !== 'completed') throw new Error(`the import ended ${view.status}`);
    return { ms, view, deps, principal, campaignId };
  } finally {
    await runner.stop({ graceful: true, timeoutMs: 10_000 });
  }
}

/** csv-parse alone over the file (strings, the reader's options, records counted and dropped). */
async function rawCsvParse(file: BenchFile): Promise<number> {
  class Counting extends Parser {
    records = 0;
    override push(chunk: unknown, encoding?: BufferEncoding): boolean {
      if (chunk === null) return super.push(null, encoding);
      this.records++;
      return true;
    }
  }
  const parser = new Counting({
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: 1024 * 1024,
  });
  parser.resume();
  const t = performance.now();
  for await (const chunk of createReadStream(file.path, { highWaterMark: 1024 * 1024 })) parser.write(chunk as Buffer);
  await new Promise<void>((resolve) => parser.end(() => resolve()));
  const ms = performance.now() - t;
  // The header and the whitespace-only lines are records to csv-parse.
  if (parser.records < file.records) throw new Error(`csv-parse: ${parser.records} records`);
  return ms;
}

/** csv-parse alone, parse, then parse + prepareRecord, on the same file (the import has warmed them up). */
async function phases(
  db: Database,
  campaignId: string,
  file: BenchFile,
): Promise<{ rawParseMs: number; parseMs: number; prepareMs: number }> {
  // Best of two each, alternating: the machine is shared.
  let rawParseMs = Infinity;
  let parseMs = Infinity;
  for (let round = 0; round < 2; round++) {
    rawParseMs = Math.min(rawParseMs, await rawCsvParse(file));
    const start = performance.now();
    let n = 0;
    const csv = await readCsv(createReadStream(file.path, { highWaterMark: 1024 * 1024 }));
    for await (const batch of csv.batches(1000)) n += batch.length;
    parseMs = Math.min(parseMs, performance.now() - start);
    if (n !== file.records) throw new Error(`parse: ${n} records, expected ${file.records}`);
  }

  const mapping = resolveColumnMapping([...SUPPORTER_COLUMNS], SUPPORTER_MAPPING);
  if (!mapping.ok) throw new Error('the benchmark mapping does not fit its file');
  const ctx = await inCampaign(db, campaignId, async (tx): Promise<ImportContext> => {
    const defs = await tx
      .selectFrom('attribute_definitions')
      .select(['name', 'special_category', 'kind'])
      .where('campaign_id', '=', campaignId)
      .execute();
    return {
      campaignId,
      importId: '00000000-0000-0000-0000-000000000000',
      sourceId: '00000000-0000-0000-0000-000000000000',
      mapping: mapping.value,
      hasher: await suppressionHasher(tx, campaignId),
      provenance: { provided: 1, observed: 2, inferred: 3 },
      attributes: new Map(defs.map((d) => [d.name, { specialCategory: d.special_category, kind: d.kind }])),
      art14DueAt: null,
      now: new Date(),
      tagIds: new Map(),
      listIds: new Map(),
    };
  });
  const t = performance.now();
  let rows = 0;
  const csv2 = await readCsv(createReadStream(file.path, { highWaterMark: 1024 * 1024 }));
  for await (const batch of csv2.batches(1000)) for (const r of batch) if (prepareRecord(ctx, r).type === 'row') rows++;
  const prepareMs = performance.now() - t;
  if (rows === 0) throw new Error('prepare: no rows');
  return { rawParseMs, parseMs, prepareMs };
}

async function measure(
  label: string,
  db: Database,
  file: BenchFile,
  copy: (indexes?: string) => Promise<{ rows: number; ms: number }>,
): Promise<Result> {
  log(`${label}: COPY baseline …`);
  const baseline = await copy();
  log(
    `  COPY ${fmt(baseline.rows)} rows in ${seconds(baseline.ms)} (${fmt((baseline.rows / baseline.ms) * 1000)} rows/s)`,
  );
  log(`${label}: COPY floor (the same, with an index on Email and one on Phone) …`);
  const floor = await copy(FLOOR_INDEXES);
  log(`  COPY ${fmt(floor.rows)} rows in ${seconds(floor.ms)} (${fmt((floor.rows / floor.ms) * 1000)} rows/s)`);
  log(`${label}: import end to end …`);
  importProfile.clear();
  process.env.CANVASS_IMPORT_PROFILE = '1';
  const e2e = await endToEnd(db, file);
  process.env.CANVASS_IMPORT_PROFILE = '0';
  const profile = [...importProfile].sort((a, b) => b[1] - a[1]);
  const summary = e2e.view.summary!;
  log(
    `  import ${fmt(summary.total)} records in ${seconds(e2e.ms)} (${fmt((summary.total / e2e.ms) * 1000)} rows/s): ${JSON.stringify(summary)}`,
  );
  if (summary.total !== file.records)
    throw new Error(`the import accounted for ${summary.total} of ${file.records} records`);
  const sum = summary.created + summary.merged + summary.suppressed + summary.rejected + summary.skipped;
  if (sum !== summary.total) throw new Error(`the outcomes add up to ${sum}, not ${summary.total}`);
  log(`${label}: phases …`);
  const p = await phases(db, e2e.campaignId, file);
  return {
    label,
    copyRows: baseline.rows,
    copyMs: baseline.ms,
    floorMs: floor.ms,
    importMs: e2e.ms,
    summary,
    rawParseMs: p.rawParseMs,
    parseMs: p.parseMs,
    prepareMs: p.prepareMs,
    profile,
  };
}

async function prepareDatabase(db: Database): Promise<void> {
  await migrate(db);
  await installJobSchema(db);
  await withClient(db, (c) => c.query('SELECT 1'));
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------

const file = await benchFile();
log(
  `file: ${fmt(file.records)} records, ${(file.bytes / 1e6).toFixed(1)} MB, ${fmt(file.blankLines)} blank lines, ` +
    `${fmt(file.duplicates)} repeated people, ${fmt(file.noIdentifier)} without identifier, ${fmt(file.emptyRecords)} empty`,
);
const results: Result[] = [];

if (values.pglite || values.postgres === undefined) {
  const dir = await mkdtemp(join(tmpdir(), 'canvass-bench-pglite-'));
  const db = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    await prepareDatabase(db);
    results.push(await measure('PGlite (on disk)', db, file, (indexes) => copyPGlite(db, file, indexes)));
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (values.postgres !== undefined) {
  const name = `canvass_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(values.postgres);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString() });
  try {
    await prepareDatabase(db);
    results.push(
      await measure('PostgreSQL (local server)', db, file, (indexes) => copyPostgres(url.toString(), file, indexes)),
    );
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

console.log(`\n${fmt(file.records)} records (${(file.bytes / 1e6).toFixed(1)} MB), seed ${SEED}`);
for (const r of results) {
  const copyRate = (r.copyRows / r.copyMs) * 1000;
  const importRate = (r.summary.total / r.importMs) * 1000;
  const dbMs = r.importMs - r.prepareMs;
  console.log(`\n${r.label}`);
  console.log(`  baseline COPY        ${fmt(copyRate)} rows/s (${fmt(r.copyRows)} rows in ${seconds(r.copyMs)})`);
  const floorRate = (r.copyRows / r.floorMs) * 1000;
  console.log(
    `  floor: COPY + 2 idx  ${fmt(floorRate)} rows/s (${seconds(r.floorMs)}): ${((100 * floorRate) / copyRate).toFixed(1)}% of COPY`,
  );
  console.log(`  import end to end    ${fmt(importRate)} rows/s (${seconds(r.importMs)})`);
  console.log(`  ratio                ${((100 * importRate) / copyRate).toFixed(1)}% of COPY`);
  console.log(`  outcomes             ${JSON.stringify(r.summary)}`);
  console.log(
    `  reader               readCsv ${fmt((r.summary.total / r.parseMs) * 1000)} rows/s, csv-parse alone ` +
      `${fmt((r.summary.total / r.rawParseMs) * 1000)} rows/s (readCsv at ${((100 * r.rawParseMs) / r.parseMs).toFixed(0)}% of it)`,
  );
  console.log(
    `  phases               parse ${seconds(r.parseMs)} (${fmt((r.summary.total / r.parseMs) * 1000)} rows/s), ` +
      `normalize + hash ${seconds(r.prepareMs - r.parseMs)}, ` +
      `database and job ${seconds(dbMs)} (${((100 * dbMs) / r.importMs).toFixed(0)}% of the import)`,
  );
  console.log("  where the import spent its time (the job's stopwatch; 'engine' sums the db: and node: decide lines)");
  for (const [label, ms] of r.profile) console.log(`    ${label.padEnd(44)} ${seconds(ms).padStart(9)}`);
}
