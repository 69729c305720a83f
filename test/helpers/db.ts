/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a new
 * database on the PostgreSQL server when CANVASS_TEST_DATABASE=postgres (CI sets it).
 *
 * On PostgreSQL the application connection logs in as canvass_test_app, a role that is a
 * member of canvass_app and owns nothing, as in production; `owner` is the migrating
 * superuser connection, which tests use to tamper with rows behind the application's back.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { installJobSchema } from '../../src/jobs/boss.js';

export interface TestDatabase {
  db: Database;
  owner: Database;
  kind: 'pglite' | 'postgres';
  /** For spawning a second process against the same database (PostgreSQL only). */
  appUrl: string | null;
  close(): Promise<void>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory image made once per run by test/global-setup.ts. */
    pgliteTemplate: string | null;
  }
}

export const usingPostgres = process.env.CANVASS_TEST_DATABASE === 'postgres';
const ADMIN_URL = process.env.CANVASS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const APP_ROLE = 'canvass_test_app';

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!usingPostgres) {
    const templatePath = inject('pgliteTemplate');
    const template = templatePath ? new Blob([readFileSync(templatePath)]) : undefined;
    const db = await openDatabase({ kind: 'pglite', dataDir: undefined, template });
    if (!template) {
      await migrate(db);
      await installJobSchema(db);
    }
    return { db, owner: db, kind: 'pglite', appUrl: null, close: () => db.close() };
  }
  const name = `canvass_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} LOGIN;
      END IF;
    END $$`);
  } finally {
    await admin.end();
  }
  const owner = await openDatabase({ kind: 'postgres', url: withDatabase(ADMIN_URL, name), maxConnections: 4 });
  await migrate(owner);
  await installJobSchema(owner);
  // Membership is granted after migrations have created canvass_app.
  await owner.pool.connect().then(async (c) => {
    try {
      await c.query(`GRANT canvass_app TO ${APP_ROLE}`);
      await c.query(`GRANT CONNECT ON DATABASE ${name} TO ${APP_ROLE}`);
    } finally {
      c.release();
    }
  });
  const appUrl = withDatabase(ADMIN_URL, name, APP_ROLE);
  const db = await openDatabase({ kind: 'postgres', url: appUrl, maxConnections: 8 });
  return {
    db,
    owner,
    kind: 'postgres',
    appUrl,
    async close() {
      await db.close();
      await owner.close();
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
