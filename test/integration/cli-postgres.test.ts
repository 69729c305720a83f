/**
 * The CLI against a PostgreSQL server where the application logs in as a role that owns
 * nothing (as in production): migrations are the owner's job, and the commands say so.
 * Runs in the postgres project only (CI).
 */
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { usingPostgres } from '../helpers/db.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    this.emit('text');
    callback();
  }
}

const ADMIN_URL = process.env.CANVASS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const APP_ROLE = 'canvass_test_app';
const name = `canvass_cli_${randomBytes(6).toString('hex')}`;

function urlFor(user: string | null): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  if (user) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
}

async function admin(statements: string[], database: 'postgres' | 'test' = 'postgres'): Promise<void> {
  const client = new pg.Client({ connectionString: database === 'test' ? urlFor(null) : ADMIN_URL });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function run(
  argv: string[],
  env: Record<string, string>,
  options: { stdin?: string; signal?: AbortSignal } = {},
) {
  const stdout = new Capture();
  const stderr = new Capture();
  const exited = main(argv, {
    stdout,
    stderr,
    env: { LOG_LEVEL: 'silent', ...env },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { exited, stdout, stderr };
}

describe.runIf(usingPostgres)('canvass on PostgreSQL with a least-privileged application role', () => {
  beforeAll(async () => {
    await admin([
      `CREATE DATABASE ${name}`,
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} LOGIN; END IF;
       END $$`,
      `GRANT CONNECT ON DATABASE ${name} TO ${APP_ROLE}`,
    ]);
  });

  afterAll(async () => {
    await admin([`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  });

  it('refuses to work on an unmigrated database, telling the operator to run `canvass migrate` as the owner', async () => {
    const app = { DATABASE_URL: urlFor(APP_ROLE) };

    const serve = await run(['serve', '--port', '0'], app);
    expect(await serve.exited).toBe(1);
    expect(serve.stderr.text).toMatch(/^error: the database has pending migration/);
    expect(serve.stderr.text).toContain("run `canvass migrate` with the database owner's DATABASE_URL");

    const create = await run(['user', 'create', '--email', 'jo@example.org', '--name', 'Jo', '--password-stdin'], app, {
      stdin: 'correct horse battery staple\n',
    });
    expect(await create.exited).toBe(1);
    expect(create.stderr.text).toContain('the database schema is behind');

    const migrate = await run(['migrate', '--json'], app);
    expect(await migrate.exited).toBe(1);
    expect(migrate.stderr.text).toContain('this database role may not apply migrations');
    expect(JSON.parse(migrate.stdout.text)).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('migrates as the owner, then serves as the application role', async () => {
    const migrate = await run(['migrate', '--json'], { DATABASE_URL: urlFor(null) });
    expect(await migrate.exited, migrate.stderr.text).toBe(0);
    expect(JSON.parse(migrate.stdout.text)).toMatchObject({
      database: 'postgres',
      applied: expect.arrayContaining(['20261128000100_foundation', '20261129000100_people']),
      jobSchema: 'installed',
    });
    await admin([`GRANT canvass_app TO ${APP_ROLE}`], 'test');

    const again = await run(['migrate'], { DATABASE_URL: urlFor(null) });
    expect(await again.exited).toBe(0);
    expect(again.stdout.text).toContain('The database schema is up to date');

    const controller = new AbortController();
    const serve = await run(
      ['serve', '--port', '0', '--host', '127.0.0.1'],
      { DATABASE_URL: urlFor(APP_ROLE) },
      { signal: controller.signal },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        serve.stdout.on('text', () => {
          const found = /Canvass is running at (\S+)/.exec(serve.stdout.text)?.[1];
          if (found && serve.stdout.text.includes('setup link')) resolve(found);
        });
        serve.exited.then((code) => reject(new Error(`serve exited with ${code}: ${serve.stderr.text}`)), reject);
      });
      const response = await fetch(`${url}/health`);
      expect(await response.json()).toMatchObject({ status: 'ok', database: 'postgres' });
    } finally {
      controller.abort();
    }
    expect(await serve.exited).toBe(0);

    const create = await run(
      ['user', 'create', '--email', 'jo@example.org', '--name', 'Jo', '--password-stdin', '--json'],
      { DATABASE_URL: urlFor(APP_ROLE) },
      {
        stdin: 'correct horse battery staple\n',
      },
    );
    expect(await create.exited, create.stderr.text).toBe(0);
    expect(JSON.parse(create.stdout.text)).toMatchObject({ user: { email: 'jo@example.org' } });
  }, 60_000);
});
