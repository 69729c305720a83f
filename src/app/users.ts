/**
 * Staff accounts: creation (by setup, invitation or CLI), profile and password changes.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../db/scope.js';
import { inInstallation } from '../db/scope.js';
import { displayNameSchema, emailSchema, passwordSchema } from '../domain/credentials.js';
import { AppError, conflict, notFound } from '../domain/errors.js';
import type { AppDeps, Principal } from './context.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { parseInput } from './validate.js';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
}

export const newUserSchema = z
  .object({ email: emailSchema, displayName: displayNameSchema, password: passwordSchema })
  .strict()
  .refine((u) => u.password.toLowerCase() !== u.email, {
    message: 'must not be your email address',
    path: ['password'],
  });
export type NewUserInput = z.infer<typeof newUserSchema>;

export async function insertUser(tx: Tx, input: NewUserInput): Promise<UserView> {
  const existing = await tx.selectFrom('users').select('user_id').where('email', '=', input.email).executeTakeFirst();
  if (existing) throw conflict('an account with this email already exists', { field: 'email' });
  const id = randomUUID();
  await tx
    .insertInto('users')
    .values({
      user_id: id,
      email: input.email,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
    })
    .execute();
  return { id, email: input.email, displayName: input.displayName };
}

/** Creates an account (CLI `canvass user create`). */
export async function createUser(deps: AppDeps, input: unknown): Promise<UserView> {
  const parsed = parseInput(newUserSchema, input);
  return inInstallation(deps.db, (tx) => insertUser(tx, parsed));
}

const emailLookupSchema = z.object({ email: emailSchema }).strict();

/** The account with this email, or null (CLI: naming a campaign owner or an inviter). */
export async function findUserByEmail(deps: AppDeps, email: string): Promise<UserView | null> {
  const parsed = parseInput(emailLookupSchema, { email });
  return inInstallation(deps.db, async (tx) => {
    const row = await tx
      .selectFrom('users')
      .select(['user_id', 'email', 'display_name'])
      .where('email', '=', parsed.email)
      .executeTakeFirst();
    return row ? { id: row.user_id, email: row.email, displayName: row.display_name } : null;
  });
}

export async function getAccount(deps: AppDeps, principal: Principal): Promise<UserView> {
  return inInstallation(deps.db, async (tx) => {
    const row = await tx
      .selectFrom('users')
      .select(['user_id', 'email', 'display_name'])
      .where('user_id', '=', principal.userId)
      .executeTakeFirst();
    if (!row) throw notFound('account');
    return { id: row.user_id, email: row.email, displayName: row.display_name };
  });
}

const accountUpdateSchema = z.object({ displayName: displayNameSchema }).strict();

export async function updateAccount(deps: AppDeps, principal: Principal, input: unknown): Promise<UserView> {
  const parsed = parseInput(accountUpdateSchema, input);
  await inInstallation(deps.db, (tx) =>
    tx.updateTable('users').set({ display_name: parsed.displayName }).where('user_id', '=', principal.userId).execute(),
  );
  return getAccount(deps, principal);
}

const passwordChangeSchema = z.object({ currentPassword: z.string().max(1024), newPassword: passwordSchema }).strict();

/** Changes the password and signs out every other session of the account. */
export async function changePassword(
  deps: AppDeps,
  principal: Principal,
  input: unknown,
  keepSessionHash: string | null,
): Promise<void> {
  const parsed = parseInput(passwordChangeSchema, input);
  await inInstallation(deps.db, async (tx) => {
    const row = await tx
      .selectFrom('users')
      .select(['password_hash', 'email'])
      .where('user_id', '=', principal.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('account');
    if (!row.password_hash || !(await verifyPassword(row.password_hash, parsed.currentPassword))) {
      throw new AppError('validation_failed', 'currentPassword: is not your current password', {
        issues: [{ field: 'currentPassword', message: 'is not your current password' }],
      });
    }
    if (parsed.newPassword.toLowerCase() === row.email) {
      throw new AppError('validation_failed', 'newPassword: must not be your email address', {
        issues: [{ field: 'newPassword', message: 'must not be your email address' }],
      });
    }
    await tx
      .updateTable('users')
      .set({ password_hash: await hashPassword(parsed.newPassword) })
      .where('user_id', '=', principal.userId)
      .execute();
    let del = tx.deleteFrom('sessions').where('user_id', '=', principal.userId);
    if (keepSessionHash) del = del.where('token_hash', '!=', keepSessionHash);
    await del.execute();
  });
}
