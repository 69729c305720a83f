/**
 * One database client for both storage engines.
 *
 * - Embedded (default): PGlite, PostgreSQL compiled to WebAssembly, in a data directory.
 *   PGlite is a single connection, so a mutex hands it to one user at a time; a
 *   transaction holds it until COMMIT/ROLLBACK, exactly like a pooled connection would.
 * - Server: PostgreSQL through node-postgres when DATABASE_URL is set.
 *
 * Both are exposed as the same small pool interface, which Kysely's PostgresDialect and
 * pg-boss both accept, so there is one code path above this file.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DB } from './schema.js';

/**
 * A statement starting with this comment is run as `COPY … TO STDOUT` streamed through
 * pg-copy-streams (PostgreSQL only): the query's one row is `{ stream }`. See copy-out.ts,
 * which is how a transaction reaches it through Kysely.
 */
export const COPY_OUT_MARKER = '/* canvass:copy-out */ ';

export interface QueryResult<R = Record<string, unknown>> {
  command: 'UPDATE' | 'DELETE' | 'INSERT' | 'SELECT' | 'MERGE' | 'COMMIT' | 'ROLLBACK';
  rowCount: number;
  rows: R[];
}

/** A connection borrowed from the pool. */
export interface SqlClient {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs several statements without parameters (migrations); returns each statement's rows. */
  exec(text: string): Promise<Record<string, unknown>[][]>;
  release(destroy?: boolean): void;
}

export interface SqlPool {
  connect(): Promise<SqlClient>;
  end(): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: DatabaseKind;
  readonly pool: SqlPool;
  readonly kysely: Kysely<DB>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | {
      kind: 'pglite';
      /** undefined: in memory (tests only). */
      dataDir: string | undefined;
      /** Start from a data directory image made by dumpDataDir() (tests: skips initdb and migrations). */
      template?: Blob | undefined;
    }
  | { kind: 'postgres'; url: string; maxConnections?: number };

function commandOf(text: string): QueryResult['command'] {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(text)?.[1]?.toUpperCase();
  switch (word) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'COMMIT':
    case 'ROLLBACK':
      return word;
    default:
      return 'SELECT';
  }
}

/** A fair FIFO mutex: PGlite has exactly one connection. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

class PGlitePool implements SqlPool {
  readonly #mutex = new Mutex();
  constructor(readonly pglite: PGlite) {}

  async connect(): Promise<SqlClient> {
    const unlock = await this.#mutex.acquire();
    const db = this.pglite;
    let released = false;
    return {
      async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
        if (released) throw new Error('query on a released PGlite connection');
        const result = await db.query<R>(text, params as unknown[]);
        return { command: commandOf(text), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      async exec(text: string) {
        if (released) throw new Error('exec on a released PGlite connection');
        const results = await db.exec(text);
        return results.map((r) => r.rows as Record<string, unknown>[]);
      },
      release() {
        if (released) return;
        released = true;
        unlock();
      },
    };
  }

  async end(): Promise<void> {
    const unlock = await this.#mutex.acquire();
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      unlock();
    }
  }
}

class PostgresPool implements SqlPool {
  constructor(readonly pool: pg.Pool) {
    // An idle connection can be closed by the server (restart, failover, pg_terminate_backend).
    // node-postgres reports that as an 'error' event, which would otherwise crash the process;
    // the pool discards the connection and opens a new one when next needed.
    pool.on('error', () => {});
  }

  async connect(): Promise<SqlClient> {
    const client = await this.pool.connect();
    return {
      async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
        if (text.startsWith(COPY_OUT_MARKER)) {
          if (params.length > 0) throw new Error('COPY takes no parameters');
          // A few MB of buffer lets the server run ahead of the reader.
          const stream = client.query(copyTo(text.slice(COPY_OUT_MARKER.length), { highWaterMark: 4 << 20 }));
          return { command: 'SELECT', rowCount: 1, rows: [{ stream } as R] };
        }
        const result = await client.query(text, params as unknown[]);
        return { command: commandOf(text), rowCount: result.rowCount ?? 0, rows: result.rows as R[] };
      },
      async exec(text: string) {
        const result = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
        const list = Array.isArray(result) ? result : [result];
        return list.map((r) => r.rows as Record<string, unknown>[]);
      },
      release(destroy?: boolean) {
        client.release(destroy);
      },
    };
  }

  async end(): Promise<void> {
    if (this.pool.ended) return;
    await this.pool.end();
  }
}

// node-postgres returns int8 as a string; counts and sequence numbers here stay far below
// 2^53, so both engines return them as numbers. DATE stays a 'YYYY-MM-DD' string.
const INT8_OID = 20;
const DATE_OID = 1082;
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  let pool: SqlPool;
  if (target.kind === 'pglite') {
    if (target.dataDir !== undefined) mkdirSync(target.dataDir, { recursive: true });
    const pglite = await PGlite.create(target.dataDir ?? 'memory://', {
      parsers: { [DATE_OID]: (value: string) => value },
      ...(target.template ? { loadDataDir: target.template } : {}),
    });
    pool = new PGlitePool(pglite);
  } else {
    pool = new PostgresPool(
      new pg.Pool({
        connectionString: target.url,
        max: target.maxConnections ?? 10,
        types: pgTypes,
        application_name: 'canvass',
      }),
    );
  }
  const kysely = new Kysely<DB>({
    dialect: new PostgresDialect({
      // Kysely's pool interface is a subset of ours.
      pool: pool as unknown as import('kysely').PostgresPool,
    }),
  });
  let closed = false;
  return {
    kind: target.kind,
    pool,
    kysely,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy(); // ends the pool, if Kysely ever used it
      await pool.end(); // and when only the raw pool was used (migrations)
    },
  };
}

/** Runs fn on one borrowed connection. */
export async function withClient<T>(db: Database, fn: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

/** An image of an embedded database's data directory (tests start from one; see test/global-setup.ts). */
export async function dumpPGliteImage(db: Database): Promise<Blob> {
  if (!(db.pool instanceof PGlitePool))
    throw new Error('only an embedded (PGlite) database has a data directory image');
  return db.pool.pglite.dumpDataDir('none');
}
