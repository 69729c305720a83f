/**
 * People: manual entry (screened against suppressions, identifiers unique), the full record
 * with provenance, search with every filter and keyset pagination, Art 14 notices, tags and
 * lists, and permissions. Runs on PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { recordConsent } from '../../src/app/consent.js';
import { recordObjection, recordObjectionByIdentifier } from '../../src/app/objections.js';
import { classifyQuery, createPerson, getPerson, listPeople, recordArt14Notice } from '../../src/app/people.js';
import { listCollections } from '../../src/app/tags.js';
import { addMember, makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { caughtAppError, insertSource, listPerson, makePerson, tagPerson, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();

async function setup(): Promise<{ tc: TestCampaign; sourceId: string }> {
  const tc = await makeCampaign(ctx.deps);
  const sourceId = await insertSource(ctx.deps, tc.campaign.id, { name: 'Street stall', type: 'canvass' });
  return { tc, sourceId };
}

describe('createPerson', () => {
  it('stores normalized identifiers, every value with its provenance, and audits person.created', async () => {
    const { tc, sourceId } = await setup();
    const person = await createPerson(ctx.deps, tc.owner.principal, tc.campaign.id, {
      sourceId,
      firstName: 'Ann',
      lastName: "O'Neill",
      email: ' Ann.ONeill@Example.ORG ',
      phone: '07911 123456',
      addressLine1: '1 High Street',
      town: 'Exampletown',
      postcode: 'sw1a1aa',
    });
    expect(person).toMatchObject({
      firstName: 'Ann',
      lastName: "O'Neill",
      email: 'ann.oneill@example.org',
      phone: '+447911123456',
      postcode: 'SW1A 1AA',
      objected: false,
      art14: { status: 'not_applicable', dueAt: null, notifiedAt: null },
    });
    expect(person.identifiers).toEqual([
      { kind: 'email', value: 'ann.oneill@example.org', primary: true },
      { kind: 'phone', value: '+447911123456', primary: true },
    ]);
    expect(person.facts.map((f) => f.field)).toEqual([
      'first_name',
      'last_name',
      'email',
      'phone',
      'address_line1',
      'town',
      'postcode',
    ]);
    for (const f of person.facts) {
      expect(f.provenance).toMatchObject({
        kind: 'provided',
        lawfulBasis: 'legitimate_interests',
        sourceId,
        sourceName: 'Street stall',
        sourceType: 'canvass',
        importId: null,
      });
    }
    expect(person.sources).toEqual([{ id: sourceId, name: 'Street stall', type: 'canvass', first: true }]);
    const audit = await listAuditEvents(ctx.deps, tc.owner.principal, tc.campaign.id, {});
    expect(audit.events.map((e) => e.type)).toContain('person.created');
  });

  it('starts the Art 14 clock for a third-party source (TR-ART14-ONE-MONTH) and records the notice', async () => {
    const tc = await makeCampaign(ctx.deps);
    const sourceId = await insertSource(ctx.deps, tc.campaign.id, { type: 'data_broker' });
    const person = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'b@example.org' });
    expect(person.art14.status).toBe('due');
    expect(new Date(person.art14.dueAt!).getTime() - new Date(person.createdAt).getTime()).toBe(30 * 86_400_000);
    const sentAt = new Date().toISOString();
    const after = await recordArt14Notice(ctx.deps, tc.owner.principal, tc.campaign.id, person.id, {
      sentAt,
      method: 'letter',
    });
    expect(after.art14).toMatchObject({ status: 'notified', notifiedAt: sentAt });
    const err = await caughtAppError(
      recordArt14Notice(ctx.deps, tc.owner.principal, tc.campaign.id, person.id, { sentAt: 'yesterday', method: 'x' }),
    );
    expect(err.code).toBe('validation_failed');
  });

  it('refuses an objector (DM-OBJECTION-ABSOLUTE), naming the rule and citation', async () => {
    const { tc, sourceId } = await setup();
    await recordObjectionByIdentifier(ctx.deps, tc.owner.principal, tc.campaign.id, {
      email: 'objector@example.org',
      method: 'email',
      receivedAt: new Date().toISOString(),
    });
    const err = await caughtAppError(
      makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'OBJECTOR@example.org ' }),
    );
    expect(err.code).toBe('rule_refused');
    expect(err.details?.['findings']).toEqual([
      expect.objectContaining({
        ruleId: 'DM-OBJECTION-ABSOLUTE',
        citation: 'UK GDPR Art 21(2)–(3)',
        outcome: 'refuse',
      }),
    ]);
    expect(err.message).toMatch(/survive erasure/);
  });

  it('names the existing person when an email or phone is already held (conflict)', async () => {
    const { tc, sourceId } = await setup();
    const first = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, {
      email: 'dup@example.org',
      phone: '07911 123457',
    });
    const byEmail = await caughtAppError(
      makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'DUP@example.org' }),
    );
    expect(byEmail.code).toBe('conflict');
    expect(byEmail.details).toMatchObject({ personId: first.id, field: 'email' });
    const byPhone = await caughtAppError(
      makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { phone: '+44 7911 123457' }),
    );
    expect(byPhone.details).toMatchObject({ personId: first.id, field: 'phone' });
  });

  it('validates identifiers and the source', async () => {
    const { tc, sourceId } = await setup();
    const archived = await insertSource(ctx.deps, tc.campaign.id, { archived: true });
    const cases: [Record<string, unknown>, string][] = [
      [{ sourceId, email: 'not-an-email' }, 'email'],
      [{ sourceId, phone: '12' }, 'phone'],
      [{ sourceId, firstName: 'A', lastName: 'B', postcode: 'nowhere' }, 'postcode'],
      [{ sourceId, firstName: 'Only A Name' }, ''],
      [{ sourceId: archived, email: 'x@example.org' }, 'sourceId'],
      [{ sourceId: '00000000-0000-4000-8000-000000000000', email: 'x@example.org' }, 'sourceId'],
      [{ email: 'x@example.org' }, 'sourceId'],
    ];
    for (const [input, field] of cases) {
      const err = await caughtAppError(createPerson(ctx.deps, tc.owner.principal, tc.campaign.id, input));
      expect(err.code, JSON.stringify(input)).toBe('validation_failed');
      expect((err.details?.['issues'] as { field: string }[]).map((i) => i.field)).toContain(field);
    }
  });

  it('lets a person in by name and postcode alone', async () => {
    const { tc, sourceId } = await setup();
    const p = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, {
      firstName: 'Nia',
      lastName: 'Jones',
      postcode: 'cf10 1aa',
    });
    expect(p.postcode).toBe('CF10 1AA');
  });
});

describe('permissions', () => {
  it('a volunteer may record an objection but not read, add or erase people; a non-member sees nothing', async () => {
    const { tc, sourceId } = await setup();
    const person = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'p@example.org' });
    const volunteer = await addMember(ctx.deps, tc, 'volunteer');
    expect((await caughtAppError(listPeople(ctx.deps, volunteer.principal, tc.campaign.id, {}))).code).toBe(
      'forbidden',
    );
    expect((await caughtAppError(getPerson(ctx.deps, volunteer.principal, tc.campaign.id, person.id))).code).toBe(
      'forbidden',
    );
    expect(
      (
        await caughtAppError(
          createPerson(ctx.deps, volunteer.principal, tc.campaign.id, { sourceId, email: 'q@example.org' }),
        )
      ).code,
    ).toBe('forbidden');
    expect(
      (
        await caughtAppError(
          recordConsent(ctx.deps, volunteer.principal, tc.campaign.id, person.id, {
            action: 'withdrawn',
            purpose: 'updates',
            channels: ['email'],
            method: 'phone',
            occurredAt: new Date().toISOString(),
          }),
        )
      ).code,
    ).toBe('forbidden');
    const objection = await recordObjection(ctx.deps, volunteer.principal, tc.campaign.id, person.id, {
      method: 'doorstep',
      receivedAt: new Date().toISOString(),
    });
    expect(objection.suppressionEntriesAdded).toBe(1);
    const other = await makeCampaign(ctx.deps);
    expect((await caughtAppError(listPeople(ctx.deps, other.owner.principal, tc.campaign.id, {}))).code).toBe(
      'not_found',
    );
    expect((await caughtAppError(getPerson(ctx.deps, other.owner.principal, tc.campaign.id, person.id))).code).toBe(
      'not_found',
    );
  });
});

describe('getPerson', () => {
  it('shows tags, lists, consent (current and history with wording), objections, and audits the view', async () => {
    const { tc, sourceId } = await setup();
    const p = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, {
      firstName: 'Cai',
      lastName: 'Evans',
      email: 'cai@example.org',
    });
    await tagPerson(ctx.deps, tc.campaign.id, p.id, 'Volunteer');
    await listPerson(ctx.deps, tc.campaign.id, p.id, 'Leafleters');
    await recordConsent(ctx.deps, tc.owner.principal, tc.campaign.id, p.id, {
      action: 'granted',
      purpose: 'campaign_updates',
      channels: ['email', 'sms'],
      method: 'web form',
      wording: 'Yes, email and text me campaign updates.',
      wordingVersion: 'v1',
      occurredAt: '2026-11-01T10:00:00Z',
    });
    const detail = await getPerson(ctx.deps, tc.owner.principal, tc.campaign.id, p.id);
    expect(detail.tags.map((x) => x.name)).toEqual(['Volunteer']);
    expect(detail.lists.map((x) => x.name)).toEqual(['Leafleters']);
    expect(detail.consent.current.map((c) => [c.channel, c.granted])).toEqual([
      ['email', true],
      ['sms', true],
    ]);
    expect(detail.consent.history).toHaveLength(2);
    expect(detail.consent.history[0]).toMatchObject({
      action: 'granted',
      wording: 'Yes, email and text me campaign updates.',
      wordingVersion: 'v1',
      method: 'web form',
      recordedBy: { type: 'user', id: tc.owner.principal.userId },
    });
    expect(detail.consent.history[0]!.wordingHash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await listAuditEvents(ctx.deps, tc.owner.principal, tc.campaign.id, {});
    expect(audit.events.map((e) => e.type)).toContain('person.viewed');
    expect((await caughtAppError(getPerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId))).code).toBe(
      'not_found',
    );
  });
});

describe('listPeople', () => {
  it('classifies free text as email, phone, postcode or name', () => {
    const table: [string, string][] = [
      ['jo@example.org', 'email'],
      ['07911 123456', 'phone'],
      ['+44 20 7946 0958', 'phone'],
      ['SW1A 1AA', 'postcode'],
      ['sw1a', 'postcode'],
      ['Smith', 'name'],
      ['ann smi', 'name'],
    ];
    for (const [q, kind] of table) expect(classifyQuery(q).kind, q).toBe(kind);
  });

  it('filters by every field and pages newest first with an opaque cursor', async () => {
    const { tc, sourceId } = await setup();
    const other = await insertSource(ctx.deps, tc.campaign.id, { name: 'Petition', type: 'petition' });
    const c = tc.campaign.id;
    const o = tc.owner.principal;
    const ann = await makePerson(ctx.deps, o, c, sourceId, {
      firstName: 'Ann',
      lastName: 'Smith',
      email: 'ann@example.org',
      phone: '07911 200001',
      postcode: 'SW1A 1AA',
    });
    const bob = await makePerson(ctx.deps, o, c, sourceId, {
      firstName: 'Bob',
      lastName: 'Smithson',
      email: 'bob@example.org',
      postcode: 'SW1A 2AA',
    });
    const cat = await makePerson(ctx.deps, o, c, other, {
      firstName: 'Cat',
      lastName: 'Jones',
      email: 'cat@example.org',
      postcode: 'CF10 1AA',
    });
    await tagPerson(ctx.deps, c, ann.id, 'Donor');
    await tagPerson(ctx.deps, c, cat.id, 'Donor');
    await listPerson(ctx.deps, c, bob.id, 'Leafleters');
    await recordConsent(ctx.deps, o, c, ann.id, {
      action: 'granted',
      purpose: 'updates',
      channels: ['email'],
      method: 'form',
      wording: 'Email me',
      wordingVersion: '1',
      occurredAt: '2026-11-01T00:00:00Z',
    });
    await recordConsent(ctx.deps, o, c, bob.id, {
      action: 'withdrawn',
      purpose: 'updates',
      channels: ['email'],
      method: 'reply',
      occurredAt: '2026-11-01T00:00:00Z',
    });
    await recordObjection(ctx.deps, o, c, cat.id, { method: 'email', receivedAt: new Date().toISOString() });

    const ids = async (query: Record<string, unknown>): Promise<string[]> =>
      (await listPeople(ctx.deps, o, c, query)).people.map((p) => p.id);
    expect(await ids({})).toEqual([cat.id, bob.id, ann.id]);
    expect(await ids({ q: 'ANN@example.org' })).toEqual([ann.id]);
    expect(await ids({ q: '+447911200001' })).toEqual([ann.id]);
    expect(await ids({ phone: '07911 200001' })).toEqual([ann.id]);
    expect(await ids({ q: 'sw1a1aa' })).toEqual([ann.id]);
    expect(await ids({ q: 'SW1A' })).toEqual([bob.id, ann.id]);
    expect(await ids({ q: 'smith' })).toEqual([bob.id, ann.id]);
    expect(await ids({ name: 'bob smi' })).toEqual([bob.id]);
    expect(await ids({ email: 'ca' })).toEqual([cat.id]);
    expect(await ids({ tag: 'donor' })).toEqual([cat.id, ann.id]);
    expect(await ids({ tag: 'nobody' })).toEqual([]);
    expect(await ids({ list: 'Leafleters' })).toEqual([bob.id]);
    expect(await ids({ sourceId: other })).toEqual([cat.id]);
    expect(await ids({ consentChannel: 'email', consent: 'granted' })).toEqual([ann.id]);
    expect(await ids({ consentChannel: 'email', consent: 'withdrawn' })).toEqual([bob.id]);
    expect(await ids({ consentChannel: 'email', consent: 'none' })).toEqual([cat.id]);
    expect(await ids({ objection: 'objected' })).toEqual([cat.id]);
    expect(await ids({ objection: 'not_objected' })).toEqual([bob.id, ann.id]);
    expect(await ids({ q: 'nobody@example.org' })).toEqual([]);
    expect(await ids({ q: "100%_'" })).toEqual([]);

    const page1 = await listPeople(ctx.deps, o, c, { limit: 2 });
    expect(page1.people.map((p) => p.id)).toEqual([cat.id, bob.id]);
    expect(page1.people[0]).toMatchObject({ objected: true, art14Status: 'not_applicable' });
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await listPeople(ctx.deps, o, c, { limit: 2, after: page1.nextCursor });
    expect(page2.people.map((p) => p.id)).toEqual([ann.id]);
    expect(page2.nextCursor).toBeNull();

    expect((await caughtAppError(listPeople(ctx.deps, o, c, { after: 'garbage' }))).code).toBe('validation_failed');
    expect((await caughtAppError(listPeople(ctx.deps, o, c, { limit: 201 }))).code).toBe('validation_failed');
  });

  it('lists tags and lists with counts', async () => {
    const { tc, sourceId } = await setup();
    const a = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'a@example.org' });
    const b = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'b@example.org' });
    await tagPerson(ctx.deps, tc.campaign.id, a.id, 'Donor');
    await tagPerson(ctx.deps, tc.campaign.id, b.id, 'Donor');
    await tagPerson(ctx.deps, tc.campaign.id, b.id, 'Activist');
    await listPerson(ctx.deps, tc.campaign.id, a.id, 'Phone bank');
    const common = { id: expect.any(String), archivedAt: null, createdAt: expect.any(String) };
    expect(await listCollections(ctx.deps, tc.owner.principal, tc.campaign.id, 'tag')).toEqual([
      { ...common, name: 'Activist', people: 1 },
      { ...common, name: 'Donor', people: 2 },
    ]);
    expect(await listCollections(ctx.deps, tc.owner.principal, tc.campaign.id, 'list')).toEqual([
      { ...common, name: 'Phone bank', description: '', people: 1 },
    ]);
  });
});
