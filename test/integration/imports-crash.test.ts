/**
 * Killing the process mid-import (issue 3, "done when"): a child process runs the real
 * import job with small batches, is killed with SIGKILL after two batches committed, and a
 * runner started afterwards resumes from the checkpoint. The final counts equal those of an
 * uninterrupted run of the same file, and the report has exactly one line per record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterEach, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../src/app/audit.js';
import type { AppDeps } from '../../src/app/context.js';
import { getImport, openImportReport } from '../../src/app/imports.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { inCampaign } from '../../src/db/scope.js';
import { installJobSchema } from '../../src/jobs/boss.js';
import { JOBS } from '../../src/jobs/registry.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import { runChildUntilHang, type HungChild } from '../helpers/crash-child.js';
import { createTestDatabase, usingPostgres } from '../helpers/db.js';
import { makeCampaign, testDeps } from '../helpers/factories.js';
import { captureLogger, FAST, waitFor } from '../fixtures/job-helpers.js';
import { makeSource, readReport, runImport, startSuggested, upload } from '../fixtures/imports/helpers.js';

const CHILD = fileURLToPath(new URL('../fixtures/imports/crash-child.ts', import.meta.url));
const BATCH = 500;
const HANG_AFTER_BATCHES = 2;
const ROWS = 3_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A few thousand rows with duplicates (within the file) and some rejected records. */
function generate(): string {
  let csv = 'email,first_name,last_name,phone\n';
  for (let i = 0; i < ROWS; i++) {
    const n = i % 2_600; // 400 duplicates
    const email = i % 97 === 0 ? 'not-an-email' : `Person${n}@Example.org`;
    const phone = i % 5 === 0 ? `07911 ${String(100_000 + n).padStart(6, '0')}` : '';
    csv += `${email},First${n},Last${n},${phone}\n`;
    if (i % 400 === 0) csv += '\n';
  }
  return csv;
}

function runChild(env: Record<string, string>): Promise<HungChild> {
  return runChildUntilHang({
    script: CHILD,
    env: { ...env, IMPORT_HANG_AFTER: String(HANG_AFTER_BATCHES), CANVASS_IMPORT_BATCH: String(BATCH) },
    timeoutMs: 40_000,
    cleanups,
  });
}

it('resumes a killed import from its last committed batch: same counts as an uninterrupted run', async () => {
  let db: Database;
  let childEnv: Record<string, string>;
  let reopen: () => Promise<void>;
  if (usingPostgres) {
    const t = await createTestDatabase();
    cleanups.push(() => t.close());
    db = t.db;
    childEnv = { CRASH_DB: 'postgres', CRASH_DATABASE_URL: t.appUrl! };
    reopen = async () => undefined;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'canvass-import-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    db = await openDatabase({ kind: 'pglite', dataDir });
    await migrate(db);
    await installJobSchema(db, { jobs: JOBS });
    childEnv = { CRASH_DB: 'pglite', CRASH_DATA_DIR: dataDir };
    reopen = async () => {
      db = await openDatabase({ kind: 'pglite', dataDir });
      cleanups.push(() => db.close());
    };
  }
  let deps: AppDeps = testDeps(db);
  const csv = generate();

  // The crashed import, and a second campaign for the uninterrupted run of the same file.
  const crashed = await makeCampaign(deps);
  const clean = await makeCampaign(deps);
  const owner = crashed.owner.principal;
  const source = await makeSource(deps, owner, crashed.campaign.id);
  const cleanSource = await makeSource(deps, clean.owner.principal, clean.campaign.id);
  const enqueuer = createJobRunner({ db, jobs: JOBS, logger: captureLogger(), ...FAST });
  const uploaded = await upload(deps, owner, crashed.campaign.id, source.id, csv);
  const importId = uploaded.import.id;
  await startSuggested(deps, enqueuer, owner, crashed.campaign.id, uploaded);
  if (!usingPostgres) await db.close();

  const child = await runChild(childEnv);
  // Usually exactly HANG_AFTER_BATCHES batches; on a loaded machine an attempt may lose its lease
  // and be retried inside the child (resuming from its checkpoint), which commits more first.
  expect(child.done % BATCH).toBe(0);
  expect(child.done).toBeGreaterThanOrEqual(BATCH * HANG_AFTER_BATCHES);
  expect(child.done).toBeLessThan(ROWS);
  await child.kill();
  await reopen();
  deps = testDeps(db);

  const left = await getImport(deps, owner, crashed.campaign.id, importId);
  expect(left.status).toBe('running');
  expect(left.summary?.total).toBe(child.done);

  const runner: JobRunner = createJobRunner({ db, jobs: JOBS, logger: captureLogger(), ...FAST });
  cleanups.push(() => runner.stop({ graceful: false }));
  await runner.start();
  const done = await waitFor(
    () => getImport(deps, owner, crashed.campaign.id, importId),
    (v) => v.status === 'completed' || v.status === 'failed',
    { timeoutMs: 40_000, what: 'the resumed import to finish' },
  );
  expect(done.status).toBe('completed');

  const reference = await runImport(deps, runner, clean.owner.principal, clean.campaign.id, cleanSource.id, csv);
  expect(reference.summary).toMatchObject({ total: ROWS, created: 2_578, rejected: 31 });
  expect(done.summary).toEqual(reference.summary);

  // The report: one line per record, none twice; the database agrees with it.
  const text = await readReport((await openImportReport(deps, owner, crashed.campaign.id, importId)).stream);
  const rows = parse<{ record: string; outcome: string; person_id: string }>(text, { columns: true });
  expect(rows).toHaveLength(ROWS);
  expect(rows.map((r) => Number(r.record))).toEqual([...Array(ROWS).keys()].map((i) => i + 1));
  const people = await inCampaign(db, crashed.campaign.id, (tx) =>
    tx.selectFrom('people').select('person_id').where('campaign_id', '=', crashed.campaign.id).execute(),
  );
  expect(people).toHaveLength(done.summary!.created);
  const createdIds = new Set(rows.filter((r) => r.outcome === 'created').map((r) => r.person_id));
  expect(createdIds).toEqual(new Set(people.map((p) => p.person_id)));
  expect(await verifyAuditTrail(db, crashed.campaign.id)).toMatchObject({ ok: true });
}, 120_000);
