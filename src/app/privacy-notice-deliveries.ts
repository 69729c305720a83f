/**
 * Which version of the privacy notice each person was given, when and how (UK GDPR Arts 13
 * and 14; Art 5(2) accountability). The audiences feature reads these to check that the
 * people it uploads were given a notice that explains list matching (TR-LIST-MATCHING-DISCLOSED).
 *
 * Deliveries are append-only: a correction is a new delivery. Erasing a person deletes their
 * deliveries with them (the foreign key to people cascades; migration 20261129000400).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { invalid, notFound } from '../domain/errors.js';
import {
  NOTICE_DELIVERY_METHODS,
  NOTICE_LANGUAGES,
  type NoticeDeliveryMethod,
  type NoticeDeliveryView,
  type NoticeLanguage,
} from '../shared/privacy-notice.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { parseInput } from './validate.js';

/** A little leeway for clocks: "now" on the client may be a few minutes ahead of the server. */
const FUTURE_LEEWAY_MS = 5 * 60_000;

export const noticeDeliveryInputSchema = z
  .object({
    /** The version given; the version current when it was given, if left out. */
    version: z.number().int('must be a whole number').min(1, 'versions start at 1').optional(),
    language: z.enum(NOTICE_LANGUAGES).default('en'),
    method: z.enum(NOTICE_DELIVERY_METHODS, {
      message: `must be one of ${NOTICE_DELIVERY_METHODS.join(', ')}`,
    }),
    deliveredAt: z.iso.datetime({ offset: true, message: 'a date and time in ISO 8601, e.g. 2026-11-29T10:00:00Z' }),
    note: z.string().trim().max(2000, 'must be at most 2000 characters').nullable().optional(),
  })
  .strict();

const iso = (d: Date | string): string => new Date(d).toISOString();

interface DeliveryRow {
  delivery_id: string;
  version: number;
  language: string;
  method: string;
  delivered_at: Date | string;
  recorded_at: Date | string;
  note: string | null;
}

const present = (r: DeliveryRow): NoticeDeliveryView => ({
  id: r.delivery_id,
  version: Number(r.version),
  language: r.language as NoticeLanguage,
  method: r.method as NoticeDeliveryMethod,
  deliveredAt: iso(r.delivered_at),
  recordedAt: iso(r.recorded_at),
  note: r.note,
});

/** A person's deliveries, oldest first (inside the caller's transaction). */
export async function loadNoticeDeliveries(
  tx: Tx,
  campaignId: string,
  personId: string,
): Promise<NoticeDeliveryView[]> {
  const rows = await tx
    .selectFrom('privacy_notice_deliveries')
    .select(['delivery_id', 'version', 'language', 'method', 'delivered_at', 'recorded_at', 'note'])
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .orderBy('delivered_at')
    .orderBy('recorded_at')
    .orderBy('delivery_id')
    .execute();
  return rows.map(present);
}

/**
 * The version that was the published one in `language` at `at`: the newest published no later
 * than then. Null when none had been published by then.
 */
export async function versionCurrentAt(
  tx: Tx,
  campaignId: string,
  language: NoticeLanguage,
  at: Date,
): Promise<number | null> {
  const row = await tx
    .selectFrom('privacy_notice_versions')
    .select('version')
    .where('campaign_id', '=', campaignId)
    .where('language', '=', language)
    .where('published_at', '<=', at)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.version) : null;
}

async function versionExists(tx: Tx, campaignId: string, version: number, language: NoticeLanguage): Promise<boolean> {
  const row = await tx
    .selectFrom('privacy_notice_versions')
    .select('version')
    .where('campaign_id', '=', campaignId)
    .where('version', '=', version)
    .where('language', '=', language)
    .executeTakeFirst();
  return row !== undefined;
}

export interface DeliveryToRecord {
  personId: string;
  version: number;
  language: NoticeLanguage;
  method: NoticeDeliveryMethod;
  deliveredAt: Date;
  note: string | null;
}

/** Writes one delivery and its audit event (inside the caller's transaction). */
export async function insertNoticeDelivery(
  tx: Tx,
  campaignId: string,
  actor: AuditActor,
  delivery: DeliveryToRecord,
  now: Date,
): Promise<NoticeDeliveryView> {
  const deliveryId = randomUUID();
  const row = await tx
    .insertInto('privacy_notice_deliveries')
    .values({
      campaign_id: campaignId,
      delivery_id: deliveryId,
      person_id: delivery.personId,
      version: delivery.version,
      language: delivery.language,
      method: delivery.method,
      delivered_at: delivery.deliveredAt,
      recorded_at: now,
      recorded_by: JSON.stringify(actor),
      note: delivery.note,
    })
    .returning(['delivery_id', 'version', 'language', 'method', 'delivered_at', 'recorded_at', 'note'])
    .executeTakeFirstOrThrow();
  await appendAuditEvent(
    tx,
    campaignId,
    actor,
    {
      type: 'privacy_notice.delivered',
      data: {
        deliveryId,
        personId: delivery.personId,
        version: delivery.version,
        language: delivery.language,
        method: delivery.method,
      },
    },
    now,
  );
  return present(row);
}

/**
 * Links an Art 14 notice (src/app/people.ts, recordArt14Notice) to the privacy-notice version it
 * gave: the one named, or else the version published at the time it was sent. Returns null when
 * no version had been published by then (the notice is still recorded on the person).
 */
export async function recordArt14Delivery(
  tx: Tx,
  campaignId: string,
  actor: AuditActor,
  input: {
    personId: string;
    sentAt: Date;
    method: string;
    version: number | undefined;
    language: NoticeLanguage | undefined;
  },
  now: Date,
): Promise<NoticeDeliveryView | null> {
  const language = input.language ?? 'en';
  let version: number | null;
  if (input.version !== undefined) {
    if (!(await versionExists(tx, campaignId, input.version, language))) {
      throw invalid([
        {
          field: 'noticeVersion',
          message: `no ${language === 'cy' ? 'Welsh' : 'English'} privacy notice version ${input.version} is published`,
        },
      ]);
    }
    version = input.version;
  } else {
    version = await versionCurrentAt(tx, campaignId, language, input.sentAt);
  }
  if (version === null) return null;
  return insertNoticeDelivery(
    tx,
    campaignId,
    actor,
    {
      personId: input.personId,
      version,
      language,
      method: 'art14_letter',
      deliveredAt: input.sentAt,
      note: `Art 14 notice sent by: ${input.method}`,
    },
    now,
  );
}

/** Records that a person was given a version of the notice (people.write). */
export async function recordNoticeDelivery(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  personId: string,
  input: unknown,
): Promise<NoticeDeliveryView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.write');
    const parsed = parseInput(noticeDeliveryInputSchema, input);
    const now = nowOf(deps);
    const deliveredAt = new Date(parsed.deliveredAt);
    if (deliveredAt.getTime() > now.getTime() + FUTURE_LEEWAY_MS) {
      throw invalid([{ field: 'deliveredAt', message: 'cannot be in the future' }]);
    }
    const person = await sql<{ person_id: string }>`
      SELECT person_id FROM people WHERE campaign_id = ${campaignId} AND person_id = ${personId}`.execute(tx);
    if (person.rows.length === 0) throw notFound('person');
    let version: number;
    if (parsed.version !== undefined) {
      if (!(await versionExists(tx, campaignId, parsed.version, parsed.language))) {
        throw invalid([
          {
            field: 'version',
            message: `no ${parsed.language === 'cy' ? 'Welsh' : 'English'} version ${parsed.version} of the privacy notice is published`,
          },
        ]);
      }
      version = parsed.version;
    } else {
      const current = await versionCurrentAt(tx, campaignId, parsed.language, deliveredAt);
      if (current === null) {
        throw invalid([
          {
            field: 'deliveredAt',
            message: `no ${parsed.language === 'cy' ? 'Welsh' : 'English'} privacy notice had been published by then: publish it first, or name the version`,
          },
        ]);
      }
      version = current;
    }
    return insertNoticeDelivery(
      tx,
      campaignId,
      actorOf(principal),
      {
        personId,
        version,
        language: parsed.language,
        method: parsed.method,
        deliveredAt,
        note: parsed.note ?? null,
      },
      now,
    );
  });
}

/** A person's deliveries (people.read). */
export async function listNoticeDeliveries(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  personId: string,
): Promise<NoticeDeliveryView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'people.read');
    const person = await sql<{ person_id: string }>`
      SELECT person_id FROM people WHERE campaign_id = ${campaignId} AND person_id = ${personId}`.execute(tx);
    if (person.rows.length === 0) throw notFound('person');
    return loadNoticeDeliveries(tx, campaignId, personId);
  });
}

/**
 * The newest version each of `personIds` was given (by delivery time), as the transparency
 * rules read it (SubjectFacts.noticeVersion: the version number as a string). People never
 * given a notice are absent from the map. Inside the caller's transaction.
 */
export async function noticeVersionsGiven(
  tx: Tx,
  campaignId: string,
  personIds: readonly string[],
): Promise<Map<string, string>> {
  const given = new Map<string, string>();
  if (personIds.length === 0) return given;
  const rows = await sql<{ person_id: string; version: number }>`
    SELECT DISTINCT ON (person_id) person_id, version
      FROM privacy_notice_deliveries
     WHERE campaign_id = ${campaignId} AND person_id IN (SELECT unnest(${[...personIds]}::uuid[]))
     ORDER BY person_id, delivered_at DESC, version DESC`.execute(tx);
  for (const r of rows.rows) given.set(r.person_id, String(r.version));
  return given;
}
