/**
 * Imports end to end through the use cases and the real job runner (issue 3, items 2 and 5):
 * the messy file of the "done when", matching against the database and within the file,
 * suppression, provenance, the report, refusals, deletion and cancellation.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/context.js';
import { erasePerson } from '../../src/app/erasure.js';
import { recordObjection, recordObjectionByIdentifier } from '../../src/app/objections.js';
import {
  ABANDONED_UPLOAD_MS,
  deleteImport,
  getImport,
  listImports,
  openImportReport,
  startImport,
  uploadImport,
  UPLOAD_CHUNK_BYTES,
} from '../../src/app/imports.js';
import { getSource, listSources, updateSource } from '../../src/app/sources.js';
import { createCollection, updateCollection } from '../../src/app/tags.js';
import { inCampaign } from '../../src/db/scope.js';
import { AppError } from '../../src/domain/errors.js';
import type { JobRunner } from '../../src/jobs/runner.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { addMember, makeCampaign, testDeps, type TestCampaign } from '../helpers/factories.js';
import { auditTypes, waitFor } from '../fixtures/job-helpers.js';
import {
  makeSource,
  readReport,
  runImport,
  startImportRunner,
  startSuggested,
  upload,
  waitForImport,
} from '../fixtures/imports/helpers.js';

let database: TestDatabase;
let deps: AppDeps;
let runner: JobRunner;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = testDeps(database.db);
  runner = await startImportRunner(deps);
});

afterAll(async () => {
  await runner?.stop({ graceful: false });
  await database?.close();
});

async function peopleOf(campaignId: string) {
  return inCampaign(deps.db, campaignId, (tx) =>
    tx
      .selectFrom('people')
      .select(['person_id', 'first_name', 'last_name', 'email', 'phone', 'postcode', 'facts', 'art14_due_at'])
      .where('campaign_id', '=', campaignId)
      .execute(),
  );
}

const PREVIOUS = [
  'First Name,Last Name,Email,Mobile,Postcode',
  'Alice,Smith,alice@example.org,07911 123459,',
  'Dave,Existing,,07911 123458,',
].join('\r\n');

const MESSY =
  '\uFEFF' +
  [
    'First Name,Last Name,E-mail,Mobile,Post Code',
    'Alice,Smith,  ALICE@Example.ORG ,,', // 1 merged: Alice from the earlier import, email in another case
    'Bob,Jones,bob@example.org,+44 (0)20 8123 4567,SW1A 1AA', // 2 created
    '', // blank line: not a record
    'Bob,Jones,BOB@example.org ,,', // 3 merged into record 2 (within the file)
    'Carol,White,,0044 7911 123457,', // 4 created
    'Carol,White,carol@example.org,07911123457,', // 5 merged: same phone as record 4
    'Obj,Ector,Objector@Example.org,,', // 6 suppressed: the objector, in another case
    'Dan,Brown,dan@example.org,07911 12,', // 7 rejected: impossible phone
    'Eve,Black,,,', // 8 rejected: no identifier
    ',,,,', // 9 skipped: every field empty
    'Frank,Green,frank@,,', // 10 rejected: not an email
    'Gina,Hall,,,sw1a1aa', // 11 created: name + postcode only
    'Dave,Existing,dave@example.org,07911 123458,', // 12 merged: Dave's phone from the earlier import
    'Ham,Ill,ham@example.org,07700 900123,', // 13 rejected: a drama number is not a valid number
    '"Smith, Jr",Quoted,quoted@example.org,,', // 14 created
    'Ivy,Jones,ivy@example.org,07911123459,', // 15 created without Alice's phone
    'Gina,Hall,,,SW1A 1AA', // 16 merged: name + postcode
    '',
  ].join('\r\n');

describe('the messy file', () => {
  let tc: TestCampaign;
  let sourceId: string;

  beforeAll(async () => {
    tc = await makeCampaign(deps);
    sourceId = (await makeSource(deps, tc.owner.principal, tc.campaign.id)).id;
    const first = await runImport(deps, runner, tc.owner.principal, tc.campaign.id, sourceId, PREVIOUS);
    expect(first.summary).toEqual({
      total: 2,
      created: 2,
      merged: 0,
      suppressed: 0,
      rejected: 0,
      skipped: 0,
      blankLines: 0,
    });
    await recordObjectionByIdentifier(deps, tc.owner.principal, tc.campaign.id, {
      method: 'email',
      receivedAt: '2026-11-01T10:00:00Z',
      email: 'objector@example.org',
    });
  });

  it('gives exactly the expected counts, each rejection with its column and reason', async () => {
    const uploaded = await upload(deps, tc.owner.principal, tc.campaign.id, sourceId, MESSY);
    expect(uploaded.header).toEqual(['First Name', 'Last Name', 'E-mail', 'Mobile', 'Post Code']);
    expect(uploaded.delimiter).toBe(',');
    expect(uploaded.sampleRows).toHaveLength(5);
    expect(uploaded.suggestedMapping).toEqual([
      { column: 'First Name', field: 'first_name' },
      { column: 'Last Name', field: 'last_name' },
      { column: 'E-mail', field: 'email' },
      { column: 'Mobile', field: 'phone' },
      { column: 'Post Code', field: 'postcode' },
    ]);
    expect(uploaded.import.status).toBe('uploaded');

    const started = await startSuggested(deps, runner, tc.owner.principal, tc.campaign.id, uploaded);
    expect(started.status).toBe('queued');
    expect(started.jobId).toBeTruthy();
    const done = await waitForImport(deps, tc.owner.principal, tc.campaign.id, uploaded.import.id);
    expect(done.status).toBe('completed');
    expect(done.summary).toEqual({
      total: 16,
      created: 5,
      merged: 5,
      suppressed: 1,
      rejected: 4,
      skipped: 1,
      blankLines: 1,
    });
    expect(done.progress).toEqual({ done: 16, total: 16 });

    const report = await openImportReport(deps, tc.owner.principal, tc.campaign.id, uploaded.import.id);
    const text = await readReport(report.stream);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('line,record,outcome,column,reason,person_id');
    expect(lines).toHaveLength(1 + 16);
    const rows = parse<Record<string, string>>(text, { columns: true }).map((r) => ({
      line: Number(r.line),
      record: Number(r.record),
      outcome: r.outcome,
      column: r.column,
      reason: r.reason!,
      personId: r.person_id,
    }));
    expect(rows.map((r) => r.record)).toEqual([...Array(16).keys()].map((i) => i + 1));
    expect(rows.map((r) => r.outcome)).toEqual([
      'merged',
      'created',
      'merged',
      'created',
      'merged',
      'suppressed',
      'rejected',
      'rejected',
      'skipped',
      'rejected',
      'created',
      'merged',
      'rejected',
      'created',
      'created',
      'merged',
    ]);
    // Physical lines: the header is line 1 and the blank line 4 holds no record.
    expect(rows[2]!.line).toBe(5);
    const rejected = rows.filter((r) => r.outcome === 'rejected').map((r) => [r.record, r.column, r.reason]);
    expect(rejected).toEqual([
      [7, 'Mobile', 'phone: not a valid phone number'],
      [8, '', expect.stringMatching(/^no identifier/)],
      [10, 'E-mail', 'email: not an email address'],
      [13, 'Mobile', 'phone: not a valid phone number'],
    ]);
    expect(rows[5]).toMatchObject({ column: 'E-mail' });
    expect(rows[5]!.reason).toMatch(/DM-OBJECTION-ABSOLUTE/);
    expect(rows[5]!.reason).toMatch(/survive erasure/);
    expect(rows[14]!.reason).toMatch(/phone number belongs to another person/);
    // Never the personal value itself.
    expect(text).not.toMatch(/objector@|07911|frank@/i);
    expect(rows[1]!.personId).toBe(rows[2]!.personId);
    expect(rows[3]!.personId).toBe(rows[4]!.personId);
    expect(rows[10]!.personId).toBe(rows[15]!.personId);

    const people = await peopleOf(tc.campaign.id);
    expect(people).toHaveLength(2 + 5);
    const byEmail = new Map(people.map((p) => [p.email, p]));
    expect(byEmail.get('bob@example.org')).toMatchObject({ phone: '+442081234567', postcode: 'SW1A 1AA' });
    expect(byEmail.get('carol@example.org')).toMatchObject({ phone: '+447911123457' });
    expect(byEmail.get('dave@example.org')).toMatchObject({ first_name: 'Dave', phone: '+447911123458' });
    expect(byEmail.get('ivy@example.org')).toMatchObject({ phone: null });
    expect(byEmail.get('alice@example.org')).toMatchObject({ phone: '+447911123459' });
    // Every value carries its provenance.
    const bob = byEmail.get('bob@example.org')!;
    expect(bob.facts.map((f) => f.f).sort()).toEqual(['email', 'first_name', 'last_name', 'phone', 'postcode']);
    expect(bob.facts.every((f) => typeof f.p === 'number' && f.p > 0)).toBe(true);
    expect(people.every((p) => p.art14_due_at === null)).toBe(true);

    const audit = await auditTypes(deps.db, tc.campaign.id);
    expect(audit).toContain('import.queued');
    expect(audit).toContain('import.finished:completed');
    expect(audit).toContain('import.report_downloaded');
    // The stored file is gone once the import ended.
    const chunks = await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx.selectFrom('import_uploads').select('seq').where('import_id', '=', uploaded.import.id).execute(),
    );
    expect(chunks).toHaveLength(0);
  });
});

describe('imports and their rules', () => {
  it('refuses a full-register import for a campaign not entitled to it, naming the rule', async () => {
    const tc = await makeCampaign(deps);
    await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx
        .updateTable('campaigns')
        .set({ controller_type: 'non_party_campaigner' })
        .where('campaign_id', '=', tc.campaign.id)
        .execute(),
    );
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id, {
      type: 'full_register',
      lawfulBasis: 'public_task',
      lawfulBasisNote: 'democratic engagement',
      art14Plan: 'leaflet',
    });
    const uploaded = await upload(deps, tc.owner.principal, tc.campaign.id, source.id, 'email\na@example.org\n');
    const error = await startImport(
      deps,
      tc.owner.principal,
      tc.campaign.id,
      uploaded.import.id,
      { mapping: [{ column: 'email', field: 'email' }] },
      runner,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('rule_refused');
    const findings = (error as AppError).details?.findings as { ruleId: string }[];
    expect(findings.map((f) => f.ruleId)).toContain('ER-FULL-REGISTER-ENTITLED');
    const view = await getImport(deps, tc.owner.principal, tc.campaign.id, uploaded.import.id);
    expect(view.status).toBe('refused');
    expect(view.decisions.map((f) => f.ruleId)).toContain('ER-FULL-REGISTER-ENTITLED');
    expect(await auditTypes(deps.db, tc.campaign.id)).toContain('import.refused');
  });

  it('auto-defines special-category attributes and refuses them without an Art 9 condition', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const csv = 'email,support_score\na@example.org,5\n';
    const mapping = [
      { column: 'email', field: 'email' },
      { column: 'support_score', field: 'attribute:support_score' },
    ];
    const uploaded = await upload(deps, tc.owner.principal, tc.campaign.id, source.id, csv);
    const error = (await startImport(
      deps,
      tc.owner.principal,
      tc.campaign.id,
      uploaded.import.id,
      { mapping },
      runner,
    ).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('rule_refused');
    expect((error.details?.findings as { ruleId: string }[]).map((f) => f.ruleId)).toEqual(['SCD-ART9-CONDITION']);
    const def = await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx.selectFrom('attribute_definitions').selectAll().where('name', '=', 'support_score').executeTakeFirst(),
    );
    expect(def).toMatchObject({ special_category: 'political_opinion', kind: 'inferred', defined_by: 'import' });

    // With the condition recorded, the value is stored with its class and an inferred provenance.
    await updateSource(deps, tc.owner.principal, tc.campaign.id, source.id, {
      art9Condition: 'DPA 2018 Sch 1 para 22',
    });
    const done = await runImport(deps, runner, tc.owner.principal, tc.campaign.id, source.id, csv, mapping);
    expect(done.summary).toMatchObject({ created: 1 });
    const [person] = await peopleOf(tc.campaign.id);
    const fact = person!.facts.find((f) => f.f === 'attribute:support_score')!;
    expect(fact).toMatchObject({ v: '5', c: 'political_opinion' });
    const kinds = await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx.selectFrom('provenance').select(['provenance_id', 'kind']).where('import_id', '=', done.id).execute(),
    );
    expect(kinds.find((k) => Number(k.provenance_id) === fact.p)?.kind).toBe('inferred');
    expect(kinds.map((k) => k.kind).sort()).toEqual(['inferred', 'provided']);
  });

  it('starts the Art 14 clock for a third-party source and warns (TR-ART14-ONE-MONTH)', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id, {
      type: 'open_register',
      lawfulBasis: 'legitimate_interests',
      lawfulBasisNote: 'LIA on file',
      art14Plan: 'letter within two weeks',
    });
    const done = await runImport(
      deps,
      runner,
      tc.owner.principal,
      tc.campaign.id,
      source.id,
      'name,postcode,tags,list\nAnn Lee,SW1A 1AA,Leafleted,Ward 3\n',
      [
        { column: 'name', field: 'full_name' },
        { column: 'postcode', field: 'postcode' },
        { column: 'tags', field: 'tag' },
        { column: 'list', field: 'list' },
      ],
    );
    expect(done.decisions.map((f) => [f.ruleId, f.outcome])).toEqual([['TR-ART14-ONE-MONTH', 'warn']]);
    expect(done.summary).toMatchObject({ created: 1 });
    const [person] = await peopleOf(tc.campaign.id);
    expect(person).toMatchObject({ first_name: 'Ann', last_name: 'Lee', postcode: 'SW1A 1AA' });
    const due = new Date(person!.art14_due_at!).getTime() - new Date(done.createdAt).getTime();
    expect(Math.round(due / 86_400_000)).toBe(30);
    const tags = await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx.selectFrom('person_tags').innerJoin('tags', 'tags.tag_id', 'person_tags.tag_id').select('tags.name').execute(),
    );
    expect(tags.map((t) => t.name)).toEqual(['Leafleted']);
  });

  it('validates the mapping, naming the column', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const uploaded = await upload(deps, tc.owner.principal, tc.campaign.id, source.id, 'email\na@example.org\n');
    const error = (await startImport(
      deps,
      tc.owner.principal,
      tc.campaign.id,
      uploaded.import.id,
      { mapping: [{ column: 'Nope', field: 'email' }] },
      runner,
    ).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('validation_failed');
    expect(error.details?.issues).toEqual([{ field: 'mapping', column: 'Nope', message: expect.any(String) }]);
    expect((await getImport(deps, tc.owner.principal, tc.campaign.id, uploaded.import.id)).status).toBe('uploaded');
  });

  it('refuses a file without a header and deletes an unstarted import', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const bad = await upload(deps, tc.owner.principal, tc.campaign.id, source.id, '\n\n').catch((e: unknown) => e);
    expect((bad as AppError).code).toBe('validation_failed');
    expect(await listImports(deps, tc.owner.principal, tc.campaign.id)).toEqual([]);

    const uploaded = await upload(deps, tc.owner.principal, tc.campaign.id, source.id, 'email\na@example.org\n');
    expect((await listImports(deps, tc.owner.principal, tc.campaign.id)).map((i) => i.id)).toEqual([
      uploaded.import.id,
    ]);
    await deleteImport(deps, tc.owner.principal, tc.campaign.id, uploaded.import.id);
    expect(await listImports(deps, tc.owner.principal, tc.campaign.id)).toEqual([]);
  });

  it('stores an upload chunk by chunk: other work runs meanwhile, and a broken upload leaves nothing', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const rows = Array.from({ length: 40_000 }, (_, i) => `person${i}@example.org,Person ${i}`).join('\n');
    const first = Buffer.from(`email,name\n${rows}\n`);
    expect(first.length).toBeGreaterThan(UPLOAD_CHUNK_BYTES);
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let reachedPause!: () => void;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));
    async function* slowClient(): AsyncGenerator<Buffer> {
      yield first;
      reachedPause();
      await paused;
      yield Buffer.from('last@example.org,Last\n');
    }
    const uploading = uploadImport(
      deps,
      tc.owner.principal,
      tc.campaign.id,
      { sourceId: source.id, fileName: 'slow.csv' },
      slowClient(),
    );
    await atPause;
    // Mid-upload, the database answers other requests (on PGlite it has one connection),
    // and the import is listed as uploading.
    const during = await listImports(deps, tc.owner.principal, tc.campaign.id);
    expect(during.map((i) => [i.fileName, i.status])).toEqual([['slow.csv', 'uploading']]);
    await expect(
      startImport(deps, tc.owner.principal, tc.campaign.id, during[0]!.id, { mapping: [] }, runner),
    ).rejects.toMatchObject({ code: 'invalid_state' });
    release();
    const done = await uploading;
    expect(done.import).toMatchObject({ status: 'uploaded', fileBytes: first.length + 22 });

    // The client goes away mid-upload: the import and its chunks are deleted.
    async function* brokenClient(): AsyncGenerator<Buffer> {
      yield first;
      throw new Error('connection reset');
    }
    await expect(
      uploadImport(deps, tc.owner.principal, tc.campaign.id, { sourceId: source.id }, brokenClient()),
    ).rejects.toThrow('connection reset');
    const after = await listImports(deps, tc.owner.principal, tc.campaign.id);
    expect(after.map((i) => i.id)).toEqual([done.import.id]);
    const chunks = await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx.selectFrom('import_uploads').select('import_id').where('campaign_id', '=', tc.campaign.id).execute(),
    );
    expect(new Set(chunks.map((c) => c.import_id))).toEqual(new Set([done.import.id]));

    // An upload abandoned by a crashed process (still 'uploading' after an hour) is deleted by
    // the campaign's next upload.
    await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx
        .updateTable('imports')
        .set({ status: 'uploading', created_at: new Date(Date.now() - ABANDONED_UPLOAD_MS - 60_000) })
        .where('campaign_id', '=', tc.campaign.id)
        .where('import_id', '=', done.import.id)
        .execute(),
    );
    const next = await upload(deps, tc.owner.principal, tc.campaign.id, source.id, 'email\na@example.org\n');
    expect((await listImports(deps, tc.owner.principal, tc.campaign.id)).map((i) => i.id)).toEqual([next.import.id]);
  });

  it('does not add imported people to an archived tag or list, and says so on their report line', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const old = await createCollection(deps, tc.owner.principal, tc.campaign.id, 'tag', { name: 'Old campaign' });
    await updateCollection(deps, tc.owner.principal, tc.campaign.id, 'tag', old.id, { archived: true });
    const done = await runImport(
      deps,
      runner,
      tc.owner.principal,
      tc.campaign.id,
      source.id,
      'Email,Tag,Other tag\nann@example.org,old CAMPAIGN,Volunteer\nbob@example.org,,Volunteer\n',
      [
        { column: 'Email', field: 'email' },
        { column: 'Tag', field: 'tag' },
        { column: 'Other tag', field: 'tag' },
      ],
    );
    expect(done.summary).toMatchObject({ created: 2, rejected: 0 });
    const text = await readReport((await openImportReport(deps, tc.owner.principal, tc.campaign.id, done.id)).stream);
    const rows = parse<Record<string, string>>(text, { columns: true });
    expect(rows[0]!.reason).toBe('the tag “old CAMPAIGN” is archived, so it was not added');
    expect(rows[1]!.reason).toBe('');
    const tags = await inCampaign(deps.db, tc.campaign.id, (tx) =>
      tx
        .selectFrom('person_tags')
        .innerJoin('tags', (j) =>
          j.onRef('tags.campaign_id', '=', 'person_tags.campaign_id').onRef('tags.tag_id', '=', 'person_tags.tag_id'),
        )
        .select(['tags.name'])
        .where('person_tags.campaign_id', '=', tc.campaign.id)
        .execute(),
    );
    expect(tags.map((t) => t.name)).toEqual(['Volunteer', 'Volunteer']);
  });

  it('lets an organiser read sources but not run imports', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const organiser = await addMember(deps, tc, 'organiser');
    expect((await listSources(deps, organiser.principal, tc.campaign.id)).map((s) => s.id)).toEqual([source.id]);
    expect((await getSource(deps, organiser.principal, tc.campaign.id, source.id)).name).toBe(source.name);
    const error = (await upload(deps, organiser.principal, tc.campaign.id, source.id, 'email\n').catch(
      (e: unknown) => e,
    )) as AppError;
    expect(error.code).toBe('forbidden');
  });

  it('a large import spans several batches and accounts for every record', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const n = 9_500;
    let csv = 'email,first name\n';
    for (let i = 0; i < n; i++) csv += `person${i % 9000}@example.org,P${i}\n`;
    const done = await runImport(deps, runner, tc.owner.principal, tc.campaign.id, source.id, csv);
    expect(done.summary).toEqual({
      total: n,
      created: 9000,
      merged: 500,
      suppressed: 0,
      rejected: 0,
      skipped: 0,
      blankLines: 0,
    });
    const report = await readReport((await openImportReport(deps, tc.owner.principal, tc.campaign.id, done.id)).stream);
    expect(report.trimEnd().split('\r\n')).toHaveLength(n + 1);
  }, 60_000);
});

describe('cancelling an import', () => {
  it('keeps the committed batches and ends the import cancelled, report and summary agreeing', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    let csv = 'email\n';
    for (let i = 0; i < 40_000; i++) csv += `c${i}@example.org\n`;
    const uploaded = await upload(deps, tc.owner.principal, tc.campaign.id, source.id, csv);
    const started = await startSuggested(deps, runner, tc.owner.principal, tc.campaign.id, uploaded);
    await waitFor(
      () => getImport(deps, tc.owner.principal, tc.campaign.id, started.id),
      (v) => (v.summary?.total ?? 0) > 0,
      { what: 'a first batch', timeoutMs: 30_000 },
    );
    await runner.requestCancel(tc.campaign.id, started.jobId!, { type: 'user', id: tc.owner.principal.userId });
    const done = await waitForImport(deps, tc.owner.principal, tc.campaign.id, started.id);
    expect(done.status).toBe('cancelled');
    expect(done.summary!.total).toBeGreaterThan(0);
    expect(done.summary!.total).toBeLessThan(40_000);
    expect(done.summary!.created).toBe(done.summary!.total);
    const people = await peopleOf(tc.campaign.id);
    expect(people).toHaveLength(done.summary!.created);
    const report = await readReport((await openImportReport(deps, tc.owner.principal, tc.campaign.id, done.id)).stream);
    expect(report.trimEnd().split('\r\n')).toHaveLength(done.summary!.total + 1);
    expect(await auditTypes(deps.db, tc.campaign.id)).toContain('import.finished:cancelled');
  }, 90_000);
});

describe('object, erase, re-import', () => {
  it('suppresses the erased objector when a new file brings them back, and says why', async () => {
    const tc = await makeCampaign(deps);
    const source = await makeSource(deps, tc.owner.principal, tc.campaign.id);
    const first = await runImport(
      deps,
      runner,
      tc.owner.principal,
      tc.campaign.id,
      source.id,
      'Email,Phone,First name,Last name,Postcode\nzoe@example.org,07911 123450,Zoë,Adams,SW1A 1AA\n',
    );
    const [zoe] = await peopleOf(tc.campaign.id);
    expect(first.summary?.created).toBe(1);
    await recordObjection(deps, tc.owner.principal, tc.campaign.id, zoe!.person_id, {
      method: 'email',
      receivedAt: '2026-11-20T09:00:00Z',
    });
    await erasePerson(deps, tc.owner.principal, tc.campaign.id, zoe!.person_id, { reason: 'erasure request' });
    expect(await peopleOf(tc.campaign.id)).toHaveLength(0);

    const other = await makeSource(deps, tc.owner.principal, tc.campaign.id, { name: 'Another list' });
    const again = await runImport(
      deps,
      runner,
      tc.owner.principal,
      tc.campaign.id,
      other.id,
      'E-mail,Mobile\n ZOE@Example.org ,\n,+44 7911 123450\n',
    );
    expect(again.summary).toEqual({
      total: 2,
      created: 0,
      merged: 0,
      suppressed: 2,
      rejected: 0,
      skipped: 0,
      blankLines: 0,
    });
    const report = await readReport(
      (await openImportReport(deps, tc.owner.principal, tc.campaign.id, again.id)).stream,
    );
    const rows = parse<Record<string, string>>(report, { columns: true });
    expect(rows.map((r) => [r.outcome, r.column])).toEqual([
      ['suppressed', 'E-mail'],
      ['suppressed', 'Mobile'],
    ]);
    for (const r of rows) expect(r.reason).toMatch(/DM-OBJECTION-ABSOLUTE.*survive erasure/);
    expect(await peopleOf(tc.campaign.id)).toHaveLength(0);
  });
});
