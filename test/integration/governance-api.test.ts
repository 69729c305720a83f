/**
 * The governance API over HTTP (issue 4): status codes, the error envelope of a refused
 * activation (422 rule_refused naming ONL-ARRANGEMENT-GAPS and the missing responsibility),
 * the CSV download, the presets, permission denials and the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ART28_TERMS, RESPONSIBILITIES } from '../../src/domain/governance.js';
import { addMember, makeCampaign, PASSWORD } from '../helpers/factories.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(async () => {
  await server?.close();
});

async function signedIn(email: string): Promise<ApiSession> {
  const api = new ApiSession(server.app);
  expect((await api.signIn(email, PASSWORD)).statusCode).toBe(200);
  return api;
}

describe('governance API', () => {
  it('refuses a custom-audience activity whose Meta arrangement leaves rights requests unassigned, then activates it', async () => {
    const tc = await makeCampaign(server.deps);
    const api = await signedIn(tc.owner.email);
    const base = `/api/campaigns/${tc.campaign.id}`;

    const processor = await api.request('POST', `${base}/processors`, {
      name: 'Mailer Ltd',
      art28Terms: Object.fromEntries(ART28_TERMS.map((t) => [t, { present: true, clause: 'DPA' }])),
      hosting: [{ country: 'GB' }],
      segregation: 'Separate database per campaign',
      serviceImprovement: 'none',
    });
    expect(processor.statusCode).toBe(201);

    const assigned = Object.fromEntries(
      RESPONSIBILITIES.filter((r) => r !== 'rights_requests').map((r) => [r, { party: 'campaign', note: '' }]),
    );
    const arrangement = await api.request('POST', `${base}/joint-controller-arrangements`, {
      platform: 'meta',
      scope: 'custom_audiences',
      fromPreset: true,
      responsibilities: assigned,
      essence: 'We and Meta jointly decide how your details are matched. Contact us first.',
      eligibilityConfirmation: 'Authorised 2026-10-01',
      reviewDueOn: '2027-06-01',
    });
    expect(arrangement.statusCode).toBe(201);
    const arrangementView = arrangement.json().arrangement;
    expect(arrangementView.gaps).toEqual([
      { item: 'rights_requests', problem: 'unassigned', label: 'rights requests (unassigned)' },
    ]);

    const activity = {
      name: 'Supporter matching',
      purposes: ['Adverts to supporters'],
      lawfulBasis: 'consent',
      lawfulBasisNote: 'Opt-in on the sign-up form',
      dataSubjects: ['Supporters'],
      dataCategories: ['Email address'],
      recipients: ['Meta'],
      transfers: [],
      retention: 'Until polling day',
      securityMeasures: 'Hashed, TLS',
      capabilities: ['custom_audiences'],
      arrangementIds: [arrangementView.id],
      processorIds: [processor.json().processor.id],
    };
    const refused = await api.request('POST', `${base}/processing-activities`, { ...activity, status: 'active' });
    expect(refused.statusCode).toBe(422);
    const envelope = refused.json().error;
    expect(envelope.code).toBe('rule_refused');
    expect(envelope.message).toContain('ONL-ARRANGEMENT-GAPS');
    expect(envelope.message).toContain('rights requests');
    expect(envelope.details.arrangementGaps[0].gaps).toEqual([
      { item: 'rights_requests', problem: 'unassigned', label: 'rights requests (unassigned)' },
    ]);

    const draft = await api.request('POST', `${base}/processing-activities`, activity);
    expect(draft.statusCode).toBe(201);
    const id = draft.json().activity.id;
    expect((await api.request('POST', `${base}/processing-activities/${id}/activate`)).statusCode).toBe(422);

    const patched = await api.request('PATCH', `${base}/joint-controller-arrangements/${arrangementView.id}`, {
      responsibilities: { rights_requests: { party: 'both', note: 'Either party takes requests; we coordinate' } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().arrangement.gaps).toEqual([]);
    const activated = await api.request('POST', `${base}/processing-activities/${id}/activate`);
    expect(activated.statusCode).toBe(200);
    expect(activated.json().activity).toMatchObject({ status: 'active', decision: { outcome: 'allow' } });
    expect((await api.request('POST', `${base}/processing-activities/${id}/activate`)).json().error.code).toBe(
      'invalid_state',
    );

    const listed = await api.request('GET', `${base}/processing-activities?status=active`);
    expect(listed.json().activities.map((a: { id: string }) => a.id)).toEqual([id]);
    expect((await api.request('GET', `${base}/processing-activities?status=bogus`)).statusCode).toBe(400);

    const csv = await api.request('GET', `${base}/record-of-processing.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="record-of-processing-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.body).toContain('Supporter matching');
    const print = await api.request('GET', `${base}/record-of-processing?format=print&include=all`);
    expect(print.json().record.activities).toHaveLength(1);
    const audit = await api.request('GET', `${base}/audit?limit=20`);
    expect(
      audit
        .json()
        .events.filter((e: { type: string }) => e.type === 'ropa.exported')
        .map((e: { data: unknown }) => e.data),
    ).toEqual([
      { format: 'print', activities: 1 },
      { format: 'csv', activities: 1 },
    ]);
  });

  it('names the field of bad input, answers 404 for unknown ids and 403 for roles that may not edit', async () => {
    const tc = await makeCampaign(server.deps);
    const base = `/api/campaigns/${tc.campaign.id}`;
    const owner = await signedIn(tc.owner.email);
    const bad = await owner.request('POST', `${base}/processors`, { name: '', hosting: [{ country: 'UK' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues.map((i: { field: string }) => i.field)).toEqual([
      'name',
      'hosting.0.country',
    ]);
    const unknown = await owner.request('PATCH', `${base}/processing-activities/00000000-0000-4000-8000-000000000000`, {
      name: 'x',
    });
    expect(unknown.statusCode).toBe(404);
    expect((await owner.request('GET', `${base}/processors/not-a-uuid`)).statusCode).toBe(404);

    const organiser = await addMember(server.deps, tc, 'organiser');
    const api = await signedIn(organiser.email);
    expect((await api.request('GET', `${base}/processing-activities`)).statusCode).toBe(200);
    const denied = await api.request('POST', `${base}/joint-controller-arrangements`, {
      platform: 'x',
      scope: 'custom_audiences',
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');
    const volunteer = await signedIn((await addMember(server.deps, tc, 'volunteer')).email);
    expect((await volunteer.request('GET', `${base}/record-of-processing.csv`)).statusCode).toBe(403);
  });

  it('serves the platform presets with their sources to signed-in staff only', async () => {
    expect((await new ApiSession(server.app).request('GET', '/api/platform-presets')).statusCode).toBe(401);
    const tc = await makeCampaign(server.deps);
    const api = await signedIn(tc.owner.email);
    const presets = (await api.request('GET', '/api/platform-presets')).json().presets;
    expect(presets.map((p: { platform: string }) => p.platform)).toEqual([
      'meta',
      'google',
      'x',
      'snap',
      'linkedin',
      'tiktok',
    ]);
    const byPlatform = Object.fromEntries(
      presets.map((p: { platform: string; eligibility: { status: string } }) => [p.platform, p.eligibility.status]),
    );
    expect(byPlatform).toEqual({
      meta: 'allowed_with_condition',
      google: 'restricted',
      x: 'allowed',
      snap: 'allowed_with_condition',
      linkedin: 'banned',
      tiktok: 'banned',
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of [
      '/api/campaigns/{campaignId}/processing-activities',
      '/api/campaigns/{campaignId}/processing-activities/{activityId}/activate',
      '/api/campaigns/{campaignId}/record-of-processing.csv',
      '/api/campaigns/{campaignId}/processors/{processorId}',
      '/api/campaigns/{campaignId}/joint-controller-arrangements/{arrangementId}',
      '/api/platform-presets',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const body =
      doc.paths['/api/campaigns/{campaignId}/processing-activities'].post.requestBody.content['application/json']
        .schema;
    expect(body.required).toEqual(['name']);
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(['purposes', 'lawfulBasis', 'transfers', 'status']),
    );
  });
});
