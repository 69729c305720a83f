/**
 * Removals from live audiences (DM-REMOVE-FROM-LIVE-AUDIENCES; UK GDPR Art 21(3); the
 * platforms' terms): when a person who was uploaded objects, withdraws the consent the audience
 * relies on, or is erased, a pending removal is queued for every audience holding them, in the
 * same transaction as the objection, withdrawal or erasure (`queueAudienceRemovals`, called by
 * src/app/objections.ts, consent.ts and erasure.ts).
 *
 * Which audiences: those with an add export holding the person that was uploaded, or whose
 * files still exist (it may still be uploaded); retired audiences are left alone.
 *
 * The removal keeps the person's identifiers as the platform's file needs them — normalized by
 * the platform's rules and hashed (SHA-256, lower-case hex), never plain — computed now, before
 * an erasure deletes the person. Staff then write the removal file (`exportAudienceRemovals`)
 * and confirm its upload (`confirmAudienceRemovals`). A lookalike seed built from an audience
 * that loses someone, or a seed audience that does, is flagged for rebuild.
 */
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import { normalizeField, sha256Hex } from '../domain/audiences/normalize.js';
import {
  fieldRuleOf,
  NORMALIZATION_RULES_VERSION,
  PLATFORM_FILE_RULES,
  type AudienceField,
} from '../domain/audiences/platform-rules.js';
import { AppError, notFound } from '../domain/errors.js';
import type { CountryCode } from '../domain/identifiers.js';
import { uuidv7 } from '../domain/people.js';
import { AUDIENCE_CHANNEL } from '../domain/rules/transparency-rules.js';
import { platformLabel, type PlatformId } from '../domain/rules/platforms.js';
import type { PendingRemovalView, RemovalExportResult, RemovalReason } from '../shared/audiences.js';
import { writeRemovalFiles } from './audience-removal-file.js';
import { audienceTx, type AudienceTx } from './audience-tables.js';
import { loadExportRow, recordExport, staffMemberOf } from './audiences.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { lockPeople } from './people-shared.js';

/** Fields whose hashes a removal keeps: hashed on the platform and matchable without plain columns. */
export function removalFields(platform: PlatformId, exported: readonly AudienceField[]): AudienceField[] {
  const rules = PLATFORM_FILE_RULES[platform];
  const fields = exported.length > 0 ? exported : rules.defaultFields;
  return fields.filter((f) => {
    const rule = fieldRuleOf(platform, f);
    if (!rule?.hashed) return false;
    // A field that is matched only together with plain ones (Google's names with Zip) cannot be used alone.
    return !rules.fieldGroups.some((g) => g.includes(f) && g.some((o) => !fieldRuleOf(platform, o)?.hashed));
  });
}

const GB = 'GB' as CountryCode;

/** The hashed identifiers of a person for a platform's removal file. */
export function hashedIdentifiers(
  platform: PlatformId,
  fields: readonly AudienceField[],
  person: {
    emails: readonly string[];
    phones: readonly string[];
    firstName: string | null;
    lastName: string | null;
    postcode: string | null;
  },
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const raw: Record<AudienceField, readonly (string | null)[]> = {
    email: person.emails,
    phone: person.phones,
    first_name: [person.firstName],
    last_name: [person.lastName],
    postcode: [person.postcode],
    country: ['GB'],
  };
  for (const field of removalFields(platform, fields)) {
    const rule = fieldRuleOf(platform, field)!;
    const hashes = new Set<string>();
    for (const v of raw[field]) {
      if (!v) continue;
      const n = normalizeField(rule, v, GB);
      if (n.ok) hashes.add(sha256Hex(n.value));
    }
    if (hashes.size > 0) out[field] = [...hashes];
  }
  return out;
}

export interface QueueRemovalsInput {
  personIds: readonly string[];
  reason: RemovalReason;
  /** For a consent withdrawal: the purpose and channels withdrawn (only audiences relying on them). */
  consent?: { purpose: string; channels: readonly string[] };
  actor: AuditActor;
  now: Date;
}

/**
 * Queues removals for every audience the people were uploaded to (or may still be), inside the
 * caller's transaction — call it before an erasure deletes the person. Returns how many.
 */
export async function queueAudienceRemovals(tx: Tx, campaignId: string, input: QueueRemovalsInput): Promise<number> {
  if (input.personIds.length === 0) return 0;
  // The same lock as exports: an export in progress finishes (and commits its members) first.
  await lockPeople(tx, campaignId);
  const atx = audienceTx(tx);
  let queued = 0;
  for (const personId of input.personIds) {
    const holding = await sql<{
      audience_id: string;
      export_id: string;
      platform: string;
      kind: string;
      fields: string[];
      consent_purpose: string;
    }>`
      SELECT DISTINCT ON (a.audience_id) a.audience_id, e.export_id, a.platform, a.kind, a.fields, a.consent_purpose
        FROM audience_export_members m
        JOIN audience_exports e ON e.campaign_id = m.campaign_id AND e.export_id = m.export_id
        JOIN audiences a ON a.campaign_id = e.campaign_id AND a.audience_id = e.audience_id
       WHERE m.campaign_id = ${campaignId} AND m.person_id = ${personId} AND e.operation = 'add'
         AND a.status <> 'retired'
         AND (e.files_deleted_at IS NULL OR EXISTS (
               SELECT 1 FROM audience_uploads u WHERE u.campaign_id = e.campaign_id AND u.export_id = e.export_id))
       ORDER BY a.audience_id, e.created_at DESC`.execute(atx);
    const audiences = holding.rows.filter(
      (h) =>
        input.consent === undefined ||
        (h.consent_purpose === input.consent.purpose &&
          input.consent.channels.includes(AUDIENCE_CHANNEL[h.kind as 'list' | 'lookalike_seed'])),
    );
    if (audiences.length === 0) continue;
    const person = await tx
      .selectFrom('people')
      .select(['email', 'phone', 'first_name', 'last_name', 'postcode'])
      .where('campaign_id', '=', campaignId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    const others = await tx
      .selectFrom('person_identifiers')
      .select(['kind', 'value'])
      .where('campaign_id', '=', campaignId)
      .where('person_id', '=', personId)
      .execute();
    const identity = {
      emails: [person?.email, ...others.filter((o) => o.kind === 'email').map((o) => o.value)].filter(
        (v): v is string => !!v,
      ),
      phones: [person?.phone, ...others.filter((o) => o.kind === 'phone').map((o) => o.value)].filter(
        (v): v is string => !!v,
      ),
      firstName: person?.first_name ?? null,
      lastName: person?.last_name ?? null,
      postcode: person?.postcode ?? null,
    };
    const affected: string[] = [];
    for (const h of audiences) {
      const hashes = hashedIdentifiers(h.platform as PlatformId, h.fields as AudienceField[], identity);
      const inserted = await atx
        .insertInto('audience_removals')
        .values({
          campaign_id: campaignId,
          removal_id: uuidv7(input.now.getTime()),
          audience_id: h.audience_id,
          export_id: h.export_id,
          person_id: personId,
          reason: input.reason,
          hashed_identifiers: JSON.stringify(hashes),
          normalization_rules_version: NORMALIZATION_RULES_VERSION,
          created_at: input.now,
          created_by: JSON.stringify(input.actor),
        })
        .onConflict((oc) =>
          oc.columns(['campaign_id', 'audience_id', 'person_id']).where('confirmed_at', 'is', null).doNothing(),
        )
        .returning('removal_id')
        .execute();
      if (inserted.length > 0) affected.push(h.audience_id);
    }
    if (affected.length === 0) continue;
    queued += affected.length;
    // Lookalike seeds built from these audiences, and seeds among them, must be rebuilt.
    await atx
      .updateTable('audiences')
      .set({
        needs_rebuild: true,
        needs_rebuild_reason:
          'Someone in the seed left it (objection, consent withdrawn or erasure): build the seed again and replace the lookalike.',
        updated_at: input.now,
      })
      .where('campaign_id', '=', campaignId)
      .where('kind', '=', 'lookalike_seed')
      .where('status', '<>', 'retired')
      .where((eb) => eb.or([eb('audience_id', 'in', affected), eb('seed_audience_id', 'in', affected)]))
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      input.actor,
      { type: 'audience.removals_queued', data: { personId, reason: input.reason, audienceIds: affected } },
      input.now,
    );
  }
  return queued;
}

/** The pending removals (not yet confirmed uploaded) with their audience (a), of the campaign or one audience. */
function pendingRemovalsOf(atx: AudienceTx, campaignId: string, audienceId: string | undefined) {
  return atx
    .selectFrom('audience_removals as r')
    .innerJoin('audiences as a', (j) =>
      j.onRef('a.campaign_id', '=', 'r.campaign_id').onRef('a.audience_id', '=', 'r.audience_id'),
    )
    .where('r.campaign_id', '=', campaignId)
    .where('r.confirmed_at', 'is', null)
    .$if(audienceId !== undefined, (q) => q.where('r.audience_id', '=', audienceId!));
}

/** Pending removals (not yet confirmed uploaded), oldest first; optionally of one audience. */
export async function listPendingRemovals(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  audienceId?: string,
): Promise<PendingRemovalView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.read');
    const rows = await pendingRemovalsOf(audienceTx(tx), campaignId, audienceId)
      .select([
        'r.removal_id',
        'r.audience_id',
        'a.name',
        'a.platform',
        'r.person_id',
        'r.reason',
        'r.created_at',
        'r.removal_export_id',
      ])
      .orderBy('r.created_at')
      .execute();
    return rows.map((r) => ({
      id: r.removal_id,
      audienceId: r.audience_id,
      audienceName: r.name,
      platform: r.platform as PlatformId,
      personId: r.person_id,
      reason: r.reason as RemovalReason,
      createdAt: new Date(r.created_at).toISOString(),
      removalExportId: r.removal_export_id,
    }));
  });
}

/**
 * Writes the platform's removal file for each audience with pending removals (or one audience),
 * each into `<directory>/<audience>-remove-<export id>`, with a manifest saying "remove"; the
 * removals then point at it until staff confirm its upload.
 */
export async function exportAudienceRemovals(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  options: { directory: string; audienceId?: string },
): Promise<RemovalExportResult> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.export');
    const atx = audienceTx(tx);
    const now = nowOf(deps);
    const pending = await pendingRemovalsOf(atx, campaignId, options.audienceId)
      .select(['r.removal_id', 'r.audience_id', 'r.reason', 'r.hashed_identifiers', 'a.name', 'a.platform', 'a.fields'])
      .orderBy('r.audience_id')
      .orderBy('r.created_at')
      .execute();
    const byAudience = new Map<string, typeof pending>();
    for (const r of pending) byAudience.set(r.audience_id, [...(byAudience.get(r.audience_id) ?? []), r]);
    const staffMember = await staffMemberOf(tx, principal);
    const exports = [];
    for (const [audienceId, removals] of byAudience) {
      const first = removals[0]!;
      const platform = first.platform as PlatformId;
      const exportId = uuidv7(now.getTime());
      const directory = resolve(options.directory, `audience-${audienceId}-remove-${exportId}`);
      const reasons: Record<string, number> = {};
      for (const r of removals) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
      const manifest = await writeRemovalFiles({
        platform,
        fields: removalFields(platform, first.fields as AudienceField[]),
        audience: { id: audienceId, name: first.name },
        staffMember,
        removals: removals.map((r) => r.hashed_identifiers),
        directory,
        reasons,
        now: () => nowOf(deps),
      });
      exports.push(
        await recordExport(
          tx,
          campaignId,
          principal,
          {
            exportId,
            audienceId,
            operation: 'remove',
            platform,
            manifest,
            directory,
            peopleCount: removals.length,
            excluded: {},
            decisionSeq: null,
            // Removal files are kept until the removal is confirmed, at most 90 days.
            expiresAt: new Date(now.getTime() + 90 * 86_400_000),
          },
          now,
        ),
      );
      await atx
        .updateTable('audience_removals')
        .set({ removal_export_id: exportId })
        .where('campaign_id', '=', campaignId)
        .where(
          'removal_id',
          'in',
          removals.map((r) => r.removal_id),
        )
        .execute();
    }
    return { exports, removals: pending.length };
  });
}

/** Staff confirm that a removal export was uploaded to the platform: its removals are done. */
export async function confirmAudienceRemovals(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  exportId: string,
): Promise<{ confirmed: number }> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'audiences.export');
    const atx = audienceTx(tx);
    const exp = await loadExportRow(atx, campaignId, exportId).catch(() => {
      throw notFound('removal export');
    });
    if (exp.operation !== 'remove') {
      throw new AppError('invalid_state', 'this is an add export: record its upload instead');
    }
    const now = nowOf(deps);
    const actor = actorOf(principal);
    const done = await atx
      .updateTable('audience_removals')
      .set({ confirmed_at: now, confirmed_by: JSON.stringify(actor) })
      .where('campaign_id', '=', campaignId)
      .where('removal_export_id', '=', exportId)
      .where('confirmed_at', 'is', null)
      .returning('removal_id')
      .execute();
    if (done.length === 0) {
      throw new AppError(
        'invalid_state',
        `no pending removal is carried by this export (already confirmed, or a newer removal file for ${platformLabel(exp.platform as PlatformId)} replaced it)`,
      );
    }
    await appendAuditEvent(
      tx,
      campaignId,
      actor,
      {
        type: 'audience.removals_confirmed',
        data: { audienceId: exp.audience_id, exportId, removals: done.length },
      },
      now,
    );
    return { confirmed: done.length };
  });
}
