/**
 * People: inputs for the staff-facing operations (consent, objection, erasure, search) and
 * the pure decisions about a person (Art 14 clock, attribute classification).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  CONSENT_CHANNELS,
  DATA_KINDS,
  SPECIAL_CATEGORIES,
  type DataKind,
  type SpecialCategory,
} from '../shared/labels.js';

export { CONSENT_CHANNELS, DATA_KINDS, SPECIAL_CATEGORIES, type DataKind, type SpecialCategory };
export type { ConsentChannel } from '../shared/labels.js';

export const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9_]{0,62}$/;
const purpose = z
  .string()
  .trim()
  .regex(PURPOSE_PATTERN, 'a purpose is 1 to 63 lower-case letters, digits or underscores (e.g. campaign_updates)');

const instant = z.iso.datetime({ offset: true, message: 'a date and time in ISO 8601, e.g. 2026-11-29T10:00:00Z' });

/** Granting consent needs its evidence (LB-CONSENT-EVIDENCE, Art 7(1)). */
export const consentGrantSchema = z.object({
  action: z.literal('granted'),
  purpose,
  channels: z.array(z.enum(CONSENT_CHANNELS)).min(1, 'choose at least one channel').max(CONSENT_CHANNELS.length),
  method: z.string().trim().min(1, 'say how consent was given (e.g. web form, paper form, phone call)').max(200),
  wording: z.string().trim().min(1, 'the exact wording the person agreed to is required').max(20_000),
  wordingVersion: z.string().trim().min(1, 'the version of the wording is required').max(100),
  occurredAt: instant,
  note: z.string().trim().max(2000).nullable().default(null),
});

export const consentWithdrawSchema = z.object({
  action: z.literal('withdrawn'),
  purpose,
  channels: z.array(z.enum(CONSENT_CHANNELS)).min(1, 'choose at least one channel').max(CONSENT_CHANNELS.length),
  method: z.string().trim().min(1, 'say how the withdrawal arrived').max(200),
  occurredAt: instant,
  note: z.string().trim().max(2000).nullable().default(null),
});

export const consentInputSchema = z.discriminatedUnion('action', [consentGrantSchema, consentWithdrawSchema]);
export type ConsentInput = z.infer<typeof consentInputSchema>;

export const objectionInputSchema = z.object({
  method: z.string().trim().min(1, 'say how the objection arrived (e.g. email, phone, doorstep)').max(200),
  receivedAt: instant,
  note: z.string().trim().max(2000).nullable().default(null),
});
export type ObjectionInput = z.infer<typeof objectionInputSchema>;

/** An objection by identifier, for someone who may not be in the database (yet). */
export const objectionByIdentifierSchema = objectionInputSchema.extend({
  email: z.string().trim().max(320).nullable().default(null),
  phone: z.string().trim().max(64).nullable().default(null),
  name: z.string().trim().max(300).nullable().default(null),
  postcode: z.string().trim().max(16).nullable().default(null),
});
export type ObjectionByIdentifierInput = z.infer<typeof objectionByIdentifierSchema>;

export const erasureInputSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'record why the person is erased (e.g. erasure request received 2026-11-29)')
    .max(2000),
});
export type ErasureInput = z.infer<typeof erasureInputSchema>;

export const PEOPLE_PAGE_MAX = 200;

export const peopleQuerySchema = z.object({
  /** Free text: an email, a phone number, a postcode or the start of a name. */
  q: z.string().trim().max(320).optional(),
  email: z.string().trim().max(320).optional(),
  phone: z.string().trim().max(64).optional(),
  name: z.string().trim().max(200).optional(),
  postcode: z.string().trim().max(16).optional(),
  tag: z.string().trim().max(100).optional(),
  list: z.string().trim().max(100).optional(),
  sourceId: z.uuid().optional(),
  consentChannel: z.enum(CONSENT_CHANNELS).optional(),
  consent: z.enum(['granted', 'withdrawn', 'none']).optional(),
  objection: z.enum(['objected', 'not_objected']).optional(),
  /**
   * The Art 14 clock (TR-ART14-ONE-MONTH): `overdue` — no notice by day 30; `warning` — day 21
   * to 30 without a notice; `open` — any person still owed a notice.
   */
  art14: z.enum(['overdue', 'warning', 'open']).optional(),
  limit: z.coerce.number().int().min(1).max(PEOPLE_PAGE_MAX).default(50),
  /** Opaque cursor from the previous page. */
  after: z.string().max(200).optional(),
});
export type PeopleQuery = z.infer<typeof peopleQuerySchema>;

// ---------------------------------------------------------------------------------------
// Art 14 clock (TR-ART14-ONE-MONTH): warn from day 21, breach from day 30.
// ---------------------------------------------------------------------------------------

export type { Art14Status } from '../shared/views.js';
import type { Art14Status } from '../shared/views.js';

export const ART14_WARN_DAY = 21;
export const ART14_BREACH_DAY = 30;
const DAY_MS = 86_400_000;

/** The earliest due date of a person in the `warning` window at `now` (day 21 reached). */
export const art14WarningFrom = (now: Date): Date =>
  new Date(now.getTime() + (ART14_BREACH_DAY - ART14_WARN_DAY) * DAY_MS);

/** The notice deadline for data that arrived at `collectedAt`: one month (30 days) later. */
export const art14DueAt = (collectedAt: Date): Date => new Date(collectedAt.getTime() + ART14_BREACH_DAY * DAY_MS);

export function art14Status(dueAt: Date | null, notifiedAt: Date | null, now: Date): Art14Status {
  if (dueAt === null) return 'not_applicable';
  if (notifiedAt !== null) return 'notified';
  const startedAt = dueAt.getTime() - ART14_BREACH_DAY * DAY_MS;
  const day = (now.getTime() - startedAt) / DAY_MS;
  if (day >= ART14_BREACH_DAY) return 'overdue';
  if (day >= ART14_WARN_DAY) return 'warning';
  return 'due';
}

// ---------------------------------------------------------------------------------------
// Attribute classification
// ---------------------------------------------------------------------------------------

/**
 * A first classification of an attribute from its name, for attributes an import meets
 * before staff have defined them. It leans towards special category: a wrongly flagged
 * attribute costs an Art 9 condition on the source; a missed one would let political
 * opinions in unmarked. The DPO corrects the definition afterwards.
 */
const CLASSIFIERS: readonly [RegExp, SpecialCategory, DataKind][] = [
  [/(^|_)(support|score|propensity|likelihood|model|predicted|segment)(_|$)/, 'political_opinion', 'inferred'],
  [
    /(^|_)(vote|voting|voter_intention|intention|party|pledge|pledged|member|membership|supporter|persuad|swing|lean|opinion|brexit|remain|leave)/,
    'political_opinion',
    'provided',
  ],
  [/(^|_)(ethnic|ethnicity|race|racial|nationality_origin)/, 'racial_or_ethnic_origin', 'provided'],
  [/(^|_)(relig|faith|church|mosque|synagogue|belief)/, 'religious_or_philosophical_belief', 'provided'],
  [/(^|_)(union|trade_union)/, 'trade_union_membership', 'provided'],
  [/(^|_)(health|disab|medical|illness|condition|carer)/, 'health', 'provided'],
  [/(^|_)(sexual|orientation|lgbt|gay|lesbian)/, 'sexual_orientation', 'provided'],
  [/(^|_)(sex_life)/, 'sex_life', 'provided'],
  [/(^|_)(dna|genetic)/, 'genetic', 'provided'],
  [/(^|_)(biometric|fingerprint|face)/, 'biometric', 'provided'],
];

export function classifyAttributeName(name: string): { specialCategory: SpecialCategory | null; kind: DataKind } {
  for (const [pattern, category, kind] of CLASSIFIERS) {
    if (pattern.test(name)) return { specialCategory: category, kind };
  }
  return { specialCategory: null, kind: 'provided' };
}

// ---------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------

/** Whether a text is a UUID (any version, either case): ids from paths, options and files. */
export function isUuid(value: string): boolean {
  return UUID_TEXT.test(value);
}
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Time-ordered
 * ids keep a million-row import appending to the end of the primary-key index.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes[0] = Math.floor(now / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(now / 2 ** 32) & 0xff;
  bytes[2] = (now >>> 24) & 0xff;
  bytes[3] = (now >>> 16) & 0xff;
  bytes[4] = (now >>> 8) & 0xff;
  bytes[5] = now & 0xff;
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
