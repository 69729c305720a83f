/**
 * Writing and checking the audit trail. appendAuditEvent is called inside the same
 * transaction as the change it records; it locks the campaign row, so events of one
 * campaign are numbered without gaps even with several app servers.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditEventRow } from '../db/schema.js';
import {
  createChainVerifier,
  hashEvent,
  type AuditActor,
  type AuditEvent,
  type ChainedEvent,
  type ChainVerification,
  type ChainVerifier,
} from '../domain/audit.js';
import { notFound } from '../domain/errors.js';
import { actorOf, authorize, type AppDeps, type Principal } from './context.js';

export async function appendAuditEvent(
  tx: Tx,
  campaignId: string,
  actor: AuditActor,
  event: AuditEvent,
  now: Date = new Date(),
): Promise<{ seq: number; hash: string }> {
  const head = await tx
    .selectFrom('campaigns')
    .select(['audit_head_seq', 'audit_head_hash'])
    .where('campaign_id', '=', campaignId)
    .forUpdate()
    .executeTakeFirst();
  if (!head) throw notFound('campaign');
  const occurredAt = new Date(Math.floor(now.getTime())); // millisecond precision survives the round trip
  const chained = {
    campaignId,
    seq: head.audit_head_seq + 1,
    eventId: randomUUID(),
    occurredAt,
    actorType: actor.type,
    actorId: actor.id,
    type: event.type,
    payload: event.data,
    prevHash: head.audit_head_hash,
  };
  const hash = hashEvent(chained);
  // The event and the new head in one statement.
  await tx
    .with('event', (db) =>
      db.insertInto('audit_events').values({
        campaign_id: campaignId,
        seq: chained.seq,
        event_id: chained.eventId,
        occurred_at: occurredAt,
        actor_type: actor.type,
        actor_id: actor.id,
        type: event.type,
        payload: JSON.stringify(event.data),
        prev_hash: chained.prevHash,
        hash,
      }),
    )
    .updateTable('campaigns')
    .set({ audit_head_seq: chained.seq, audit_head_hash: hash })
    .where('campaign_id', '=', campaignId)
    .execute();
  return { seq: chained.seq, hash };
}

const VERIFY_BATCH = 5_000;

export interface VerifyAuditTrailOptions {
  /**
   * Called after each batch, outside any transaction (so it may write, e.g. a job's
   * progress); throwing stops the verification.
   */
  onProgress?: (progress: { eventsChecked: number; headSeq: number }) => Promise<void> | void;
  batchSize?: number;
}

function toChainedEvent(row: AuditEventRow): ChainedEvent & { hash: string } {
  return {
    campaignId: row.campaign_id,
    seq: row.seq,
    eventId: row.event_id,
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    type: row.type,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Reads the chain in batches (it can be long) and checks it against the head recorded when
 * the verification started. Each batch is its own short transaction, so a long chain never
 * holds the connection (PGlite has one) for the whole walk; the events up to that head are
 * append-only, and events stored past the head as it stands at the end are reported as
 * inserted, as a single snapshot would.
 */
export async function verifyAuditTrail(
  db: Database,
  campaignId: string,
  options: VerifyAuditTrailOptions = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? VERIFY_BATCH;
  let head: { seq: number; hash: string } | null = null;
  let verifier: ChainVerifier | null = null;
  let after = 0;
  let checked = 0;
  for (;;) {
    const outcome = await inCampaign(db, campaignId, async (tx): Promise<ChainVerification | null> => {
      if (!head || !verifier) {
        const row = await tx
          .selectFrom('campaigns')
          .select(['audit_head_seq', 'audit_head_hash'])
          .where('campaign_id', '=', campaignId)
          .executeTakeFirst();
        if (!row) throw notFound('campaign');
        head = { seq: row.audit_head_seq, hash: row.audit_head_hash };
        verifier = createChainVerifier(head);
      }
      const rows = await tx
        .selectFrom('audit_events')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .where('seq', '>', after)
        .where('seq', '<=', head.seq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        const broken = verifier.next(toChainedEvent(row));
        if (broken) return broken;
      }
      checked += rows.length;
      if (rows.length === batchSize) {
        after = rows[rows.length - 1]!.seq;
        return null;
      }
      // The last batch: an event past the head as it stands now was not appended by the
      // application (events appended since the walk began lie between the two heads).
      const current = await tx
        .selectFrom('campaigns')
        .select('audit_head_seq')
        .where('campaign_id', '=', campaignId)
        .executeTakeFirst();
      const stray = await tx
        .selectFrom('audit_events')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .where('seq', '>', Math.max(head.seq, current?.audit_head_seq ?? 0))
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst();
      if (stray) return verifier.next(toChainedEvent(stray)) ?? verifier.finish();
      return verifier.finish();
    });
    if (outcome) return outcome;
    await options.onProgress?.({ eventsChecked: checked, headSeq: head!.seq });
  }
}

export interface AuditEventView {
  seq: number;
  eventId: string;
  occurredAt: Date;
  actor: { type: string; id: string | null };
  type: string;
  data: unknown;
}

const MAX_PAGE = 200;

/** Newest first, paged by seq. */
export async function listAuditEvents(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  options: { limit?: number | undefined; before?: number | undefined },
): Promise<{ events: AuditEventView[]; nextBefore: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), MAX_PAGE);
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audit.read');
    let query = tx.selectFrom('audit_events').selectAll().where('campaign_id', '=', campaignId);
    if (options.before !== undefined) query = query.where('seq', '<', options.before);
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    return {
      events: page.map((r) => ({
        seq: r.seq,
        eventId: r.event_id,
        occurredAt: r.occurred_at,
        actor: { type: r.actor_type, id: r.actor_id },
        type: r.type,
        data: r.payload,
      })),
      nextBefore: rows.length > limit ? page[page.length - 1]!.seq : null,
    };
  });
}

/**
 * Verification requested by a staff member (owner or DPO). The check and its outcome are
 * themselves recorded, so the trail shows when it was last verified and by whom.
 */
export async function verifyCampaignAudit(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<ChainVerification> {
  await inCampaign(deps.db, campaignId, (tx) => authorize(tx, principal, campaignId, 'audit.verify'));
  const result = await verifyAuditTrail(deps.db, campaignId);
  await inCampaign(deps.db, campaignId, (tx) =>
    appendAuditEvent(tx, campaignId, actorOf(principal), {
      type: 'audit.verified',
      data: { ok: result.ok, eventsChecked: result.eventsChecked, problemSeq: result.problem?.seq ?? null },
    }),
  );
  return result;
}
