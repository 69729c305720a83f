/**
 * The sources and imports API (issue 3): create a source, upload a CSV as the raw body,
 * start it, follow its progress, download the report; a refusal names its rule over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import { JOBS } from '../../src/jobs/registry.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';
import { addMember, makeCampaign, PASSWORD, type TestCampaign } from '../helpers/factories.js';
import { captureLogger, FAST, waitFor } from '../fixtures/job-helpers.js';

let server: TestServer;
let runner: JobRunner;
let tc: TestCampaign;
let api: ApiSession;
let base: string;

beforeAll(async () => {
  server = await startTestServer({
    listen: false,
    jobs: (database) => (runner = createJobRunner({ db: database.db, jobs: JOBS, logger: captureLogger(), ...FAST })),
  });
  await runner.start();
  tc = await makeCampaign(server.deps);
  api = new ApiSession(server.app);
  await api.signIn(tc.owner.email, PASSWORD);
  base = `/api/campaigns/${tc.campaign.id}`;
});
afterAll(async () => {
  await runner?.stop({ graceful: false });
  await server?.close();
});

const CSV = 'Email,First name,Phone\r\nann@example.org,Ann,07911 123456\r\nbad,Bob,\r\n\r\nANN@example.org ,Ann,\r\n';

describe('sources over HTTP', () => {
  it('creates, lists, reads and updates a source', async () => {
    const created = await api.request('POST', `${base}/sources`, {
      name: 'Spring petition',
      type: 'petition',
      lawfulBasis: 'consent',
      collectionPurpose: 'the petition',
    });
    expect(created.statusCode).toBe(201);
    const source = created.json().source;
    expect(source).toMatchObject({ name: 'Spring petition', type: 'petition', thirdParty: false, archivedAt: null });
    expect((await api.request('GET', `${base}/sources`)).json().sources.map((s: { id: string }) => s.id)).toContain(
      source.id,
    );
    const updated = await api.request('PATCH', `${base}/sources/${source.id}`, { description: 'From the stall' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().source).toMatchObject({ description: 'From the stall', lawfulBasis: 'consent' });
    expect((await api.request('GET', `${base}/sources/${source.id}`)).json().source.description).toBe('From the stall');

    const duplicate = await api.request('POST', `${base}/sources`, { name: 'spring PETITION', type: 'petition' });
    expect(duplicate.statusCode).toBe(409);
    const invalid = await api.request('POST', `${base}/sources`, { name: '', type: 'nope' });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .error.details.issues.map((i: { field: string }) => i.field)
        .sort(),
    ).toEqual(['name', 'type']);

    const volunteer = await addMember(server.deps, tc, 'volunteer');
    const other = new ApiSession(server.app);
    await other.signIn(volunteer.email, PASSWORD);
    expect((await other.request('GET', `${base}/sources`)).statusCode).toBe(403);
  });
});

describe('imports over HTTP', () => {
  it('uploads, starts, shows progress and serves the report', async () => {
    const source = (
      await api.request('POST', `${base}/sources`, { name: 'Web sign-ups', type: 'web_form', lawfulBasis: 'consent' })
    ).json().source;
    const uploaded = await api.request('POST', `${base}/imports?sourceId=${source.id}&fileName=signups.csv`, CSV, {
      'content-type': 'text/csv',
    });
    expect(uploaded.statusCode).toBe(201);
    const body = uploaded.json();
    expect(body).toMatchObject({
      header: ['Email', 'First name', 'Phone'],
      delimiter: ',',
      suggestedMapping: [
        { column: 'Email', field: 'email' },
        { column: 'First name', field: 'first_name' },
        { column: 'Phone', field: 'phone' },
      ],
      sampleRows: [
        ['ann@example.org', 'Ann', '07911 123456'],
        ['bad', 'Bob', ''],
        ['ANN@example.org ', 'Ann', ''],
      ],
    });
    expect(body.import).toMatchObject({
      status: 'uploaded',
      fileName: 'signups.csv',
      fileBytes: Buffer.byteLength(CSV),
      sourceName: 'Web sign-ups',
      jobId: null,
    });
    const id = body.import.id as string;

    const badMapping = await api.request('POST', `${base}/imports/${id}/start`, {
      mapping: [{ column: 'Nope', field: 'email' }],
    });
    expect(badMapping.statusCode).toBe(400);
    expect(badMapping.json().error.details.issues).toEqual([
      { field: 'mapping', column: 'Nope', message: expect.any(String) },
    ]);

    const started = await api.request('POST', `${base}/imports/${id}/start`, { mapping: body.suggestedMapping });
    expect(started.statusCode).toBe(202);
    expect(started.json().import).toMatchObject({ status: 'queued', jobId: expect.any(String) });
    const jobId = started.json().import.jobId as string;

    const done = await waitFor(
      async () =>
        (await api.request('GET', `${base}/imports/${id}`)).json().import as {
          status: string;
          summary: unknown;
          progress: unknown;
        },
      (v) => v.status === 'completed',
      { what: 'the import to complete' },
    );
    expect(done.summary).toEqual({
      total: 3,
      created: 1,
      merged: 1,
      suppressed: 0,
      rejected: 1,
      skipped: 0,
      blankLines: 1,
    });
    expect(done.progress).toEqual({ done: 3, total: 3 });
    // The import is completed inside the job's last transaction; the job record a moment later.
    const job = await waitFor(
      async () => (await api.request('GET', `${base}/jobs/${jobId}`)).json().job as { status: string },
      (v) => v.status !== 'running',
      { what: 'the job to finish' },
    );
    expect(job).toMatchObject({ status: 'completed', progress: { done: 3, total: 3 } });
    expect((await api.request('GET', `${base}/imports`)).json().imports[0].id).toBe(id);

    const report = await api.request('GET', `${base}/imports/${id}/report.csv`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toMatch(/attachment; filename="signups-report.csv"/);
    const lines = report.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('line,record,outcome,column,reason,person_id');
    expect(lines[1]).toMatch(/^2,1,created,,,[0-9a-f-]{36}$/);
    expect(lines[2]).toBe('3,2,rejected,Email,email: not an email address,');
    expect(lines[3]).toMatch(/^5,3,merged,,,[0-9a-f-]{36}$/);

    const audit = (await api.request('GET', `${base}/audit`)).json();
    expect(audit.events.map((e: { type: string }) => e.type)).toContain('import.report_downloaded');

    // Once started, an import cannot be deleted.
    expect((await api.request('DELETE', `${base}/imports/${id}`)).statusCode).toBe(409);
  });

  it('refuses a broker import without due diligence, naming the rule', async () => {
    const source = (
      await api.request('POST', `${base}/sources`, {
        name: 'Broker list',
        type: 'data_broker',
        lawfulBasis: 'legitimate_interests',
        lawfulBasisNote: 'LIA',
        art14Plan: 'letter',
      })
    ).json().source;
    const uploaded = await api.request('POST', `${base}/imports?sourceId=${source.id}`, 'email\na@example.org\n', {
      'content-type': 'application/octet-stream',
    });
    expect(uploaded.statusCode).toBe(201);
    const id = uploaded.json().import.id as string;
    const refused = await api.request('POST', `${base}/imports/${id}/start`, {
      mapping: [{ column: 'email', field: 'email' }],
    });
    expect(refused.statusCode).toBe(422);
    const error = refused.json().error;
    expect(error.code).toBe('rule_refused');
    expect(error.details.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('TP-BROKER-DUE-DILIGENCE');
    expect(error.details.findings[0]).toMatchObject({
      citation: expect.any(String),
      explanation: expect.any(String),
      remedy: expect.any(String),
    });
    const view = (await api.request('GET', `${base}/imports/${id}`)).json().import;
    expect(view.status).toBe('refused');
    expect(view.decisions.map((f: { ruleId: string }) => f.ruleId)).toContain('TP-BROKER-DUE-DILIGENCE');
  });

  it('rejects an upload that is not CSV bytes, or has no header, and deletes an unstarted one', async () => {
    const source = (
      await api.request('POST', `${base}/sources`, { name: 'Event', type: 'event', lawfulBasis: 'consent' })
    ).json().source;
    const json = await api.request('POST', `${base}/imports?sourceId=${source.id}`, { a: 1 });
    expect(json.statusCode).toBe(415);
    const empty = await api.request('POST', `${base}/imports?sourceId=${source.id}`, '\r\n', {
      'content-type': 'text/csv',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('validation_failed');
    const ok = await api.request('POST', `${base}/imports?sourceId=${source.id}`, 'email\n', {
      'content-type': 'text/csv',
    });
    const id = ok.json().import.id as string;
    expect((await api.request('DELETE', `${base}/imports/${id}`)).statusCode).toBe(204);
    expect((await api.request('GET', `${base}/imports/${id}`)).statusCode).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('documents the sources and imports routes', async () => {
    const doc = await server.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths as Record<string, unknown>);
    for (const path of [
      '/api/campaigns/{campaignId}/sources',
      '/api/campaigns/{campaignId}/sources/{sourceId}',
      '/api/campaigns/{campaignId}/imports',
      '/api/campaigns/{campaignId}/imports/{importId}',
      '/api/campaigns/{campaignId}/imports/{importId}/start',
      '/api/campaigns/{campaignId}/imports/{importId}/report.csv',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
