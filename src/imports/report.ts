/**
 * The import report (issue 3): one row per input record, saying what became of it, so that
 * every record is accounted for; and the CSV a campaign downloads.
 *
 * The CSV is opened in spreadsheets, and its cells carry text from the uploaded file (column
 * names, values quoted in reasons). A cell that starts with =, +, -, @, a tab or a carriage
 * return would run as a formula in Excel, LibreOffice or Google Sheets ("CSV injection",
 * OWASP), so such cells are prefixed with a single quote. This is a security requirement:
 * do not remove it.
 *
 * What goes in: every record the reader hands out gets exactly one row, in record order.
 * Read errors become `rejected` rows (`reportRowForReadError`); records whose fields are all
 * empty (`isEmptyRecord`) are meant to be `skipped`. Blank lines are not records, have no
 * row, and are reported as a count (`CsvReadStats.blankLines`).
 */
import type { Writable } from 'node:stream';
import type { CsvErrorRecord } from './read-csv.js';

export const IMPORT_OUTCOMES = ['created', 'merged', 'suppressed', 'rejected', 'skipped'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export interface ImportReportRow {
  /** Physical line where the record starts (the header is line 1). */
  line: number;
  /** Data record number, 1-based. */
  record: number;
  outcome: ImportOutcome;
  personId?: string;
  /** For `rejected` (and `skipped`, where it helps): the CSV column at fault. */
  column?: string;
  /** Required for `rejected` and `skipped`. */
  reason?: string;
}

/** The report row for a record the reader could not read: rejected, with its column and reason. */
export const reportRowForReadError = (r: CsvErrorRecord): ImportReportRow => ({
  line: r.line,
  record: r.record,
  outcome: 'rejected',
  ...(r.error.column !== undefined ? { column: r.error.column } : {}),
  reason: r.error.reason,
});

export type ImportSummary = Record<ImportOutcome, number> & { total: number };

/**
 * Counts report rows by outcome. `summary()` checks that the total equals the sum of the
 * outcomes; `assertAccountsFor(n)` checks that exactly the records 1..n were reported, each
 * once (records must be added in order, as the reader hands them out).
 */
export class ImportTally {
  private readonly counts: Record<ImportOutcome, number> = {
    created: 0,
    merged: 0,
    suppressed: 0,
    rejected: 0,
    skipped: 0,
  };
  private total = 0;
  private lastRecord = 0;

  add(row: ImportReportRow): void {
    if (row.record !== this.lastRecord + 1) {
      throw new Error(
        `import report: record ${row.record} reported after record ${this.lastRecord}; each record must be reported once, in order`,
      );
    }
    if ((row.outcome === 'rejected' || row.outcome === 'skipped') && !row.reason) {
      throw new Error(`import report: record ${row.record} is ${row.outcome} without a reason`);
    }
    this.lastRecord = row.record;
    this.counts[row.outcome] += 1;
    this.total += 1;
  }

  summary(): ImportSummary {
    const sum = IMPORT_OUTCOMES.reduce((n, outcome) => n + this.counts[outcome], 0);
    if (sum !== this.total) {
      throw new Error(`import report: ${this.total} records counted but the outcomes add up to ${sum}`);
    }
    return { ...this.counts, total: this.total };
  }

  /** Throws unless every one of the reader's `records` has exactly one report row. */
  assertAccountsFor(records: number): ImportSummary {
    const summary = this.summary();
    if (summary.total !== records || this.lastRecord !== records) {
      throw new Error(`import report: the file has ${records} records but ${summary.total} were reported`);
    }
    return summary;
  }
}

export const REPORT_CSV_HEADER = ['line', 'record', 'outcome', 'column', 'reason', 'person_id'] as const;

/** Characters that make a spreadsheet read a cell as a formula (full-width forms included). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Prefixes a single quote to a cell a spreadsheet would evaluate. */
export const neutralizeFormula = (cell: string): string => (FORMULA_START.test(cell) ? `'${cell}` : cell);

/** RFC 4180 quoting: only when needed, with doubled quotes. */
const quoteCell = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

export const formatReportCell = (cell: string): string => quoteCell(neutralizeFormula(cell));

/** One report row as a CSV line, CRLF-terminated. */
export function formatReportLine(row: ImportReportRow): string {
  const cells = [
    String(row.line),
    String(row.record),
    row.outcome,
    row.column ?? '',
    row.reason ?? '',
    row.personId ?? '',
  ];
  return `${cells.map(formatReportCell).join(',')}\r\n`;
}

export interface WriteReportOptions {
  /** Start with a UTF-8 byte-order mark, so Excel reads non-ASCII text correctly. Default true. */
  bom?: boolean;
}

/**
 * Writes the report as CSV (UTF-8, CRLF, header `line,record,outcome,column,reason,person_id`)
 * to `out`, respecting backpressure. Does not end `out`.
 */
export async function writeReportCsv(
  rows: Iterable<ImportReportRow> | AsyncIterable<ImportReportRow>,
  out: Writable,
  options: WriteReportOptions = {},
): Promise<void> {
  const write = async (text: string): Promise<void> => {
    if (out.destroyed) throw new Error('import report: the output stream was closed');
    if (!out.write(text)) await waitForDrain(out);
  };
  await write(`${options.bom === false ? '' : '\uFEFF'}${REPORT_CSV_HEADER.join(',')}\r\n`);
  let batch = '';
  for await (const row of rows) {
    batch += formatReportLine(row);
    if (batch.length >= 64 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  if (batch !== '') await write(batch);
}

function waitForDrain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('import report: the output stream was closed'));
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
