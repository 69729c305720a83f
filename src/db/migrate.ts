/**
 * Forward-only SQL migrations from migrations/*.sql, applied in file-name order, each in
 * its own transaction, under an advisory lock so that two processes starting at once
 * apply each migration once. A landed migration is never edited: its checksum is stored
 * and a changed file stops the migrator.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.js';
import { withClient } from './client.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const LOCK_KEY = 7_310_466_265; // arbitrary, fixed: "canvass migrations"

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(dir + file, 'utf8');
      const [version = '', ...rest] = file.replace(/\.sql$/, '').split('_');
      return { version, name: rest.join('_'), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationChecksumError extends Error {
  constructor(readonly version: string) {
    super(`migration ${version} was changed after it was applied; add a new migration instead`);
  }
}

export async function migrate(db: Database, files = readMigrations()): Promise<MigrationReport> {
  return withClient(db, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    text PRIMARY KEY,
        name       text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations',
      );
      const done = new Map(rows.map((r) => [r.version, r.checksum]));
      const applied: string[] = [];
      for (const file of files) {
        const seen = done.get(file.version);
        if (seen !== undefined) {
          if (seen !== file.checksum) throw new MigrationChecksumError(file.version);
          continue;
        }
        await client.exec('BEGIN');
        try {
          await client.exec(file.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            file.version,
            file.name,
            file.checksum,
          ]);
          await client.exec('COMMIT');
        } catch (error) {
          await client.exec('ROLLBACK');
          throw error;
        }
        applied.push(`${file.version}_${file.name}`);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  });
}

export async function pendingMigrations(db: Database, files = readMigrations()): Promise<string[]> {
  return withClient(db, async (client) => {
    const { rows } = await client.query<{ exists: boolean }>(
      "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
    );
    if (!rows[0]?.exists) return files.map((f) => f.version);
    const applied = await client.query<{ version: string }>('SELECT version FROM schema_migrations');
    const set = new Set(applied.rows.map((r) => r.version));
    return files.filter((f) => !set.has(f.version)).map((f) => f.version);
  });
}
