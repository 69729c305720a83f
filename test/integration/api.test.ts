import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';
import { addMember, makeCampaign, PASSWORD, uniqueEmail } from '../helpers/factories.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(async () => {
  await server?.close();
});

const campaignBody = {
  name: 'Exampletown Greens',
  controllerType: 'registered_party',
  postalAddress: '2 Market Square, Exampletown, EX1 2BB',
  icoRegistrationNumber: 'za654321',
  dpo: { name: 'Dana Protector', email: 'DPO@Example.org' },
};

describe('first-run setup', () => {
  it('creates the first owner and campaign once, with a one-time link', async () => {
    // Runs first in this file: the database has no account yet.
    const api = new ApiSession(server.app);
    expect((await api.request('GET', '/api/setup')).json()).toEqual({ needed: true });
    const link = await server.setupUrl();
    expect(link).toMatch(/\/setup#token=[A-Za-z0-9_-]{43}$/);
    const token = link.split('#token=')[1]!;

    const bad = await api.request('POST', '/api/setup', {
      token: 'wrong',
      user: { email: 'a@b.org', displayName: 'A', password: PASSWORD },
      campaign: campaignBody,
    });
    expect(bad.statusCode).toBe(410);
    expect(bad.json().error.code).toBe('setup_unavailable');

    const invalid = await api.request('POST', '/api/setup', {
      token,
      user: { email: 'not-an-email', displayName: '', password: 'short' },
      campaign: { ...campaignBody, controllerType: 'club' },
    });
    expect(invalid.statusCode).toBe(400);
    const fields = invalid.json().error.details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['user.email', 'user.displayName', 'user.password', 'campaign.controllerType']),
    );

    const ok = await api.request('POST', '/api/setup', {
      token,
      user: { email: 'First.Owner@Example.org', displayName: 'First Owner', password: PASSWORD },
      campaign: campaignBody,
    });
    expect(ok.statusCode).toBe(201);
    const view = ok.json();
    expect(view.user.email).toBe('first.owner@example.org');
    expect(view.campaigns).toHaveLength(1);
    expect(view.campaigns[0]).toMatchObject({ name: 'Exampletown Greens', role: 'owner' });
    expect(view.campaigns[0].abilities).toContain('members.manage');
    const cookie = ok.headers['set-cookie'] as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; Secure when served over TLS

    const campaign = (await api.request('GET', `/api/campaigns/${view.campaigns[0].id}`)).json();
    expect(campaign.campaign).toMatchObject({ icoRegistrationNumber: 'ZA654321', dpo: { email: 'dpo@example.org' } });

    const again = await new ApiSession(server.app).request('POST', '/api/setup', {
      token,
      user: { email: 'x@example.org', displayName: 'X', password: PASSWORD },
      campaign: campaignBody,
    });
    expect(again.statusCode).toBe(410);
    expect((await api.request('GET', '/api/setup')).json()).toEqual({ needed: false });
  });
});

describe('sessions', () => {
  it('signs in, exposes the session and signs out', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    expect((await api.request('GET', '/api/session')).statusCode).toBe(401);
    const res = await api.signIn(tc.owner.email.toUpperCase(), PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().campaigns.map((c: { id: string }) => c.id)).toEqual([tc.campaign.id]);
    expect((await api.request('GET', '/api/session')).statusCode).toBe(200);
    expect((await api.request('DELETE', '/api/session')).statusCode).toBe(204);
    api.csrf = null;
    expect((await api.request('GET', '/api/session')).statusCode).toBe(401);
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    for (let i = 1; i <= 4; i++) {
      const r = await api.signIn(tc.owner.email, 'wrong password 123');
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('unauthenticated');
    }
    const fifth = await api.signIn(tc.owner.email, 'wrong password 123');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('account_locked');
    const right = await api.signIn(tc.owner.email, PASSWORD);
    expect(right.statusCode).toBe(423);
  });

  it('marks the session cookie Secure when served over TLS behind a trusted proxy', async () => {
    const tls = await startTestServer({ listen: false, trustProxy: true });
    try {
      const tc = await makeCampaign(tls.deps);
      const r = await tls.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: tc.owner.email, password: PASSWORD },
      });
      expect(r.statusCode).toBe(200);
      expect(String(r.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await tls.close();
    }
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const r = await new ApiSession(server.app).signIn(uniqueEmail('nobody'), PASSWORD);
    expect(r.statusCode).toBe(401);
    expect(r.json().error).toEqual({ code: 'unauthenticated', message: 'email or password is incorrect' });
  });

  it('rate-limits sign-in attempts per client', async () => {
    const limited = await startTestServer({ listen: false, signInRateLimit: 3 });
    try {
      const api = new ApiSession(limited.app);
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await api.signIn(uniqueEmail('x'), PASSWORD)).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const last = await api.signIn(uniqueEmail('x'), PASSWORD);
      expect(last.json().error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('requires the CSRF token for cookie-authenticated writes and refuses foreign origins', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    await api.signIn(tc.owner.email, PASSWORD);
    const csrf = api.csrf;
    api.csrf = null;
    const noToken = await api.request('PATCH', `/api/campaigns/${tc.campaign.id}`, { name: 'Renamed' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf_failed');
    api.csrf = 'forged';
    expect((await api.request('PATCH', `/api/campaigns/${tc.campaign.id}`, { name: 'Renamed' })).statusCode).toBe(403);
    api.csrf = csrf;
    const foreign = await api.request(
      'PATCH',
      `/api/campaigns/${tc.campaign.id}`,
      { name: 'Renamed' },
      { origin: 'https://evil.example' },
    );
    expect(foreign.statusCode).toBe(403);
    const ok = await api.request('PATCH', `/api/campaigns/${tc.campaign.id}`, { name: 'Renamed' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().campaign.name).toBe('Renamed');
  });
});

describe('bad input gets a 4xx envelope naming the problem, and nothing is written', () => {
  it('malformed JSON, unknown fields, wrong types, oversized bodies, bad tokens', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    await api.signIn(tc.owner.email, PASSWORD);
    const url = `/api/campaigns/${tc.campaign.id}`;
    const headers = { cookie: api.cookie!, 'x-csrf-token': api.csrf!, 'content-type': 'application/json' };

    const malformed = await server.app.inject({ method: 'PATCH', url, headers, payload: '{"name": "x",' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('bad_request');

    const unknown = await api.request('PATCH', url, { name: 'Fine', colour: 'green' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.issues).toEqual([{ field: '', message: 'unknown field: colour' }]);

    const wrongType = await api.request('PATCH', url, { name: 42, dpo: { name: 'A', email: 'nope' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.details.issues.map((i: { field: string }) => i.field)).toEqual(['name', 'dpo.email']);

    const huge = await server.app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: JSON.stringify({ name: 'x'.repeat(300_000) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');

    const text = await server.app.inject({
      method: 'PATCH',
      url,
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');

    for (const authorization of ['Bearer cvs_not-a-real-token', 'Basic abc', 'Bearer']) {
      const r = await server.app.inject({ method: 'GET', url, headers: { authorization } });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('unauthenticated');
    }

    const after = (await api.request('GET', url)).json();
    expect(after.campaign.name).toBe(tc.campaign.name);
    const audit = (await api.request('GET', `${url}/audit`)).json();
    expect(audit.events.map((e: { type: string }) => e.type)).toEqual(['member.joined', 'campaign.created']);
  });

  it('unknown endpoints answer 404 in the envelope', async () => {
    const r = await server.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('not_found');
  });
});

describe('campaign details', () => {
  it('updates fields, clears optional ones with null, and records which fields changed', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    await api.signIn(tc.owner.email, PASSWORD);
    const url = `/api/campaigns/${tc.campaign.id}`;
    const r = await api.request('PATCH', url, {
      postalAddress: '5 New Road, Exampletown',
      icoRegistrationNumber: null,
      dpo: null,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().campaign).toMatchObject({
      postalAddress: '5 New Road, Exampletown',
      icoRegistrationNumber: null,
      dpo: null,
    });
    const bad = await api.request('PATCH', url, { name: null });
    expect(bad.json().error.details.issues[0].field).toBe('name');
    const events = (await api.request('GET', `${url}/audit?limit=1`)).json().events;
    expect(events[0]).toMatchObject({
      type: 'campaign.updated',
      data: { fields: ['postalAddress', 'icoRegistrationNumber', 'dpo'] },
    });
  });
});

describe('members and invitations', () => {
  it('invites, accepts, changes roles and keeps one owner', async () => {
    const tc = await makeCampaign(server.deps);
    const owner = new ApiSession(server.app);
    await owner.signIn(tc.owner.email, PASSWORD);
    const base = `/api/campaigns/${tc.campaign.id}`;
    const email = uniqueEmail('organiser');
    const inv = await owner.request('POST', `${base}/invitations`, { email, role: 'organiser' });
    expect(inv.statusCode).toBe(201);
    const { acceptUrl, invitation } = inv.json();
    expect(invitation).toMatchObject({ email, role: 'organiser', status: 'pending' });
    const token = acceptUrl.split('#token=')[1];

    const guest = new ApiSession(server.app);
    expect((await guest.request('POST', '/api/invitations/preview', { token })).json()).toMatchObject({
      campaignName: tc.campaign.name,
      role: 'organiser',
      email,
      accountExists: false,
    });
    const missing = await guest.request('POST', '/api/invitations/accept', { token });
    expect(missing.json().error.details.issues.map((i: { field: string }) => i.field)).toEqual([
      'displayName',
      'password',
    ]);
    const accepted = await guest.request('POST', '/api/invitations/accept', {
      token,
      displayName: 'Olive Organiser',
      password: PASSWORD,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().campaigns[0]).toMatchObject({ id: tc.campaign.id, role: 'organiser' });
    expect(
      (await guest.request('POST', '/api/invitations/accept', { token, displayName: 'x', password: PASSWORD }))
        .statusCode,
    ).toBe(404);

    // An organiser may not invite or manage.
    const forbidden = await guest.request('POST', `${base}/invitations`, { email: uniqueEmail(), role: 'volunteer' });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');

    const members = (await owner.request('GET', `${base}/members`)).json().members;
    expect(members.map((m: { role: string }) => m.role).sort()).toEqual(['organiser', 'owner']);
    const organiserId = accepted.json().user.id;
    expect((await owner.request('PATCH', `${base}/members/${organiserId}`, { role: 'dpo' })).json().member.role).toBe(
      'dpo',
    );
    const lastOwner = await owner.request('PATCH', `${base}/members/${tc.owner.principal.userId}`, {
      role: 'volunteer',
    });
    expect(lastOwner.statusCode).toBe(409);
    expect(lastOwner.json().error.code).toBe('invalid_state');
    expect((await owner.request('DELETE', `${base}/members/${organiserId}`)).statusCode).toBe(204);

    const types = (await owner.request('GET', `${base}/audit`)).json().events.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'member.removed',
      'member.role_changed',
      'member.joined',
      'member.invited',
      'member.joined',
      'campaign.created',
    ]);
  });

  it('a data manager may invite but not make owners; an existing account accepts when signed in', async () => {
    const tc = await makeCampaign(server.deps);
    const dm = await addMember(server.deps, tc, 'data_manager');
    const api = new ApiSession(server.app);
    await api.signIn(dm.email, PASSWORD);
    const base = `/api/campaigns/${tc.campaign.id}`;
    expect((await api.request('POST', `${base}/invitations`, { email: uniqueEmail(), role: 'owner' })).statusCode).toBe(
      403,
    );

    const other = await makeCampaign(server.deps);
    const inv = await api.request('POST', `${base}/invitations`, { email: other.owner.email, role: 'volunteer' });
    expect(inv.statusCode).toBe(201);
    const token = inv.json().acceptUrl.split('#token=')[1];
    const stranger = new ApiSession(server.app);
    const notSignedIn = await stranger.request('POST', '/api/invitations/accept', { token });
    expect(notSignedIn.statusCode).toBe(401);
    const invitee = new ApiSession(server.app);
    await invitee.signIn(other.owner.email, PASSWORD);
    const ok = await invitee.request('POST', '/api/invitations/accept', { token });
    expect(ok.statusCode).toBe(200);
    expect(
      ok
        .json()
        .campaigns.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([tc.campaign.id, other.campaign.id].sort());
  });
});

describe('personal API tokens', () => {
  it('creates a token shown once, authenticates with it, and revokes it', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    await api.signIn(tc.owner.email, PASSWORD);
    const created = await api.request('POST', '/api/account/tokens', { name: 'reporting script', expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json();
    expect(secret).toMatch(/^cvs_/);
    const bearer = { authorization: `Bearer ${secret}` };
    const viaToken = await server.app.inject({
      method: 'GET',
      url: `/api/campaigns/${tc.campaign.id}`,
      headers: bearer,
    });
    expect(viaToken.statusCode).toBe(200);
    // A token needs no CSRF token (it is not ambient), but cannot mint tokens.
    const mint = await server.app.inject({
      method: 'POST',
      url: '/api/account/tokens',
      headers: bearer,
      payload: { name: 'x' },
    });
    expect(mint.statusCode).toBe(403);
    const list = (await api.request('GET', '/api/account/tokens')).json().tokens;
    expect(list).toEqual([expect.objectContaining({ id: token.id, name: 'reporting script' })]);
    expect(JSON.stringify(list)).not.toContain(secret);
    expect((await api.request('DELETE', `/api/account/tokens/${token.id}`)).statusCode).toBe(204);
    expect(
      (await server.app.inject({ method: 'GET', url: `/api/campaigns/${tc.campaign.id}`, headers: bearer })).statusCode,
    ).toBe(401);
  });

  it('changing the password signs out other sessions', async () => {
    const tc = await makeCampaign(server.deps);
    const a = new ApiSession(server.app);
    const b = new ApiSession(server.app);
    await a.signIn(tc.owner.email, PASSWORD);
    await b.signIn(tc.owner.email, PASSWORD);
    const wrong = await a.request('POST', '/api/account/password', {
      currentPassword: 'nope',
      newPassword: 'another long password',
    });
    expect(wrong.json().error.details.issues[0].field).toBe('currentPassword');
    expect(
      (
        await a.request('POST', '/api/account/password', {
          currentPassword: PASSWORD,
          newPassword: 'another long password',
        })
      ).statusCode,
    ).toBe(204);
    expect((await a.request('GET', '/api/session')).statusCode).toBe(200);
    expect((await b.request('GET', '/api/session')).statusCode).toBe(401);
  });
});

describe('audit trail over the API', () => {
  it('pages events and verifies the chain', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    await api.signIn(tc.owner.email, PASSWORD);
    const base = `/api/campaigns/${tc.campaign.id}`;
    for (let i = 0; i < 5; i++) await api.request('PATCH', base, { name: `Name ${i}` });
    const first = (await api.request('GET', `${base}/audit?limit=3`)).json();
    expect(first.events.map((e: { seq: number }) => e.seq)).toEqual([7, 6, 5]);
    const second = (await api.request('GET', `${base}/audit?limit=3&before=${first.nextBefore}`)).json();
    expect(second.events.map((e: { seq: number }) => e.seq)).toEqual([4, 3, 2]);
    expect((await api.request('GET', `${base}/audit?limit=abc`)).json().error.details.issues[0].field).toBe('limit');
    const verify = (await api.request('POST', `${base}/audit/verify`)).json();
    expect(verify).toEqual({ ok: true, eventsChecked: 7, headSeq: 7, problem: null });
    const recorded = (await api.request('GET', `${base}/audit?limit=1`)).json().events[0];
    expect(recorded).toMatchObject({
      seq: 8,
      type: 'audit.verified',
      data: { ok: true, eventsChecked: 7, problemSeq: null },
    });
    // A volunteer may not read or verify the trail.
    const volunteer = await addMember(server.deps, tc, 'volunteer');
    const v = new ApiSession(server.app);
    await v.signIn(volunteer.email, PASSWORD);
    expect((await v.request('POST', `${base}/audit/verify`)).statusCode).toBe(403);
    expect((await v.request('GET', `${base}/audit`)).statusCode).toBe(403);
  });
});

describe('platform endpoints', () => {
  it('serves /health and the OpenAPI document', async () => {
    const health = await server.app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', database: server.database.kind });
    const doc = await server.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    const openapi = doc.json();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/session',
        '/api/campaigns/{campaignId}/members',
        '/api/campaigns/{campaignId}/audit/verify',
      ]),
    );
    const ui = await server.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
