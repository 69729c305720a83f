import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import {
  detectDelimiter,
  isEmptyRecord,
  isErrorRecord,
  readCsv,
  type CsvReader,
  type CsvRecord,
  type ReadCsvOptions,
} from './read-csv.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/csv/', import.meta.url));

/** A stream of `bytes` cut into chunks of `size` bytes (1 = byte by byte). */
const chunked = (bytes: Buffer, size: number): Readable => {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
};

async function readAll(
  input: Readable | string | Buffer,
  options?: ReadCsvOptions,
): Promise<{ csv: CsvReader; records: CsvRecord[] }> {
  const stream =
    typeof input === 'string'
      ? chunked(Buffer.from(input), 64 * 1024)
      : Buffer.isBuffer(input)
        ? chunked(input, 7)
        : input;
  const csv = await readCsv(stream, options);
  const records: CsvRecord[] = [];
  for await (const r of csv) records.push(r);
  return { csv, records };
}

describe('readCsv: the messy fixture', () => {
  const expected: CsvRecord[] = [
    {
      line: 2,
      record: 1,
      values: ['Ada', 'Lovelace', 'ada@example.org', "12 St James's Square", 'SW1Y 4JH', 'volunteer', 'donor'],
    },
    {
      line: 4,
      record: 2,
      values: ['Charles', 'Babbage', 'charles@example.org', '1 Dorset Street\nMarylebone', 'W1U 4EG', '', ''],
    },
    {
      line: 6,
      record: 3,
      error: {
        code: 'too_many_fields',
        column: 'column 8',
        reason: 'the row has 8 fields but the header has 7 columns',
      },
    },
    {
      line: 7,
      record: 4,
      error: {
        code: 'too_few_fields',
        column: 'Tag',
        reason: 'the row has 6 fields but the header has 7 columns; "Tag" and any after it are missing',
      },
    },
    {
      line: 10,
      record: 5,
      values: ['Joan "JC"', 'Clarke', 'joan@example.org', 'Flat 2; Bletchley', 'MK3 6EB', '', ''],
    },
    { line: 11, record: 6, values: ['', '', '', '', '', '', ''] },
    {
      line: 12,
      record: 7,
      values: ['Alan', 'Turing', 'alan@example.org', 'Manchester', 'M13 9PL', "=cmd|' /C calc'!A0", ''],
    },
    {
      line: 13,
      record: 8,
      error: {
        code: 'invalid_utf8',
        column: 'First name',
        reason: 'the value is not valid UTF-8; save the file as "CSV UTF-8"',
      },
    },
  ];

  it.each([1, 2, 3, 5, 64, 64 * 1024])('reads every record exactly once, in chunks of %i bytes', async (size) => {
    const bytes = await readFile(join(FIXTURES, 'messy.csv'));
    const { csv, records } = await readAll(chunked(bytes, size));
    expect(csv.header).toEqual({
      names: ['First name', 'Surname', 'E-mail', 'Address', 'Post Code', 'Tag', 'Tag'],
      line: 1,
      delimiter: ';',
    });
    expect(records).toEqual(expected);
    expect(csv.stats()).toEqual({ records: 8, rows: 5, errors: 3, blankLines: 4, stoppedEarly: false });
  });

  it('reads the fixture from a file stream', async () => {
    const { records } = await readAll(createReadStream(join(FIXTURES, 'messy.csv')));
    expect(records).toEqual(expected);
    const emptyRow = records[5];
    expect(emptyRow !== undefined && !isErrorRecord(emptyRow) && isEmptyRecord(emptyRow.values)).toBe(true);
  });
});

describe('readCsv: formats', () => {
  it('reads comma-separated LF files without a BOM', async () => {
    const { csv, records } = await readAll('email,name\na@x.org,"Smith, Jo"\nb@x.org,Lee\n');
    expect(csv.header.delimiter).toBe(',');
    expect(records).toEqual([
      { line: 2, record: 1, values: ['a@x.org', 'Smith, Jo'] },
      { line: 3, record: 2, values: ['b@x.org', 'Lee'] },
    ]);
  });

  it('handles lone CR and mixed line endings, and a last line without a break', async () => {
    const { records, csv } = await readAll('a;b\rc;d\r\ne;f\ng;"h\r\ni"\r\nj;k');
    expect(records.map((r) => [r.line, 'values' in r ? r.values : r.error.code])).toEqual([
      [2, ['c', 'd']],
      [3, ['e', 'f']],
      [4, ['g', 'h\ni']],
      [6, ['j', 'k']],
    ]);
    expect(csv.stats().blankLines).toBe(0);
  });

  it('detects the delimiter from the header, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter(Buffer.from('"a,b,c";d;e\n'), false)).toBe(';');
    expect(detectDelimiter(Buffer.from('"a;b;c",d,e\n'), false)).toBe(',');
    expect(detectDelimiter(Buffer.from('\n\nname;email\n'), false)).toBe(';');
    expect(detectDelimiter(Buffer.from('"multi\nline";x;y'), false)).toBeUndefined();
    expect(detectDelimiter(Buffer.from('only'), true)).toBe(',');
  });

  it('uses an explicit delimiter when given', async () => {
    const { csv, records } = await readAll('a;b,c\n1;2,3\n', { delimiter: ',' });
    expect(csv.header.names).toEqual(['a;b', 'c']);
    expect(records).toEqual([{ line: 2, record: 1, values: ['1;2', '3'] }]);
  });

  it('counts blank lines before the header in its line number', async () => {
    const { csv, records } = await readAll('\r\n  \r\nname\r\nAda\r\n');
    expect(csv.header).toEqual({ names: ['name'], line: 3, delimiter: ',' });
    expect(records).toEqual([{ line: 4, record: 1, values: ['Ada'] }]);
    expect(csv.stats().blankLines).toBe(2);
  });

  it('keeps a stray quote inside an unquoted field as text', async () => {
    const { records } = await readAll('name,note\nAda,5" tall\n');
    expect(records).toEqual([{ line: 2, record: 1, values: ['Ada', '5" tall'] }]);
  });
});

describe('readCsv: faults', () => {
  it('reports an unterminated quote at the end of the file as one error and stops', async () => {
    const { csv, records } = await readAll('name,address\nAda,London\nBob,"1 High St\nCleo,Leeds\n');
    expect(records).toEqual([
      { line: 2, record: 1, values: ['Ada', 'London'] },
      {
        line: 3,
        record: 2,
        error: {
          code: 'unterminated_quote',
          column: 'address',
          reason:
            'a quoted field opened in this row is never closed, so the rest of the file is part of it; reading stopped',
        },
      },
    ]);
    expect(csv.stats()).toMatchObject({ records: 2, rows: 1, errors: 1, stoppedEarly: true });
  });

  it('stops at a row larger than maxRowBytes, after handing out the rows before it', async () => {
    const long = 'x'.repeat(300);
    const input = `name,note\nAda,short\n\nBob,${long}\nCleo,short\n`;
    for (const size of [1, 16, 1024]) {
      const { records, csv } = await readAll(chunked(Buffer.from(input), size), { maxRowBytes: 100 });
      expect(records).toEqual([
        { line: 2, record: 1, values: ['Ada', 'short'] },
        {
          line: 4,
          record: 2,
          error: {
            code: 'row_too_large',
            reason: 'the row is larger than 100 bytes (often a quote that is never closed); reading stopped',
          },
        },
      ]);
      expect(csv.stats()).toEqual({ records: 2, rows: 1, errors: 1, blankLines: 1, stoppedEarly: true });
    }
  });

  it('stops at a quoted field larger than maxRowBytes spread over short lines', async () => {
    const input = `name,note\nAda,"${'abc\n'.repeat(100)}"\nBob,x\n`;
    const { records } = await readAll(input, { maxRowBytes: 100 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ line: 2, record: 1, error: { code: 'row_too_large' } });
  });

  it('rejects an empty file, a header that is not UTF-8 and a header with too many columns', async () => {
    await expect(readAll('')).rejects.toThrow(AppError);
    await expect(readAll('\uFEFF\r\n\r\n')).rejects.toThrow(/line 1: the file is empty/);
    await expect(readAll(Buffer.from([0x6e, 0xe9, 0x2c, 0x62, 0x0a]))).rejects.toThrow(/column 1 of the header/);
    await expect(readAll('a,b,c\n1,2,3\n', { maxColumns: 2 })).rejects.toThrow(/3 columns; at most 2/);
  });

  it('refuses limits that are not positive integers', async () => {
    await expect(readAll('a\n', { maxRowBytes: 0 })).rejects.toThrow(RangeError);
    await expect(readAll('a\n', { maxColumns: 1.5 })).rejects.toThrow(/maxColumns/);
  });

  it('reads a header-only file as zero records', async () => {
    const { csv, records } = await readAll('\uFEFFemail;phone\r\n');
    expect(csv.header.names).toEqual(['email', 'phone']);
    expect(records).toEqual([]);
    expect(csv.stats()).toEqual({ records: 0, rows: 0, errors: 0, blankLines: 0, stoppedEarly: false });
  });

  it('can be iterated once, and stopping early destroys the input', async () => {
    const input = chunked(Buffer.from('a\n1\n2\n3\n'), 2);
    const csv = await readCsv(input);
    for await (const r of csv) {
      expect(r.record).toBe(1);
      break;
    }
    expect(input.destroyed).toBe(true);
    expect(() => csv[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});

// ---------------------------------------------------------------------------------------
// The accounting invariant on generated files: a model of rows, serialised with random line
// endings, quoting, blank lines and faults, read back in random chunk sizes. Every record must
// come out once, in order, with the model's line number and outcome.
// ---------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

interface ModelRecord {
  line: number;
  expect: { values: string[] } | { code: string };
}

function generate(seed: number): { bytes: Buffer; delimiter: ',' | ';'; model: ModelRecord[]; blankLines: number } {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const columns = 1 + Math.floor(random() * 5);
  // A one-column header has no delimiter to detect.
  const delimiter = columns === 1 ? ',' : pick([',', ';'] as const);
  let lastEol = '';
  // An empty line after a lone CR must not start with LF, or the two would make one CRLF.
  const eol = (emptyLine = false): string =>
    (lastEol = pick(emptyLine && lastEol === '\r' ? ['\r', '\r\n'] : ['\n', '\r\n', '\r']));
  const pieces = ['Ada', 'O"Neil', 'a,b', 'a;b', 'two\nlines', 'crlf\r\nhere', ' padded ', '', '£5', 'Zoë', '=1+1'];
  let text = random() < 0.5 ? '\uFEFF' : '';
  let line = 1;
  let blankLines = 0;
  const field = (v: string): string => (/[",;\r\n]/.test(v) || random() < 0.2 ? `"${v.replaceAll('"', '""')}"` : v);
  const breaks = (v: string): number => v.split(/\r\n|\r|\n/).length - 1;
  const writeLine = (values: string[]): void => {
    const raw = values.map(field).join(delimiter);
    text += raw + eol();
    line += 1 + values.reduce((n, v) => n + breaks(v), 0);
  };
  writeLine(Array.from({ length: columns }, (_, i) => `col${i}`));
  const model: ModelRecord[] = [];
  const rows = 50 + Math.floor(random() * 50);
  for (let i = 0; i < rows; i++) {
    const roll = random();
    if (roll < 0.1) {
      const blank = pick(['', '  ', '\t']);
      text += blank + eol(blank === '');
      line += 1;
      blankLines += 1;
      continue;
    }
    let n = columns;
    if (roll < 0.18) n = columns + 1;
    else if (roll < 0.25 && columns > 1) n = columns - 1;
    // One empty value in a one-column file is a blank line, not a record.
    const values = Array.from({ length: n }, () => pick(pieces)).map((v) => (n === 1 && v.trim() === '' ? 'x' : v));
    const start = line;
    writeLine(values);
    const normalized = values.map((v) => v.replace(/\r\n?/g, '\n'));
    model.push({
      line: start,
      expect:
        n > columns ? { code: 'too_many_fields' } : n < columns ? { code: 'too_few_fields' } : { values: normalized },
    });
  }
  return { bytes: Buffer.from(text), delimiter, model, blankLines };
}

describe('readCsv: the accounting invariant', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('generated file %i', async (seed) => {
    const { bytes, delimiter, model, blankLines } = generate(seed);
    const size = 1 + Math.floor(prng(seed * 7)() * 200);
    const { csv, records } = await readAll(chunked(bytes, size));
    expect(csv.header.delimiter).toBe(delimiter);
    expect(records.map((r) => r.record)).toEqual(model.map((_, i) => i + 1));
    expect(
      records.map((r) => ({ line: r.line, expect: isErrorRecord(r) ? { code: r.error.code } : { values: r.values } })),
    ).toEqual(model);
    const stats = csv.stats();
    expect(stats.records).toBe(stats.rows + stats.errors);
    expect(stats).toEqual({
      records: model.length,
      rows: model.filter((m) => 'values' in m.expect).length,
      errors: model.filter((m) => 'code' in m.expect).length,
      blankLines,
      stoppedEarly: false,
    });
  });
});

describe('readCsv: streaming', () => {
  it('streams a 200,000-row file with bounded memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'canvass-csv-'));
    const path = join(dir, 'big.csv');
    try {
      const rows = 200_000;
      const out = createWriteStream(path);
      out.write('\uFEFFFirst name;Surname;E-mail;Address;Post Code;Notes\r\n');
      for (let i = 1; i <= rows; i++) {
        const line = `Person${i};Surname${i};person${i}@example.org;"${i} Long Street\nSometown";AB${i % 100} 1CD;"a note with ""quotes"", commas; and semicolons ${'x'.repeat(40)}"\r\n`;
        if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      out.end();
      await finished(out);

      // Measure what is retained, not garbage waiting for collection: expose gc() for this test.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const retained = (): number => {
        gc();
        return process.memoryUsage().heapUsed;
      };
      const before = retained();
      let peak = before;
      let count = 0;
      let lastLine = 0;
      const csv = await readCsv(createReadStream(path));
      for await (const r of csv) {
        count += 1;
        if (isErrorRecord(r)) throw new Error(`unexpected error at line ${r.line}: ${r.error.reason}`);
        lastLine = r.line;
        if (count % 20_000 === 0) peak = Math.max(peak, retained());
      }
      expect(count).toBe(rows);
      expect(lastLine).toBe(1 + 2 * (rows - 1) + 1);
      expect(csv.stats()).toEqual({ records: rows, rows, errors: 0, blankLines: 0, stoppedEarly: false });
      // The file is about 36 MB; holding its records would take several times that. Streaming
      // holds one 64 KiB chunk's records at a time.
      expect(peak - before).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------
// Batches, and UTF-8 checked per chunk (only records in an invalid chunk are re-read field by
// field): the same records as reading one by one, whatever the chunk boundaries.
// ---------------------------------------------------------------------------------------

async function readBatches(
  input: Readable,
  size: number,
  options?: ReadCsvOptions,
): Promise<{ csv: CsvReader; batches: CsvRecord[][] }> {
  const csv = await readCsv(input, options);
  const batches: CsvRecord[][] = [];
  for await (const batch of csv.batches(size)) batches.push(batch);
  return { csv, batches };
}

describe('readCsv: batches', () => {
  it.each([1, 3, 1000])('hands out the messy fixture in arrays of at most %i, the same records', async (size) => {
    const bytes = await readFile(join(FIXTURES, 'messy.csv'));
    const { records } = await readAll(chunked(bytes, 64 * 1024));
    for (const chunkSize of [1, 7, 64 * 1024]) {
      const { csv, batches } = await readBatches(chunked(bytes, chunkSize), size);
      expect(batches.every((b) => b.length >= 1 && b.length <= size)).toBe(true);
      expect(batches.slice(0, -1).every((b) => b.length === size)).toBe(true);
      expect(batches.flat()).toEqual(records);
      expect(csv.stats()).toEqual({ records: 8, rows: 5, errors: 3, blankLines: 4, stoppedEarly: false });
    }
  });

  it('counts records in stats as batches are handed out', async () => {
    const csv = await readCsv(chunked(Buffer.from('a\n1\n2\n3\n4\n5\n'), 3));
    const seen: number[] = [];
    for await (const batch of csv.batches(2)) seen.push(csv.stats().records, batch.length);
    expect(seen).toEqual([2, 2, 4, 2, 5, 1]);
  });

  it('hands out the generated files in batches exactly as record by record', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { bytes } = generate(seed);
      const { csv: one, records } = await readAll(chunked(bytes, 13));
      const { csv, batches } = await readBatches(chunked(bytes, 1 + seed * 17), 1 + seed);
      expect(batches.flat()).toEqual(records);
      expect(csv.stats()).toEqual(one.stats());
    }
  });

  it('ends with the fatal record and stoppedEarly', async () => {
    const { csv, batches } = await readBatches(
      chunked(Buffer.from('name,address\nAda,London\nBob,"1 High St\nCleo,Leeds\n'), 5),
      10,
    );
    expect(batches.flat().map((r) => (isErrorRecord(r) ? r.error.code : r.values[0]))).toEqual([
      'Ada',
      'unterminated_quote',
    ]);
    expect(csv.stats()).toMatchObject({ records: 2, rows: 1, errors: 1, stoppedEarly: true });
  });

  it('can be read once, either way; stopping early destroys the input; the size must be a positive integer', async () => {
    const input = chunked(Buffer.from('a\n1\n2\n3\n'), 2);
    const csv = await readCsv(input);
    expect(() => csv.batches(0)).toThrow(RangeError);
    expect(() => csv.batches(1.5)).toThrow(RangeError);
    for await (const batch of csv.batches(1)) {
      expect(batch).toEqual([{ line: 2, record: 1, values: ['1'] }]);
      break;
    }
    expect(input.destroyed).toBe(true);
    expect(() => csv.batches()).toThrow(/only once/);
    expect(() => csv[Symbol.asyncIterator]()).toThrow(/only once/);

    const other = await readCsv(chunked(Buffer.from('a\n1\n'), 2));
    for await (const r of other) expect(r.record).toBe(1);
    expect(() => other.batches()).toThrow(/only once/);
  });
});

describe('readCsv: UTF-8 checked per chunk', () => {
  const INVALID: readonly (readonly number[])[] = [
    [0xff], // never valid
    [0xc3], // a lead byte with no continuation
    [0xe2, 0x82], // a three-byte sequence cut short
    [0xc0, 0xaf], // overlong "/"
    [0xed, 0xa0, 0x80], // a UTF-16 surrogate
    [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
    [0x80], // a stray continuation byte
  ];
  const VALID = ['plain', 'Zoë', '£5', '€', '𝄞 clef', '\uFFFD', 'a,b', 'two\nlines', 'O"Neil', ''];

  interface Cell {
    bytes: Buffer;
    valid: boolean;
    text: string;
  }

  function cells(seed: number): { bytes: Buffer; expected: ({ values: string[] } | { column: string })[] } {
    const random = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const columns = 2 + Math.floor(random() * 4);
    const names = Array.from({ length: columns }, (_, i) => `c${i}`);
    const parts: Buffer[] = [Buffer.from(`${names.join(',')}\n`)];
    const expected: ({ values: string[] } | { column: string })[] = [];
    const rows = 20 + Math.floor(random() * 40);
    for (let r = 0; r < rows; r++) {
      const row: Cell[] = [];
      for (let c = 0; c < columns; c++) {
        const text = pick(VALID);
        if (random() < 0.08) {
          const bad = Buffer.from(pick(INVALID));
          const at = Math.floor(random() * (text.length + 1));
          row.push({
            bytes: Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]),
            valid: false,
            text,
          });
        } else {
          row.push({ bytes: Buffer.from(text), valid: true, text });
        }
      }
      // Quote every field: embedded line breaks and delimiters stay inside their field.
      const line = row.map((cell) =>
        Buffer.concat([
          Buffer.from('"'),
          Buffer.from(cell.bytes.toString('latin1').replaceAll('"', '""'), 'latin1'),
          Buffer.from('"'),
        ]),
      );
      parts.push(Buffer.concat(line.flatMap((b, i) => (i === 0 ? [b] : [Buffer.from(','), b]))), Buffer.from('\r\n'));
      const bad = row.findIndex((cell) => !cell.valid);
      expected.push(bad === -1 ? { values: row.map((cell) => cell.text) } : { column: `c${bad}` });
    }
    return { bytes: Buffer.concat(parts), expected };
  }

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))(
    'names the column of each invalid value, file %i',
    async (seed) => {
      const { bytes, expected } = cells(seed);
      for (const size of [1, 2, 3, 5, 11, 64, 4096]) {
        const { records } = await readAll(chunked(bytes, size));
        expect(records.map((r) => (isErrorRecord(r) ? { column: r.error.column } : { values: r.values }))).toEqual(
          expected,
        );
        expect(records.filter(isErrorRecord).every((r) => r.error.code === 'invalid_utf8')).toBe(true);
      }
    },
  );

  it('accepts multi-byte characters cut at every chunk boundary', async () => {
    const bytes = Buffer.from('name,note\n"Zoë 𝄞",€€€\nSiân,£5\n');
    for (let size = 1; size <= bytes.length; size++) {
      const { records } = await readAll(chunked(bytes, size));
      expect(records).toEqual([
        { line: 2, record: 1, values: ['Zoë 𝄞', '€€€'] },
        { line: 3, record: 2, values: ['Siân', '£5'] },
      ]);
    }
  });

  it('reports a multi-byte sequence cut off by the end of the file', async () => {
    const bytes = Buffer.concat([Buffer.from('name,note\nAda,ok\nBob,caf'), Buffer.from([0xc3])]);
    for (const size of [1, 2, 64]) {
      const { records } = await readAll(chunked(bytes, size));
      expect(records).toEqual([
        { line: 2, record: 1, values: ['Ada', 'ok'] },
        {
          line: 3,
          record: 2,
          error: {
            code: 'invalid_utf8',
            column: 'note',
            reason: 'the value is not valid UTF-8; save the file as "CSV UTF-8"',
          },
        },
      ]);
    }
  });

  it('names the column of a header that is not UTF-8, whatever the chunks', async () => {
    const bytes = Buffer.concat([Buffer.from('name,t'), Buffer.from([0xe9]), Buffer.from('l,email\nAda,1,a@x.org\n')]);
    for (const size of [1, 3, 64]) {
      await expect(readAll(chunked(bytes, size))).rejects.toThrow(/column 2 of the header is not valid UTF-8/);
    }
  });
});
