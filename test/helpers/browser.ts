/**
 * Real-browser helpers for the end-to-end tests: Debian's Chromium driven by
 * playwright-core, axe-core accessibility checks, and building the dashboard (dist/web)
 * when it is missing or older than its sources.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeEach, expect } from 'vitest';

export const CHROMIUM_PATH = process.env.CANVASS_CHROMIUM_PATH ?? '/usr/bin/chromium';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_INDEX = join(ROOT, 'dist/web/index.html');
const WEB_SOURCES = [join(ROOT, 'src/web'), join(ROOT, 'src/shared'), join(ROOT, 'vite.config.ts')];
const BUILD_LOCK = join(ROOT, 'dist/.web-build.lock');

/** Launches Chromium headless, with `extraArgs` after the flags every suite uses. */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (or set CANVASS_CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/**
 * Collects `page`'s console errors and uncaught exceptions, in order, from now on: a test
 * expects none, so a Content-Security-Policy violation or a crash fails it.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** A page in a fresh browser, and the console errors it has logged so far. */
export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /**
   * Console errors and uncaught exceptions of `page`, in order: a test expects none, so a
   * Content-Security-Policy violation or a crash of the dashboard fails it.
   */
  consoleErrors: string[];
}

/**
 * Launches Chromium and opens one page in a British-English, UTC context (dates and times
 * show as a UK campaign sees them), waiting at most `timeoutMs` for each action.
 */
export async function openBrowserPage(timeoutMs = 15_000): Promise<BrowserSession> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  return { browser, context, page, consoleErrors: collectPageErrors(page) };
}

/** The first user of the end-to-end tests, who sets Canvass up. */
export const OWNER = {
  name: 'Olivia Owner',
  email: 'olivia@example.org',
  password: 'a long and unguessable passphrase',
};

/**
 * Sets Canvass up through its first-run page (`setupUrl`, from the test server) as OWNER,
 * with a campaign of the given name and type of data controller, and waits for the
 * campaign's home page, signed in. Returns the campaign's id.
 */
export async function setUpCampaign(
  page: Page,
  setupUrl: string,
  campaign: { name: string; controllerType: string },
): Promise<string> {
  await page.goto(setupUrl);
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000, interval: 100 })
    .toBe('Set up Canvass');
  await page.getByLabel('Your name').fill(OWNER.name);
  await page.getByLabel('Email address').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByLabel('Campaign name').fill(campaign.name);
  await page.getByLabel('Type of data controller').selectOption({ label: campaign.controllerType });
  await page.getByLabel('Postal address').fill('1 High Street\nExampletown\nEX1 1AA');
  await page.getByRole('button', { name: 'Create account and campaign' }).click();
  await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
  return page.url().split('/c/')[1]!;
}

/**
 * The tests of a file that calls this are the steps of one story: once one fails, the
 * ones after it are skipped rather than failing for the same reason.
 */
export function skipAfterFirstFailure(): void {
  let broken = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (broken) skip();
    onTestFailed(() => {
      broken = true;
    });
  });
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isDashboardFresh(): boolean {
  if (!existsSync(WEB_INDEX)) return false;
  const built = statSync(WEB_INDEX).mtimeMs;
  return WEB_SOURCES.every((source) => !existsSync(source) || newestMtime(source) <= built);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds dist/web with Vite unless it is already newer than src/web, src/shared and
 * vite.config.ts. Test files run in parallel, so one builds while the others wait on a lock.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (isDashboardFresh()) return;
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    try {
      mkdirSync(BUILD_LOCK);
    } catch {
      // Another test file is building; a lock older than two minutes was left by a crash.
      if (existsSync(BUILD_LOCK) && Date.now() - statSync(BUILD_LOCK).mtimeMs > 120_000)
        rmSync(BUILD_LOCK, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      if (isDashboardFresh()) return;
      const { build } = await import('vite');
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
      } finally {
        process.env.NODE_ENV = nodeEnv;
      }
      return;
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true });
    }
  }
  throw new Error('timed out waiting for another test file to build the dashboard');
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const hasAxe = (page: Page): Promise<boolean> =>
  page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');

/**
 * Puts axe-core into the page. The dashboard's Content-Security-Policy (script-src 'self')
 * rightly refuses an inline <script>, so axe's source is evaluated through the DevTools
 * protocol, which CSP does not govern (the tests keep the policy on rather than browse with
 * bypassCSP, so a CSP violation by the dashboard itself still shows). addScriptTag is the
 * fallback for pages served without such a policy.
 */
async function injectAxe(page: Page): Promise<void> {
  if (await hasAxe(page)) return;
  try {
    await page.evaluate(axe.source);
  } catch {
    await page.addScriptTag({ content: axe.source });
  }
  if (!(await hasAxe(page))) throw new Error('axe-core could not be injected into the page');
}

/** Runs axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await injectAxe(page);
  const results = await page.evaluate(async () => {
    const runner = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const outcome = await runner.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return outcome.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
  return results;
}

export function formatViolations(label: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${label}: no accessibility violations`;
  const lines = violations.map(
    (v) => `  - ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n      ${v.targets.join('\n      ')}`,
  );
  return `${label}: ${violations.length} accessibility violation(s)\n${lines.join('\n')}`;
}

/** Throws with the rule ids and targets when axe finds anything. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) throw new Error(formatViolations(label, violations));
}
