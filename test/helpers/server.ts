/**
 * A real server on a random loopback port with its own fresh database, for API and
 * browser tests. `request` is Fastify's in-process injector for API tests; `url` is for
 * browsers.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppDeps } from '../../src/app/context.js';
import { issueSetupLink } from '../../src/app/setup.js';
import type { JobsFacade } from '../../src/http/routes/jobs.js';
import { buildServer, type ServerOptions } from '../../src/http/server.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { testDeps } from './factories.js';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  deps: AppDeps;
  database: TestDatabase;
  /** A fresh one-time setup link (valid while no account exists). */
  setupUrl(): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<Omit<ServerOptions, 'jobs'>> {
  listen?: boolean;
  /** A job runner for the server, made on the test database (e.g. createJobRunner). */
  jobs?: (database: TestDatabase) => JobsFacade;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const deps = testDeps(database.db);
  const { jobs, ...rest } = options;
  const app = await buildServer({
    deps,
    logLevel: 'silent',
    // Audience files written through the API go to a directory of this server's own.
    audienceExportsDir: join(tmpdir(), `canvass-test-audience-exports-${randomUUID()}`),
    ...rest,
    jobs: jobs ? jobs(database) : null,
  });
  let url = 'http://127.0.0.1';
  if (options.listen !== false) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address && typeof address === 'object') url = `http://127.0.0.1:${address.port}`;
  }
  deps.settings.publicUrl = url;
  return {
    app,
    url,
    deps,
    database,
    async setupUrl() {
      const link = await issueSetupLink(deps);
      if (!link) throw new Error('setup is already done on this test server');
      return link;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A cookie session driven through the API, like the dashboard does. */
export class ApiSession {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(readonly app: FastifyInstance) {}

  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    const response = await this.app.inject({
      method,
      url,
      headers: h,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const setCookie = response.headers['set-cookie'];
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first?.startsWith('canvass_session=')) {
      const value = first.split(';')[0]!;
      this.cookie = value === 'canvass_session=' ? null : value;
    }
    if (response.statusCode < 300 && String(response.headers['content-type'] ?? '').includes('json')) {
      const json = response.json<{ csrfToken?: string }>();
      if (typeof json?.csrfToken === 'string') this.csrf = json.csrfToken;
    }
    return response;
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    return this.request('POST', '/api/session', { email, password });
  }
}
