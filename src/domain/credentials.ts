/**
 * Credential policy for staff accounts: pure rules, no I/O.
 * Passwords follow NCSC/NIST guidance: length over composition rules, a generous maximum,
 * no forced rotation; the account's own email is refused as its password.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .refine((p) => p.trim().length >= PASSWORD_MIN_LENGTH, { message: 'must not be mostly spaces' });

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, 'must be at most 320 characters')
  .pipe(z.email('must be an email address'));

export const displayNameSchema = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');

/** An invitation link lasts a week; the setup link a day. */
export const INVITATION_TTL_DAYS = 7;
export const SETUP_TOKEN_TTL_HOURS = 24;
export const API_TOKEN_MAX_DAYS = 366;
export const API_TOKEN_PREFIX = 'cvs_';

/** 256 bits of randomness, URL-safe. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256 (they are random, so no salt or stretching is needed). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** The CSRF token of a cookie session is derived from the session secret: nothing to store. */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`canvass-csrf:${sessionSecret}`).digest('base64url');
}

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** After a failed sign-in: the new failure count and, when it reaches the limit, the lock. */
export function afterFailedSignIn(
  failures: number,
  now: Date,
  policy: { maxFailures: number; lockoutMinutes: number },
): { failedCount: number; lockedUntil: Date | null } {
  const next = failures + 1;
  if (next >= policy.maxFailures) {
    return { failedCount: 0, lockedUntil: new Date(now.getTime() + policy.lockoutMinutes * 60_000) };
  }
  return { failedCount: next, lockedUntil: null };
}
