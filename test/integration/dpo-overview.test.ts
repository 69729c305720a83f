/**
 * The DPO's page (issue 4, item 6): what is outstanding, most pressing first, each item with
 * its rule and a link to where it is fixed — here the Art 14 clock (TR-ART14-ONE-MONTH), and
 * the people filter those links open. Runs on PGlite and PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpia } from '../../src/app/dpias.js';
import { getDpoOverview } from '../../src/app/dpo-overview.js';
import { createProcessingActivity, updateProcessingActivity } from '../../src/app/processing-activities.js';
import { SUPPORTER_AUDIENCE } from '../helpers/dpia.js';
import { addMember, makeCampaign, PASSWORD } from '../helpers/factories.js';
import { insertSource, makePerson } from '../helpers/people.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(async () => {
  await server?.close();
});

const DAY = 86_400_000;

describe('DPO overview', () => {
  it('lists overdue and nearly due Art 14 notices with the rule, counts and links, and filters people by them', async () => {
    const tc = await makeCampaign(server.deps);
    const base = `/api/campaigns/${tc.campaign.id}`;
    const api = new ApiSession(server.app);
    expect((await api.signIn(tc.owner.email, PASSWORD)).statusCode).toBe(200);

    const empty = await api.request('GET', `${base}/dpo/outstanding`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json().items).toEqual([]);

    const register = await insertSource(server.deps, tc.campaign.id, { name: 'Open register', type: 'open_register' });
    const ids: Record<string, string> = {};
    for (const who of ['overdue', 'warning', 'later', 'notified']) {
      const res = await api.request('POST', `${base}/people`, { sourceId: register, email: `${who}@example.org` });
      expect(res.statusCode).toBe(201);
      ids[who] = res.json().person.id;
    }
    const now = Date.now();
    const dueAt: Record<string, Date> = {
      overdue: new Date(now - 2 * DAY),
      warning: new Date(now + 5 * DAY),
      later: new Date(now + 20 * DAY),
      notified: new Date(now - 2 * DAY),
    };
    for (const [who, due] of Object.entries(dueAt)) {
      await sql`UPDATE people SET art14_due_at = ${due},
                  art14_notified_at = ${who === 'notified' ? new Date(now - 3 * DAY) : null}
                WHERE campaign_id = ${tc.campaign.id} AND person_id = ${ids[who]!}`.execute(
        server.database.owner.kysely,
      );
    }

    const res = await api.request('GET', `${base}/dpo/outstanding`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; severity: string; count: number; ruleId: string; link: string }[];
    expect(items.map((i) => [i.id, i.severity, i.count, i.ruleId])).toEqual([
      ['art14:overdue', 'breach', 1, 'TR-ART14-ONE-MONTH'],
      ['art14:warning', 'due', 1, 'TR-ART14-ONE-MONTH'],
    ]);
    expect(items[0]!.link).toBe(`/c/${tc.campaign.id}/people?art14=overdue`);

    // The link's filter, through the people API.
    const found = async (art14: string): Promise<string[]> =>
      ((await api.request('GET', `${base}/people?art14=${art14}`)).json().people as { id: string }[]).map((p) => p.id);
    expect(await found('overdue')).toEqual([ids.overdue]);
    expect(await found('warning')).toEqual([ids.warning]);
    expect((await found('open')).sort()).toEqual([ids.overdue!, ids.warning!, ids.later!].sort());
    expect((await api.request('GET', `${base}/people?art14=soon`)).statusCode).toBe(400);
  });

  it('lists a DPIA that screening requires and nobody approved, after the breaches, linking to it', async () => {
    const tc = await makeCampaign(server.deps);
    const created = await createDpia(server.deps, tc.owner.principal, tc.campaign.id, {
      title: 'Supporters on Meta',
      screening: SUPPORTER_AUDIENCE,
    });
    const register = await insertSource(server.deps, tc.campaign.id, { name: 'Register', type: 'open_register' });
    const person = await makePerson(server.deps, tc.owner.principal, tc.campaign.id, register, {
      email: 'late@example.org',
    });
    await sql`UPDATE people SET art14_due_at = ${new Date(Date.now() - DAY)}
              WHERE campaign_id = ${tc.campaign.id} AND person_id = ${person.id}`.execute(server.database.owner.kysely);
    const overview = await getDpoOverview(server.deps, tc.owner.principal, tc.campaign.id);
    expect(overview.items.map((i) => [i.id, i.severity, i.ruleId])).toEqual([
      ['art14:overdue', 'breach', 'TR-ART14-ONE-MONTH'],
      [`dpia:${created.dpia.id}:unapproved`, 'blocked', 'DPIA-HIGH-RISK'],
    ]);
    expect(overview.items[1]!.link).toBe(`/c/${tc.campaign.id}/dpias/${created.dpia.id}`);
    expect(overview.items[1]!.title).toBe('“Supporters on Meta” has no approved version (latest: version 1, draft)');
  });

  it('warns when the record of processing and the DPIA disagree on which DPIA assesses an activity', async () => {
    const tc = await makeCampaign(server.deps);
    const [p, c] = [tc.owner.principal, tc.campaign.id];
    const activity = await createProcessingActivity(server.deps, p, c, { name: 'Supporter matching on Meta' });
    const linked = await createDpia(server.deps, p, c, {
      title: 'Matching',
      activityId: activity.id,
      screening: SUPPORTER_AUDIENCE,
    });
    const links = async (): Promise<string[][]> =>
      (await getDpoOverview(server.deps, p, c)).items
        .filter((i) => i.id.startsWith('dpia-link:'))
        .map((i) => [i.severity, i.title]);
    expect(await links()).toEqual([
      ['warning', '“Supporter matching on Meta” does not name the DPIA that assesses it'],
    ]);

    await updateProcessingActivity(server.deps, p, c, activity.id, { dpiaId: linked.dpia.id });
    expect(await links()).toEqual([]);

    const other = await createDpia(server.deps, p, c, { title: 'Other', screening: SUPPORTER_AUDIENCE });
    await updateProcessingActivity(server.deps, p, c, activity.id, { dpiaId: other.dpia.id });
    expect(await links()).toEqual([
      ['warning', '“Supporter matching on Meta” names a DPIA that assesses another activity'],
    ]);
    // A DPIA the campaign does not have is refused, naming the field.
    await expect(
      updateProcessingActivity(server.deps, p, c, activity.id, { dpiaId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('is not open to a volunteer', async () => {
    const tc = await makeCampaign(server.deps);
    const volunteer = await addMember(server.deps, tc, 'volunteer');
    const api = new ApiSession(server.app);
    expect((await api.signIn(volunteer.email, PASSWORD)).statusCode).toBe(200);
    expect((await api.request('GET', `/api/campaigns/${tc.campaign.id}/dpo/outstanding`)).statusCode).toBe(403);
  });
});
