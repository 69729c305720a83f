/**
 * Personal API tokens for scripting. A token acts as its owner in every campaign they
 * belong to. It is shown once; only its SHA-256 is stored. Only a signed-in person (not
 * another token) may create one, so a leaked token cannot mint more.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { inInstallation } from '../db/scope.js';
import { API_TOKEN_MAX_DAYS, API_TOKEN_PREFIX, generateSecret, hashSecret } from '../domain/credentials.js';
import { AppError, notFound } from '../domain/errors.js';
import { nowOf, type AppDeps, type Principal } from './context.js';
import { parseInput } from './validate.js';

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const createSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    expiresInDays: z.number().int('must be a whole number').min(1).max(API_TOKEN_MAX_DAYS).optional(),
  })
  .strict();

export async function createApiToken(
  deps: AppDeps,
  principal: Principal,
  input: unknown,
): Promise<{ token: ApiTokenView; secret: string }> {
  if (principal.via === 'api_token')
    throw new AppError('forbidden', 'an API token cannot create API tokens; sign in to do this');
  const parsed = parseInput(createSchema, input);
  const now = nowOf(deps);
  const secret = `${API_TOKEN_PREFIX}${generateSecret()}`;
  const view: ApiTokenView = {
    id: randomUUID(),
    name: parsed.name,
    prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
    createdAt: now,
    expiresAt: parsed.expiresInDays ? new Date(now.getTime() + parsed.expiresInDays * 86_400_000) : null,
    lastUsedAt: null,
  };
  await inInstallation(deps.db, (tx) =>
    tx
      .insertInto('api_tokens')
      .values({
        token_id: view.id,
        user_id: principal.userId,
        name: view.name,
        token_hash: hashSecret(secret),
        token_prefix: view.prefix,
        created_at: now,
        expires_at: view.expiresAt,
      })
      .execute(),
  );
  return { token: view, secret };
}

export async function listApiTokens(deps: AppDeps, principal: Principal): Promise<ApiTokenView[]> {
  const rows = await inInstallation(deps.db, (tx) =>
    tx
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', principal.userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute(),
  );
  return rows.map((r) => ({
    id: r.token_id,
    name: r.name,
    prefix: r.token_prefix,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
  }));
}

export async function revokeApiToken(deps: AppDeps, principal: Principal, tokenId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/.test(tokenId)) throw notFound('API token');
  const result = await inInstallation(deps.db, (tx) =>
    tx
      .updateTable('api_tokens')
      .set({ revoked_at: nowOf(deps) })
      .where('token_id', '=', tokenId)
      .where('user_id', '=', principal.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),
  );
  if (Number(result.numUpdatedRows) === 0) throw notFound('API token');
}
