/**
 * Tags and lists through HTTP (src/app/tags.ts, src/http/routes/tags.ts): creating, renaming,
 * archiving and deleting them, putting people on them with the provenance of that fact, the
 * refusals (a name taken, an archived tag or source, a tag still in use), who may do what, and
 * the audit trail. Also: a manual entry refused by a suppression entry lands in the audit trail
 * without the identifier. Runs on PGlite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { addMember, makeCampaign, PASSWORD, type TestCampaign } from '../helpers/factories.js';
import { insertSource } from '../helpers/people.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(async () => {
  await server?.close();
});

async function signedIn(email: string): Promise<ApiSession> {
  const api = new ApiSession(server.app);
  expect((await api.signIn(email, PASSWORD)).statusCode).toBe(200);
  return api;
}

interface Setup {
  tc: TestCampaign;
  sourceId: string;
  api: ApiSession;
  base: string;
  personId: string;
}

async function setup(): Promise<Setup> {
  const tc = await makeCampaign(server.deps);
  const sourceId = await insertSource(server.deps, tc.campaign.id, { name: 'Street stall', type: 'canvass' });
  const api = await signedIn(tc.owner.email);
  const base = `/api/campaigns/${tc.campaign.id}`;
  const created = await api.request('POST', `${base}/people`, { sourceId, email: 'ann@example.org' });
  expect(created.statusCode).toBe(201);
  return { tc, sourceId, api, base, personId: created.json().person.id };
}

/** The audit events of the campaign, oldest first: [type, data]. */
async function auditTrail(tc: TestCampaign): Promise<[string, Record<string, unknown>][]> {
  const { events } = await listAuditEvents(server.deps, tc.owner.principal, tc.campaign.id, { limit: 200 });
  return events.reverse().map((e) => [e.type, e.data as Record<string, unknown>]);
}

const fields = (res: { json(): { error: { details?: { issues?: { field: string }[] } } } }): string[] =>
  (res.json().error.details?.issues ?? []).map((i) => i.field);

describe('tags and lists', () => {
  it('creates, renames, archives, restores and deletes them, each change audited', async () => {
    const { tc, api, base } = await setup();
    const created = await api.request('POST', `${base}/tags`, { name: ' Donor ' });
    expect(created.statusCode).toBe(201);
    const tag = created.json().tag;
    expect(tag).toEqual({
      id: expect.any(String),
      name: 'Donor',
      archivedAt: null,
      createdAt: expect.any(String),
      people: 0,
    });

    const clash = await api.request('POST', `${base}/tags`, { name: 'DONOR' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({ code: 'conflict', details: { field: 'name', tagId: tag.id } });
    const blank = await api.request('POST', `${base}/tags`, { name: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(fields(blank)).toEqual(['name']);
    const unknown = await api.request('POST', `${base}/tags`, { name: 'x', colour: 'red' });
    expect(unknown.statusCode).toBe(400);

    const list = await api.request('POST', `${base}/lists`, { name: 'Phone bank', description: 'Tuesday calls' });
    expect(list.statusCode).toBe(201);
    expect(list.json().list).toMatchObject({ name: 'Phone bank', description: 'Tuesday calls', people: 0 });

    const renamed = await api.request('PATCH', `${base}/tags/${tag.id}`, { name: 'Donors' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().tag).toMatchObject({ id: tag.id, name: 'Donors' });
    expect((await api.request('PATCH', `${base}/tags/${tag.id}`, {})).statusCode).toBe(400);
    const archived = await api.request('PATCH', `${base}/tags/${tag.id}`, { archived: true });
    expect(archived.json().tag.archivedAt).toEqual(expect.any(String));
    const restored = await api.request('PATCH', `${base}/tags/${tag.id}`, { archived: false });
    expect(restored.json().tag.archivedAt).toBeNull();
    const described = await api.request('PATCH', `${base}/lists/${list.json().list.id}`, { description: 'Thursdays' });
    expect(described.json().list.description).toBe('Thursdays');

    expect((await api.request('DELETE', `${base}/tags/${tag.id}`)).statusCode).toBe(204);
    expect((await api.request('DELETE', `${base}/tags/${tag.id}`)).statusCode).toBe(404);
    expect((await api.request('GET', `${base}/tags`)).json()).toEqual({ tags: [] });
    expect((await api.request('PATCH', `${base}/tags/not-a-uuid`, { name: 'x' })).statusCode).toBe(404);

    const trail = (await auditTrail(tc)).filter(([type]) => type.startsWith('tag.') || type.startsWith('list.'));
    expect(trail).toEqual([
      ['tag.created', { tagId: tag.id, name: 'Donor' }],
      ['list.created', { listId: list.json().list.id, name: 'Phone bank' }],
      ['tag.updated', { tagId: tag.id, fields: ['name'], name: 'Donors', previousName: 'Donor' }],
      ['tag.updated', { tagId: tag.id, fields: ['archived'], name: 'Donors' }],
      ['tag.updated', { tagId: tag.id, fields: ['restored'], name: 'Donors' }],
      ['list.updated', { listId: list.json().list.id, fields: ['description'], name: 'Phone bank' }],
      ['tag.deleted', { tagId: tag.id, name: 'Donors' }],
    ]);
  });

  it('puts a person on a tag with the provenance of that fact, and takes them off', async () => {
    const { tc, sourceId, api, base, personId } = await setup();
    const path = `${base}/people/${personId}/tags`;
    const added = await api.request('POST', path, { name: 'Volunteer', sourceId, kind: 'observed' });
    expect(added.statusCode).toBe(201);
    const membership = added.json().membership;
    expect(membership).toEqual({
      id: expect.any(String),
      name: 'Volunteer',
      archived: false,
      addedAt: expect.any(String),
      provenance: expect.objectContaining({
        kind: 'observed',
        sourceId,
        sourceName: 'Street stall',
        sourceType: 'canvass',
        lawfulBasis: 'legitimate_interests',
        importId: null,
      }),
    });
    // The new name created the tag; by id works too.
    const tags = (await api.request('GET', `${base}/tags`)).json().tags;
    expect(tags).toEqual([expect.objectContaining({ id: membership.id, name: 'Volunteer', people: 1 })]);
    const again = await api.request('POST', path, { tagId: membership.id, sourceId, kind: 'provided' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('already on the tag "Volunteer"');

    const both = await api.request('POST', path, {
      tagId: membership.id,
      name: 'Volunteer',
      sourceId,
      kind: 'observed',
    });
    expect(both.statusCode).toBe(400);
    expect(fields(both)).toEqual(['name']);
    const noKind = await api.request('POST', path, { name: 'Donor', sourceId });
    expect(fields(noKind)).toEqual(['kind']);
    const archivedSource = await insertSource(server.deps, tc.campaign.id, { name: 'Old', archived: true });
    const fromArchived = await api.request('POST', path, { name: 'Donor', sourceId: archivedSource, kind: 'provided' });
    expect(fromArchived.statusCode).toBe(400);
    expect(fromArchived.json().error.details.issues).toEqual([
      { field: 'sourceId', message: 'this source is archived: choose a current one' },
    ]);
    const nobody = await api.request('POST', `${base}/people/${randomUUID()}/tags`, {
      name: 'Donor',
      sourceId,
      kind: 'provided',
    });
    expect(nobody.statusCode).toBe(404);

    const person = (await api.request('GET', `${base}/people/${personId}`)).json().person;
    expect(person.tags).toEqual([membership]);

    // In use: deleting is refused, archiving keeps the membership and refuses new ones.
    const del = await api.request('DELETE', `${base}/tags/${membership.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().error).toMatchObject({ code: 'invalid_state', details: { people: 1 } });
    expect(del.json().error.message).toMatch(/^1 person is on the tag "Volunteer".*Archive it instead/);
    expect((await api.request('PATCH', `${base}/tags/${membership.id}`, { archived: true })).statusCode).toBe(200);
    const other = (await api.request('POST', `${base}/people`, { sourceId, email: 'bob@example.org' })).json().person;
    const closed = await api.request('POST', `${base}/people/${other.id}/tags`, {
      name: 'volunteer',
      sourceId,
      kind: 'provided',
    });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error).toMatchObject({ code: 'invalid_state', details: { field: 'name' } });
    expect(closed.json().error.message).toContain('is archived: it takes no new people');
    expect((await api.request('GET', `${base}/people/${personId}`)).json().person.tags).toEqual([
      { ...membership, archived: true },
    ]);
    // Archived tags still filter the people search.
    const found = await api.request('GET', `${base}/people?tag=volunteer`);
    expect(found.json().people.map((p: { id: string }) => p.id)).toEqual([personId]);

    expect((await api.request('DELETE', `${path}/${membership.id}`)).statusCode).toBe(204);
    expect((await api.request('DELETE', `${path}/${membership.id}`)).statusCode).toBe(404);
    expect((await api.request('GET', `${base}/people/${personId}`)).json().person.tags).toEqual([]);
    expect((await api.request('DELETE', `${base}/tags/${membership.id}`)).statusCode).toBe(204);

    const trail = (await auditTrail(tc)).filter(([type]) => type.startsWith('person.tag') || type === 'tag.created');
    expect(trail).toEqual([
      ['tag.created', { tagId: membership.id, name: 'Volunteer' }],
      ['person.tag_added', { personId, tagId: membership.id, provenanceId: membership.provenance.id }],
      ['person.tag_removed', { personId, tagId: membership.id }],
    ]);
  });

  it('puts a person on a list and takes them off, the same way', async () => {
    const { tc, sourceId, api, base, personId } = await setup();
    const list = (await api.request('POST', `${base}/lists`, { name: 'Leafleters' })).json().list;
    const added = await api.request('POST', `${base}/people/${personId}/lists`, {
      listId: list.id,
      sourceId,
      kind: 'provided',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().membership).toMatchObject({
      id: list.id,
      name: 'Leafleters',
      provenance: { kind: 'provided' },
    });
    expect((await api.request('GET', `${base}/lists`)).json().lists[0]).toMatchObject({ people: 1 });
    expect((await api.request('DELETE', `${base}/lists/${list.id}`)).statusCode).toBe(409);
    const wrongId = await api.request('POST', `${base}/people/${personId}/lists`, {
      listId: randomUUID(),
      sourceId,
      kind: 'provided',
    });
    expect(wrongId.statusCode).toBe(400);
    expect(fields(wrongId)).toEqual(['listId']);
    expect((await api.request('DELETE', `${base}/people/${personId}/lists/${list.id}`)).statusCode).toBe(204);
    expect((await api.request('DELETE', `${base}/lists/${list.id}`)).statusCode).toBe(204);
    const types = (await auditTrail(tc)).map(([type]) => type).filter((t) => t.includes('list'));
    expect(types).toEqual(['list.created', 'person.list_added', 'person.list_removed', 'list.deleted']);
  });

  it('lets organisers tag people but only owners, data managers and DPOs rename, archive or delete', async () => {
    const { tc, sourceId, api, base, personId } = await setup();
    const tag = (await api.request('POST', `${base}/tags`, { name: 'Donor' })).json().tag;
    const organiser = await signedIn((await addMember(server.deps, tc, 'organiser')).email);
    expect((await organiser.request('POST', `${base}/tags`, { name: 'Helper' })).statusCode).toBe(201);
    const tagged = await organiser.request('POST', `${base}/people/${personId}/tags`, {
      tagId: tag.id,
      sourceId,
      kind: 'provided',
    });
    expect(tagged.statusCode).toBe(201);
    expect((await organiser.request('PATCH', `${base}/tags/${tag.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await organiser.request('DELETE', `${base}/tags/${tag.id}`)).statusCode).toBe(403);

    const dpo = await signedIn((await addMember(server.deps, tc, 'dpo')).email);
    expect((await dpo.request('GET', `${base}/tags`)).statusCode).toBe(200);
    expect((await dpo.request('PATCH', `${base}/tags/${tag.id}`, { archived: true })).statusCode).toBe(200);
    expect(
      (await dpo.request('POST', `${base}/people/${personId}/tags`, { name: 'x', sourceId, kind: 'provided' }))
        .statusCode,
    ).toBe(403);
    expect((await dpo.request('DELETE', `${base}/people/${personId}/tags/${tag.id}`)).statusCode).toBe(403);

    const volunteer = await signedIn((await addMember(server.deps, tc, 'volunteer')).email);
    expect((await volunteer.request('GET', `${base}/lists`)).statusCode).toBe(403);

    const stranger = await signedIn((await makeCampaign(server.deps)).owner.email);
    expect((await stranger.request('GET', `${base}/tags`)).statusCode).toBe(404);
    expect((await stranger.request('DELETE', `${base}/tags/${tag.id}`)).statusCode).toBe(404);
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/campaigns/{campaignId}/tags',
        '/api/campaigns/{campaignId}/tags/{tagId}',
        '/api/campaigns/{campaignId}/lists',
        '/api/campaigns/{campaignId}/lists/{listId}',
        '/api/campaigns/{campaignId}/people/{personId}/tags',
        '/api/campaigns/{campaignId}/people/{personId}/tags/{tagId}',
        '/api/campaigns/{campaignId}/people/{personId}/lists',
        '/api/campaigns/{campaignId}/people/{personId}/lists/{listId}',
      ]),
    );
    const body = doc.paths['/api/campaigns/{campaignId}/people/{personId}/tags'].post.requestBody;
    expect(Object.keys(body.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['tagId', 'name', 'sourceId', 'kind']),
    );
  });
});

describe('manual entry refused by a suppression entry', () => {
  it('answers 422 with the rule and records the refusal in the audit trail, without the identifier', async () => {
    const { tc, sourceId, api, base } = await setup();
    const objection = await api.request('POST', `${base}/objections`, {
      email: 'grace@example.org',
      method: 'letter',
      receivedAt: '2026-11-20T09:00:00Z',
    });
    expect(objection.statusCode).toBe(201);
    const refused = await api.request('POST', `${base}/people`, {
      sourceId,
      firstName: 'Grace',
      email: ' GRACE@example.org ',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.findings).toEqual([
      expect.objectContaining({ ruleId: 'DM-OBJECTION-ABSOLUTE', outcome: 'refuse', remedy: null }),
    ]);
    const [last] = (await auditTrail(tc)).slice(-1);
    expect(last).toEqual([
      'person.create_refused',
      {
        sourceId,
        findings: [
          {
            ruleId: 'DM-OBJECTION-ABSOLUTE',
            citation: expect.any(String),
            outcome: 'refuse',
            explanation: expect.stringMatching(/matches a suppression entry recorded on \d{4}-\d{2}-\d{2}/),
          },
        ],
      },
    ]);
    expect(JSON.stringify(last)).not.toMatch(/grace/i);
  });
});
