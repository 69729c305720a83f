/**
 * First run: while the installation has no staff account, `npm start` prints a one-time
 * setup link. Following it creates the first owner and their campaign, atomically.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { inCampaign, inInstallation } from '../db/scope.js';
import { campaignInputSchema, type Campaign } from '../domain/campaign.js';
import { generateSecret, hashSecret, SETUP_TOKEN_TTL_HOURS } from '../domain/credentials.js';
import { AppError } from '../domain/errors.js';
import { insertCampaign } from './campaigns.js';
import { nowOf, type AppDeps } from './context.js';
import { issueSession } from './sessions.js';
import { insertUser, newUserSchema, type UserView } from './users.js';
import { parseInput } from './validate.js';

const SETUP_LOCK = 7_310_466_266;

export async function isSetupNeeded(deps: AppDeps): Promise<boolean> {
  return inInstallation(deps.db, async (tx) => {
    const row = await tx.selectFrom('users').select('user_id').limit(1).executeTakeFirst();
    return row === undefined;
  });
}

/** A new setup link, valid for a day; null once any account exists. */
export async function issueSetupLink(deps: AppDeps): Promise<string | null> {
  const now = nowOf(deps);
  return inInstallation(deps.db, async (tx) => {
    const anyUser = await tx.selectFrom('users').select('user_id').limit(1).executeTakeFirst();
    if (anyUser) return null;
    const secret = generateSecret();
    await tx
      .insertInto('setup_tokens')
      .values({
        token_hash: hashSecret(secret),
        created_at: now,
        expires_at: new Date(now.getTime() + SETUP_TOKEN_TTL_HOURS * 3_600_000),
      })
      .execute();
    return `${deps.settings.publicUrl}/setup#token=${secret}`;
  });
}

const setupSchema = z
  .object({ token: z.string().min(1, 'is required').max(200), user: newUserSchema, campaign: campaignInputSchema })
  .strict();

export interface SetupResult {
  user: UserView;
  campaign: Campaign;
  session: { secret: string; expiresAt: Date };
}

export async function completeSetup(deps: AppDeps, input: unknown): Promise<SetupResult> {
  const parsed = parseInput(setupSchema, input);
  const now = nowOf(deps);
  const campaignId = randomUUID();
  return inCampaign(deps.db, campaignId, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`.execute(tx);
    const unavailable = () =>
      new AppError(
        'setup_unavailable',
        'this setup link is not valid: it was used, has expired, or setup is already done',
      );
    const anyUser = await tx.selectFrom('users').select('user_id').limit(1).executeTakeFirst();
    if (anyUser) throw unavailable();
    const token = await tx
      .selectFrom('setup_tokens')
      .select(['token_hash', 'expires_at', 'used_at'])
      .where('token_hash', '=', hashSecret(parsed.token))
      .forUpdate()
      .executeTakeFirst();
    if (!token || token.used_at || token.expires_at.getTime() <= now.getTime()) throw unavailable();
    const user = await insertUser(tx, parsed.user);
    const campaign = await insertCampaign(
      tx,
      parsed.campaign,
      { userId: user.id, via: 'setup' },
      { type: 'user', id: user.id },
      now,
      campaignId,
    );
    await tx.updateTable('setup_tokens').set({ used_at: now }).where('token_hash', '=', token.token_hash).execute();
    const session = await issueSession(tx, deps, user.id);
    return { user, campaign, session };
  });
}
