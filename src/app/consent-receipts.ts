/**
 * Consent receipts (issue 6): the proof of what each visitor chose, append-only.
 *
 * The public POST /c/:siteId/receipts hands a submission to `submitReceipt`, which checks it
 * strictly — the site exists, the request comes from one of its registered origins, the body is
 * a ReceiptSubmission (src/shared/consent-banner.ts) within RECEIPT_MAX_BYTES, naming a published
 * configuration and the text shown — and then queues it for the group commit. A receipt is
 * acknowledged only once the transaction holding it has committed.
 *
 * Group commit: receipts arriving together are written by one INSERT in one transaction. The
 * queue is flushed at once when a flush slot is free (so a lone receipt waits for nothing), and
 * otherwise collects receipts while the previous batch commits, up to MAX_BATCH per INSERT: under
 * load the cost of a commit (the WAL flush) is shared by everything that arrived meanwhile. A
 * batch that fails as a whole is retried one receipt at a time, so one bad row cannot take good
 * ones down with it.
 *
 * Idempotency: the receipt id is the key. A retry of a stored receipt is answered with the
 * stored acknowledgement (200); the same receipt id with another consent id is a conflict.
 *
 * No IP address or user agent is stored; the client address is used in memory only, for the
 * rate limit (src/http/routes/consent-sites.ts).
 */
import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client.js';
import { inCampaign, type Tx } from '../db/scope.js';
import {
  CONSENT_RATE_DAYS_MAX,
  RECEIPT_CSV_COLUMNS,
  receiptProblems,
  receiptSubmissionSchema,
  retentionSchema,
  type ConsentRateBucket,
  type ConsentReceiptView,
  type ReceiptInput,
} from '../domain/consent-sites.js';
import { AppError, conflict, invalid, notFound } from '../domain/errors.js';
import { neutralizeFormula } from '../imports/report.js';
import {
  CONSENT_CATEGORIES,
  RECEIPT_MAX_BYTES,
  type BannerLanguage,
  type ConsentCategory,
  type ReceiptAck,
} from '../shared/consent-banner.js';
import { appendAuditEvent } from './audit.js';
import {
  changeSiteRow,
  consentTx,
  loadSiteRow,
  publicSite,
  publishedVersionKeys,
  type ConsentReceiptsTable,
} from './consent-sites.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { issuesOf, parseInput } from './validate.js';
import { isUuid } from '../domain/people.js';

// ---------------------------------------------------------------------------------------
// Group commit
// ---------------------------------------------------------------------------------------

/** A receipt as the batch INSERT takes it (jsonb_populate_recordset over consent_receipts). */
interface ReceiptRow {
  campaign_id: string;
  site_id: string;
  receipt_id: string;
  consent_id: string;
  action: string;
  categories: Partial<Record<ConsentCategory, boolean>>;
  services: Record<string, boolean>;
  config_hash: string;
  revision: number;
  text_hash: string;
  language: string;
  gpc: boolean;
  page_url: string;
  client_time: string;
}

export interface StoredReceipt {
  ack: ReceiptAck;
  /** false: this receipt id was stored before (a retry). */
  created: boolean;
}

interface Pending {
  row: ReceiptRow;
  resolve: (stored: StoredReceipt) => void;
  reject: (error: unknown) => void;
}

export interface ReceiptWriterOptions {
  /** Most receipts per INSERT. */
  maxBatch?: number;
  /** Batches committing at once (PGlite has one connection: 1). */
  maxInFlight?: number;
}

export const MAX_BATCH = 500;

/**
 * The group-commit queue of one database. Receipts are grouped by campaign (each transaction
 * runs in one campaign's scope).
 */
export class ReceiptWriter {
  private readonly queues = new Map<string, Pending[]>();
  private queued = 0;
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  /** Batches committed and receipts in them, for the benchmark. */
  readonly stats = { batches: 0, receipts: 0, largestBatch: 0, flushMs: 0 };

  constructor(
    private readonly db: Database,
    options: ReceiptWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
    this.maxInFlight = options.maxInFlight ?? (db.kind === 'pglite' ? 1 : 2);
  }

  /** Resolves once the receipt's transaction has committed. */
  write(campaignId: string, row: ReceiptRow): Promise<StoredReceipt> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(campaignId);
      if (queue) queue.push({ row, resolve, reject });
      else this.queues.set(campaignId, [{ row, resolve, reject }]);
      this.queued += 1;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // The rest of this turn of the event loop may bring more receipts: flush after it.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queued > 0) {
      const [campaignId, queue] = this.queues.entries().next().value as [string, Pending[]];
      const batch = queue.splice(0, this.maxBatch);
      if (queue.length === 0) this.queues.delete(campaignId);
      this.queued -= batch.length;
      this.inFlight += 1;
      void this.flush(campaignId, batch).finally(() => {
        this.inFlight -= 1;
        if (this.queued > 0) this.pump();
      });
    }
  }

  private async flush(campaignId: string, batch: Pending[]): Promise<void> {
    const started = performance.now();
    try {
      const results = await this.insert(
        campaignId,
        batch.map((p) => p.row),
      );
      this.stats.flushMs += Math.round(performance.now() - started);
      this.stats.batches += 1;
      this.stats.receipts += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      batch.forEach((p, i) => {
        const result = results[i]!;
        if (result instanceof AppError) p.reject(result);
        else p.resolve(result);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One at a time: a receipt the database refuses fails alone.
      for (const p of batch) await this.flush(campaignId, [p]);
    }
  }

  /**
   * One transaction: insert what is new (one statement, the batch as one JSON parameter), and
   * read back what was there before (retries).
   */
  private insert(campaignId: string, rows: ReceiptRow[]): Promise<(StoredReceipt | AppError)[]> {
    return inCampaign(this.db, campaignId, async (tx) => {
      const { rows: inserted } = await sql<{ site_id: string; receipt_id: string; stored_at: string }>`
        INSERT INTO consent_receipts (campaign_id, site_id, receipt_id, consent_id, action, categories, services,
          config_hash, revision, text_hash, language, gpc, page_url, client_time)
        SELECT campaign_id, site_id, receipt_id, consent_id, action, categories, services,
          config_hash, revision, text_hash, language, gpc, page_url, client_time
          FROM jsonb_populate_recordset(NULL::consent_receipts, ${JSON.stringify(rows)}::jsonb)
        ON CONFLICT (campaign_id, site_id, receipt_id) DO NOTHING
        RETURNING site_id, receipt_id, ${STORED_AT_ISO} AS stored_at`.execute(tx);
      const keyOf = (r: { site_id: string; receipt_id: string }): string => `${r.site_id}/${r.receipt_id}`;
      const fresh = new Map(inserted.map((r) => [keyOf(r), r.stored_at]));
      // What each receipt id holds: the row this batch inserted (the first of duplicates), or the
      // one stored before.
      const holder = new Map<string, { consent_id: string; stored_at: string; created: boolean }>();
      for (const row of rows) {
        const storedAt = fresh.get(keyOf(row));
        if (storedAt && !holder.has(keyOf(row))) {
          holder.set(keyOf(row), { consent_id: row.consent_id, stored_at: storedAt, created: true });
        }
      }
      const missing = rows.filter((r) => !fresh.has(keyOf(r)));
      if (missing.length > 0) {
        const found = await consentTx(tx)
          .selectFrom('consent_receipts')
          .select(['site_id', 'receipt_id', 'consent_id', STORED_AT_ISO.as('stored_at')])
          .where('campaign_id', '=', campaignId)
          .where(
            'receipt_id',
            'in',
            missing.map((r) => r.receipt_id),
          )
          .execute();
        for (const f of found) holder.set(keyOf(f), { ...f, created: false });
      }
      const acknowledged = new Set<string>();
      return rows.map((row) => {
        const key = keyOf(row);
        const held = holder.get(key);
        if (!held) return new AppError('internal_error', 'the receipt was neither stored nor found');
        if (held.consent_id !== row.consent_id) {
          return conflict('this receiptId was already used for another consent: generate a new receiptId', {
            field: 'receiptId',
          });
        }
        const created = held.created && !acknowledged.has(key);
        acknowledged.add(key);
        return { ack: ackOf(row, held.stored_at), created };
      });
    });
  }
}

const ackOf = (row: ReceiptRow, storedAt: string): ReceiptAck => ({
  receiptId: row.receipt_id,
  consentId: row.consent_id,
  storedAt,
});

/** stored_at as the acknowledgement gives it (ISO 8601, UTC, milliseconds), formatted by the database. */
const STORED_AT_ISO = sql<string>`to_char(stored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const writers = new WeakMap<Database, ReceiptWriter>();

/**
 * The group-commit queue of a database (one per process and database); `options` apply when it
 * is made (the first call).
 */
export function receiptWriterOf(db: Database, options?: ReceiptWriterOptions): ReceiptWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new ReceiptWriter(db, options);
    writers.set(db, writer);
  }
  return writer;
}

// ---------------------------------------------------------------------------------------
// The public submission
// ---------------------------------------------------------------------------------------

export interface ReceiptRequest {
  siteId: string;
  /** The Origin header, if any. */
  origin: string | undefined;
  /** The raw body (a string: JSON sent as application/json or text/plain, e.g. by sendBeacon). */
  body: unknown;
}

/** Whether an origin may use a site's public endpoints (for CORS and the receipt check). */
export async function originAllowed(db: Database, siteId: string, origin: string | undefined): Promise<boolean> {
  if (!origin) return false;
  const site = await publicSite(db, siteId);
  return site !== null && site.origins.includes(origin);
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') {
    if (body !== null && typeof body === 'object') return body;
    throw new AppError('bad_request', 'send the receipt as a JSON object');
  }
  if (Buffer.byteLength(body, 'utf8') > RECEIPT_MAX_BYTES) {
    throw new AppError('payload_too_large', `a receipt is at most ${RECEIPT_MAX_BYTES} bytes`);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new AppError('bad_request', 'the request body is not valid JSON');
  }
}

/**
 * Checks a submission and stores it (group commit). Resolves with the acknowledgement once it
 * is committed; rejects with a 4xx AppError naming the problem otherwise.
 */
export async function submitReceipt(db: Database, request: ReceiptRequest): Promise<StoredReceipt> {
  const site = await publicSite(db, request.siteId);
  if (!site) throw notFound('consent site');
  if (!request.origin || !site.origins.includes(request.origin)) {
    throw new AppError('forbidden', 'this website is not registered for this consent site: register its origin first', {
      origin: request.origin ?? null,
    });
  }
  const parsed = receiptSubmissionSchema.safeParse(parseBody(request.body));
  if (!parsed.success) throw invalid(issuesOf(parsed.error));
  const receipt: ReceiptInput = parsed.data;
  const page = new URL(receipt.pageUrl);
  if (page.origin !== request.origin) {
    throw invalid([{ field: 'pageUrl', message: 'must be a page of the website the receipt is sent from' }]);
  }
  const keys = await publishedVersionKeys(db, site, receipt.configHash, receipt.revision);
  if (!keys) {
    throw invalid([
      { field: 'configHash', message: 'names no published configuration of this site (with this revision)' },
    ]);
  }
  const problems = receiptProblems(receipt, keys);
  if (problems.length > 0) throw invalid(problems);
  return receiptWriterOf(db).write(site.campaignId, {
    campaign_id: site.campaignId,
    site_id: site.siteId,
    receipt_id: receipt.receiptId.toLowerCase(),
    consent_id: receipt.consentId.toLowerCase(),
    action: receipt.action,
    categories: receipt.categories,
    services: receipt.services,
    config_hash: receipt.configHash,
    revision: receipt.revision,
    text_hash: receipt.textHash,
    language: receipt.language,
    gpc: receipt.gpc,
    // Without query string or fragment (they can carry personal data).
    page_url: `${page.origin}${page.pathname}`,
    client_time: receipt.clientTime,
  });
}

// ---------------------------------------------------------------------------------------
// Staff: search, rates, export, retention
// ---------------------------------------------------------------------------------------

function receiptView(r: Pick<Selectable<ConsentReceiptsTable>, (typeof RECEIPT_COLUMNS)[number]>): ConsentReceiptView {
  return {
    receiptId: r.receipt_id,
    consentId: r.consent_id,
    storedAt: new Date(r.stored_at).toISOString(),
    action: r.action,
    categories: r.categories,
    services: r.services,
    configHash: r.config_hash,
    revision: r.revision,
    textHash: r.text_hash,
    language: r.language as BannerLanguage,
    gpc: r.gpc,
    pageUrl: r.page_url,
    clientTime: r.client_time ? new Date(r.client_time).toISOString() : null,
  };
}

const RECEIPT_COLUMNS = [
  'receipt_id',
  'consent_id',
  'stored_at',
  'action',
  'categories',
  'services',
  'config_hash',
  'revision',
  'text_hash',
  'language',
  'gpc',
  'page_url',
  'client_time',
] as const;

/** The consent id a search or export asks for (lower case), or null for none; invalid names the field. */
function consentIdOf(raw: string | undefined): string | null {
  const consentId = raw?.trim();
  if (!consentId) return null;
  if (!isUuid(consentId)) {
    throw invalid([{ field: 'consentId', message: 'a consent id looks like 0e8b5a3c-8c55-4a52-bb0e-6b1f6e1a9d42' }]);
  }
  return consentId.toLowerCase();
}

/** A site's receipts, or one visitor's (consentId), unordered. */
function receiptsQuery(tx: Tx, campaignId: string, siteId: string, consentId: string | null) {
  const q = consentTx(tx)
    .selectFrom('consent_receipts')
    .select(RECEIPT_COLUMNS)
    .where('campaign_id', '=', campaignId)
    .where('site_id', '=', siteId);
  return consentId ? q.where('consent_id', '=', consentId) : q;
}

export interface ReceiptQuery {
  consentId?: string | undefined;
  limit?: number | undefined;
}

/** Receipts, newest first: one visitor's (by the consent id they were shown), or the latest. */
export async function listConsentReceipts(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
  query: ReceiptQuery,
): Promise<ConsentReceiptView[]> {
  const consentId = consentIdOf(query.consentId);
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    await loadSiteRow(tx, campaignId, siteId);
    const rows = await receiptsQuery(tx, campaignId, siteId, consentId)
      .orderBy('stored_at', 'desc')
      .orderBy('receipt_id')
      .limit(limit)
      .execute();
    return rows.map(receiptView);
  });
}

/**
 * Consent rates over time: per day (UTC), how many receipts, and how many of them granted each
 * category. The last `days` days, oldest first; days without receipts are left out.
 */
export async function consentRates(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
  days: number,
): Promise<ConsentRateBucket[]> {
  if (!Number.isInteger(days) || days < 1 || days > CONSENT_RATE_DAYS_MAX) {
    throw invalid([{ field: 'days', message: `must be a whole number from 1 to ${CONSENT_RATE_DAYS_MAX}` }]);
  }
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    await loadSiteRow(tx, campaignId, siteId);
    const since = new Date(nowOf(deps).getTime() - days * 86_400_000);
    const granted = CONSENT_CATEGORIES.map((c) =>
      sql<number>`count(*) FILTER (WHERE (categories ->> ${c})::boolean)::int`.as(`granted_${c}`),
    );
    const rows = await consentTx(tx)
      .selectFrom('consent_receipts')
      .select([
        sql<string>`to_char(stored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('day'),
        sql<number>`count(*)::int`.as('receipts'),
        ...granted,
      ])
      .where('campaign_id', '=', campaignId)
      .where('site_id', '=', siteId)
      .where('stored_at', '>=', since)
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();
    return rows.map((r) => {
      const row = r as unknown as Record<string, number | string>;
      return {
        day: String(row['day']),
        receipts: Number(row['receipts']),
        granted: Object.fromEntries(CONSENT_CATEGORIES.map((c) => [c, Number(row[`granted_${c}`])])) as Record<
          ConsentCategory,
          number
        >,
      };
    });
  });
}

export interface ReceiptExport {
  format: 'csv' | 'json';
  siteId: string;
  generatedAt: string;
  receipts: ConsentReceiptView[];
}

/** Every receipt of a site (or one visitor's), for the campaign's records. Audited. */
export async function exportConsentReceipts(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
  options: { format: string; consentId?: string | undefined },
): Promise<ReceiptExport> {
  if (options.format !== 'csv' && options.format !== 'json') {
    throw invalid([{ field: 'format', message: 'must be csv or json' }]);
  }
  const format = options.format;
  const consentId = consentIdOf(options.consentId);
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    await loadSiteRow(tx, campaignId, siteId);
    const rows = await receiptsQuery(tx, campaignId, siteId, consentId)
      .orderBy('stored_at')
      .orderBy('receipt_id')
      .execute();
    const now = nowOf(deps);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'consent_receipts.exported', data: { siteId, format, receipts: rows.length, consentId } },
      now,
    );
    return { format, siteId, generatedAt: now.toISOString(), receipts: rows.map(receiptView) };
  });
}

const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

/** The export as CSV: one row per receipt, every text cell formula-neutralised. */
export function receiptsCsv(receipts: readonly ConsentReceiptView[]): string {
  const lines = [RECEIPT_CSV_COLUMNS.join(',')];
  for (const r of receipts) {
    const cells = [
      r.storedAt,
      r.receiptId,
      r.consentId,
      r.action,
      ...CONSENT_CATEGORIES.map((c) => (r.categories[c] === undefined ? '' : String(r.categories[c]))),
      Object.entries(r.services)
        .map(([id, granted]) => `${id}=${granted ? 'yes' : 'no'}`)
        .join(' '),
      r.configHash,
      String(r.revision),
      r.textHash,
      r.language,
      String(r.gpc),
      r.pageUrl,
      r.clientTime ?? '',
    ];
    lines.push(cells.map((c) => quote(neutralizeFormula(c))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Sets how long a site's receipts are kept (null: until the site is retired). Audited. */
export async function setReceiptRetention(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
  input: unknown,
): Promise<{ retentionDays: number | null }> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    const { retentionDays } = parseInput(retentionSchema, input);
    await loadSiteRow(tx, campaignId, siteId);
    await changeSiteRow(
      tx,
      principal,
      campaignId,
      siteId,
      { retention_days: retentionDays },
      { type: 'consent_site.retention_set', data: { siteId, retentionDays } },
      nowOf(deps),
    );
    return { retentionDays };
  });
}

/**
 * Deletes the site's receipts older than its retention period — the only way a receipt leaves
 * the database (canvass_purge_consent_receipts, SECURITY DEFINER) — and audits it in the same
 * transaction. invalid_state when no retention period is set.
 */
export async function purgeConsentReceipts(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
): Promise<{ purged: number; storedBefore: string }> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    const site = await loadSiteRow(tx, campaignId, siteId);
    if (site.retention_days === null) {
      throw new AppError('invalid_state', 'set a retention period for this website’s receipts first');
    }
    const now = nowOf(deps);
    const before = new Date(now.getTime() - site.retention_days * 86_400_000);
    const { rows } = await sql<{
      purged: number;
    }>`SELECT canvass_purge_consent_receipts(${siteId}::uuid, ${before.toISOString()}::timestamptz) AS purged`.execute(
      tx,
    );
    const purged = Number(rows[0]?.purged ?? 0);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      {
        type: 'consent_receipts.purged',
        data: { siteId, storedBefore: before.toISOString(), retentionDays: site.retention_days, purged },
      },
      now,
    );
    return { purged, storedBefore: before.toISOString() };
  });
}
