/**
 * The staff dashboard end to end, in real Chromium against the real server and a fresh
 * database: one campaign's story from the setup link to a second member joining. The steps
 * run in order and share the browser state, as a person's session would. axe-core checks
 * every page, and any console error (e.g. a Content-Security-Policy violation) fails.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installJobSchema } from '../../src/jobs/boss.js';
import { defineJob } from '../../src/jobs/definition.js';
import { createJobRunner, JOB_RUNNER_ACTOR, type JobRunner } from '../../src/jobs/runner.js';
import { ensureDashboardBuilt, expectAccessible, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const OWNER = { name: 'Olivia Owner', email: 'olivia@example.org', password: 'a long and unguessable passphrase' };
const MEMBER = { name: 'Dan Manager', email: 'dan@example.org', password: 'another long passphrase here' };
const CAMPAIGN = 'Exampletown Greens';

/** expect.poll with room for password hashing and the 2-second job polling. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000, interval: 100 });

/**
 * Two real jobs on the real runner: an export that finishes at once, and an import that
 * reports 40 of 100 and then waits, reporting progress, until it is cancelled.
 */
const quickExport = defineJob({
  name: 'test.audience_export',
  version: 1,
  payload: z.object({}).strict(),
  checkpoint: z.object({ done: z.number() }),
  handler: async (ctx) => {
    await ctx.reportProgress(250, 250, { done: 250 });
    return { rows: 250 };
  },
});
const slowImport = defineJob({
  name: 'test.people_import',
  version: 1,
  payload: z.object({}).strict(),
  checkpoint: z.object({ done: z.number() }),
  retryLimit: 0,
  handler: async (ctx) => {
    await ctx.reportProgress(40, 100, { done: 40 });
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await ctx.reportProgress(40, 100, { done: 40 }); // throws once cancellation is requested
    }
  },
});

describe('staff dashboard (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let campaignUrl = '';
  const consoleErrors: string[] = [];
  let jobs: JobRunner;

  const watch = (p: Page, who: string): void => {
    p.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${who}: ${message.text()}`);
    });
    p.on('pageerror', (error) => consoleErrors.push(`${who}: ${error.message}`));
  };

  const heading = (p: Page) => p.getByRole('heading', { level: 1 });

  // The steps tell one story: after a failure, later steps are skipped instead of timing out.
  let broken = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (broken) skip();
    onTestFailed(() => {
      broken = true;
    });
  });

  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = await startTestServer({
      jobs: (database) =>
        (jobs = createJobRunner({ db: database.db, jobs: [quickExport, slowImport], pollIntervalMs: 200 })),
    });
    // Queues are created by the owner at install time (the app role may not create them).
    await installJobSchema(server.database.owner, { jobs: [quickExport, slowImport] });
    await jobs.start();
    browser = await launchBrowser();
    owner = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    page = await owner.newPage();
    page.setDefaultTimeout(10_000);
    watch(page, 'owner');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await jobs?.stop({ graceful: false });
    await server?.close();
  });

  it('serves the dashboard in British English with no inline scripts or styles', async () => {
    const response = await page.goto(`${server.url}/login`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('en-GB');
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await page.locator('[style]').count()).toBe(0);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  });

  it('the setup link leads through the setup form to the new campaign home', async () => {
    await page.goto(await server.setupUrl());
    await poll(() => heading(page).textContent()).toBe('Set up Canvass');
    await expectAccessible(page, 'setup form');

    // Field errors appear next to their fields and are tied to them for assistive technology.
    await page.getByRole('button', { name: 'Create account and campaign' }).click();
    const nameInput = page.getByLabel('Your name');
    await poll(() => nameInput.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await nameInput.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').pop() ?? ''}"]`).textContent()).toContain(
      'Enter your name',
    );
    await poll(() => page.getByRole('alert').first().textContent()).toContain('Please correct the fields');
    await expectAccessible(page, 'setup form with errors');

    await nameInput.fill(OWNER.name);
    await page.getByLabel('Email address').fill(OWNER.email);
    await page.getByLabel('Password').fill('too short');
    await page.getByLabel('Campaign name').fill(CAMPAIGN);
    await page.getByLabel('Type of data controller').selectOption({ label: 'Registered political party' });
    await page.getByLabel('Postal address').fill('1 High Street\nExampletown\nEX1 1AA');
    await page.getByRole('button', { name: 'Create account and campaign' }).click();
    await poll(() => page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Use at least 12 characters').count()).toBe(1);

    await page.getByLabel('Password').fill(OWNER.password);
    // The server's own validation errors land next to the field too.
    await page.getByLabel('ICO registration number').fill('not a number');
    await page.getByRole('button', { name: 'Create account and campaign' }).click();
    const ico = page.getByLabel('ICO registration number');
    await poll(() => ico.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-invalid').textContent()).toContain('ICO registration number');

    await ico.fill('ZA123456');
    await page.getByRole('button', { name: 'Create account and campaign' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    campaignUrl = page.url();
    await poll(() => heading(page).textContent()).toBe(CAMPAIGN);
    expect(await page.getByText('Registered political party · Your role: Owner').count()).toBe(1);
    await expectAccessible(page, 'campaign home');
  });

  it('areas not built yet say so honestly', async () => {
    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'Messages' }).click();
    await poll(() => heading(page).textContent()).toBe('Messages');
    expect(await page.getByText('Not available yet: this area arrives with').count()).toBe(1);
    expect(await page.locator('table').count()).toBe(0);
    await expectAccessible(page, 'empty-state page (Messages)');
  });

  it('signs out and signs back in, showing the error envelope for a wrong password', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await poll(() => page.getByRole('status').first().textContent()).toContain('You have signed out');
    await expectAccessible(page, 'sign-in page');

    await page.goto(campaignUrl);
    await page.waitForURL(/\/login$/);

    await page.getByLabel('Email address').fill(OWNER.email);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await poll(() => alert.count()).toBe(1);
    expect((await alert.textContent())?.length ?? 0).toBeGreaterThan(5);
    await expectAccessible(page, 'sign-in page with an error');

    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(campaignUrl);
    await poll(() => heading(page).textContent()).toBe(CAMPAIGN);
  });

  it('edits the campaign settings', async () => {
    await page.goto(`${campaignUrl}/settings`);
    await poll(() => heading(page).textContent()).toBe('Settings');
    await expectAccessible(page, 'settings page');
    await page.getByLabel('Campaign name').fill(`${CAMPAIGN} 2026`);
    await page.getByLabel('Type of data controller').selectOption('non_party_campaigner');
    await page.getByLabel('DPO name').fill('Priya Protection');
    await page.getByLabel('DPO email').fill('dpo@example.org');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Campaign details saved');
    expect(await page.getByLabel('Campaign name').inputValue()).toBe(`${CAMPAIGN} 2026`);
    expect(await page.locator('.side-nav-name').textContent()).toBe(`${CAMPAIGN} 2026`);

    // Leaving one DPO field empty names that field.
    await page.getByLabel('DPO email').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await poll(() => page.getByLabel('DPO email').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'settings page with an error');

    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'Overview' }).click();
    await poll(() => heading(page).textContent()).toBe(`${CAMPAIGN} 2026`);
    expect(await page.getByText('Priya Protection').count()).toBe(1);
  });

  it('invites a member, who accepts in another browser and joins with the chosen role', async () => {
    await page.goto(`${campaignUrl}/members`);
    await poll(() => heading(page).textContent()).toBe('Members');
    const me = page
      .getByRole('table', { name: /^Members/ })
      .getByRole('row')
      .filter({ hasText: OWNER.email });
    await poll(() => me.count()).toBe(1);
    expect(await me.getByText('You', { exact: true }).count()).toBe(1);
    // No one manages their own membership from here (an owner could lock themselves out).
    expect(await me.getByRole('button').count()).toBe(0);
    await expectAccessible(page, 'members page');

    await page.getByLabel('Email address').fill(MEMBER.email);
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Data manager' });
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const link = page.getByLabel('Invitation link');
    await poll(() => link.count()).toBe(1);
    const acceptUrl = await link.inputValue();
    expect(acceptUrl).toMatch(new RegExp(`^${server.url}/invite#token=.+`));
    expect(await page.getByRole('button', { name: 'Copy' }).count()).toBe(1);
    await expectAccessible(page, 'members page with an invitation link');

    // A second, unrelated browser: the invitee has no account yet.
    const invitee = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    try {
      const other = await invitee.newPage();
      other.setDefaultTimeout(10_000);
      watch(other, 'invitee');
      await other.goto(acceptUrl);
      await poll(() => heading(other).textContent()).toBe(`Join ${CAMPAIGN} 2026`);
      expect(await other.getByText('Data manager', { exact: true }).count()).toBe(1);
      expect(await other.getByText(MEMBER.email).count()).toBeGreaterThan(0);
      await expectAccessible(other, 'invitation page');

      await other.getByLabel('Your name').fill(MEMBER.name);
      await other.getByLabel('Choose a password').fill(MEMBER.password);
      await other.getByRole('button', { name: 'Accept invitation' }).click();
      await other.waitForURL(campaignUrl);
      await poll(() => heading(other).textContent()).toBe(`${CAMPAIGN} 2026`);
      expect(await other.getByText('Your role: Data manager').count()).toBeGreaterThan(0);

      // Controls follow the abilities the server computed for the role.
      const nav = other.getByRole('navigation', { name: 'Campaign' });
      expect(await nav.getByRole('link', { name: 'Jobs' }).count()).toBe(1);
      expect(await nav.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
      await other.goto(`${campaignUrl}/settings`);
      await poll(() => other.getByText('Only an owner can change these details.').count()).toBe(1);
      expect(await other.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    } finally {
      await invitee.close();
    }

    // Back with the owner: the new member is listed with the role, and the role can change.
    await page.reload();
    const membersTable = page.getByRole('table', { name: /^Members/ });
    const row = membersTable.getByRole('row').filter({ hasText: MEMBER.email });
    await poll(() => row.count()).toBe(1);
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('Data manager');
    await row.getByLabel(`Role for ${MEMBER.name}`).selectOption('organiser');
    await row.getByRole('button', { name: `Change role of ${MEMBER.name}` }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain(`${MEMBER.name} is now Organiser`);
    await poll(() => row.getByRole('cell').nth(1).textContent()).toBe('Organiser');
    const invitation = page
      .getByRole('table', { name: 'Invitations' })
      .getByRole('row')
      .filter({ hasText: MEMBER.email });
    expect(await invitation.getByText('Accepted').count()).toBe(1);
  });

  it('revokes a pending invitation and removes a member', async () => {
    await page.getByLabel('Email address').fill('not-needed@example.org');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await poll(() => page.getByLabel('Invitation link').count()).toBe(1);
    const pending = page.getByRole('row').filter({ hasText: 'not-needed@example.org' });
    await poll(() => pending.getByText('Pending').count()).toBe(1);
    await pending.getByRole('button', { name: 'Revoke invitation for not-needed@example.org' }).click();
    await poll(() => pending.getByText('Revoked').count()).toBe(1);
    expect(await page.getByLabel('Invitation link').count()).toBe(0);

    const membersTable = page.getByRole('table', { name: /^Members/ });
    const row = membersTable.getByRole('row').filter({ hasText: MEMBER.email });
    await row.getByRole('button', { name: `Remove ${MEMBER.name}` }).click();
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('was removed');
    await poll(() => row.count()).toBe(0);
    await expectAccessible(page, 'members page after changes');
  });

  it('shows the audit trail, and verifying the chain says it is intact', async () => {
    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'Audit trail' }).click();
    await poll(() => heading(page).textContent()).toBe('Audit trail');
    const rows = page.locator('tbody tr');
    await poll(() => rows.count()).toBeGreaterThan(5);
    for (const label of [
      'Campaign created',
      'Member joined',
      'Member invited',
      'Member role changed',
      'Invitation revoked',
      'Member removed',
      'Campaign details changed',
    ]) {
      expect(await page.getByRole('cell', { name: label }).count(), label).toBeGreaterThan(0);
    }
    // The member has been removed, so the trail can no longer name them; it still shows what changed.
    expect(await page.getByRole('cell', { name: /: Data manager → Organiser$/ }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'Olivia Owner' }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'audit page');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Verified: the audit trail is intact');
    expect(await page.getByRole('status').first().textContent()).toMatch(/\d+ events checked, up to event \d+/);
    await expectAccessible(page, 'audit page after verification');
  });

  it('lists jobs with progress, cancels a running one and polls until it stops', async () => {
    const campaignId = /\/c\/([0-9a-f-]{36})/.exec(campaignUrl)![1]!;
    const exportRun = await jobs.enqueue({
      campaignId,
      name: 'test.audience_export',
      payload: {},
      createdBy: null,
      actor: JOB_RUNNER_ACTOR,
    });
    await poll(async () => (await jobs.getJob(campaignId, exportRun.jobId))?.status).toBe('completed');
    const importRun = await jobs.enqueue({
      campaignId,
      name: 'test.people_import',
      payload: {},
      createdBy: null,
      actor: JOB_RUNNER_ACTOR,
    });
    await poll(async () => (await jobs.getJob(campaignId, importRun.jobId))?.progress.done).toBe(40);
    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'Jobs' }).click();
    await poll(() => heading(page).textContent()).toBe('Jobs');
    const running = page.getByRole('row').filter({ hasText: 'test.people_import' });
    await poll(() => running.getByText('Running').count()).toBe(1);
    expect(await running.getByText('40 of 100 (40%)').count()).toBe(1);
    const done = page.getByRole('row').filter({ hasText: 'test.audience_export' });
    expect(await done.getByText('Completed').count()).toBe(1);
    expect(await done.getByRole('button', { name: /Cancel/ }).count()).toBe(0);
    await expectAccessible(page, 'jobs page');

    await running.getByRole('button', { name: 'Cancel test.people_import' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Cancellation requested');
    expect((await jobs.getJob(campaignId, importRun.jobId))?.cancelRequestedAt).not.toBeNull();
    // The page polls every 2 seconds while a job runs; the next poll shows it cancelled.
    await poll(() => running.getByText('Cancelled').count()).toBe(1);
    expect(await running.getByRole('button', { name: /Cancel/ }).count()).toBe(0);
  });

  it('manages the account: name, password and a personal API token shown once', async () => {
    await page
      .getByRole('banner')
      .getByRole('link', { name: /Account/ })
      .click();
    await poll(() => heading(page).textContent()).toBe('Your account');
    await expectAccessible(page, 'account page');

    await page.getByLabel('Display name').fill('Olivia O.');
    await page.getByRole('button', { name: 'Save name' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Your name was saved');
    expect(await page.getByRole('banner').getByText('Olivia O.').count()).toBe(1);

    await page.getByLabel('Current password').fill('wrong wrong wrong');
    await page.getByLabel('New password').fill('a brand new long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await poll(() => page.getByRole('alert').count()).toBe(1);
    await page.getByLabel('Current password').fill(OWNER.password);
    await page.getByLabel('New password').fill('a brand new long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Your password was changed');

    await page.getByLabel('Token name').fill('nightly export script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByLabel('Token secret');
    await poll(() => secret.count()).toBe(1);
    const value = await secret.inputValue();
    expect(value.length).toBeGreaterThan(20);
    const tokenRow = page.getByRole('row').filter({ hasText: 'nightly export script' });
    await poll(() => tokenRow.count()).toBe(1);
    expect(await tokenRow.textContent()).not.toContain(value);
    await expectAccessible(page, 'account page with a new token');

    // The token works for the API, then stops working once revoked.
    const viaToken = await fetch(`${server.url}/api/account`, { headers: { authorization: `Bearer ${value}` } });
    expect(viaToken.status).toBe(200);
    await tokenRow.getByRole('button', { name: 'Revoke token nightly export script' }).click();
    await poll(() => tokenRow.count()).toBe(0);
    expect(await page.getByLabel('Token secret').count()).toBe(0);
    const afterRevoke = await fetch(`${server.url}/api/account`, { headers: { authorization: `Bearer ${value}` } });
    expect(afterRevoke.status).toBe(401);
  });

  it('creates another campaign and switches between campaigns', async () => {
    await page.goto(campaignUrl);
    await page.getByText('Create another campaign').click();
    await page.getByLabel('Campaign name').fill('Keep Exampletown Library Open');
    await page.getByLabel('Type of data controller').selectOption('referendum_campaigner');
    await page.getByLabel('Postal address').fill('2 Library Lane, Exampletown');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await poll(() => heading(page).textContent()).toBe('Keep Exampletown Library Open');
    expect(page.url()).not.toBe(campaignUrl);

    const switcher = page.getByLabel('Switch campaign');
    await switcher.selectOption({ label: `${CAMPAIGN} 2026` });
    await page.getByRole('button', { name: 'Go' }).click();
    await page.waitForURL(campaignUrl);
    await poll(() => heading(page).textContent()).toBe(`${CAMPAIGN} 2026`);
    expect(await page.getByRole('link', { name: /Keep Exampletown Library Open/ }).count()).toBe(1);
    await expectAccessible(page, 'campaign home with two campaigns');
  });

  it('says so when repeated wrong passwords lock an account', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    const alert = page.getByRole('alert');
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await page.getByLabel('Email address').fill(MEMBER.email);
      await page.getByLabel('Password').fill(`wrong password ${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await poll(() => alert.textContent()).toMatch(/./);
      if (/locked/i.test((await alert.textContent()) ?? '')) break;
      await poll(() => page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    }
    expect(await alert.textContent()).toMatch(/locked until \d\d:\d\d/);
    await expectAccessible(page, 'sign-in page, account locked');
  });

  it('logged no console errors or Content-Security-Policy violations', () => {
    expect(
      consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
    ).toEqual([]);
  });
});
