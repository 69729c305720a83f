/**
 * The people database in the dashboard, end to end in real Chromium against the real server,
 * the real import job and a fresh database: set up a campaign, add sources, watch a rule
 * refuse an import, import a small CSV through the wizard and see its counts, find a person,
 * record consent and an objection, erase a person, add a person by hand and tag them, and
 * record an objection by email alone. axe-core checks every page, and any
 * console error (e.g. a Content-Security-Policy violation) fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installJobSchema } from '../../src/jobs/boss.js';
import { JOBS } from '../../src/jobs/registry.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import {
  ensureDashboardBuilt,
  expectAccessible,
  openBrowserPage,
  setUpCampaign,
  skipAfterFirstFailure,
} from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Small batches, so that a few thousand rows take long enough to watch and to cancel.
vi.hoisted(() => {
  process.env.CANVASS_IMPORT_BATCH = '20';
});

const CAMPAIGN = 'Exampletown Greens';

/** Five records: two new people, the first again in another case (merged), one with no identifier, one blank. */
const CSV = [
  'First name,Last name,Email,Phone,Postcode,Ward',
  'Ada,Lovelace,ada@example.org,07911 123456,SW1A 1AA,Central',
  'Alan,Turing, ALAN@example.org ,,,North',
  'Ada,Lovelace,Ada@Example.ORG,,,Central',
  '',
  'Nobody,Here,,,,North',
  '',
].join('\n');

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe('people, sources and imports in the dashboard (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let jobs: JobRunner;
  let campaignUrl = '';
  let consoleErrors: string[] = [];

  const heading = () => page.getByRole('heading', { level: 1 });
  const nav = () => page.getByRole('navigation', { name: 'Campaign' });
  const status = () => page.getByRole('status').first();
  /** A figure of an import's summary, by its label (Created, Merged, …). */
  const summaryCount = (label: string) =>
    page
      .locator('.counts > div')
      .filter({ has: page.getByText(label, { exact: true }) })
      .locator('dd')
      .textContent();

  skipAfterFirstFailure();

  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = await startTestServer({
      jobs: (database) => (jobs = createJobRunner({ db: database.db, jobs: JOBS, pollIntervalMs: 200 })),
    });
    await installJobSchema(server.database.owner, { jobs: JOBS });
    await jobs.start();
    ({ browser, page, consoleErrors } = await openBrowserPage());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await jobs?.stop({ graceful: false });
    await server?.close();
  });

  it('sets up a campaign and signs in; People starts empty and points to the import wizard', async () => {
    await setUpCampaign(page, await server.setupUrl(), {
      name: CAMPAIGN,
      controllerType: 'Registered political party',
    });
    campaignUrl = page.url();

    await nav().getByRole('link', { name: 'People' }).click();
    await poll(() => heading().textContent()).toBe('People');
    await poll(() => page.getByText('No people yet.').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Import people from a CSV file' }).count()).toBe(1);
    await expectAccessible(page, 'people page, empty');
  });

  it('adds sources, with the fields each type of source needs', async () => {
    await nav().getByRole('link', { name: 'Sources' }).click();
    await poll(() => heading().textContent()).toBe('Sources');
    await poll(() => page.getByText('No sources yet.').count()).toBe(1);
    await expectAccessible(page, 'sources page, empty');

    await page.getByRole('link', { name: 'Add a source' }).click();
    await poll(() => heading().textContent()).toBe('Add a source');
    // A broker needs due diligence and an Art 14 plan; a petition a compatibility assessment.
    const type = page.getByLabel('Type of source');
    await type.selectOption('data_broker');
    await poll(() => page.getByRole('group', { name: 'Due diligence on the supplier' }).count()).toBe(1);
    expect(await page.getByLabel('Plan for the Art 14 privacy notice').count()).toBe(1);
    expect(await page.getByLabel('Compatibility assessment (Art 6(4))').count()).toBe(0);
    await expectAccessible(page, 'source form, data broker');
    await type.selectOption('petition');
    await poll(() => page.getByRole('group', { name: 'Due diligence on the supplier' }).count()).toBe(0);
    expect(await page.getByLabel('Plan for the Art 14 privacy notice').count()).toBe(0);
    expect(await page.getByLabel('Compatibility assessment (Art 6(4))').count()).toBe(1);

    // Errors land next to their fields.
    await page.getByRole('button', { name: 'Add source' }).click();
    const name = page.getByLabel('Name', { exact: true });
    await poll(() => name.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'source form with an error');

    await name.fill('Save the library petition');
    await page.getByLabel('Lawful basis (UK GDPR Art 6)').selectOption('legitimate_interests');
    await page
      .getByLabel('Reasons for the lawful basis')
      .fill('Signatories asked to be kept informed; balancing test on file.');
    await page.getByRole('button', { name: 'Add source' }).click();
    await poll(() => heading().textContent()).toBe('Save the library petition');
    await poll(() => status().textContent()).toContain('Source added');
    await expectAccessible(page, 'source page');

    // A broker source without its due-diligence record: imports from it are refused.
    await page.goto(`${campaignUrl}/sources/new`);
    await poll(() => heading().textContent()).toBe('Add a source');
    await page.getByLabel('Name', { exact: true }).fill('Bought list');
    await page.getByLabel('Type of source').selectOption('data_broker');
    await page.getByLabel('Lawful basis (UK GDPR Art 6)').selectOption('consent');
    await page.getByRole('button', { name: 'Add source' }).click();
    await poll(() => heading().textContent()).toBe('Bought list');

    await nav().getByRole('link', { name: 'Sources' }).click();
    await poll(() => page.getByRole('link', { name: 'Save the library petition' }).count()).toBe(1);
    await expectAccessible(page, 'sources page');
  });

  it('shows a refusal with each rule, its citation and what would allow it', async () => {
    await page.goto(`${campaignUrl}/imports/new`);
    await poll(() => heading().textContent()).toBe('Import people');
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'bought.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByLabel('Source', { exact: true }).selectOption({ label: 'Bought list (Data broker)' });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await poll(() => page.getByRole('heading', { name: '3. Choose what each column holds' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Start import' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'The import was refused' });
    await poll(() => refusal.count()).toBe(1);
    expect(await refusal.textContent()).toContain('TP-BROKER-DUE-DILIGENCE');
    expect(await refusal.textContent()).toContain('What would make it allowed');
    await expectAccessible(page, 'import wizard, refused');
  });

  it('imports a CSV through the wizard, and shows the counts and the report', async () => {
    await nav().getByRole('link', { name: 'Imports' }).click();
    await poll(() => heading().textContent()).toBe('Imports');
    await expectAccessible(page, 'imports page');
    await page.getByRole('link', { name: 'Import a file' }).click();
    await poll(() => heading().textContent()).toBe('Import people');
    await expectAccessible(page, 'import wizard, upload');

    // Errors first: nothing chosen.
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await poll(() => page.getByLabel('CSV file').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'import wizard, upload with errors');

    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'supporters.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByLabel('Source', { exact: true }).selectOption({ label: 'Save the library petition (Petition)' });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await poll(() => page.getByRole('heading', { name: '3. Choose what each column holds' }).count()).toBe(1);
    const sample = page.getByRole('table', { name: 'The header and the first rows of the file' });
    expect(await sample.getByRole('cell', { name: 'ada@example.org', exact: true }).count()).toBe(1);
    // The suggested mapping, editable per column.
    expect(await page.getByLabel('Field for column Email').inputValue()).toBe('email');
    expect(await page.getByLabel('Field for column First name').inputValue()).toBe('first_name');
    await page.getByLabel('Field for column Ward').selectOption('attribute');
    await page.getByLabel('Attribute name for Ward').fill('ward');
    await expectAccessible(page, 'import wizard, mapping');

    await page.getByRole('button', { name: 'Start import' }).click();
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    await poll(() => heading().textContent()).toBe('Import of supporters.csv');
    // The petition source has no compatibility assessment: allowed, with the warning shown.
    await poll(() => page.getByRole('heading', { name: 'Warnings' }).count()).toBe(1);
    expect(await page.getByText('PURP-COMPATIBLE-REUSE').count()).toBe(1);
    await poll(() => page.getByText('Completed', { exact: true }).count()).toBe(1);
    expect(await summaryCount('Created')).toBe('2');
    expect(await summaryCount('Merged')).toBe('1');
    expect(await summaryCount('Rejected')).toBe('1');
    expect(await summaryCount('Suppressed')).toBe('0');
    const report = page.getByRole('link', { name: 'Download report (CSV)' });
    expect(await report.count()).toBe(1);
    const href = (await report.getAttribute('href')) ?? '';
    const response = await page.request.get(`${server.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    expect(await response.text()).toMatch(/no identifier/i);
    await expectAccessible(page, 'import page, completed');

    await nav().getByRole('link', { name: 'Imports' }).click();
    const row = page.getByRole('row').filter({ hasText: 'supporters.csv' });
    await poll(() => row.getByText('Completed').count()).toBe(1);
    await expectAccessible(page, 'imports page with an import');
  });

  it('lists and searches people, and shows each value with its provenance', async () => {
    await nav().getByRole('link', { name: 'People' }).click();
    await poll(() => heading().textContent()).toBe('People');
    const table = page.getByRole('table', { name: 'People' });
    await poll(() => table.getByRole('row').count()).toBe(3); // header + Ada + Alan
    await expectAccessible(page, 'people page');

    await page.getByLabel('Search').fill('ada@example.org');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await poll(() => table.getByRole('row').count()).toBe(2);
    expect(page.url()).toContain('q=ada%40example.org');
    await expectAccessible(page, 'people page, searched');
    await table.getByRole('link', { name: 'Ada Lovelace' }).click();

    await poll(() => heading().textContent()).toBe('Ada Lovelace');
    const values = page.getByRole('table', { name: 'Every value held, with where it came from' });
    const email = values.getByRole('row').filter({ hasText: 'ada@example.org' }).first();
    await poll(() => email.count()).toBe(1);
    expect(await email.textContent()).toContain('Save the library petition');
    expect(await email.textContent()).toContain('Legitimate interests');
    expect(await values.getByRole('row').filter({ hasText: 'Central' }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'person page');
  });

  it('records consent, with the exact wording kept in the history', async () => {
    await page.locator('summary', { hasText: 'Record consent' }).click();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Record consent' }) });
    await form.getByRole('button', { name: 'Record consent' }).click();
    await poll(() => form.getByLabel('Purpose').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'person page, consent form with errors');

    await form.getByLabel('Purpose').fill('campaign_updates');
    await form.getByLabel('Email', { exact: true }).check();
    await form.getByLabel('SMS', { exact: true }).check();
    await form.getByLabel('How consent was given').fill('web form');
    await form
      .getByLabel('Exact wording shown to the person')
      .fill('Yes, email and text me about the library campaign.');
    await form.getByLabel('Version of the wording').fill('v1');
    await form.getByRole('button', { name: 'Record consent' }).click();
    await poll(() => status().textContent()).toContain('Consent recorded for campaign_updates: 2 channels');
    const current = page.getByRole('table', { name: 'Current consent by purpose and channel' });
    await poll(() => current.getByText('Granted').count()).toBe(2);
    await page.getByText('Version v1').first().click();
    await poll(() => page.getByText('Yes, email and text me about the library campaign.').first().isVisible()).toBe(
      true,
    );
    await expectAccessible(page, 'person page with consent');
  });

  it('records an objection, explained as absolute', async () => {
    await page.locator('summary', { hasText: 'Record an objection' }).click();
    await poll(() => page.getByText('An objection to direct marketing is absolute').isVisible()).toBe(true);
    await expectAccessible(page, 'person page, objection form');
    await page.getByLabel('How the objection arrived').fill('phone');
    await page.getByRole('button', { name: 'Record objection' }).click();
    await poll(() => status().textContent()).toContain('Objection recorded');
    await poll(() => page.getByText(/^Objected to direct marketing/).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Objections to direct marketing' }).getByText('phone').count()).toBe(
      1,
    );
    await expectAccessible(page, 'person page, objected');
  });

  it('erases the person after a confirmation, and says the suppression entries were kept', async () => {
    await page.getByRole('button', { name: 'Erase Ada Lovelace…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase Ada Lovelace?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await expectAccessible(page, 'erase dialog');
    await dialog.getByRole('button', { name: 'Erase permanently' }).click();
    await poll(() => dialog.getByLabel('Reason for erasure').getAttribute('aria-invalid')).toBe('true');

    // Keeping the person closes the dialog and returns focus to the button that opened it.
    await dialog.getByRole('button', { name: 'Keep this person' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    await poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe('Erase Ada Lovelace…');

    await page.getByRole('button', { name: 'Erase Ada Lovelace…' }).click();
    await dialog.getByLabel('Reason for erasure').fill('Erasure request received by phone on 29 November 2026.');
    await dialog.getByRole('button', { name: 'Erase permanently' }).click();
    await poll(() => heading().textContent()).toBe('Person erased');
    expect(await status().textContent()).toMatch(/suppression/i);
    await expectAccessible(page, 'person erased');

    await page.getByRole('link', { name: 'Back to people' }).click();
    const table = page.getByRole('table', { name: 'People' });
    await poll(() => table.getByRole('row').count()).toBe(2); // header + Alan
  });

  it('screens a later import against the objection that survived erasure, and starts the Art 14 clock', async () => {
    // An open-register source: the people did not give us their data, so an Art 14 plan is asked for.
    await page.goto(`${campaignUrl}/sources/new`);
    await poll(() => heading().textContent()).toBe('Add a source');
    await page.getByLabel('Name', { exact: true }).fill('Open register 2026');
    await page.getByLabel('Type of source').selectOption('open_register');
    await page.getByLabel('Lawful basis (UK GDPR Art 6)').selectOption('public_task');
    await page.getByLabel('Reasons for the lawful basis').fill('Contacting electors is democratic engagement.');
    await page
      .getByLabel('Plan for the Art 14 privacy notice')
      .fill('A letter with our privacy notice within 2 weeks.');
    await page.getByRole('button', { name: 'Add source' }).click();
    await poll(() => heading().textContent()).toBe('Open register 2026');

    await page.goto(`${campaignUrl}/imports/new`);
    await poll(() => heading().textContent()).toBe('Import people');
    const register = ['Email,First name,Last name', 'ADA@example.org,Ada,Lovelace', 'grace@example.org,Grace,Hopper'];
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(register.join('\r\n')) });
    await page
      .getByLabel('Source', { exact: true })
      .selectOption({ label: 'Open register 2026 (Open (edited) electoral register)' });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await poll(() => page.getByRole('heading', { name: '3. Choose what each column holds' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    await poll(() => page.getByText('Completed', { exact: true }).count()).toBe(1);
    expect(await page.getByText('TR-ART14-ONE-MONTH').count()).toBe(1);
    expect(await summaryCount('Created')).toBe('1');
    expect(await summaryCount('Suppressed')).toBe('1');
    const href = (await page.getByRole('link', { name: 'Download report (CSV)' }).getAttribute('href')) ?? '';
    expect(await (await page.request.get(`${server.url}${href}`)).text()).toContain('DM-OBJECTION-ABSOLUTE');
    await expectAccessible(page, 'import page, with a suppressed row');

    await nav().getByRole('link', { name: 'People' }).click();
    const table = page.getByRole('table', { name: 'People' });
    const grace = table.getByRole('row').filter({ hasText: 'Grace Hopper' });
    await poll(() => grace.getByText('Notice due').count()).toBe(1);
    await grace.getByRole('link', { name: 'Grace Hopper' }).click();
    await poll(() => heading().textContent()).toBe('Grace Hopper');
    await page.locator('summary', { hasText: 'Record the notice as sent' }).click();
    await expectAccessible(page, 'person page, Art 14 notice form');
    await page.getByLabel('How it was sent').fill('letter');
    await page.getByRole('button', { name: 'Record notice sent' }).click();
    await poll(() => status().textContent()).toContain('The privacy notice was recorded as sent');
    await poll(() => page.getByText('Notice sent', { exact: true }).count()).toBe(1);
  });

  it('adds a person by hand from a manual-entry source made on the spot, showing its lawful basis', async () => {
    await nav().getByRole('link', { name: 'People' }).click();
    await poll(() => heading().textContent()).toBe('People');
    await page.getByRole('link', { name: 'Add a person' }).click();
    await poll(() => heading().textContent()).toBe('Add a person');
    await page.locator('summary', { hasText: 'Add a manual-entry source' }).click();
    const quick = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add source' }) });
    await quick.getByLabel('Lawful basis (UK GDPR Art 6)').selectOption('legitimate_interests');
    await quick
      .getByLabel('Reasons for the lawful basis')
      .fill('People who give us their details expect to hear back.');
    await quick.getByRole('button', { name: 'Add source' }).click();
    const source = page.getByLabel('Source', { exact: true });
    await poll(() => source.locator('option:checked').textContent()).toBe('Manual entry (Manual entry)');
    expect(await page.getByText('Lawful basis:').locator('..').textContent()).toContain('Legitimate interests');

    // A bad value is named on its field.
    await page.getByLabel('First name').fill('Katherine');
    await page.getByLabel('Last name').fill('Johnson');
    await page.getByLabel('Email address').fill('katherine@');
    await page.getByRole('button', { name: 'Add person' }).click();
    await poll(() => page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'add a person, with an error');

    await page.getByLabel('Email address').fill('katherine@example.org');
    await page.getByRole('button', { name: 'Add person' }).click();
    await poll(() => heading().textContent()).toBe('Katherine Johnson');
    await poll(() => status().textContent()).toContain('Person added.');
    const values = page.getByRole('table', { name: 'Every value held, with where it came from' });
    const email = values.getByRole('row').filter({ hasText: 'katherine@example.org' });
    expect(await email.textContent()).toMatch(/Provided by the person.*Manual entry.*Legitimate interests/);
  });

  it('adds a tag on the person page, with the source and kind of that fact', async () => {
    await page.locator('summary', { hasText: 'Add a tag' }).click();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add tag' }) });
    await form.getByLabel('Tag', { exact: true }).fill('Volunteer');
    await form.getByLabel(/^Observed/).check();
    await expectAccessible(page, 'person page, tag form');
    await form.getByRole('button', { name: 'Add tag' }).click();
    await poll(() => status().textContent()).toContain('Tag Volunteer added.');
    const tag = page.getByRole('region', { name: 'Tags', exact: true }).getByRole('listitem');
    await poll(() => tag.count()).toBe(1);
    expect(await tag.textContent()).toMatch(/^Volunteer.*Observed · Manual entry/);

    // On the Tags and lists page: in use, so it can be archived but not deleted.
    await nav().getByRole('link', { name: 'Tags and lists' }).click();
    await poll(() => heading().textContent()).toBe('Tags and lists');
    const row = page
      .getByRole('table', { name: /^Tags,/ })
      .getByRole('row')
      .filter({ hasText: 'Volunteer' });
    await poll(() => row.getByRole('link', { name: '1 person on Volunteer' }).count()).toBe(1);
    expect(await row.getByRole('button', { name: 'Delete Volunteer' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Archive Volunteer' }).click();
    await poll(() => status().textContent()).toContain('The tag Volunteer was archived');
    await poll(() => row.getByText('Archived', { exact: true }).count()).toBe(1);
    await expectAccessible(page, 'tags and lists');
  });

  it('archives and restores a source from the sources page', async () => {
    await nav().getByRole('link', { name: 'Sources' }).click();
    await poll(() => heading().textContent()).toBe('Sources');
    const row = page.getByRole('row').filter({ hasText: 'Bought list' });
    await row.getByRole('button', { name: 'Archive Bought list' }).click();
    await poll(() => status().textContent()).toContain('Bought list was archived');
    await poll(() => row.getByText('Archived', { exact: true }).count()).toBe(1);
    await expectAccessible(page, 'sources page, a source archived');
    await row.getByRole('button', { name: 'Restore Bought list' }).click();
    await poll(() => status().textContent()).toContain('Bought list was restored');
  });

  it('records an objection by email alone; adding that person by hand is then refused with the rule', async () => {
    await nav().getByRole('link', { name: 'Record an objection' }).click();
    await poll(() => heading().textContent()).toBe('Record an objection');
    await page.getByLabel('Email address').fill('hedy@example.org');
    await page.getByLabel('How the objection arrived').fill('letter');
    await expectAccessible(page, 'record an objection');
    await page.getByRole('button', { name: 'Record objection' }).click();
    const result = page.getByRole('status').filter({ hasText: 'Objection recorded' });
    await poll(() => result.count()).toBe(1);
    expect(await result.textContent()).toContain('1 suppression entry was recorded, for the email address given');
    expect(await result.textContent()).toContain('Suppression entries survive erasure');
    expect(await result.textContent()).toContain('No one held in this campaign has these details.');
    await expectAccessible(page, 'objection recorded');

    await page.goto(`${campaignUrl}/people/new`);
    await poll(() => heading().textContent()).toBe('Add a person');
    await page.getByLabel('Email address').fill('HEDY@example.org');
    await page.getByRole('button', { name: 'Add person' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'This person cannot be added' });
    await poll(() => refusal.count()).toBe(1);
    expect(await refusal.textContent()).toContain('DM-OBJECTION-ABSOLUTE');
    expect(await refusal.textContent()).toContain('matches a suppression entry');
    await expectAccessible(page, 'add a person, refused');
  });

  it('shows each member only the actions their role allows', async () => {
    await page.goto(`${campaignUrl}/members`);
    await poll(() => heading().textContent()).toBe('Members');
    await page.getByLabel('Email address').fill('oscar@example.org');
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Organiser' });
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const link = page.getByLabel('Invitation link');
    await poll(() => link.count()).toBe(1);
    const acceptUrl = await link.inputValue();

    const organiser = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    try {
      const other = await organiser.newPage();
      other.setDefaultTimeout(15_000);
      other.on('pageerror', (error) => consoleErrors.push(`organiser: ${error.message}`));
      await other.goto(acceptUrl);
      await other.getByLabel('Your name').fill('Oscar Organiser');
      await other.getByLabel('Choose a password').fill('an organiser passphrase of some length');
      await other.getByRole('button', { name: 'Accept invitation' }).click();
      await other.waitForURL(campaignUrl);
      const otherNav = other.getByRole('navigation', { name: 'Campaign' });
      await poll(() => otherNav.getByRole('link', { name: 'People' }).count()).toBe(1);
      expect(await otherNav.getByRole('link', { name: 'Imports' }).count()).toBe(0);

      await other.goto(`${campaignUrl}/people?q=alan%40example.org`);
      const table = other.getByRole('table', { name: 'People' });
      await poll(() => table.getByRole('row').count()).toBe(2);
      expect(await other.getByRole('link', { name: 'Import people' }).count()).toBe(0);
      await table.getByRole('link', { name: 'Alan Turing' }).click();
      await poll(() => other.getByRole('heading', { level: 1 }).textContent()).toBe('Alan Turing');
      // An organiser records consent and objections, but does not erase.
      expect(await other.locator('summary', { hasText: 'Record consent' }).count()).toBe(1);
      expect(await other.locator('summary', { hasText: 'Record an objection' }).count()).toBe(1);
      expect(await other.getByRole('heading', { name: 'Erase this person' }).count()).toBe(0);
      await expectAccessible(other, 'person page as an organiser');

      await other.goto(`${campaignUrl}/sources`);
      await poll(() => other.getByRole('link', { name: 'Save the library petition' }).count()).toBe(1);
      expect(await other.getByRole('link', { name: 'Add a source' }).count()).toBe(0);
      await other.goto(`${campaignUrl}/imports/new`);
      await poll(() => other.getByRole('heading', { level: 1 }).textContent()).toBe('Not available to your role');
    } finally {
      await organiser.close();
    }
  });

  // On PGlite the import job's batches run back to back on the one in-process connection and
  // starve the event loop, so progress polls (and Playwright, in this process) wait until it
  // ends; live progress is checked on PostgreSQL, as in production.
  it.runIf(process.env.CANVASS_TEST_DATABASE === 'postgres')(
    'shows a long import live, and cancels it',
    { timeout: 150_000 },
    async () => {
      const rows = ['Email,First name'];
      for (let i = 0; i < 40_000; i += 1) rows.push(`bulk${i}@example.net,Bulk`);
      await page.goto(`${campaignUrl}/imports/new`);
      await poll(() => heading().textContent()).toBe('Import people');
      await page
        .getByLabel('CSV file')
        .setInputFiles({ name: 'bulk.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
      await page.getByLabel('Source', { exact: true }).selectOption({ label: 'Save the library petition (Petition)' });
      await page.getByRole('button', { name: 'Upload and preview' }).click();
      await poll(() => page.getByRole('heading', { name: '3. Choose what each column holds' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Start import' }).click();
      await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
      const progress = page.locator('.progress-text');
      await poll(() => progress.textContent()).toMatch(/^[\d,]+ (of [\d,]+ )?rows/);
      const first = (await progress.textContent()) ?? '';
      await poll(() => progress.textContent()).not.toBe(first); // it moves while we watch
      await expectAccessible(page, 'import page, running');
      await page.getByRole('button', { name: 'Cancel import' }).click();
      await expect
        .poll(() => page.getByText('Cancelled', { exact: true }).count(), { timeout: 60_000, interval: 250 })
        .toBe(1);
      expect(await status().textContent()).toContain('Cancellation requested');
      const created = Number(((await summaryCount('Created')) ?? '').replaceAll(',', ''));
      expect(created).toBeGreaterThan(0);
      expect(created).toBeLessThan(40_000);
      expect(await page.getByRole('link', { name: 'Download report (CSV)' }).count()).toBe(1);
    },
  );

  it('logged no console errors or Content-Security-Policy violations', () => {
    expect(
      consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
    ).toEqual([]);
  });
});
