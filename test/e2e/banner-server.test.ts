/**
 * The banner end to end against the real Canvass server: a site registered through the app
 * layer (createConsentSite, with the service presets the fixture page's snippets use and the
 * fixture's origin), the fixture campaign page loading /c/banner.js from Canvass (the fixture
 * server proxies canvass.test to the test server, so the page stays on https), the banner
 * fetching the published configuration and posting its receipts to /c/:siteId/receipts — and
 * each receipt found in the database by the consent id the visitor was shown.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBannerBuilt } from '../../scripts/build-banner.js';
import { listConsentReceipts } from '../../src/app/consent-receipts.js';
import { createConsentSite } from '../../src/app/consent-sites.js';
import { createJointControllerArrangement } from '../../src/app/joint-controllers.js';
import { DEFAULT_TEXTS, defaultSiteConfig, SERVICE_PRESETS } from '../../src/domain/consent-sites.js';
import {
  launchForFixture,
  newVisitor,
  tabTo,
  type FixtureWindow,
  type Visitor,
} from '../fixtures/banner-site/browser.js';
import { SITE_URL, startFixtureSite, type FixtureSite } from '../fixtures/banner-site/server.js';
import { expectAccessible } from '../helpers/browser.js';
import { makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });
const preset = (id: string) => SERVICE_PRESETS[id]!.service;

describe('consent banner with the Canvass server (Chromium)', () => {
  let server: TestServer;
  let site: FixtureSite;
  let browser: Browser;
  let tc: TestCampaign;
  let siteId: string;
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    await ensureBannerBuilt();
    server = await startTestServer();
    tc = await makeCampaign(server.deps, 'Exampletown Greens');
    // Pixels and plugins of Meta, LinkedIn and X need an Art 26 arrangement first (ONL-JOINT-CONTROLLER).
    for (const platform of ['meta', 'linkedin', 'x'])
      await createJointControllerArrangement(server.deps, tc.owner.principal, tc.campaign.id, {
        platform,
        scope: 'pixels_plugins',
        fromPreset: true,
      });
    const created = await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
      name: 'Campaign website',
      origins: [SITE_URL],
      config: {
        ...defaultSiteConfig(),
        categories: [
          { id: 'statistics', services: [preset('google-analytics-4')] },
          { id: 'advertising', services: [preset('meta-pixel'), preset('linkedin-insight')] },
          { id: 'social', services: [preset('youtube'), preset('x-embeds')] },
        ],
      },
    });
    siteId = created.id;
    site = await startFixtureSite({ canvass: server.url, siteId });
    browser = await launchForFixture(site);
  }, 120_000);

  afterAll(async () => {
    for (const v of visitors) await v.context.close().catch(() => undefined);
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  const stored = (consentId: string) =>
    listConsentReceipts(server.deps, tc.owner.principal, tc.campaign.id, siteId, { consentId });

  async function visit(page: Page): Promise<void> {
    await page.goto(`${SITE_URL}/`);
    await poll(() =>
      page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent?.getConsent() != null),
    ).toBe(true);
  }

  const consentIdOf = (page: Page): Promise<string> =>
    page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent.getConsent()!.consentId);

  it('serves the banner and the published configuration; nothing reaches a tracker before a choice', async () => {
    const v = await newVisitor(browser);
    visitors.push(v);
    await visit(v.page);
    const region = v.page.getByRole('region', { name: DEFAULT_TEXTS.en.regionLabel });
    await poll(() => region.getByRole('button', { name: DEFAULT_TEXTS.en.acceptAll }).isVisible()).toBe(true);
    const served = site.requests.filter((r) => r.host === 'canvass.test').map((r) => r.path);
    expect(served).toEqual(expect.arrayContaining(['/c/banner.js', `/c/${siteId}/config.json`]));
    expect(site.trackerRequests()).toEqual([]);
    // The default placeholder texts have no {service}: the banner names the service, so each button is told apart.
    const loads = await v.page.getByRole('button', { name: /^Load this content \(/ }).allTextContents();
    expect(loads).toHaveLength(2);
    expect(new Set(loads).size).toBe(2);
    await expectAccessible(v.page, 'banner with the default texts');
    expect(v.errors).toEqual([]);
  });

  it('stores an Accept all receipt in the database, found by the consent id shown to the visitor', async () => {
    const v = await newVisitor(browser);
    visitors.push(v);
    await visit(v.page);
    const consentId = await consentIdOf(v.page);
    await tabTo(v.page, DEFAULT_TEXTS.en.acceptAll);
    await v.page.keyboard.press('Enter');
    await poll(async () => (await stored(consentId)).length).toBe(1);
    const [receipt] = await stored(consentId);
    expect(receipt).toMatchObject({
      consentId,
      action: 'accept_all',
      categories: { statistics: true, advertising: true, social: true },
      services: {
        'google-analytics-4': true,
        'meta-pixel': true,
        'linkedin-insight': true,
        youtube: true,
        'x-embeds': true,
      },
      language: 'en',
      gpc: false,
      pageUrl: `${SITE_URL}/`,
    });
    // The queue is empty once the server has acknowledged the receipt.
    await poll(() => v.page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith('_q')))).toEqual([]);
    await poll(() => site.trackerRequests()).toContain('connect.facebook.net/en_US/fbevents.js');
    expect(v.errors).toEqual([]);
  });

  it('stores a GPC receipt without a click', async () => {
    const v = await newVisitor(browser, { gpc: true });
    visitors.push(v);
    await visit(v.page);
    const consentId = await consentIdOf(v.page);
    await poll(async () => (await stored(consentId)).map((r) => r.action)).toEqual(['gpc']);
    expect((await stored(consentId))[0]).toMatchObject({
      gpc: true,
      categories: { advertising: false, social: false },
    });
  });
});
