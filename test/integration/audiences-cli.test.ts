/**
 * `canvass audience create|preview|export|uploaded|removals|settings|wordings|mark-explicit`, run
 * in-process through main()
 * against this file's own database.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordConsent, wordingHashOf } from '../../src/app/consent.js';
import { recordObjection } from '../../src/app/objections.js';
import { sha256Hex } from '../../src/domain/audiences/normalize.js';
import { addPerson, makeAudienceCampaign, type AudienceCampaign } from '../helpers/audiences.js';
import { jsonOutput, runCli, type CliResult } from '../helpers/cli.js';
import { useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();
const run = (argv: string[]): Promise<CliResult> => runCli(ctx.t.db, argv);

/** `canvass audience create` for the campaign's tag, relying on campaign_updates consent; the audience id. */
async function createByCli(ac: AudienceCampaign, name: string, platform: string): Promise<string> {
  const created = await run([
    'audience',
    'create',
    '--campaign',
    ac.c,
    '--by',
    ac.owner.email,
    '--name',
    name,
    '--platform',
    platform,
    '--activity',
    ac.activityId,
    '--tag',
    ac.tagId,
    '--consent-purpose',
    'campaign_updates',
    '--json',
  ]);
  expect(created.code).toBe(0);
  return (jsonOutput(created.stdout).audience as { id: string }).id;
}

describe('audience CLI', () => {
  it('creates, previews, exports, records the upload and writes the removal file after an objection', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    const who = ['--campaign', ac.c, '--by', ac.owner.email];
    const hana = await addPerson(ctx.deps, ac, { email: 'hana@example.org' });
    await addPerson(ctx.deps, ac, { email: 'ivan@example.org' }, { notice: false });

    const audienceId = await createByCli(ac, 'Doorstep on Meta', 'meta');

    const preview = await run(['audience', 'preview', audienceId, ...who]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('2 people in the segment; 1 would be in the file.');
    expect(preview.stdout).toContain('TR-LIST-MATCHING-DISCLOSED');
    expect(preview.stdout).toContain('An export would go ahead.');

    const wrongPlatform = await run(['audience', 'export', audienceId, ...who, '--platform', 'x', '--out', tmpdir()]);
    expect(wrongPlatform.code).toBe(1);
    expect(wrongPlatform.stderr).toContain('--platform');

    const out = mkdtempSync(join(tmpdir(), 'canvass-cli-audience-'));
    const exported = await run([
      'audience',
      'export',
      audienceId,
      ...who,
      '--platform',
      'meta',
      '--out',
      out,
      '--json',
    ]);
    expect(exported.code).toBe(0);
    const exp = jsonOutput(exported.stdout).export as { id: string; directory: string; files: { name: string }[] };
    const csv = readFileSync(join(exp.directory, exp.files[0]!.name), 'utf8');
    expect(csv).toContain(sha256Hex('hana@example.org'));
    expect(csv).not.toContain(sha256Hex('ivan@example.org'));

    const uploaded = await run(['audience', 'uploaded', exp.id, ...who]);
    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toContain('is live');

    await recordObjection(ctx.deps, ac.owner.principal, ac.c, hana, {
      method: 'letter',
      receivedAt: new Date().toISOString(),
    });
    const listed = await run(['audience', 'removals', ...who]);
    expect(listed.stdout).toContain('Doorstep on Meta (meta)  objection');

    const removalOut = mkdtempSync(join(tmpdir(), 'canvass-cli-removal-'));
    const written = await run(['audience', 'removals', ...who, '--export', '--out', removalOut, '--json']);
    expect(written.code).toBe(0);
    const result = jsonOutput(written.stdout) as { removals: number; exports: { id: string; directory: string }[] };
    expect(result.removals).toBe(1);
    const manifest = JSON.parse(readFileSync(join(result.exports[0]!.directory, 'manifest.json'), 'utf8'));
    expect(manifest.operation).toBe('remove');

    const confirmed = await run(['audience', 'removals', ...who, '--confirm', result.exports[0]!.id]);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain('1 removal confirmed.');
  });

  it('prints each failing rule with its fix when an export is refused, and exits 1', async () => {
    const ac = await makeAudienceCampaign(ctx.deps, {
      platforms: [{ platform: 'linkedin', platformName: 'LinkedIn' }],
    });
    const who = ['--campaign', ac.c, '--by', ac.owner.email];
    await addPerson(ctx.deps, ac, { email: 'jo@example.org' });
    const audienceId = await createByCli(ac, 'On LinkedIn', 'linkedin');
    const refused = await run(['audience', 'export', audienceId, ...who, '--platform', 'linkedin', '--out', tmpdir()]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('ONL-PLATFORM-ELIGIBILITY');
    expect(refused.stdout).toContain('Fix:');
    const json = await run([
      'audience',
      'export',
      audienceId,
      ...who,
      '--platform',
      'linkedin',
      '--out',
      tmpdir(),
      '--json',
    ]);
    expect(jsonOutput(json.stdout)).toMatchObject({ error: { code: 'rule_refused' } });
  });

  it('shows and sets the file expiry, lists consent wordings and marks one explicit', async () => {
    const ac = await makeAudienceCampaign(ctx.deps);
    const who = ['--campaign', ac.c, '--by', ac.owner.email];
    const shown = await run(['audience', 'settings', ...who]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('deleted 7 days after the export (the default)');
    const bad = await run(['audience', 'settings', ...who, '--file-expiry-days', '0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--file-expiry-days');
    const set = await run(['audience', 'settings', ...who, '--file-expiry-days', '14', '--json']);
    expect(set.code).toBe(0);
    expect(jsonOutput(set.stdout).settings).toMatchObject({ fileExpiryDays: 14, isDefault: false });

    expect((await run(['audience', 'wordings', ...who])).stdout).toContain(
      'No consent has been recorded with a wording',
    );
    const wording = 'Use my views on local issues to show me adverts';
    const person = await addPerson(ctx.deps, ac, { email: 'jo@example.org', sourceId: ac.consentSource });
    await recordConsent(ctx.deps, ac.owner.principal, ac.c, person, {
      action: 'granted',
      purpose: 'campaign_updates',
      channels: ['social_list_matching'],
      method: 'web form',
      wording,
      wordingVersion: 'v1',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const hash = wordingHashOf(wording);
    const listed = await run(['audience', 'wordings', ...who]);
    expect(listed.stdout).toContain(`${hash}  1 consent  versions v1  not marked explicit`);
    const noNote = await run(['audience', 'mark-explicit', hash, ...who]);
    expect(noNote.code).not.toBe(0);
    const marked = await run([
      'audience',
      'mark-explicit',
      hash,
      ...who,
      '--note',
      'Separate box naming political opinions',
      '--json',
    ]);
    expect(marked.code).toBe(0);
    expect(jsonOutput(marked.stdout).wording).toMatchObject({
      wordingHash: hash,
      explicit: { note: 'Separate box naming political opinions' },
    });
    expect((await run(['audience', 'wordings', ...who])).stdout).toMatch(/explicit since \d{4}-\d{2}-\d{2}/);
  });
});
