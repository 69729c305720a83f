/**
 * `COPY (query) TO STDOUT` inside a transaction, as a stream of COPY text chunks (PostgreSQL
 * only; on PGlite, whose COPY TO writes one blob, callers read with a cursor instead).
 *
 * Kysely does not hand out the transaction's connection, so the statement goes through it as a
 * query marked with COPY_OUT_MARKER, which the PostgreSQL pool's client (client.ts) runs with
 * pg-copy-streams and answers with the stream. The connection is busy until the stream ends:
 * the caller reads it to its end — `close()` does so after a failure — before the transaction's
 * next statement, or that statement (and the ROLLBACK) would wait behind the COPY forever.
 */
import { sql } from 'kysely';
import type { Readable } from 'node:stream';
import { COPY_OUT_MARKER, type DatabaseKind } from './client.js';
import type { Tx } from './scope.js';

export interface CopyOut {
  chunks: AsyncIterable<Buffer>;
  /** Reads and drops whatever is left, so that the connection is free again. */
  close(): Promise<void>;
}

/**
 * The query's rows as COPY text, or null on PGlite. COPY takes no parameters: `query` must
 * hold only literals the caller has validated (e.g. UUIDs).
 */
export async function copyOut(tx: Tx, kind: DatabaseKind, query: string): Promise<CopyOut | null> {
  if (kind !== 'postgres') return null;
  const result = await sql<{ stream: Readable }>`${sql.raw(`${COPY_OUT_MARKER}COPY (${query}) TO STDOUT`)}`.execute(tx);
  const stream = result.rows[0]!.stream;
  // One iterator, shared by the reader and close(): a second iterator over a stream the first
  // left suspended would not see the data the first had buffered.
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let done = false;
  return {
    chunks: {
      [Symbol.asyncIterator]: () => ({
        async next() {
          const next = await iterator.next();
          if (next.done) done = true;
          return next;
        },
      }),
    },
    async close() {
      try {
        while (!done) done = (await iterator.next()).done === true;
      } catch {
        // The COPY failed: the error ended it, and the transaction reports it.
        done = true;
      }
    },
  };
}
