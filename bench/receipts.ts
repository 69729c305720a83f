/**
 * Benchmark: sustained durable consent receipts per second (issue 6, item 5) against a bare
 * Fastify POST handler measured in the same run.
 *
 *   npm run bench:receipts -- [--connections 256] [--seconds 5] [--warmup 1] [--rounds 3] [--postgres URL] [--flushes 2]
 *
 * A scratch database `canvass_bench_receipts_<pid>` is created through the PostgreSQL URL
 * (--postgres, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrated,
 * given a campaign and a website with a published configuration, and dropped at the end.
 *
 * Each server runs in a child process of its own (so the load generator does not share its
 * event loop); the load generator here keeps `connections` keep-alive HTTP/1.1 connections
 * (node:http Agent), each posting the next receipt as soon as the previous one is answered
 * (closed loop), for `seconds` after `warmup` seconds.
 *
 * 1. Bare: Fastify 5 with one POST route that parses the same JSON body and answers 201 with the
 *    ReceiptAck. No validation, no database: the ceiling of the HTTP layer.
 * 2. Real: the Canvass server (buildServer) on the database: the public POST /c/:siteId/receipts
 *    with its origin check, rate limit, strict validation and the group commit; a 201 means the
 *    receipt's transaction has committed (synchronous_commit is reported). Each request comes
 *    from a different client address (X-Forwarded-For, trustProxy), as from many visitors.
 *
 * After the real run the receipts in the database are counted: every acknowledged one must be
 * there. The machine is shared: rounds alternate bare and real, and the median ratio is the
 * figure. BENCH_CPU_PROF=<dir> writes each server's CPU profile there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';
import { receiptWriterOf } from '../src/app/consent-receipts.js';
import { openDatabase, withClient } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import type { ReceiptSubmission } from '../src/shared/consent-banner.js';
import { createYoutubeSite, postReceiptOverHttp, youtubeReceipt } from '../test/helpers/consent-sites.js';
import { listenForParent, serveCanvassForParent } from '../test/helpers/server-child.js';
import { createBenchCampaign } from './bench-campaign.js';

const ORIGIN = 'https://bench.example.org';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '256' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    postgres: { type: 'string' },
    flushes: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    // Child modes (internal).
    serve: { type: 'string' },
    database: { type: 'string' },
  },
});

// ---------------------------------------------------------------------------------------
// Child: a server
// ---------------------------------------------------------------------------------------

async function serveBare(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 8192 });
  app.post('/c/:siteId/receipts', async (request, reply) => {
    const body = request.body as { receiptId: string; consentId: string };
    return reply
      .status(201)
      .send({ receiptId: body.receiptId, consentId: body.consentId, storedAt: new Date().toISOString() });
  });
  await listenForParent(app);
}

async function serveReal(url: string): Promise<void> {
  const db = await openDatabase({ kind: 'postgres', url, maxConnections: 10 });
  const writer = receiptWriterOf(db, { maxInFlight: Number(values.flushes) });
  const app = await serveCanvassForParent(db);
  process.on('SIGTERM', () => {
    process.stdout.write(`STATS ${JSON.stringify(writer.stats)}\n`);
    void app.close().then(() => db.close().then(() => process.exit(0)));
  });
}

// ---------------------------------------------------------------------------------------
// Parent: set-up, load, report
// ---------------------------------------------------------------------------------------

function startChild(args: string[]): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(c));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`server child exited (${code}): ${out}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface LoadResult {
  acknowledged: number;
  other: Map<number, number>;
  seconds: number;
  latencies: number[];
}

const randomIp = (): string => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function load(port: number, path: string, body: () => ReceiptSubmission, warmup: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(values.connections) });
  const connections = Number(values.connections);
  const result: LoadResult = { acknowledged: 0, other: new Map(), seconds, latencies: [] };
  let measuring = false;
  let running = true;
  const post = async (): Promise<void> => {
    const receipt = body();
    const started = performance.now();
    const status = await postReceiptOverHttp(agent, port, path, receipt, { origin: ORIGIN, ip: randomIp() });
    // A failed connection (0) counts neither way.
    if (!measuring || status === 0) return;
    if (status === 201) {
      result.acknowledged += 1;
      result.latencies.push(performance.now() - started);
    } else {
      result.other.set(status, (result.other.get(status) ?? 0) + 1);
    }
  };
  const loops = Array.from({ length: connections }, async () => {
    while (running) await post();
  });
  await new Promise((r) => setTimeout(r, warmup * 1000));
  measuring = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  running = false;
  await Promise.all(loops);
  agent.destroy();
  return result;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function main(): Promise<void> {
  const adminUrl = values.postgres ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `canvass_bench_receipts_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  try {
    const db = await openDatabase({ kind: 'postgres', url, maxConnections: 4 });
    await migrate(db);
    const bench = await createBenchCampaign(db, 'Receipts');
    const site = await createYoutubeSite(bench.deps, bench.principal, bench.campaignId, {
      name: 'Bench site',
      origin: ORIGIN,
    });
    const synchronousCommit = await withClient(db, async (c) =>
      String((await c.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]?.synchronous_commit),
    );
    const body = (): ReceiptSubmission => youtubeReceipt(site.banner, ORIGIN);
    const path = `/c/${site.siteId}/receipts`;

    const bare = await startChild(['--serve', 'bare']);
    const real = await startChild(['--serve', 'real', '--database', url, '--flushes', String(values.flushes)]);
    // Alternating rounds: the machine is shared, and its load changes from one second to the next.
    const rounds: { bare: LoadResult; real: LoadResult }[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      const b = await load(bare.port, path, body, warmup, seconds);
      const r = await load(real.port, path, body, warmup, seconds);
      rounds.push({ bare: b, real: r });
    }
    await stopChild(bare.child);
    await stopChild(real.child);
    const stats = /STATS (.*)/.exec(real.output())?.[1] ?? '{}';
    const acknowledged = rounds.reduce((n, r) => n + r.real.acknowledged, 0);

    const stored = await withClient(db, async (c) =>
      Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM consent_receipts')).rows[0]?.n),
    );
    await db.close();

    const rate = (r: LoadResult) => r.acknowledged / r.seconds;
    const line = (label: string, r: LoadResult) =>
      `  ${label.padEnd(32)} ${rate(r).toFixed(0).padStart(7)}/s   p50 ${percentile(r.latencies, 50).toFixed(1)} ms   p99 ${percentile(r.latencies, 99).toFixed(1)} ms${r.other.size ? `   other: ${JSON.stringify(Object.fromEntries(r.other))}` : ''}`;
    const ratios = rounds.map((r) => rate(r.real) / rate(r.bare));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    process.stdout.write(
      [
        `consent receipts: ${values.connections} keep-alive connections, ${warmup} s warm-up, ${seconds} s measured per run; PostgreSQL synchronous_commit=${synchronousCommit}`,
        ...rounds.flatMap((r, i) => [
          `round ${i + 1}:`,
          line('bare Fastify POST (parse + 201)', r.bare),
          line('receipts endpoint, durable', r.real),
          `  ratio ${(100 * ratios[i]!).toFixed(1)}%`,
        ]),
        `median: bare ${median(rounds.map((r) => rate(r.bare))).toFixed(0)}/s, durable ${median(rounds.map((r) => rate(r.real))).toFixed(0)}/s, ratio ${(100 * median(ratios)).toFixed(1)}% (target >= 50%)`,
        `group commit: ${stats} (flush slots: ${values.flushes})`,
        `receipts in the database: ${stored}; acknowledged while measured: ${acknowledged} (the rest: warm-ups and drains)`,
        '',
      ].join('\n'),
    );
    if (stored < acknowledged) {
      process.stdout.write('ERROR: fewer receipts stored than acknowledged\n');
      process.exitCode = 1;
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (values.serve === 'bare') await serveBare();
else if (values.serve === 'real') await serveReal(values.database ?? '');
else await main();
