/**
 * The import job (issue 3): reads an import's CSV and applies it batch by batch
 * (src/imports/engine.ts). Each batch — its people, its report lines, the import's summary
 * and the job checkpoint {recordsDone, tally, nextReportSeq} — commits in ONE transaction,
 * so after a crash the next attempt skips the records already done and the database and the
 * report always agree: no record lost, none counted twice.
 *
 * Cancellation between batches keeps the committed batches and marks the import cancelled;
 * completion marks it completed and deletes the uploaded bytes.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { appendAuditEvent } from '../app/audit.js';
import { dropImportUpload, fileDigest, IMPORT_JOB_NAME, type ImportOptions } from '../app/imports.js';
import { suppressionHasher } from '../app/suppression.js';
import type { Database } from '../db/client.js';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { isThirdPartySource, type SourceType } from '../domain/sources.js';
import { resolveColumnMapping, type ColumnMappingEntry } from '../imports/column-mapping.js';
import {
  applyBatch,
  art14DueFor,
  prepareRecord,
  profileMarker,
  type ImportContext,
  type Prepared,
} from '../imports/engine.js';
import { readCsv } from '../imports/read-csv.js';
import { formatReportLine, IMPORT_OUTCOMES } from '../imports/report.js';
import { defineJob, JobCancelledError, JobError, type JobContext } from './definition.js';

/** Records per batch (one transaction each). */
export const IMPORT_BATCH_SIZE = Number(process.env.CANVASS_IMPORT_BATCH ?? '') || 4000;

const tallySchema = z.object({
  total: z.number().int().min(0),
  created: z.number().int().min(0),
  merged: z.number().int().min(0),
  suppressed: z.number().int().min(0),
  rejected: z.number().int().min(0),
  skipped: z.number().int().min(0),
  blankLines: z.number().int().min(0).optional(),
});
type Tally = z.infer<typeof tallySchema>;

const checkpointSchema = z.object({
  recordsDone: z.number().int().min(0),
  tally: tallySchema,
  nextReportSeq: z.number().int().min(0),
});
type Checkpoint = z.infer<typeof checkpointSchema>;

const emptyTally = (): Tally => ({ total: 0, created: 0, merged: 0, suppressed: 0, rejected: 0, skipped: 0 });

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

const IMPORT_ACTOR: AuditActor = { type: 'system', id: 'import' };

/** The upload's bytes, chunk by chunk, each read in a short transaction of its own. */
async function* uploadChunks(db: Database, campaignId: string, importId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const row = await inCampaign(db, campaignId, (tx) =>
      tx
        .selectFrom('import_uploads')
        .select('data')
        .where('campaign_id', '=', campaignId)
        .where('import_id', '=', importId)
        .where('seq', '=', seq)
        .executeTakeFirst(),
    );
    if (!row) return;
    yield Buffer.from(row.data);
  }
}

interface Loaded {
  ctx: ImportContext;
  status: string;
  storage: string;
  path: string | null;
  sha256: string;
  options: ImportOptions;
  createdBy: string | null;
}

/** Loads the import and prepares what every batch needs; creates its provenance rows once. */
async function load(job: JobContext<Checkpoint>, importId: string): Promise<Loaded> {
  const { campaignId } = job;
  return job.inCampaign(async (tx) => {
    const row = await tx
      .selectFrom('imports')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('import_id', '=', importId)
      .executeTakeFirst();
    if (!row) throw new JobError('the import no longer exists', { retryable: false });
    const options = parseJson<ImportOptions>(row.options);
    const entries = parseJson<ColumnMappingEntry[]>(row.mapping);
    const resolved = resolveColumnMapping(options.header, entries);
    if (!resolved.ok) throw new JobError('the import mapping no longer fits the file', { retryable: false });
    const source = await tx
      .selectFrom('sources')
      .select(['type', 'lawful_basis'])
      .where('campaign_id', '=', campaignId)
      .where('source_id', '=', row.source_id)
      .executeTakeFirstOrThrow();
    const names = resolved.value.columns
      .filter((c) => c.field.startsWith('attribute:'))
      .map((c) => c.field.slice('attribute:'.length));
    const attributes = new Map<string, { specialCategory: string | null; kind: string }>();
    if (names.length > 0) {
      const defs = await tx
        .selectFrom('attribute_definitions')
        .select(['name', 'special_category', 'kind'])
        .where('campaign_id', '=', campaignId)
        .where('name', 'in', names)
        .execute();
      for (const d of defs) attributes.set(d.name, { specialCategory: d.special_category, kind: d.kind });
    }
    const kinds = new Set(['provided', ...[...attributes.values()].map((a) => a.kind)]);
    const collectedAt = options.collectedAt ? new Date(options.collectedAt) : new Date(row.created_at);
    // One provenance row per kind per import, created by the first attempt.
    const existing = await tx
      .selectFrom('provenance')
      .select(['provenance_id', 'kind'])
      .where('campaign_id', '=', campaignId)
      .where('import_id', '=', importId)
      .execute();
    const provenance: Record<string, number> = {};
    for (const p of existing) provenance[p.kind] = Number(p.provenance_id);
    const recordedBy: AuditActor = row.created_by ? { type: 'user', id: row.created_by } : IMPORT_ACTOR;
    for (const kind of kinds) {
      if (provenance[kind] !== undefined) continue;
      const created = await tx
        .insertInto('provenance')
        .values({
          campaign_id: campaignId,
          source_id: row.source_id,
          import_id: importId,
          kind,
          lawful_basis: source.lawful_basis,
          collected_at: collectedAt,
          recorded_by: JSON.stringify(recordedBy),
        })
        .returning('provenance_id')
        .executeTakeFirstOrThrow();
      provenance[kind] = Number(created.provenance_id);
    }
    const hasher = await suppressionHasher(tx, campaignId);
    if (row.status === 'queued') {
      await tx
        .updateTable('imports')
        .set({ status: 'running', started_at: new Date() })
        .where('campaign_id', '=', campaignId)
        .where('import_id', '=', importId)
        .execute();
    }
    return {
      ctx: {
        campaignId,
        importId,
        sourceId: row.source_id,
        mapping: resolved.value,
        hasher,
        provenance,
        attributes,
        art14DueAt: art14DueFor(isThirdPartySource(source.type as SourceType), collectedAt),
        now: new Date(),
        tagIds: new Map(),
        listIds: new Map(),
        asyncCommit: job.database.kind === 'postgres',
      },
      status: row.status,
      storage: row.file_storage,
      path: row.file_path,
      sha256: row.file_sha256,
      options,
      createdBy: row.created_by,
    };
  });
}

/** Ends the import: status, summary, audit event, and the uploaded bytes deleted. */
async function finishImport(
  tx: Tx,
  campaignId: string,
  importId: string,
  status: 'completed' | 'cancelled' | 'failed',
  tally: Tally,
): Promise<void> {
  await tx
    .updateTable('imports')
    .set({ status, summary: JSON.stringify(tally), finished_at: new Date() })
    .where('campaign_id', '=', campaignId)
    .where('import_id', '=', importId)
    .execute();
  await dropImportUpload(tx, campaignId, importId);
  await appendAuditEvent(tx, campaignId, IMPORT_ACTOR, {
    type: 'import.finished',
    data: {
      importId,
      status,
      summary: Object.fromEntries(Object.entries(tally).filter((e): e is [string, number] => e[1] !== undefined)),
    },
  });
}

async function runImport(job: JobContext<Checkpoint>, importId: string): Promise<Tally> {
  const loaded = await load(job, importId);
  const { ctx, options } = loaded;
  if (loaded.status === 'completed' || loaded.status === 'cancelled' || loaded.status === 'failed') {
    return job.checkpoint?.tally ?? emptyTally();
  }
  let state: Checkpoint = job.checkpoint ?? { recordsDone: 0, tally: emptyTally(), nextReportSeq: 0 };

  let input: Readable;
  if (loaded.storage === 'path') {
    if (!loaded.path) throw new JobError('the import has no file path', { retryable: false });
    let sha: string;
    try {
      sha = (await fileDigest(loaded.path)).sha256;
    } catch {
      await job.inCampaign((tx) => finishImport(tx, job.campaignId, importId, 'failed', state.tally));
      throw new JobError('the import file can no longer be read', { retryable: false });
    }
    if (sha !== loaded.sha256) {
      await job.inCampaign((tx) => finishImport(tx, job.campaignId, importId, 'failed', state.tally));
      throw new JobError('the import file changed since the import started (its SHA-256 differs)', {
        retryable: false,
      });
    }
    input = createReadStream(loaded.path, { highWaterMark: 1024 * 1024 });
  } else {
    input = Readable.from(uploadChunks(job.database, job.campaignId, importId), { highWaterMark: 1 });
  }
  const csv = await readCsv(input, { delimiter: options.delimiter });
  const estimate = Math.max(0, options.lineBreaks - csv.header.line + 1);

  const commit = async (batch: Prepared[], final: boolean): Promise<void> => {
    if (job.isCancelled()) throw new JobCancelledError();
    const next = await job.inCampaign(async (tx): Promise<Checkpoint> => {
      const tally: Tally = { ...state.tally };
      let seq = state.nextReportSeq;
      let done = state.recordsDone;
      const mark = profileMarker();
      if (batch.length > 0) {
        ctx.now = new Date();
        const result = await applyBatch(tx, ctx, batch);
        mark('engine (the phases above)');
        let lines = '';
        for (const row of result.rows) lines += formatReportLine(row);
        mark('node: report lines');
        for (const outcome of IMPORT_OUTCOMES) tally[outcome] += result.counts[outcome];
        tally.total += batch.length;
        await tx
          .insertInto('import_report_chunks')
          .values({
            campaign_id: job.campaignId,
            import_id: importId,
            seq,
            first_record: batch[0]!.record,
            record_count: batch.length,
            lines,
          })
          .execute();
        seq += 1;
        done = batch[batch.length - 1]!.record;
        await tx
          .updateTable('imports')
          .set({ summary: JSON.stringify(tally) })
          .where('campaign_id', '=', job.campaignId)
          .where('import_id', '=', importId)
          .execute();
      }
      mark('db: report chunk and summary');
      // Blank lines are not records; the reader has counted them once it reached the end.
      if (final) tally.blankLines = csv.stats().blankLines;
      const checkpoint: Checkpoint = { recordsDone: done, tally, nextReportSeq: seq };
      if (final) await finishImport(tx, job.campaignId, importId, 'completed', tally);
      await job.reportProgress(done, final ? done : Math.max(estimate, done), checkpoint, { tx });
      mark('db: checkpoint and progress');
      return checkpoint;
    });
    state = next;
  };

  let inFlight: Promise<void> | null = null;
  try {
    let batch: Prepared[] = [];
    const mark = profileMarker();
    // One batch's transaction is in flight while the next batch is read and prepared: on
    // PostgreSQL the database and this process then work at the same time. Commits stay in
    // order, one at a time, so the checkpoint always names the last committed record.
    for await (const r of csv) {
      if (r.record <= state.recordsDone) continue;
      batch.push(prepareRecord(ctx, r));
      if (batch.length >= IMPORT_BATCH_SIZE) {
        mark('node: read and prepare');
        if (inFlight) await inFlight;
        mark('wait: for the previous batch to commit');
        inFlight = commit(batch, false);
        // Marked handled here; the rejection is rethrown where it is awaited.
        inFlight.catch(() => undefined);
        batch = [];
        // On PGlite every await above may resolve without reaching the event loop: let
        // timers, HTTP requests and the job heartbeat run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (inFlight) await inFlight;
    await commit(batch, true);
  } catch (error) {
    // Let a commit still in flight settle first, so the state below is the committed one.
    if (inFlight) await inFlight.catch(() => undefined);
    if (error instanceof JobCancelledError) {
      // The batch in flight rolled back with its checkpoint; the committed ones stay.
      await inCampaign(job.database, job.campaignId, (tx) =>
        finishImport(tx, job.campaignId, importId, 'cancelled', state.tally),
      );
    }
    input.destroy();
    throw error;
  }
  return state.tally;
}

export const importJob = defineJob({
  name: IMPORT_JOB_NAME,
  version: 1,
  payload: z.object({ importId: z.uuid() }).strict(),
  checkpoint: checkpointSchema,
  retryLimit: 3,
  retryDelaySeconds: 1,
  handler: async (ctx, payload) => runImport(ctx, payload.importId),
});
