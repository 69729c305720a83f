/**
 * The People API end to end through HTTP: status codes, envelopes, permission denials (a
 * volunteer records an objection but cannot read people), and the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, makeCampaign, PASSWORD, type TestCampaign } from '../helpers/factories.js';
import { insertSource } from '../helpers/people.js';
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
  const res = await api.signIn(email, PASSWORD);
  expect(res.statusCode).toBe(200);
  return api;
}

async function setup(): Promise<{ tc: TestCampaign; sourceId: string; api: ApiSession; base: string }> {
  const tc = await makeCampaign(server.deps);
  const sourceId = await insertSource(server.deps, tc.campaign.id, { name: 'Doorstep', type: 'canvass' });
  return { tc, sourceId, api: await signedIn(tc.owner.email), base: `/api/campaigns/${tc.campaign.id}` };
}

describe('People API', () => {
  it('adds, finds, shows, records consent and objection, and erases a person', async () => {
    const { sourceId, api, base } = await setup();
    const created = await api.request('POST', `${base}/people`, {
      sourceId,
      firstName: 'Ann',
      lastName: 'Smith',
      email: 'Ann@Example.org',
      postcode: 'sw1a 1aa',
    });
    expect(created.statusCode).toBe(201);
    const person = created.json().person;
    expect(person).toMatchObject({ email: 'ann@example.org', postcode: 'SW1A 1AA', objected: false });

    const dup = await api.request('POST', `${base}/people`, { sourceId, email: 'ann@example.org' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'conflict', details: { personId: person.id } });

    const found = await api.request('GET', `${base}/people?q=${encodeURIComponent('ANN@example.org')}&limit=10`);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({
      people: [
        {
          id: person.id,
          firstName: 'Ann',
          lastName: 'Smith',
          email: 'ann@example.org',
          phone: null,
          postcode: 'SW1A 1AA',
          objected: false,
          art14Status: 'not_applicable',
          createdAt: person.createdAt,
        },
      ],
      nextCursor: null,
    });
    const bad = await api.request('GET', `${base}/people?limit=500`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');

    const consent = await api.request('POST', `${base}/people/${person.id}/consent`, {
      action: 'granted',
      purpose: 'campaign_news',
      channels: ['email'],
      method: 'paper form',
      wording: 'Email me campaign news',
      wordingVersion: 'v1',
      occurredAt: '2026-11-01T12:00:00Z',
    });
    expect(consent.statusCode).toBe(201);
    expect(consent.json().records).toEqual([{ recordId: expect.any(String), channel: 'email' }]);

    const shown = await api.request('GET', `${base}/people/${person.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json().person.consent.history[0]).toMatchObject({ wording: 'Email me campaign news' });
    expect(shown.json().person.facts[0].provenance).toMatchObject({ sourceName: 'Doorstep', kind: 'provided' });

    const objection = await api.request('POST', `${base}/people/${person.id}/objection`, {
      method: 'email',
      receivedAt: '2026-11-20T09:00:00Z',
    });
    expect(objection.statusCode).toBe(201);
    expect(objection.json()).toEqual({ objectionId: expect.any(String), suppressionEntriesAdded: 2 });

    const regrant = await api.request('POST', `${base}/people/${person.id}/consent`, {
      action: 'granted',
      purpose: 'campaign_news',
      channels: ['sms'],
      method: 'phone',
      wording: 'Text me',
      wordingVersion: 'v1',
      occurredAt: '2026-11-21T12:00:00Z',
    });
    expect(regrant.statusCode).toBe(422);
    expect(regrant.json().error.details.findings[0].ruleId).toBe('DM-OBJECTION-ABSOLUTE');

    const noReason = await api.request('POST', `${base}/people/${person.id}/erase`, {});
    expect(noReason.statusCode).toBe(400);
    const erased = await api.request('POST', `${base}/people/${person.id}/erase`, { reason: 'request by email' });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toMatchObject({ personId: person.id, suppressionEntriesKept: 2 });
    expect(erased.json().message).toMatch(/^Erased\. 2 suppression entries were kept/);
    expect((await api.request('GET', `${base}/people/${person.id}`)).statusCode).toBe(404);

    const back = await api.request('POST', `${base}/people`, {
      sourceId,
      firstName: 'Ann',
      lastName: 'Smith',
      postcode: 'SW1A1AA',
    });
    expect(back.statusCode).toBe(422);
    expect(back.json().error).toMatchObject({
      code: 'rule_refused',
      details: { findings: [expect.objectContaining({ ruleId: 'DM-OBJECTION-ABSOLUTE' })] },
    });
  });

  it('a volunteer records objections (by person and by identifier) but cannot read or add people', async () => {
    const { tc, sourceId, api, base } = await setup();
    const person = (await api.request('POST', `${base}/people`, { sourceId, email: 'v@example.org' })).json().person;
    const volunteer = await addMember(server.deps, tc, 'volunteer');
    const vapi = await signedIn(volunteer.email);
    expect((await vapi.request('GET', `${base}/people`)).statusCode).toBe(403);
    expect((await vapi.request('GET', `${base}/people/${person.id}`)).statusCode).toBe(403);
    expect((await vapi.request('GET', `${base}/tags`)).statusCode).toBe(403);
    expect((await vapi.request('POST', `${base}/people`, { sourceId, email: 'w@example.org' })).statusCode).toBe(403);
    expect((await vapi.request('POST', `${base}/people/${person.id}/erase`, { reason: 'x' })).statusCode).toBe(403);
    const byPerson = await vapi.request('POST', `${base}/people/${person.id}/objection`, {
      method: 'doorstep',
      receivedAt: '2026-11-20T09:00:00Z',
    });
    expect(byPerson.statusCode).toBe(201);
    const byId = await vapi.request('POST', `${base}/objections`, {
      phone: '07911 123456',
      method: 'phone',
      receivedAt: '2026-11-20T09:00:00Z',
    });
    expect(byId.statusCode).toBe(201);
    expect(byId.json()).toEqual({ objectionId: expect.any(String), suppressionEntriesAdded: 1, peopleMarked: [] });
    // Without the CSRF header a cookie write is refused.
    const noCsrf = await server.app.inject({
      method: 'POST',
      url: `${base}/objections`,
      headers: { cookie: vapi.cookie! },
      payload: { email: 'x@example.org', method: 'email', receivedAt: '2026-11-20T09:00:00Z' },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('a non-member gets 404; tags, lists and the Art 14 notice answer as documented', async () => {
    const { tc, sourceId, api, base } = await setup();
    const broker = await insertSource(server.deps, tc.campaign.id, { name: 'Broker', type: 'data_broker' });
    const person = (await api.request('POST', `${base}/people`, { sourceId: broker, email: 'b@example.org' })).json()
      .person;
    expect(person.art14.status).toBe('due');
    const notice = await api.request('POST', `${base}/people/${person.id}/art14-notice`, {
      sentAt: '2026-11-28T10:00:00Z',
      method: 'letter',
    });
    expect(notice.statusCode).toBe(200);
    expect(notice.json().person.art14).toMatchObject({ status: 'notified', notifiedAt: '2026-11-28T10:00:00.000Z' });
    expect((await api.request('GET', `${base}/tags`)).json()).toEqual({ tags: [] });
    expect((await api.request('GET', `${base}/lists`)).json()).toEqual({ lists: [] });

    const other = await makeCampaign(server.deps);
    const oapi = await signedIn(other.owner.email);
    expect((await oapi.request('GET', `${base}/people`)).statusCode).toBe(404);
    expect((await oapi.request('GET', `${base}/people/${person.id}`)).statusCode).toBe(404);
    expect((await api.request('GET', `${base}/people/not-a-uuid`)).statusCode).toBe(404);
    void sourceId;
  });

  it('documents the People endpoints in the OpenAPI document', async () => {
    const doc = await server.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/campaigns/{campaignId}/people',
        '/api/campaigns/{campaignId}/people/{personId}',
        '/api/campaigns/{campaignId}/people/{personId}/consent',
        '/api/campaigns/{campaignId}/people/{personId}/objection',
        '/api/campaigns/{campaignId}/people/{personId}/erase',
        '/api/campaigns/{campaignId}/people/{personId}/art14-notice',
        '/api/campaigns/{campaignId}/objections',
        '/api/campaigns/{campaignId}/tags',
        '/api/campaigns/{campaignId}/lists',
      ]),
    );
  });
});
