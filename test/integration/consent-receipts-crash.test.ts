/**
 * A receipt is acknowledged only once it is durably stored (issue 6, item 5): the real server
 * runs in a child process, the test posts receipts to it over many concurrent connections, and
 * kills it with SIGKILL in the middle of the load. After the database is opened again (as after
 * a restart), every receipt that was acknowledged (201, or 200 for a retry) is there. Receipts
 * that were in flight when the process died may or may not be stored; none is stored twice.
 *
 * On PGlite the database is an on-disk directory, which only one process may open at a time:
 * the test closes it before the child opens it and opens it again after the kill.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { inCampaign } from '../../src/db/scope.js';
import type { ReceiptSubmission } from '../../src/shared/consent-banner.js';
import { createYoutubeSite, postReceiptOverHttp, youtubeReceipt } from '../helpers/consent-sites.js';
import { createTestDatabase, usingPostgres } from '../helpers/db.js';
import { makeCampaign, testDeps } from '../helpers/factories.js';

const CHILD = fileURLToPath(new URL('../fixtures/consent-receipts-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORIGIN = 'https://www.example.org';
const CONNECTIONS = 24;
/** Kill once this many receipts have been acknowledged. */
const KILL_AFTER = 300;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startServer(env: Record<string, string>): Promise<{ port: number; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  cleanups.push(kill);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server never listened: ${stdout} ${stderr}`)), 40_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /LISTENING (\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), kill });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited early (${code ?? signal}): ${stdout} ${stderr}`));
    });
  });
}

it('after SIGKILL under load, every acknowledged receipt is stored, none twice', async () => {
  let db: Database;
  let childEnv: Record<string, string>;
  let reopen: () => Promise<Database>;
  if (usingPostgres) {
    const t = await createTestDatabase();
    cleanups.push(() => t.close());
    db = t.db;
    childEnv = { CRASH_DB: 'postgres', CRASH_DATABASE_URL: t.appUrl! };
    reopen = async () => t.db;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'canvass-receipts-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    db = await openDatabase({ kind: 'pglite', dataDir });
    await migrate(db);
    childEnv = { CRASH_DB: 'pglite', CRASH_DATA_DIR: dataDir };
    reopen = async () => {
      const again = await openDatabase({ kind: 'pglite', dataDir });
      cleanups.push(() => again.close());
      return again;
    };
  }

  const deps = testDeps(db);
  const tc = await makeCampaign(deps);
  const site = await createYoutubeSite(deps, tc.owner.principal, tc.campaign.id, {
    name: 'Crash site',
    origin: ORIGIN,
  });
  if (!usingPostgres) await db.close();

  const server = await startServer(childEnv);
  const path = `/c/${site.siteId}/receipts`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const acknowledged = new Set<string>();
  const sent = new Set<string>();
  let killed = false;
  let retried = 0;
  let otherStatus = 0;

  const connection = async (client: number): Promise<void> => {
    let previous: ReceiptSubmission | null = null;
    while (!killed) {
      // Now and then, retry the previous receipt (a retry is acknowledged, not stored twice).
      const receipt: ReceiptSubmission =
        previous && client % 4 === 0 && Math.random() < 0.2 ? previous : youtubeReceipt(site.banner, ORIGIN);
      if (receipt === previous) retried += 1;
      sent.add(receipt.receiptId);
      // A connection cut by the kill: no answer (0), so not acknowledged.
      const status = await postReceiptOverHttp(agent, server.port, path, receipt, {
        origin: ORIGIN,
        ip: `10.1.${Math.floor(client / 250)}.${client % 250}`,
      });
      if (status === 201 || status === 200) acknowledged.add(receipt.receiptId);
      else if (status !== 0) otherStatus += 1;
      if (acknowledged.size >= KILL_AFTER && !killed) {
        killed = true;
        await server.kill();
      }
      previous = receipt;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => connection(i)));
  agent.destroy();
  expect(otherStatus).toBe(0);
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);

  const after = await reopen();
  const stored = await inCampaign(after, tc.campaign.id, async (tx) => {
    const { rows } = await sql<{
      receipt_id: string;
      n: number;
    }>`SELECT receipt_id, count(*)::int AS n FROM consent_receipts WHERE site_id = ${site.siteId} GROUP BY receipt_id`.execute(
      tx,
    );
    return rows;
  });
  const storedIds = new Set(stored.map((r) => r.receipt_id));
  const lost = [...acknowledged].filter((id) => !storedIds.has(id));
  expect(lost).toEqual([]);
  expect(stored.every((r) => r.n === 1)).toBe(true);
  // Nothing is stored that was never sent; some in flight at the kill may be stored unacknowledged.
  expect([...storedIds].every((id) => sent.has(id))).toBe(true);
  expect(retried).toBeGreaterThan(0);
}, 120_000);
