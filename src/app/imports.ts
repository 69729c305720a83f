/**
 * Imports (issue 3): upload a CSV, check it against the import rules, run it as a durable
 * job (src/jobs/import-job.ts, engine in src/imports/engine.ts), read its progress and
 * download its report.
 *
 * Life of an import: uploading → uploaded → (start) refused | queued → running → completed |
 * failed | cancelled. An 'uploaded' import can be deleted. The uploaded bytes live in import_uploads
 * until the import ends; the CLI's imports read a file on disk instead (file_storage
 * 'path'), whose SHA-256 the job checks before reading it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { z } from 'zod';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { AppError, invalid, notFound } from '../domain/errors.js';
import { classifyAttributeName, uuidv7 } from '../domain/people.js';
import { decideAction } from '../domain/rules/engine.js';
import { proceeds, type Finding } from '../domain/rules/rule.js';
import type { ControllerType, ImportStatus } from '../shared/labels.js';
import type { ImportSummary, ImportView } from '../shared/views.js';
import {
  parseColumnMappingInput,
  resolveColumnMapping,
  suggestColumnMapping,
  type ColumnMappingEntry,
} from '../imports/column-mapping.js';
import { readCsv, isErrorRecord, type CsvDelimiter } from '../imports/read-csv.js';
import { REPORT_CSV_HEADER } from '../imports/report.js';
import { appendAuditEvent } from './audit.js';
import { auditFindings } from './decisions.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import { loadSource } from './sources.js';
import { parseInput } from './validate.js';
import type { Database } from '../db/client.js';

export const IMPORT_JOB_NAME = 'import.run';
/** Bytes per import_uploads row. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/** Largest upload accepted. */
export const UPLOAD_MAX_BYTES = 256 * 1024 * 1024;
/** Bytes kept in memory at upload to read the header and the sample rows. */
const PREVIEW_BYTES = 4 * 1024 * 1024;

/** What starting an import needs from the job runner (src/jobs/runner.ts). */
export interface ImportJobs {
  enqueue(input: {
    campaignId: string;
    name: string;
    payload: unknown;
    createdBy: string | null;
    actor: AuditActor;
    tx?: Tx;
  }): Promise<{ jobId: string }>;
}

export type { ImportView } from '../shared/views.js';

/** What the job and the CLI read from imports.options. */
export interface ImportOptions {
  header: string[];
  delimiter: CsvDelimiter;
  /** Physical line breaks in the file (an estimate of the records, for progress). */
  lineBreaks: number;
  collectedAt?: string;
}

export interface UploadResult {
  import: ImportView;
  header: string[];
  delimiter: CsvDelimiter;
  suggestedMapping: ColumnMappingEntry[];
  sampleRows: string[][];
}

// ---------------------------------------------------------------------------------------
// Presenting
// ---------------------------------------------------------------------------------------

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

interface ImportJoinRow {
  import_id: string;
  source_id: string;
  source_name: string;
  file_name: string;
  file_bytes: number | string;
  status: string;
  decisions: unknown;
  summary: unknown;
  mapping: unknown;
  job_id: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  job_status: string | null;
  progress_done: number | string | null;
  progress_total: number | string | null;
}

function presentImport(row: ImportJoinRow): ImportView {
  let status = row.status as ImportStatus;
  // A job that failed for good (its process died with no retry left) ends the import too.
  if (
    (status === 'queued' || status === 'running') &&
    (row.job_status === 'failed' || row.job_status === 'cancelled')
  ) {
    status = row.job_status;
  }
  return {
    id: row.import_id,
    sourceId: row.source_id,
    sourceName: row.source_name,
    fileName: row.file_name,
    fileBytes: Number(row.file_bytes),
    status,
    decisions: parseJson<Finding[]>(row.decisions) ?? [],
    summary: parseJson<ImportSummary | null>(row.summary) ?? null,
    mapping: parseJson<ColumnMappingEntry[]>(row.mapping) ?? [],
    jobId: row.job_id,
    progress:
      row.job_id === null || row.progress_done === null
        ? null
        : { done: Number(row.progress_done), total: row.progress_total === null ? null : Number(row.progress_total) },
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

/** Deletes an import's uploaded bytes (once it is refused or finished, they are not needed again). */
export async function dropImportUpload(tx: Tx, campaignId: string, importId: string): Promise<void> {
  await tx
    .deleteFrom('import_uploads')
    .where('campaign_id', '=', campaignId)
    .where('import_id', '=', importId)
    .execute();
}

async function selectImports(tx: Tx, campaignId: string, importId: string | null): Promise<ImportView[]> {
  const rows = await sql<ImportJoinRow>`
    SELECT i.import_id, i.source_id, s.name AS source_name, i.file_name, i.file_bytes, i.status, i.decisions,
           i.summary, i.mapping, i.job_id, i.created_at, i.started_at, i.finished_at,
           j.status AS job_status, j.progress_done, j.progress_total
      FROM imports i
      JOIN sources s ON s.campaign_id = i.campaign_id AND s.source_id = i.source_id
      LEFT JOIN job_runs j ON j.campaign_id = i.campaign_id AND j.job_id = i.job_id
     WHERE i.campaign_id = ${campaignId} ${importId === null ? sql`` : sql`AND i.import_id = ${importId}`}
     ORDER BY i.created_at DESC, i.import_id DESC
     LIMIT 500`.execute(tx);
  return rows.rows.map(presentImport);
}

export async function loadImportView(tx: Tx, campaignId: string, importId: string): Promise<ImportView> {
  const [view] = await selectImports(tx, campaignId, importId);
  if (!view) throw notFound('import');
  return view;
}

export async function listImports(deps: AppDeps, principal: Principal, campaignId: string): Promise<ImportView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'imports.read');
    return selectImports(tx, campaignId, null);
  });
}

export async function getImport(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  importId: string,
): Promise<ImportView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'imports.read');
    return loadImportView(tx, campaignId, importId);
  });
}

// ---------------------------------------------------------------------------------------
// Reading a file's header
// ---------------------------------------------------------------------------------------

export interface CsvPreview {
  header: string[];
  delimiter: CsvDelimiter;
  suggestedMapping: ColumnMappingEntry[];
  sampleRows: string[][];
}

/** The header, delimiter, suggested mapping and first five data rows of a CSV stream. */
export async function previewCsv(input: Readable): Promise<CsvPreview> {
  const csv = await readCsv(input);
  const sampleRows: string[][] = [];
  try {
    for await (const r of csv) {
      if (!isErrorRecord(r)) sampleRows.push(r.values);
      if (sampleRows.length >= 5 || r.record >= 50) break;
    }
  } catch {
    // A truncated preview may end inside a record: the rows before it are enough.
  }
  return {
    header: csv.header.names,
    delimiter: csv.header.delimiter,
    suggestedMapping: suggestColumnMapping(csv.header.names),
    sampleRows,
  };
}

/** Counts line breaks (LF, CR and CRLF each count once) in a buffer. */
function countLineBreaks(buf: Uint8Array, previousEndedWithCr: boolean): { count: number; endsWithCr: boolean } {
  let count = 0;
  let i = 0;
  if (previousEndedWithCr && buf[0] === 0x0a) i = 1;
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) count++;
    else if (b === 0x0d) {
      count++;
      if (buf[i + 1] === 0x0a) i++;
    }
  }
  return { count, endsWithCr: buf.length > 0 && buf[buf.length - 1] === 0x0d };
}

/** Streams `input` once: its SHA-256, size, line breaks, and the first bytes for the preview. */
async function digest(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  onChunk?: (chunk: Buffer) => Promise<void>,
): Promise<{ sha256: string; bytes: number; lineBreaks: number; head: Buffer }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let lineBreaks = 0;
  let cr = false;
  const head: Buffer[] = [];
  let headBytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (!onChunk || pendingBytes === 0) return;
    const all = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    for (let at = 0; at < all.length; at += UPLOAD_CHUNK_BYTES)
      await onChunk(all.subarray(at, at + UPLOAD_CHUNK_BYTES));
  };
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    bytes += chunk.length;
    if (bytes > UPLOAD_MAX_BYTES) {
      throw new AppError('payload_too_large', `the file is larger than ${UPLOAD_MAX_BYTES / 1024 / 1024} MB`);
    }
    hash.update(chunk);
    const counted = countLineBreaks(chunk, cr);
    lineBreaks += counted.count;
    cr = counted.endsWithCr;
    if (headBytes < PREVIEW_BYTES) {
      head.push(chunk);
      headBytes += chunk.length;
    }
    if (onChunk) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= UPLOAD_CHUNK_BYTES) {
        const all = Buffer.concat(pending, pendingBytes);
        const whole = all.length - (all.length % UPLOAD_CHUNK_BYTES);
        for (let at = 0; at < whole; at += UPLOAD_CHUNK_BYTES) await onChunk(all.subarray(at, at + UPLOAD_CHUNK_BYTES));
        pending = whole < all.length ? [all.subarray(whole)] : [];
        pendingBytes = all.length - whole;
      }
    }
  }
  await flush();
  return { sha256: hash.digest('hex'), bytes, lineBreaks, head: Buffer.concat(head) };
}

/** The SHA-256 and size of a file on disk. */
export async function fileDigest(path: string): Promise<{ sha256: string; bytes: number; lineBreaks: number }> {
  const d = await digest(createReadStream(path, { highWaterMark: UPLOAD_CHUNK_BYTES }));
  return { sha256: d.sha256, bytes: d.bytes, lineBreaks: d.lineBreaks };
}

// ---------------------------------------------------------------------------------------
// Upload
// ---------------------------------------------------------------------------------------

const uploadQuerySchema = z.object({
  sourceId: z.uuid('sourceId: the id of one of the campaign’s sources'),
  fileName: z.string().trim().min(1, 'fileName is required').max(255).default('upload.csv'),
});

/** An upload still 'uploading' after this long was abandoned by a crashed process. */
export const ABANDONED_UPLOAD_MS = 60 * 60 * 1000;

/**
 * Stores an uploaded CSV (in 1 MB chunks) and reads its header: status 'uploaded'. A file
 * without a readable header is refused with validation_failed and nothing is stored.
 *
 * The upload is not one transaction: a slow client would otherwise hold a connection — on the
 * embedded database the only one, so every other request would wait — for as long as it
 * takes to send the file. The import row is created as 'uploading' in a short transaction,
 * each chunk is stored in its own, and a last one checks the file and marks it 'uploaded'.
 * If anything fails (the client goes away, the file is too large, empty or unreadable), the
 * row and its chunks are deleted before the error is rethrown. A crash mid-upload leaves an
 * 'uploading' row: the campaign's next upload deletes those older than ABANDONED_UPLOAD_MS.
 */
export async function uploadImport(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  query: unknown,
  body: AsyncIterable<Buffer | Uint8Array | string>,
): Promise<UploadResult> {
  const importId = await inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const input = parseInput(uploadQuerySchema, query);
    await authorize(tx, principal, campaignId, 'imports.run');
    await loadSource(tx, campaignId, input.sourceId);
    const now = nowOf(deps);
    await tx
      .deleteFrom('imports')
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'uploading')
      .where('created_at', '<', new Date(now.getTime() - ABANDONED_UPLOAD_MS))
      .execute();
    const id = uuidv7(now.getTime());
    await tx
      .insertInto('imports')
      .values({
        campaign_id: campaignId,
        import_id: id,
        source_id: input.sourceId,
        file_name: basename(input.fileName),
        file_bytes: 0,
        file_sha256: '',
        file_storage: 'upload',
        mapping: '[]',
        status: 'uploading',
        created_by: principal.userId,
        created_at: now,
      })
      .execute();
    return id;
  });
  try {
    let seq = 0;
    const d = await digest(body, async (chunk) => {
      const data = Buffer.from(chunk);
      const at = seq++;
      await inCampaign(deps.db, campaignId, (tx) =>
        tx
          .insertInto('import_uploads')
          .values({ campaign_id: campaignId, import_id: importId, seq: at, data })
          .execute(),
      );
    });
    if (d.bytes === 0) throw invalid([{ field: 'file', message: 'the file is empty' }]);
    const preview = await previewCsv(Readable.from([d.head]));
    const options: ImportOptions = { header: preview.header, delimiter: preview.delimiter, lineBreaks: d.lineBreaks };
    return await inCampaign(deps.db, campaignId, async (tx) => {
      // The upload may have taken a while: the uploader must still be allowed to import.
      await authorize(tx, principal, campaignId, 'imports.run');
      const updated = await tx
        .updateTable('imports')
        .set({ status: 'uploaded', file_bytes: d.bytes, file_sha256: d.sha256, options: JSON.stringify(options) })
        .where('campaign_id', '=', campaignId)
        .where('import_id', '=', importId)
        .where('status', '=', 'uploading')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw notFound('import');
      return { import: await loadImportView(tx, campaignId, importId), ...preview };
    });
  } catch (error) {
    await inCampaign(deps.db, campaignId, (tx) =>
      tx.deleteFrom('imports').where('campaign_id', '=', campaignId).where('import_id', '=', importId).execute(),
    ).catch(() => undefined);
    throw error;
  }
}

/** Deletes an import that has not been started, with its stored file. */
export async function deleteImport(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  importId: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'imports.run');
    const row = await tx
      .selectFrom('imports')
      .select('status')
      .where('campaign_id', '=', campaignId)
      .where('import_id', '=', importId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('import');
    if (row.status !== 'uploaded' && row.status !== 'uploading') {
      throw new AppError(
        'invalid_state',
        `only an import that has not been started can be deleted (this one is ${row.status})`,
      );
    }
    await tx.deleteFrom('imports').where('campaign_id', '=', campaignId).where('import_id', '=', importId).execute();
  });
}

// ---------------------------------------------------------------------------------------
// Start: the import rules, then the job
// ---------------------------------------------------------------------------------------

const startSchema = z
  .object({
    mapping: z.unknown(),
    collectedAt: z.iso
      .datetime({ offset: true, message: 'a date and time in ISO 8601, e.g. 2026-11-29T10:00:00Z' })
      .optional(),
  })
  .strict();

function mappingIssues(issues: { column: string; message: string }[]): AppError {
  return new AppError('validation_failed', `mapping: ${issues.map((i) => i.message).join('; ')}`, {
    issues: issues.map((i) => ({ field: 'mapping', column: i.column, message: i.message })),
  });
}

interface StartOutcome {
  view: ImportView;
  refused: Finding[] | null;
}

/**
 * Checks the mapping and the import rules and, unless refused, queues the job, in the
 * caller's transaction. The import row must be 'uploaded' (locked by the caller).
 */
async function startInTx(
  tx: Tx,
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  importId: string,
  input: { mapping: unknown; collectedAt?: string | undefined },
  jobs: ImportJobs,
): Promise<StartOutcome> {
  const row = await tx
    .selectFrom('imports')
    .select(['status', 'source_id', 'options', 'file_sha256'])
    .where('campaign_id', '=', campaignId)
    .where('import_id', '=', importId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('import');
  if (row.status !== 'uploaded') {
    throw new AppError('invalid_state', `this import has already been started (it is ${row.status})`);
  }
  const options = parseJson<ImportOptions>(row.options);
  const parsedMapping = parseColumnMappingInput(input.mapping);
  if (!parsedMapping.ok) throw mappingIssues(parsedMapping.issues);
  const resolved = resolveColumnMapping(options.header, parsedMapping.value);
  if (!resolved.ok) throw mappingIssues(resolved.issues);
  const mapping = parsedMapping.value;

  const source = await loadSource(tx, campaignId, row.source_id);
  const campaign = await tx
    .selectFrom('campaigns')
    .select('controller_type')
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();

  // Attributes the mapping brings: defined ones keep their class; new ones are classified
  // from their name (defined_by 'import') for the DPO to review.
  const names = resolved.value.columns
    .filter((c) => c.field.startsWith('attribute:'))
    .map((c) => c.field.slice('attribute:'.length));
  const special: { name: string; category: string }[] = [];
  if (names.length > 0) {
    const defined = await tx
      .selectFrom('attribute_definitions')
      .select(['name', 'special_category'])
      .where('campaign_id', '=', campaignId)
      .where('name', 'in', names)
      .execute();
    const known = new Map(defined.map((d) => [d.name, d.special_category]));
    const now = nowOf(deps);
    for (const name of names) {
      let category = known.get(name);
      if (category === undefined) {
        const c = classifyAttributeName(name);
        category = c.specialCategory;
        await tx
          .insertInto('attribute_definitions')
          .values({
            campaign_id: campaignId,
            name,
            label: name.replaceAll('_', ' '),
            special_category: c.specialCategory,
            kind: c.kind,
            defined_by: 'import',
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.columns(['campaign_id', 'name']).doNothing())
          .execute();
      }
      if (category) special.push({ name, category });
    }
  }

  const decision = decideAction({
    capability: 'import',
    facts: { controllerType: campaign.controller_type as ControllerType, source, specialCategoryAttributes: special },
  });
  const now = nowOf(deps);
  const newOptions: ImportOptions = { ...options, ...(input.collectedAt ? { collectedAt: input.collectedAt } : {}) };
  const findingData = auditFindings(decision.findings);
  if (!proceeds(decision)) {
    await tx
      .updateTable('imports')
      .set({
        status: 'refused',
        decisions: JSON.stringify(decision.findings),
        mapping: JSON.stringify(mapping),
        options: JSON.stringify(newOptions),
        finished_at: now,
      })
      .where('campaign_id', '=', campaignId)
      .where('import_id', '=', importId)
      .execute();
    await dropImportUpload(tx, campaignId, importId);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'import.refused', data: { importId, sourceId: source.id, findings: findingData } },
      now,
    );
    return { view: await loadImportView(tx, campaignId, importId), refused: decision.findings };
  }
  const job = await jobs.enqueue({
    campaignId,
    name: IMPORT_JOB_NAME,
    payload: { importId },
    createdBy: principal.userId,
    actor: actorOf(principal),
    tx,
  });
  await tx
    .updateTable('imports')
    .set({
      status: 'queued',
      job_id: job.jobId,
      decisions: JSON.stringify(decision.findings),
      mapping: JSON.stringify(mapping),
      options: JSON.stringify(newOptions),
    })
    .where('campaign_id', '=', campaignId)
    .where('import_id', '=', importId)
    .execute();
  await appendAuditEvent(
    tx,
    campaignId,
    actorOf(principal),
    {
      type: 'import.queued',
      data: { importId, sourceId: source.id, jobId: job.jobId, fileSha256: row.file_sha256, warnings: findingData },
    },
    now,
  );
  return { view: await loadImportView(tx, campaignId, importId), refused: null };
}

function refusal(findings: Finding[]): AppError {
  return new AppError(
    'rule_refused',
    `the import is refused: ${findings
      .filter((f) => f.outcome === 'refuse' || f.outcome === 'require')
      .map((f) => `${f.ruleId}: ${f.explanation}`)
      .join(' ')}`,
    { findings },
  );
}

/**
 * Starts an uploaded import with a mapping: 'queued' with its job, or rule_refused (the
 * import is then 'refused' and keeps the findings).
 */
export async function startImport(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  importId: string,
  input: unknown,
  jobs: ImportJobs,
): Promise<ImportView> {
  const outcome = await inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const parsed = parseInput(startSchema, input ?? {});
    await authorize(tx, principal, campaignId, 'imports.run');
    return startInTx(tx, deps, principal, campaignId, importId, parsed, jobs);
  });
  if (outcome.refused) throw refusal(outcome.refused);
  return outcome.view;
}

export interface PathImportInput {
  path: string;
  fileName?: string;
  sourceId: string;
  /** Without a mapping, the suggested one is used. */
  mapping?: ColumnMappingEntry[] | undefined;
  collectedAt?: string | undefined;
}

/**
 * An import of a file on this machine (the CLI): the file stays where it is and the job
 * checks its SHA-256 before reading. Returns the import, 'queued' or 'refused' (with its
 * findings in `decisions`); the preview is returned too.
 */
export async function createPathImport(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: PathImportInput,
  jobs: ImportJobs,
): Promise<{ import: ImportView; preview: CsvPreview }> {
  let size: number;
  try {
    const st = await stat(input.path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw invalid([{ field: 'file', message: 'cannot read the file (does it exist?)' }]);
  }
  if (size === 0) throw invalid([{ field: 'file', message: 'the file is empty' }]);
  const preview = await previewCsv(createReadStream(input.path, { end: PREVIEW_BYTES - 1 }));
  const d = await fileDigest(input.path);
  const mapping = input.mapping ?? preview.suggestedMapping;
  const view = await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'imports.run');
    await loadSource(tx, campaignId, input.sourceId);
    const now = nowOf(deps);
    const importId = uuidv7(now.getTime());
    const options: ImportOptions = { header: preview.header, delimiter: preview.delimiter, lineBreaks: d.lineBreaks };
    await tx
      .insertInto('imports')
      .values({
        campaign_id: campaignId,
        import_id: importId,
        source_id: input.sourceId,
        file_name: input.fileName ?? basename(input.path),
        file_bytes: d.bytes,
        file_sha256: d.sha256,
        file_storage: 'path',
        file_path: input.path,
        mapping: '[]',
        options: JSON.stringify(options),
        status: 'uploaded',
        created_by: principal.userId,
        created_at: now,
      })
      .execute();
    const startInput = { mapping, ...(input.collectedAt !== undefined ? { collectedAt: input.collectedAt } : {}) };
    parseInput(startSchema, startInput);
    return (await startInTx(tx, deps, principal, campaignId, importId, startInput, jobs)).view;
  });
  return { import: view, preview };
}

// ---------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------

/** How many report chunks one read takes. */
const REPORT_PAGE = 50;

/**
 * The import report as CSV (UTF-8 with BOM, CRLF, one line per input record after the
 * header), streamed from the chunks in order. The download is audited before it starts.
 */
export async function openImportReport(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  importId: string,
): Promise<{ fileName: string; stream: Readable }> {
  const view = await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'imports.read');
    const v = await loadImportView(tx, campaignId, importId);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'import.report_downloaded', data: { importId, format: 'csv' } },
      nowOf(deps),
    );
    return v;
  });
  const base = view.fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'import';
  return { fileName: `${base}-report.csv`, stream: Readable.from(reportChunks(deps.db, campaignId, importId)) };
}

async function* reportChunks(db: Database, campaignId: string, importId: string): AsyncGenerator<string> {
  yield `\uFEFF${REPORT_CSV_HEADER.join(',')}\r\n`;
  let next = 0;
  for (;;) {
    const rows = await inCampaign(db, campaignId, (tx) =>
      tx
        .selectFrom('import_report_chunks')
        .select(['seq', 'lines'])
        .where('campaign_id', '=', campaignId)
        .where('import_id', '=', importId)
        .where('seq', '>=', next)
        .orderBy('seq')
        .limit(REPORT_PAGE)
        .execute(),
    );
    for (const r of rows) yield r.lines;
    if (rows.length < REPORT_PAGE) return;
    next = rows[rows.length - 1]!.seq + 1;
  }
}
