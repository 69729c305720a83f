/**
 * Transaction scopes. Application code reaches the database only through these: each runs
 * a transaction as the role canvass_app (which owns no table) with the campaign and user
 * set as transaction-local settings, so row-level security draws the campaign boundary
 * inside the database, on PGlite and on PostgreSQL alike.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from './client.js';
import type { DB } from './schema.js';

export type Tx = Transaction<DB>;

export interface ScopeOptions {
  /** The signed-in staff member, if any: lets them see their own memberships. */
  userId?: string | undefined;
}

/** One round trip: set_config('role', …, true) is SET LOCAL ROLE. */
async function enter(tx: Tx, campaignId: string | null, userId: string | undefined): Promise<void> {
  await sql`SELECT set_config('app.campaign_id', ${campaignId ?? ''}, true), set_config('app.user_id', ${userId ?? ''}, true), set_config('role', 'canvass_app', true)`.execute(
    tx,
  );
}

/** A transaction that sees one campaign's rows (and the installation-wide tables). */
export function inCampaign<T>(
  db: Database,
  campaignId: string,
  fn: (tx: Tx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return db.kysely.transaction().execute(async (tx) => {
    await enter(tx, campaignId, options.userId);
    return fn(tx);
  });
}

/** A transaction that sees no campaign's rows: installation-wide tables only. */
export function inInstallation<T>(db: Database, fn: (tx: Tx) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
  return db.kysely.transaction().execute(async (tx) => {
    await enter(tx, null, options.userId);
    return fn(tx);
  });
}
