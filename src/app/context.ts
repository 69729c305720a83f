/**
 * What every use case receives: the database, the clock and the few settings use cases
 * need. Plain objects, no container.
 */
import type { Database } from '../db/client.js';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { AppError, notFound } from '../domain/errors.js';
import { can, type Action, type PermissionContext, type Role } from '../domain/permissions.js';

export interface AppSettings {
  publicUrl: string;
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginLockoutMinutes: number;
}

export interface AppDeps {
  db: Database;
  settings: AppSettings;
  now?: () => Date;
}

export const nowOf = (deps: AppDeps): Date => (deps.now ? deps.now() : new Date());

/** A signed-in staff member, by cookie session or personal API token. */
export interface Principal {
  userId: string;
  via: 'session' | 'api_token' | 'cli';
  tokenId?: string;
}

export const actorOf = (principal: Principal): AuditActor =>
  principal.via === 'cli' ? { type: 'system', id: `cli:${principal.userId}` } : { type: 'user', id: principal.userId };

/**
 * The member's role in the campaign, or not_found: a campaign the principal does not
 * belong to does not exist for them (no 403 that would confirm it exists).
 */
export async function membershipRole(tx: Tx, principal: Principal, campaignId: string): Promise<Role> {
  const row = await tx
    .selectFrom('memberships')
    .select('role')
    .where('campaign_id', '=', campaignId)
    .where('user_id', '=', principal.userId)
    .executeTakeFirst();
  if (!row) throw notFound('campaign');
  return row.role as Role;
}

/** Loads the role and checks the permission table in one step. */
export async function authorize(
  tx: Tx,
  principal: Principal,
  campaignId: string,
  action: Action,
  context: PermissionContext = {},
): Promise<Role> {
  const role = await membershipRole(tx, principal, campaignId);
  if (!can({ role }, action, context)) {
    throw new AppError('forbidden', `your role (${role}) does not allow ${action}`, { action, role });
  }
  return role;
}

/** Authorization on its own, for callers whose work happens outside src/app (e.g. the job runner). */
export async function assertCan(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  action: Action,
): Promise<Role> {
  return inCampaign(deps.db, campaignId, (tx) => authorize(tx, principal, campaignId, action));
}
