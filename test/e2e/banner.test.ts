/**
 * The consent banner (src/banner → dist/banner/banner.js) in Debian's Chromium against the
 * fixture campaign site (test/fixtures/banner-site): the real vendor snippets of Meta Pixel,
 * GA4, LinkedIn Insight, a YouTube embed and an X post, their host names answered by a local
 * HTTPS server that records every request, under a strict nonce Content-Security-Policy.
 * Every flow is driven with the keyboard alone (Tab, Shift+Tab, Enter, Space, Escape).
 *
 * Each test opens its own browser context (a visitor with no cookies), so the tests are
 * independent; the receipts endpoint is the fixture's own (the server's is exercised in
 * banner-server.test.ts when it exists).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBannerBuilt } from '../../scripts/build-banner.js';
import { COOKIE_NAME, fixtureConfig } from '../fixtures/banner-site/config.js';
import { SITE_URL, startFixtureSite, type FixtureSite } from '../fixtures/banner-site/server.js';
import {
  launchForFixture,
  newVisitor,
  tabTo,
  type FixtureWindow,
  type Visitor,
} from '../fixtures/banner-site/browser.js';
import { expectAccessible } from '../helpers/browser.js';

const poll = <T>(read: () => Promise<T> | T, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The cookies and storage entries the fixture's non-essential, non-exempt tags set. */
const TRACKING_COOKIES = ['_fbp', '_ga', '_ga_FIXTURE1', 'li_sugr'];

// One retry: the "Accept all" flow failed once in about 20 runs on a loaded machine (2026-11-29) and its error
// was not captured; each test builds its own visitor, so a retry re-runs it from scratch. Remove the retry when
// the cause is found.
describe('consent banner (Chromium, fixture campaign site)', { retry: 1 }, () => {
  let site: FixtureSite;
  let browser: Browser;
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    await ensureBannerBuilt();
    site = await startFixtureSite();
    browser = await launchForFixture(site);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  beforeEach(() => {
    site.config = fixtureConfig();
    site.failReceipts = 0;
    site.requests.length = 0;
  });

  async function visitor(options: { gpc?: boolean } = {}): Promise<Visitor> {
    const v = await newVisitor(browser, options);
    visitors.push(v);
    return v;
  }

  // Each test's visitors leave with it, so no request of theirs is counted against the next test.
  afterEach(async () => {
    for (const v of visitors.splice(0)) await v.context.close().catch(() => undefined);
  });

  const region = (page: Page, name = 'Cookies on Exampletown Greens') => page.getByRole('region', { name });

  const receiptsSince = (n: number) => site.receipts.slice(n);
  const cookieNames = async (v: Visitor) => (await v.context.cookies()).map((c) => c.name).sort();
  const storage = (page: Page) =>
    page.evaluate(() => ({ local: Object.keys(localStorage).sort(), session: Object.keys(sessionStorage).sort() }));
  const storedChoice = async (v: Visitor) => {
    const cookie = (await v.context.cookies()).find((c) => c.name === COOKIE_NAME);
    return cookie ? JSON.parse(decodeURIComponent(cookie.value)) : null;
  };

  /** Runs `action` and waits for the page load it causes (a withdrawal or an objection reloads the page). */
  async function reloadingAfter(page: Page, action: () => Promise<unknown>): Promise<void> {
    const loaded = page.waitForEvent('load');
    await action();
    await loaded;
  }

  async function open(v: Visitor, path = '/'): Promise<void> {
    await v.page.goto(`${SITE_URL}${path}`);
    await poll(() => v.page.evaluate(() => typeof (window as { CanvassConsent?: unknown }).CanvassConsent)).toBe(
      'object',
    );
    await poll(() =>
      v.page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent.getConsent() !== null),
    ).toBe(true);
  }

  it('blocks every tag before a choice and asks in a labelled region: Accept and Reject equal, no close', async () => {
    const v = await visitor();
    const before = site.requests.length;
    await open(v);
    const banner = region(v.page);
    await poll(() => banner.getByRole('heading', { name: 'Cookies on Exampletown Greens' }).isVisible()).toBe(true);

    // First layer: three buttons, Accept first, the same element, class, size and weight; nothing that dismisses.
    const buttons = banner.locator('.cvb-a button');
    expect(await buttons.allTextContents()).toEqual(['Accept all cookies', 'Reject all cookies', 'Manage cookies']);
    const looks = await buttons.evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          tag: el.tagName,
          cls: el.className,
          w: Math.round(box.width),
          h: Math.round(box.height),
          weight: style.fontWeight,
          size: style.fontSize,
          bg: style.backgroundColor,
          color: style.color,
        };
      }),
    );
    expect(looks[1]).toEqual(looks[0]);
    expect(looks[0]!.h).toBeGreaterThanOrEqual(24);
    expect(await banner.getByRole('button', { name: /close|dismiss|×|✕/i }).count()).toBe(0);

    // Nothing reaches a tracker host; blocked embeds show placeholders.
    await sleep(800);
    expect(site.trackerRequests()).toEqual([]);
    const names = site.requests.slice(before).map((r) => `${r.host}${r.path}`);
    expect(names).toContain('canvass.test/c/banner.js');
    expect(await v.page.getByRole('button', { name: 'Load YouTube content' }).isVisible()).toBe(true);
    expect(await v.page.getByRole('button', { name: 'Load X content' }).isVisible()).toBe(true);
    expect(await v.page.locator('iframe[src]').count()).toBe(0);

    // No cookie at all yet (the choice cookie comes with the choice); only the exempt first-party theme entry.
    expect(await cookieNames(v)).toEqual([]);
    expect(await storage(v.page)).toEqual({ local: ['cv_theme'], session: [] });
    expect(await v.page.evaluate(() => (window as unknown as FixtureWindow).__fixtureTheme)).toBe(true);

    // Consent Mode v2: the default, all denied, is the first thing in the dataLayer.
    const first = await v.page.evaluate(() =>
      Array.from((window as unknown as FixtureWindow).dataLayer[0] as ArrayLike<unknown>),
    );
    expect(first).toEqual([
      'consent',
      'default',
      {
        ad_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
        analytics_storage: 'denied',
        wait_for_update: 500,
      },
    ]);

    // CSP-safe: the banner and its placeholders carry no style attribute (the page's policy would refuse one).
    expect(await v.page.locator('[style]').count()).toBe(0);
    await expectAccessible(v.page, 'first layer of the consent banner');
    expect(v.errors).toEqual([]);
  });

  it('objects to the exceptions in one click, erasing what they stored, and keeps the consent question open', async () => {
    const v = await visitor();
    await open(v);
    // The theme (an exempt service) is loaded by the banner once it has run: wait for its entry.
    await poll(() => storage(v.page)).toEqual({ local: ['cv_theme'], session: [] });
    const n = site.receipts.length;
    await tabTo(v.page, 'Object to appearance cookies');
    await reloadingAfter(v.page, () => v.page.keyboard.press('Enter'));
    await poll(() => receiptsSince(n).length).toBe(1);
    expect(receiptsSince(n)[0]).toMatchObject({
      action: 'custom',
      categories: { appearance: false, statistics: false, advertising: false },
    });
    await poll(() => region(v.page).getByRole('button', { name: 'Accept all cookies' }).isVisible()).toBe(true);
    expect(await region(v.page).getByRole('button', { name: 'Object to appearance cookies' }).count()).toBe(0);
    expect(await v.page.evaluate(() => (window as unknown as FixtureWindow).__fixtureTheme)).toBeUndefined();
    expect(await storage(v.page)).toEqual({ local: [], session: [] });
    expect(site.trackerRequests()).toEqual([]);
    expect(v.errors).toEqual([]);
  });

  it('Reject all, by keyboard: nothing loads, the exception objected to is erased, the receipt is posted', async () => {
    const v = await visitor();
    await open(v);
    await poll(() => region(v.page).getByRole('button', { name: 'Reject all cookies' }).isVisible()).toBe(true);
    const n = site.receipts.length;
    await tabTo(v.page, 'Reject all cookies');
    // The appearance exception ran before the choice, so rejecting it erases its entry and reloads.
    await reloadingAfter(v.page, () => v.page.keyboard.press('Enter'));
    await poll(() =>
      v.page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent?.getConsent()?.decided),
    ).toBe(true);
    await poll(() => receiptsSince(n).length).toBe(1);
    const [receipt] = receiptsSince(n);
    expect(receipt).toMatchObject({
      action: 'reject_all',
      categories: { necessary: true, statistics: false, appearance: false, advertising: false, social: false },
      services: {
        'consent-choice': true,
        'google-analytics-4': false,
        'site-theme': false,
        'meta-pixel': false,
        'linkedin-insight': false,
        youtube: false,
        'x-embeds': false,
      },
      configHash: site.config.configHash,
      revision: 1,
      language: 'en',
      textHash: site.config.textHashes.en,
      gpc: false,
      pageUrl: `${SITE_URL}/`,
    });
    expect(receipt!.consentId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // After the reload: no banner, the persistent button, nothing tracking.
    await poll(() => v.page.getByRole('button', { name: 'Cookie settings' }).isVisible()).toBe(true);
    expect(await region(v.page).getByRole('heading', { name: 'Cookies on Exampletown Greens' }).count()).toBe(0);
    await sleep(500);
    expect(site.trackerRequests()).toEqual([]);
    expect(await cookieNames(v)).toEqual([COOKIE_NAME]);
    expect(await storage(v.page)).toEqual({ local: [], session: [] });
    expect(await storedChoice(v)).toMatchObject({ i: receipt!.consentId, h: site.config.configHash, r: 1, x: 1 });
    await expectAccessible(v.page, 'page after Reject all');
    expect(v.errors).toEqual([]);
  });

  it('Accept all, by keyboard: every tag loads under the CSP, Consent Mode is updated; withdrawal erases every cookie variant and reloads', async () => {
    const v = await visitor();
    await open(v, '/news/2026/launch.html');
    const n = site.receipts.length;
    await tabTo(v.page, 'Accept all cookies');
    await v.page.keyboard.press('Space');
    await poll(() => receiptsSince(n).length).toBe(1);
    const [receipt] = receiptsSince(n);
    expect(receipt).toMatchObject({
      action: 'accept_all',
      categories: { statistics: true, advertising: true, social: true },
    });
    expect(Object.values(receipt!.services).every(Boolean)).toBe(true);
    const status = v.page.getByRole('status');
    await poll(() => status.textContent()).toBe(
      `Your cookie choices are saved. Your consent ID is ${receipt!.consentId}.`,
    );
    // Focus moves to the persistent button, which replaces the banner.
    await poll(() => v.page.evaluate(() => document.activeElement?.textContent)).toBe('Cookie settings');

    await poll(() => new Set(site.trackerRequests())).toEqual(
      new Set([
        'www.googletagmanager.com/gtag/js',
        'www.google-analytics.com/g/collect',
        'connect.facebook.net/en_US/fbevents.js',
        'www.facebook.com/tr',
        'snap.licdn.com/li.lms-analytics/insight.min.js',
        'px.ads.linkedin.com/collect/',
        'www.youtube.com/embed/M7lc1UVf-VE',
        'platform.twitter.com/widgets.js',
        'platform.twitter.com/embed/Tweet.html',
      ]),
    );
    await poll(() => cookieNames(v)).toEqual(expect.arrayContaining([...TRACKING_COOKIES, COOKIE_NAME]));
    // The tags set their cookies as they load: wait for both _fbp variants, not just the name.
    const fbp = async () =>
      (await v.context.cookies())
        .filter((c) => c.name === '_fbp')
        .map((c) => `${c.domain}${c.path}`)
        .sort();
    await poll(fbp).toEqual(['.campaign.test/', 'campaign.test/news/2026']);
    expect(await v.page.locator('[style]').count()).toBe(0);
    await poll(() => v.page.evaluate(() => (window as unknown as FixtureWindow).__fixtureGa)).toEqual({
      analyticsStorage: 'granted',
    });
    const update = () =>
      v.page.evaluate(() =>
        (window as unknown as FixtureWindow).dataLayer
          .map((e) => Array.from(e))
          .filter((e) => e[0] === 'consent' && e[1] === 'update')
          .at(-1),
      );
    await poll(update).toEqual([
      'consent',
      'update',
      { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' },
    ]);
    expect(await v.page.locator('.cvb-p').count()).toBe(0);
    // A script added after load runs once granted, with the page's nonce (CSP would refuse it otherwise).
    await v.page.evaluate(() => {
      const s = document.createElement('script');
      s.type = 'text/plain';
      s.dataset.category = 'advertising';
      s.dataset.service = 'meta-pixel';
      s.text = 'window.__late = 1;';
      document.body.append(s);
    });
    await poll(() => v.page.evaluate(() => (window as unknown as FixtureWindow).__late)).toBe(1);
    expect(v.errors).toEqual([]);

    // Withdrawal from the persistent button, by keyboard: the dialog, then Reject all.
    await v.page.evaluate(() => ((window as unknown as FixtureWindow).__beforeReload = true));
    await v.page.keyboard.press('Enter');
    const dialog = v.page.getByRole('dialog', { name: 'Your cookie choices' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByText(receipt!.consentId).isVisible()).toBe(true);
    const m = site.receipts.length;
    const trackersBefore = site.trackerRequests().length;
    await tabTo(v.page, 'Reject all cookies');
    await reloadingAfter(v.page, () => v.page.keyboard.press('Enter'));
    expect(await v.page.evaluate(() => (window as unknown as FixtureWindow).__beforeReload)).toBeUndefined();
    await poll(() => receiptsSince(m).map((r) => r.action)).toEqual(['withdraw']);
    expect(receiptsSince(m)[0]).toMatchObject({ consentId: receipt!.consentId, categories: { advertising: false } });
    // _fbp was set on / (domain .campaign.test) and on /news/2026 (host-only): both are gone, as are the others.
    expect((await cookieNames(v)).filter((c) => TRACKING_COOKIES.includes(c))).toEqual([]);
    expect(await storage(v.page)).toEqual({ local: [], session: [] });
    await sleep(500);
    expect(site.trackerRequests().length).toBe(trackersBefore);
    expect(v.errors).toEqual([]);
  });

  it('Manage opens a modal dialog: labelled, focus moved in and trapped, Escape goes back without choosing', async () => {
    const v = await visitor();
    await open(v);
    const n = site.receipts.length;
    await tabTo(v.page, 'Manage cookies');
    await v.page.keyboard.press('Enter');
    const dialog = v.page.getByRole('dialog', { name: 'Your cookie choices' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    const inDialog = () => v.page.evaluate(() => !!document.activeElement?.closest('dialog'));
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 30; i += 1) {
      await v.page.keyboard.press('Tab');
      expect(await inDialog()).toBe(true);
    }
    for (let i = 0; i < 5; i += 1) {
      await v.page.keyboard.press('Shift+Tab');
      expect(await inDialog()).toBe(true);
    }
    // Every category, locked necessary; each service with its cookies; the consent id.
    const boxes = dialog.getByRole('checkbox');
    expect(await boxes.count()).toBe(5);
    expect(await dialog.getByRole('checkbox', { name: 'Essential cookies' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Essential cookies' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Advertising cookies' }).isChecked()).toBe(false);
    // The exception runs unless objected to: shown on, with its information.
    expect(await dialog.getByRole('checkbox', { name: 'Appearance cookies' }).isChecked()).toBe(true);
    await tabTo(v.page, 'Meta Pixel (Meta Platforms Ireland Ltd)');
    await v.page.keyboard.press('Enter');
    await poll(() => dialog.getByRole('cell', { name: '_fbp', exact: true }).isVisible()).toBe(true);
    expect(await dialog.getByText(/Your consent ID: [0-9a-f-]{36}/).isVisible()).toBe(true);
    await expectAccessible(v.page, 'the preferences dialog');
    // Visible focus (a 3px outline) and targets of at least 24 by 24 CSS pixels.
    expect(
      await v.page.evaluate(() => {
        const style = getComputedStyle(document.activeElement!);
        return `${style.outlineStyle} ${style.outlineWidth}`;
      }),
    ).toBe('solid 3px');
    const small = await dialog.locator('button, input, summary, a').evaluateAll((els) =>
      els
        .map((el) => ({ el: el.textContent || el.id, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.height < 24 || box.width < 24))
        .map(({ el }) => el),
    );
    expect(small).toEqual([]);

    await v.page.keyboard.press('Escape');
    await poll(() => dialog.isVisible()).toBe(false);
    expect(await v.page.evaluate(() => document.activeElement?.textContent)).toBe('Manage cookies');
    expect(await region(v.page).getByRole('button', { name: 'Reject all cookies' }).isVisible()).toBe(true);
    await sleep(300);
    expect(receiptsSince(n)).toEqual([]);
    expect(await cookieNames(v)).toEqual([]);

    // A custom choice with the keyboard: statistics on, nothing else.
    await v.page.keyboard.press('Enter');
    await poll(() => dialog.isVisible()).toBe(true);
    await tabTo(v.page, 'Statistics cookies');
    await v.page.keyboard.press('Space');
    await tabTo(v.page, 'Save my choices');
    await v.page.keyboard.press('Enter');
    await poll(() => receiptsSince(n).length).toBe(1);
    expect(receiptsSince(n)[0]).toMatchObject({
      action: 'custom',
      categories: { statistics: true, appearance: true, advertising: false, social: false },
    });
    await poll(() => site.trackerRequests()).toContain('www.googletagmanager.com/gtag/js');
    await sleep(300);
    expect(site.trackerRequests().some((r) => /facebook|licdn|linkedin|youtube|twitter/.test(r))).toBe(false);
    await poll(() => v.page.evaluate(() => document.activeElement?.textContent)).toBe('Cookie settings');
    expect(v.errors).toEqual([]);
  });

  it('with Global Privacy Control, rejects without a click and records gpc; an explicit opt-in is still possible', async () => {
    const v = await visitor({ gpc: true });
    const n = site.receipts.length;
    await open(v);
    await poll(() => receiptsSince(n).length).toBe(1);
    expect(receiptsSince(n)[0]).toMatchObject({
      action: 'gpc',
      gpc: true,
      categories: { statistics: false, appearance: false, advertising: false, social: false },
    });
    expect(site.requests.at(-1)?.headers['sec-gpc']).toBe('1');
    expect(await region(v.page).getByRole('button', { name: 'Accept all cookies' }).count()).toBe(0);
    await sleep(500);
    expect(site.trackerRequests()).toEqual([]);
    // GPC is also an objection to the exceptions: the theme script never ran.
    expect(await v.page.evaluate(() => (window as unknown as FixtureWindow).__fixtureTheme)).toBeUndefined();
    expect(await storage(v.page)).toEqual({ local: [], session: [] });

    await tabTo(v.page, 'Cookie settings');
    await v.page.keyboard.press('Enter');
    const dialog = v.page.getByRole('dialog', { name: 'Your cookie choices' });
    await poll(() => dialog.getByText(/Global Privacy Control/).isVisible()).toBe(true);
    await tabTo(v.page, 'Advertising cookies');
    await v.page.keyboard.press('Space');
    await tabTo(v.page, 'Save my choices');
    await v.page.keyboard.press('Enter');
    await poll(() => receiptsSince(n).length).toBe(2);
    expect(receiptsSince(n)[1]).toMatchObject({ action: 'custom', gpc: true, categories: { advertising: true } });
    await poll(() => site.trackerRequests()).toContain('connect.facebook.net/en_US/fbevents.js');
    expect(v.errors).toEqual([]);
  });

  it('renders in Welsh from <html lang="cy"> or data-lang, accessibly, and records the Welsh text', async () => {
    const v = await visitor();
    await open(v, '/cy/');
    const banner = region(v.page, 'Cwcis ar wefan Gwyrddion Exampletown');
    await poll(() => banner.isVisible()).toBe(true);
    expect(await banner.getAttribute('lang')).toBe('cy');
    expect(await banner.locator('.cvb-a button').allTextContents()).toEqual([
      'Derbyn pob cwci',
      'Gwrthod pob cwci',
      'Rheoli cwcis',
    ]);
    expect(await v.page.getByRole('button', { name: 'Llwytho cynnwys YouTube' }).isVisible()).toBe(true);
    await expectAccessible(v.page, 'Welsh first layer');
    await tabTo(v.page, 'Rheoli cwcis');
    await v.page.keyboard.press('Enter');
    await poll(() => v.page.getByRole('dialog', { name: 'Eich dewisiadau cwcis' }).isVisible()).toBe(true);
    await expectAccessible(v.page, 'Welsh dialog');
    const n = site.receipts.length;
    await tabTo(v.page, 'Gwrthod pob cwci');
    await reloadingAfter(v.page, () => v.page.keyboard.press('Enter'));
    await poll(() => receiptsSince(n).length).toBe(1);
    expect(receiptsSince(n)[0]).toMatchObject({
      action: 'reject_all',
      language: 'cy',
      textHash: site.config.textHashes.cy,
    });
    expect(v.errors).toEqual([]);

    // data-lang on the banner's tag wins over the page's language; an unknown language falls back to the default.
    const w = await visitor();
    await open(w, '/tag-cy/');
    expect(await w.page.locator('html').getAttribute('lang')).toBe('en-GB');
    await poll(() => region(w.page, 'Cwcis ar wefan Gwyrddion Exampletown').isVisible()).toBe(true);
    site.config = fixtureConfig({ languages: ['en'], texts: { en: fixtureConfig().texts.en! } });
    await open(w, '/cy/');
    await poll(() => region(w.page).isVisible()).toBe(true);
  });

  it('keeps nodes added after load blocked, with placeholders; "load this" loads that service’s embeds and nothing else', async () => {
    const v = await visitor();
    await open(v);
    await v.page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.title = 'Second video';
      frame.dataset.category = 'social';
      frame.dataset.service = 'youtube';
      frame.dataset.src = 'https://www.youtube.com/embed/late-video';
      const script = document.createElement('script');
      script.type = 'text/plain';
      script.dataset.category = 'advertising';
      script.dataset.service = 'meta-pixel';
      script.text = 'window.__late = 1;';
      const pixel = document.createElement('template');
      pixel.dataset.category = 'advertising';
      pixel.dataset.service = 'linkedin-insight';
      pixel.innerHTML = '<img alt="" src="https://px.ads.linkedin.com/collect/?pid=late">';
      document.querySelector('main')!.append(frame, script, pixel);
    });
    await poll(() => v.page.getByRole('button', { name: 'Load YouTube content' }).count()).toBe(2);
    await sleep(500);
    expect(site.trackerRequests()).toEqual([]);
    expect(await v.page.evaluate(() => (window as unknown as FixtureWindow).__late)).toBeUndefined();

    const n = site.receipts.length;
    await tabTo(v.page, 'Load YouTube content');
    await v.page.keyboard.press('Enter');
    await poll(() => site.trackerRequests().sort()).toEqual([
      'www.youtube.com/embed/M7lc1UVf-VE',
      'www.youtube.com/embed/late-video',
    ]);
    await poll(() => receiptsSince(n).length).toBe(1);
    expect(receiptsSince(n)[0]).toMatchObject({
      action: 'custom',
      categories: { social: false, advertising: false },
      services: { youtube: true, 'x-embeds': false, 'meta-pixel': false },
    });
    // The consent question is still open, and the X post keeps its placeholder.
    expect(await region(v.page).getByRole('button', { name: 'Accept all cookies' }).isVisible()).toBe(true);
    expect(await v.page.getByRole('button', { name: 'Load X content' }).isVisible()).toBe(true);
    await sleep(500);
    expect(site.trackerRequests().every((r) => r.startsWith('www.youtube.com/'))).toBe(true);
    expect(v.errors).toEqual([]);
  });

  it('asks again after a revision bump, a material change or the maximum age, but not after a copy edit', async () => {
    const v = await visitor();
    await open(v);
    const acceptAll = () => region(v.page).getByRole('button', { name: 'Accept all cookies' });
    await acceptAll().press('Enter');
    await poll(async () => (await storedChoice(v))?.x).toBe(1);
    const { i: consentId } = await storedChoice(v);
    const asks = async () => {
      await open(v);
      return acceptAll().isVisible();
    };
    expect(await asks()).toBe(false);

    site.config = fixtureConfig({
      texts: { en: { ...fixtureConfig().texts.en!, body: 'Reworded.' } },
      textHashes: { en: 'f'.repeat(64) },
    });
    expect(await asks()).toBe(false);

    site.config = fixtureConfig({ revision: 2 });
    expect(await asks()).toBe(true);
    expect(
      await v.page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent.getConsent()!.consentId),
    ).toBe(consentId);
    await acceptAll().press('Enter');
    await poll(async () => (await storedChoice(v))?.r).toBe(2);
    expect(await asks()).toBe(false);

    site.config = fixtureConfig({ revision: 2, configHash: 'b2'.repeat(32) });
    expect(await asks()).toBe(true);
    await acceptAll().press('Enter');
    await poll(async () => (await storedChoice(v))?.h).toBe('b2'.repeat(32));

    const cookie = (await v.context.cookies()).find((c) => c.name === COOKIE_NAME)!;
    const old = { ...JSON.parse(decodeURIComponent(cookie.value)), t: Date.now() - 181 * 86_400_000 };
    await v.context.addCookies([{ ...cookie, value: encodeURIComponent(JSON.stringify(old)) }]);
    expect(await asks()).toBe(true);
  });

  it('keeps a receipt the server failed to take, and delivers it by retrying and from the next page', async () => {
    const v = await visitor();
    await open(v);
    const n = site.receipts.length;
    site.failReceipts = 2;
    await region(v.page).getByRole('button', { name: 'Accept all cookies' }).press('Enter');
    const queued = () =>
      v.page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]').length, `${COOKIE_NAME}_q`);
    expect(await queued()).toBe(1);
    // 503, then 503 a second later, then stored two seconds after that.
    await poll(() => receiptsSince(n).length, 10_000).toBe(1);
    await poll(queued).toBe(0);
    expect(site.failReceipts).toBe(0);

    // The server is down when the visitor changes their mind and leaves straight away.
    site.failReceipts = 1_000;
    await reloadingAfter(v.page, () =>
      v.page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent.withdraw('advertising')),
    );
    await poll(queued).toBe(1);
    const pending = await v.page.evaluate((key) => JSON.parse(localStorage.getItem(key)!)[0], `${COOKIE_NAME}_q`);
    site.failReceipts = 0;
    await open(v, '/about.html');
    await poll(() => receiptsSince(n).length).toBe(2);
    expect(receiptsSince(n)[1]).toEqual(pending);
    expect(pending).toMatchObject({ action: 'withdraw', categories: { advertising: false, statistics: true } });
    await poll(queued).toBe(0);
  });

  it('offers single-page apps a small API: getConsent, on("change"), open, withdraw', async () => {
    const v = await visitor();
    await open(v);
    const consent = await v.page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent.getConsent());
    expect(consent).toMatchObject({
      decided: false,
      categories: { necessary: true, appearance: true, advertising: false },
    });
    await v.page.evaluate(() => {
      const w = window as unknown as FixtureWindow;
      w.__changes = [];
      w.CanvassConsent.on('change', (c) => w.__changes.push(c));
      w.CanvassConsent.open();
    });
    const dialog = v.page.getByRole('dialog', { name: 'Your cookie choices' });
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Accept all cookies' }).press('Enter');
    const changes = await v.page.evaluate(() => (window as unknown as FixtureWindow).__changes);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ decided: true, categories: { advertising: true, social: true } });

    // Withdrawing one category: its services' cookies go, the page reloads, the rest stays granted.
    await poll(() => cookieNames(v)).toEqual(expect.arrayContaining(['_fbp', '_ga']));
    const n = site.receipts.length;
    await reloadingAfter(v.page, () =>
      v.page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent.withdraw('advertising')),
    );
    await poll(() => receiptsSince(n).map((r) => r.action)).toEqual(['withdraw']);
    expect(receiptsSince(n)[0]).toMatchObject({ categories: { advertising: false, statistics: true, social: true } });
    const names = await cookieNames(v);
    expect(names).not.toContain('_fbp');
    expect(names).not.toContain('li_sugr');
    await poll(() =>
      v.page.evaluate(() => (window as unknown as FixtureWindow).CanvassConsent?.getConsent()?.categories),
    ).toMatchObject({
      advertising: false,
      statistics: true,
    });
  });
  it('falls back to a <style> carrying the page nonce where constructed stylesheets are missing', async () => {
    const v = await visitor();
    await v.context.addInitScript(() => {
      Object.defineProperty(CSSStyleSheet.prototype, 'replaceSync', { value: undefined });
    });
    await open(v);
    const accept = region(v.page).getByRole('button', { name: 'Accept all cookies' });
    await poll(() => accept.isVisible()).toBe(true);
    expect(await v.page.evaluate(() => document.adoptedStyleSheets.length)).toBe(0);
    const nonce = await v.page.evaluate(() => (document.querySelector('script[data-site]') as HTMLScriptElement).nonce);
    expect(await v.page.evaluate(() => (document.querySelector('style:last-of-type') as HTMLStyleElement).nonce)).toBe(
      nonce,
    );
    expect(await accept.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(29, 112, 184)');
    expect(v.errors).toEqual([]);
  });
});
