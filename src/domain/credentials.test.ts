import { describe, expect, it } from 'vitest';
import {
  afterFailedSignIn,
  csrfTokenFor,
  generateSecret,
  hashSecret,
  isLocked,
  passwordSchema,
  secretsEqual,
} from './credentials.js';

describe('password policy', () => {
  it.each([
    { password: 'short', ok: false },
    { password: '            abc', ok: false },
    { password: 'twelve chars', ok: true },
    { password: 'x'.repeat(256), ok: true },
    { password: 'x'.repeat(257), ok: false },
  ])('$password.length characters → $ok', ({ password, ok }) => {
    expect(passwordSchema.safeParse(password).success).toBe(ok);
  });
});

describe('lockout', () => {
  const policy = { maxFailures: 3, lockoutMinutes: 10 };
  const now = new Date('2026-11-28T12:00:00Z');
  it.each([
    { failures: 0, expected: { failedCount: 1, lockedUntil: null } },
    { failures: 1, expected: { failedCount: 2, lockedUntil: null } },
    { failures: 2, expected: { failedCount: 0, lockedUntil: new Date('2026-11-28T12:10:00Z') } },
  ])('after $failures failures', ({ failures, expected }) => {
    expect(afterFailedSignIn(failures, now, policy)).toEqual(expected);
  });
  it('is locked only until the time passes', () => {
    expect(isLocked(new Date('2026-11-28T12:10:00Z'), now)).toBe(true);
    expect(isLocked(new Date('2026-11-28T11:59:59Z'), now)).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
});

describe('secrets', () => {
  it('are random, stored hashed, compared in constant time, and derive a CSRF token', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(a);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretsEqual(hashSecret(a), hashSecret(a))).toBe(true);
    expect(secretsEqual(hashSecret(a), hashSecret(`${a}x`))).toBe(false);
    expect(secretsEqual('', '')).toBe(false);
    expect(csrfTokenFor(a)).not.toBe(csrfTokenFor(`${a}x`));
    expect(csrfTokenFor(a)).not.toContain(a);
  });
});
