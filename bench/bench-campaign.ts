/**
 * What every benchmark that goes through the use cases needs first: the application's
 * dependencies over a migrated database, an owner, a campaign and a web-form source.
 */
import { createCampaign } from '../src/app/campaigns.js';
import type { AppDeps, Principal } from '../src/app/context.js';
import { createSource } from '../src/app/sources.js';
import { createUser } from '../src/app/users.js';
import type { Database } from '../src/db/client.js';

export interface BenchCampaign {
  deps: AppDeps;
  principal: Principal;
  campaignId: string;
  sourceId: string;
}

export async function createBenchCampaign(
  db: Database,
  label: string,
  source: { art9Condition?: string } = {},
): Promise<BenchCampaign> {
  const deps: AppDeps = {
    db,
    settings: { publicUrl: 'http://localhost:3000', sessionTtlHours: 12, loginMaxFailures: 5, loginLockoutMinutes: 15 },
  };
  const user = await createUser(deps, {
    email: `bench-${label.toLowerCase().replace(/\W+/g, '-')}-${process.pid}@example.org`,
    displayName: 'Bench',
    password: 'correct horse battery staple',
  });
  const principal: Principal = { userId: user.id, via: 'session' };
  const campaign = await createCampaign(deps, principal, {
    name: `${label} benchmark`,
    controllerType: 'candidate',
    postalAddress: '1 High Street, Exampletown, EX1 1AA',
    icoRegistrationNumber: 'ZA123456',
    dpo: { name: 'Dee Pio', email: 'dpo@example.org' },
  });
  const created = await createSource(deps, principal, campaign.id, {
    name: 'Website sign-ups',
    type: 'web_form',
    lawfulBasis: 'consent',
    ...source,
  });
  return { deps, principal, campaignId: campaign.id, sourceId: created.id };
}
