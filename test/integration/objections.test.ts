/**
 * Objections and suppression (DM-OBJECTION-ABSOLUTE, DM-SUPPRESSION) and erasure: an
 * objection becomes a keyed-hash suppression entry for every identifier of the person; by
 * identifier it also reaches people already held; erasure removes the person but keeps the
 * entries (and says so), so the objector can never be added back. Runs on PGlite and PostgreSQL.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { recordConsent } from '../../src/app/consent.js';
import { erasePerson } from '../../src/app/erasure.js';
import { recordObjection, recordObjectionByIdentifier } from '../../src/app/objections.js';
import { createPerson, getPerson } from '../../src/app/people.js';
import { suppressionHasher } from '../../src/app/suppression.js';
import { inCampaign } from '../../src/db/scope.js';
import { namePostcodeKey } from '../../src/domain/suppression.js';
import { addMember, makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { caughtAppError, insertSource, listPerson, makePerson, tagPerson, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();

const RECEIVED = '2026-11-20T09:00:00Z';

async function setup(): Promise<{ tc: TestCampaign; sourceId: string }> {
  const tc = await makeCampaign(ctx.deps);
  return { tc, sourceId: await insertSource(ctx.deps, tc.campaign.id) };
}

async function suppressionRows(campaignId: string): Promise<{ kind: string; key_hash: string; reason: string }[]> {
  return inCampaign(ctx.deps.db, campaignId, (tx) =>
    tx.selectFrom('suppressions').select(['kind', 'key_hash', 'reason']).orderBy('kind').execute(),
  );
}

async function expectedHashes(campaignId: string, ids: [string, string][]): Promise<string[]> {
  return inCampaign(ctx.deps.db, campaignId, async (tx) => {
    const hasher = await suppressionHasher(tx, campaignId);
    return ids.map(([kind, value]) => hasher.hash(kind as 'email', value));
  });
}

async function addIdentifier(campaignId: string, personId: string, kind: 'email' | 'phone', value: string) {
  await inCampaign(ctx.deps.db, campaignId, (tx) =>
    tx.insertInto('person_identifiers').values({ campaign_id: campaignId, kind, value, person_id: personId }).execute(),
  );
}

describe('recordObjection (DM-SUPPRESSION)', () => {
  it('DM-SUPPRESSION: keeps one keyed-hash entry per identifier of the person, and marks them objected', async () => {
    const { tc, sourceId } = await setup();
    const c = tc.campaign.id;
    const p = await makePerson(ctx.deps, tc.owner.principal, c, sourceId, {
      firstName: 'Ann',
      lastName: "O'Neill",
      email: 'ann@example.org',
      phone: '07911 123456',
      postcode: 'SW1A 1AA',
    });
    await addIdentifier(c, p.id, 'email', 'ann.work@example.org');
    const result = await recordObjection(ctx.deps, tc.owner.principal, c, p.id, {
      method: 'email',
      receivedAt: RECEIVED,
      note: 'replied STOP',
    });
    expect(result.suppressionEntriesAdded).toBe(4);
    const rows = await suppressionRows(c);
    const hashes = await expectedHashes(c, [
      ['email', 'ann@example.org'],
      ['email', 'ann.work@example.org'],
      ['phone', '+447911123456'],
      ['name_postcode', namePostcodeKey("Ann O'Neill", 'SW1A 1AA')!],
    ]);
    expect(rows.map((r) => r.key_hash).sort()).toEqual([...hashes].sort());
    expect(rows.every((r) => r.reason === 'objection')).toBe(true);
    // Nothing in the clear.
    expect(JSON.stringify(rows)).not.toMatch(/ann|7911/i);
    const detail = await getPerson(ctx.deps, tc.owner.principal, c, p.id);
    expect(detail.objected).toBe(true);
    expect(detail.objectedAt).toBe(new Date(RECEIVED).toISOString());
    expect(detail.objections).toEqual([
      expect.objectContaining({ id: result.objectionId, method: 'email', note: 'replied STOP' }),
    ]);
    // A second objection adds no duplicate entries.
    const again = await recordObjection(ctx.deps, tc.owner.principal, c, p.id, {
      method: 'phone',
      receivedAt: RECEIVED,
    });
    expect(again.suppressionEntriesAdded).toBe(0);
    const audit = await listAuditEvents(ctx.deps, tc.owner.principal, c, {});
    expect(audit.events.filter((e) => e.type === 'person.objection_recorded')).toHaveLength(2);
  });

  it('by identifier: suppresses someone not held yet, and marks every matching person with all their identifiers', async () => {
    const { tc, sourceId } = await setup();
    const c = tc.campaign.id;
    const o = tc.owner.principal;
    const held = await makePerson(ctx.deps, o, c, sourceId, { email: 'held@example.org', phone: '07911 123458' });
    const byName = await makePerson(ctx.deps, o, c, sourceId, {
      firstName: 'Huw',
      lastName: 'Price',
      postcode: 'CF10 1AA',
    });
    const r1 = await recordObjectionByIdentifier(ctx.deps, o, c, {
      phone: '+44 7911 123458',
      method: 'phone',
      receivedAt: RECEIVED,
    });
    expect(r1.peopleMarked).toEqual([held.id]);
    expect(r1.suppressionEntriesAdded).toBe(2); // the phone, and the person's email
    await expect(makePerson(ctx.deps, o, c, sourceId, { email: 'HELD@example.org' })).rejects.toMatchObject({
      code: 'rule_refused',
    });

    const r2 = await recordObjectionByIdentifier(ctx.deps, o, c, {
      name: 'HUW  PRICE',
      postcode: 'cf101aa',
      method: 'letter',
      receivedAt: RECEIVED,
    });
    expect(r2.peopleMarked).toEqual([byName.id]);
    expect((await getPerson(ctx.deps, o, c, byName.id)).objected).toBe(true);

    const r3 = await recordObjectionByIdentifier(ctx.deps, o, c, {
      email: 'Stranger@Example.org',
      method: 'email',
      receivedAt: RECEIVED,
    });
    expect(r3).toMatchObject({ peopleMarked: [], suppressionEntriesAdded: 1 });
    await expect(makePerson(ctx.deps, o, c, sourceId, { email: 'stranger@example.org' })).rejects.toMatchObject({
      code: 'rule_refused',
    });
  });

  it('by identifier: needs a usable identifier, and names the invalid one', async () => {
    const { tc } = await setup();
    const cases: [Record<string, unknown>, string][] = [
      [{}, ''],
      [{ email: 'not an email' }, 'email'],
      [{ phone: '123' }, 'phone'],
      [{ name: 'Ann Smith' }, 'postcode'],
      [{ name: 'Ann Smith', postcode: 'nowhere' }, 'postcode'],
    ];
    for (const [ids, field] of cases) {
      const err = await caughtAppError(
        recordObjectionByIdentifier(ctx.deps, tc.owner.principal, tc.campaign.id, {
          ...ids,
          method: 'email',
          receivedAt: RECEIVED,
        }),
      );
      expect(err.code, JSON.stringify(ids)).toBe('validation_failed');
      expect((err.details?.['issues'] as { field: string }[]).map((i) => i.field)).toContain(field);
    }
  });
});

/** Every row in a table with a person_id column that still names the person, by table. */
async function rowsReferencing(personId: string): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name = 'person_id'`.execute(ctx.t.owner.kysely);
  const out: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const r = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM ${sql.table(table_name)} WHERE person_id = ${personId}`.execute(ctx.t.owner.kysely);
    const n = Number(r.rows[0]!.n);
    if (n > 0) out[table_name] = n;
  }
  const facts = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM people WHERE facts::text LIKE ${`%${personId}%`}`.execute(ctx.t.owner.kysely);
  if (Number(facts.rows[0]!.n) > 0) out['people.facts'] = Number(facts.rows[0]!.n);
  return out;
}

describe('erasePerson', () => {
  it('removes the person everywhere but keeps the suppression entries of an objector, and says so', async () => {
    const { tc, sourceId } = await setup();
    const c = tc.campaign.id;
    const o = tc.owner.principal;
    const p = await makePerson(ctx.deps, o, c, sourceId, {
      firstName: 'Eve',
      lastName: 'Adams',
      email: 'eve@example.org',
      phone: '07911 123459',
      postcode: 'SW1A 2AA',
    });
    await addIdentifier(c, p.id, 'phone', '+447911123460');
    await tagPerson(ctx.deps, c, p.id, 'Donor');
    await listPerson(ctx.deps, c, p.id, 'Phone bank');
    await recordConsent(ctx.deps, o, c, p.id, {
      action: 'granted',
      purpose: 'news',
      channels: ['email'],
      method: 'form',
      wording: 'Email me',
      wordingVersion: '1',
      occurredAt: '2026-11-01T00:00:00Z',
    });
    const objection = await recordObjection(ctx.deps, o, c, p.id, {
      method: 'email',
      receivedAt: RECEIVED,
      note: 'STOP',
    });
    const before = await suppressionRows(c);
    expect(before).toHaveLength(4);

    const result = await erasePerson(ctx.deps, o, c, p.id, { reason: 'erasure request received 2026-11-28' });
    expect(result).toMatchObject({ personId: p.id, suppressionEntriesKept: 4 });
    expect(result.message).toBe(
      'Erased. 4 suppression entries were kept so that this person is never imported or contacted again (UK GDPR Art 21(3)); they are keyed hashes, not the identifiers.',
    );
    expect(await rowsReferencing(p.id)).toEqual({ erasures: 1 });
    expect(await suppressionRows(c)).toEqual(before);
    const objections = await inCampaign(ctx.deps.db, c, (tx) =>
      tx.selectFrom('objections').select(['objection_id', 'person_id', 'note']).execute(),
    );
    expect(objections).toEqual([{ objection_id: objection.objectionId, person_id: null, note: null }]);
    expect((await caughtAppError(getPerson(ctx.deps, o, c, p.id))).code).toBe('not_found');
    const audit = await listAuditEvents(ctx.deps, o, c, {});
    expect(audit.events.map((e) => e.type)).toContain('person.erased');

    // DM-OBJECTION-ABSOLUTE survives erasure: the same person cannot be added again by any identifier.
    for (const fields of [
      { email: 'EVE@example.org' },
      { phone: '07911 123460' },
      { firstName: 'eve', lastName: 'adams', postcode: 'sw1a2aa' },
    ]) {
      const err = await caughtAppError(makePerson(ctx.deps, o, c, sourceId, fields));
      expect(err.code).toBe('rule_refused');
      expect(err.details?.['findings']).toEqual([expect.objectContaining({ ruleId: 'DM-OBJECTION-ABSOLUTE' })]);
    }
  });

  it('erasure alone does not suppress: a non-objector is erased with no entries, and the message says so', async () => {
    const { tc, sourceId } = await setup();
    const c = tc.campaign.id;
    const p = await makePerson(ctx.deps, tc.owner.principal, c, sourceId, { email: 'plain@example.org' });
    const result = await erasePerson(ctx.deps, tc.owner.principal, c, p.id, { reason: 'asked to be forgotten' });
    expect(result.suppressionEntriesKept).toBe(0);
    expect(result.message).toMatch(/No suppression entries were kept: this person had not objected/);
    expect(await suppressionRows(c)).toEqual([]);
    expect(await rowsReferencing(p.id)).toEqual({ erasures: 1 });
    await expect(
      createPerson(ctx.deps, tc.owner.principal, c, { sourceId, email: 'plain@example.org' }),
    ).resolves.toMatchObject({ email: 'plain@example.org' });
  });

  it('needs people.erase (owner, data manager, DPO) and a reason', async () => {
    const { tc, sourceId } = await setup();
    const c = tc.campaign.id;
    const p = await makePerson(ctx.deps, tc.owner.principal, c, sourceId, { email: 'e@example.org' });
    for (const role of ['volunteer', 'organiser'] as const) {
      const member = await addMember(ctx.deps, tc, role);
      expect((await caughtAppError(erasePerson(ctx.deps, member.principal, c, p.id, { reason: 'x' }))).code).toBe(
        'forbidden',
      );
    }
    expect((await caughtAppError(erasePerson(ctx.deps, tc.owner.principal, c, p.id, { reason: ' ' }))).code).toBe(
      'validation_failed',
    );
    const dpo = await addMember(ctx.deps, tc, 'dpo');
    await expect(erasePerson(ctx.deps, dpo.principal, c, p.id, { reason: 'request' })).resolves.toMatchObject({
      personId: p.id,
    });
    expect((await caughtAppError(erasePerson(ctx.deps, dpo.principal, c, p.id, { reason: 'again' }))).code).toBe(
      'not_found',
    );
  });
});

describe('rule table: DM-OBJECTION-ABSOLUTE and DM-SUPPRESSION', () => {
  const person = {
    firstName: 'Rhys',
    lastName: 'Morgan',
    email: 'rhys.morgan@example.org',
    phone: '07911 123456',
    postcode: 'CF10 1AA',
  };
  const table: {
    rule: 'DM-OBJECTION-ABSOLUTE' | 'DM-SUPPRESSION';
    name: string;
    objection: 'person' | 'identifier' | 'none';
    erase: boolean;
    reAdd: Record<string, string>;
    expected: 'refused' | 'allowed';
  }[] = [
    {
      rule: 'DM-OBJECTION-ABSOLUTE',
      name: 'an objector cannot be added again by email in another case',
      objection: 'person',
      erase: false,
      reAdd: { email: ' RHYS.Morgan@Example.org' },
      expected: 'refused',
    },
    {
      rule: 'DM-OBJECTION-ABSOLUTE',
      name: 'an objector cannot be added again by phone in another format',
      objection: 'person',
      erase: false,
      reAdd: { phone: '+44 (0)7911 123456' },
      expected: 'refused',
    },
    {
      rule: 'DM-OBJECTION-ABSOLUTE',
      name: 'an objector cannot be added again by name and postcode written differently',
      objection: 'person',
      erase: false,
      reAdd: { firstName: 'RHYS', lastName: ' morgan ', postcode: 'cf101aa' },
      expected: 'refused',
    },
    {
      rule: 'DM-SUPPRESSION',
      name: 'the suppression entries survive erasure',
      objection: 'person',
      erase: true,
      reAdd: { email: 'rhys.morgan@example.org', firstName: 'Rhys' },
      expected: 'refused',
    },
    {
      rule: 'DM-SUPPRESSION',
      name: 'an objection by identifier suppresses someone never held',
      objection: 'identifier',
      erase: false,
      reAdd: { phone: '07911123456' },
      expected: 'refused',
    },
    {
      rule: 'DM-SUPPRESSION',
      name: 'erasure alone creates no suppression entry',
      objection: 'none',
      erase: true,
      reAdd: { email: 'rhys.morgan@example.org' },
      expected: 'allowed',
    },
    {
      rule: 'DM-OBJECTION-ABSOLUTE',
      name: 'someone else at the same postcode is not suppressed',
      objection: 'person',
      erase: false,
      reAdd: { firstName: 'Sian', lastName: 'Morgan', postcode: 'CF10 1AA' },
      expected: 'allowed',
    },
  ];
  for (const row of table) {
    it(`${row.rule}: ${row.name}`, async () => {
      const { tc, sourceId } = await setup();
      const c = tc.campaign.id;
      const o = tc.owner.principal;
      if (row.objection === 'identifier') {
        await recordObjectionByIdentifier(ctx.deps, o, c, {
          phone: person.phone,
          method: 'phone',
          receivedAt: RECEIVED,
        });
      } else {
        const p = await makePerson(ctx.deps, o, c, sourceId, person);
        if (row.objection === 'person')
          await recordObjection(ctx.deps, o, c, p.id, { method: 'email', receivedAt: RECEIVED });
        if (row.erase) await erasePerson(ctx.deps, o, c, p.id, { reason: 'request' });
      }
      const attempt = makePerson(ctx.deps, o, c, sourceId, row.reAdd);
      if (row.expected === 'allowed') {
        await expect(attempt).resolves.toMatchObject({ objected: false });
        return;
      }
      const err = await caughtAppError(attempt);
      expect(err.code).toBe('rule_refused');
      expect(err.details?.['findings']).toEqual([
        expect.objectContaining({ ruleId: 'DM-OBJECTION-ABSOLUTE', citation: 'UK GDPR Art 21(2)–(3)', remedy: null }),
      ]);
    });
  }
});
