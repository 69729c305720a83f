/**
 * DPIAs in the dashboard, end to end in real Chromium against the real server: screen a
 * supporter list matched against Meta's users and see the reasons, start a DPIA, fill a step,
 * see the risk map, watch approval refused by DPIA-RESIDUAL-HIGH, record the ICO consultation
 * and approve, and keep the action plan. axe-core checks every page; any console error (e.g. a
 * Content-Security-Policy violation) fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/app/context.js';
import { updateDpia } from '../../src/app/dpias.js';
import { findUserByEmail } from '../../src/app/users.js';
import { signOff, stepsOneToSix } from '../helpers/dpia.js';
import {
  ensureDashboardBuilt,
  expectAccessible,
  openBrowserPage,
  OWNER,
  setUpCampaign,
  skipAfterFirstFailure,
} from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe('DPIAs in the dashboard (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let owner: Principal;
  let campaignId = '';
  let dpiaId = '';
  let consoleErrors: string[] = [];
  const heading = () => page.getByRole('heading', { level: 1 });

  skipAfterFirstFailure();

  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = await startTestServer();
    server.deps.now = () => new Date('2026-12-01T12:00:00Z');
    ({ browser, page, consoleErrors } = await openBrowserPage());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('screens a supporter list matched against Meta’s users: a DPIA is required, with the reasons', async () => {
    campaignId = await setUpCampaign(page, await server.setupUrl(), {
      name: 'Exampletown Greens',
      controllerType: 'Registered political party',
    });
    owner = { userId: (await findUserByEmail(server.deps, OWNER.email))!.id, via: 'session' };

    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'DPIAs' }).click();
    await poll(() => heading().textContent()).toBe('Data protection impact assessments');
    await poll(() => page.getByText('No DPIAs yet.').count()).toBe(1);
    await expectAccessible(page, 'DPIA list, empty');

    await page.getByRole('link', { name: 'Screen an activity or start a DPIA' }).click();
    await poll(() => heading().textContent()).toBe('Screen for a DPIA');
    await page.getByLabel('What is the activity?').selectOption('custom_audience');
    await page.getByLabel('Platform').fill('Meta');
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'A DPIA is required' }).count()).toBe(1);
    expect(
      await page.getByText('Combining, comparing or matching data from several sources', { exact: true }).count(),
    ).toBe(1);
    expect(await page.getByText('Invisible processing', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('status').first().textContent()).toMatch(/a DPIA is required/);
    // The answers screened are shown, ticked as derived; unticking one and screening again changes the result.
    const hidden = page.getByLabel(/Does it happen out of people’s sight/);
    expect(await hidden.isChecked()).toBe(true);
    await hidden.uncheck();
    await page.getByRole('button', { name: 'Screen again' }).click();
    await poll(() => page.getByText('Invisible processing', { exact: true }).count()).toBe(0);
    await hidden.check();
    await page.getByRole('button', { name: 'Screen again' }).click();
    await poll(() => page.getByText('Invisible processing', { exact: true }).count()).toBe(1);
    await expectAccessible(page, 'DPIA screening with the result');

    await page.getByRole('button', { name: 'Start the DPIA' }).click();
    await poll(() => page.locator('.field-invalid').count()).toBe(1);
    await page.getByLabel('Title').fill('Supporters audience on Meta');
    await page.getByRole('button', { name: 'Start the DPIA' }).click();
    await page.waitForURL(/\/dpias\/[0-9a-f-]{36}$/);
    dpiaId = page.url().split('/dpias/')[1]!;
    await poll(() => heading().textContent()).toBe('Supporters audience on Meta');
  });

  it('edits a step, shows the risk map, refuses approval under DPIA-RESIDUAL-HIGH, then approves', async () => {
    await poll(() => page.getByRole('heading', { name: /Step 2: describe the processing/ }).count()).toBe(1);
    await page.getByLabel('Nature').fill('Hashed emails of supporters uploaded to Meta');
    await page.getByRole('button', { name: 'Save step 2' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Step 2 saved.');
    await expectAccessible(page, 'DPIA editor, draft');

    // The rest of steps 1–7 through the use case, with a risk that stays high.
    await updateDpia(server.deps, owner, campaignId, dpiaId, {
      ...stepsOneToSix({ likelihood: 'probable', severity: 'severe' }),
      ...signOff(),
    });
    await page.reload();
    await poll(() => page.getByRole('table', { name: /Risk map/ }).count()).toBe(1);
    const worst = page.getByRole('row', { name: /Probable/ });
    expect(await worst.textContent()).toMatch(/Before: R1.*After: R1/);

    await page.getByRole('button', { name: 'Send for review' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Sent for review.');
    await page.getByRole('button', { name: 'Approve version 1' }).click();
    const alert = page.getByRole('alert');
    await poll(() => alert.textContent()).toMatch(/DPIA-RESIDUAL-HIGH/);
    await expectAccessible(page, 'DPIA approval refused');

    await page.getByLabel('We consulted the ICO').check();
    await page.getByLabel('Date the ICO was consulted').fill('2026-11-20');
    await page.getByLabel('What was sent to the ICO').fill('The DPIA and our measures');
    await page.getByRole('button', { name: 'Save step 7' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Step 7 saved.');
    await page.getByRole('button', { name: 'Approve version 1' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Approved.');
    // Approved with a warning: the ICO's advice is not recorded yet.
    expect(await page.getByText(/its written advice is not recorded yet/).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Save step 2' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Start a new version' }).count()).toBe(1);
    await expectAccessible(page, 'DPIA approved');
  });

  it('keeps the action plan, flagging what is overdue', async () => {
    await page.getByLabel('Action', { exact: true }).fill('Rewrite the list-matching section of the privacy notice');
    await page.getByLabel('Owner').fill('Comms lead');
    await page.getByLabel('Due date').fill('2026-11-30');
    await page.getByLabel('The risk it addresses').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Add the action' }).click();
    await poll(() => page.getByRole('table', { name: 'Action plan' }).textContent()).toMatch(/Overdue/);
    await page.getByRole('button', { name: /Mark done/ }).click();
    await poll(() => page.getByRole('table', { name: 'Action plan' }).textContent()).toMatch(/Done/);
    await expectAccessible(page, 'DPIA action plan');

    await page.getByRole('link', { name: 'Back to DPIAs' }).click();
    await poll(() => page.getByRole('link', { name: 'Supporters audience on Meta' }).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'DPIAs' }).textContent()).toMatch(/Version 1, review by 1 Jun 2027/);
    await expectAccessible(page, 'DPIA list');
    // 4xx answers the page handled (the session check before sign-in, the refused approval) are logged by the browser.
    expect(
      consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
    ).toEqual([]);
  });
});
