/**
 * Audiences (issue 5, items 1, 2, 4, 5): preview, the lawful gate, exports with exclusions
 * counted by reason, uploads, removals after an objection, downloads and expiry.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  confirmAudienceRemovals,
  exportAudienceRemovals,
  listPendingRemovals,
} from '../../src/app/audience-removals.js';
import {
  createAudience,
  exportAudience,
  getAudience,
  listAudiences,
  openAudienceExportFile,
  previewAudience,
  recordAudienceUpload,
} from '../../src/app/audiences.js';
import { listAuditEvents } from '../../src/app/audit.js';
import { recordConsent } from '../../src/app/consent.js';
import { wordingHashOf } from '../../src/app/consent.js';
import { erasePerson } from '../../src/app/erasure.js';
import { markExplicitConsentWording } from '../../src/app/audiences.js';
import { addSuppressionEntries, suppressionHasher } from '../../src/app/suppression.js';
import { inCampaign } from '../../src/db/scope.js';
import { recordObjection } from '../../src/app/objections.js';
import { sha256Hex } from '../../src/domain/audiences/normalize.js';
import { addPerson, makeAudienceCampaign, type AudienceCampaign } from '../helpers/audiences.js';
import { at } from '../helpers/dpia.js';
import { caughtAppError, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();
const outDir = (): string => mkdtempSync(join(tmpdir(), 'canvass-audience-'));

async function audienceFor(
  ac: AudienceCampaign,
  over: { platform?: string; kind?: string; uninformed?: string; name?: string } = {},
): Promise<string> {
  const audience = await createAudience(ctx.deps, ac.owner.principal, ac.c, {
    name: over.name ?? `Doorstep ${Math.random().toString(36).slice(2, 8)}`,
    platform: over.platform ?? 'meta',
    kind: over.kind ?? 'list',
    activityId: ac.activityId,
    segment: { name: `Doorstep ${Math.random().toString(36).slice(2, 8)}`, definition: { tags: [{ id: ac.tagId }] } },
    consentPurpose: 'campaign_updates',
    uninformed: over.uninformed ?? 'exclude',
  });
  return audience.id;
}

/** The four people of the "Done when": one kept, three left out for three reasons. */
async function fourPeople(ac: AudienceCampaign) {
  const kept = await addPerson(ctx.deps, ac, { email: 'kept@example.org', phone: '07911 123456' });
  const objector = await addPerson(ctx.deps, ac, { email: 'objector@example.org' });
  await recordObjection(ctx.deps, ac.owner.principal, ac.c, objector, {
    method: 'email',
    receivedAt: new Date().toISOString(),
  });
  const uninformed = await addPerson(ctx.deps, ac, { email: 'never-told@example.org' }, { notice: false });
  const consentOnly = await addPerson(ctx.deps, ac, { email: 'consent-only@example.org', sourceId: ac.consentSource });
  // Consent to email, not to list matching: no evidence for this use.
  await recordConsent(ctx.deps, ac.owner.principal, ac.c, consentOnly, {
    action: 'granted',
    purpose: 'campaign_updates',
    channels: ['email'],
    method: 'web form',
    wording: 'Email me campaign news',
    wordingVersion: 'v1',
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
  });
  return { kept, objector, uninformed, consentOnly };
}

describe('audience preview and export', () => {
  it('exports a file without the objector, the uninformed person and the consent-only person, counting each reason', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    await fourPeople(ac);
    const audienceId = await audienceFor(ac);

    const preview = await previewAudience(ctx.deps, ac.owner.principal, ac.c, audienceId);
    expect(preview.findings.filter((f) => f.outcome === 'refuse' || f.outcome === 'require')).toEqual([]);
    expect(preview).toMatchObject({ segmentCount: 4, includedCount: 1, excludedCount: 3 });
    expect(Object.fromEntries(preview.exclusions.map((e) => [e.reason, e.count]))).toEqual({
      'DM-OBJECTION-ABSOLUTE': 1,
      'TR-LIST-MATCHING-DISCLOSED': 1,
      'LB-CONSENT-EVIDENCE': 1,
    });

    const dir = join(outDir(), 'meta');
    const exported = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, { directory: dir });
    expect(exported).toMatchObject({ operation: 'add', peopleCount: 1, rowsWritten: 1, downloadable: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(Object.values(manifest.excluded).sort()).toEqual([1, 1, 1]);
    expect(Object.keys(manifest.excluded).join(' ')).toMatch(
      /DM-OBJECTION-ABSOLUTE.*TR-LIST-MATCHING-DISCLOSED.*LB-CONSENT-EVIDENCE|DM-OBJECTION/,
    );
    for (const rule of ['DM-OBJECTION-ABSOLUTE', 'TR-LIST-MATCHING-DISCLOSED', 'LB-CONSENT-EVIDENCE']) {
      expect(Object.keys(manifest.excluded).some((k) => k.includes(rule))).toBe(true);
    }
    expect(manifest.staffMember.id).toBe(ac.owner.principal.userId);
    expect(manifest.normalizationRulesVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(manifest.ruleDecisions.some((d: { ruleId: string }) => d.ruleId === 'audience.build')).toBe(true);
    const file = readdirSync(dir).find((f) => f.endsWith('.csv'))!;
    const csv = readFileSync(join(dir, file), 'utf8');
    expect(csv).toContain(sha256Hex('kept@example.org'));
    for (const gone of ['objector@example.org', 'never-told@example.org', 'consent-only@example.org']) {
      expect(csv).not.toContain(sha256Hex(gone));
      expect(csv).not.toContain(gone);
    }
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);

    const events = (await listAuditEvents(ctx.deps, ac.owner.principal, ac.c, {})).events.map((e) => e.type);
    expect(events).toContain('audience.exported');
  });

  it('an export stopped part-way, or refused, leaves no members, no export and no files; the next one works', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    for (let n = 0; n < 30; n++) await addPerson(ctx.deps, ac, { email: `person.${n}@example.org` });
    const audienceId = await audienceFor(ac);
    const members = async (): Promise<number> =>
      inCampaign(ctx.deps.db, ac.c, async (tx) =>
        Number(
          (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audience_export_members`.execute(tx)).rows[0]!.n,
        ),
      );
    const stopped = join(outDir(), 'stopped');
    const controller = new AbortController();
    controller.abort();
    await expect(
      exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, {
        directory: stopped,
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    expect(existsSync(stopped)).toBe(false);
    expect(await members()).toBe(0);

    // Refused (no arrangement with TikTok, which refuses political advertisers anyway): no members either.
    const tiktok = await audienceFor(ac, { platform: 'tiktok' });
    await caughtAppError(
      exportAudience(ctx.deps, ac.owner.principal, ac.c, tiktok, { directory: join(outDir(), 'tiktok') }),
    );
    expect(await members()).toBe(0);

    const listed = async () =>
      (await listAudiences(ctx.deps, ac.owner.principal, ac.c)).find((a) => a.id === audienceId)!;
    expect((await listed()).lastExport).toBeNull();

    // The connection and the campaign are usable again: the same export goes through.
    const dir = join(outDir(), 'again');
    const exported = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, { directory: dir });
    expect(exported).toMatchObject({ peopleCount: 30, rowsWritten: 30 });
    expect(await members()).toBe(30);
    // The list carries each audience's latest export (the dashboard's "last export" column).
    expect((await listed()).lastExport).toEqual({
      exportId: exported.id,
      createdAt: exported.createdAt,
      uploadedAt: null,
    });
  });

  it('leaves out a person whose further email is on the suppression list though the person is not marked (DM-OBJECTION-ABSOLUTE)', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    const audienceId = await audienceFor(ac);
    await addPerson(ctx.deps, ac, { email: 'kept@example.org' });
    const listed = await addPerson(ctx.deps, ac, { email: 'work@example.org' });
    // No entries yet: nothing is screened out (and nothing is hashed).
    expect((await previewAudience(ctx.deps, ac.owner.principal, ac.c, audienceId)).includedCount).toBe(2);
    // Their home address, held as a further identifier, was suppressed by staff (say, from a
    // do-not-contact list): the person row itself is not marked objected.
    await inCampaign(ctx.deps.db, ac.c, async (tx) => {
      await tx
        .insertInto('person_identifiers')
        .values({ campaign_id: ac.c, person_id: listed, kind: 'email', value: 'home@example.org' })
        .execute();
      const hasher = await suppressionHasher(tx, ac.c);
      await addSuppressionEntries(tx, ac.c, [{ kind: 'email', keyHash: hasher.hash('email', 'home@example.org') }], {
        reason: 'staff',
        objectionId: null,
        actor: { type: 'user', id: ac.owner.principal.userId },
        now: new Date(),
      });
    });
    const preview = await previewAudience(ctx.deps, ac.owner.principal, ac.c, audienceId);
    expect(preview).toMatchObject({ includedCount: 1, excludedCount: 1 });
    expect(preview.exclusions).toEqual([expect.objectContaining({ reason: 'DM-OBJECTION-ABSOLUTE', count: 1 })]);
    const dir = join(outDir(), 'screened');
    const exported = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, { directory: dir });
    expect(exported).toMatchObject({ peopleCount: 1 });
    const csv = readFileSync(
      join(
        dir,
        readdirSync(dir).find((f) => f.endsWith('.csv'))!,
      ),
      'utf8',
    );
    expect(csv).toContain(sha256Hex('kept@example.org'));
    expect(csv).not.toContain(sha256Hex('work@example.org'));
  });

  it('refuses LinkedIn and TikTok for a political campaign, naming the rule and its fix', async () => {
    const ac = await makeAudienceCampaign(ctx.deps, {
      platforms: [
        { platform: 'linkedin', platformName: 'LinkedIn' },
        { platform: 'tiktok', platformName: 'TikTok' },
      ],
    });
    await addPerson(ctx.deps, ac, { email: 'someone@example.org' });
    for (const platform of ['linkedin', 'tiktok']) {
      const audienceId = await audienceFor(ac, { platform });
      const err = await caughtAppError(
        exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, { directory: join(outDir(), platform) }),
      );
      expect(err.code).toBe('rule_refused');
      expect(err.details?.ruleIds).toContain('ONL-PLATFORM-ELIGIBILITY');
      expect(err.message).toContain('Fix:');
    }
  });

  it('refuses an audience without an Art 26 arrangement with the platform, and names every failing rule', async () => {
    // Arrangements with X only: a Meta audience has none.
    const ac = await makeAudienceCampaign(ctx.deps, { platforms: [{ platform: 'x', platformName: 'X' }], dpia: false });
    await addPerson(ctx.deps, ac, { email: 'someone@example.org' });
    const audienceId = await audienceFor(ac);
    const dir = join(outDir(), 'meta');
    const err = await caughtAppError(
      exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, { directory: dir }),
    );
    expect(err.code).toBe('rule_refused');
    expect(err.details?.ruleIds).toEqual(expect.arrayContaining(['ONL-JOINT-CONTROLLER', 'DPIA-HIGH-RISK']));
    expect(() => statSync(dir)).toThrow();
    const events = (await listAuditEvents(ctx.deps, ac.owner.principal, ac.c, {})).events;
    expect(events.some((e) => e.type === 'rules.decided')).toBe(true);
  });

  it('refuses the whole audience when the campaign chose refuse for people never given a list-matching notice', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    await addPerson(ctx.deps, ac, { email: 'told@example.org' });
    await addPerson(ctx.deps, ac, { email: 'untold@example.org' }, { notice: false });
    const audienceId = await audienceFor(ac, { uninformed: 'refuse' });
    const err = await caughtAppError(
      exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, { directory: join(outDir(), 'x') }),
    );
    expect(err.details?.ruleIds).toContain('TR-LIST-MATCHING-DISCLOSED');
  });
});

describe('special category segments and identifiers', () => {
  it('leaves out people without explicit consent when the segment reveals political opinion, and people with no usable identifier', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    const explicitWording = 'I agree that my support for the campaign may be used to show me adverts on Meta';
    const grant = (personId: string, wording: string) =>
      recordConsent(ctx.deps, ac.owner.principal, ac.c, personId, {
        action: 'granted',
        purpose: 'campaign_updates',
        channels: ['social_list_matching'],
        method: 'web form',
        wording,
        wordingVersion: 'v1',
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      });
    const explicit = await addPerson(ctx.deps, ac, { email: 'explicit@example.org' });
    await grant(explicit, explicitWording);
    const plain = await addPerson(ctx.deps, ac, { email: 'plain@example.org' });
    await grant(plain, 'Show me campaign adverts');
    const noIdentifier = await addPerson(ctx.deps, ac, { firstName: 'Kim', lastName: 'Lee', postcode: 'SW1A 1AA' });
    await grant(noIdentifier, explicitWording);
    await markExplicitConsentWording(ctx.deps, ac.owner.principal, ac.c, {
      wordingHash: wordingHashOf(explicitWording),
      note: 'Names political opinion and the platform: an express statement (Art 9(2)(a))',
    });
    // An inferred support score on each of them.
    await inCampaign(ctx.deps.db, ac.c, (tx) =>
      tx
        .updateTable('people')
        .set({ facts: sql`facts || '[{"f":"attribute:support_score","v":"5","k":"inferred"}]'::jsonb` })
        .where('campaign_id', '=', ac.c)
        .execute(),
    );
    const audience = await createAudience(ctx.deps, ac.owner.principal, ac.c, {
      name: 'Strong supporters',
      platform: 'meta',
      kind: 'list',
      activityId: ac.activityId,
      segment: { name: 'Score 5', definition: { attributes: [{ name: 'support_score', values: ['5'] }] } },
      consentPurpose: 'campaign_updates',
      uninformed: 'exclude',
    });
    const preview = await previewAudience(ctx.deps, ac.owner.principal, ac.c, audience.id);
    expect(preview).toMatchObject({ segmentCount: 3, includedCount: 1 });
    expect(Object.fromEntries(preview.exclusions.map((e) => [e.reason, e.count]))).toEqual({
      'SCD-TARGETING-EXPLICIT-CONSENT': 1,
      'NO-USABLE-IDENTIFIER': 1,
    });
    const exp = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audience.id, {
      directory: join(outDir(), 'scd'),
    });
    const csv = readFileSync(join(exp.directory, exp.files[0]!.name), 'utf8');
    expect(csv).toContain(sha256Hex('explicit@example.org'));
    expect(csv).not.toContain(sha256Hex('plain@example.org'));
  });
});

describe('live audiences and removals', () => {
  it('objecting after an upload produces the removal file for that audience; staff confirm it', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    const alice = await addPerson(ctx.deps, ac, { email: 'alice@example.org', phone: '07912 345678' });
    const bob = await addPerson(ctx.deps, ac, { email: 'bob@example.org' });
    const audienceId = await audienceFor(ac);
    const seed = await createAudience(ctx.deps, ac.owner.principal, ac.c, {
      name: 'Lookalike of doorstep',
      platform: 'meta',
      kind: 'lookalike_seed',
      activityId: ac.activityId,
      segment: { name: 'Seed segment', definition: { tags: [{ id: ac.tagId }] } },
      consentPurpose: 'campaign_updates',
      uninformed: 'exclude',
      seedAudienceId: audienceId,
    });
    const exp = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, {
      directory: join(outDir(), 'add'),
    });
    const live = await recordAudienceUpload(ctx.deps, ac.owner.principal, ac.c, exp.id, {
      uploadedAt: new Date().toISOString(),
    });
    expect(live.status).toBe('live');

    await recordObjection(ctx.deps, ac.owner.principal, ac.c, alice, {
      method: 'phone',
      receivedAt: new Date().toISOString(),
    });
    const pending = await listPendingRemovals(ctx.deps, ac.owner.principal, ac.c, audienceId);
    expect(pending).toMatchObject([{ personId: alice, reason: 'objection', removalExportId: null }]);
    const detail = await getAudience(ctx.deps, ac.owner.principal, ac.c, seed.id);
    expect(detail.audience.needsRebuild).toBe(true);
    // Rebuilding the seed (the lookalike capability) leaves the objector out and clears the flag.
    const rebuilt = await exportAudience(ctx.deps, ac.owner.principal, ac.c, seed.id, {
      directory: join(outDir(), 'seed'),
    });
    expect(rebuilt.peopleCount).toBe(1);
    expect(Object.keys(rebuilt.excluded).some((k) => k.includes('DM-OBJECTION-ABSOLUTE'))).toBe(true);
    const seedManifest = JSON.parse(readFileSync(join(rebuilt.directory, 'manifest.json'), 'utf8'));
    expect(seedManifest.ruleDecisions.map((d: { ruleId: string }) => d.ruleId)).toContain('audience.lookalike_seed');
    expect((await getAudience(ctx.deps, ac.owner.principal, ac.c, seed.id)).audience.needsRebuild).toBe(false);

    // Erasure keeps what the removal file needs: hashes computed before the person goes.
    await erasePerson(ctx.deps, ac.owner.principal, ac.c, bob, { reason: 'asked to be erased' });

    const removal = await exportAudienceRemovals(ctx.deps, ac.owner.principal, ac.c, {
      directory: outDir(),
      audienceId,
    });
    expect(removal.removals).toBe(2);
    const [removalExport] = removal.exports;
    expect(removalExport).toMatchObject({ operation: 'remove', peopleCount: 2 });
    const manifest = JSON.parse(readFileSync(join(removalExport!.directory, 'manifest.json'), 'utf8'));
    expect(manifest.operation).toBe('remove');
    expect(manifest.ruleDecisions[0].ruleId).toBe('DM-REMOVE-FROM-LIVE-AUDIENCES');
    const csv = readFileSync(join(removalExport!.directory, removalExport!.files[0]!.name), 'utf8');
    expect(csv.split('\n')[0]).toBe('email,phone');
    expect(csv).toContain(sha256Hex('alice@example.org'));
    expect(csv).toContain(sha256Hex('447912345678'));
    expect(csv).toContain(sha256Hex('bob@example.org'));
    expect(csv).not.toContain('alice@example.org');

    const confirmed = await confirmAudienceRemovals(ctx.deps, ac.owner.principal, ac.c, removalExport!.id);
    expect(confirmed.confirmed).toBe(2);
    expect(await listPendingRemovals(ctx.deps, ac.owner.principal, ac.c, audienceId)).toEqual([]);
  });

  it('a withdrawal of the list-matching consent queues a removal', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    const carol = await addPerson(ctx.deps, ac, { email: 'carol@example.org', sourceId: ac.consentSource });
    await recordConsent(ctx.deps, ac.owner.principal, ac.c, carol, {
      action: 'granted',
      purpose: 'campaign_updates',
      channels: ['social_list_matching'],
      method: 'web form',
      wording: 'Match my details with social media platforms to show me campaign adverts',
      wordingVersion: 'v2',
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    });
    const audienceId = await audienceFor(ac);
    const exp = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, {
      directory: join(outDir(), 'add'),
    });
    expect(exp.peopleCount).toBe(1);
    await recordConsent(ctx.deps, ac.owner.principal, ac.c, carol, {
      action: 'withdrawn',
      purpose: 'campaign_updates',
      channels: ['social_list_matching'],
      method: 'email',
      occurredAt: new Date().toISOString(),
    });
    const pending = await listPendingRemovals(ctx.deps, ac.owner.principal, ac.c, audienceId);
    expect(pending).toMatchObject([{ personId: carol, reason: 'consent_withdrawn' }]);
  });
});

describe('handling: audited downloads and expiry', () => {
  it('audits a download and refuses it after expiry, keeping the manifest', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    await addPerson(ctx.deps, ac, { email: 'dave@example.org' });
    const audienceId = await audienceFor(ac);
    const dir = join(outDir(), 'add');
    const exp = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, { directory: dir });
    const name = exp.files[0]!.name;
    const opened = await openAudienceExportFile(ctx.deps, ac.owner.principal, ac.c, exp.id, name);
    let text = '';
    for await (const chunk of opened.stream) text += String(chunk);
    expect(text).toContain(sha256Hex('dave@example.org'));
    const events = (await listAuditEvents(ctx.deps, ac.owner.principal, ac.c, {})).events;
    expect(events.find((e) => e.type === 'audience.file_downloaded')).toBeTruthy();

    const later = at(ctx.deps, new Date(Date.now() + 8 * 86_400_000).toISOString());
    const err = await caughtAppError(openAudienceExportFile(later, ac.owner.principal, ac.c, exp.id, name));
    expect(err.code).toBe('invalid_state');
    expect(() => statSync(join(dir, name))).toThrow();
    expect(statSync(join(dir, 'manifest.json')).isFile()).toBe(true);
    const detail = await getAudience(later, ac.owner.principal, ac.c, audienceId);
    expect(detail.exports[0]).toMatchObject({ downloadable: false });
    expect(detail.exports[0]!.filesDeletedAt).not.toBeNull();
    expect(detail.exports[0]!.files).toHaveLength(1);
  });

  it('keeps exports and their members as evidence: no change but the files’ deletion, no delete', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    await addPerson(ctx.deps, ac, { email: 'evidence@example.org' });
    const audienceId = await audienceFor(ac);
    const exp = await exportAudience(ctx.deps, ac.owner.principal, ac.c, audienceId, {
      directory: join(outDir(), 'add'),
    });
    const attempt = (statement: ReturnType<typeof sql>) =>
      inCampaign(ctx.deps.db, ac.c, (tx) => statement.execute(tx)).then(
        () => 'ok',
        (e: Error) => e.message,
      );
    expect(
      await attempt(sql`UPDATE audience_exports SET manifest = '{}'::jsonb WHERE export_id = ${exp.id}::uuid`),
    ).toContain('evidence');
    expect(await attempt(sql`DELETE FROM audience_exports WHERE export_id = ${exp.id}::uuid`)).toMatch(
      /permission denied|evidence/,
    );
    expect(await attempt(sql`DELETE FROM audience_export_members WHERE export_id = ${exp.id}::uuid`)).toMatch(
      /permission denied/,
    );
    const members = await inCampaign(ctx.deps.db, ac.c, (tx) =>
      sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM audience_export_members WHERE export_id = ${exp.id}::uuid`.execute(tx),
    );
    expect(members.rows[0]!.n).toBe(1);
  });

  it('lets only roles with audiences.export write files', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    const audienceId = await audienceFor(ac);
    const { addMember } = await import('../helpers/factories.js');
    const organiser = await addMember(ctx.deps, ac, 'organiser');
    const err = await caughtAppError(
      exportAudience(ctx.deps, organiser.principal, ac.c, audienceId, { directory: join(outDir(), 'x') }),
    );
    expect(err.code).toBe('forbidden');
    const preview = await previewAudience(ctx.deps, organiser.principal, ac.c, audienceId);
    expect(preview.segmentCount).toBe(0);
  });
});
