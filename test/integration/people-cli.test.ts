/**
 * `canvass people find`, `canvass object` and `canvass erase`, run in-process through main()
 * against this file's own database.
 */
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult, jsonOutput } from '../helpers/cli.js';
import { makeCampaign } from '../helpers/factories.js';
import { insertSource, makePerson, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();

const run = (argv: string[]): Promise<CliResult> => runCli(ctx.t.db, argv);

const json = jsonOutput;

describe('people CLI', () => {
  it('finds people, records an objection by email, and erases with --yes, saying the entries were kept', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const sourceId = await insertSource(ctx.deps, c);
    const ann = await makePerson(ctx.deps, tc.owner.principal, c, sourceId, {
      firstName: 'Ann',
      lastName: 'Smith',
      email: 'ann@example.org',
      postcode: 'SW1A 1AA',
    });
    await makePerson(ctx.deps, tc.owner.principal, c, sourceId, {
      firstName: 'Bob',
      lastName: 'Jones',
      email: 'bob@example.org',
    });

    const found = await run(['people', 'find', '--campaign', c, '--by', tc.owner.email, '--name', 'smi', '--json']);
    expect(found.code).toBe(0);
    expect(json(found.stdout)).toMatchObject({ people: [{ id: ann.id, email: 'ann@example.org' }], nextCursor: null });
    const human = await run(['people', 'find', '--campaign', c, '--by', tc.owner.email, '--limit', '1']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/bob@example\.org/);
    expect(human.stdout).toMatch(/More: add --after /);
    const bad = await run(['people', 'find', '--campaign', c, '--by', tc.owner.email, '--limit', '0', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--limit/);

    const objected = await run([
      'object',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--email',
      'ANN@example.org',
      '--method',
      'email',
      '--json',
    ]);
    expect(objected.code).toBe(0);
    expect(json(objected.stdout)).toMatchObject({ peopleMarked: [ann.id], suppressionEntriesAdded: 2 });

    const noYes = await run([
      'erase',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--person',
      ann.id,
      '--reason',
      'asked',
    ]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/--yes/);

    const erased = await run([
      'erase',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--person',
      ann.id,
      '--reason',
      'erasure request',
      '--yes',
    ]);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(/^Erased\. 2 suppression entries were kept/);

    const gone = await run([
      'people',
      'find',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--q',
      'ann@example.org',
      '--json',
    ]);
    expect(json(gone.stdout)).toEqual({ people: [], nextCursor: null });
  });

  it('object needs exactly one way to name the objector; by person id it reports the entries', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const sourceId = await insertSource(ctx.deps, c);
    const p = await makePerson(ctx.deps, tc.owner.principal, c, sourceId, { phone: '07911 123456' });
    const none = await run(['object', '--campaign', c, '--by', tc.owner.email, '--method', 'phone']);
    expect(none.code).toBe(2);
    const both = await run([
      'object',
      '--campaign',
      c,
      '--by',
      tc.owner.email,
      '--method',
      'phone',
      '--person',
      p.id,
      '--email',
      'x@example.org',
    ]);
    expect(both.code).toBe(2);
    const badId = await run(['object', '--campaign', c, '--by', tc.owner.email, '--method', 'phone', '--person', 'x']);
    expect(badId.code).toBe(1);
    expect(badId.stderr).toMatch(/--person/);
    const ok = await run(['object', '--campaign', c, '--by', tc.owner.email, '--method', 'phone', '--person', p.id]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/1 new suppression entry added/);
  });
});
