/**
 * Factories: each test builds its own campaign and staff through the real use cases, so no
 * test depends on another's rows.
 */
import { randomUUID } from 'node:crypto';
import { createCampaign } from '../../src/app/campaigns.js';
import type { AppDeps, AppSettings, Principal } from '../../src/app/context.js';
import { inviteMember, acceptInvitation } from '../../src/app/invitations.js';
import { createUser } from '../../src/app/users.js';
import type { Database } from '../../src/db/client.js';
import type { Campaign } from '../../src/domain/campaign.js';
import type { Role } from '../../src/domain/permissions.js';

export const PASSWORD = 'correct horse battery staple';

export function testSettings(overrides: Partial<AppSettings> = {}): AppSettings {
  return {
    publicUrl: 'http://localhost:3000',
    sessionTtlHours: 12,
    loginMaxFailures: 5,
    loginLockoutMinutes: 15,
    ...overrides,
  };
}

export function testDeps(db: Database, overrides: Partial<AppSettings> = {}): AppDeps {
  return { db, settings: testSettings(overrides) };
}

export function uniqueEmail(label = 'staff'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.org`;
}

export interface StaffMember {
  principal: Principal;
  email: string;
  password: string;
}

export async function makeUser(deps: AppDeps, label = 'staff'): Promise<StaffMember> {
  const email = uniqueEmail(label);
  const user = await createUser(deps, { email, displayName: `Test ${label}`, password: PASSWORD });
  return { principal: { userId: user.id, via: 'session' }, email, password: PASSWORD };
}

export interface TestCampaign {
  campaign: Campaign;
  owner: StaffMember;
}

export async function makeCampaign(
  deps: AppDeps,
  name = `Campaign ${randomUUID().slice(0, 6)}`,
): Promise<TestCampaign> {
  const owner = await makeUser(deps, 'owner');
  const campaign = await createCampaign(deps, owner.principal, {
    name,
    controllerType: 'candidate',
    postalAddress: '1 High Street, Exampletown, EX1 1AA',
    icoRegistrationNumber: 'ZA123456',
    dpo: { name: 'Dee Pio', email: 'dpo@example.org' },
  });
  return { campaign, owner };
}

/** Adds a member with the given role through a real invitation. */
export async function addMember(deps: AppDeps, tc: TestCampaign, role: Role): Promise<StaffMember> {
  const email = uniqueEmail(role);
  const { token } = await inviteMember(deps, tc.owner.principal, tc.campaign.id, { email, role });
  const session = await acceptInvitation(deps, { token, displayName: `Test ${role}`, password: PASSWORD }, null);
  return { principal: { userId: session.view.user.id, via: 'session' }, email, password: PASSWORD };
}
