/**
 * `canvass ropa export|list`, `canvass processor list` and `canvass arrangement list`, run
 * in-process through main() against this file's own database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/app/campaigns.js';
import { createJointControllerArrangement } from '../../src/app/joint-controllers.js';
import { createProcessingActivity } from '../../src/app/processing-activities.js';
import { createProcessor } from '../../src/app/processors.js';
import { ART28_TERMS } from '../../src/domain/governance.js';
import { runCli, type CliResult, jsonOutput } from '../helpers/cli.js';
import { makeCampaign, makeUser, type TestCampaign } from '../helpers/factories.js';
import { useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'canvass-ropa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]): Promise<CliResult> => runCli(ctx.t.db, argv);

const json = jsonOutput;

async function campaignWithRecords(): Promise<TestCampaign> {
  const tc = await makeCampaign(ctx.deps);
  const p = tc.owner.principal;
  const processor = await createProcessor(ctx.deps, p, tc.campaign.id, {
    name: 'Mailer Ltd',
    art28Terms: Object.fromEntries(ART28_TERMS.map((t) => [t, { present: t !== 'confidentiality', clause: '' }])),
    hosting: [{ country: 'GB' }],
  });
  const arrangement = await createJointControllerArrangement(ctx.deps, p, tc.campaign.id, {
    platform: 'meta',
    scope: 'custom_audiences',
    fromPreset: true,
  });
  await createProcessingActivity(ctx.deps, p, tc.campaign.id, {
    name: '@SUM(1+1) newsletter',
    purposes: ['Monthly newsletter'],
    lawfulBasis: 'consent',
    lawfulBasisNote: 'Opt-in',
    dataSubjects: ['Supporters'],
    dataCategories: ['Email address'],
    recipients: ['Mailer Ltd'],
    transfers: [],
    retention: 'Until unsubscribed',
    securityMeasures: 'TLS, access control',
    capabilities: ['email', 'custom_audiences'],
    processorIds: [processor.id],
    arrangementIds: [arrangement.id],
  });
  return tc;
}

describe('governance CLI', () => {
  it('exports the record of processing as CSV to a file or stdout, and as JSON', async () => {
    const tc = await campaignWithRecords();
    const c = tc.campaign.id;
    const file = join(dir, 'ropa.csv');
    const written = await run([
      'ropa',
      'export',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--include',
      'all',
      '--out',
      file,
      '--json',
    ]);
    expect(written.code).toBe(0);
    expect(json(written.stdout)).toMatchObject({ file, activities: 1 });
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFFActivity,')).toBe(true);
    expect(csv).toContain(`'@SUM(1+1) newsletter`);

    // Without --campaign: the account's one campaign. No drafts unless --include all.
    const stdout = await run(['ropa', 'export', '--by', tc.owner.email]);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout.split('\r\n').filter(Boolean)).toHaveLength(1);

    const asJson = await run(['ropa', 'export', '--by', tc.owner.email, '--include', 'all', '--json']);
    expect(asJson.code).toBe(0);
    const record = json(asJson.stdout).record as { activities: { name: string }[]; controller: { name: string } };
    expect(record.activities.map((a) => a.name)).toEqual(['@SUM(1+1) newsletter']);
    expect(record.controller.name).toBe(tc.campaign.name);
  });

  it('lists activities, processors and arrangements with what blocks them', async () => {
    const tc = await campaignWithRecords();
    const c = tc.campaign.id;
    const list = await run(['ropa', 'list', '--campaign', c, '--by', tc.owner.email]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /@SUM\(1\+1\) newsletter {2}\[draft\] {2}blocked by ONL-ARRANGEMENT-GAPS, CTRL-ART28-CONTRACT/,
    );
    expect(list.stdout).toContain("Mailer Ltd's contract lacks Art 28(3)(b)");
    const processors = await run(['processor', 'list', '--campaign', c, '--by', tc.owner.email, '--json']);
    expect(json(processors.stdout)).toMatchObject({
      processors: [{ name: 'Mailer Ltd', missingTerms: ['confidentiality'] }],
    });
    const arrangements = await run(['arrangement', 'list', '--campaign', c, '--by', tc.owner.email]);
    expect(arrangements.stdout).toContain('Meta — custom audiences  gaps: transparency information (unassigned)');
    const bad = await run(['ropa', 'list', '--campaign', c, '--by', tc.owner.email, '--status', 'live', '--json']);
    expect(bad.code).toBe(1);
    expect(json(bad.stdout)).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ field: 'status', option: '--status' }] } },
    });
  });

  it('asks which campaign when the account has several, and refuses accounts without the role', async () => {
    const tc = await campaignWithRecords();
    // The owner starts a second campaign, and so belongs to two.
    await createCampaign(ctx.deps, tc.owner.principal, {
      name: 'Second',
      controllerType: 'candidate',
      postalAddress: '2 Road',
    });
    const ambiguous = await run(['ropa', 'export', '--by', tc.owner.email, '--json']);
    expect(ambiguous.code).toBe(1);
    expect(json(ambiguous.stdout)).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ field: 'campaign', option: '--campaign' }] } },
    });
    const stranger = await makeUser(ctx.deps, 'stranger');
    const denied = await run(['ropa', 'export', '--campaign', tc.campaign.id, '--by', stranger.email, '--json']);
    expect(denied.code).toBe(1);
    expect(json(denied.stdout)).toMatchObject({ error: { code: 'not_found' } });
  });
});
