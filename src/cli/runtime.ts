/**
 * What every command needs before it calls a use case: the configuration (parsed once, from
 * the environment), the database it names, and a schema that is up to date.
 *
 * - Embedded PGlite (the default): the command takes the data directory's lock and applies
 *   pending migrations itself, so a fresh checkout works with no setup at all.
 * - PostgreSQL (DATABASE_URL): migrations are applied by `canvass migrate` as the database
 *   owner. `serve` applies pending ones too when its role may; other commands refuse to run
 *   on a schema that is behind.
 */
import { loadConfig, ConfigError, type Config } from '../config.js';
import type { AppDeps, AppSettings } from '../app/context.js';
import { openDatabase, type Database } from '../db/client.js';
import { migrate, pendingMigrations, type MigrationReport } from '../db/migrate.js';
import { CliError, type CliIo } from './io.js';
import { acquirePgliteLock } from './pglite-lock.js';

export function configOf(io: CliIo, overrides: Record<string, string> = {}): Config {
  try {
    return loadConfig({ ...(io.env ?? process.env), ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(
        'bad_request',
        `${error.message}\n(fix the environment variable named above and run the command again)`,
      );
    }
    throw error;
  }
}

export function settingsOf(config: Config): AppSettings {
  return {
    publicUrl: config.publicUrl,
    sessionTtlHours: config.sessionTtlHours,
    loginMaxFailures: config.loginMaxFailures,
    loginLockoutMinutes: config.loginLockoutMinutes,
  };
}

/** The SQLSTATE of a database error, if it is one. */
export function sqlStateOf(error: unknown): string | null {
  if (error === null || typeof error !== 'object') return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** insufficient_privilege: "permission denied", "must be owner of", no CREATEROLE. */
export const isInsufficientPrivilege = (error: unknown): boolean => sqlStateOf(error) === '42501';

export const OWNER_MIGRATE_HINT =
  "run `canvass migrate` with the database owner's DATABASE_URL (the role that created the tables), then start again";

export interface OpenedDatabase {
  db: Database;
  /** Closes the database (and releases the PGlite lock) if this module opened it. */
  close(): Promise<void>;
}

/** Opens the configured database; an injected one (tests) is used as is and left open. */
export async function openConfiguredDatabase(config: Config, injected?: Database): Promise<OpenedDatabase> {
  if (injected) return { db: injected, close: async () => undefined };
  if (config.database.kind === 'pglite') {
    const lock = acquirePgliteLock(config.database.dataDir);
    try {
      const db = await openDatabase({ kind: 'pglite', dataDir: config.database.dataDir });
      return {
        db,
        async close() {
          try {
            await db.close();
          } finally {
            lock.release();
          }
        },
      };
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  const db = await openDatabase({
    kind: 'postgres',
    url: config.database.url,
    maxConnections: config.database.maxConnections,
  });
  return { db, close: () => db.close() };
}

/**
 * Pending migration versions, or null when this role may not read schema_migrations (the
 * least-privileged application role cannot: only the owner can tell).
 */
async function pendingOrUnknown(db: Database): Promise<string[] | null> {
  try {
    return await pendingMigrations(db);
  } catch (error) {
    if (isInsufficientPrivilege(error)) return null;
    throw error;
  }
}

export type SchemaPolicy =
  /** `canvass migrate`: apply everything, as the owner. */
  | 'apply'
  /** `canvass serve`: apply pending migrations; on PostgreSQL, explain if the role may not. */
  | 'apply-if-allowed'
  /** Other commands: apply on PGlite; on PostgreSQL, refuse to run on a schema that is behind. */
  | 'require-current';

export interface SchemaReport {
  /** What migrate() did; null when migrations were only checked (or could not be). */
  migrations: MigrationReport | null;
  warnings: string[];
}

export async function prepareSchema(db: Database, policy: SchemaPolicy): Promise<SchemaReport> {
  if (db.kind === 'pglite' || policy === 'apply') {
    try {
      return { migrations: await migrate(db), warnings: [] };
    } catch (error) {
      if (isInsufficientPrivilege(error)) {
        throw new CliError(
          'forbidden',
          `this database role may not apply migrations (${(error as Error).message}): connect as the database owner, e.g. DATABASE_URL=postgres://owner@host/db canvass migrate`,
        );
      }
      throw error;
    }
  }
  const pending = await pendingOrUnknown(db);
  if (pending === null) {
    return {
      migrations: null,
      warnings: [
        "note: this database role cannot read schema_migrations, so pending migrations were not checked; after an upgrade, run `canvass migrate` with the owner's DATABASE_URL",
      ],
    };
  }
  if (pending.length === 0) return { migrations: null, warnings: [] };
  const list = `migration${pending.length === 1 ? '' : 's'} ${pending.join(', ')}`;
  if (policy === 'require-current') {
    throw new CliError('invalid_state', `the database schema is behind (${list} pending): ${OWNER_MIGRATE_HINT}`);
  }
  try {
    return { migrations: await migrate(db), warnings: [] };
  } catch (error) {
    if (isInsufficientPrivilege(error)) {
      throw new CliError(
        'invalid_state',
        `the database has pending ${list} and this role may not apply them (${(error as Error).message}): ${OWNER_MIGRATE_HINT}`,
      );
    }
    throw error;
  }
}

/** A command's database and use-case dependencies, opened and migrated per its policy. */
export interface CommandRuntime {
  config: Config;
  db: Database;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function openRuntime(io: CliIo): Promise<CommandRuntime> {
  const config = configOf(io);
  const opened = await openConfiguredDatabase(config, io.db);
  try {
    // An injected database (tests) is the caller's to migrate.
    if (!io.db) await prepareSchema(opened.db, 'require-current');
    return {
      config,
      db: opened.db,
      deps: { db: opened.db, settings: settingsOf(config) },
      close: () => opened.close(),
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/** Runs fn with a runtime and always closes it. */
export async function withRuntime<T>(io: CliIo, fn: (runtime: CommandRuntime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(io);
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}
