/**
 * Logs carry no personal data and no secrets: drive the flows that handle emails,
 * passwords, cookies, tokens and invitation links, and search every log line for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';
import { PASSWORD, uniqueEmail } from '../helpers/factories.js';

const lines: string[] = [];
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    listen: false,
    logLevel: 'debug',
    logStream: { write: (line: string) => void lines.push(line) },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('structured logs', () => {
  it('contain route patterns and status codes, never emails, passwords, tokens or cookies', async () => {
    const api = new ApiSession(server.app);
    const link = await server.setupUrl();
    const setupToken = link.split('#token=')[1]!;
    const ownerEmail = uniqueEmail('owner');
    const setup = await api.request('POST', `/api/setup?token=${setupToken}`, {
      token: setupToken,
      user: { email: ownerEmail, displayName: 'Private Person', password: PASSWORD },
      campaign: { name: 'Secretive campaign', controllerType: 'candidate', postalAddress: '9 Hidden Lane, Nowhere' },
    });
    expect(setup.statusCode).toBe(201);
    const campaignId = setup.json().campaigns[0].id as string;
    const inviteeEmail = uniqueEmail('invitee');
    const inv = await api.request('POST', `/api/campaigns/${campaignId}/invitations`, {
      email: inviteeEmail,
      role: 'volunteer',
    });
    const inviteToken = inv.json().acceptUrl.split('#token=')[1] as string;
    await new ApiSession(server.app).request('POST', '/api/invitations/accept', {
      token: inviteToken,
      displayName: 'Another Private',
      password: 'second secret password',
    });
    await new ApiSession(server.app).signIn(ownerEmail, 'a wrong password here');
    const token = (await api.request('POST', '/api/account/tokens', { name: 'script' })).json().secret as string;
    await server.app.inject({
      method: 'GET',
      url: `/api/campaigns/${campaignId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    await server.app.inject({
      method: 'GET',
      url: '/api/campaigns/not-a-uuid',
      headers: { authorization: 'Bearer cvs_leaked_guess' },
    });
    // An unexpected failure is logged with its stack, but the response says nothing.
    const crashing = await buildServer({
      deps: server.deps,
      logLevel: 'info',
      logStream: { write: (line: string) => void lines.push(line) },
    });
    crashing.get('/api/test-crash', async () => {
      // Database errors quote values, e.g. 'Key (email)=(…) already exists'.
      throw Object.assign(new Error(`duplicate key: Key (email)=(${ownerEmail}) already exists`), {
        detail: `Key (email)=(${ownerEmail})`,
      });
    });
    const crash = await crashing.inject({ method: 'GET', url: '/api/test-crash' });
    await crashing.close();
    expect(crash.statusCode).toBe(500);
    expect(crash.json().error).toEqual({
      code: 'internal_error',
      message: 'something went wrong on our side; it has been logged',
    });
    expect(lines.join('\n')).toContain('"msg":"unhandled error"');

    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(text).toContain('"route":"/api/campaigns/:campaignId/invitations"');
    expect(text).toContain('"statusCode":201');
    const secrets = {
      ownerEmail,
      inviteeEmail,
      password: PASSWORD,
      secondPassword: 'second secret password',
      wrongPassword: 'a wrong password here',
      setupToken,
      inviteSecret: inviteToken.split('.')[2]!,
      apiToken: token,
      guessedToken: 'cvs_leaked_guess',
      sessionCookie: api.cookie!.split('=')[1]!,
      displayName: 'Private Person',
      address: '9 Hidden Lane',
    };
    for (const [name, value] of Object.entries(secrets)) {
      expect(text.includes(value), `${name} appears in the logs`).toBe(false);
    }
  });
});
