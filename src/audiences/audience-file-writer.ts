/**
 * Writes a platform's customer-list files for an audience (issue 5, items 3 and 5): the
 * library function `canvass audience export` calls once the lawful gate has allowed the
 * export. It takes the people as an async iterable (one at a time or in batches), normalizes
 * each identifier for the platform (src/domain/audiences/normalize.ts, by the rules of
 * src/domain/audiences/platform-rules.ts), hashes what the platform wants hashed, and
 * writes numbered files split at the platform's limits, then a manifest.
 *
 * Handling (issue 5, item 5): the output directory is created by the writer (mode 0700; it
 * must not exist yet), every file is created exclusively with mode 0600, plain cells that a
 * spreadsheet would read as a formula are neutralised, and on any failure or abort every file
 * written so far is removed with the directory: no partial list of personal data is left.
 *
 * Streaming with bounded memory: rows are laid out in a fixed pool of slots of shared memory
 * (a few MB each, whatever the number of people). While the main thread normalizes into one
 * slot, a worker thread (file-sink-worker.ts) hashes another with the SIMD SHA-256 of
 * sha256-simd.ts and appends it to the files; when every slot is busy the writer stops
 * pulling people from the source until one is free (backpressure).
 *
 * Deny by default: the writer refuses to run without rule decisions from the lawful gate, or
 * when any of them refuses or requires something. It does not decide lawfulness itself.
 */
import { hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  normalizeCountryCode,
  normalizeFieldValue,
  neutralizeFormula,
  type FieldReason,
  type FieldValue,
} from '../domain/audiences/normalize.js';
import {
  AUDIENCE_FIELDS,
  NORMALIZATION_RULES_VERSION,
  PLATFORM_FILE_RULES,
  type AudienceField,
  type FieldRule,
  type PlatformFileRules,
  type RuleSource,
} from '../domain/audiences/platform-rules.js';
import { AppError, invalid, type FieldIssue } from '../domain/errors.js';
import type { CountryCode } from '../domain/identifiers.js';
import { PLATFORMS, type PlatformId } from '../domain/rules/platforms.js';
import type { Outcome } from '../domain/rules/rule.js';
import {
  FileSink,
  instantiateSimd,
  SLOT_FILLING,
  SLOT_FREE,
  type SimdExports,
  SLOT_FULL,
  type ClosedFile,
  type FromWorker,
  type Segment,
  type SinkJob,
  type SinkTimings,
  type ToWorker,
} from './file-sink.js';
import { decodeCopyValue, FALLBACK, fastField, hasFastPath, isCopyNull } from './copy-text.js';
import { LANES, MAX_ONE_BLOCK_MESSAGE } from './sha256-simd.js';

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

/** One person as the export reads them: the identifiers Canvass holds, raw or canonical. */
export interface AudiencePerson {
  email?: string | null;
  /** Further addresses (person_identifiers); used where the platform takes several columns. */
  otherEmails?: readonly string[];
  phone?: string | null;
  otherPhones?: readonly string[];
  firstName?: string | null;
  lastName?: string | null;
  postcode?: string | null;
  /** ISO 3166-1 alpha-2 ("GB"); missing → the export's default country. */
  country?: string | null;
}

/**
 * A column of COPY text input: an identifier field, or a person's further email addresses or
 * phone numbers as a JSON array of strings (`array_to_json(…)`), or NULL for none.
 */
export type CopyColumn = AudienceField | 'other_emails' | 'other_phones';
const COPY_COLUMNS: readonly CopyColumn[] = [...AUDIENCE_FIELDS, 'other_emails', 'other_phones'];

/** One rule's outcome from the lawful gate, as recorded in the manifest. */
export interface RuleDecisionRecord {
  ruleId: string;
  outcome: Outcome;
  explanation: string;
}

export type AudienceFileOperation = 'add' | 'remove';

export interface WriteAudienceFilesOptions {
  platform: PlatformId;
  /** An add file (new audience members) or a remove file (later objectors). Default 'add'. */
  operation?: AudienceFileOperation;
  /** The fields to export, of those the platform accepts. Default: the platform's default fields. */
  fields?: readonly AudienceField[];
  /** How many email and phone columns (or entries) per person, up to the platform's maximum. Default 1. */
  identifierColumns?: number;
  audience: { id: string; name: string };
  staffMember: { id: string; name: string };
  /** The people, as objects (one at a time or in batches). Give this or `copyText`. */
  people?:
    AsyncIterable<AudiencePerson | readonly AudiencePerson[]> | Iterable<AudiencePerson | readonly AudiencePerson[]>;
  /**
   * The people as PostgreSQL `COPY … TO STDOUT` text (the default text format, UTF-8): the
   * columns of each row in order, and the stream's chunks (split anywhere). Values of the
   * canonical forms the import stores are normalized from their bytes (copy-text.ts); any other
   * value is decoded and normalized as a person object's would be, with the same result.
   */
  copyText?: {
    columns: readonly CopyColumn[];
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  };
  /** The directory to create and write into; it must not exist (its parent is created if needed). */
  directory: string;
  /** The country of a person whose record has none (ISO 3166-1 alpha-2). Default 'GB'. */
  defaultCountry?: string;
  /** People the lawful gate excluded, counted by reason. */
  excluded: Readonly<Record<string, number>>;
  /** The lawful gate's rule decisions; none may refuse or require. */
  ruleDecisions: readonly RuleDecisionRecord[];
  /** A lower row limit per file than the platform's (e.g. for smaller uploads). */
  maxRowsPerFile?: number;
  /** A lower size limit per file, in bytes, than the platform's. */
  maxBytesPerFile?: number;
  /** Hash and write on a worker thread (default) or on the calling thread. */
  hashing?: 'worker' | 'inline';
  now?: () => Date;
  signal?: AbortSignal;
  /** Called after each batch of people. */
  onProgress?: (progress: { peopleRead: number; rowsWritten: number }) => void;
}

export interface ManifestFile {
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface AudienceFileManifest {
  manifestVersion: 1;
  platform: PlatformId;
  product: string;
  operation: AudienceFileOperation;
  audience: { id: string; name: string };
  staffMember: { id: string; name: string };
  startedAt: string;
  completedAt: string;
  normalizationRulesVersion: string;
  hashing: { algorithm: 'SHA-256'; encoding: 'lower-case hex'; unicode: 'NFC, UTF-8' };
  columns: { field: AudienceField; header: string; hashed: boolean }[];
  files: ManifestFile[];
  /** People read from the source (after the lawful gate's exclusions). */
  peopleRead: number;
  /** Rows (CSV) or entries (Snap JSON) written, over all files. */
  rowsWritten: number;
  /** People the lawful gate excluded, by reason (as passed in). */
  excluded: Record<string, number>;
  /** People read but not written: no identifier the platform can match on. */
  skipped: Record<string, number>;
  /**
   * Identifiers that could not be used, per field and reason ("empty", "not a valid phone
   * number" …), over every person read: their cell is blank, the rest of the row is written.
   */
  blankFields: Partial<Record<AudienceField, Record<string, number>>>;
  ruleDecisions: RuleDecisionRecord[];
  warnings: string[];
  sources: RuleSource[];
}

export interface WriteAudienceFilesResult {
  manifest: AudienceFileManifest;
  manifestPath: string;
  directory: string;
  /** Milliseconds per phase (main thread and hashing thread), for profiling. */
  timings: Record<string, number>;
}

export const MANIFEST_FILE = 'manifest.json';
export const SKIPPED_NO_MATCH_KEY = 'no identifier the platform can match on';

// ---------------------------------------------------------------------------------------
// Layout constants
// ---------------------------------------------------------------------------------------

/** People normalized together (column by column). */
const BATCH = 1024;
/** People per slot of shared memory. */
const ROWS_PER_SLOT = 4096;
/** Slots: one being filled, one being hashed or written, two queued (smoothing out bursts). */
const SLOTS = 4;
const PAGE = 65536;
const BLOCK = 64;
const HEX = 64;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const TAB = 0x09;

/** Upper bound of a plain cell's bytes: UTF-8 (≤ 4 per character), a neutralising "'", quoting. */
const plainCellBound = (chars: number): number => (chars * 4 + 1) * 2 + 2;
const PLAIN_CHARS: Record<FieldRule['normalization']['kind'], number> = {
  email: 320,
  phone: 16,
  name: 35,
  postcode: 12,
  country: 2,
};

// ---------------------------------------------------------------------------------------
// Plan: the columns and file series of one export
// ---------------------------------------------------------------------------------------

interface Column {
  rule: FieldRule;
  /** Which of this field's values (0 = first email, 1 = second …). */
  nth: number;
  /** Index into the per-field value arrays. */
  values: number;
  /** Keep the last value and its hash (for a field with one value in practice: country). */
  memo: boolean;
  /** This column's values for the current batch (the FieldValues array, reused across batches). */
  source: (string | null)[];
}

interface Series {
  /** File names: `${prefix}${nnnn}.${extension}`. */
  prefix: string;
  extension: string;
  columns: Column[];
  /** One entry per identifier (Snap) instead of one row per person (CSV). */
  entries: boolean;
  header: Buffer;
  footer: Buffer;
  /** Between two rows of one file (JSON: ","); CSV rows end with a newline instead. */
  separator: Buffer;
  maxRowBytes: number;
  /** Columns written plain (their byte length varies); 0 for an all-hashed file. */
  plainColumns: number;
  /** Bytes one person may need in this series, at worst (room check). */
  room: number;
  // File state
  fileNumber: number;
  file: string | null;
  rowsInFile: number;
  bytesInFile: number;
  files: { name: string; rows: number }[];
  // Slot state
  outStart: number;
  outCapacity: number;
  pos: number;
  segmentStart: number;
}

/** Values of one field for the current batch: `values[nth][i]` for person i, null = blank. */
interface FieldValues {
  field: AudienceField;
  rule: FieldRule;
  columns: number;
  values: (string | null)[][];
  /**
   * Results by raw value, for names: they repeat across people (a list of a million has a few
   * thousand first names), and normalizing is a pure function, so a repeat is a lookup.
   */
  cache: Map<string, FieldValue> | null;
  /** COPY input: whether copy-text.ts has a fast path for the rule. */
  fast: boolean;
  /** COPY input: the message block holding the value's normalized bytes, when `values[0][0]` is FAST_VALUE. */
  fastMsg: number;
}

/**
 * Stands in `values[0][i]` for a value whose normalized bytes are in the row scratch (COPY
 * input). No normalized value can equal it: none holds a NUL.
 */
const FAST_VALUE = '\u0000fast';
/** How the COPY path reads a field: the country, several identifier columns, a fast path, or decoding. */
const COUNTRY = 0;
const SEVERAL = 1;
const FAST = 2;
const DECODE = 3;

/** Entries per normalization cache; a full cache is emptied and refilled. */
const CACHE_LIMIT = 65_536;

function validateOptions(options: WriteAudienceFilesOptions): {
  rules: PlatformFileRules;
  fields: AudienceField[];
  identifierColumns: number;
  defaultCountry: CountryCode;
  maxRows: number | null;
  maxBytes: number | null;
} {
  const issues: FieldIssue[] = [];
  if (!(PLATFORMS as readonly string[]).includes(options.platform)) {
    throw invalid([{ field: 'platform', message: `must be one of ${PLATFORMS.join(', ')}` }]);
  }
  const rules = PLATFORM_FILE_RULES[options.platform];
  const fields = [...(options.fields ?? rules.defaultFields)];
  if (fields.length === 0) issues.push({ field: 'fields', message: 'choose at least one field' });
  for (const field of fields) {
    if (!(AUDIENCE_FIELDS as readonly string[]).includes(field)) {
      issues.push({ field: 'fields', message: `${String(field)} is not an audience field` });
    } else if (!rules.fields.some((rule) => rule.field === field)) {
      issues.push({ field: 'fields', message: `${options.platform} (${rules.product}) does not accept ${field}` });
    }
  }
  if (new Set(fields).size !== fields.length) issues.push({ field: 'fields', message: 'a field is listed twice' });
  for (const group of rules.fieldGroups) {
    if (group.some((f) => fields.includes(f)) && !group.every((f) => fields.includes(f))) {
      issues.push({ field: 'fields', message: `${options.platform} needs ${group.join(', ')} together` });
    }
  }
  if (!rules.matchKeys.some((key) => key.every((f) => fields.includes(f)))) {
    issues.push({ field: 'fields', message: `${options.platform} cannot match a row on these fields alone` });
  }
  const identifierColumns = options.identifierColumns ?? 1;
  if (!Number.isInteger(identifierColumns) || identifierColumns < 1 || identifierColumns > 3) {
    issues.push({ field: 'identifierColumns', message: 'must be 1, 2 or 3' });
  }
  const country = normalizeCountryCode(options.defaultCountry ?? 'GB');
  if (!country.ok) issues.push({ field: 'defaultCountry', message: 'must be an ISO 3166-1 alpha-2 code, e.g. GB' });
  const platformMax = rules.limits.maxRowsPerFile;
  let maxRows = platformMax;
  if (options.maxRowsPerFile !== undefined) {
    if (!Number.isSafeInteger(options.maxRowsPerFile) || options.maxRowsPerFile < 1) {
      issues.push({ field: 'maxRowsPerFile', message: 'must be a positive integer' });
    } else if (platformMax !== null && options.maxRowsPerFile > platformMax) {
      issues.push({ field: 'maxRowsPerFile', message: `${options.platform} allows at most ${platformMax} per file` });
    } else {
      maxRows = options.maxRowsPerFile;
    }
  }
  const platformMaxBytes = rules.limits.maxBytesPerFile;
  let maxBytes = platformMaxBytes;
  if (options.maxBytesPerFile !== undefined) {
    if (!Number.isSafeInteger(options.maxBytesPerFile) || options.maxBytesPerFile < 1024) {
      issues.push({ field: 'maxBytesPerFile', message: 'must be an integer of at least 1024' });
    } else if (platformMaxBytes !== null && options.maxBytesPerFile > platformMaxBytes) {
      issues.push({
        field: 'maxBytesPerFile',
        message: `${options.platform} allows at most ${platformMaxBytes} bytes per file`,
      });
    } else {
      maxBytes = options.maxBytesPerFile;
    }
  }
  if ((options.people === undefined) === (options.copyText === undefined)) {
    issues.push({ field: 'people', message: 'give the people either as objects (people) or as COPY text (copyText)' });
  }
  if (options.copyText !== undefined) {
    const columns = options.copyText.columns;
    if (columns.length === 0) issues.push({ field: 'copyText.columns', message: 'name at least one column' });
    for (const column of columns) {
      if (!COPY_COLUMNS.includes(column)) {
        issues.push({
          field: 'copyText.columns',
          message: `${String(column)} is not one of ${COPY_COLUMNS.join(', ')}`,
        });
      }
    }
    if (new Set(columns).size !== columns.length) {
      issues.push({ field: 'copyText.columns', message: 'a column is listed twice' });
    }
  }
  if (options.audience.id.trim() === '') issues.push({ field: 'audience.id', message: 'required' });
  if (options.staffMember.id.trim() === '') issues.push({ field: 'staffMember.id', message: 'required' });
  for (const [reason, count] of Object.entries(options.excluded)) {
    if (!Number.isSafeInteger(count) || count < 0) {
      issues.push({ field: `excluded.${reason}`, message: 'must be a count (a non-negative integer)' });
    }
  }
  if (issues.length > 0) throw invalid(issues);
  // Deny by default: the lawful gate must have run and allowed the export.
  if (options.ruleDecisions.length === 0) {
    throw new AppError(
      'rule_refused',
      'No rule decisions were given: an audience file is written only after the lawful gate has decided the export.',
    );
  }
  const blocking = options.ruleDecisions.filter((d) => d.outcome === 'refuse' || d.outcome === 'require');
  if (blocking.length > 0) {
    throw new AppError(
      'rule_refused',
      `The lawful gate did not allow this export: ${blocking.map((d) => d.ruleId).join(', ')}`,
      {
        ruleIds: blocking.map((d) => d.ruleId),
      },
    );
  }
  // Fields in the platform's column order.
  const ordered = rules.fields.map((rule) => rule.field).filter((f) => fields.includes(f));
  return {
    rules,
    fields: ordered,
    identifierColumns,
    defaultCountry: country.ok ? country.value : 'GB',
    maxRows,
    maxBytes,
  };
}

function planSeries(rules: PlatformFileRules, fieldValues: FieldValues[], operation: AudienceFileOperation): Series[] {
  const base = `${rules.platform}-${operation}-`;
  const series = (
    prefix: string,
    columns: Column[],
    entries: boolean,
    header: string,
    footer: string,
    separator: string,
    maxRowBytes: number,
  ): Series => ({
    prefix,
    extension: rules.format.extension,
    columns,
    entries,
    header: Buffer.from(header, 'utf8'),
    footer: Buffer.from(footer, 'utf8'),
    separator: Buffer.from(separator, 'utf8'),
    maxRowBytes,
    plainColumns: columns.filter((c) => !c.rule.hashed).length,
    room: (entries ? columns.length : 1) * (maxRowBytes + separator.length + header.length + footer.length),
    fileNumber: 0,
    file: null,
    rowsInFile: 0,
    bytesInFile: 0,
    files: [],
    outStart: 0,
    outCapacity: 0,
    pos: 0,
    segmentStart: 0,
  });
  const columnsOf = (fv: FieldValues, index: number): Column[] =>
    Array.from({ length: fv.columns }, (_, nth) => ({
      rule: fv.rule,
      nth,
      values: index,
      memo: fv.field === 'country',
      source: fv.values[nth]!,
    }));
  switch (rules.format.kind) {
    case 'csv': {
      const columns = fieldValues.flatMap((fv, index) => columnsOf(fv, index));
      const header = columns.map((c) => c.rule.header).join(',') + '\n';
      const maxRowBytes =
        columns.reduce(
          (sum, c) => sum + (c.rule.hashed ? HEX : plainCellBound(PLAIN_CHARS[c.rule.normalization.kind])),
          0,
        ) + columns.length;
      return [series(base, columns, false, header, '', '', maxRowBytes)];
    }
    case 'snap_json':
      // One file series per identifier type; one entry per identifier: ["<hash>"].
      return fieldValues.map((fv, index) =>
        series(
          `${base}${fv.field}-`,
          columnsOf(fv, index),
          true,
          `{"users":[{"schema":[${JSON.stringify(fv.rule.header)}],"data":[`,
          ']}]}\n',
          ',',
          HEX + 4,
        ),
      );
    default: {
      const unknown: never = rules.format;
      throw new Error(`unknown file format ${JSON.stringify(unknown)}`);
    }
  }
}

/** A plain cell as CSV: formula-neutralised, then quoted if it holds a comma, quote or line break. */
function csvPlainCell(value: string): string {
  const cell = neutralizeFormula(value);
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

// ---------------------------------------------------------------------------------------
// The writer
// ---------------------------------------------------------------------------------------

interface Slot {
  index: number;
  blocks: number;
  lengths: number;
  dests: number;
  messageCapacity: number;
  /** Byte offset of each series' output region in this slot. */
  outs: { start: number; capacity: number }[];
}

type SinkHandle =
  | { kind: 'inline'; sink: FileSink }
  | {
      kind: 'worker';
      worker: Worker;
      /** Settles when the worker reports a job done, fails or exits. */
      waiters: ((error: Error | null) => void)[];
      failure: Error | null;
      finished: Promise<SinkTimings>;
    };

class AudienceFileWriter {
  private readonly rules: PlatformFileRules;
  private readonly fieldValues: FieldValues[];
  private readonly series: Series[];
  private readonly matchKeys: FieldValues[][];
  private readonly defaultCountry: CountryCode;
  private readonly maxRows: number | null;
  private readonly maxBytes: number | null;

  private readonly memory: WebAssembly.Memory;
  private readonly pages: number;
  private readonly buffer: FastBuffer;
  private readonly i32: Int32Array;
  private readonly state: Int32Array;
  private readonly slots: Slot[];
  private readonly scratch: number;
  private slot!: Slot;
  private messages = 0;
  /** The current slot's blocks (bytes) and lengths and dests (Int32 indexes). */
  private blocksBase = 0;
  private lengthsIndex = 0;
  private destsIndex = 0;
  private segments: Segment[] = [];
  private readonly closed = new Map<string, ClosedFile>();
  private sink: SinkHandle | null = null;
  /** The SIMD hasher on this thread, for slots hashed here while the hashing thread is behind. */
  private mainSimd: SimdExports | null = null;

  peopleRead = 0;
  rowsWritten = 0;
  readonly skipped: Record<string, number> = {};
  readonly blank = new Map<AudienceField, Map<string, number>>();
  readonly timings: Record<string, number> = {};

  // Per-batch scratch: each person's country.
  private countries: CountryCode[] = [];
  private countryInvalid: (FieldReason | null)[] = [];
  private memoValue: string | null = null;
  private memoHex = Buffer.alloc(HEX);

  constructor(
    private readonly options: WriteAudienceFilesOptions,
    validated: ReturnType<typeof validateOptions>,
  ) {
    this.rules = validated.rules;
    this.defaultCountry = validated.defaultCountry;
    this.maxRows = validated.maxRows;
    this.maxBytes = validated.maxBytes;
    this.fieldValues = validated.fields.map((field) => {
      const rule = this.rules.fields.find((r) => r.field === field)!;
      const columns =
        field === 'email' || field === 'phone' ? Math.min(rule.maxColumns, validated.identifierColumns) : 1;
      const cached = field === 'first_name' || field === 'last_name';
      return {
        field,
        rule,
        columns,
        values: Array.from({ length: columns }, () => []),
        cache: cached ? new Map<string, FieldValue>() : null,
        fast: hasFastPath(rule),
        fastMsg: -1,
      };
    });
    this.series = planSeries(this.rules, this.fieldValues, options.operation ?? 'add');
    // The match keys whose fields are all exported, as the exported fields' values.
    this.matchKeys = this.rules.matchKeys
      .map((key) => key.map((field) => this.fieldValues.find((fv) => fv.field === field)))
      .filter((key): key is FieldValues[] => key.every((fv) => fv !== undefined));

    // Shared memory: a scratch block for spare lanes, then the slots.
    const hashedPerPerson = this.fieldValues.reduce((n, fv) => n + (fv.rule.hashed ? fv.columns : 0), 0);
    const messageCapacity = Math.ceil((ROWS_PER_SLOT * hashedPerPerson + LANES) / LANES) * LANES;
    const outCapacities = this.series.map((s) => {
      const rowsPerPerson = s.entries ? s.columns.length : 1;
      const fileEdges = s.header.length + s.footer.length;
      return ROWS_PER_SLOT * rowsPerPerson * (s.maxRowBytes + s.separator.length) + 4 * fileEdges + 1024;
    });
    const align = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;
    const slotBytes = align(messageCapacity * (BLOCK + 8)) + outCapacities.reduce((a, b) => a + align(b), 0);
    this.scratch = 0;
    this.pages = Math.ceil((BLOCK + SLOTS * slotBytes) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: this.pages, maximum: this.pages, shared: true });
    this.buffer = fastBuffer(Buffer.from(this.memory.buffer));
    this.i32 = new Int32Array(this.memory.buffer);
    this.state = new Int32Array(new SharedArrayBuffer(4 * SLOTS));
    this.slots = [];
    let at = BLOCK;
    for (let index = 0; index < SLOTS; index++) {
      const blocks = at;
      const lengths = blocks + messageCapacity * BLOCK;
      const dests = lengths + messageCapacity * 4;
      at = align(dests + messageCapacity * 4);
      const outs = outCapacities.map((capacity) => {
        const start = at;
        at = align(at + capacity);
        return { start, capacity };
      });
      this.slots.push({ index, blocks, lengths, dests, messageCapacity, outs });
    }
  }

  private time(phase: string, since: number): number {
    const now = performance.now();
    this.timings[phase] = (this.timings[phase] ?? 0) + (now - since);
    return now;
  }

  // -------------------------------------------------------------------------------------
  // The hashing side
  // -------------------------------------------------------------------------------------

  startSink(directory: string): void {
    const init = { memory: this.memory, pages: this.pages, directory };
    if (this.options.hashing === 'inline') {
      this.sink = { kind: 'inline', sink: new FileSink(init) };
      return;
    }
    const worker = spawnSinkWorker();
    let resolveFinished!: (t: SinkTimings) => void;
    let rejectFinished!: (e: Error) => void;
    const finished = new Promise<SinkTimings>((resolve, reject) => {
      resolveFinished = resolve;
      rejectFinished = reject;
    });
    // Observed so that a failure before anyone awaits it is not an unhandled rejection.
    finished.catch(() => undefined);
    const handle: Extract<SinkHandle, { kind: 'worker' }> = {
      kind: 'worker',
      worker,
      waiters: [],
      failure: null,
      finished,
    };
    const fail = (error: Error): void => {
      if (handle.failure === null) handle.failure = error;
      for (const waiter of handle.waiters.splice(0)) waiter(error);
      rejectFinished(error);
    };
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'done':
          for (const file of message.closed) this.closed.set(file.name, file);
          handle.waiters.shift()?.(null);
          break;
        case 'finished':
          resolveFinished(message.timings);
          break;
        case 'aborted':
          break;
        case 'failed':
          fail(new Error(`audience file writer: ${message.message}`));
          break;
        default: {
          const unknown: never = message;
          fail(new Error(`unexpected message ${JSON.stringify(unknown)}`));
        }
      }
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
    worker.postMessage({ type: 'init', init, state: this.state.buffer as SharedArrayBuffer } satisfies ToWorker);
    this.sink = handle;
  }

  /**
   * A slot the hashing thread has finished with, or -1. Read from the slots' state words, which
   * the hashing thread sets as it finishes each job: its "done" message may wait behind this
   * thread's work, the state word does not.
   */
  private freeSlot(): number {
    for (let i = 0; i < SLOTS; i++) if (Atomics.load(this.state, i) === SLOT_FREE) return i;
    return -1;
  }

  /** Waits until a slot is free (backpressure) and starts filling it. */
  private async takeSlot(): Promise<void> {
    const sink = this.sink!;
    let free = this.freeSlot();
    if (free < 0) {
      if (sink.kind === 'inline') throw new Error('no free slot');
      const t = performance.now();
      while ((free = this.freeSlot()) < 0) {
        if (sink.failure) throw sink.failure;
        const error = await new Promise<Error | null>((resolve) => sink.waiters.push(resolve));
        if (error) throw error;
      }
      this.time('main: wait for the hashing thread', t);
    }
    Atomics.store(this.state, free, SLOT_FILLING);
    this.slot = this.slots[free]!;
    this.messages = 0;
    this.blocksBase = this.slot.blocks;
    this.lengthsIndex = this.slot.lengths >> 2;
    this.destsIndex = this.slot.dests >> 2;
    this.segments = [];
    this.series.forEach((s, i) => {
      s.outStart = this.slot.outs[i]!.start;
      s.outCapacity = this.slot.outs[i]!.capacity;
      s.pos = s.outStart;
      s.segmentStart = s.outStart;
    });
  }

  /** Hands the current slot to the hashing side, then takes the next free one. */
  private async flush(last = false): Promise<void> {
    const slot = this.slot;
    for (const s of this.series) {
      if (s.file !== null && s.pos > s.segmentStart) {
        this.segments.push({ file: s.file, start: s.segmentStart, end: s.pos, close: false });
      }
    }
    // Spare lanes up to a multiple of 4: empty messages hashed into the scratch block.
    let count = this.messages;
    while (count % LANES !== 0) {
      this.i32[(slot.lengths >> 2) + count] = 0;
      this.i32[(slot.dests >> 2) + count] = this.scratch;
      count++;
    }
    const sink = this.sink!;
    if (sink.kind === 'worker' && this.freeSlot() < 0 && count > 0) {
      // The hashing thread is behind (every other slot is waiting for it): rather than wait for
      // it, this thread hashes the slot's identifiers itself, and the hashing thread only writes.
      const t = performance.now();
      this.mainSimd ??= instantiateSimd(this.memory, this.pages);
      this.mainSimd.pad(slot.blocks, slot.lengths, count);
      this.mainSimd.hash(slot.blocks, slot.dests, count);
      count = 0;
      this.time('main: SHA-256 of identifiers (when the hashing thread is behind)', t);
    }
    const job: SinkJob = {
      slot: slot.index,
      messages: { blocks: slot.blocks, lengths: slot.lengths, dests: slot.dests, count },
      segments: this.segments,
    };
    if (sink.kind === 'inline') {
      for (const file of sink.sink.process(job)) this.closed.set(file.name, file);
      Atomics.store(this.state, slot.index, SLOT_FREE);
    } else {
      if (sink.failure) throw sink.failure;
      Atomics.store(this.state, slot.index, SLOT_FULL);
      sink.worker.postMessage({ type: 'job', job } satisfies ToWorker);
    }
    if (!last) await this.takeSlot();
  }

  // -------------------------------------------------------------------------------------
  // Files
  // -------------------------------------------------------------------------------------

  private put(s: Series, bytes: Buffer): void {
    bytes.copy(this.buffer, s.pos);
    s.pos += bytes.length;
  }

  private openFile(s: Series): void {
    s.fileNumber++;
    s.file = `${s.prefix}${String(s.fileNumber).padStart(4, '0')}.${s.extension}`;
    s.files.push({ name: s.file, rows: 0 });
    s.rowsInFile = 0;
    s.bytesInFile = s.header.length;
    s.segmentStart = s.pos;
    this.put(s, s.header);
  }

  private closeFile(s: Series): void {
    this.put(s, s.footer);
    this.segments.push({ file: s.file!, start: s.segmentStart, end: s.pos, close: true });
    s.files[s.files.length - 1]!.rows = s.rowsInFile;
    s.file = null;
    s.segmentStart = s.pos;
  }

  /** Before writing a row of `rowBytes` to `s`: rotate the file if the row would break a limit. */
  private beginRow(s: Series, rowBytes: number): void {
    if (s.file !== null) {
      const separator = s.rowsInFile > 0 ? s.separator.length : 0;
      if (
        (this.maxRows !== null && s.rowsInFile >= this.maxRows) ||
        (this.maxBytes !== null && s.bytesInFile + separator + rowBytes + s.footer.length > this.maxBytes)
      ) {
        this.closeFile(s);
      }
    }
    if (s.file === null) this.openFile(s);
    if (this.maxBytes !== null && s.bytesInFile + rowBytes + s.footer.length > this.maxBytes) {
      throw new Error(`a row of ${rowBytes} bytes does not fit the platform's file size limit`);
    }
    if (s.rowsInFile > 0) this.put(s, s.separator);
    s.bytesInFile += (s.rowsInFile > 0 ? s.separator.length : 0) + rowBytes;
    s.rowsInFile++;
    this.rowsWritten++;
  }

  /** Writes a hashed cell's 64 characters at `pos`: queued for the SIMD hasher, or hashed here. */
  private hashedCell(pos: number, value: string, memo: boolean): void {
    const buffer = this.buffer;
    if (memo) {
      if (value !== this.memoValue) {
        this.memoValue = value;
        this.memoHex = Buffer.from(hash('sha256', value, 'hex'), 'latin1');
      }
      buffer.set(this.memoHex, pos);
      return;
    }
    const m = this.messages;
    // At most 64 bytes are written (the block); ≤ 55 written means the whole value fit, since
    // a character needs at most 4 bytes and at least 9 were left.
    const length =
      value.length > MAX_ONE_BLOCK_MESSAGE ? BLOCK : buffer.utf8Write(value, this.blocksBase + m * BLOCK, BLOCK);
    if (length <= MAX_ONE_BLOCK_MESSAGE) {
      this.i32[this.lengthsIndex + m] = length;
      this.i32[this.destsIndex + m] = pos;
      this.messages = m + 1;
    } else {
      // Longer than one block (rare: a long email address): hashed here.
      buffer.latin1Write(hash('sha256', value, 'hex'), pos, HEX);
    }
  }

  /** hashedCell for a value normalized from COPY bytes, already in its message block: its cell is at `pos`. */
  private hashedBytes(pos: number, fv: FieldValues): void {
    this.i32[this.destsIndex + fv.fastMsg] = pos;
  }

  // -------------------------------------------------------------------------------------
  // People
  // -------------------------------------------------------------------------------------

  private countBlank(field: AudienceField, reason: string): void {
    let reasons = this.blank.get(field);
    if (reasons === undefined) this.blank.set(field, (reasons = new Map<string, number>()));
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }

  /** Each person's country (the default when missing; the default, flagged, when invalid). */
  private resolveCountries(people: readonly AudiencePerson[]): void {
    const n = people.length;
    this.countries.length = n;
    this.countryInvalid.length = n;
    let lastRaw: string | null | undefined;
    let last: ReturnType<typeof normalizeCountryCode> | null = null;
    for (let i = 0; i < n; i++) {
      const raw = people[i]!.country;
      if (raw === null || raw === undefined || raw === '') {
        this.countries[i] = this.defaultCountry;
        this.countryInvalid[i] = null;
        continue;
      }
      if (raw !== lastRaw) {
        lastRaw = raw;
        last = normalizeCountryCode(raw);
      }
      if (last!.ok) {
        this.countries[i] = last!.value;
        this.countryInvalid[i] = null;
      } else {
        this.countries[i] = this.defaultCountry;
        this.countryInvalid[i] = last!.reason;
      }
    }
  }

  /** Normalizes one field for the whole batch into `fv.values`. */
  private normalizeColumn(fv: FieldValues, people: readonly AudiencePerson[]): void {
    const n = people.length;
    const { rule, columns, values } = fv;
    for (const column of values) column.length = n;
    const field = fv.field;
    if (field === 'email' || field === 'phone') {
      const multi = columns > 1;
      for (let i = 0; i < n; i++) {
        const p = people[i]!;
        const first = field === 'email' ? p.email : p.phone;
        const others = multi ? (field === 'email' ? p.otherEmails : p.otherPhones) : undefined;
        this.fillIdentifiers(fv, i, first, others);
      }
      return;
    }
    const column = values[0]!;
    if (field === 'country') {
      let lastCountry: string | null = null;
      let lastValue: FieldValue | null = null;
      for (let i = 0; i < n; i++) {
        const invalidReason = this.countryInvalid[i];
        if (invalidReason) {
          column[i] = null;
          this.countBlank(field, invalidReason);
          continue;
        }
        const country = this.countries[i]!;
        if (country !== lastCountry) {
          lastCountry = country;
          lastValue = normalizeFieldValue(rule, country, country);
        }
        column[i] = typeof lastValue === 'string' ? lastValue : null;
      }
      return;
    }
    const cache = fv.cache;
    for (let i = 0; i < n; i++) {
      const p = people[i]!;
      const raw = field === 'first_name' ? p.firstName : field === 'last_name' ? p.lastName : p.postcode;
      if (raw === null || raw === undefined || raw === '') {
        column[i] = null;
        this.countBlank(field, 'empty');
        continue;
      }
      const country = this.countries[i]!;
      // Names do not depend on the country: only they are cached.
      let v = cache !== null ? cache.get(raw) : undefined;
      if (v === undefined) {
        v = normalizeFieldValue(rule, raw, country);
        if (cache !== null) {
          if (cache.size === CACHE_LIMIT) cache.clear();
          // Copies, not the caller's strings: a string sliced out of a large one (a chunk of
          // COPY output) would keep all of it alive for as long as the cache holds the name.
          cache.set(detached(raw), typeof v === 'string' ? detached(v) : v);
        }
      }
      if (typeof v === 'string') column[i] = v;
      else {
        column[i] = null;
        this.countBlank(field, v.reason);
      }
    }
  }

  /** Person i's email or phone columns: the first value, then the others, each once. */
  private fillIdentifiers(
    fv: FieldValues,
    i: number,
    first: string | null | undefined,
    others: readonly string[] | undefined,
  ): void {
    const { rule, columns, values, field } = fv;
    let filled = 0;
    if (first !== null && first !== undefined && first !== '') {
      const v = normalizeFieldValue(rule, first, this.countries[i]!);
      if (typeof v === 'string') values[filled++]![i] = v;
      else this.countBlank(field, v.reason);
    }
    if (others !== undefined) {
      for (const raw of others) {
        if (filled === columns) break;
        const v = normalizeFieldValue(rule, raw, this.countries[i]!);
        if (typeof v !== 'string') {
          this.countBlank(field, v.reason);
          continue;
        }
        // Two spellings of one identifier (e.g. Gmail dots for Google) are written once.
        let seen = false;
        for (let k = 0; k < filled; k++) if (values[k]![i] === v) seen = true;
        if (!seen) values[filled++]![i] = v;
      }
    }
    if (filled === 0 && (first === null || first === undefined || first === '') && !others?.length) {
      this.countBlank(field, 'empty');
    }
    while (filled < columns) values[filled++]![i] = null;
  }

  /** Whether person i has every field of at least one of the platform's match keys. */
  private matchable(i: number): boolean {
    for (const key of this.matchKeys) {
      let complete = true;
      for (const fv of key) {
        if (fv.values[0]![i] === null) {
          complete = false;
          break;
        }
      }
      if (complete) return true;
    }
    return false;
  }

  private readonly plainCells: (string | null)[] = [];

  // -------------------------------------------------------------------------------------
  // COPY text input
  // -------------------------------------------------------------------------------------

  /** The normalized bytes of a plain (unhashed) fast-path value. */
  private readonly rowScratch = new Uint8Array(4096);
  /** Per COPY column: start and end of the current row's value. */
  private copyStarts = new Int32Array(0);
  private copyEnds = new Int32Array(0);
  /** Per field (AUDIENCE_FIELDS order): its COPY column, or -1. */
  private copyIndex: Record<CopyColumn, number> = {} as Record<CopyColumn, number>;
  private copyRow = 0;
  /** Country codes met in the COPY input, by their two bytes (b0 << 8 | b1). */
  private readonly countryMemo = new Map<number, ReturnType<typeof normalizeCountryCode>>();
  /** The country column's value for the last country met (one or two in practice). */
  private memoCountry: string | null = null;
  private memoCountryValue: string | null = null;
  /** Per exported field: how a COPY row's value becomes values[·][0]. */
  private copyPlan: {
    fv: FieldValues;
    column: (string | null)[];
    kind: typeof COUNTRY | typeof SEVERAL | typeof FAST | typeof DECODE;
    at: number;
    othersAt: number;
  }[] = [];

  private async runCopy(source: NonNullable<WriteAudienceFilesOptions['copyText']>): Promise<void> {
    const columns = source.columns;
    this.copyStarts = new Int32Array(columns.length);
    this.copyEnds = new Int32Array(columns.length);
    for (const column of COPY_COLUMNS) this.copyIndex[column] = columns.indexOf(column);
    this.copyPlan = this.fieldValues.map((fv) => {
      const several = (fv.field === 'email' || fv.field === 'phone') && fv.columns > 1;
      return {
        fv,
        column: fv.values[0]!,
        kind: fv.field === 'country' ? COUNTRY : several ? SEVERAL : fv.fast ? FAST : DECODE,
        at: this.copyIndex[fv.field],
        othersAt: fv.field === 'email' ? this.copyIndex.other_emails : this.copyIndex.other_phones,
      };
    });
    for (const fv of this.fieldValues) for (const values of fv.values) values.length = 1;
    this.countries.length = 1;
    this.countryInvalid.length = 1;
    let rest: Buffer | null = null;
    for await (const chunk of this.pull(source.chunks)) {
      let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (rest !== null) {
        const newline = bytes.indexOf(NEWLINE);
        if (newline === -1) {
          rest = Buffer.concat([rest, bytes]);
          continue;
        }
        const line = Buffer.concat([rest, bytes.subarray(0, newline + 1)]);
        rest = null;
        await this.processCopyRows(line, 0, line.length);
        bytes = bytes.subarray(newline + 1);
      }
      const last = bytes.lastIndexOf(NEWLINE);
      if (last >= 0) await this.processCopyRows(bytes, 0, last + 1);
      // A row split across chunks: kept (copied: the source may reuse its buffer) until its end comes.
      if (last + 1 < bytes.length) rest = Buffer.from(bytes.subarray(last + 1));
      this.options.onProgress?.({ peopleRead: this.peopleRead, rowsWritten: this.rowsWritten });
    }
    if (rest !== null) {
      throw invalid([{ field: 'copyText', message: `row ${this.copyRow + 1}: the input ends inside the row` }]);
    }
  }

  /** The rows in bytes[from, to), each ending in a newline. */
  private async processCopyRows(bytes: Buffer, from: number, to: number): Promise<void> {
    const starts = this.copyStarts;
    const ends = this.copyEnds;
    const count = starts.length;
    const hashedPerPerson = this.fieldValues.reduce((sum, fv) => sum + (fv.rule.hashed ? fv.columns : 0), 0);
    let t = performance.now();
    let rowStart = from;
    while (rowStart < to) {
      this.copyRow++;
      // Split at tabs (COPY escapes a tab inside a value as a backslash and "t"); the caller's
      // range ends with a newline.
      const rowEnd = bytes.indexOf(NEWLINE, rowStart);
      let k = 0;
      let at = rowStart;
      for (;;) {
        let tab = bytes.indexOf(TAB, at);
        if (tab === -1 || tab > rowEnd) tab = rowEnd;
        if (k < count) {
          starts[k] = at;
          ends[k] = tab;
        }
        k++;
        if (tab === rowEnd) break;
        at = tab + 1;
      }
      if (k !== count) {
        throw invalid([{ field: 'copyText', message: `row ${this.copyRow}: ${k} columns where ${count} were named` }]);
      }
      rowStart = rowEnd + 1;
      this.peopleRead++;
      // Room in the slot for the whole person first: the fast paths write their values straight
      // into the slot's message blocks.
      let full = this.messages + hashedPerPerson > this.slot.messageCapacity;
      for (const s of this.series) if (s.pos + s.room > s.outStart + s.outCapacity) full = true;
      if (full) {
        t = this.time('main: COPY rows (parse, normalize, lay out)', t);
        await this.flush();
        t = performance.now();
      }
      const messages = this.messages;
      this.copyPerson(bytes);
      if (!this.matchable(0)) {
        this.messages = messages; // the person's queued values are dropped
        this.skipped[SKIPPED_NO_MATCH_KEY] = (this.skipped[SKIPPED_NO_MATCH_KEY] ?? 0) + 1;
        continue;
      }
      for (const s of this.series) {
        if (s.entries) this.writeEntries(s, 0);
        else this.writeRow(s, 0);
      }
    }
    this.time('main: COPY rows (parse, normalize, lay out)', t);
  }

  /** Whether COPY column `index` of the current row holds no value (absent, NULL or empty). */
  private copyBlank(bytes: Buffer, index: number): boolean {
    if (index < 0) return true;
    const start = this.copyStarts[index]!;
    const end = this.copyEnds[index]!;
    return start === end || isCopyNull(bytes, start, end);
  }

  /** The current COPY row as values[·][0] of each field (see normalizeColumn, the same answers). */
  private copyPerson(bytes: Buffer): void {
    const starts = this.copyStarts;
    const ends = this.copyEnds;
    // The country first: phones and postcodes are read in it.
    const countryColumn = this.copyIndex.country;
    let country = this.defaultCountry;
    let countryInvalid: FieldReason | null = null;
    if (!this.copyBlank(bytes, countryColumn)) {
      const start = starts[countryColumn]!;
      const end = ends[countryColumn]!;
      const key = end - start === 2 ? (bytes[start]! << 8) | bytes[start + 1]! : -1;
      let code = key >= 0 ? this.countryMemo.get(key) : undefined;
      if (code === undefined) {
        code = normalizeCountryCode(decodeCopyValue(bytes, start, end));
        if (key >= 0) this.countryMemo.set(key, code);
      }
      if (code.ok) country = code.value;
      else countryInvalid = code.reason;
    }
    this.countries[0] = country;
    this.countryInvalid[0] = countryInvalid;
    for (const step of this.copyPlan) {
      const fv = step.fv;
      const column = step.column;
      const field = fv.field;
      switch (step.kind) {
        case COUNTRY: {
          if (countryInvalid) {
            column[0] = null;
            this.countBlank(field, countryInvalid);
          } else {
            if (country !== this.memoCountry) {
              this.memoCountry = country;
              const v = normalizeFieldValue(fv.rule, country, country);
              this.memoCountryValue = typeof v === 'string' ? v : null;
            }
            column[0] = this.memoCountryValue;
          }
          continue;
        }
        case SEVERAL: {
          const at = step.at;
          const first = this.copyBlank(bytes, at) ? null : decodeCopyValue(bytes, starts[at]!, ends[at]!);
          const others = this.copyBlank(bytes, step.othersAt)
            ? undefined
            : this.jsonStrings(decodeCopyValue(bytes, starts[step.othersAt]!, ends[step.othersAt]!));
          this.fillIdentifiers(fv, 0, first, others);
          continue;
        }
        default:
      }
      const at = step.at;
      if (this.copyBlank(bytes, at)) {
        column[0] = null;
        this.countBlank(field, 'empty');
        continue;
      }
      const start = starts[at]!;
      const end = ends[at]!;
      if (step.kind === FAST) {
        if (fv.rule.hashed) {
          // Into the next message block, if the value fits one (a fast path never lengthens a
          // value): its cell's position is set when the row is laid out.
          if (end - start <= MAX_ONE_BLOCK_MESSAGE) {
            const m = this.messages;
            const n = fastField(fv.rule, country, bytes, start, end, this.buffer, this.blocksBase + m * BLOCK);
            if (n !== FALLBACK) {
              this.i32[this.lengthsIndex + m] = n;
              this.messages = m + 1;
              fv.fastMsg = m;
              column[0] = FAST_VALUE;
              continue;
            }
          }
        } else {
          const n = fastField(fv.rule, country, bytes, start, end, this.rowScratch, 0);
          if (n !== FALLBACK) {
            // A plain cell (rare) is written through csvPlainCell, as a string.
            column[0] = Buffer.from(this.rowScratch.buffer, 0, n).toString('latin1');
            continue;
          }
        }
      }
      const raw = decodeCopyValue(bytes, start, end);
      const cache = fv.cache;
      let v = cache !== null ? cache.get(raw) : undefined;
      if (v === undefined) {
        v = normalizeFieldValue(fv.rule, raw, country);
        if (cache !== null) {
          if (cache.size === CACHE_LIMIT) cache.clear();
          cache.set(raw, v);
        }
      }
      if (typeof v === 'string') column[0] = v;
      else {
        column[0] = null;
        this.countBlank(field, v.reason);
      }
    }
  }

  /** A JSON array of strings (other_emails, other_phones); anything else names the row. */
  private jsonStrings(text: string): string[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((v): v is string => typeof v === 'string')) {
      throw invalid([
        { field: 'copyText', message: `row ${this.copyRow}: further identifiers must be a JSON array of strings` },
      ]);
    }
    return parsed;
  }

  async processBatch(people: readonly AudiencePerson[]): Promise<void> {
    let t = performance.now();
    this.resolveCountries(people);
    t = this.time('main: normalize country', t);
    for (const fv of this.fieldValues) {
      this.normalizeColumn(fv, people);
      t = this.time(`main: normalize ${fv.field === 'first_name' || fv.field === 'last_name' ? 'names' : fv.field}`, t);
    }
    const n = people.length;
    const hashedPerPerson = this.fieldValues.reduce((sum, fv) => sum + (fv.rule.hashed ? fv.columns : 0), 0);
    for (let i = 0; i < n; i++) {
      if (!this.matchable(i)) {
        this.skipped[SKIPPED_NO_MATCH_KEY] = (this.skipped[SKIPPED_NO_MATCH_KEY] ?? 0) + 1;
        continue;
      }
      // Room in the slot for the whole person, or hand it over first.
      let full = this.messages + hashedPerPerson > this.slot.messageCapacity;
      for (const s of this.series) if (s.pos + s.room > s.outStart + s.outCapacity) full = true;
      if (full) {
        t = this.time('main: lay out rows', t);
        await this.flush();
        t = performance.now();
      }
      for (const s of this.series) {
        if (s.entries) this.writeEntries(s, i);
        else this.writeRow(s, i);
      }
    }
    this.time('main: lay out rows', t);
    this.options.onProgress?.({ peopleRead: this.peopleRead, rowsWritten: this.rowsWritten });
  }

  /** One CSV row: the columns in order, comma-separated, hashed cells queued for hashing. */
  private writeRow(s: Series, i: number): void {
    const columns = s.columns;
    const count = columns.length;
    const cells = this.plainCells;
    let rowBytes = count; // commas and the newline
    if (s.plainColumns === 0) {
      for (let c = 0; c < count; c++) if (columns[c]!.source[i] !== null) rowBytes += HEX;
    } else {
      for (let c = 0; c < count; c++) {
        const column = columns[c]!;
        const value = column.source[i];
        cells[c] = null;
        if (value === null || value === undefined) continue;
        if (column.rule.hashed) {
          rowBytes += HEX;
        } else {
          const cell = csvPlainCell(value);
          cells[c] = cell;
          rowBytes += Buffer.byteLength(cell, 'utf8');
        }
      }
    }
    this.beginRow(s, rowBytes);
    const buffer = this.buffer;
    let pos = s.pos;
    for (let c = 0; c < count; c++) {
      if (c > 0) buffer[pos++] = COMMA;
      const column = columns[c]!;
      const value = column.source[i];
      if (value === null || value === undefined) continue;
      if (column.rule.hashed) {
        if (value === FAST_VALUE) this.hashedBytes(pos, this.fieldValues[column.values]!);
        else this.hashedCell(pos, value, column.memo);
        pos += HEX;
      } else {
        pos += buffer.utf8Write(cells[c]!, pos);
      }
    }
    buffer[pos++] = NEWLINE;
    s.pos = pos;
  }

  /** Snap: one entry ["<hash>"] per identifier of the person. */
  private writeEntries(s: Series, i: number): void {
    for (const column of s.columns) {
      const value = column.source[i];
      if (value === null || value === undefined) continue;
      this.beginRow(s, HEX + 4);
      this.buffer.latin1Write('["', s.pos);
      if (value === FAST_VALUE) this.hashedBytes(s.pos + 2, this.fieldValues[column.values]!);
      else this.hashedCell(s.pos + 2, value, column.memo);
      this.buffer.latin1Write('"]', s.pos + 2 + HEX);
      s.pos += HEX + 4;
    }
  }

  async run(): Promise<void> {
    await this.takeSlot();
    if (this.options.copyText !== undefined) await this.runCopy(this.options.copyText);
    else await this.runPeople(this.options.people!);
    for (const s of this.series) if (s.file !== null) this.closeFile(s);
    await this.flush(true);
    await this.finishSink();
  }

  /**
   * The source's items, the time spent waiting for each counted as reading, and the export
   * stopped between items when its signal aborts.
   */
  private async *pull<T>(source: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
    const iterator = isAsyncIterable(source) ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    for (;;) {
      const t = performance.now();
      const next = await iterator.next();
      this.time('main: read people from the source', t);
      if (next.done) return;
      this.options.signal?.throwIfAborted();
      yield next.value;
    }
  }

  private async runPeople(people: NonNullable<WriteAudienceFilesOptions['people']>): Promise<void> {
    const pending: AudiencePerson[] = [];
    for await (const item of this.pull(people)) {
      if (isPeopleBatch(item)) {
        if (pending.length > 0) {
          await this.processBatch(pending.splice(0));
        }
        for (let from = 0; from < item.length; from += BATCH) {
          const batch = from === 0 && item.length <= BATCH ? item : item.slice(from, from + BATCH);
          this.peopleRead += batch.length;
          await this.processBatch(batch);
        }
      } else {
        pending.push(item);
        this.peopleRead++;
        if (pending.length === BATCH) await this.processBatch(pending.splice(0));
      }
    }
    if (pending.length > 0) await this.processBatch(pending.splice(0));
  }

  private async finishSink(): Promise<void> {
    const sink = this.sink!;
    if (sink.kind === 'inline') {
      this.recordSinkTimings(sink.sink.timings);
      return;
    }
    const t = performance.now();
    sink.worker.postMessage({ type: 'finish' } satisfies ToWorker);
    const timings = await sink.finished;
    this.time('main: wait for the hashing thread', t);
    this.recordSinkTimings(timings);
    // Every job was answered before 'finished' (messages are ordered).
    await sink.worker.terminate();
  }

  private recordSinkTimings(timings: SinkTimings): void {
    this.timings['hashing thread: SHA-256 of identifiers'] = timings.hash;
    this.timings['hashing thread: write files'] = timings.write;
    this.timings['hashing thread: SHA-256 of files'] = timings.fileSha256;
    this.timings['hashing thread: fsync'] = timings.fsync;
  }

  /** After a failure: stop the hashing side and close its files. */
  async abort(): Promise<void> {
    const sink = this.sink;
    if (sink === null) return;
    if (sink.kind === 'inline') {
      sink.sink.abort();
      return;
    }
    if (sink.failure === null) {
      const stopped = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        sink.worker.on('message', (message: FromWorker) => {
          if (message.type === 'aborted' || message.type === 'failed') {
            clearTimeout(timer);
            resolve();
          }
        });
        sink.worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      sink.worker.postMessage({ type: 'abort' } satisfies ToWorker);
      await stopped;
    }
    await sink.worker.terminate();
  }

  manifestFiles(): ManifestFile[] {
    const files: ManifestFile[] = [];
    for (const s of this.series) {
      for (const file of s.files) {
        const closed = this.closed.get(file.name);
        if (closed === undefined) throw new Error(`the hashing thread did not report ${file.name}`);
        files.push({ name: file.name, rows: file.rows, bytes: closed.bytes, sha256: closed.sha256 });
      }
    }
    return files;
  }

  columnsForManifest(): AudienceFileManifest['columns'] {
    return this.series.flatMap((s) =>
      s.columns.map((c) => ({ field: c.rule.field, header: c.rule.header, hashed: c.rule.hashed })),
    );
  }

  blankForManifest(): AudienceFileManifest['blankFields'] {
    const out: AudienceFileManifest['blankFields'] = {};
    for (const [field, reasons] of this.blank) out[field] = Object.fromEntries(reasons);
    return out;
  }

  usedRules(): FieldRule[] {
    return this.fieldValues.map((fv) => fv.rule);
  }
}

/**
 * Buffer's own UTF-8 and Latin-1 writers without `write()`'s argument handling: half the cost
 * per cell. Long part of Node's Buffer (not in its type definitions); if a Node version lacks
 * them, the documented `write()` stands in.
 */
type FastBuffer = Buffer & {
  utf8Write(text: string, offset: number, length?: number): number;
  latin1Write(text: string, offset: number, length?: number): number;
};

function fastBuffer(buffer: Buffer): FastBuffer {
  const fast = buffer as FastBuffer;
  if (typeof fast.utf8Write !== 'function') {
    fast.utf8Write = (text, offset, length) => buffer.write(text, offset, length ?? buffer.length - offset, 'utf8');
  }
  if (typeof fast.latin1Write !== 'function') {
    fast.latin1Write = (text, offset, length) => buffer.write(text, offset, length ?? buffer.length - offset, 'latin1');
  }
  return fast;
}

/** A copy of the string that shares no memory with it (nor with a larger string it was sliced from). */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function isAsyncIterable<T>(x: AsyncIterable<T> | Iterable<T>): x is AsyncIterable<T> {
  return typeof (x as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
}

function isPeopleBatch(item: AudiencePerson | readonly AudiencePerson[]): item is readonly AudiencePerson[] {
  return Array.isArray(item);
}

/**
 * Starts the hashing thread. Built code (dist/) runs file-sink-worker.js directly; from the
 * TypeScript sources (tsx, vitest) the worker first registers tsx's loader, as a worker does
 * not inherit the parent's module hooks.
 */
function spawnSinkWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./file-sink-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  // Built code needs no loader: the thread starts without the parent's --import/--require
  // flags (a parent run under a loader would otherwise start it in the worker too).
  if (!fromSource) return new Worker(entry, { execArgv: [] });
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`,
    { eval: true },
  );
}

// ---------------------------------------------------------------------------------------
// The entry point
// ---------------------------------------------------------------------------------------

/**
 * Writes the platform's files for the people given into a new directory, with a manifest.
 * Refuses (AppError 'rule_refused') without an allowing decision of the lawful gate;
 * 'validation_failed' names the option at fault; 'conflict' if the directory exists.
 */
export async function writeAudienceFiles(options: WriteAudienceFilesOptions): Promise<WriteAudienceFilesResult> {
  const validated = validateOptions(options);
  const now = options.now ?? ((): Date => new Date());
  const startedAt = now();
  options.signal?.throwIfAborted();

  const directory = options.directory;
  await createOutputDirectory(directory);

  const writer = new AudienceFileWriter(options, validated);
  try {
    writer.startSink(directory);
    await writer.run();
    const files = writer.manifestFiles();
    const rules = validated.rules;
    const warnings: string[] = [];
    if (rules.limits.minRows !== null && writer.rowsWritten < rules.limits.minRows) {
      warnings.push(
        `${writer.rowsWritten} rows: below the ${rules.limits.minRows} rows ${rules.product} needs in an upload (${options.platform}).`,
      );
    }
    if (writer.rowsWritten === 0) warnings.push('No rows were written: there is no file to upload.');
    for (const rule of writer.usedRules()) if (rule.unconfirmed) warnings.push(`${rule.header}: ${rule.unconfirmed}`);
    const sources = uniqueSources([...writer.usedRules().flatMap((rule) => rule.sources), ...rules.limits.sources]);
    const manifest: AudienceFileManifest = {
      manifestVersion: 1,
      platform: options.platform,
      product: rules.product,
      operation: options.operation ?? 'add',
      audience: { id: options.audience.id, name: options.audience.name },
      staffMember: { id: options.staffMember.id, name: options.staffMember.name },
      startedAt: startedAt.toISOString(),
      completedAt: now().toISOString(),
      normalizationRulesVersion: NORMALIZATION_RULES_VERSION,
      hashing: { algorithm: 'SHA-256', encoding: 'lower-case hex', unicode: 'NFC, UTF-8' },
      columns: writer.columnsForManifest(),
      files,
      peopleRead: writer.peopleRead,
      rowsWritten: writer.rowsWritten,
      excluded: { ...options.excluded },
      skipped: { ...writer.skipped },
      blankFields: writer.blankForManifest(),
      ruleDecisions: options.ruleDecisions.map((d) => ({
        ruleId: d.ruleId,
        outcome: d.outcome,
        explanation: d.explanation,
      })),
      warnings,
      sources,
    };
    const manifestPath = join(directory, MANIFEST_FILE);
    await writeDurably(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    await syncDirectory(directory);
    return { manifest, manifestPath, directory, timings: writer.timings };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

function uniqueSources(sources: readonly RuleSource[]): RuleSource[] {
  const seen = new Map<string, RuleSource>();
  for (const source of sources) seen.set(`${source.title}\u0000${source.url ?? ''}`, source);
  return [...seen.values()];
}

/**
 * Creates the new directory audience files are written into (0700); 'conflict' if it exists.
 * Shared with the removal files (src/app/audience-removal-file.ts).
 */
export async function createOutputDirectory(directory: string): Promise<void> {
  const existing = await stat(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null) {
    throw new AppError('conflict', `${directory} already exists: audience files are written into a new directory`, {
      directory,
    });
  }
  await mkdir(dirname(directory), { recursive: true });
  // Not recursive: fails if another export created it in the meantime.
  await mkdir(directory, { mode: 0o700 });
  const handle = await open(directory, 'r');
  try {
    await handle.chmod(0o700);
  } finally {
    await handle.close();
  }
}

/** Writes a file (0600, exclusively) via a temporary name, fsynced, then renamed into place. */
export async function writeDurably(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/** Makes the directory's entries durable (after its files are written and renamed). */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
