/**
 * The privacy notice end to end, on PGlite and PostgreSQL: composed from the records, published
 * (refused with the rule id when a section cannot be written), served at its public address
 * without sign-in, versioned (append-only), translated into Welsh when every section has Welsh
 * text, and recorded against each person it was given to — removed with the person on erasure.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { erasePerson } from '../../src/app/erasure.js';
import { recordArt14Notice } from '../../src/app/people.js';
import { noticeVersionsGiven } from '../../src/app/privacy-notice-deliveries.js';
import { noticeListMatchingCoverage, loadNoticeCoverages } from '../../src/app/privacy-notice.js';
import { withClient } from '../../src/db/client.js';
import { inCampaign } from '../../src/db/scope.js';
import { addMember, makeCampaign, PASSWORD, type TestCampaign } from '../helpers/factories.js';
import { insertSource, makePerson } from '../helpers/people.js';
import {
  insertActivity,
  insertArrangement,
  insertProcessor,
  META_ESSENCE,
  OBJECTION_URL,
  updateArrangementEssence,
} from '../helpers/privacy-notice.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(async () => {
  await server?.close();
});

interface World {
  tc: TestCampaign;
  api: ApiSession;
  base: string;
  publicPath: string;
  arrangementId: string;
}

/** A campaign with an email activity, a Meta custom-audience activity and its arrangement, and an objection page. */
async function metaCampaign(options: { essence?: string } = {}): Promise<World> {
  const tc = await makeCampaign(server.deps);
  const c = tc.campaign.id;
  await insertSource(server.deps, c, { name: 'Website sign-ups', type: 'web_form' });
  await insertSource(server.deps, c, { name: 'Electoral register 2026', type: 'full_register' });
  const processorId = await insertProcessor(server.deps, c, {
    name: 'Mailer Ltd',
    hosting: [{ country: 'GB' }, { country: 'US', mechanism: 'us_dpf_uk_extension' }],
  });
  const arrangementId = await insertArrangement(
    server.deps,
    c,
    options.essence === undefined ? {} : { essence: options.essence },
  );
  await insertActivity(server.deps, c, { name: 'Supporter email', processorIds: [processorId] });
  await insertActivity(server.deps, c, {
    name: 'Supporter adverts on Meta',
    description: 'Showing our messages to supporters on Facebook and Instagram.',
    capabilities: ['custom_audiences'],
    arrangementIds: [arrangementId],
  });
  const api = new ApiSession(server.app);
  await api.signIn(tc.owner.email, PASSWORD);
  const base = `/api/campaigns/${c}/privacy-notice`;
  expect((await api.request('PATCH', `${base}/settings`, { objectionUrl: OBJECTION_URL })).statusCode).toBe(200);
  return { tc, api, base, publicPath: `/p/${c}/privacy-notice`, arrangementId };
}

const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers });

/** The section ids of a public HTML page, in the order they appear in it. */
const sectionOrder = (html: string): string[] => [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1]!);

describe('done when: the published notice of a campaign with a Meta custom-audience activity', () => {
  it('has the list-matching section before the rights section, names Meta and states the essence — in the public HTML', async () => {
    const w = await metaCampaign();
    const published = await w.api.request('POST', `${w.base}/publish`, {});
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ version: 1, english: { version: 1, language: 'en' } });

    const page = await get(w.publicPath); // no cookie: the public sees it
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const html = page.body;
    const order = sectionOrder(html);
    expect(order).toContain('list-matching');
    expect(order).toContain('rights');
    expect(order.indexOf('list-matching')).toBeLessThan(order.indexOf('rights'));
    expect(html.indexOf('<section id="list-matching"')).toBeLessThan(html.indexOf('<section id="rights"'));
    const listSection = html.slice(
      html.indexOf('<section id="list-matching"'),
      html.indexOf('</section>', html.indexOf('<section id="list-matching"')),
    );
    expect(listSection).toContain('Meta');
    expect(listSection).toContain(META_ESSENCE.replaceAll("'", '&#39;'));
    expect(listSection).toContain(`href="${OBJECTION_URL}"`);
  });
});

describe('publish → public URL → version history → delivery recorded', () => {
  it('serves the notice publicly, keeps every version, and records which version a person was given', async () => {
    const w = await metaCampaign();
    const c = w.tc.campaign.id;

    // Nothing published yet: a clear 404 page, not the dashboard.
    const before = await get(w.publicPath);
    expect(before.statusCode).toBe(404);
    expect(before.headers['content-type']).toMatch(/^text\/html/);
    expect(before.body).toContain('No privacy notice is published here');
    expect(before.headers['cache-control']).toBe('no-cache');
    expect((await get(`${w.publicPath}.json`)).statusCode).toBe(404);

    const first = await w.api.request('POST', `${w.base}/publish`, { language: 'en' });
    expect(first.statusCode).toBe(201);
    const v1 = first.json();
    expect(v1.created).toHaveLength(1);
    expect(v1.english.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v1.urls.notice).toBe(`${server.deps.settings.publicUrl}/p/${c}/privacy-notice`);
    expect(v1.welshMissing.length).toBeGreaterThan(0);

    // Publishing the same records again changes nothing.
    const again = await w.api.request('POST', `${w.base}/publish`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ version: 1, created: [] });

    // The public page: HTML with headers for caching, strict CSP, no script; and JSON.
    const page = await get(w.publicPath);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
    expect(page.headers['content-language']).toBe('en');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script|style="|onload=/i);
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toMatch(/Version 1 · Published/);
    const etag = String(page.headers.etag);
    expect((await get(w.publicPath, { 'if-none-match': etag })).statusCode).toBe(304);
    const css = page.body.match(/<link rel="stylesheet" href="([^"]+)"/)![1]!;
    const stylesheet = await get(css);
    expect(stylesheet.statusCode).toBe(200);
    expect(stylesheet.headers['content-type']).toMatch(/^text\/css/);
    expect(stylesheet.headers['cache-control']).toContain('immutable');
    expect(stylesheet.body).toContain('@media print');
    const asJson = await get(`${w.publicPath}.json`);
    expect(asJson.statusCode).toBe(200);
    expect(asJson.json()).toMatchObject({ version: 1, language: 'en', current: true, sha256: v1.english.sha256 });
    expect(asJson.json().document.sections[1].id).toBe('list-matching');

    // The records change (a new essence): publishing makes version 2; version 1 stays as it was.
    await updateArrangementEssence(
      server.deps,
      c,
      w.arrangementId,
      'Meta matches the list and keeps nothing after 48 hours.',
    );
    const preview = (await w.api.request('GET', w.base)).json();
    expect(preview.preview.changed).toBe(true);
    expect(preview.published.en.version).toBe(1);
    const second = await w.api.request('POST', `${w.base}/publish`, {});
    expect(second.statusCode).toBe(201);
    expect(second.json().version).toBe(2);
    expect((await get(w.publicPath)).body).toContain('keeps nothing after 48 hours');
    const old = await get(`${w.publicPath}/versions/1`);
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('This is not the current version');
    expect(old.body).toContain(META_ESSENCE.slice(0, 40));
    expect(old.headers['cache-control']).toBe('public, max-age=86400');
    expect((await get(`${w.publicPath}/versions/9`)).statusCode).toBe(404);

    // The history: HTML and JSON, newest first, with dates.
    const history = await get(`${w.publicPath}/versions`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toMatch(/<th scope="row">2 \(current\)<\/th>/);
    expect(history.body.indexOf('>2 (current)<')).toBeLessThan(history.body.indexOf('>1<'));
    const historyJson = (await get(`${w.publicPath}/versions.json`)).json();
    expect(historyJson.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(historyJson.versions[0].publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    // A delivery: a person given version 2 by email; the person page returns it.
    const sourceId = await insertSource(server.deps, c, { name: 'Events', type: 'event' });
    const person = await makePerson(server.deps, w.tc.owner.principal, c, sourceId, { email: 'ann@example.org' });
    const delivered = await w.api.request('POST', `/api/campaigns/${c}/people/${person.id}/privacy-notices`, {
      method: 'email',
      deliveredAt: new Date().toISOString(),
    });
    expect(delivered.statusCode).toBe(201);
    expect(delivered.json().delivery).toMatchObject({ version: 2, language: 'en', method: 'email' });
    const personPage = (await w.api.request('GET', `/api/campaigns/${c}/people/${person.id}`)).json();
    expect(personPage.person.noticeDeliveries).toEqual([expect.objectContaining({ version: 2, method: 'email' })]);
    const listed = (await w.api.request('GET', `/api/campaigns/${c}/people/${person.id}/privacy-notices`)).json();
    expect(listed.deliveries).toHaveLength(1);
    const badVersion = await w.api.request('POST', `/api/campaigns/${c}/people/${person.id}/privacy-notices`, {
      method: 'letter',
      version: 7,
      deliveredAt: new Date().toISOString(),
    });
    expect(badVersion.statusCode).toBe(400);
    expect(badVersion.json().error.details.issues[0].field).toBe('version');

    // Audited: two publications and the delivery.
    const events = (await listAuditEvents(server.deps, w.tc.owner.principal, c, { limit: 100 })).events.map(
      (e) => e.type,
    );
    expect(events.filter((t) => t === 'privacy_notice.published')).toHaveLength(2);
    expect(events).toContain('privacy_notice.delivered');
    expect(events).toContain('privacy_notice.settings_updated');
  });
});

describe('refusals and permissions', () => {
  it('refuses to publish list matching without an arrangement essence (TR-LIST-MATCHING-DISCLOSED), and audits it', async () => {
    const w = await metaCampaign({ essence: '' });
    const refused = await w.api.request('POST', `${w.base}/publish`, {});
    expect(refused.statusCode).toBe(422);
    const body = refused.json();
    expect(body.error.code).toBe('rule_refused');
    expect(body.error.message).toContain('TR-LIST-MATCHING-DISCLOSED');
    expect(body.error.details.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
      'TR-LIST-MATCHING-DISCLOSED',
    );
    expect((await get(w.publicPath)).statusCode).toBe(404);
    const events = (await listAuditEvents(server.deps, w.tc.owner.principal, w.tc.campaign.id, { limit: 50 })).events;
    const audited = events.find((e) => e.type === 'privacy_notice.publish_refused');
    expect(audited?.data).toMatchObject({
      language: 'en',
      findings: [expect.objectContaining({ ruleId: 'TR-LIST-MATCHING-DISCLOSED' })],
    });
    // The preview shows the gap and the finding.
    const overview = (await w.api.request('GET', w.base)).json();
    expect(overview.preview.outcome).toBe('refuse');
    expect(JSON.stringify(overview.preview.document)).toContain('"missing":true');
  });

  it('lets only the DPO and the owner publish; a data manager edits settings; a volunteer sees nothing', async () => {
    const w = await metaCampaign();
    const sessionOf = async (role: 'dpo' | 'data_manager' | 'organiser' | 'volunteer'): Promise<ApiSession> => {
      const member = await addMember(server.deps, w.tc, role);
      const s = new ApiSession(server.app);
      await s.signIn(member.email, PASSWORD);
      return s;
    };
    const dpo = await sessionOf('dpo');
    const manager = await sessionOf('data_manager');
    const organiser = await sessionOf('organiser');
    const volunteer = await sessionOf('volunteer');
    expect((await organiser.request('POST', `${w.base}/publish`, {})).statusCode).toBe(403);
    expect((await manager.request('POST', `${w.base}/publish`, {})).statusCode).toBe(403);
    expect((await organiser.request('GET', w.base)).statusCode).toBe(200);
    expect((await volunteer.request('GET', w.base)).statusCode).toBe(403);
    expect(
      (await organiser.request('PATCH', `${w.base}/settings`, { privacyEmail: 'privacy@campaign.example' })).statusCode,
    ).toBe(403);
    const edited = await manager.request('PATCH', `${w.base}/settings`, { privacyEmail: 'Privacy@Campaign.example' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().settings).toMatchObject({
      privacyEmail: 'privacy@campaign.example',
      objectionUrl: OBJECTION_URL,
    });
    const badUrl = await manager.request('PATCH', `${w.base}/settings`, { objectionUrl: 'javascript:alert(1)' });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error.details.issues[0].field).toBe('objectionUrl');
    expect((await dpo.request('POST', `${w.base}/publish`, {})).statusCode).toBe(201);
  });

  it('keeps published versions append-only, for the application and for the database owner', async () => {
    const w = await metaCampaign();
    await w.api.request('POST', `${w.base}/publish`, {});
    const c = w.tc.campaign.id;
    await expect(
      inCampaign(server.deps.db, c, (tx) =>
        tx
          .updateTable('privacy_notice_versions')
          .set({ text_sha256: 'f'.repeat(64) })
          .where('campaign_id', '=', c)
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withClient(server.database.owner, (client) =>
        client.query(`DELETE FROM privacy_notice_versions WHERE campaign_id = $1`, [c]),
      ),
    ).rejects.toThrow(/never be changed or deleted/);
  });
});

describe('Welsh', () => {
  it('publishes the Welsh notice only when every section has Welsh text, and serves it at ?lang=cy', async () => {
    const w = await metaCampaign();
    await w.api.request('POST', `${w.base}/publish`, {});
    const refused = await w.api.request('POST', `${w.base}/publish`, { language: 'cy' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('invalid_state');
    expect(refused.json().error.message).toContain('list-matching (no Welsh text)');
    const noWelsh = await get(`${w.publicPath}?lang=cy`);
    expect(noWelsh.statusCode).toBe(404);
    expect(noWelsh.body).toContain('not yet published in Welsh');

    const overview = (await w.api.request('GET', w.base)).json();
    const sections: { id: string; heading: string; text: string; sha256: string }[] = overview.published.sections;
    // A Welsh text that drops the objection link is not accepted as a translation of that section.
    const [firstSection, ...rest] = sections;
    for (const s of rest) {
      const saved = await w.api.request('PUT', `${w.base}/translations/cy/${s.id}`, {
        heading: `(cy) ${s.heading}`,
        body: `Testun Cymraeg.\n\n${s.text}`,
        sourceSha256: s.sha256,
      });
      expect(saved.statusCode, s.id).toBe(200);
    }
    const stale = await w.api.request('PUT', `${w.base}/translations/cy/${firstSection!.id}`, {
      heading: 'Pwy ydym ni',
      body: 'Testun.',
      sourceSha256: 'a'.repeat(64),
    });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.details.issues[0].field).toBe('sourceSha256');
    expect((await w.api.request('POST', `${w.base}/publish`, { language: 'cy' })).json().error.message).toContain(
      `${firstSection!.id} (no Welsh text)`,
    );
    await w.api.request('PUT', `${w.base}/translations/cy/${firstSection!.id}`, {
      heading: 'Pwy ydym ni',
      body: firstSection!.text,
      sourceSha256: firstSection!.sha256,
    });
    const welsh = await w.api.request('POST', `${w.base}/publish`, { language: 'cy' });
    expect(welsh.statusCode).toBe(201);
    expect(welsh.json()).toMatchObject({ version: 1, welsh: { version: 1, language: 'cy' }, welshMissing: [] });

    const page = await get(`${w.publicPath}?lang=cy`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="cy">');
    expect(page.headers['content-language']).toBe('cy');
    expect(page.body).toContain('Hysbysiad preifatrwydd');
    expect(page.body).toContain('Pwy ydym ni');
    expect(sectionOrder(page.body).indexOf('list-matching')).toBeLessThan(sectionOrder(page.body).indexOf('rights'));
    expect(page.body).toContain(`href="${OBJECTION_URL}"`);
    // The English page now offers Welsh.
    expect((await get(w.publicPath)).body).toContain('hreflang="cy"');
    expect((await get(`${w.publicPath}?lang=fr`)).statusCode).toBe(400);
  });
});

describe('which version each person was given', () => {
  it('links an Art 14 notice to the version published when it was sent, and erasure removes the deliveries', async () => {
    const w = await metaCampaign();
    const c = w.tc.campaign.id;
    const register = await insertSource(server.deps, c, { name: 'Register', type: 'open_register' });
    const person = await makePerson(server.deps, w.tc.owner.principal, c, register, { email: 'bea@example.org' });

    // Before any notice is published, the Art 14 notice is recorded without a version.
    const early = await recordArt14Notice(server.deps, w.tc.owner.principal, c, person.id, {
      sentAt: new Date().toISOString(),
      method: 'letter',
    });
    expect(early.art14.notifiedAt).not.toBeNull();
    expect(early.noticeDeliveries).toEqual([]);

    await w.api.request('POST', `${w.base}/publish`, {});
    const later = await recordArt14Notice(server.deps, w.tc.owner.principal, c, person.id, {
      sentAt: new Date().toISOString(),
      method: 'letter',
    });
    expect(later.noticeDeliveries).toEqual([
      expect.objectContaining({
        version: 1,
        language: 'en',
        method: 'art14_letter',
        note: 'Art 14 notice sent by: letter',
      }),
    ]);
    await expect(
      recordArt14Notice(server.deps, w.tc.owner.principal, c, person.id, {
        sentAt: new Date().toISOString(),
        method: 'email',
        noticeVersion: 5,
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });

    // What version 1 explains, for the audiences feature.
    const coverage = await inCampaign(server.deps.db, c, (tx) =>
      noticeListMatchingCoverage(tx, c, { version: 1, platform: 'meta' }),
    );
    expect(coverage).toMatchObject({ explained: true, prominent: true, platformNamed: true });
    const tiktok = await inCampaign(server.deps.db, c, (tx) =>
      noticeListMatchingCoverage(tx, c, { version: 1, platform: 'tiktok' }),
    );
    expect(tiktok?.explained).toBe(false);
    const given = await inCampaign(server.deps.db, c, (tx) => noticeVersionsGiven(tx, c, [person.id, randomUUID()]));
    expect([...given.entries()]).toEqual([[person.id, '1']]);
    const coverages = await inCampaign(server.deps.db, c, (tx) => loadNoticeCoverages(tx, c));
    expect(coverages.current).toMatchObject({ version: '1', listMatching: 'prominent', platformsNamed: ['meta'] });

    await erasePerson(server.deps, w.tc.owner.principal, c, person.id, { reason: 'asked to be forgotten' });
    const left = await withClient(server.database.owner, (client) =>
      client.query<{ n: number }>(`SELECT count(*)::int AS n FROM privacy_notice_deliveries WHERE campaign_id = $1`, [
        c,
      ]),
    );
    expect(left.rows[0]!.n).toBe(0);
    // The notice itself is untouched.
    expect((await get(w.publicPath)).statusCode).toBe(200);
  });
});

describe('what goes in', () => {
  it('leaves out draft activities and archived arrangements, and names third-party sources', async () => {
    const tc = await makeCampaign(server.deps);
    const c = tc.campaign.id;
    await insertSource(server.deps, c, { name: 'Acme Data', type: 'data_broker' });
    await insertActivity(server.deps, c, { name: 'Newsletter' });
    await insertActivity(server.deps, c, {
      name: 'Planned TikTok targeting',
      status: 'draft',
      capabilities: ['custom_audiences'],
    });
    const api = new ApiSession(server.app);
    await api.signIn(tc.owner.email, PASSWORD);
    const overview = (await api.request('GET', `/api/campaigns/${c}/privacy-notice`)).json();
    const ids = overview.preview.document.sections.map((s: { id: string }) => s.id);
    expect(ids).not.toContain('list-matching');
    const text = JSON.stringify(overview.preview.document);
    expect(text).toContain('Newsletter');
    expect(text).not.toContain('Planned TikTok targeting');
    expect(text).toContain('Acme Data: a data supplier');
    // The DPO's email is the way to object until an objection page is set.
    expect(text).toContain('mailto:dpo@example.org');
    expect(overview.preview.outcome).toBe('allow');
  });
});

describe('OpenAPI', () => {
  it('documents the staff endpoints and the public pages', async () => {
    const doc = await get('/api/docs/json');
    expect(doc.statusCode).toBe(200);
    const paths = doc.json().paths as Record<string, Record<string, { security?: unknown[] }>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/campaigns/{campaignId}/privacy-notice',
        '/api/campaigns/{campaignId}/privacy-notice/publish',
        '/api/campaigns/{campaignId}/privacy-notice/settings',
        '/api/campaigns/{campaignId}/privacy-notice/versions/{version}',
        '/api/campaigns/{campaignId}/privacy-notice/translations/cy/{sectionId}',
        '/api/campaigns/{campaignId}/people/{personId}/privacy-notices',
        '/p/{campaignId}/privacy-notice',
        '/p/{campaignId}/privacy-notice.json',
        '/p/{campaignId}/privacy-notice/versions',
        '/p/{campaignId}/privacy-notice/versions/{version}',
      ]),
    );
    // The public pages need no credentials.
    expect(paths['/p/{campaignId}/privacy-notice']!.get!.security).toEqual([]);
  });
});
