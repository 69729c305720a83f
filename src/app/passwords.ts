/**
 * Password hashing with Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
 */
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id is 2 (a const enum, which verbatimModuleSyntax cannot import).
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against when the email is unknown, so both paths take the same time.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('canvass-timing-equaliser-not-a-password');
  return dummy;
}
