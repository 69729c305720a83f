/**
 * Sources are archived, never deleted (migration 20261129000110): the application role has no
 * DELETE on sources, and even the owner cannot delete a source that people, provenance or an
 * import refer to. This replaced a row-by-row foreign key from people to sources, to speed up
 * bulk imports. Runs on PGlite and PostgreSQL.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { inCampaign } from '../../src/db/scope.js';
import { makeCampaign } from '../helpers/factories.js';
import { insertSource, makePerson, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();

async function deleteAsOwner(campaignId: string, sourceId: string): Promise<string | null> {
  try {
    await sql`DELETE FROM sources WHERE campaign_id = ${campaignId} AND source_id = ${sourceId}`.execute(
      ctx.t.owner.kysely,
    );
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
}

describe('source deletion guard', () => {
  it('refuses to delete a source a person came from, with a foreign-key violation', async () => {
    const tc = await makeCampaign(ctx.deps);
    const sourceId = await insertSource(ctx.deps, tc.campaign.id, { name: 'Street stall', type: 'canvass' });
    await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'ann@example.org' });
    expect(await deleteAsOwner(tc.campaign.id, sourceId)).toBe('23503');
  });

  it('lets the owner delete a source nothing refers to', async () => {
    const tc = await makeCampaign(ctx.deps);
    const sourceId = await insertSource(ctx.deps, tc.campaign.id, { name: 'Unused', type: 'canvass' });
    expect(await deleteAsOwner(tc.campaign.id, sourceId)).toBeNull();
  });

  it('gives the application role no DELETE on sources', async () => {
    const tc = await makeCampaign(ctx.deps);
    const sourceId = await insertSource(ctx.deps, tc.campaign.id, { name: 'Unused', type: 'canvass' });
    if (ctx.t.kind !== 'postgres') {
      // PGlite has one role; the grant is checked on PostgreSQL.
      const grants = await sql<{ ok: boolean }>`
        SELECT has_table_privilege('canvass_app', 'sources', 'DELETE') AS ok`.execute(ctx.t.owner.kysely);
      expect(grants.rows[0]?.ok).toBe(false);
      return;
    }
    const code = await inCampaign(ctx.deps.db, tc.campaign.id, async (tx) => {
      try {
        await sql`DELETE FROM sources WHERE campaign_id = ${tc.campaign.id} AND source_id = ${sourceId}`.execute(tx);
        return null;
      } catch (error) {
        return (error as { code?: string }).code ?? 'no code';
      }
    });
    expect(code).toBe('42501');
  });
});
