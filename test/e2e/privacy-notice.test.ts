/**
 * The privacy notice in real Chromium against the real server: the DPO's page shows the next
 * version beside the published one and publishes it; the public notice — with no sign-in —
 * puts list matching before the rights, passes axe-core, runs under the strict CSP without a
 * console error, and prints without its navigation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePrivacyNoticeSettings } from '../../src/app/privacy-notice.js';
import { ensureDashboardBuilt, expectAccessible, openBrowserPage, skipAfterFirstFailure } from '../helpers/browser.js';
import { makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { insertSource } from '../helpers/people.js';
import { insertActivity, insertArrangement, META_ESSENCE, OBJECTION_URL } from '../helpers/privacy-notice.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe('privacy notice (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let tc: TestCampaign;
  let consoleErrors: string[] = [];
  const heading = () => page.getByRole('heading', { level: 1 });

  skipAfterFirstFailure();

  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = await startTestServer();
    tc = await makeCampaign(server.deps, 'Exampletown Greens');
    const c = tc.campaign.id;
    await insertSource(server.deps, c, { name: 'Website sign-ups', type: 'web_form' });
    const arrangementId = await insertArrangement(server.deps, c);
    await insertActivity(server.deps, c, { name: 'Supporter email' });
    await insertActivity(server.deps, c, {
      name: 'Supporter adverts on Meta',
      capabilities: ['custom_audiences'],
      arrangementIds: [arrangementId],
    });
    await updatePrivacyNoticeSettings(server.deps, tc.owner.principal, c, { objectionUrl: OBJECTION_URL });
    ({ browser, page, consoleErrors } = await openBrowserPage());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the next version beside the published one, and publishes it', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email address').fill(tc.owner.email);
    await page.getByLabel('Password').fill(tc.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$|\/$/);
    // The sign-in page asks for a session first and is answered 401: expected, not an error of this page.
    consoleErrors.length = 0;
    await page.goto(`${server.url}/c/${tc.campaign.id}/privacy-notice`);
    await poll(() => heading().textContent()).toBe('Privacy notice');
    await poll(() => page.getByRole('heading', { name: /Next version/ }).count()).toBe(1);
    await poll(() => page.getByText('Nothing is published yet.', { exact: false }).isVisible()).toBe(true);
    await expectAccessible(page, 'privacy notice page, nothing published');

    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Published version 1 in English.' }).count()).toBe(1);
    await poll(() => page.getByRole('heading', { name: 'Published version 1' }).count()).toBe(1);
    await poll(() => page.getByRole('button', { name: 'No changes to publish' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'privacy notice page, version 1 published');
    expect(consoleErrors).toEqual([]);
  });

  it('serves the public notice without sign-in: list matching before the rights, accessible, printable', async () => {
    const visitor = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    const publicPage = await visitor.newPage();
    const errors: string[] = [];
    publicPage.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    try {
      const response = await publicPage.goto(`${server.url}/p/${tc.campaign.id}/privacy-notice`);
      expect(response?.status()).toBe(200);
      expect(await publicPage.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Privacy notice: Exampletown Greens',
      );
      const order = await publicPage.locator('main section').evaluateAll((sections) => sections.map((s) => s.id));
      expect(order.indexOf('list-matching')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('list-matching')).toBeLessThan(order.indexOf('rights'));
      const matching = publicPage.locator('section#list-matching');
      expect(await matching.textContent()).toContain('Meta');
      expect(await matching.textContent()).toContain(META_ESSENCE);
      expect(await matching.getByRole('link', { name: OBJECTION_URL }).getAttribute('href')).toBe(OBJECTION_URL);
      await expectAccessible(publicPage, 'public privacy notice');

      // The stylesheet applies (CSP allows it): the contents list is visible on screen, not in print.
      expect(await publicPage.locator('nav.toc').isVisible()).toBe(true);
      await publicPage.emulateMedia({ media: 'print' });
      expect(await publicPage.locator('nav.toc').isVisible()).toBe(false);
      await publicPage.emulateMedia({ media: 'screen' });

      const history = await publicPage.goto(`${server.url}/p/${tc.campaign.id}/privacy-notice/versions`);
      expect(history?.status()).toBe(200);
      expect(await publicPage.getByRole('rowheader', { name: '1 (current)' }).isVisible()).toBe(true);
      await expectAccessible(publicPage, 'public version history');

      const missing = await publicPage.goto(`${server.url}/p/${tc.campaign.id}/privacy-notice?lang=cy`);
      expect(missing?.status()).toBe(404);
      await expectAccessible(publicPage, 'Welsh not yet published');
      // The 404 answers are expected console errors ("Failed to load resource"); nothing else may be.
      expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    } finally {
      await visitor.close();
    }
  });
});
