/**
 * Audiences in the dashboard, end to end in real Chromium against the real server:
 *  - the builder: labelled controls, a missing name or activity tied to its field;
 *  - the preview of a Meta audience built from a tag: the objector, the person never given a
 *    list-matching notice and the person whose consent does not cover list matching are each
 *    counted by reason, in the chart and its table;
 *  - writing the files (the download is audited, the file holds hashes, not addresses),
 *    recording the upload: the audience is live;
 *  - a lookalike seed built from it that refuses people never told, then an export refused by
 *    the server after the preview allowed it (a new person never told), shown in plain words
 *    with the rule, then changed to leave them out;
 *  - a person in the live audience objects (through the app layer): the pending removal shows
 *    as counts, the seed is flagged for rebuild, the removal file is written and confirmed;
 *  - a LinkedIn audience refused with ONL-PLATFORM-ELIGIBILITY, its citation, its fix and where
 *    it is fixed; then retired;
 *  - the list's last-export column, the file expiry form (a bad value refused, then saved) and
 *    a consent wording marked explicit by the owner (audited).
 * axe-core checks the builder, the preview, the refusals and the removals; any console error
 * other than the expected 401 and 422 answers fails.
 *
 * The campaign's records are built through the app layer and the helpers the audience
 * integration tests use: an active activity listing custom audiences, a complete Art 26
 * arrangement with Meta, an approved DPIA and a published notice that explains list matching.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { recordConsent } from '../../src/app/consent.js';
import type { Principal } from '../../src/app/context.js';
import { recordObjection } from '../../src/app/objections.js';
import { createPerson } from '../../src/app/people.js';
import { recordNoticeDelivery } from '../../src/app/privacy-notice-deliveries.js';
import { publishPrivacyNotice, updatePrivacyNoticeSettings } from '../../src/app/privacy-notice.js';
import { addPersonToCollection } from '../../src/app/tags.js';
import { findUserByEmail } from '../../src/app/users.js';
import { sha256Hex } from '../../src/domain/audiences/normalize.js';
import { insertApprovedDpia, insertCompleteArrangement } from '../helpers/audiences.js';
import {
  ensureDashboardBuilt,
  expectAccessible,
  openBrowserPage,
  OWNER,
  setUpCampaign,
  skipAfterFirstFailure,
} from '../helpers/browser.js';
import { insertSource } from '../helpers/people.js';
import { insertActivity, OBJECTION_URL } from '../helpers/privacy-notice.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });
const TAG = 'Doorstep contacts';

describe('audiences in the dashboard (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let owner: Principal;
  let campaignId = '';
  let audienceUrl = '';
  let eve = '';
  let cat = '';
  let canvass = '';
  let consoleErrors: string[] = [];
  const heading = () => page.getByRole('heading', { level: 1 });
  const status = () => page.getByRole('status').first();

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

  /** A person from `sourceId`, on the tag, given the current notice unless told otherwise. */
  async function person(email: string, sourceId: string, options: { notice?: boolean } = {}): Promise<string> {
    const { deps } = server;
    const created = await createPerson(deps, owner, campaignId, { sourceId, email });
    await addPersonToCollection(deps, owner, campaignId, 'tag', created.id, { name: TAG, sourceId, kind: 'provided' });
    if (options.notice !== false) {
      await recordNoticeDelivery(deps, owner, campaignId, created.id, {
        method: 'email',
        deliveredAt: new Date().toISOString(),
      });
    }
    return created.id;
  }

  it('builds an audience: the builder is labelled, and a missing name or activity is tied to its field', async () => {
    campaignId = await setUpCampaign(page, await server.setupUrl(), {
      name: 'Exampletown Greens',
      controllerType: 'Registered political party',
    });
    owner = { userId: (await findUserByEmail(server.deps, OWNER.email))!.id, via: 'session' };
    const { deps } = server;

    // The records a lawful Meta audience needs.
    canvass = await insertSource(deps, campaignId, { type: 'canvass', lawfulBasis: 'legitimate_interests' });
    const webForm = await insertSource(deps, campaignId, { type: 'web_form', lawfulBasis: 'consent' });
    const arrangementIds = [
      await insertCompleteArrangement(deps, campaignId, { scope: 'custom_audiences' }),
      await insertCompleteArrangement(deps, campaignId, { scope: 'lookalikes' }),
    ];
    const activityId = await insertActivity(deps, campaignId, {
      name: 'Supporter adverts',
      capabilities: ['custom_audiences', 'lookalikes', 'profiling'],
      lawfulBasis: 'public_task',
      arrangementIds,
    });
    await insertApprovedDpia(deps, campaignId, activityId);
    await updatePrivacyNoticeSettings(deps, owner, campaignId, { objectionUrl: OBJECTION_URL });
    await publishPrivacyNotice(deps, owner, campaignId, {});

    // Two people who may be uploaded, and one left out for each of three reasons.
    await person('ann@example.org', canvass);
    eve = await person('eve@example.org', canvass);
    const ben = await person('ben@example.org', canvass);
    await recordObjection(deps, owner, campaignId, ben, { method: 'email', receivedAt: new Date().toISOString() });
    cat = await person('cat@example.org', canvass, { notice: false });
    const dan = await person('dan@example.org', webForm);
    await recordConsent(deps, owner, campaignId, dan, {
      action: 'granted',
      purpose: 'campaign_updates',
      channels: ['email'],
      method: 'web form',
      wording: 'Email me campaign news',
      wordingVersion: 'v1',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    });

    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'Audiences' }).click();
    await poll(() => heading().textContent()).toBe('Audiences');
    await poll(() => page.getByText('No audiences yet.').count()).toBe(1);

    await page.getByRole('link', { name: 'Build an audience' }).click();
    await poll(() => heading().textContent()).toBe('Build an audience');
    await poll(() => page.getByRole('form', { name: 'Audience builder' }).count()).toBe(1);
    await expectAccessible(page, 'audience builder');

    await page.getByRole('button', { name: 'Save and preview' }).click();
    const name = page.getByLabel('Name of the audience');
    await poll(() => name.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await name.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toMatch(/Give the audience a name/);
    const activity = page.getByLabel(/Processing activity/);
    expect(await activity.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toMatch(/Please correct the fields marked below/);
    await expectAccessible(page, 'audience builder with errors');
  });

  it('previews the audience: the count, and everyone left out counted by reason in a chart and its table', async () => {
    await page.getByLabel('Name of the audience').fill('Doorstep supporters on Meta');
    await page.getByLabel('Platform', { exact: true }).selectOption('meta');
    await page.getByLabel(/Processing activity/).selectOption({ label: 'Supporter adverts' });
    await page.getByRole('group', { name: 'Tags' }).getByLabel(TAG).check();
    await page.getByLabel('Consent purpose relied on').fill('campaign_updates');
    expect(await page.getByLabel('Leave them out, and count them').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await page.waitForURL(/\/audiences\/[0-9a-f-]{36}$/);
    audienceUrl = page.url();
    await poll(() => heading().textContent()).toBe('Doorstep supporters on Meta');

    const counts = page.locator('dl.counts');
    await poll(() => counts.textContent()).toMatch(/Selected by the segment5/);
    expect(await counts.textContent()).toMatch(/Would be uploaded2.*Left out3/);
    const table = page.getByRole('table', { name: 'People left out, by reason' });
    const byRule: Record<string, string> = {};
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.locator('td').allTextContents();
      byRule[cells[1]!] = cells[2]!;
    }
    expect(byRule).toEqual({
      'DM-OBJECTION-ABSOLUTE': '1',
      'TR-LIST-MATCHING-DISCLOSED': '1',
      'LB-CONSENT-EVIDENCE': '1',
    });
    // The chart draws one bar per reason, named by its rule.
    expect(await page.locator('figure svg rect').count()).toBe(3);
    expect(await page.locator('figure svg text', { hasText: 'TR-LIST-MATCHING-DISCLOSED' }).count()).toBe(1);
    expect(await page.getByText('The rules allow this audience: its files can be written.').count()).toBe(1);
    await expectAccessible(page, 'audience preview');
  });

  it('writes the files, downloads one (audited), and recording the upload makes the audience live', async () => {
    await page.getByRole('button', { name: 'Write the files for Meta (Facebook, Instagram)' }).click();
    await poll(() => status().textContent()).toMatch(/Files written: 2 rows in 1 file/);
    const exportPanel = page.getByRole('article', { name: /^Export of / });
    expect(await exportPanel.textContent()).toMatch(/People in the file2/);
    expect(await exportPanel.textContent()).toMatch(/DM-OBJECTION-ABSOLUTE/);
    expect(await exportPanel.textContent()).toMatch(/TR-LIST-MATCHING-DISCLOSED/);

    const link = exportPanel.getByRole('link', { name: /^Download .*\.csv$/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const contents = readFileSync(await download.path(), 'utf8');
    expect(contents).toContain(sha256Hex('ann@example.org'));
    expect(contents).not.toContain('ann@example.org');
    const { events } = await listAuditEvents(server.deps, owner, campaignId, { limit: 200 });
    expect(events.filter((e) => e.type === 'audience.file_downloaded')).toHaveLength(1);

    await page.getByRole('button', { name: 'Record the upload' }).click();
    await poll(() => status().textContent()).toMatch(/Upload recorded: Doorstep supporters on Meta is live/);
    await poll(() => page.locator('dl.summary-list').first().textContent()).toMatch(/StatusLive/);
    expect(await page.getByRole('button', { name: 'Record the upload' }).count()).toBe(0);
  });

  it('shows the pending removal after a person in the live audience objects, flags the lookalike seed built from it, and confirms the removal', async () => {
    // A lookalike seed built from the live audience, through the builder.
    await page.getByRole('link', { name: 'Back to audiences' }).click();
    await page.getByRole('link', { name: 'Build an audience' }).click();
    await poll(() => heading().textContent()).toBe('Build an audience');
    await page.getByLabel('Name of the audience').fill('Lookalike of doorstep supporters');
    await page.getByLabel(/^Lookalike seed/).check();
    await page.getByLabel('Built from the audience').selectOption({ label: 'Doorstep supporters on Meta' });
    await page.getByLabel(/Processing activity/).selectOption({ label: 'Supporter adverts' });
    await page.getByLabel('Use a saved segment').check();
    await page.getByLabel('Saved segment', { exact: true }).selectOption({ label: 'Doorstep supporters on Meta' });
    await page.getByLabel('Consent purpose relied on').fill('campaign_updates');
    await page.getByLabel('Refuse the whole audience while anyone in it was never told').check();
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await poll(() => heading().textContent()).toBe('Lookalike of doorstep supporters');
    // Cat was never given a list-matching notice, and this seed refuses rather than leaves her out.
    const refusal = () => page.getByRole('region', { name: 'The law does not allow this audience yet' });
    await poll(() => refusal().first().textContent()).toMatch(/TR-LIST-MATCHING-DISCLOSED/);
    const write = page.getByRole('button', { name: 'Write the files for Meta (Facebook, Instagram)' });
    expect(await write.isDisabled()).toBe(true);

    // Cat is given the notice: the seed is allowed.
    await recordNoticeDelivery(server.deps, owner, campaignId, cat, {
      method: 'email',
      deliveredAt: new Date().toISOString(),
    });
    await page.getByRole('button', { name: 'Preview again' }).click();
    await poll(() => page.getByText('The rules allow this audience: its files can be written.').count()).toBe(1);
    expect(await refusal().count()).toBe(0);
    // Someone never told joins the segment after the preview: the export itself is refused (422), in plain words.
    await person('fay@example.org', canvass, { notice: false });
    await write.click();
    await poll(() => page.getByRole('alert').first().textContent()).toMatch(
      /The files were not written: TR-LIST-MATCHING-DISCLOSED refuses this audience now/,
    );
    const exportRefusal = page.getByRole('region', { name: 'Why the files were refused' });
    await poll(() => exportRefusal.textContent()).toMatch(/TR-LIST-MATCHING-DISCLOSED/);
    await poll(() => refusal().count()).toBe(1); // The preview, refreshed, agrees.
    expect(await page.getByRole('article').count()).toBe(0);
    await expectAccessible(page, 'export refused');

    // Changed to leave out whoever was never told: allowed, with Fay counted under that rule.
    await page.getByText('Change the audience').click();
    const change = page.getByRole('form', { name: 'Change the audience' });
    await change.getByLabel('Leave them out, and count them').check();
    await change.getByRole('button', { name: 'Save the changes' }).click();
    await poll(() => status().textContent()).toMatch(/Changes saved/);
    await poll(() => page.getByText('The rules allow this audience: its files can be written.').count()).toBe(1);
    const left = page.getByRole('table', { name: 'People left out, by reason' });
    expect(await left.getByRole('row', { name: /TR-LIST-MATCHING-DISCLOSED/ }).textContent()).toMatch(/1$/);
    expect(await page.locator('dl.summary-list').first().textContent()).toMatch(/on any tag of Doorstep contacts/);
    await page.goto(audienceUrl);
    await poll(() => heading().textContent()).toBe('Doorstep supporters on Meta');

    await recordObjection(server.deps, owner, campaignId, eve, {
      method: 'phone',
      receivedAt: new Date().toISOString(),
    });
    await page.reload();
    await poll(() => page.getByRole('region', { name: 'Pending removals' }).textContent()).toMatch(/1 person objected/);

    await page.getByRole('link', { name: 'Back to audiences' }).click();
    await poll(() => heading().textContent()).toBe('Audiences');
    const row = page.getByRole('row', { name: /Doorstep supporters on Meta/ });
    await poll(() => row.textContent()).toMatch(/Live/);
    expect(await row.locator('td').last().textContent()).toBe('1');
    await poll(() => row.textContent()).toMatch(/uploaded/);
    const seed = page.getByRole('row', { name: /Lookalike of doorstep supporters/ });
    expect(await seed.textContent()).toMatch(/Lookalike seed/);
    expect(await seed.textContent()).toMatch(/Needs rebuild/);
    expect(await row.textContent()).not.toMatch(/Needs rebuild/);

    await page.getByRole('link', { name: 'Write the removal files' }).click();
    await poll(() => heading().textContent()).toBe('Pending removals');
    const removal = page.getByRole('row', { name: /Doorstep supporters on Meta/ });
    await poll(() => removal.textContent()).toMatch(/Not written yet/);
    // Objected, withdrew consent, erased, people.
    expect((await removal.locator('td').allTextContents()).slice(1, 5)).toEqual(['1', '0', '0', '1']);
    // Counts only: nobody is named.
    expect(await page.locator('main').textContent()).not.toMatch(/eve@example\.org/);
    await expectAccessible(page, 'pending removals');

    await page.getByRole('button', { name: 'Write the removal files' }).click();
    await poll(() => status().textContent()).toMatch(/Removal files written for 1 audience \(1 person\)/);
    await poll(() => removal.getByRole('link', { name: /^Download / }).count()).toBeGreaterThan(0);
    await removal.getByRole('button', { name: 'Confirm the upload to Meta (Facebook, Instagram)' }).click();
    await poll(() => status().textContent()).toMatch(/1 removal confirmed as uploaded/);
    await poll(() => page.getByText('Nothing is waiting to be removed.').count()).toBe(1);
  });

  it('refuses a LinkedIn audience, naming ONL-PLATFORM-ELIGIBILITY with its citation and its fix', async () => {
    await page.goto(audienceUrl.replace(/\/audiences\/.*$/, '/audiences/new'));
    await poll(() => heading().textContent()).toBe('Build an audience');
    await page.getByLabel('Name of the audience').fill('Doorstep on LinkedIn');
    await page.getByLabel('Platform', { exact: true }).selectOption('linkedin');
    await page.getByLabel(/Processing activity/).selectOption({ label: 'Supporter adverts' });
    await page.getByLabel('Use a saved segment').check();
    await page.getByLabel('Saved segment', { exact: true }).selectOption({ label: 'Doorstep supporters on Meta' });
    await page.getByLabel('Consent purpose relied on').fill('campaign_updates');
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await poll(() => heading().textContent()).toBe('Doorstep on LinkedIn');

    const refusal = page.getByRole('region', { name: 'The law does not allow this audience yet' });
    await poll(() => refusal.count()).toBe(1);
    const eligibility = refusal.getByRole('listitem').filter({ hasText: 'ONL-PLATFORM-ELIGIBILITY' });
    expect(await eligibility.count()).toBe(1);
    expect(await eligibility.textContent()).toMatch(/\(platform policies\)/);
    expect(await eligibility.textContent()).toMatch(/Fix:\s*\S/);
    // LinkedIn bans political adverts: the fix is another platform, and the link starts one.
    expect(
      await eligibility.getByRole('link', { name: 'a new audience on another platform' }).getAttribute('href'),
    ).toMatch(/\/audiences\/new$/);
    // The missing Art 26 arrangement with LinkedIn is named too, fixed among the joint controllers.
    const joint = refusal.getByRole('listitem').filter({ hasText: 'ONL-JOINT-CONTROLLER' });
    expect(await joint.getByRole('link', { name: 'joint controllers' }).getAttribute('href')).toMatch(
      /\/joint-controllers$/,
    );
    expect(await page.getByRole('button', { name: /Write the files for LinkedIn/ }).isDisabled()).toBe(true);
    await expectAccessible(page, 'audience refused');

    // It can never be used: retire it, asked to confirm first.
    await page.getByRole('button', { name: 'Retire this audience' }).click();
    await page.getByRole('group', { name: 'Confirm retiring' }).getByRole('button', { name: 'Retire it' }).click();
    await poll(() => status().textContent()).toMatch(/The audience is retired/);
    await poll(() => page.locator('dl.summary-list').first().textContent()).toMatch(/StatusRetired/);
    expect(await page.getByRole('heading', { name: 'Preview' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Write the files/ }).count()).toBe(0);
    // The only failed requests: the first-run page's session check before signing in (401), and the
    // refused export (422).
    expect(consoleErrors.filter((e) => !/status of (401|422)\b/.test(e))).toEqual([]);
  });

  it('lists each audience’s last export, sets how long files are kept, and marks a consent wording explicit', async () => {
    await page.goto(audienceUrl.replace(/\/audiences\/.*$/, '/audiences'));
    await poll(() => heading().textContent()).toBe('Audiences');
    // The last export comes with the list (no request per audience): the Meta audience was exported and uploaded.
    const table = page.getByRole('table', { name: 'Audiences' });
    await poll(() => table.textContent()).toMatch(/uploaded/);

    const expiry = page.getByRole('region', { name: 'How long export files are kept' });
    await poll(() => expiry.textContent()).toMatch(/deleted 7 days after each export \(the default\)/);
    await expiry.getByLabel('Days to keep export files').fill('120');
    await expiry.getByRole('button', { name: 'Save' }).click();
    await poll(() => expiry.getByRole('alert').first().textContent()).toMatch(/./);
    await expiry.getByLabel('Days to keep export files').fill('5');
    await expiry.getByRole('button', { name: 'Save' }).click();
    await poll(() => expiry.getByRole('status').textContent()).toMatch(/deleted 5 days after each export/);
    await poll(() => expiry.textContent()).toMatch(/Files are deleted 5 days after each export, set/);

    const wordings = page.getByRole('region', { name: 'Consent wordings and explicit consent' });
    await poll(() => wordings.textContent()).toMatch(/Email me campaign news/);
    await wordings.getByRole('button', { name: 'Mark as explicit consent…' }).first().click();
    await wordings.getByRole('button', { name: 'Mark explicit' }).click();
    await poll(() => wordings.textContent()).toMatch(/say why this wording is an explicit statement/i);
    await wordings
      .getByLabel('Why this wording is an explicit statement (UK GDPR Art 9(2)(a))')
      .fill('Reviewed by the DPO: a separate box naming the use');
    await wordings.getByRole('button', { name: 'Mark explicit' }).click();
    await poll(() => wordings.textContent()).toMatch(/Explicit since .*Reviewed by the DPO/);
    await expectAccessible(page, 'audiences settings');
    const events = (await listAuditEvents(server.deps, owner, campaignId, {})).events.map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['audience.settings_updated', 'audience.explicit_wording_marked']));
    expect(consoleErrors.filter((e) => !/status of (400|401|422)\b/.test(e))).toEqual([]);
  });
});
