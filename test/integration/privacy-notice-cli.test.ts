/**
 * `canvass notice publish` and `canvass notice show`, run in-process through main() against
 * this file's own database.
 */
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult, jsonOutput } from '../helpers/cli.js';
import { addMember, makeCampaign } from '../helpers/factories.js';
import { insertSource, useTestDatabase } from '../helpers/people.js';
import { insertActivity, insertArrangement, META_ESSENCE, OBJECTION_URL } from '../helpers/privacy-notice.js';
import { updatePrivacyNoticeSettings } from '../../src/app/privacy-notice.js';

const ctx = useTestDatabase();
const run = (argv: string[]): Promise<CliResult> => runCli(ctx.t.db, argv);

const json = jsonOutput;

describe('notice CLI', () => {
  it('previews, publishes (once per change) and shows the notice; refuses a role that may not publish', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    await insertSource(ctx.deps, c, { type: 'web_form' });
    const arrangementId = await insertArrangement(ctx.deps, c);
    await insertActivity(ctx.deps, c, {
      name: 'Adverts on Meta',
      capabilities: ['custom_audiences'],
      arrangementIds: [arrangementId],
    });
    await updatePrivacyNoticeSettings(ctx.deps, tc.owner.principal, c, { objectionUrl: OBJECTION_URL });

    const nothing = await run(['notice', 'show', '--by', tc.owner.email]);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('No privacy notice is published yet');

    const preview = await run(['notice', 'show', '--by', tc.owner.email, '--preview']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('Next version (not published yet)');
    expect(preview.stdout).toContain('Matching your details with social-media platforms');

    // --campaign may be left out: the owner belongs to one campaign.
    const published = await run(['notice', 'publish', '--by', tc.owner.email, '--json']);
    expect(published.code).toBe(0);
    const result = json(published.stdout);
    expect(result).toMatchObject({ version: 1, english: { version: 1, language: 'en' } });
    expect((result.created as unknown[]).length).toBe(1);

    const again = await run(['notice', 'publish', '--campaign', c, '--by', tc.owner.email]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing changed: version 1 is already the published notice.');
    expect(again.stdout).toContain(`/p/${c}/privacy-notice`);

    const shown = await run(['notice', 'show', '--campaign', c, '--by', tc.owner.email]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Version 1 (en)');
    expect(shown.stdout.indexOf('Matching your details')).toBeLessThan(shown.stdout.indexOf('Your rights'));
    expect(shown.stdout).toContain(META_ESSENCE);
    const byVersion = await run(['notice', 'show', '--by', tc.owner.email, '--number', '1', '--json']);
    expect(json(byVersion.stdout)).toMatchObject({ version: { version: 1, language: 'en' } });

    const welsh = await run(['notice', 'publish', '--by', tc.owner.email, '--lang', 'cy', '--json']);
    expect(welsh.code).toBe(1);
    expect(json(welsh.stdout)).toMatchObject({ error: { code: 'invalid_state' } });
    expect(welsh.stderr).toContain('no Welsh text');

    const badLang = await run(['notice', 'publish', '--by', tc.owner.email, '--lang', 'fr']);
    expect(badLang.code).toBe(1);
    expect(badLang.stderr).toContain('--lang');

    const organiser = await addMember(ctx.deps, tc, 'organiser');
    const denied = await run(['notice', 'publish', '--by', organiser.email, '--campaign', c, '--json']);
    expect(denied.code).toBe(1);
    expect(json(denied.stdout)).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('refuses with the rule id when a section cannot be written, and asks for --campaign when there are several', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const arrangementId = await insertArrangement(ctx.deps, c, { essence: '' });
    await insertActivity(ctx.deps, c, { capabilities: ['custom_audiences'], arrangementIds: [arrangementId] });
    const refused = await run(['notice', 'publish', '--campaign', c, '--by', tc.owner.email, '--json']);
    expect(refused.code).toBe(1);
    const envelope = json(refused.stdout) as { error: { code: string; message: string } };
    expect(envelope.error.code).toBe('rule_refused');
    expect(envelope.error.message).toContain('TR-LIST-MATCHING-DISCLOSED');

    await run([
      'campaign',
      'create',
      '--name',
      'Second',
      '--type',
      'candidate',
      '--address',
      '2 Low Road',
      '--owner',
      tc.owner.email,
    ]);
    const ambiguous = await run(['notice', 'show', '--by', tc.owner.email]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('--campaign');
    expect(ambiguous.stderr).toContain('2 campaigns');
  });
});
