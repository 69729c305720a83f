import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCampaign } from '../../src/app/campaigns.js';
import { openDatabase, withClient } from '../../src/db/client.js';
import { migrate, MigrationChecksumError, readMigrations } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../helpers/db.js';
import { makeCampaign, testDeps } from '../helpers/factories.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('migrations', () => {
  it('are applied once; a second run applies nothing', async () => {
    const again = await migrate(t.owner);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(readMigrations().length);
  });

  it('refuse to run when a landed migration was edited', async () => {
    const files = readMigrations();
    const edited = files.map((f, i) => (i === 0 ? { ...f, checksum: 'edited' } : f));
    await expect(migrate(t.owner, edited)).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it('roll back a failing migration entirely', async () => {
    {
      const broken = {
        version: '29991231000000',
        name: 'broken',
        sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();',
        checksum: 'x',
      };
      await expect(migrate(t.owner, [...readMigrations(), broken])).rejects.toThrow(/no_such_function/);
      const exists = await withClient(t.owner, (c) =>
        c.query<{ r: string | null }>("SELECT to_regclass('half_done')::text AS r"),
      );
      expect(exists.rows[0]!.r).toBeNull();
    }
  });
});

describe('durability', () => {
  it.skipIf(usingPostgres)('PGlite data in a data directory survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canvass-data-'));
    try {
      const first = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
      await migrate(first);
      const tc = await makeCampaign(testDeps(first), 'Durable campaign');
      await first.close();

      const second = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
      try {
        expect((await migrate(second)).applied).toEqual([]);
        const seen = await getCampaign(testDeps(second), tc.owner.principal, tc.campaign.id);
        expect(seen.campaign.name).toBe('Durable campaign');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(usingPostgres)('PostgreSQL data survives reconnecting with a new pool', async () => {
    const tc = await makeCampaign(testDeps(t.db), 'Durable campaign');
    const url = t.appUrl!;
    const fresh = await openDatabase({ kind: 'postgres', url });
    try {
      expect((await getCampaign(testDeps(fresh), tc.owner.principal, tc.campaign.id)).campaign.name).toBe(
        'Durable campaign',
      );
    } finally {
      await fresh.close();
    }
  });
});
