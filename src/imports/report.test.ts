import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isErrorRecord, readCsv } from './read-csv.js';
import {
  formatReportCell,
  ImportTally,
  neutralizeFormula,
  reportRowForReadError,
  writeReportCsv,
  type ImportReportRow,
  type WriteReportOptions,
} from './report.js';

async function reportText(rows: ImportReportRow[], options?: WriteReportOptions): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeReportCsv(rows, out, options);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

const ROWS: ImportReportRow[] = [
  { line: 2, record: 1, outcome: 'created', personId: 'p_1' },
  { line: 3, record: 2, outcome: 'merged', personId: 'p_2' },
  { line: 5, record: 3, outcome: 'suppressed', personId: 'p_3', reason: 'objected to direct marketing' },
  { line: 6, record: 4, outcome: 'rejected', column: 'E-mail', reason: 'not an email address: "ada@", "x"' },
  { line: 7, record: 5, outcome: 'skipped', reason: 'the row is empty' },
];

describe('writeReportCsv', () => {
  it('writes the header and one CRLF line per row, quoting where needed, with a BOM by default', async () => {
    expect(await reportText(ROWS)).toBe(
      '\uFEFFline,record,outcome,column,reason,person_id\r\n' +
        '2,1,created,,,p_1\r\n' +
        '3,2,merged,,,p_2\r\n' +
        '5,3,suppressed,,objected to direct marketing,p_3\r\n' +
        '6,4,rejected,E-mail,"not an email address: ""ada@"", ""x""",\r\n' +
        '7,5,skipped,,the row is empty,\r\n',
    );
    expect(await reportText([], { bom: false })).toBe('line,record,outcome,column,reason,person_id\r\n');
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['＝1+1', "'＝1+1"],
    ['Ward = North', 'Ward = North'],
    ["'already quoted", "'already quoted"],
    ['', ''],
  ])('neutralises a cell that could start a formula: %j', (cell, written) => {
    expect(formatReportCell(cell)).toBe(written);
  });

  it('neutralises every text column, and round-trips through readCsv', async () => {
    const rows: ImportReportRow[] = [
      { line: 2, record: 1, outcome: 'rejected', column: "=cmd|' /C calc'!A0", reason: '@evil, "quoted"\nnext line' },
      { line: 3, record: 2, outcome: 'created', personId: '-p_2' },
      { line: 4, record: 3, outcome: 'rejected', column: 'Post Code', reason: 'not a UK postcode: "+SW1"' },
    ];
    const text = await reportText(rows);
    const csv = await readCsv(Readable.from([Buffer.from(text)]));
    expect(csv.header.names).toEqual(['line', 'record', 'outcome', 'column', 'reason', 'person_id']);
    const back: string[][] = [];
    for await (const r of csv) {
      if (isErrorRecord(r)) throw new Error(r.error.reason);
      back.push(r.values);
    }
    expect(back).toEqual(
      rows.map((r) => [
        String(r.line),
        String(r.record),
        r.outcome,
        neutralizeFormula(r.column ?? ''),
        neutralizeFormula(r.reason ?? ''),
        neutralizeFormula(r.personId ?? ''),
      ]),
    );
    expect(back[0]?.[3]).toBe("'=cmd|' /C calc'!A0");
    expect(back[0]?.[4]).toBe('\'@evil, "quoted"\nnext line');
    expect(back[1]?.[5]).toBe("'-p_2");
    // No cell in the file starts with a formula character.
    expect(back.flat().some((cell) => /^[=+\-@\t\r]/.test(cell))).toBe(false);
  });

  it('waits for drain on a slow writable and writes everything in order', async () => {
    const received: string[] = [];
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, callback) {
        received.push(chunk.toString('utf8'));
        setImmediate(callback);
      },
    });
    async function* many(): AsyncGenerator<ImportReportRow> {
      for (let i = 1; i <= 5000; i++) yield { line: i + 1, record: i, outcome: 'created', personId: `p_${i}` };
    }
    await writeReportCsv(many(), slow, { bom: false });
    const lines = received.join('').split('\r\n');
    expect(lines[0]).toBe('line,record,outcome,column,reason,person_id');
    expect(lines[5000]).toBe('5001,5000,created,,,p_5000');
    expect(lines).toHaveLength(5002);
  });
});

describe('reportRowForReadError', () => {
  it('turns a read error into a rejected row with its column and reason', async () => {
    const csv = await readCsv(Readable.from([Buffer.from('email;name\r\na@x.org;Ada;extra\r\n')]));
    const rows: ImportReportRow[] = [];
    for await (const r of csv) if (isErrorRecord(r)) rows.push(reportRowForReadError(r));
    expect(rows).toEqual([
      {
        line: 2,
        record: 1,
        outcome: 'rejected',
        column: 'column 3',
        reason: 'the row has 3 fields but the header has 2 columns',
      },
    ]);
  });
});

describe('ImportTally', () => {
  it('counts outcomes and checks that they account for every record', () => {
    const tally = new ImportTally();
    for (const row of ROWS) tally.add(row);
    expect(tally.summary()).toEqual({ created: 1, merged: 1, suppressed: 1, rejected: 1, skipped: 1, total: 5 });
    expect(tally.assertAccountsFor(5).total).toBe(5);
    expect(() => tally.assertAccountsFor(6)).toThrow(/the file has 6 records but 5 were reported/);
  });

  it('refuses a record reported twice, out of order, or rejected without a reason', () => {
    const tally = new ImportTally();
    tally.add({ line: 2, record: 1, outcome: 'created', personId: 'p_1' });
    expect(() => tally.add({ line: 2, record: 1, outcome: 'merged', personId: 'p_1' })).toThrow(/reported once/);
    expect(() => tally.add({ line: 4, record: 3, outcome: 'created' })).toThrow(/reported once/);
    expect(() => tally.add({ line: 3, record: 2, outcome: 'rejected' })).toThrow(/without a reason/);
    expect(tally.summary().total).toBe(1);
  });
});
