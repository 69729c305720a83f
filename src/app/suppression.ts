/**
 * Suppression entries in the database: the campaign's key, adding entries, screening
 * identifiers (DM-SUPPRESSION). See src/domain/suppression.ts for the hashing.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { normalizeEmail, normalizePhone, normalizeUkPostcode } from '../domain/identifiers.js';
import {
  createSuppressionHasher,
  namePostcodeKey,
  SUPPRESSION_KEY_BYTES,
  type SuppressionHasher,
  type SuppressionIdentifier,
  type SuppressionKind,
} from '../domain/suppression.js';

/** The campaign's suppression hasher; the key is created on first use. */
export async function suppressionHasher(tx: Tx, campaignId: string): Promise<SuppressionHasher> {
  await tx
    .insertInto('campaign_keys')
    .values({ campaign_id: campaignId, suppression_key: randomBytes(SUPPRESSION_KEY_BYTES) })
    .onConflict((oc) => oc.column('campaign_id').doNothing())
    .execute();
  const row = await tx
    .selectFrom('campaign_keys')
    .select('suppression_key')
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return createSuppressionHasher(new Uint8Array(row.suppression_key));
}

export interface SuppressionKey {
  kind: SuppressionKind;
  keyHash: string;
}

export interface SuppressionMatch extends SuppressionKey {
  reason: string;
  createdAt: Date;
}

/** Adds entries (existing ones are kept as they are); returns how many were new. */
export async function addSuppressionEntries(
  tx: Tx,
  campaignId: string,
  keys: readonly SuppressionKey[],
  entry: { reason: 'objection' | 'staff'; objectionId: string | null; actor: AuditActor; now: Date },
): Promise<number> {
  if (keys.length === 0) return 0;
  const unique = [...new Map(keys.map((k) => [`${k.kind}:${k.keyHash}`, k])).values()];
  const inserted = await tx
    .insertInto('suppressions')
    .values(
      unique.map((k) => ({
        campaign_id: campaignId,
        kind: k.kind,
        key_hash: k.keyHash,
        reason: entry.reason,
        objection_id: entry.objectionId,
        created_at: entry.now,
        created_by: JSON.stringify(entry.actor),
      })),
    )
    .onConflict((oc) => oc.columns(['campaign_id', 'kind', 'key_hash']).doNothing())
    .returning('key_hash')
    .execute();
  return inserted.length;
}

/** The entries among `keys` that exist, keyed by `${kind}:${keyHash}`. */
export async function findSuppressions(
  tx: Tx,
  campaignId: string,
  keys: readonly SuppressionKey[],
): Promise<Map<string, SuppressionMatch>> {
  const found = new Map<string, SuppressionMatch>();
  if (keys.length === 0) return found;
  const rows = await sql<{ kind: string; key_hash: string; reason: string; created_at: Date }>`
    SELECT s.kind, s.key_hash, s.reason, s.created_at
      FROM suppressions s
      JOIN unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.keyHash)}::text[]) AS k(kind, key_hash)
        ON s.kind = k.kind AND s.key_hash = k.key_hash
     WHERE s.campaign_id = ${campaignId}`.execute(tx);
  for (const r of rows.rows) {
    found.set(`${r.kind}:${r.key_hash}`, {
      kind: r.kind as SuppressionKind,
      keyHash: r.key_hash,
      reason: r.reason,
      createdAt: new Date(r.created_at),
    });
  }
  return found;
}

/**
 * The suppression identifiers of raw contact details: each normalized the way imports
 * normalize them; unusable values are skipped.
 */
export function identifiersFromRaw(raw: {
  emails?: readonly (string | null)[];
  phones?: readonly (string | null)[];
  name?: string | null;
  postcode?: string | null;
}): SuppressionIdentifier[] {
  const out: SuppressionIdentifier[] = [];
  for (const e of raw.emails ?? []) {
    if (!e) continue;
    const n = normalizeEmail(e);
    if (n.ok) out.push({ kind: 'email', value: n.value });
  }
  for (const p of raw.phones ?? []) {
    if (!p) continue;
    const n = normalizePhone(p);
    if (n.ok) out.push({ kind: 'phone', value: n.value });
  }
  if (raw.name && raw.postcode) {
    const pc = normalizeUkPostcode(raw.postcode);
    const key = pc.ok ? namePostcodeKey(raw.name, pc.value) : null;
    if (key) out.push({ kind: 'name_postcode', value: key });
  }
  return out;
}
