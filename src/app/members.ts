/**
 * Campaign membership: who works on a campaign and in which role. A campaign always keeps
 * at least one owner.
 */
import { z } from 'zod';
import { inCampaign, type Tx } from '../db/scope.js';
import { AppError, notFound } from '../domain/errors.js';
import { ROLES, type Role } from '../domain/permissions.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import { parseInput } from './validate.js';

export interface MemberView {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  joinedAt: Date;
}

export async function listMembers(deps: AppDeps, principal: Principal, campaignId: string): Promise<MemberView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'members.read');
    const rows = await tx
      .selectFrom('memberships')
      .innerJoin('users', 'users.user_id', 'memberships.user_id')
      .select([
        'memberships.user_id',
        'users.email',
        'users.display_name',
        'memberships.role',
        'memberships.created_at',
      ])
      .where('memberships.campaign_id', '=', campaignId)
      .orderBy('users.display_name')
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      displayName: r.display_name,
      role: r.role as Role,
      joinedAt: r.created_at,
    }));
  });
}

async function loadMember(tx: Tx, campaignId: string, userId: string): Promise<MemberView> {
  const row = await tx
    .selectFrom('memberships')
    .innerJoin('users', 'users.user_id', 'memberships.user_id')
    .select(['memberships.user_id', 'users.email', 'users.display_name', 'memberships.role', 'memberships.created_at'])
    .where('memberships.campaign_id', '=', campaignId)
    .where('memberships.user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('member');
  return {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as Role,
    joinedAt: row.created_at,
  };
}

async function assertAnotherOwner(tx: Tx, campaignId: string, userId: string): Promise<void> {
  const others = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('campaign_id', '=', campaignId)
    .where('role', '=', 'owner')
    .where('user_id', '!=', userId)
    .limit(1)
    .executeTakeFirst();
  if (!others) throw new AppError('invalid_state', 'a campaign must keep at least one owner');
}

const roleChangeSchema = z.object({ role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }) }).strict();

export async function changeMemberRole(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  userId: string,
  input: unknown,
): Promise<MemberView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const { role } = parseInput(roleChangeSchema, input);
    const member = await loadMember(tx, campaignId, userId);
    const touchesOwner = role === 'owner' || member.role === 'owner';
    await authorize(tx, principal, campaignId, 'members.manage', { targetRole: touchesOwner ? 'owner' : role });
    if (member.role === role) return member;
    if (member.role === 'owner') await assertAnotherOwner(tx, campaignId, userId);
    await tx
      .updateTable('memberships')
      .set({ role })
      .where('campaign_id', '=', campaignId)
      .where('user_id', '=', userId)
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'member.role_changed', data: { userId, from: member.role, to: role } },
      nowOf(deps),
    );
    return { ...member, role };
  });
}

export async function removeMember(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  userId: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const member = await loadMember(tx, campaignId, userId);
    await authorize(tx, principal, campaignId, 'members.manage', { targetRole: member.role });
    if (member.role === 'owner') await assertAnotherOwner(tx, campaignId, userId);
    await tx.deleteFrom('memberships').where('campaign_id', '=', campaignId).where('user_id', '=', userId).execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'member.removed', data: { userId, role: member.role } },
      nowOf(deps),
    );
  });
}
