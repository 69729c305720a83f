/**
 * Search stays on indexes: 20,000 people are seeded with generate_series (as the owner), the
 * tables analyzed, and the plan of each kind of search is checked for a sequential scan of
 * people. Timings of each search are measured and must stay under two seconds. Runs on
 * PGlite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/context.js';
import { listPeople, peopleSearchSql } from '../../src/app/people.js';
import { inCampaign } from '../../src/db/scope.js';
import { peopleQuerySchema } from '../../src/domain/people.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { makeCampaign, testDeps, type TestCampaign } from '../helpers/factories.js';
import { insertSource } from '../helpers/people.js';

/** CANVASS_SEARCH_PLAN_PEOPLE=1000000 measures a million (timings printed); 20,000 by default. */
const N = Number(process.env.CANVASS_SEARCH_PLAN_PEOPLE ?? 20_000);
const timings: Record<string, string> = {};
let t: TestDatabase;
let deps: AppDeps;
let tc: TestCampaign;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  tc = await makeCampaign(deps);
  const c = tc.campaign.id;
  const sourceId = await insertSource(deps, c);
  const tagId = randomUUID();
  const o = t.owner.kysely;
  // A second campaign's people too, so the campaign key of every index matters.
  const other = await makeCampaign(deps);
  const otherSource = await insertSource(deps, other.campaign.id);
  for (const [campaign, source, count] of [
    [c, sourceId, N],
    [other.campaign.id, otherSource, N / 4],
  ] as const) {
    await sql`
      INSERT INTO people (campaign_id, person_id, first_name, last_name, email, phone, postcode, facts,
                          first_source_id, created_at, updated_at)
      SELECT ${campaign}::uuid, gen_random_uuid(), 'First' || i, 'Surname' || i, 'person' || i || '@example.org',
             '+4479' || lpad(i::text, 8, '0'),
             'SW' || (i % 20 + 1) || ' ' || (i % 9 + 1) || chr(65 + i % 26) || chr(65 + (i / 26) % 26),
             '[]'::jsonb, ${source}::uuid, now(), now()
        FROM generate_series(1, ${count}::int) AS i`.execute(o);
  }
  await sql`INSERT INTO tags (campaign_id, tag_id, name) VALUES (${c}::uuid, ${tagId}::uuid, 'Donor')`.execute(o);
  await sql`
    INSERT INTO person_tags (campaign_id, tag_id, person_id)
    SELECT campaign_id, ${tagId}::uuid, person_id FROM people
     WHERE campaign_id = ${c}::uuid AND last_name LIKE 'Surname%00'`.execute(o);
  for (const table of ['people', 'person_tags', 'tags', 'person_identifiers'])
    await sql`ANALYZE ${sql.table(table)}`.execute(o);
}, 600_000);

afterAll(async () => {
  if (process.env.CANVASS_SEARCH_PLAN_PEOPLE) console.table(timings);
  await t?.close();
});

const SEARCHES: [string, Record<string, unknown>, number | null][] = [
  ['newest first, no filter', {}, 50],
  ['email (q)', { q: 'Person1234@example.org' }, 1],
  ['email prefix', { email: 'person1234' }, null],
  ['phone', { phone: '07900 001234' }, 1],
  ['postcode', { postcode: 'sw2 2ba' }, null],
  ['postcode (q, outward)', { q: 'SW7' }, null],
  ['surname prefix (q)', { q: 'surname1234' }, null],
  ['first and surname prefix', { name: 'first12 surname12' }, null],
  ['tag', { tag: 'donor' }, 50],
  ['objected', { objection: 'objected' }, 0],
];

describe('people search plans (20,000 people)', () => {
  for (const [name, query, count] of SEARCHES) {
    it(`${name}: no sequential scan of people, answered quickly`, async () => {
      const c = tc.campaign.id;
      const plan = await inCampaign(deps.db, c, async (tx) => {
        const statement = await peopleSearchSql(tx, c, peopleQuerySchema.parse(query));
        if (statement === null) return '(no query: nothing can match)';
        const rows = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${statement}`.execute(tx);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan, plan).not.toMatch(/Seq Scan on people/);
      const started = performance.now();
      const page = await listPeople(deps, tc.owner.principal, c, query);
      const ms = performance.now() - started;
      timings[name] = `${ms.toFixed(1)} ms, ${page.people.length} people`;
      if (count !== null) expect(page.people).toHaveLength(count);
      else expect(page.people.length).toBeGreaterThan(0);
      expect(ms).toBeLessThan(2000);
    });
  }

  it('pages through a filtered result without repeats', async () => {
    const c = tc.campaign.id;
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await listPeople(deps, tc.owner.principal, c, {
        tag: 'Donor',
        limit: 60,
        ...(after ? { after } : {}),
      });
      for (const p of page.people) {
        expect(seen.has(p.id)).toBe(false);
        seen.add(p.id);
      }
      after = page.nextCursor;
      pages++;
    } while (after);
    expect(seen.size).toBe(N / 100);
    expect(pages).toBe(Math.ceil(N / 100 / 60));
  });
});
