/**
 * Inviting staff to a campaign. The link carries `<campaign>.<invitation>.<secret>` in the
 * URL fragment (never sent to servers or logs); only the secret's hash is stored. Accepting
 * creates the account if needed and adds the membership, in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InvitationRow } from '../db/schema.js';
import { inCampaign, inInstallation, type Tx } from '../db/scope.js';
import {
  displayNameSchema,
  emailSchema,
  generateSecret,
  hashSecret,
  INVITATION_TTL_DAYS,
  passwordSchema,
  secretsEqual,
} from '../domain/credentials.js';
import { AppError, conflict, notFound } from '../domain/errors.js';
import { ROLES, type Role } from '../domain/permissions.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import { issueSession, sessionView, signIn, signOut, type IssuedSession } from './sessions.js';
import { insertUser } from './users.js';
import { parseInput } from './validate.js';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  status: InvitationStatus;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function statusOf(row: InvitationRow, now: Date): InvitationStatus {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  if (row.expires_at.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

function present(row: InvitationRow, now: Date): InvitationView {
  return {
    id: row.invitation_id,
    email: row.email,
    role: row.role as Role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status: statusOf(row, now),
  };
}

const inviteSchema = z
  .object({ email: emailSchema, role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }) })
  .strict();

export async function inviteMember(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<{ invitation: InvitationView; acceptUrl: string; token: string }> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const { email, role } = parseInput(inviteSchema, input);
    await authorize(tx, principal, campaignId, 'members.invite', { targetRole: role });
    const already = await tx
      .selectFrom('memberships')
      .innerJoin('users', 'users.user_id', 'memberships.user_id')
      .select('memberships.user_id')
      .where('memberships.campaign_id', '=', campaignId)
      .where('users.email', '=', email)
      .executeTakeFirst();
    if (already) throw conflict('this person is already a member of the campaign', { field: 'email' });
    const now = nowOf(deps);
    // A new invitation replaces any pending one for the same address.
    await tx
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('campaign_id', '=', campaignId)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    const invitationId = randomUUID();
    const secret = generateSecret();
    const [row] = await tx
      .insertInto('invitations')
      .values({
        campaign_id: campaignId,
        invitation_id: invitationId,
        email,
        role,
        token_hash: hashSecret(secret),
        invited_by: principal.userId,
        created_at: now,
        expires_at: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000),
      })
      .returningAll()
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'member.invited', data: { invitationId, role } },
      now,
    );
    const token = `${campaignId}.${invitationId}.${secret}`;
    return { invitation: present(row!, now), acceptUrl: `${deps.settings.publicUrl}/invite#token=${token}`, token };
  });
}

export async function listInvitations(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<InvitationView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'members.read');
    const rows = await tx
      .selectFrom('invitations')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('created_at', 'desc')
      .execute();
    const now = nowOf(deps);
    return rows.map((r) => present(r, now));
  });
}

export async function revokeInvitation(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  invitationId: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    if (!UUID.test(invitationId)) throw notFound('invitation');
    const row = await tx
      .selectFrom('invitations')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('invitation_id', '=', invitationId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('invitation');
    await authorize(tx, principal, campaignId, 'members.invite', { targetRole: row.role as Role });
    const now = nowOf(deps);
    if (statusOf(row, now) !== 'pending')
      throw new AppError('invalid_state', `the invitation is ${statusOf(row, now)}, not pending`);
    await tx
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('campaign_id', '=', campaignId)
      .where('invitation_id', '=', invitationId)
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'invitation.revoked', data: { invitationId } },
      now,
    );
  });
}

interface ParsedToken {
  campaignId: string;
  invitationId: string;
  secret: string;
}

const invalidLink = () =>
  new AppError('not_found', 'this invitation link is not valid: it was used, revoked or has expired');

function parseToken(token: string): ParsedToken {
  const [campaignId = '', invitationId = '', secret = '', ...rest] = token.trim().split('.');
  if (rest.length > 0 || !UUID.test(campaignId) || !UUID.test(invitationId) || secret.length < 20) throw invalidLink();
  return { campaignId, invitationId, secret };
}

async function loadPending(tx: Tx, token: ParsedToken, now: Date, lock: boolean): Promise<InvitationRow> {
  let query = tx
    .selectFrom('invitations')
    .selectAll()
    .where('campaign_id', '=', token.campaignId)
    .where('invitation_id', '=', token.invitationId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row || !secretsEqual(row.token_hash, hashSecret(token.secret)) || statusOf(row, now) !== 'pending')
    throw invalidLink();
  return row;
}

const tokenSchema = z.object({ token: z.string().min(1, 'is required').max(300) }).strict();

export async function previewInvitation(
  deps: AppDeps,
  input: unknown,
): Promise<{ campaignId: string; campaignName: string; role: Role; email: string; accountExists: boolean }> {
  const token = parseToken(parseInput(tokenSchema, input).token);
  return inCampaign(deps.db, token.campaignId, async (tx) => {
    const row = await loadPending(tx, token, nowOf(deps), false);
    const campaign = await tx
      .selectFrom('campaigns')
      .select('name')
      .where('campaign_id', '=', token.campaignId)
      .executeTakeFirstOrThrow();
    const user = await tx.selectFrom('users').select('user_id').where('email', '=', row.email).executeTakeFirst();
    return {
      campaignId: token.campaignId,
      campaignName: campaign.name,
      role: row.role as Role,
      email: row.email,
      accountExists: user !== undefined,
    };
  });
}

const acceptSchema = z
  .object({
    token: z.string().min(1, 'is required').max(300),
    displayName: displayNameSchema.optional(),
    password: z.string().max(1024).optional(),
  })
  .strict();

/**
 * Accepts an invitation. A new account needs a display name and a password; an existing
 * account must be the signed-in principal, or give its password (checked by signIn, with
 * its lockout).
 */
export async function acceptInvitation(
  deps: AppDeps,
  input: unknown,
  signedIn: Principal | null,
): Promise<IssuedSession> {
  const parsed = parseInput(acceptSchema, input);
  const token = parseToken(parsed.token);
  const now = nowOf(deps);

  const invitationEmail = await inCampaign(
    deps.db,
    token.campaignId,
    async (tx) => (await loadPending(tx, token, now, false)).email,
  );
  const existing = await inInstallation(deps.db, (tx) =>
    tx.selectFrom('users').select('user_id').where('email', '=', invitationEmail).executeTakeFirst(),
  );
  let existingUserId: string | null = null;
  if (existing) {
    if (signedIn?.userId === existing.user_id) existingUserId = existing.user_id;
    else if (parsed.password !== undefined) {
      // signIn checks the password with its lockout; its session is replaced by the one issued below.
      const proof = await signIn(deps, { email: invitationEmail, password: parsed.password });
      await signOut(deps, proof.secret);
      existingUserId = proof.view.user.id;
    } else
      throw new AppError('unauthenticated', 'an account with this email exists: sign in as that account to accept');
  } else {
    const issues = [];
    if (parsed.displayName === undefined) issues.push({ field: 'displayName', message: 'is required' });
    const pw = passwordSchema.safeParse(parsed.password);
    if (!pw.success)
      issues.push({
        field: 'password',
        message: parsed.password === undefined ? 'is required' : (pw.error.issues[0]?.message ?? 'is invalid'),
      });
    if (issues.length > 0)
      throw new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }

  const result = await inCampaign(deps.db, token.campaignId, async (tx) => {
    const row = await loadPending(tx, token, now, true);
    const userId =
      existingUserId ??
      (await insertUser(tx, { email: row.email, displayName: parsed.displayName!, password: parsed.password! })).id;
    const member = await tx
      .selectFrom('memberships')
      .select('role')
      .where('campaign_id', '=', token.campaignId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (member) throw conflict('you are already a member of this campaign');
    await tx
      .insertInto('memberships')
      .values({ campaign_id: token.campaignId, user_id: userId, role: row.role, created_at: now })
      .execute();
    await tx
      .updateTable('invitations')
      .set({ accepted_at: now, accepted_by: userId })
      .where('campaign_id', '=', token.campaignId)
      .where('invitation_id', '=', token.invitationId)
      .execute();
    await appendAuditEvent(
      tx,
      token.campaignId,
      { type: 'user', id: userId },
      {
        type: 'member.joined',
        data: { userId, role: row.role as Role, via: 'invitation' },
      },
      now,
    );
    return { userId, session: await issueSession(tx, deps, userId) };
  });
  return { ...result.session, view: await sessionView(deps.db, result.userId, result.session.secret) };
}
