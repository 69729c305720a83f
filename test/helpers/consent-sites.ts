/**
 * Website consent (issue 6) for tests that need one row of each consent table in a campaign
 * (e.g. test/integration/isolation.test.ts): a website (consent_sites), its first published
 * version (consent_site_versions) and one receipt (consent_receipts), through the use cases.
 */
import { randomUUID } from 'node:crypto';
import { submitReceipt } from '../../src/app/consent-receipts.js';
import { createConsentSite, publicSite } from '../../src/app/consent-sites.js';
import type { AppDeps, Principal } from '../../src/app/context.js';

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
