/**
 * The DPIA API end to end through HTTP: screening (the done-when case), the seven steps,
 * review and sign-off with DPIA-RESIDUAL-HIGH as 422 rule_refused, the action plan, the cover
 * of an activity, permissions, error envelopes and the OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { addMember, makeCampaign, PASSWORD, type TestCampaign } from '../helpers/factories.js';
import { signOff, stepsOneToSix, SUPPORTER_AUDIENCE } from '../helpers/dpia.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  // A fixed clock: review dates and due dates below are relative to 1 December 2026.
  server.deps.now = () => new Date('2026-12-01T12:00:00Z');
});
afterAll(async () => {
  await server?.close();
});

async function signedIn(email: string): Promise<ApiSession> {
  const api = new ApiSession(server.app);
  expect((await api.signIn(email, PASSWORD)).statusCode).toBe(200);
  return api;
}

async function setup(): Promise<{ tc: TestCampaign; api: ApiSession; base: string }> {
  const tc = await makeCampaign(server.deps);
  return { tc, api: await signedIn(tc.owner.email), base: `/api/campaigns/${tc.campaign.id}` };
}

describe('DPIA API', () => {
  it('done-when: screening a supporter list matched against a platform’s users reports a DPIA required, naming data matching and invisible processing', async () => {
    const { api, base } = await setup();
    const r = await api.request('POST', `${base}/dpias/screen`, {
      activity: { kind: 'custom_audience', platform: 'Meta', listRevealsPoliticalOpinion: true },
    });
    expect(r.statusCode).toBe(200);
    const { screening } = r.json();
    expect(screening.result.required).toBe(true);
    const reasons = screening.result.reasons as {
      trigger: string;
      title: string;
      explanation: string;
      citation: string;
    }[];
    expect(reasons.map((x) => x.trigger)).toEqual(expect.arrayContaining(['data_matching', 'invisible_processing']));
    for (const reason of reasons) {
      expect(reason.explanation).toBeTruthy();
      expect(reason.citation).toMatch(/Art 35/);
    }
    expect(screening.facts).toMatchObject({
      dataMatching: true,
      hiddenFromPeople: true,
      specialCategories: ['political_opinion'],
    });

    const bad = await api.request('POST', `${base}/dpias/screen`, { facts: { dataMatching: 'often' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'validation_failed',
      details: { issues: [{ field: 'facts.dataMatching' }] },
    });
    const empty = await api.request('POST', `${base}/dpias/screen`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('writes, reviews and signs off a DPIA; a residual high risk needs the ICO consultation record (422 until then)', async () => {
    const { tc, api, base } = await setup();
    const activityId = randomUUID();
    const created = await api.request('POST', `${base}/dpias`, {
      title: 'Supporters on Meta',
      activityId,
      screening: SUPPORTER_AUDIENCE,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().dpia.id as string;
    expect(created.json().version).toMatchObject({ version: 1, status: 'draft' });

    const notReady = await api.request('POST', `${base}/dpias/${id}/submit`, { version: 1 });
    expect(notReady.statusCode).toBe(409);
    expect(notReady.json().error.code).toBe('invalid_state');
    expect(notReady.json().error.details.issues.length).toBeGreaterThan(5);

    const patched = await api.request('PATCH', `${base}/dpias/${id}`, {
      ...stepsOneToSix({ likelihood: 'probable', severity: 'severe' }),
      ...signOff(),
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().version.completeness.every((s: { complete: boolean }) => s.complete)).toBe(true);
    expect(patched.json().version.approvalFindings).toEqual([
      expect.objectContaining({ ruleId: 'DPIA-RESIDUAL-HIGH' }),
    ]);

    expect((await api.request('POST', `${base}/dpias/${id}/submit`, { version: 1 })).statusCode).toBe(200);
    const refused = await api.request('POST', `${base}/dpias/${id}/approve`, { version: 1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'rule_refused',
      details: { findings: [{ ruleId: 'DPIA-RESIDUAL-HIGH', citation: 'UK GDPR Art 36', outcome: 'require' }] },
    });
    const audit = await listAuditEvents(server.deps, tc.owner.principal, tc.campaign.id, { limit: 50 });
    expect(audit.events.map((e) => e.type)).toContain('dpia.approval_refused');

    const cover = async () => (await api.request('GET', `${base}/dpia-cover/${activityId}`)).json().cover;
    expect(await cover()).toMatchObject({ covered: false, state: 'in_progress' });

    await api.request('PATCH', `${base}/dpias/${id}`, {
      icoConsultation: {
        submittedOn: '2026-11-20',
        reference: 'IC-42',
        summary: 'DPIA and measures sent',
        adviceReceivedOn: '2026-11-30',
        advice: 'Proceed with the measures',
      },
    });
    const approved = await api.request('POST', `${base}/dpias/${id}/approve`, { version: 1 });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().version).toMatchObject({ status: 'approved', approvalWarnings: [] });
    expect(await cover()).toMatchObject({ covered: true, state: 'approved', dpiaId: id, reviewDate: '2027-06-01' });

    // Decided: immutable; a new version is a copy.
    const locked = await api.request('PATCH', `${base}/dpias/${id}`, { needSummary: 'changed' });
    expect(locked.statusCode).toBe(409);
    const v2 = await api.request('POST', `${base}/dpias/${id}/versions`, { version: 1 });
    expect(v2.statusCode).toBe(201);
    expect(v2.json().version).toMatchObject({ version: 2, status: 'draft' });
    const v1 = await api.request('GET', `${base}/dpias/${id}?version=1`);
    expect(v1.json().version).toMatchObject({ version: 1, status: 'approved' });
    expect((await api.request('GET', `${base}/dpias/${id}?version=9`)).statusCode).toBe(404);
    expect((await api.request('GET', `${base}/dpias/${id}?version=zero`)).statusCode).toBe(400);

    const list = await api.request('GET', `${base}/dpias?activityId=${activityId}`);
    expect(list.json().dpias).toEqual([
      expect.objectContaining({
        id,
        latestVersion: 2,
        latestStatus: 'draft',
        inForce: expect.objectContaining({ version: 1 }),
      }),
    ]);
    expect((await api.request('GET', `${base}/dpias?activityId=${randomUUID()}`)).json().dpias).toEqual([]);
  });

  it('keeps an action plan', async () => {
    const { api, base } = await setup();
    const created = await api.request('POST', `${base}/dpias`, {
      title: 'Pixel',
      screening: { activity: { kind: 'social_pixel' } },
    });
    const id = created.json().dpia.id as string;
    const added = await api.request('POST', `${base}/dpias/${id}/actions`, {
      action: 'Put the pixel behind the consent banner',
      owner: 'Web lead',
      dueDate: '2026-11-30',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().action).toMatchObject({ overdue: true, done: false, riskId: null });
    const actionId = added.json().action.id as string;
    const done = await api.request('PATCH', `${base}/dpias/${id}/actions/${actionId}`, { done: true });
    expect(done.json().action).toMatchObject({ done: true, overdue: false });
    const bad = await api.request('PATCH', `${base}/dpias/${id}/actions/${actionId}`, { dueDate: '30/11/2026' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues).toEqual([expect.objectContaining({ field: 'dueDate' })]);
  });

  it('lets organisers read and screen, only the owner and DPO write; strangers get 404', async () => {
    const { tc, api, base } = await setup();
    const id = (await api.request('POST', `${base}/dpias`, { title: 'x', screening: SUPPORTER_AUDIENCE })).json().dpia
      .id;
    const organiser = await signedIn((await addMember(server.deps, tc, 'organiser')).email);
    expect((await organiser.request('GET', `${base}/dpias/${id}`)).statusCode).toBe(200);
    expect((await organiser.request('POST', `${base}/dpias/screen`, SUPPORTER_AUDIENCE)).statusCode).toBe(200);
    expect((await organiser.request('PATCH', `${base}/dpias/${id}`, { needSummary: 'x' })).statusCode).toBe(403);
    expect((await organiser.request('POST', `${base}/dpias/${id}/approve`, { version: 1 })).statusCode).toBe(403);
    const volunteer = await signedIn((await addMember(server.deps, tc, 'volunteer')).email);
    expect((await volunteer.request('GET', `${base}/dpias`)).statusCode).toBe(403);
    const dpo = await signedIn((await addMember(server.deps, tc, 'dpo')).email);
    expect((await dpo.request('PATCH', `${base}/dpias/${id}`, { needSummary: 'By the DPO' })).statusCode).toBe(200);

    const stranger = await setup();
    expect((await stranger.api.request('GET', `${base}/dpias/${id}`)).statusCode).toBe(404);
    expect((await stranger.api.request('GET', `${stranger.base}/dpias/${id}`)).statusCode).toBe(404);
    expect((await api.request('GET', `${base}/dpias/not-a-uuid`)).statusCode).toBe(404);
  });

  it('documents the DPIA endpoints in the OpenAPI document', async () => {
    const doc = await server.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/campaigns/{campaignId}/dpias/screen',
        '/api/campaigns/{campaignId}/dpias',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}/versions',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}/submit',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}/return-to-draft',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}/approve',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}/reject',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}/actions',
        '/api/campaigns/{campaignId}/dpias/{dpiaId}/actions/{actionId}',
        '/api/campaigns/{campaignId}/dpia-cover/{activityId}',
      ]),
    );
  });
});
