/**
 * Campaign isolation, checked twice: in the database (row-level security on every tenant
 * table, found from the catalog so a new table without a policy fails here) and over the
 * API (a member of campaign A gets 404 for every resource of campaign B).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteMember } from '../../src/app/invitations.js';
import { addDpiaAction, createDpia } from '../../src/app/dpias.js';
import { createJointControllerArrangement } from '../../src/app/joint-controllers.js';
import { createProcessingActivity } from '../../src/app/processing-activities.js';
import { createProcessor } from '../../src/app/processors.js';
import { createSource } from '../../src/app/sources.js';
import { sql } from 'kysely';
import { withClient } from '../../src/db/client.js';
import { inCampaign, inInstallation } from '../../src/db/scope.js';
import { addMember, makeCampaign, PASSWORD, type TestCampaign } from '../helpers/factories.js';
import { seedConsentSiteTables } from '../helpers/consent-sites.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: TestCampaign;
let b: TestCampaign;
let bMemberId: string;
let bInvitationId: string;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  a = await makeCampaign(server.deps, 'Campaign A');
  b = await makeCampaign(server.deps, 'Campaign B');
  bMemberId = (await addMember(server.deps, b, 'organiser')).principal.userId;
  bInvitationId = (
    await inviteMember(server.deps, b.owner.principal, b.campaign.id, {
      email: 'pending@example.org',
      role: 'volunteer',
    })
  ).invitation.id;
  // Tables without a use case yet are seeded directly, as the owner.
  await withClient(server.database.owner, (c) =>
    c.query(
      `INSERT INTO job_runs (campaign_id, job_id, name, version, status, payload) VALUES ($1, $2, 'test', 1, 'queued', '{}')`,
      [b.campaign.id, randomUUID()],
    ),
  );
  await seedPeopleTables(b.campaign.id);
  await seedDpiaTables();
  await seedGovernanceTables();
  await seedPrivacyNoticeTables();
  await seedAudienceTables();
  await seedConsentSiteTables(server.deps, b.owner.principal, b.campaign.id);
});

let bDpiaId: string;
let bDpiaActionId: string;

/** One row of campaign B in each DPIA table (issue 4), through the use cases. */
async function seedDpiaTables(): Promise<void> {
  const created = await createDpia(server.deps, b.owner.principal, b.campaign.id, {
    title: 'Seed DPIA',
    activityId: randomUUID(),
    screening: { activity: { kind: 'custom_audience' } },
  });
  bDpiaId = created.dpia.id;
  bDpiaActionId = (
    await addDpiaAction(server.deps, b.owner.principal, b.campaign.id, bDpiaId, {
      action: 'Seed action',
      owner: 'Seed owner',
      dueDate: '2030-01-01',
    })
  ).id;
}

let bActivityId: string;
let bProcessorId: string;
let bArrangementId: string;

/** One row of campaign B in each governance table (issue 4), through the use cases. */
async function seedGovernanceTables(): Promise<void> {
  const principal = b.owner.principal;
  const source = await createSource(server.deps, principal, b.campaign.id, { name: 'Seed web form', type: 'web_form' });
  bProcessorId = (await createProcessor(server.deps, principal, b.campaign.id, { name: 'Seed processor' })).id;
  bArrangementId = (
    await createJointControllerArrangement(server.deps, principal, b.campaign.id, {
      platform: 'meta',
      scope: 'custom_audiences',
      fromPreset: true,
    })
  ).id;
  bActivityId = (
    await createProcessingActivity(server.deps, principal, b.campaign.id, {
      name: 'Seed activity',
      sourceIds: [source.id],
      processorIds: [bProcessorId],
      arrangementIds: [bArrangementId],
    })
  ).id;
}

let bNoticePersonId: string;

/** One row of campaign B in each privacy-notice table (issue 4), as the owner. */
async function seedPrivacyNoticeTables(): Promise<void> {
  const c = b.campaign.id;
  const sourceId = randomUUID();
  bNoticePersonId = randomUUID();
  const hash = 'b'.repeat(64);
  await withClient(server.database.owner, async (client) => {
    await client.query(
      `INSERT INTO privacy_notice_settings (campaign_id, objection_url) VALUES ($1, 'https://b.example/object')`,
      [c],
    );
    await client.query(
      `INSERT INTO privacy_notice_translations (campaign_id, language, section_id, heading, body, source_sha256)
       VALUES ($1, 'cy', 'rights', 'Eich hawliau', 'Testun', $2)`,
      [c, hash],
    );
    await client.query(
      `INSERT INTO privacy_notice_versions (campaign_id, version, language, document, text_sha256, published_at)
       VALUES ($1, 1, 'en', '{"format": 1}', $2, now())`,
      [c, hash],
    );
    await client.query(
      `INSERT INTO sources (campaign_id, source_id, name, type) VALUES ($1, $2, 'Notice seed', 'web_form')`,
      [c, sourceId],
    );
    await client.query(
      `INSERT INTO people (campaign_id, person_id, email, first_source_id, created_at, updated_at) VALUES ($1, $2, 'notice@example.org', $3, now(), now())`,
      [c, bNoticePersonId, sourceId],
    );
    await client.query(
      `INSERT INTO privacy_notice_deliveries (campaign_id, delivery_id, person_id, version, language, method, delivered_at, recorded_by)
       VALUES ($1, $2, $3, 1, 'en', 'email', now(), '{}')`,
      [c, randomUUID(), bNoticePersonId],
    );
  });
}

/** One row of campaign B in each audience table (issue 5), as the owner. */
async function seedAudienceTables(): Promise<void> {
  const ids = { segment: randomUUID(), audience: randomUUID(), export: randomUUID() };
  const actor = JSON.stringify({ type: 'user', id: b.owner.principal.userId });
  await withClient(server.database.owner, async (c) => {
    const statements: [string, unknown[]][] = [
      [`INSERT INTO audience_settings (campaign_id, file_expiry_days) VALUES ($1, 7)`, []],
      [
        `INSERT INTO audience_segments (campaign_id, segment_id, name, definition) VALUES ($1, $2, 'Seed', '{}')`,
        [ids.segment],
      ],
      [
        `INSERT INTO audiences (campaign_id, audience_id, name, platform, kind, activity_id, segment_id, consent_purpose, uninformed)
         VALUES ($1, $2, 'Seed', 'meta', 'list', $3, $4, 'updates', 'exclude')`,
        [ids.audience, bActivityId, ids.segment],
      ],
      [
        `INSERT INTO audience_exports (campaign_id, export_id, audience_id, operation, platform, manifest, output_dir, files,
           people_count, rows_written, created_by_actor, created_at, expires_at)
         VALUES ($1, $2, $3, 'add', 'meta', '{}', '/nowhere', '[]', 1, 1, $4, now(), now() + interval '7 days')`,
        [ids.export, ids.audience, actor],
      ],
      [
        `INSERT INTO audience_export_members (campaign_id, export_id, person_id) VALUES ($1, $2, $3)`,
        [ids.export, bNoticePersonId],
      ],
      [
        `INSERT INTO audience_uploads (campaign_id, upload_id, export_id, audience_id, uploaded_at, recorded_by)
         VALUES ($1, $2, $3, $4, now(), $5)`,
        [randomUUID(), ids.export, ids.audience, actor],
      ],
      [
        `INSERT INTO audience_removals (campaign_id, removal_id, audience_id, export_id, person_id, reason, hashed_identifiers,
           normalization_rules_version, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, 'objection', '{}', 'seed', now(), $6)`,
        [randomUUID(), ids.audience, ids.export, bNoticePersonId, actor],
      ],
      [
        `INSERT INTO explicit_consent_wordings (campaign_id, wording_hash, note, recorded_by) VALUES ($1, $2, 'Seed', $3)`,
        ['a'.repeat(64), actor],
      ],
    ];
    for (const [text, params] of statements) await c.query(text, [b.campaign.id, ...params]);
  });
}

/** One row of campaign B in every table of the people database (issue 3). */
async function seedPeopleTables(campaignId: string): Promise<void> {
  const ids = {
    source: randomUUID(),
    import: randomUUID(),
    person: randomUUID(),
    tag: randomUUID(),
    list: randomUUID(),
    record: randomUUID(),
    objection: randomUUID(),
  };
  const hash = 'a'.repeat(64);
  await withClient(server.database.owner, async (c) => {
    const statements: [string, unknown[]][] = [
      [`INSERT INTO campaign_keys (campaign_id, suppression_key) VALUES ($1, decode(repeat('00', 32), 'hex'))`, []],
      [`INSERT INTO sources (campaign_id, source_id, name, type) VALUES ($1, $2, 'Seed', 'web_form')`, [ids.source]],
      [
        `INSERT INTO imports (campaign_id, import_id, source_id, file_name, file_bytes, file_sha256, file_storage, mapping, status)
         VALUES ($1, $2, $3, 'seed.csv', 1, $4, 'upload', '[]', 'completed')`,
        [ids.import, ids.source, hash],
      ],
      [`INSERT INTO import_uploads (campaign_id, import_id, seq, data) VALUES ($1, $2, 0, '\\x00')`, [ids.import]],
      [
        `INSERT INTO import_report_chunks (campaign_id, import_id, seq, first_record, record_count, lines) VALUES ($1, $2, 0, 1, 0, '')`,
        [ids.import],
      ],
      [
        `INSERT INTO provenance (campaign_id, source_id, kind, collected_at, recorded_by) VALUES ($1, $2, 'provided', now(), '{}')`,
        [ids.source],
      ],
      [
        `INSERT INTO attribute_definitions (campaign_id, name, label, kind, defined_by) VALUES ($1, 'ward', 'Ward', 'provided', 'staff')`,
        [],
      ],
      [
        `INSERT INTO people (campaign_id, person_id, email, first_source_id, created_at, updated_at) VALUES ($1, $2, 'b@example.org', $3, now(), now())`,
        [ids.person, ids.source],
      ],
      [
        `INSERT INTO person_identifiers (campaign_id, kind, value, person_id) VALUES ($1, 'email', 'b2@example.org', $2)`,
        [ids.person],
      ],
      [`INSERT INTO person_sources (campaign_id, source_id, person_id) VALUES ($1, $2, $3)`, [ids.source, ids.person]],
      [`INSERT INTO tags (campaign_id, tag_id, name) VALUES ($1, $2, 'seed')`, [ids.tag]],
      [`INSERT INTO person_tags (campaign_id, tag_id, person_id) VALUES ($1, $2, $3)`, [ids.tag, ids.person]],
      [`INSERT INTO lists (campaign_id, list_id, name) VALUES ($1, $2, 'seed')`, [ids.list]],
      [`INSERT INTO list_members (campaign_id, list_id, person_id) VALUES ($1, $2, $3)`, [ids.list, ids.person]],
      [`INSERT INTO consent_wordings (campaign_id, wording_hash, text) VALUES ($1, $2, 'Seed wording')`, [hash]],
      [
        `INSERT INTO consent_records (campaign_id, record_id, person_id, purpose, channel, action, method, wording_hash, occurred_at, recorded_by)
         VALUES ($1, $2, $3, 'updates', 'email', 'granted', 'web_form', $4, now(), '{}')`,
        [ids.record, ids.person, hash],
      ],
      [
        `INSERT INTO objections (campaign_id, objection_id, person_id, received_at, method, recorded_by) VALUES ($1, $2, $3, now(), 'email', '{}')`,
        [ids.objection, ids.person],
      ],
      [
        `INSERT INTO suppressions (campaign_id, kind, key_hash, reason, created_by) VALUES ($1, 'email', $2, 'objection', '{}')`,
        [hash],
      ],
      [
        `INSERT INTO erasures (campaign_id, erasure_id, person_id, erased_at, reason, recorded_by, suppression_entries) VALUES ($1, $2, $3, now(), 'request', '{}', 0)`,
        [randomUUID(), randomUUID()],
      ],
    ];
    for (const [text, params] of statements) await c.query(text, [campaignId, ...params]);
  });
}
afterAll(async () => {
  await server?.close();
});

async function tenantTables(): Promise<
  { table: string; rls: boolean; forced: boolean; policies: number; pkFirst: string | null }[]
> {
  return withClient(server.database.owner, async (c) => {
    const { rows } = await c.query<{
      table: string;
      rls: boolean;
      forced: boolean;
      policies: number;
      pk_first: string | null;
    }>(`
      SELECT cl.relname AS table, cl.relrowsecurity AS rls, cl.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = cl.oid) AS policies,
             (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
               WHERE i.indrelid = cl.oid AND i.indisprimary) AS pk_first
        FROM pg_class cl
        JOIN pg_namespace n ON n.oid = cl.relnamespace
       WHERE n.nspname = 'public' AND cl.relkind IN ('r', 'p')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = cl.oid AND a.attname = 'campaign_id' AND NOT a.attisdropped)
       ORDER BY cl.relname`);
    return rows.map((r) => ({
      table: r.table,
      rls: r.rls,
      forced: r.forced,
      policies: r.policies,
      pkFirst: r.pk_first,
    }));
  });
}

describe('row-level security on every tenant table', () => {
  it('every table with campaign_id has RLS enabled and forced, a policy, and campaign_id leading its key', async () => {
    const tables = await tenantTables();
    expect(tables.length).toBeGreaterThanOrEqual(5);
    for (const t of tables) {
      expect({ table: t.table, rls: t.rls, forced: t.forced, hasPolicy: t.policies > 0, pkFirst: t.pkFirst }).toEqual({
        table: t.table,
        rls: true,
        forced: true,
        hasPolicy: true,
        pkFirst: 'campaign_id',
      });
    }
  });

  it('every unique index of a tenant table leads with campaign_id (Citus distribution)', async () => {
    const offenders = await withClient(server.database.owner, async (c) => {
      const { rows } = await c.query<{ index: string }>(`
        SELECT ic.relname AS index
          FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_class tc ON tc.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = tc.relnamespace
          JOIN pg_attribute first ON first.attrelid = tc.oid AND first.attnum = i.indkey[0]
         WHERE n.nspname = 'public' AND i.indisunique
           AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tc.oid AND a.attname = 'campaign_id')
           AND first.attname <> 'campaign_id'`);
      return rows.map((r) => r.index);
    });
    expect(offenders).toEqual([]);
  });

  it("under campaign A's setting, a raw SELECT on every tenant table returns none of B's rows", async () => {
    const tables = await tenantTables();
    for (const { table } of tables) {
      const seeded = await withClient(server.database.owner, (c) =>
        c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE campaign_id = $1`, [b.campaign.id]),
      );
      expect(seeded.rows[0]!.n, `seed at least one row of campaign B in ${table} in this test`).toBeGreaterThan(0);

      const seen = await withClient(server.database.db, async (c) => {
        await c.query('BEGIN');
        try {
          await c.query('SET LOCAL ROLE canvass_app');
          await c.query(`SELECT set_config('app.campaign_id', $1, true)`, [a.campaign.id]);
          const all = await c.query<{ campaign_id: string }>(`SELECT campaign_id FROM ${table}`);
          const direct = await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${table} WHERE campaign_id = $1`,
            [b.campaign.id],
          );
          return { foreign: all.rows.filter((r) => r.campaign_id !== a.campaign.id).length, direct: direct.rows[0]!.n };
        } finally {
          await c.query('ROLLBACK');
        }
      });
      expect({ table, ...seen }).toEqual({ table, foreign: 0, direct: 0 });
    }
  });

  it('with no campaign set, tenant tables show nothing, and writes into another campaign are refused', async () => {
    const tables = await tenantTables();
    await withClient(server.database.db, async (c) => {
      await c.query('BEGIN');
      try {
        await c.query('SET LOCAL ROLE canvass_app');
        for (const { table } of tables) {
          const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          expect({ table, n: r.rows[0]!.n }).toEqual({ table, n: 0 });
        }
        await c.query(`SELECT set_config('app.campaign_id', $1, true)`, [a.campaign.id]);
        await expect(
          c.query(`INSERT INTO memberships (campaign_id, user_id, role) VALUES ($1, $2, 'owner')`, [
            b.campaign.id,
            a.owner.principal.userId,
          ]),
        ).rejects.toThrow(/row-level security/);
      } finally {
        await c.query('ROLLBACK');
      }
    });
  });

  it('the scopes the application uses apply the same boundary (no WHERE needed)', async () => {
    const seen = await inCampaign(server.deps.db, a.campaign.id, async (tx) => ({
      campaigns: (await tx.selectFrom('campaigns').select('campaign_id').execute()).map((r) => r.campaign_id),
      members: (await tx.selectFrom('memberships').select('campaign_id').execute()).map((r) => r.campaign_id),
      role: (await sql<{ role: string }>`SELECT current_user AS role`.execute(tx)).rows[0]!.role,
    }));
    expect(seen.role).toBe('canvass_app');
    expect(seen.campaigns).toEqual([a.campaign.id]);
    expect(new Set(seen.members)).toEqual(new Set([a.campaign.id]));
    const nothing = await inInstallation(server.deps.db, (tx) =>
      tx.selectFrom('campaigns').select('campaign_id').execute(),
    );
    expect(nothing).toEqual([]);
  });

  it('the application role cannot change or delete audit events', async () => {
    await withClient(server.database.db, async (c) => {
      await c.query('BEGIN');
      try {
        await c.query('SET LOCAL ROLE canvass_app');
        await c.query(`SELECT set_config('app.campaign_id', $1, true)`, [a.campaign.id]);
        await expect(
          c.query(`UPDATE audit_events SET type = 'x' WHERE campaign_id = $1`, [a.campaign.id]),
        ).rejects.toThrow(/permission denied/);
      } finally {
        await c.query('ROLLBACK');
      }
    });
  });
});

describe('API isolation: a member of A gets 404 for every resource of B', () => {
  it('answers 404 for B paths and for B objects under A paths', async () => {
    const api = new ApiSession(server.app);
    await api.signIn(a.owner.email, PASSWORD);
    const B = `/api/campaigns/${b.campaign.id}`;
    const A = `/api/campaigns/${a.campaign.id}`;
    const jobId = randomUUID();
    const requests: [method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown][] = [
      ['GET', B],
      ['PATCH', B, { name: 'Taken over' }],
      ['GET', `${B}/members`],
      ['PATCH', `${B}/members/${bMemberId}`, { role: 'owner' }],
      ['DELETE', `${B}/members/${bMemberId}`],
      ['GET', `${B}/invitations`],
      ['POST', `${B}/invitations`, { email: 'spy@example.org', role: 'owner' }],
      ['DELETE', `${B}/invitations/${bInvitationId}`],
      ['GET', `${B}/audit`],
      ['POST', `${B}/audit/verify`],
      ['GET', `${B}/jobs`],
      ['GET', `${B}/jobs/${jobId}`],
      ['POST', `${B}/jobs/${jobId}/cancel`],
      ['GET', `${B}/dpias`],
      ['GET', `${B}/dpias/${bDpiaId}`],
      ['PATCH', `${B}/dpias/${bDpiaId}`, { needSummary: 'Taken over' }],
      ['POST', `${B}/dpias/${bDpiaId}/submit`, { version: 1 }],
      ['POST', `${B}/dpias/screen`, { activity: { kind: 'custom' } }],
      ['PATCH', `${B}/dpias/${bDpiaId}/actions/${bDpiaActionId}`, { done: true }],
      ['GET', `${B}/processing-activities`],
      ['GET', `${B}/processing-activities/${bActivityId}`],
      ['PATCH', `${B}/processing-activities/${bActivityId}`, { name: 'Taken over' }],
      ['POST', `${B}/processing-activities/${bActivityId}/activate`],
      ['POST', `${B}/processing-activities/${bActivityId}/retire`],
      ['GET', `${B}/record-of-processing`],
      ['GET', `${B}/record-of-processing.csv`],
      ['GET', `${B}/processors`],
      ['GET', `${B}/processors/${bProcessorId}`],
      ['PATCH', `${B}/processors/${bProcessorId}`, { name: 'Taken over' }],
      ['GET', `${B}/joint-controller-arrangements`],
      ['GET', `${B}/joint-controller-arrangements/${bArrangementId}`],
      ['PATCH', `${B}/joint-controller-arrangements/${bArrangementId}`, { essence: 'Taken over' }],
      ['GET', `${B}/privacy-notice`],
      ['POST', `${B}/privacy-notice/publish`, {}],
      ['PATCH', `${B}/privacy-notice/settings`, { objectionUrl: 'https://spy.example/object' }],
      ['GET', `${B}/privacy-notice/versions/1`],
      ['PUT', `${B}/privacy-notice/translations/cy/rights`, { heading: 'x', body: 'y', sourceSha256: 'c'.repeat(64) }],
      ['GET', `${B}/people/${bNoticePersonId}/privacy-notices`],
      [
        'POST',
        `${B}/people/${bNoticePersonId}/privacy-notices`,
        { method: 'email', deliveredAt: '2026-11-01T00:00:00Z' },
      ],
      ['GET', `${A}/people/${bNoticePersonId}/privacy-notices`],
      // B's objects addressed through A's paths
      ['PATCH', `${A}/members/${bMemberId}`, { role: 'volunteer' }],
      ['DELETE', `${A}/members/${bMemberId}`],
      ['DELETE', `${A}/invitations/${bInvitationId}`],
      ['GET', `${A}/processing-activities/${bActivityId}`],
      ['PATCH', `${A}/processing-activities/${bActivityId}`, { name: 'Taken over' }],
      ['POST', `${A}/processing-activities/${bActivityId}/activate`],
      ['POST', `${A}/processing-activities/${bActivityId}/retire`],
      ['GET', `${A}/processors/${bProcessorId}`],
      ['PATCH', `${A}/processors/${bProcessorId}`, { name: 'Taken over' }],
      ['GET', `${A}/joint-controller-arrangements/${bArrangementId}`],
      ['PATCH', `${A}/joint-controller-arrangements/${bArrangementId}`, { essence: 'Taken over' }],
      ['GET', `${A}/dpias/${bDpiaId}`],
      ['PATCH', `${A}/dpias/${bDpiaId}`, { needSummary: 'Taken over' }],
      ['POST', `${A}/dpias/${bDpiaId}/versions`, { version: 1 }],
      ['POST', `${A}/dpias/${bDpiaId}/actions`, { action: 'x', owner: 'y', dueDate: '2030-01-01' }],
      ['PATCH', `${A}/dpias/${bDpiaId}/actions/${bDpiaActionId}`, { done: true }],
    ];
    for (const [method, url, body] of requests) {
      const r = await api.request(method, url, body);
      expect({ method, url, status: r.statusCode, code: r.json().error?.code }).toEqual({
        method,
        url,
        status: 404,
        code: 'not_found',
      });
    }
    // And nothing of B changed.
    const bOwner = new ApiSession(server.app);
    await bOwner.signIn(b.owner.email, PASSWORD);
    const members = (await bOwner.request('GET', `${B}/members`)).json().members;
    expect(members.find((m: { userId: string }) => m.userId === bMemberId)?.role).toBe('organiser');
    expect((await bOwner.request('GET', B)).json().campaign.name).toBe('Campaign B');
  });
});
