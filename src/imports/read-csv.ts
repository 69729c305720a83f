/**
 * Streaming CSV reader for people imports (issue 3).
 *
 * `readCsv` reads the header, then hands out every data record exactly once, either as its
 * values or as an error with a reason (and the column, where there is one). That is the
 * accounting invariant the import report is built on:
 *
 *     stats.records === stats.rows + stats.errors
 *
 * and the records are numbered 1, 2, 3, … without gaps, in file order.
 *
 * Decisions, so the importer and the report can rely on them:
 *
 * - Encoding: UTF-8, with or without a byte-order mark (the BOM is removed). Fields are
 *   decoded strictly: a record with bytes that are not UTF-8 (a Windows-1252 "£" from an old
 *   Excel export, say) becomes an `invalid_utf8` error naming the column; reading goes on.
 * - Delimiter: `,` or `;`. With `'auto'` (the default) it is the one that occurs more often,
 *   outside quotes, in the header line; a tie (a one-column file) means `,`.
 * - Line breaks: CRLF, LF and lone CR, mixed freely. Quoted fields may contain line breaks
 *   (handed out as LF, whatever the file used) and doubled quotes (`""`). A stray quote
 *   inside an unquoted field is kept as text.
 * - Line numbers are physical lines, 1-based, counting the header as line 1 (and any blank
 *   lines before it); `line` is the line on which a record starts.
 * - Blank lines (empty, or only spaces and tabs) are not records: they get no record number,
 *   no report row, and are counted in `stats.blankLines`. A record whose fields are all empty
 *   (`;;;`, which spreadsheets write for cleared rows) *is* a record: it comes out with its
 *   values and the importer reports it (see `isEmptyRecord`).
 * - A record with more or fewer fields than the header is an error (`too_many_fields`,
 *   `too_few_fields`); reading goes on.
 * - Two faults leave no safe place to resume, so they end the read: a quote that is still open
 *   at the end of the file (`unterminated_quote`: from the opening quote on, the rest of the
 *   file is one record) and a record larger than `maxRowBytes` (`row_too_large`). The failing
 *   record comes out as an error, reading stops, and `stats.stoppedEarly` is true. Everything
 *   before it has been handed out already.
 * - Problems with the header itself (empty file, undecodable header, too many columns) throw
 *   an AppError('validation_failed') from `readCsv`: there is nothing to import.
 *
 * Memory stays bounded whatever the file size: input is read chunk by chunk, each chunk is
 * parsed synchronously by csv-parse and its records are handed out before the next chunk is
 * read, so at most one chunk's records (plus one partial record, at most `maxRowBytes`) are
 * held at a time.
 */
import type { Readable } from 'node:stream';
import { parse, type CsvError, type InfoRecord, type Parser } from 'csv-parse';
import { AppError } from '../domain/errors.js';

export const CSV_LIMITS = {
  /** Largest record accepted, in bytes; also the longest physical line. */
  maxRowBytes: 1024 * 1024,
  /** Most columns accepted in the header. */
  maxColumns: 500,
} as const;

export type CsvDelimiter = ',' | ';';

export interface ReadCsvOptions {
  maxRowBytes?: number;
  maxColumns?: number;
  delimiter?: CsvDelimiter | 'auto';
}

export interface CsvHeader {
  /** Column names in file order, trimmed. Duplicates are kept (the mapping rejects them). */
  names: string[];
  /** Physical line of the header: 1 unless blank lines precede it. */
  line: number;
  delimiter: CsvDelimiter;
}

export type CsvRecordErrorCode =
  'too_many_fields' | 'too_few_fields' | 'invalid_utf8' | 'unterminated_quote' | 'row_too_large';

export interface CsvRecordError {
  code: CsvRecordErrorCode;
  /** The header name of the offending column, or "column N" where the header has none. */
  column?: string;
  reason: string;
}

export interface CsvValuesRecord {
  line: number;
  record: number;
  values: string[];
}

export interface CsvErrorRecord {
  line: number;
  record: number;
  error: CsvRecordError;
}

export type CsvRecord = CsvValuesRecord | CsvErrorRecord;

export interface CsvReadStats {
  /** Data records handed out (values + errors). */
  records: number;
  rows: number;
  errors: number;
  /** Blank lines skipped, anywhere in the file (before the header included). */
  blankLines: number;
  /** True when an `unterminated_quote` or `row_too_large` error ended the read. */
  stoppedEarly: boolean;
}

export interface CsvReader extends AsyncIterable<CsvRecord> {
  readonly header: CsvHeader;
  /** Counts so far; final once iteration has finished. */
  stats(): CsvReadStats;
}

export const isErrorRecord = (r: CsvRecord): r is CsvErrorRecord => 'error' in r;

/** True when every field is empty or whitespace: a cleared spreadsheet row. */
export const isEmptyRecord = (values: readonly string[]): boolean => values.every((v) => v.trim() === '');

/**
 * Reads the header of `input` and returns a single-use reader over its data records.
 *
 * ```ts
 * const csv = await readCsv(fs.createReadStream(path));
 * const mapping = resolveColumnMapping(csv.header.names, entries);
 * for await (const r of csv) { if (isErrorRecord(r)) … else … }
 * const { records, blankLines } = csv.stats();
 * ```
 *
 * Breaking out of the loop early destroys `input`.
 */
export async function readCsv(input: Readable, options: ReadCsvOptions = {}): Promise<CsvReader> {
  const maxRowBytes = options.maxRowBytes ?? CSV_LIMITS.maxRowBytes;
  const maxColumns = options.maxColumns ?? CSV_LIMITS.maxColumns;
  for (const [name, value] of [
    ['maxRowBytes', maxRowBytes],
    ['maxColumns', maxColumns],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`readCsv: ${name} must be a positive integer`);
  }
  const source = new RecordSource(input, options.delimiter ?? 'auto', maxRowBytes);
  const stats: CsvReadStats = { records: 0, rows: 0, errors: 0, blankLines: 0, stoppedEarly: false };

  let header: CsvHeader | undefined;
  try {
    header = await readHeader(source, stats, maxColumns);
  } catch (err) {
    source.close();
    throw err;
  }
  const names = header.names;

  async function* records(): AsyncGenerator<CsvRecord> {
    try {
      for (;;) {
        const event = await source.next();
        if (event === undefined) return;
        if (event.kind === 'record') {
          if (isBlankLine(event.fields)) {
            stats.blankLines += 1;
            continue;
          }
          stats.records += 1;
          const result = toRecord(event.fields, names);
          if ('values' in result) {
            stats.rows += 1;
            yield { line: event.line, record: stats.records, values: result.values };
          } else {
            stats.errors += 1;
            yield { line: event.line, record: stats.records, error: result.error };
          }
        } else {
          stats.records += 1;
          stats.errors += 1;
          stats.stoppedEarly = true;
          yield { line: event.line, record: stats.records, error: fatalError(event, names, maxRowBytes) };
          return;
        }
      }
    } finally {
      source.close();
    }
  }

  let started = false;
  return {
    header,
    stats: () => ({ ...stats, blankLines: stats.blankLines + source.emptyLines() }),
    [Symbol.asyncIterator]() {
      if (started) throw new Error('readCsv: a CSV reader can be iterated only once');
      started = true;
      return records();
    },
  };
}

async function readHeader(source: RecordSource, stats: CsvReadStats, maxColumns: number): Promise<CsvHeader> {
  for (;;) {
    const event = await source.next();
    if (event === undefined) {
      throw headerError(1, 'the file is empty: the first line must be a header naming the columns');
    }
    if (event.kind === 'fatal') {
      const why =
        event.code === 'unterminated_quote'
          ? 'a quoted column name is never closed'
          : 'it is longer than the largest row allowed';
      throw headerError(event.line, `the header cannot be read: ${why}`);
    }
    if (isBlankLine(event.fields)) {
      stats.blankLines += 1;
      continue;
    }
    const names: string[] = [];
    for (const [i, field] of event.fields.entries()) {
      const name = decodeUtf8(field);
      if (name === undefined) {
        throw headerError(event.line, `column ${i + 1} of the header is not valid UTF-8; save the file as "CSV UTF-8"`);
      }
      names.push(name.trim());
    }
    if (names.length > maxColumns) {
      throw headerError(event.line, `the header has ${names.length} columns; at most ${maxColumns} are allowed`);
    }
    return { names, line: event.line, delimiter: source.delimiter };
  }
}

const headerError = (line: number, message: string): AppError =>
  new AppError('validation_failed', `line ${line}: ${message}`, { issues: [{ field: `line ${line}`, message }] });

const columnName = (names: readonly string[], index: number): string => {
  const name = names[index];
  return name === undefined || name === '' ? `column ${index + 1}` : name;
};

function toRecord(fields: Uint8Array[], names: readonly string[]): { values: string[] } | { error: CsvRecordError } {
  if (fields.length > names.length) {
    return {
      error: {
        code: 'too_many_fields',
        column: columnName(names, names.length),
        reason: `the row has ${fields.length} fields but the header has ${names.length} columns`,
      },
    };
  }
  if (fields.length < names.length) {
    const missing = columnName(names, fields.length);
    return {
      error: {
        code: 'too_few_fields',
        column: missing,
        reason: `the row has ${plural(fields.length, 'field')} but the header has ${names.length} columns; "${missing}" and any after it are missing`,
      },
    };
  }
  const values: string[] = [];
  for (const [i, field] of fields.entries()) {
    const value = decodeUtf8(field);
    if (value === undefined) {
      return {
        error: {
          code: 'invalid_utf8',
          column: columnName(names, i),
          reason: 'the value is not valid UTF-8; save the file as "CSV UTF-8"',
        },
      };
    }
    values.push(value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value);
  }
  return { values };
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function fatalError(event: FatalEvent, names: readonly string[], maxRowBytes: number): CsvRecordError {
  if (event.code === 'unterminated_quote') {
    return {
      code: 'unterminated_quote',
      ...(event.column !== undefined ? { column: columnName(names, event.column) } : {}),
      reason: `a quoted field opened in this row is never closed, so the rest of the file is part of it; reading stopped`,
    };
  }
  return {
    code: 'row_too_large',
    reason: `the row is larger than ${maxRowBytes} bytes (often a quote that is never closed); reading stopped`,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A physical line that is empty or holds only spaces and tabs (csv-parse skips truly empty ones). */
function isBlankLine(fields: Uint8Array[]): boolean {
  if (fields.length !== 1) return false;
  const only = fields[0];
  return only !== undefined && only.every((b) => b === 0x20 || b === 0x09);
}

// ---------------------------------------------------------------------------------------
// The byte level: BOM, delimiter detection, physical line numbers, csv-parse.
// ---------------------------------------------------------------------------------------

interface RecordEvent {
  kind: 'record';
  line: number;
  fields: Uint8Array[];
}

interface FatalEvent {
  kind: 'fatal';
  line: number;
  code: 'unterminated_quote' | 'row_too_large';
  /** 0-based index of the field in which the error happened, when known. */
  column?: number;
}

type SourceEvent = RecordEvent | FatalEvent;

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Counts physical line breaks (CRLF, LF, lone CR) in the bytes as they are read, so the
 * start line of a record can be derived from the byte offset where the previous one ended.
 * (csv-parse's own `info.lines` counts a CRLF inside a quoted field as two lines.) Only the
 * breaks between the last record handed out and the read position are held.
 */
class LineCounter {
  private breaks: number[] = [];
  private head = 0;
  private passed = 0;
  private pendingCr = false;
  /** Bytes since the last line break, to enforce the longest line. */
  private lineBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /**
   * Records the breaks in `chunk`, which starts at byte `base` of the (BOM-less) input.
   * Returns the index in `chunk` at which a line first exceeds the limit, or -1.
   */
  scan(chunk: Uint8Array, base: number): number {
    let i = 0;
    if (this.pendingCr && chunk.length > 0) {
      this.pendingCr = false;
      if (chunk[0] === LF) {
        this.breaks.push(base + 1);
        i = 1;
      } else {
        this.breaks.push(base);
      }
      this.lineBytes = 0;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF) {
        this.breaks.push(base + i + 1);
        this.lineBytes = 0;
      } else if (b === CR) {
        if (i + 1 === chunk.length) {
          this.pendingCr = true;
        } else if (chunk[i + 1] === LF) {
          this.breaks.push(base + i + 2);
          i++;
        } else {
          this.breaks.push(base + i + 1);
        }
        this.lineBytes = 0;
      } else if (++this.lineBytes > this.maxLineBytes) {
        return i;
      }
    }
    return -1;
  }

  finish(total: number): void {
    if (this.pendingCr) this.breaks.push(total);
    this.pendingCr = false;
  }

  /** The 1-based line on which byte `offset` lies. Offsets must not decrease between calls. */
  lineAt(offset: number): number {
    while (this.head < this.breaks.length && (this.breaks[this.head] ?? Infinity) <= offset) {
      this.head++;
      this.passed++;
    }
    if (this.head > 4096 && this.head * 2 > this.breaks.length) {
      this.breaks = this.breaks.slice(this.head);
      this.head = 0;
    }
    return this.passed + 1;
  }

  /** Line breaks after `offset`: at the end of the input, the blank lines that close the file. */
  breaksAfter(offset: number): number {
    this.lineAt(offset);
    return this.breaks.length - this.head;
  }
}

/**
 * Pulls chunks from the input, feeds them to csv-parse synchronously and queues what comes out
 * (records, or one fatal error) with the physical line each record starts on.
 */
class RecordSource {
  delimiter: CsvDelimiter = ',';
  private readonly chunks: AsyncIterator<unknown, unknown>;
  private readonly lines: LineCounter;
  private parser: Parser | undefined;
  private readonly queue: SourceEvent[] = [];
  private queueHead = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private bomChecked = false;
  private offset = 0;
  /** End offset and csv-parse's empty-line count at the end of the last record. */
  private lastEnd = 0;
  private lastEmpty = 0;
  private finished = false;
  /** The whole input has been parsed (not merely abandoned). */
  private ended = false;
  private stopped = false;
  private stoppedEmpty: number | undefined;

  constructor(
    private readonly input: Readable,
    private readonly requested: CsvDelimiter | 'auto',
    private readonly maxRowBytes: number,
  ) {
    this.chunks = input[Symbol.asyncIterator]() as AsyncIterator<unknown, unknown>;
    this.lines = new LineCounter(maxRowBytes);
    if (requested !== 'auto') this.delimiter = requested;
  }

  async next(): Promise<SourceEvent | undefined> {
    while (this.queueHead === this.queue.length) {
      if (this.finished) return undefined;
      this.queue.length = 0;
      this.queueHead = 0;
      await this.pump();
    }
    const event = this.queue[this.queueHead++];
    if (event?.kind === 'fatal') this.finished = true;
    return event;
  }

  /**
   * Empty lines skipped by csv-parse so far. Its own final count includes the line break
   * that ends the file, so the lines after the last record are counted here instead.
   */
  emptyLines(): number {
    if (this.stoppedEmpty !== undefined) return this.stoppedEmpty;
    return this.lastEmpty + (this.ended ? this.lines.breaksAfter(this.lastEnd) : 0);
  }

  close(): void {
    this.finished = true;
    this.parser?.destroy();
    if (!this.input.destroyed) this.input.destroy();
  }

  /** Reads one chunk (or the end) and parses it. */
  private async pump(): Promise<void> {
    const step = await this.chunks.next();
    if (step.done === true) {
      await this.end();
      return;
    }
    let chunk = toBuffer(step.value);
    if (!this.bomChecked) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < BOM.length) return;
      chunk = stripBom(Buffer.concat(this.pending));
      this.pending = [];
      this.pendingBytes = 0;
      this.bomChecked = true;
    }
    this.feed(chunk);
  }

  private feed(chunk: Buffer): void {
    const tooLongAt = this.lines.scan(chunk, this.offset);
    this.offset += chunk.length;
    if (this.parser === undefined) {
      this.pending.push(tooLongAt === -1 ? chunk : chunk.subarray(0, tooLongAt));
      this.pendingBytes += chunk.length;
      const detected = detectDelimiter(Buffer.concat(this.pending), tooLongAt !== -1);
      if (detected === undefined && tooLongAt === -1) return;
      this.startParser(detected ?? ',');
      const buffered = Buffer.concat(this.pending);
      this.pending = [];
      this.write(buffered);
    } else {
      this.write(tooLongAt === -1 ? chunk : chunk.subarray(0, tooLongAt));
    }
    if (tooLongAt !== -1) this.fail('row_too_large');
  }

  private async end(): Promise<void> {
    if (!this.bomChecked) {
      this.bomChecked = true;
      const rest = stripBom(Buffer.concat(this.pending));
      this.pending = [];
      this.pendingBytes = 0;
      if (rest.length > 0) this.feed(rest);
    }
    if (this.parser === undefined) {
      const rest = Buffer.concat(this.pending);
      this.pending = [];
      this.startParser(detectDelimiter(rest, true) ?? ',');
      if (rest.length > 0) this.write(rest);
    }
    this.lines.finish(this.offset);
    const parser = this.parser;
    if (!this.stopped && parser !== undefined) {
      await new Promise<void>((resolve, reject) => {
        parser.once('error', reject);
        parser.end(() => resolve());
      });
    }
    this.finished = true;
    this.ended = !this.stopped;
  }

  private startParser(delimiter: CsvDelimiter): void {
    if (this.requested === 'auto') this.delimiter = delimiter;
    this.parser = parse({
      delimiter: this.delimiter,
      encoding: null, // fields as bytes: decoded strictly per field, so bad UTF-8 names its column
      bom: false, // removed above, so csv-parse does not switch back to lenient decoding
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: this.maxRowBytes,
      on_record: (record: unknown, context: InfoRecord) => {
        this.onRecord(record as Uint8Array[], context);
        return null; // handed out through the queue, never buffered in the stream
      },
      on_skip: (err: CsvError | undefined) => {
        this.onSkip(err);
        return undefined;
      },
    });
    // The parser's readable side stays empty; keep it flowing so 'end' can come.
    this.parser.resume();
  }

  private write(bytes: Buffer): void {
    if (this.stopped || bytes.length === 0) return;
    // csv-parse's _transform is synchronous: on return, this chunk's records are queued.
    this.parser?.write(bytes);
  }

  private startLine(emptyLines: number): number {
    return this.lines.lineAt(this.lastEnd) + (emptyLines - this.lastEmpty);
  }

  private onRecord(fields: Uint8Array[], context: InfoRecord): void {
    if (this.stopped) return;
    const line = this.startLine(context.empty_lines);
    this.lastEnd = context.bytes;
    this.lastEmpty = context.empty_lines;
    this.queue.push({ kind: 'record', line, fields });
  }

  private onSkip(err: CsvError | undefined): void {
    if (this.stopped) return;
    const code = err?.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unterminated_quote' : 'row_too_large';
    const column = (err as { column?: unknown } | undefined)?.column;
    this.fail(code, typeof column === 'number' ? column : undefined);
  }

  private fail(code: FatalEvent['code'], column?: number): void {
    if (this.stopped) return;
    const empty = this.parser?.info.empty_lines ?? this.lastEmpty;
    const line = this.startLine(empty);
    this.stopped = true;
    this.stoppedEmpty = empty;
    this.queue.push({ kind: 'fatal', line, code, ...(column !== undefined ? { column } : {}) });
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('readCsv: the input stream must produce bytes or strings');
}

function stripBom(buf: Buffer): Buffer {
  return buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2] ? buf.subarray(BOM.length) : buf;
}

/**
 * Picks `,` or `;` by counting both outside quotes on the first non-blank line. Returns
 * undefined while that line is incomplete, unless `atEnd` (no more bytes will come).
 */
export function detectDelimiter(bytes: Uint8Array, atEnd: boolean): CsvDelimiter | undefined {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  let content = false;
  for (const b of bytes) {
    if (b === QUOTE) {
      quoted = !quoted;
      content = true;
    } else if (quoted) {
      continue;
    } else if (b === CR || b === LF) {
      if (content) return semicolons > commas ? ';' : ',';
    } else if (b === 0x2c) {
      commas++;
      content = true;
    } else if (b === 0x3b) {
      semicolons++;
      content = true;
    } else if (b !== 0x20 && b !== 0x09) {
      content = true;
    }
  }
  return atEnd ? (semicolons > commas ? ';' : ',') : undefined;
}
