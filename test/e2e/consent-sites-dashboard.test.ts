/**
 * Website consent in the dashboard (issue 6), end to end in real Chromium against the real
 * server: register a website, see a Meta Pixel refused for want of a joint-controller
 * arrangement (ONL-JOINT-CONTROLLER) and a pre-ticked advertising category refused
 * (PECR-R6-PRIOR-CONSENT), each with its rule and what would make it allowed; save a YouTube
 * embed and see version 2 published; the live preview loads the real banner in an iframe; a
 * receipt posted by the website shows in the consent-rate chart and in the search by consent
 * id. axe-core checks the pages; any console error (e.g. a CSP violation) fails.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANNER_ROOT } from '../../src/http/routes/consent-sites.js';
import type { BannerConfig } from '../../src/shared/consent-banner.js';
import {
  ensureDashboardBuilt,
  expectAccessible,
  openBrowserPage,
  setUpCampaign,
  skipAfterFirstFailure,
} from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });
const ORIGIN = 'https://www.example.org';

describe('website consent in the dashboard (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[] = [];
  let siteId = '';
  const heading = () => page.getByRole('heading', { level: 1 });
  const nav = () => page.getByRole('navigation', { name: 'Campaign' });

  skipAfterFirstFailure();

  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = await startTestServer();
    ({ browser, page, consoleErrors } = await openBrowserPage());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('registers a website and shows its install snippet', async () => {
    await setUpCampaign(page, await server.setupUrl(), { name: 'Exampletown Greens', controllerType: 'Candidate' });
    await nav().getByRole('link', { name: 'Website consent' }).click();
    await poll(() => heading().textContent()).toBe('Website consent');
    await poll(() => page.getByText('No websites registered yet.').count()).toBe(1);
    await expectAccessible(page, 'website consent, empty');

    await page.getByLabel('Name').fill('Campaign website');
    await page.getByLabel('Origins').fill(ORIGIN);
    await page.getByRole('button', { name: 'Register website' }).click();
    await page.waitForURL(/\/website-consent\/[0-9a-f-]{36}$/);
    siteId = page.url().split('/').pop()!;
    await poll(() => heading().textContent()).toBe('Campaign website');
    expect(await page.getByLabel('Put this tag in the head of every page').inputValue()).toBe(
      `<script src="${server.url}/c/banner.js" data-site="${siteId}" defer></script>`,
    );
    await expectAccessible(page, 'a website');
  });

  it('refuses a Meta Pixel without an arrangement, and a pre-ticked advertising category, naming the rule', async () => {
    await page.getByLabel('Add a service from the presets').selectOption('meta-pixel');
    await page.getByRole('button', { name: 'Add service' }).click();
    await page.getByRole('button', { name: 'Save configuration' }).click();
    const alert = page.getByRole('alert');
    await poll(() => alert.textContent()).toContain('ONL-JOINT-CONTROLLER');
    expect(await alert.textContent()).toContain('What would make it allowed');
    await expectAccessible(page, 'a refused configuration');

    await page.getByRole('button', { name: 'Remove Meta Pixel' }).click();
    await page.locator('#advertising-default-on').check();
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await poll(() => alert.textContent()).toContain('PECR-R6-PRIOR-CONSENT');
    await page.locator('#advertising-default-on').uncheck();
  });

  it('saves a YouTube embed and its own visit counter under the statistics exception (version 2); the preview loads the real banner', async () => {
    await page.getByLabel('Add a service from the presets').selectOption('youtube');
    await page.getByRole('button', { name: 'Add service' }).click();
    // The campaign's own visit counter, relying on the statistics exception.
    await page.getByText('Add a service of your own').click();
    await page.getByLabel('Name', { exact: true }).last().fill('Visit counter');
    await page.getByLabel('Who runs it').fill('Exampletown Greens');
    await page.getByLabel('Category', { exact: true }).selectOption('statistics');
    await page.getByLabel('What it is used for').selectOption('statistics');
    await page.getByLabel('Run by the campaign itself (first-party)').check();
    await page.getByLabel('Cookies, one per line').fill('visits | 1 year | Counts visits, in aggregate');
    await page.getByRole('button', { name: 'Add this service' }).click();
    await page.locator('#statistics-exempt').check();
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Configuration saved and published.');
    await poll(() => page.getByRole('table', { name: 'Published versions' }).locator('tbody tr').count()).toBe(2);

    const frame = page.frameLocator('iframe[title^="Preview of the banner"]');
    if (existsSync(`${BANNER_ROOT}/banner.js`)) {
      await poll(() => frame.getByRole('button', { name: 'Reject all' }).count()).toBeGreaterThan(0);
    } else {
      await poll(() => frame.getByText('The banner is not built').count()).toBe(1);
    }
  });

  it('shows a receipt in the consent rates, finds it by consent id, and retires the website', async () => {
    const config = (await server.app.inject({ method: 'GET', url: `/c/${siteId}/config.json` })).json<BannerConfig>();
    const consentId = randomUUID();
    const posted = await server.app.inject({
      method: 'POST',
      url: `/c/${siteId}/receipts`,
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: {
        receiptId: randomUUID(),
        consentId,
        action: 'accept_all',
        categories: { necessary: true, statistics: true, appearance: true, advertising: true, social: true },
        services: { youtube: true },
        configHash: config.configHash,
        revision: config.revision,
        language: 'cy',
        textHash: config.textHashes.cy,
        gpc: false,
        pageUrl: `${ORIGIN}/`,
        clientTime: new Date().toISOString(),
      },
    });
    expect(posted.statusCode).toBe(201);
    await page.reload();
    await poll(() => heading().textContent()).toBe('Campaign website');
    await poll(() => page.getByRole('img', { name: /Share of receipts granting each category/ }).count()).toBe(1);
    await page.getByLabel('Consent ID', { exact: true }).fill(consentId);
    await page.getByRole('button', { name: 'Find receipts' }).click();
    await poll(() => page.getByRole('table', { name: 'Receipts', exact: true }).locator('tbody tr').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Receipts', exact: true }).textContent()).toContain('accept all');
    await expectAccessible(page, 'a website with receipts');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Retire Campaign website' }).click();
    await poll(() => heading().textContent()).toBe('Website consent');
    await poll(() => page.getByText('No websites registered yet.').count()).toBe(1);
    // The 401 is the session check before sign-in; the 422s are the two refusals above.
    const expected = /Failed to load resource: the server responded with a status of (401|422)/;
    expect(consoleErrors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
