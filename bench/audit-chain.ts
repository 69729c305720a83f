/**
 * Benchmark: the cost of the hash-chained audit trail.
 *
 *   npx tsx bench/audit-chain.ts [--events 2000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
 *
 * 1. Appending: N audit events, each in its own transaction through appendAuditEvent (lock
 *    the campaign row, hash, insert, move the head) against the baseline of N single-row
 *    INSERT transactions of the same payload into a plain table of the same database.
 * 2. Verifying: verifyAuditTrail over the chain against the baseline of reading the same
 *    rows and hashing their canonical JSON with one SHA-256 each (no chain logic).
 * Reports rows/s and the ratio to the baseline measured in the same run (the machine is
 * shared, so absolute times drift; the ratios are what to compare across runs).
 */
import { createHash, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { appendAuditEvent, verifyAuditTrail } from '../src/app/audit.js';
import { openDatabase, withClient, type Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { inCampaign } from '../src/db/scope.js';
import { canonicalJson } from '../src/domain/audit.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '2000' }, postgres: { type: 'string' } },
});
const N = Number(values.events);

async function seedCampaign(db: Database): Promise<string> {
  const id = randomUUID();
  await inCampaign(db, id, (tx) =>
    tx
      .insertInto('campaigns')
      .values({ campaign_id: id, name: 'Bench', controller_type: 'other', postal_address: 'x' })
      .execute(),
  );
  return id;
}

const payload = { fields: ['name', 'postalAddress'], note: 'benchmark event with a typical small payload' };

async function run(label: string, db: Database): Promise<void> {
  await migrate(db);
  await withClient(db, (c) =>
    c.exec(`CREATE TABLE IF NOT EXISTS bench_plain (id bigserial PRIMARY KEY, campaign_id uuid, payload jsonb);
             GRANT INSERT ON bench_plain TO canvass_app;
             GRANT USAGE ON SEQUENCE bench_plain_id_seq TO canvass_app;`),
  );

  // Baseline 1: plain single-row insert transactions.
  let t = performance.now();
  for (let i = 0; i < N; i++) {
    await db.kysely.transaction().execute(async (tx) => {
      await sql`INSERT INTO bench_plain (campaign_id, payload) VALUES (${randomUUID()}, ${JSON.stringify(payload)})`.execute(
        tx,
      );
    });
  }
  const plainMs = performance.now() - t;

  const campaignId = await seedCampaign(db);
  // Baseline 1b: the same insert inside the tenant scope every use case runs in.
  t = performance.now();
  for (let i = 0; i < N; i++) {
    await inCampaign(db, campaignId, async (tx) => {
      await sql`INSERT INTO bench_plain (campaign_id, payload) VALUES (${campaignId}, ${JSON.stringify(payload)})`.execute(
        tx,
      );
    });
  }
  const scopedMs = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < N; i++) {
    await inCampaign(db, campaignId, (tx) =>
      appendAuditEvent(tx, campaignId, { type: 'system', id: 'bench' }, { type: 'campaign.updated', data: payload }),
    );
  }
  const chainMs = performance.now() - t;

  // Baseline 2: read the rows and hash each once.
  t = performance.now();
  await inCampaign(db, campaignId, async (tx) => {
    const rows = await tx
      .selectFrom('audit_events')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('seq')
      .execute();
    for (const r of rows) createHash('sha256').update(canonicalJson(r)).digest('hex');
  });
  const readHashMs = performance.now() - t;
  t = performance.now();
  const verification = await verifyAuditTrail(db, campaignId);
  const verifyMs = performance.now() - t;
  if (!verification.ok || verification.eventsChecked !== N) throw new Error('benchmark chain did not verify');

  const rate = (ms: number) => Math.round((N / ms) * 1000);
  console.log(`\n${label}, ${N} events`);
  console.log(
    `  append  ${rate(chainMs).toLocaleString('en-GB')} events/s   baseline plain INSERT ${rate(plainMs).toLocaleString('en-GB')} rows/s (ratio ${(chainMs / plainMs).toFixed(2)}x its time)   same INSERT in the tenant scope ${rate(scopedMs).toLocaleString('en-GB')} rows/s (ratio ${(chainMs / scopedMs).toFixed(2)}x)`,
  );
  console.log(
    `  verify  ${rate(verifyMs).toLocaleString('en-GB')} events/s   baseline read + SHA-256 ${rate(readHashMs).toLocaleString('en-GB')} rows/s   ratio ${(verifyMs / readHashMs).toFixed(2)}x the baseline's time`,
  );
}

const embedded = await openDatabase({ kind: 'pglite', dataDir: undefined });
try {
  await run('PGlite (in memory)', embedded);
} finally {
  await embedded.close();
}

if (values.postgres) {
  const name = `canvass_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(values.postgres);
  url.pathname = `/${name}`;
  const server = await openDatabase({ kind: 'postgres', url: url.toString() });
  try {
    await run('PostgreSQL (local server)', server);
  } finally {
    await server.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}
