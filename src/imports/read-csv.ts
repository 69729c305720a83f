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
import { Buffer, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { Parser, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
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
  /**
   * The same records, in file order, in arrays of at most `size` (default 1,000): every array
   * is non-empty and the caller's to keep. One promise per array instead of one per record —
   * the fast way through a large file. A reader is read once: record by record or in batches.
   * Breaking out of the loop early destroys the input, as with the record iterator.
   */
  batches(size?: number): AsyncIterableIterator<CsvRecord[]>;
}

export const isErrorRecord = (r: CsvRecord): r is CsvErrorRecord => 'error' in r;

/** True when every field is empty or whitespace: a cleared spreadsheet row. */
export const isEmptyRecord = (values: readonly string[]): boolean => values.every((v) => v.trim() === '');

/** Default size of the arrays handed out by `CsvReader.batches()`. */
export const CSV_DEFAULT_BATCH_SIZE = 1000;

/**
 * Reads the header of `input` and returns a single-use reader over its data records.
 *
 * ```ts
 * const csv = await readCsv(fs.createReadStream(path));
 * const mapping = resolveColumnMapping(csv.header.names, entries);
 * for await (const r of csv) { if (isErrorRecord(r)) … else … }
 * // or, faster on large files: for await (const batch of csv.batches(1000)) for (const r of batch) …
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
  const source = new RecordSource(input, options.delimiter ?? 'auto', maxRowBytes, maxColumns);
  let header: CsvHeader;
  try {
    header = await source.readHeader();
  } catch (err) {
    source.close();
    throw err;
  }

  let started = false;
  const start = (): void => {
    if (started) throw new Error('readCsv: a CSV reader can be iterated only once');
    started = true;
  };
  return {
    header,
    stats: () => source.stats(),
    batches(size = CSV_DEFAULT_BATCH_SIZE) {
      if (!Number.isSafeInteger(size) || size < 1)
        throw new RangeError('readCsv: the batch size must be a positive integer');
      start();
      return source.batches(size);
    },
    [Symbol.asyncIterator]() {
      start();
      return source.records();
    },
  };
}

const headerError = (line: number, message: string): AppError =>
  new AppError('validation_failed', `line ${line}: ${message}`, { issues: [{ field: `line ${line}`, message }] });

const columnName = (names: readonly string[], index: number): string => {
  const name = names[index];
  return name === undefined || name === '' ? `column ${index + 1}` : name;
};

/**
 * One parsed record → a values record or an error. `badColumn` is the first field that is not
 * valid UTF-8, or -1. The field count is checked first, then the encoding.
 */
function toRecord(
  fields: string[],
  badColumn: number,
  names: readonly string[],
  line: number,
  record: number,
): CsvRecord {
  if (fields.length > names.length) {
    return {
      line,
      record,
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
      line,
      record,
      error: {
        code: 'too_few_fields',
        column: missing,
        reason: `the row has ${plural(fields.length, 'field')} but the header has ${names.length} columns; "${missing}" and any after it are missing`,
      },
    };
  }
  if (badColumn !== -1) {
    return {
      line,
      record,
      error: {
        code: 'invalid_utf8',
        column: columnName(names, badColumn),
        reason: 'the value is not valid UTF-8; save the file as "CSV UTF-8"',
      },
    };
  }
  for (let i = 0; i < fields.length; i++) {
    const value = fields[i]!;
    if (value.includes('\r')) fields[i] = value.replace(/\r\n?/g, '\n');
  }
  return { line, record, values: fields };
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function fatalError(
  code: 'unterminated_quote' | 'row_too_large',
  column: number | undefined,
  names: readonly string[],
  maxRowBytes: number,
): CsvRecordError {
  if (code === 'unterminated_quote') {
    return {
      code: 'unterminated_quote',
      ...(column !== undefined ? { column: columnName(names, column) } : {}),
      reason: `a quoted field opened in this row is never closed, so the rest of the file is part of it; reading stopped`,
    };
  }
  return {
    code: 'row_too_large',
    reason: `the row is larger than ${maxRowBytes} bytes (often a quote that is never closed); reading stopped`,
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A physical line that is empty or holds only spaces and tabs (csv-parse skips truly empty ones). */
function isBlankLine(fields: readonly string[]): boolean {
  if (fields.length !== 1) return false;
  const only = fields[0]!;
  for (let i = 0; i < only.length; i++) {
    const c = only.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// The byte level: BOM, delimiter detection, physical line numbers, UTF-8, csv-parse.
//
// Where the time goes on a large file, and why it is organised like this: csv-parse's own
// byte loop is the floor. Around it, everything is per chunk rather than per record or per
// field where it can be: csv-parse decodes fields as UTF-8 strings itself (one native
// `toString` per field, no byte copies); validity is checked once per chunk with the native
// `isUtf8` and only records overlapping an invalid chunk are re-read strictly, field by field,
// to name the column; line breaks are found with `indexOf`; records are taken from the parser
// by overriding its `push` (no `on_record` context objects, no stream buffering); and they are
// handed out in arrays, so a consumer awaits once per batch instead of once per record.
// ---------------------------------------------------------------------------------------

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
    const length = chunk.length;
    let i = 0;
    if (this.pendingCr && length > 0) {
      this.pendingCr = false;
      if (chunk[0] === LF) {
        this.breaks.push(base + 1);
        i = 1;
      } else {
        this.breaks.push(base);
      }
      this.lineBytes = 0;
    }
    let nextLf = chunk.indexOf(LF, i);
    let nextCr = chunk.indexOf(CR, i);
    for (;;) {
      // The next break: whichever of CR and LF comes first.
      const at = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextLf, nextCr);
      if (at === -1) break;
      if (this.lineBytes + (at - i) > this.maxLineBytes) return i + (this.maxLineBytes - this.lineBytes);
      let end: number;
      if (at === nextLf) {
        end = at + 1;
      } else if (at + 1 === length) {
        this.pendingCr = true;
        this.lineBytes = 0;
        return -1;
      } else if (chunk[at + 1] === LF) {
        end = at + 2;
      } else {
        end = at + 1;
      }
      this.breaks.push(base + end);
      this.lineBytes = 0;
      i = end;
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      if (nextCr !== -1 && nextCr < i) nextCr = chunk.indexOf(CR, i);
    }
    if (this.lineBytes + (length - i) > this.maxLineBytes) return i + (this.maxLineBytes - this.lineBytes);
    this.lineBytes += length - i;
    return -1;
  }

  finish(total: number): void {
    if (this.pendingCr) this.breaks.push(total);
    this.pendingCr = false;
  }

  /** The 1-based line on which byte `offset` lies. Offsets must not decrease between calls. */
  lineAt(offset: number): number {
    const breaks = this.breaks;
    let head = this.head;
    while (head < breaks.length && breaks[head]! <= offset) head++;
    this.passed += head - this.head;
    this.head = head;
    if (head > 4096 && head * 2 > breaks.length) {
      this.breaks = breaks.slice(head);
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

/** Length of the UTF-8 sequence a lead byte announces (1 for ASCII and for bytes that cannot lead). */
const sequenceLength = (lead: number): number =>
  lead >= 0xf0 ? (lead <= 0xf4 ? 4 : 1) : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 1;

/** Where an incomplete UTF-8 sequence at the end of `bytes` starts (bytes.length if none). */
function incompleteTail(bytes: Uint8Array, from: number): number {
  const length = bytes.length;
  for (let i = length - 1; i >= Math.max(from, length - 3); i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    return b >= 0xc0 && i + sequenceLength(b) > length ? i : length;
  }
  return length;
}

/** csv-parse's Parser, handing each record straight to `sink` instead of buffering it in the stream. */
class RecordParser extends Parser {
  constructor(
    options: Options,
    private readonly sink: (fields: string[]) => void,
  ) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.sink(chunk as string[]);
    return true;
  }
}

/**
 * Pulls chunks from the input, feeds them to csv-parse synchronously and queues what comes out
 * (the header first, then records with their numbers and start lines) for handing out.
 */
class RecordSource {
  delimiter: CsvDelimiter = ',';
  private readonly chunks: AsyncIterator<unknown, unknown>;
  private readonly lines: LineCounter;
  private parser: RecordParser | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private bomChecked = false;
  /** Bytes scanned for line breaks, and bytes written to the parser (the same once it runs). */
  private offset = 0;
  private written = 0;
  /** End offset and csv-parse's empty-line count at the end of the last record. */
  private lastEnd = 0;
  private lastEmpty = 0;
  /** No more input will be parsed (end of input, a fatal error, or closed). */
  private finished = false;
  /** The whole input has been parsed (not merely abandoned). */
  private ended = false;
  private stopped = false;
  private stoppedEmpty: number | undefined;

  private header: CsvHeader | undefined;
  private headerFailure: AppError | undefined;
  private names: readonly string[] = [];
  /** Records parsed and not yet handed out. */
  private out: CsvRecord[] = [];
  private outHead = 0;
  private parsedRecords = 0;
  private whitespaceLines = 0;
  private readonly handed = { records: 0, rows: 0, errors: 0, stoppedEarly: false };

  /** UTF-8 checking: an incomplete sequence at the end of the last chunk, and byte ranges holding invalid UTF-8. */
  private carry: Buffer | undefined;
  private carryStart = 0;
  private suspects: number[] = [];
  /** Bytes written from `lastEnd` on, to re-read a suspect record strictly. */
  private held: Buffer[] = [];
  private heldStarts: number[] = [];

  constructor(
    private readonly input: Readable,
    private readonly requested: CsvDelimiter | 'auto',
    private readonly maxRowBytes: number,
    private readonly maxColumns: number,
  ) {
    this.chunks = input[Symbol.asyncIterator]() as AsyncIterator<unknown, unknown>;
    this.lines = new LineCounter(maxRowBytes);
    if (requested !== 'auto') this.delimiter = requested;
  }

  async readHeader(): Promise<CsvHeader> {
    while (this.header === undefined && this.headerFailure === undefined && !this.finished) await this.pump();
    if (this.headerFailure !== undefined) throw this.headerFailure;
    if (this.header === undefined) {
      throw headerError(1, 'the file is empty: the first line must be a header naming the columns');
    }
    return this.header;
  }

  stats(): CsvReadStats {
    return { ...this.handed, blankLines: this.whitespaceLines + this.emptyLines() };
  }

  async *batches(size: number): AsyncGenerator<CsvRecord[], void, undefined> {
    try {
      for (;;) {
        while (this.out.length - this.outHead < size && !this.finished) await this.pump();
        const available = this.out.length - this.outHead;
        if (available === 0) return;
        const take = Math.min(size, available);
        const batch = this.out.slice(this.outHead, this.outHead + take);
        this.outHead += take;
        this.compact();
        for (const r of batch) this.account(r);
        yield batch;
      }
    } finally {
      this.close();
    }
  }

  records(): AsyncIterator<CsvRecord, undefined> {
    const next = async (): Promise<IteratorResult<CsvRecord, undefined>> => {
      while (this.outHead === this.out.length) {
        if (this.finished) {
          this.close();
          return { done: true, value: undefined };
        }
        await this.pump();
      }
      const r = this.out[this.outHead++]!;
      this.compact();
      this.account(r);
      return { done: false, value: r };
    };
    return {
      next,
      return: async () => {
        this.close();
        return { done: true, value: undefined };
      },
    };
  }

  close(): void {
    this.finished = true;
    this.parser?.destroy();
    if (!this.input.destroyed) this.input.destroy();
  }

  private account(r: CsvRecord): void {
    this.handed.records += 1;
    if ('values' in r) {
      this.handed.rows += 1;
    } else {
      this.handed.errors += 1;
      if (r.error.code === 'unterminated_quote' || r.error.code === 'row_too_large') this.handed.stoppedEarly = true;
    }
  }

  private compact(): void {
    if (this.outHead === this.out.length) {
      this.out = [];
      this.outHead = 0;
    } else if (this.outHead > 4096 && this.outHead * 2 > this.out.length) {
      this.out = this.out.slice(this.outHead);
      this.outHead = 0;
    }
  }

  /**
   * Empty lines skipped by csv-parse so far. Its own final count includes the line break
   * that ends the file, so the lines after the last record are counted here instead.
   */
  private emptyLines(): number {
    if (this.stoppedEmpty !== undefined) return this.stoppedEmpty;
    return this.lastEmpty + (this.ended ? this.lines.breaksAfter(this.lastEnd) : 0);
  }

  /** Reads one chunk (or the end) and parses it. */
  private async pump(): Promise<void> {
    if (this.finished) return;
    const step = await this.chunks.next();
    if (this.finished) return; // closed while waiting
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
    if (this.carry !== undefined) {
      // The input ends inside a multi-byte sequence.
      this.suspect(this.carryStart, this.written);
      this.carry = undefined;
    }
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
    this.parser = new RecordParser(
      {
        ...parserOptions(this.delimiter, this.maxRowBytes),
        encoding: 'utf8', // validity is checked per chunk, see checkUtf8
        on_skip: (err: CsvError | undefined) => {
          this.onSkip(err);
          return undefined;
        },
      },
      (fields) => this.onRecord(fields),
    );
    // The parser's readable side stays empty; keep it flowing so 'end' can come.
    this.parser.resume();
  }

  private write(bytes: Buffer): void {
    if (this.stopped || bytes.length === 0) return;
    const base = this.written;
    this.written += bytes.length;
    this.checkUtf8(bytes, base);
    this.held.push(bytes);
    this.heldStarts.push(base);
    // csv-parse's _transform is synchronous: on return, this chunk's records are queued.
    this.parser?.write(bytes);
    // Keep only the bytes from the end of the last record on.
    while (this.held.length > 1 && this.heldStarts[1]! <= this.lastEnd) {
      this.held.shift();
      this.heldStarts.shift();
    }
  }

  /**
   * Checks that `bytes` (at `base`) continue the input as valid UTF-8, with one native call
   * per chunk; a sequence cut by the chunk boundary is checked with the next chunk. Ranges
   * that fail are remembered, and only records overlapping them are re-read strictly.
   */
  private checkUtf8(bytes: Buffer, base: number): void {
    let from = 0;
    if (this.carry !== undefined) {
      while (from < 3 && from < bytes.length && (bytes[from]! & 0xc0) === 0x80) from++;
      const joined = Buffer.concat([this.carry, bytes.subarray(0, from)]);
      if (joined.length < sequenceLength(joined[0]!) && from === bytes.length) {
        this.carry = joined; // still incomplete: a tiny chunk
        return;
      }
      if (!isUtf8(joined)) this.suspect(this.carryStart, base + from);
      this.carry = undefined;
    }
    const cut = incompleteTail(bytes, from);
    if (cut > from && !isUtf8(bytes.subarray(from, cut))) this.suspect(base + from, base + cut);
    if (cut < bytes.length) {
      this.carry = Buffer.from(bytes.subarray(cut));
      this.carryStart = base + cut;
    }
  }

  private suspect(start: number, end: number): void {
    this.suspects.push(start, end);
  }

  /** Whether bytes [start, end) overlap a range with invalid UTF-8. Starts must not decrease. */
  private isSuspect(start: number, end: number): boolean {
    const s = this.suspects;
    if (s.length === 0) return false;
    let i = 0;
    while (i < s.length && s[i + 1]! <= start) i += 2;
    if (i > 0) this.suspects = s.slice(i);
    return this.suspects.length > 0 && this.suspects[0]! < end;
  }

  /**
   * Re-reads the record in bytes [start, end) field by field with strict decoding (csv-parse
   * with the same options, on bytes), to name the first column that is not UTF-8.
   */
  private strictFields(start: number, end: number): { fields: string[]; badColumn: number } {
    const pieces: Buffer[] = [];
    for (let i = 0; i < this.held.length; i++) {
      const pieceStart = this.heldStarts[i]!;
      const piece = this.held[i]!;
      const from = Math.max(start, pieceStart);
      const to = Math.min(end, pieceStart + piece.length);
      if (from < to) pieces.push(piece.subarray(from - pieceStart, to - pieceStart));
    }
    const records = parseSync(Buffer.concat(pieces), {
      ...parserOptions(this.delimiter, 0),
      encoding: null,
    }) as unknown as Uint8Array[][];
    const raw = records[records.length - 1] ?? [];
    const fields: string[] = [];
    let badColumn = -1;
    for (let i = 0; i < raw.length; i++) {
      const value = decodeUtf8(raw[i]!);
      if (value === undefined && badColumn === -1) badColumn = i;
      fields.push(value ?? '');
    }
    return { fields, badColumn };
  }

  private startLine(emptyLines: number): number {
    return this.lines.lineAt(this.lastEnd) + (emptyLines - this.lastEmpty);
  }

  private onRecord(parsed: string[]): void {
    if (this.stopped) return;
    const info = this.parser!.info;
    const start = this.lastEnd;
    const end = info.bytes;
    const line = this.startLine(info.empty_lines);
    this.lastEnd = end;
    this.lastEmpty = info.empty_lines;
    if (isBlankLine(parsed)) {
      this.whitespaceLines += 1;
      return;
    }
    let fields = parsed;
    let badColumn = -1;
    if (this.isSuspect(start, end)) ({ fields, badColumn } = this.strictFields(start, end));
    if (this.header === undefined) {
      this.readHeaderRecord(fields, badColumn, line);
      return;
    }
    this.parsedRecords += 1;
    this.out.push(toRecord(fields, badColumn, this.names, line, this.parsedRecords));
  }

  private readHeaderRecord(fields: string[], badColumn: number, line: number): void {
    if (badColumn !== -1) {
      this.stopWith(
        headerError(line, `column ${badColumn + 1} of the header is not valid UTF-8; save the file as "CSV UTF-8"`),
      );
      return;
    }
    const names = fields.map((f) => f.trim());
    if (names.length > this.maxColumns) {
      this.stopWith(
        headerError(line, `the header has ${names.length} columns; at most ${this.maxColumns} are allowed`),
      );
      return;
    }
    this.names = names;
    this.header = { names, line, delimiter: this.delimiter };
  }

  private stopWith(failure: AppError): void {
    this.headerFailure = failure;
    this.stopped = true;
    this.finished = true;
  }

  private onSkip(err: CsvError | undefined): void {
    if (this.stopped) return;
    const code = err?.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unterminated_quote' : 'row_too_large';
    const column = (err as { column?: unknown } | undefined)?.column;
    this.fail(code, typeof column === 'number' ? column : undefined);
  }

  private fail(code: 'unterminated_quote' | 'row_too_large', column?: number): void {
    if (this.stopped) return;
    const empty = this.parser?.info.empty_lines ?? this.lastEmpty;
    const line = this.startLine(empty);
    this.stopped = true;
    this.finished = true;
    this.stoppedEmpty = empty;
    if (this.header === undefined) {
      const why =
        code === 'unterminated_quote'
          ? 'a quoted column name is never closed'
          : 'it is longer than the largest row allowed';
      this.headerFailure = headerError(line, `the header cannot be read: ${why}`);
      return;
    }
    this.parsedRecords += 1;
    this.out.push({ line, record: this.parsedRecords, error: fatalError(code, column, this.names, this.maxRowBytes) });
  }
}

/** The csv-parse options both readings (strings, and strict bytes for suspect records) share. */
function parserOptions(delimiter: CsvDelimiter, maxRowBytes: number): Options {
  return {
    delimiter,
    bom: false, // removed above
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: maxRowBytes,
  };
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
