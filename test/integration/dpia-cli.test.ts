/**
 * `canvass dpia screen|list|show|cover`, run in-process through main() against this file's
 * own database. Screening needs no campaign.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { addDpiaAction, createDpia, updateDpia } from '../../src/app/dpias.js';
import { runCli, type CliResult, jsonOutput } from '../helpers/cli.js';
import { stepsOneToSix, SUPPORTER_AUDIENCE } from '../helpers/dpia.js';
import { makeCampaign } from '../helpers/factories.js';
import { useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();
const run = (argv: string[]): Promise<CliResult> => runCli(ctx.t.db, argv);
const dir = mkdtempSync(join(tmpdir(), 'canvass-dpia-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = jsonOutput;
type ScreeningJson = {
  screening: { result: { required: boolean; reasons: { trigger: string }[] }; facts: Record<string, unknown> };
};
const triggers = (r: CliResult): string[] =>
  (json(r.stdout) as unknown as ScreeningJson).screening.result.reasons.map((x) => x.trigger);

describe('canvass dpia screen', () => {
  it('done-when: a supporter list matched against a platform’s users needs a DPIA, for data matching and invisible processing', async () => {
    const r = await run(['dpia', 'screen', '--kind', 'custom_audience', '--platform', 'Meta', '--json']);
    expect(r.code).toBe(0);
    expect((json(r.stdout) as unknown as ScreeningJson).screening.result.required).toBe(true);
    expect(triggers(r)).toEqual(expect.arrayContaining(['data_matching', 'invisible_processing']));

    const human = await run(['dpia', 'screen', '--kind', 'custom_audience', '--platform', 'Meta', '--large-scale']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^DPIA required: yes/);
    expect(human.stdout).toMatch(/Combining, comparing or matching data from several sources \[data_matching\]/);
    expect(human.stdout).toMatch(/Invisible processing \[invisible_processing\]/);
    expect(human.stdout).toMatch(/Profiling on a large scale \[large_scale_profiling\]/);
    expect(human.stdout).toMatch(/Citation: UK GDPR Art 35/);
    expect(human.stdout).toMatch(/Derived from the activity/);
  });

  it('answers override what the activity derives; facts alone are screened as given', async () => {
    const r = await run([
      'dpia',
      'screen',
      '--kind',
      'custom_audience',
      '--no-hidden-from-people',
      '--list-not-political',
      '--json',
    ]);
    expect(triggers(r)).toEqual(['data_matching']);
    const facts = await run(['dpia', 'screen', '--tracking-location', '--special-categories', 'biometric', '--json']);
    expect(triggers(facts)).toEqual(['tracking', 'biometric_data']);
    const none = await run(['dpia', 'screen', '--kind', 'email_marketing']);
    expect(none.stdout).toMatch(/^DPIA required: no/);
  });

  it('reads the input from --file: { activity, facts } or the facts alone', async () => {
    const full = join(dir, 'input.json');
    writeFileSync(full, JSON.stringify({ activity: { kind: 'lookalike_audience' }, facts: { largeScale: false } }));
    expect(triggers(await run(['dpia', 'screen', '--file', full, '--json']))).toEqual([
      'data_matching',
      'invisible_processing',
    ]);
    const bare = join(dir, 'facts.json');
    writeFileSync(bare, JSON.stringify({ vulnerablePeople: true }));
    expect(triggers(await run(['dpia', 'screen', '--file', bare, '--json']))).toEqual(['vulnerable_people']);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    const bad = await run(['dpia', 'screen', '--file', broken]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not valid JSON/);
  });

  it('refuses bad input naming the option', async () => {
    const kind = await run(['dpia', 'screen', '--kind', 'telepathy', '--json']);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/--kind/);
    expect(json(kind.stdout)).toMatchObject({ error: { code: 'validation_failed' } });
    const category = await run(['dpia', 'screen', '--special-categories', 'star_sign']);
    expect(category.code).toBe(1);
    expect(category.stderr).toMatch(/--special-categories/);
    const both = await run(['dpia', 'screen', '--kind', 'custom', '--file', join(dir, 'facts.json')]);
    expect(both.code).toBe(2);
    const nothing = await run(['dpia', 'screen']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/--kind/);
  });
});

describe('canvass dpia list|show|cover', () => {
  it('lists, shows and reports the cover of an activity', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const activityId = randomUUID();
    const created = await createDpia(ctx.deps, tc.owner.principal, c, {
      title: 'Supporters on Meta',
      activityId,
      screening: SUPPORTER_AUDIENCE,
    });
    const id = created.dpia.id;
    await updateDpia(ctx.deps, tc.owner.principal, c, id, stepsOneToSix());
    await addDpiaAction(ctx.deps, tc.owner.principal, c, id, {
      riskId: 'exposure',
      action: 'Rewrite the notice',
      owner: 'Comms',
      dueDate: '2020-01-01',
    });

    const list = await run(['dpia', 'list', '--campaign', c, '--by', tc.owner.email, '--json']);
    expect(list.code).toBe(0);
    expect(json(list.stdout)).toMatchObject({ dpias: [{ id, title: 'Supporters on Meta', overdueActions: 1 }] });
    const human = await run(['dpia', 'list', '--campaign', c, '--by', tc.owner.email]);
    expect(human.stdout).toMatch(/Supporters on Meta\s+\(v1 draft; no approval in force; 1 overdue action/);

    const show = await run(['dpia', 'show', '--campaign', c, '--by', tc.owner.email, '--dpia', id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/version 1: Draft/);
    expect(show.stdout).toMatch(/R1 High → Medium: Supporters identified/);
    expect(show.stdout).toMatch(/Risk map \(before \/ after\)/);
    expect(show.stdout).toMatch(/\[ \] 2020-01-01 {2}Comms: Rewrite the notice {2}\(OVERDUE\)/);
    const v = await run([
      'dpia',
      'show',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--dpia',
      id,
      '--dpia-version',
      '1',
      '--json',
    ]);
    expect(json(v.stdout)).toMatchObject({ version: { version: 1, status: 'draft' } });
    const badVersion = await run([
      'dpia',
      'show',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--dpia',
      id,
      '--dpia-version',
      '0',
    ]);
    expect(badVersion.code).toBe(1);
    expect(badVersion.stderr).toMatch(/--dpia-version/);
    const missing = await run(['dpia', 'show', '--campaign', c, '--by', tc.owner.email, '--dpia', randomUUID()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/DPIA not found/);

    const cover = await run([
      'dpia',
      'cover',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--activity',
      activityId,
      '--json',
    ]);
    expect(json(cover.stdout)).toMatchObject({ cover: { covered: false, state: 'in_progress', dpiaId: id } });
    const humanCover = await run(['dpia', 'cover', '--campaign', c, '--by', tc.owner.email, '--activity', activityId]);
    expect(humanCover.stdout).toMatch(/^Not covered \(in_progress\)/);
  });
});
