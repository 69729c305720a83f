/**
 * Suppression entries (UK GDPR Art 21(3); rules DM-OBJECTION-ABSOLUTE, DM-SUPPRESSION).
 *
 * An objection is kept as one entry per normalized identifier of the objector, each a keyed
 * hash — HMAC-SHA-256 under a random 32-byte key of the campaign — so the entries survive the
 * erasure of the person without keeping their identifiers in the clear, and a copy of the
 * table alone cannot be tested against a list of addresses. Every import and every batch
 * computes the same hashes for its rows and refuses any row that matches.
 *
 * Identifiers are normalized before hashing (identifiers.ts), so "Jo@Example.org " and
 * "jo@example.org" are one entry. Name + postcode is an entry too: electoral-register and
 * broker files often carry neither email nor phone.
 */
import { createHmac, hash as oneShot } from 'node:crypto';

export const SUPPRESSION_KINDS = ['email', 'phone', 'name_postcode'] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

export const SUPPRESSION_KEY_BYTES = 32;

export interface SuppressionIdentifier {
  kind: SuppressionKind;
  /** The normalized identifier (E.164 phone, normalized email, or namePostcodeKey()). */
  value: string;
}

/**
 * A hasher bound to one campaign key. The HMAC is computed by hand over preallocated buffers
 * (RFC 2104: H(K ^ opad ‖ H(K ^ ipad ‖ m))) because node's createHmac object per call is the
 * cost of a large import; `suppression.test.ts` proves it equal to createHmac.
 */
export interface SuppressionHasher {
  hash(kind: SuppressionKind, value: string): string;
}

const BLOCK = 64;

export function createSuppressionHasher(key: Uint8Array): SuppressionHasher {
  if (key.length !== SUPPRESSION_KEY_BYTES) throw new Error('a suppression key is 32 bytes');
  const ipad = Buffer.alloc(BLOCK);
  const opad = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    const k = i < key.length ? key[i]! : 0;
    ipad[i] = k ^ 0x36;
    opad[i] = k ^ 0x5c;
  }
  let inner = Buffer.allocUnsafe(BLOCK + 512);
  ipad.copy(inner, 0);
  const outer = Buffer.allocUnsafe(BLOCK + 32);
  opad.copy(outer, 0);
  return {
    hash(kind, value) {
      const message = `${kind}:${value}`;
      const maxBytes = message.length * 3;
      if (BLOCK + maxBytes > inner.length) {
        inner = Buffer.allocUnsafe(BLOCK + maxBytes);
        ipad.copy(inner, 0);
      }
      const n = inner.write(message, BLOCK, 'utf8');
      const digest = sha256(inner.subarray(0, BLOCK + n));
      digest.copy(outer, BLOCK);
      return sha256Hex(outer);
    },
  };
}

/** The reference implementation, used by tests and for one-off hashes. */
export function suppressionHash(key: Uint8Array, kind: SuppressionKind, value: string): string {
  return createHmac('sha256', key).update(`${kind}:${value}`, 'utf8').digest('hex');
}

const sha256 = (data: Buffer): Buffer => oneShot('sha256', data, 'buffer');
const sha256Hex = (data: Buffer): string => oneShot('sha256', data, 'hex');

/**
 * The name + postcode key: the name NFKC-normalized, lower-cased, with anything but letters,
 * digits, spaces, hyphens and apostrophes removed and spaces collapsed; then "|" and the
 * canonical postcode. "Ann  O'Neill", "ANN O’NEILL" → "ann o'neill|SW1A 1AA".
 * Null when either part is missing.
 */
export function namePostcodeKey(fullName: string, postcode: string | null): string | null {
  if (postcode === null || postcode === '') return null;
  const name = normalizePersonName(fullName);
  return name === '' ? null : `${name}|${postcode}`;
}

export function normalizePersonName(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[^\p{L}\p{N}' -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The hashes of a set of identifiers, in order. */
export function suppressionKeys(
  hasher: SuppressionHasher,
  identifiers: readonly SuppressionIdentifier[],
): { kind: SuppressionKind; keyHash: string }[] {
  return identifiers.map((id) => ({ kind: id.kind, keyHash: hasher.hash(id.kind, id.value) }));
}
