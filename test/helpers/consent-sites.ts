/**
 * Website consent (issue 6) for tests and benchmarks:
 * - seedConsentSiteTables, for tests that need one row of each consent table in a campaign
 *   (e.g. test/integration/isolation.test.ts): a website (consent_sites), its first published
 *   version (consent_site_versions) and one receipt (consent_receipts), through the use cases;
 * - a website with one service to consent to (YouTube embeds, under "social") and the receipt
 *   its banner sends when a visitor allows that service alone, for the receipts tests, the
 *   crash test and bench/receipts.ts;
 * - postReceiptOverHttp, a receipt posted over a real connection (a keep-alive agent) to a
 *   server in another process, as a visitor's browser would.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { submitReceipt } from '../../src/app/consent-receipts.js';
import { createConsentSite, publicSite } from '../../src/app/consent-sites.js';
import type { AppDeps, Principal } from '../../src/app/context.js';
import { defaultSiteConfig, SERVICE_PRESETS, type SiteConfig } from '../../src/domain/consent-sites.js';
import type { BannerConfig, ReceiptSubmission } from '../../src/shared/consent-banner.js';

export const SEED_ORIGIN = 'https://seed.example.org';

export async function seedConsentSiteTables(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<{ siteId: string; receiptId: string }> {
  const site = await createConsentSite(deps, principal, campaignId, { name: 'Seed website', origins: [SEED_ORIGIN] });
  const banner = (await publicSite(deps.db, site.id))!.current!.banner;
  const receiptId = randomUUID();
  await submitReceipt(deps.db, {
    siteId: site.id,
    origin: SEED_ORIGIN,
    body: {
      receiptId,
      consentId: randomUUID(),
      action: 'reject_all',
      categories: { necessary: true, statistics: false, appearance: false, advertising: false, social: false },
      services: {},
      configHash: banner.configHash,
      revision: banner.revision,
      language: 'en',
      textHash: banner.textHashes.en,
      gpc: false,
      pageUrl: `${SEED_ORIGIN}/`,
      clientTime: new Date().toISOString(),
    },
  });
  return { siteId: site.id, receiptId };
}

/** The default configuration with YouTube embeds (the preset) under "social". */
export function youtubeSiteConfig(): SiteConfig {
  const config = defaultSiteConfig();
  const youtube = SERVICE_PRESETS['youtube']!.service;
  return {
    ...config,
    categories: config.categories.map((c) => (c.id === 'social' ? { ...c, services: [youtube] } : c)),
  };
}

/**
 * Registers a website served from `origin` with youtubeSiteConfig(), and returns it with the
 * banner configuration it publishes (as the public endpoints serve it).
 */
export async function createYoutubeSite(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  site: { name: string; origin: string },
): Promise<{ siteId: string; banner: BannerConfig }> {
  const created = await createConsentSite(deps, principal, campaignId, {
    name: site.name,
    origins: [site.origin],
    config: youtubeSiteConfig(),
  });
  return { siteId: created.id, banner: (await publicSite(deps.db, created.id))!.current!.banner };
}

/**
 * A new receipt (fresh receipt and consent ids) for `banner`'s English text, as the banner sends
 * it from `${origin}/join` when the visitor allows social (YouTube) only.
 */
export function youtubeReceipt(
  banner: BannerConfig,
  origin: string,
  overrides: Partial<ReceiptSubmission> = {},
): ReceiptSubmission {
  return {
    receiptId: randomUUID(),
    consentId: randomUUID(),
    action: 'custom',
    categories: { necessary: true, statistics: false, appearance: false, advertising: false, social: true },
    services: { youtube: true },
    configHash: banner.configHash,
    revision: banner.revision,
    language: 'en',
    textHash: banner.textHashes.en!,
    gpc: false,
    pageUrl: `${origin}/join`,
    clientTime: new Date().toISOString(),
    ...overrides,
  };
}

/**
 * Posts `receipt` as JSON to `path` on 127.0.0.1:`port` through `agent`, from a page of `origin`,
 * naming the visitor's address in X-Forwarded-For (the server trusts it). Resolves with the
 * status, or 0 when the connection failed before an answer (e.g. the server was killed).
 */
export function postReceiptOverHttp(
  agent: http.Agent,
  port: number,
  path: string,
  receipt: ReceiptSubmission,
  visitor: { origin: string; ip: string },
): Promise<number> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(receipt);
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          origin: visitor.origin,
          'x-forwarded-for': visitor.ip,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(payload);
  });
}
