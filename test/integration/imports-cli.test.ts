/**
 * `canvass source create|list` and `canvass import FILE`, `import report`, run in-process
 * through main() against this file's database; the import job runs in the CLI's own runner.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { makeCampaign, testDeps, type TestCampaign } from '../helpers/factories.js';

let t: TestDatabase;
let tc: TestCampaign;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tc = await makeCampaign(testDeps(t.db));
  dir = mkdtempSync(join(tmpdir(), 'canvass-import-cli-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

const run = (argv: string[]): Promise<CliResult> => runCli(t.db, argv);

/** `canvass source create --json` in the test campaign, as its owner. */
const createSource = (name: string, type: string, more: string[] = []): Promise<CliResult> =>
  run([
    'source',
    'create',
    '--campaign',
    tc.campaign.id,
    '--by',
    tc.owner.email,
    '--name',
    name,
    '--type',
    type,
    ...more,
    '--json',
  ]);

describe('canvass source and canvass import', () => {
  it('creates a source, imports a file with the suggested mapping, and writes the report', async () => {
    const campaign = tc.campaign.id;
    const by = tc.owner.email;
    const created = await createSource('Street stall', 'event', ['--lawful-basis', 'consent']);
    expect(created.code).toBe(0);
    const source = JSON.parse(created.stdout).source as { id: string; name: string };
    expect(source.name).toBe('Street stall');
    const listed = await run(['source', 'list', '--campaign', campaign, '--by', by]);
    expect(listed.stdout).toContain('Street stall');

    const file = join(dir, 'stall.csv');
    writeFileSync(file, 'Email;Surname;Mobile\nann@example.org;Lee;07911 123456\nnope;X;\n;;\n');
    const human = await run(['import', file, '--campaign', campaign, '--by', by, '--source', 'street STALL']);
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Email → email');
    expect(human.stdout).toContain('Mobile → phone');
    expect(human.stdout).toMatch(/3 records: 1 created, 0 merged, 0 suppressed, 1 rejected, 1 skipped/);
    const importId = /Import ([0-9a-f-]{36}): completed/.exec(human.stdout)![1]!;
    expect(human.stdout).toContain(`canvass import report ${importId}`);

    const again = await run([
      'import',
      file,
      '--campaign',
      campaign,
      '--by',
      by,
      '--source',
      source.id,
      '--map',
      'Email=email',
      '--json',
    ]);
    expect(again.code).toBe(0);
    const view = JSON.parse(again.stdout).import;
    expect(view).toMatchObject({ status: 'completed', summary: { total: 3, merged: 1, rejected: 1, skipped: 1 } });

    const out = join(dir, 'report.csv');
    const report = await run(['import', 'report', importId, '--campaign', campaign, '--by', by, '--out', out]);
    expect(report.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('3,2,rejected,Email,email: not an email address,');
  }, 60_000);

  it('prints each finding of a refused import and exits 1', async () => {
    const campaign = tc.campaign.id;
    const by = tc.owner.email;
    const created = await createSource('Scraped pages', 'scraped_data');
    const source = JSON.parse(created.stdout).source as { id: string };
    const file = join(dir, 'scraped.csv');
    writeFileSync(file, 'email\na@example.org\n');
    const refused = await run(['import', file, '--campaign', campaign, '--by', by, '--source', source.id]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('was refused');
    expect(refused.stdout).toContain('TP-SCRAPED-CONTROLLER');
    expect(refused.stdout).toContain('LB-BASIS-RECORDED');
    expect(refused.stdout).toContain('To proceed:');
  }, 60_000);
});
