/**
 * The child side of tests and benchmarks that run a server in a process of its own (e.g.
 * test/fixtures/consent-receipts-child.ts, bench/receipts.ts): listen on a random loopback port
 * and print `LISTENING <port>` on stdout for the parent to read.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.js';
import { buildServer } from '../../src/http/server.js';

/** Listens on a random loopback port and prints `LISTENING <port>`. */
export async function listenForParent(app: FastifyInstance): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
}

/**
 * The real Canvass server on `db`, silent, listening for the parent (listenForParent). It
 * trusts X-Forwarded-For, so that each request can name its client, as many visitors would.
 */
export async function serveCanvassForParent(db: Database): Promise<FastifyInstance> {
  const app = await buildServer({
    deps: {
      db,
      settings: { publicUrl: 'http://127.0.0.1', sessionTtlHours: 12, loginMaxFailures: 5, loginLockoutMinutes: 15 },
    },
    logLevel: 'silent',
    trustProxy: true,
  });
  await listenForParent(app);
  return app;
}
