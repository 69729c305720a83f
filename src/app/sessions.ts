/**
 * Signing in and recognising staff: cookie sessions and personal API tokens. Secrets are
 * stored only as hashes; unknown emails cost the same time as wrong passwords; repeated
 * failures lock the account for a while (per-account, in the database, so it holds across
 * app servers).
 */
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { inInstallation, type Tx } from '../db/scope.js';
import {
  afterFailedSignIn,
  API_TOKEN_PREFIX,
  csrfTokenFor,
  generateSecret,
  hashSecret,
  isLocked,
} from '../domain/credentials.js';
import { AppError } from '../domain/errors.js';
import { abilitiesOf, type Role } from '../domain/permissions.js';
import { nowOf, type AppDeps, type Principal } from './context.js';
import { dummyHash, verifyPassword } from './passwords.js';
import type { UserView } from './users.js';
import { parseInput } from './validate.js';

export interface SessionView {
  user: UserView;
  csrfToken: string | null;
  campaigns: { id: string; name: string; controllerType: string; role: Role; abilities: string[] }[];
}

export interface IssuedSession {
  /** The cookie value; never stored. */
  secret: string;
  expiresAt: Date;
  view: SessionView;
}

const signInSchema = z
  .object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1024) })
  .strict();

const badCredentials = () => new AppError('unauthenticated', 'email or password is incorrect');

export async function issueSession(
  tx: Tx,
  deps: AppDeps,
  userId: string,
): Promise<{ secret: string; expiresAt: Date }> {
  const now = nowOf(deps);
  const secret = generateSecret();
  const expiresAt = new Date(now.getTime() + deps.settings.sessionTtlHours * 3_600_000);
  await tx
    .insertInto('sessions')
    .values({
      token_hash: hashSecret(secret),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { secret, expiresAt };
}

export async function signIn(deps: AppDeps, input: unknown): Promise<IssuedSession> {
  const { email, password } = parseInput(signInSchema, input);
  const now = nowOf(deps);
  const outcome = await inInstallation(deps.db, async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select(['user_id', 'password_hash', 'failed_login_count', 'locked_until', 'disabled_at'])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
    if (!user || !user.password_hash || user.disabled_at) {
      await verifyPassword(await dummyHash(), password);
      return { ok: false as const, error: badCredentials() };
    }
    if (isLocked(user.locked_until, now)) {
      return { ok: false as const, error: lockedError(user.locked_until!) };
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      const next = afterFailedSignIn(user.failed_login_count, now, {
        maxFailures: deps.settings.loginMaxFailures,
        lockoutMinutes: deps.settings.loginLockoutMinutes,
      });
      await tx
        .updateTable('users')
        .set({ failed_login_count: next.failedCount, locked_until: next.lockedUntil })
        .where('user_id', '=', user.user_id)
        .execute();
      return { ok: false as const, error: next.lockedUntil ? lockedError(next.lockedUntil) : badCredentials() };
    }
    await tx
      .updateTable('users')
      .set({ failed_login_count: 0, locked_until: null })
      .where('user_id', '=', user.user_id)
      .execute();
    return { ok: true as const, session: await issueSession(tx, deps, user.user_id), userId: user.user_id };
  });
  // The failure counter must be committed, so the error is thrown after the transaction.
  if (!outcome.ok) throw outcome.error;
  return {
    ...outcome.session,
    view: await sessionView(deps.db, outcome.userId, outcome.session.secret),
  };
}

function lockedError(until: Date): AppError {
  return new AppError('account_locked', 'too many failed sign-ins: the account is locked for a while', {
    lockedUntil: until.toISOString(),
  });
}

export async function signOut(deps: AppDeps, sessionSecret: string): Promise<void> {
  await inInstallation(deps.db, (tx) =>
    tx.deleteFrom('sessions').where('token_hash', '=', hashSecret(sessionSecret)).execute(),
  );
}

/** Recognises a session cookie; refreshes last_seen_at at most once a minute. */
export async function authenticateSession(deps: AppDeps, secret: string): Promise<Principal | null> {
  if (!secret || secret.length > 200) return null;
  const now = nowOf(deps);
  const tokenHash = hashSecret(secret);
  return inInstallation(deps.db, async (tx) => {
    const row = await tx
      .selectFrom('sessions')
      .innerJoin('users', 'users.user_id', 'sessions.user_id')
      .select(['sessions.user_id', 'sessions.expires_at', 'sessions.last_seen_at', 'users.disabled_at'])
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row || row.disabled_at || row.expires_at.getTime() <= now.getTime()) return null;
    if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
      await tx.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
    }
    return { userId: row.user_id, via: 'session' as const };
  });
}

/** Recognises a personal API token (`cvs_…`). */
export async function authenticateApiToken(deps: AppDeps, secret: string): Promise<Principal | null> {
  if (!secret.startsWith(API_TOKEN_PREFIX) || secret.length > 200) return null;
  const now = nowOf(deps);
  const tokenHash = hashSecret(secret);
  return inInstallation(deps.db, async (tx) => {
    const row = await tx
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.user_id', 'api_tokens.user_id')
      .select([
        'api_tokens.token_id',
        'api_tokens.user_id',
        'api_tokens.expires_at',
        'api_tokens.revoked_at',
        'api_tokens.last_used_at',
        'users.disabled_at',
      ])
      .where('api_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row || row.revoked_at || row.disabled_at) return null;
    if (row.expires_at && row.expires_at.getTime() <= now.getTime()) return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await tx.updateTable('api_tokens').set({ last_used_at: now }).where('token_id', '=', row.token_id).execute();
    }
    return { userId: row.user_id, via: 'api_token' as const, tokenId: row.token_id };
  });
}

export async function sessionView(db: Database, userId: string, sessionSecret: string | null): Promise<SessionView> {
  return inInstallation(
    db,
    async (tx) => {
      const user = await tx
        .selectFrom('users')
        .select(['user_id', 'email', 'display_name'])
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      const campaigns = await tx
        .selectFrom('memberships')
        .innerJoin('campaigns', 'campaigns.campaign_id', 'memberships.campaign_id')
        .select(['campaigns.campaign_id', 'campaigns.name', 'campaigns.controller_type', 'memberships.role'])
        .where('memberships.user_id', '=', userId)
        .orderBy('campaigns.name')
        .execute();
      return {
        user: { id: user.user_id, email: user.email, displayName: user.display_name },
        csrfToken: sessionSecret ? csrfTokenFor(sessionSecret) : null,
        campaigns: campaigns.map((c) => ({
          id: c.campaign_id,
          name: c.name,
          controllerType: c.controller_type,
          role: c.role as Role,
          abilities: abilitiesOf({ role: c.role as Role }),
        })),
      };
    },
    { userId },
  );
}
