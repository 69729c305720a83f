/**
 * Audiences through HTTP (src/http/routes/audiences.ts): create, preview, export (files under
 * the server's audience exports directory), an audited download, a refusal naming the rule, upload,
 * removals after an objection, and who may export. Runs on PGlite and PostgreSQL.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { recordConsent, wordingHashOf } from '../../src/app/consent.js';
import { sha256Hex } from '../../src/domain/audiences/normalize.js';
import type {
  AudienceExportView,
  AudiencePreview,
  AudienceSettingsView,
  AudienceView,
  ConsentWordingView,
} from '../../src/shared/audiences.js';
import { addPerson, makeAudienceCampaign, type AudienceCampaign } from '../helpers/audiences.js';
import { addMember, PASSWORD } from '../helpers/factories.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const exportsDir = join(mkdtempSync(join(tmpdir(), 'canvass-data-')), 'audience-exports');

beforeAll(async () => {
  server = await startTestServer({ listen: false, audienceExportsDir: exportsDir });
});
afterAll(async () => {
  await server?.close();
});

async function signedIn(email: string): Promise<ApiSession> {
  const api = new ApiSession(server.app);
  expect((await api.signIn(email, PASSWORD)).statusCode).toBe(200);
  return api;
}

async function createAudience(api: ApiSession, ac: AudienceCampaign, platform = 'meta'): Promise<AudienceView> {
  const res = await api.request('POST', `/api/campaigns/${ac.c}/audiences`, {
    name: `Doorstep on ${platform}`,
    platform,
    kind: 'list',
    activityId: ac.activityId,
    segment: { name: `Doorstep (${platform})`, definition: { tags: [{ id: ac.tagId }] } },
    consentPurpose: 'campaign_updates',
    uninformed: 'exclude',
  });
  expect(res.statusCode).toBe(201);
  return res.json().audience as AudienceView;
}

describe('audiences API', () => {
  it('documents its routes in the OpenAPI document', async () => {
    const docs = await server.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docs.statusCode).toBe(200);
    const paths = Object.keys(docs.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toContain('/api/campaigns/{campaignId}/audiences/{audienceId}/exports');
    expect(paths).toContain('/api/campaigns/{campaignId}/audience-exports/{exportId}/files/{fileName}');
  });

  it('previews, exports, downloads (audited), records the upload and serves removals', async () => {
    const ac = await makeAudienceCampaign(server.deps);
    const api = await signedIn(ac.owner.email);
    const base = `/api/campaigns/${ac.c}`;
    const erin = await addPerson(server.deps, ac, { email: 'erin@example.org' });
    await addPerson(server.deps, ac, { email: 'frank@example.org' }, { notice: false });
    const audience = await createAudience(api, ac);

    const preview = await api.request('GET', `${base}/audiences/${audience.id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.json().preview as AudiencePreview).toMatchObject({
      segmentCount: 2,
      includedCount: 1,
      exclusions: [{ reason: 'TR-LIST-MATCHING-DISCLOSED', count: 1 }],
    });

    const exported = await api.request('POST', `${base}/audiences/${audience.id}/exports`);
    expect(exported.statusCode).toBe(201);
    const exp = exported.json().export as AudienceExportView;
    expect(exp.directory.startsWith(join(exportsDir, ac.c))).toBe(true);

    const file = await api.request('GET', `${base}/audience-exports/${exp.id}/files/${exp.files[0]!.name}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.body).toContain(sha256Hex('erin@example.org'));
    expect(file.body).not.toContain('erin@example.org');
    const missing = await api.request('GET', `${base}/audience-exports/${exp.id}/files/..%2F..%2Fetc%2Fpasswd`);
    expect(missing.statusCode).toBe(404);
    const { events } = await listAuditEvents(server.deps, ac.owner.principal, ac.c, { limit: 200 });
    expect(events.filter((e) => e.type === 'audience.file_downloaded')).toHaveLength(1);

    const uploaded = await api.request('POST', `${base}/audience-exports/${exp.id}/upload`, {
      uploadedAt: new Date().toISOString(),
    });
    expect(uploaded.statusCode).toBe(200);
    expect(uploaded.json().audience.status).toBe('live');

    const objected = await api.request('POST', `${base}/people/${erin}/objection`, {
      method: 'email',
      receivedAt: new Date().toISOString(),
    });
    expect(objected.statusCode).toBeLessThan(300);
    const pending = await api.request('GET', `${base}/audience-removals`);
    expect(pending.json().removals).toMatchObject([{ personId: erin, reason: 'objection' }]);
    const removalFile = await api.request('POST', `${base}/audience-removals/exports`);
    expect(removalFile.statusCode).toBe(201);
    const removalExport = removalFile.json().exports[0] as AudienceExportView;
    const confirmed = await api.request('POST', `${base}/audience-exports/${removalExport.id}/confirm-removals`);
    expect(confirmed.json()).toEqual({ confirmed: 1 });
  });

  it('refuses TikTok for a political campaign with 422 rule_refused naming the rule; an organiser may not export', async () => {
    const ac = await makeAudienceCampaign(server.deps, { platforms: [{ platform: 'tiktok', platformName: 'TikTok' }] });
    const api = await signedIn(ac.owner.email);
    await addPerson(server.deps, ac, { email: 'gina@example.org' });
    const audience = await createAudience(api, ac, 'tiktok');
    const refused = await api.request('POST', `/api/campaigns/${ac.c}/audiences/${audience.id}/exports`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('rule_refused');
    expect(refused.json().error.details.ruleIds).toContain('ONL-PLATFORM-ELIGIBILITY');

    const organiser = await addMember(server.deps, ac, 'organiser');
    const other = await signedIn(organiser.email);
    const forbidden = await other.request('POST', `/api/campaigns/${ac.c}/audiences/${audience.id}/exports`);
    expect(forbidden.statusCode).toBe(403);
  });

  it('reads and sets the file expiry, lists consent wordings and marks one explicit (audited, DPO or owner only)', async () => {
    const ac = await makeAudienceCampaign(server.deps);
    const api = await signedIn(ac.owner.email);
    const base = `/api/campaigns/${ac.c}`;

    const before = await api.request('GET', `${base}/audience-settings`);
    expect(before.statusCode).toBe(200);
    expect(before.json().settings).toEqual({
      fileExpiryDays: 7,
      isDefault: true,
      defaultFileExpiryDays: 7,
      updatedAt: null,
    } satisfies AudienceSettingsView);
    expect((await api.request('PUT', `${base}/audience-settings`, { fileExpiryDays: 91 })).statusCode).toBe(400);
    expect((await api.request('PUT', `${base}/audience-settings`, { fileExpiryDays: 3 })).statusCode).toBe(200);
    const after = (await api.request('GET', `${base}/audience-settings`)).json().settings as AudienceSettingsView;
    expect(after).toMatchObject({ fileExpiryDays: 3, isDefault: false });

    const wording = 'Yes: use my answers on political issues to show me adverts (explicit consent)';
    const person = await addPerson(server.deps, ac, { email: 'hana@example.org', sourceId: ac.consentSource });
    await recordConsent(server.deps, ac.owner.principal, ac.c, person, {
      action: 'granted',
      purpose: 'campaign_updates',
      channels: ['social_list_matching'],
      method: 'web form',
      wording,
      wordingVersion: 'v2',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const hash = wordingHashOf(wording);
    const listed = (await api.request('GET', `${base}/consent-wordings`)).json().wordings as ConsentWordingView[];
    expect(listed).toEqual([
      expect.objectContaining({
        wordingHash: hash,
        text: wording,
        versions: ['v2'],
        grantedConsents: 1,
        explicit: null,
      }),
    ]);

    // An organiser may read but not mark; a mark needs a reason; an unknown wording is refused.
    const organiser = await addMember(server.deps, ac, 'organiser');
    const other = await signedIn(organiser.email);
    expect((await other.request('GET', `${base}/consent-wordings`)).statusCode).toBe(200);
    const path = `${base}/consent-wordings/${hash}/explicit`;
    expect((await other.request('POST', path, { note: 'Tick box' })).statusCode).toBe(403);
    expect((await api.request('POST', path, {})).statusCode).toBe(400);
    const unknown = await api.request('POST', `${base}/consent-wordings/${'0'.repeat(64)}/explicit`, { note: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json())).toContain('no consent was recorded with this wording');

    const marked = await api.request('POST', path, { note: 'A separate, unticked box naming political opinions' });
    expect(marked.statusCode).toBe(201);
    expect(marked.json().wording.explicit).toMatchObject({
      note: 'A separate, unticked box naming political opinions',
    });
    const events = (await listAuditEvents(server.deps, ac.owner.principal, ac.c, {})).events.map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['audience.settings_updated', 'audience.explicit_wording_marked']));
  });
});
