/**
 * Consent receipts, the public side (issue 6): the configuration endpoint (cache headers, ETag,
 * CORS for registered origins only), the receipts endpoint (origin check, strict validation,
 * size limit, rate limit, idempotent retries, older published versions still valid), what is
 * stored (no IP address), append-only in the database, and the staff side: search by consent
 * id, consent rates, audited export and audited retention purge.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentRates,
  exportConsentReceipts,
  listConsentReceipts,
  purgeConsentReceipts,
  receiptsCsv,
  setReceiptRetention,
} from '../../src/app/consent-receipts.js';
import { archiveConsentSite, createConsentSite, updateConsentSite } from '../../src/app/consent-sites.js';
import { withClient } from '../../src/db/client.js';
import { inCampaign } from '../../src/db/scope.js';
import { DEFAULT_TEXTS, SERVICE_PRESETS } from '../../src/domain/consent-sites.js';
import type { AppError } from '../../src/domain/errors.js';
import { RECEIPT_MAX_BYTES, type BannerConfig, type ReceiptSubmission } from '../../src/shared/consent-banner.js';
import { youtubeReceipt, youtubeSiteConfig } from '../helpers/consent-sites.js';
import { makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const ORIGIN = 'https://www.example.org';

beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(async () => {
  await server?.close();
});

interface Site {
  tc: TestCampaign;
  siteId: string;
  banner: BannerConfig;
}

async function makeSite(): Promise<Site> {
  const tc = await makeCampaign(server.deps);
  const site = await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
    name: 'Campaign website',
    origins: [ORIGIN],
    config: youtubeSiteConfig(),
  });
  return { tc, siteId: site.id, banner: await fetchConfig(site.id) };
}

async function fetchConfig(siteId: string): Promise<BannerConfig> {
  const response = await server.app.inject({ method: 'GET', url: `/c/${siteId}/config.json` });
  expect(response.statusCode).toBe(200);
  return response.json<BannerConfig>();
}

/** A receipt from a page address with a query string and a fragment (neither is stored). */
function receipt(site: Site, overrides: Partial<ReceiptSubmission> = {}): ReceiptSubmission {
  return youtubeReceipt(site.banner, ORIGIN, { pageUrl: `${ORIGIN}/join?ref=newsletter#form`, ...overrides });
}

function post(
  siteId: string,
  body: unknown,
  options: { origin?: string | null; contentType?: string; remoteAddress?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (options.origin !== null) headers.origin = options.origin ?? ORIGIN;
  return server.app.inject({
    method: 'POST',
    url: `/c/${siteId}/receipts`,
    headers,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

async function storedReceipts(site: Site): Promise<Record<string, unknown>[]> {
  return inCampaign(server.deps.db, site.tc.campaign.id, async (tx) => {
    const { rows } = await sql<
      Record<string, unknown>
    >`SELECT * FROM consent_receipts WHERE site_id = ${site.siteId}`.execute(tx);
    return rows;
  });
}

describe('the configuration endpoint', () => {
  it('serves the published configuration with a short max-age, an ETag and CORS for registered origins only', async () => {
    const site = await makeSite();
    const url = `/c/${site.siteId}/config.json`;
    const ok = await server.app.inject({ method: 'GET', url, headers: { origin: ORIGIN } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(ok.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const etag = String(ok.headers['etag']);
    expect(etag).toBe(`"${site.banner.configHash}.1"`);
    expect(site.banner.categories.map((c) => c.id)).toEqual([
      'necessary',
      'statistics',
      'appearance',
      'advertising',
      'social',
    ]);
    const other = await server.app.inject({ method: 'GET', url, headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const notModified = await server.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(notModified.statusCode).toBe(304);
    const missing = await server.app.inject({ method: 'GET', url: `/c/${randomUUID()}/config.json` });
    expect(missing.statusCode).toBe(404);
  });

  it('answers the preflight for registered origins only', async () => {
    const site = await makeSite();
    const preflight = (origin: string) =>
      server.app.inject({
        method: 'OPTIONS',
        url: `/c/${site.siteId}/receipts`,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await preflight(ORIGIN);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(ok.headers['access-control-allow-methods']).toBe('POST');
    expect(ok.headers['access-control-allow-headers']).toBe('content-type');
    expect((await preflight('https://evil.example')).statusCode).toBe(403);
  });

  it('banner.js: the build when there is one, a clear 404 otherwise', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/c/banner.js' });
    if (response.statusCode === 200) {
      expect(response.headers['content-type']).toContain('javascript');
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    } else {
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('not built');
    }
  });
});

describe('the receipts endpoint', () => {
  it('stores a good receipt and acknowledges it once committed; a retry gets the same acknowledgement', async () => {
    const site = await makeSite();
    const body = receipt(site);
    const first = await post(site.siteId, body);
    expect(first.statusCode).toBe(201);
    expect(first.headers['access-control-allow-origin']).toBe(ORIGIN);
    const ack = first.json();
    expect(ack).toEqual({ receiptId: body.receiptId, consentId: body.consentId, storedAt: expect.any(String) });

    const [row] = await storedReceipts(site);
    expect(row).toMatchObject({
      receipt_id: body.receiptId,
      consent_id: body.consentId,
      action: 'custom',
      categories: body.categories,
      services: { youtube: true },
      config_hash: site.banner.configHash,
      revision: 1,
      text_hash: site.banner.textHashes.en,
      language: 'en',
      gpc: false,
      // No query string, no fragment.
      page_url: `${ORIGIN}/join`,
    });

    const retry = await post(site.siteId, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(ack);
    expect(await storedReceipts(site)).toHaveLength(1);

    const reused = await post(site.siteId, { ...body, consentId: randomUUID() });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.details.field).toBe('receiptId');
  });

  it('the same receipt id twice in one batch: one is stored, a retry is acknowledged, another consent is a conflict', async () => {
    const site = await makeSite();
    const body = receipt(site);
    const [a, b, c] = await Promise.all([
      post(site.siteId, body),
      post(site.siteId, body),
      post(site.siteId, { ...body, consentId: randomUUID() }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json()).toEqual(b.json());
    expect(c.statusCode).toBe(409);
    expect(await storedReceipts(site)).toHaveLength(1);
  });

  it('accepts text/plain (sendBeacon) and a GPC receipt', async () => {
    const site = await makeSite();
    const body = receipt(site, {
      action: 'gpc',
      gpc: true,
      categories: { necessary: true, statistics: false, appearance: false, advertising: false, social: false },
      services: { youtube: false },
    });
    const response = await post(site.siteId, body, { contentType: 'text/plain;charset=UTF-8' });
    expect(response.statusCode).toBe(201);
    expect((await storedReceipts(site))[0]).toMatchObject({ action: 'gpc', gpc: true });
  });

  it('refuses a receipt from an unregistered origin, or with no origin, or for a page of another site', async () => {
    const site = await makeSite();
    const evil = await post(site.siteId, receipt(site), { origin: 'https://evil.example' });
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect((await post(site.siteId, receipt(site), { origin: null })).statusCode).toBe(403);
    const otherPage = await post(site.siteId, receipt(site, { pageUrl: 'https://evil.example/' }));
    expect(otherPage.statusCode).toBe(400);
    expect(otherPage.json().error.details.issues[0].field).toBe('pageUrl');
    expect((await post(randomUUID(), receipt(site))).statusCode).toBe(404);
    expect(await storedReceipts(site)).toHaveLength(0);
  });

  it('in one burst, rejects oversized and invalid submissions with a clear 4xx and stores the good ones', async () => {
    const site = await makeSite();
    const goodA = receipt(site);
    const goodB = receipt(site, {
      action: 'accept_all',
      categories: { necessary: true, statistics: true, appearance: true, advertising: true, social: true },
    });
    const oversized = {
      ...receipt(site),
      services: { youtube: true },
      pageUrl: `${ORIGIN}/${'a'.repeat(RECEIPT_MAX_BYTES)}`,
    };
    const responses = await Promise.all([
      post(site.siteId, goodA),
      post(site.siteId, oversized),
      post(site.siteId, '{"receiptId": '),
      post(site.siteId, { ...receipt(site), ipAddress: '192.0.2.1' }),
      post(site.siteId, receipt(site, { textHash: 'f'.repeat(64) })),
      post(site.siteId, receipt(site, { configHash: 'e'.repeat(64) })),
      post(site.siteId, receipt(site, { services: { 'meta-pixel': true } })),
      post(site.siteId, receipt(site, { categories: { necessary: false } })),
      post(site.siteId, receipt(site, { receiptId: 'not-a-uuid' })),
      post(site.siteId, goodB, { contentType: 'text/plain' }),
    ]);
    const status = responses.map((r) => r.statusCode);
    expect(status).toEqual([201, 413, 400, 400, 400, 400, 400, 400, 400, 201]);
    const fields = responses
      .slice(3, 9)
      .map((r) => (r.json().error.details?.issues as { field: string }[] | undefined)?.[0]?.field);
    expect(fields).toEqual(['', 'textHash', 'configHash', 'services.meta-pixel', 'categories.necessary', 'receiptId']);
    expect(responses[3].json().error.message).toContain('unknown field: ipAddress');
    expect(responses[1].json().error.code).toBe('payload_too_large');
    const stored = (await storedReceipts(site)).map((r) => r['receipt_id']).sort();
    expect(stored).toEqual([goodA.receiptId, goodB.receiptId].sort());
  });

  it('a receipt naming an older published configuration or text still validates', async () => {
    const site = await makeSite();
    const old = site.banner;
    const config = youtubeSiteConfig();
    // A copy edit (same configuration hash, new English text hash), then a new service (new hash).
    await updateConsentSite(server.deps, site.tc.owner.principal, site.tc.campaign.id, site.siteId, {
      config: { ...config, texts: { ...config.texts, en: { ...DEFAULT_TEXTS.en, title: 'Cookies on our website' } } },
    });
    const edited = await fetchConfig(site.siteId);
    expect(edited.configHash).toBe(old.configHash);
    expect(edited.textHashes.en).not.toBe(old.textHashes.en);
    await updateConsentSite(server.deps, site.tc.owner.principal, site.tc.campaign.id, site.siteId, {
      config: {
        ...config,
        categories: config.categories.map((c) =>
          c.id === 'social' ? { ...c, services: [...c.services, SERVICE_PRESETS['action-network']!.service] } : c,
        ),
      },
    });
    const current = await fetchConfig(site.siteId);
    expect(current.configHash).not.toBe(old.configHash);
    expect((await post(site.siteId, receipt(site))).statusCode).toBe(201);
    expect((await post(site.siteId, receipt({ ...site, banner: edited }))).statusCode).toBe(201);
    const now = await post(
      site.siteId,
      receipt({ ...site, banner: current }, { services: { 'action-network': true } }),
    );
    expect(now.statusCode).toBe(201);
    // The new service is not part of the old configuration.
    expect((await post(site.siteId, receipt(site, { services: { 'action-network': true } }))).statusCode).toBe(400);
  });

  it('a retired website serves no configuration and accepts no receipt; its receipts are kept', async () => {
    const site = await makeSite();
    expect((await post(site.siteId, receipt(site))).statusCode).toBe(201);
    await archiveConsentSite(server.deps, site.tc.owner.principal, site.tc.campaign.id, site.siteId);
    expect((await server.app.inject({ method: 'GET', url: `/c/${site.siteId}/config.json` })).statusCode).toBe(404);
    expect((await post(site.siteId, receipt(site))).statusCode).toBe(404);
    expect(await storedReceipts(site)).toHaveLength(1);
    const events = await inCampaign(server.deps.db, site.tc.campaign.id, (tx) =>
      tx.selectFrom('audit_events').select('type').where('type', '=', 'consent_site.archived').execute(),
    );
    expect(events).toHaveLength(1);
  });

  it('rate-limits per site and client without affecting other clients', async () => {
    const site = await makeSite();
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) {
      statuses.push((await post(site.siteId, '{}', { remoteAddress: '198.51.100.7' })).statusCode);
    }
    expect(statuses.slice(0, 120).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
    expect((await post(site.siteId, receipt(site), { remoteAddress: '198.51.100.8' })).statusCode).toBe(201);
  });
});

describe('what is stored', () => {
  it('no IP address: no column could hold one, and no stored value names the client', async () => {
    const site = await makeSite();
    const response = await post(site.siteId, receipt(site), { remoteAddress: '203.0.113.99' });
    expect(response.statusCode).toBe(201);
    const columns = await withClient(
      server.database.owner,
      async (c) =>
        (
          await c.query<{ column_name: string; data_type: string }>(
            `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'consent_receipts' ORDER BY ordinal_position`,
          )
        ).rows,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'campaign_id',
      'site_id',
      'receipt_id',
      'consent_id',
      'stored_at',
      'action',
      'categories',
      'services',
      'config_hash',
      'revision',
      'text_hash',
      'language',
      'gpc',
      'page_url',
      'client_time',
    ]);
    expect(columns.some((c) => c.data_type === 'inet' || c.data_type === 'cidr')).toBe(false);
    expect(JSON.stringify(await storedReceipts(site))).not.toContain('203.0.113.99');
  });

  it('receipts are append-only for the application: UPDATE and DELETE fail', async () => {
    const site = await makeSite();
    expect((await post(site.siteId, receipt(site))).statusCode).toBe(201);
    const update = await inCampaign(server.deps.db, site.tc.campaign.id, (tx) =>
      sql`UPDATE consent_receipts SET gpc = true`.execute(tx),
    ).catch((e: unknown) => e);
    expect(String(update)).toMatch(/permission denied/);
    const remove = await inCampaign(server.deps.db, site.tc.campaign.id, (tx) =>
      sql`DELETE FROM consent_receipts`.execute(tx),
    ).catch((e: unknown) => e);
    expect(String(remove)).toMatch(/permission denied/);
    // Not even the owner may change one.
    const owner = await withClient(server.database.owner, (c) =>
      c.query(`UPDATE consent_receipts SET gpc = true WHERE site_id = $1`, [site.siteId]),
    ).catch((e: unknown) => e);
    expect(String(owner)).toMatch(/append-only/);
    expect(await storedReceipts(site)).toHaveLength(1);
  });
});

describe('the staff side', () => {
  it('finds a visitor’s receipts by consent id, and shows consent rates per day and category', async () => {
    const site = await makeSite();
    const consentId = randomUUID();
    await post(site.siteId, receipt(site, { consentId }));
    await post(
      site.siteId,
      receipt(site, {
        consentId,
        action: 'withdraw',
        categories: { necessary: true, social: false },
        services: { youtube: false },
      }),
    );
    await post(
      site.siteId,
      receipt(site, {
        action: 'reject_all',
        categories: { necessary: true, statistics: false, appearance: false, advertising: false, social: false },
        services: { youtube: false },
      }),
    );
    const { principal } = site.tc.owner;
    const mine = await listConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId, { consentId });
    expect(mine.map((r) => r.action).sort()).toEqual(['custom', 'withdraw']);
    const bad = (await listConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId, {
      consentId: 'nope',
    }).catch((e: unknown) => e)) as AppError;
    expect(bad.code).toBe('validation_failed');
    const rates = await consentRates(server.deps, principal, site.tc.campaign.id, site.siteId, 30);
    expect(rates).toHaveLength(1);
    expect(rates[0]).toMatchObject({ receipts: 3, granted: { necessary: 3, social: 1, advertising: 0 } });
  });

  it('exports CSV and JSON, audited, with formula-neutralised cells', async () => {
    const site = await makeSite();
    await post(site.siteId, receipt(site));
    const { principal } = site.tc.owner;
    const csv = await exportConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId, {
      format: 'csv',
    });
    const text = receiptsCsv(csv.receipts);
    expect(text.split('\r\n')[0]).toBe(
      'stored_at,receipt_id,consent_id,action,category_necessary,category_statistics,category_appearance,category_advertising,category_social,services,config_hash,revision,text_hash,language,gpc,page_url,client_time',
    );
    expect(text).toContain('youtube=yes');
    expect(receiptsCsv([{ ...csv.receipts[0]!, pageUrl: '=HYPERLINK("x")' }])).toContain(`"'=HYPERLINK(""x"")"`);
    const json = await exportConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId, {
      format: 'json',
    });
    expect(json.receipts).toHaveLength(1);
    const events = await inCampaign(server.deps.db, site.tc.campaign.id, (tx) =>
      tx
        .selectFrom('audit_events')
        .select(['type', 'payload'])
        .where('type', '=', 'consent_receipts.exported')
        .orderBy('seq')
        .execute(),
    );
    expect(events.map((e) => (e.payload as { format: string; receipts: number }).format)).toEqual(['csv', 'json']);
    expect((events[0]!.payload as { receipts: number }).receipts).toBe(1);

    // One visitor's receipts, by their consent id in either case; a malformed id names the field.
    const visitor = csv.receipts[0]!.consentId;
    const one = await exportConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId, {
      format: 'json',
      consentId: ` ${visitor.toUpperCase()} `,
    });
    expect(one.receipts.map((r) => r.consentId)).toEqual([visitor]);
    const bad = (await exportConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId, {
      format: 'json',
      consentId: 'nope',
    }).catch((e: unknown) => e)) as AppError;
    expect(bad.code).toBe('validation_failed');
    expect(bad.details).toMatchObject({ issues: [{ field: 'consentId' }] });

    const api = await server.app.inject({
      method: 'GET',
      url: `/api/campaigns/${site.tc.campaign.id}/consent-sites/${site.siteId}/receipts/export?format=csv`,
    });
    expect(api.statusCode).toBe(401);
  });

  it('purges receipts older than the retention period, audited; refuses without one', async () => {
    const site = await makeSite();
    await post(site.siteId, receipt(site));
    await post(site.siteId, receipt(site));
    const { principal } = site.tc.owner;
    const none = (await purgeConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(none.code).toBe('invalid_state');
    await setReceiptRetention(server.deps, principal, site.tc.campaign.id, site.siteId, { retentionDays: 30 });
    // Today: nothing is older than 30 days.
    expect((await purgeConsentReceipts(server.deps, principal, site.tc.campaign.id, site.siteId)).purged).toBe(0);
    // Forty days on, both are.
    const later = { ...server.deps, now: () => new Date(Date.now() + 40 * 86_400_000) };
    const purged = await purgeConsentReceipts(later, principal, site.tc.campaign.id, site.siteId);
    expect(purged.purged).toBe(2);
    expect(await storedReceipts(site)).toHaveLength(0);
    const events = await inCampaign(server.deps.db, site.tc.campaign.id, (tx) =>
      tx
        .selectFrom('audit_events')
        .select(['type', 'payload'])
        .where('type', 'in', ['consent_receipts.purged', 'consent_site.retention_set'])
        .orderBy('seq')
        .execute(),
    );
    expect(events.map((e) => e.type)).toEqual([
      'consent_site.retention_set',
      'consent_receipts.purged',
      'consent_receipts.purged',
    ]);
    expect(events[2]!.payload).toMatchObject({ siteId: site.siteId, retentionDays: 30, purged: 2 });
  });
});
