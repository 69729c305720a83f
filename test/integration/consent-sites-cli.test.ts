/**
 * `canvass site list|show|receipts export`, run in-process through main() against this file's
 * own database: the listing, one website, and the audited export (CSV to a file, JSON).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { inCampaign } from '../../src/db/scope.js';
import { runCli, jsonOutput } from '../helpers/cli.js';
import { seedConsentSiteTables } from '../helpers/consent-sites.js';
import { makeCampaign } from '../helpers/factories.js';
import { useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'canvass-site-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('lists, shows and exports a website’s receipts (audited)', async () => {
  const tc = await makeCampaign(ctx.deps);
  const { siteId, receiptId } = await seedConsentSiteTables(ctx.deps, tc.owner.principal, tc.campaign.id);
  const by = ['--by', tc.owner.email];

  const list = await runCli(ctx.t.db, ['site', 'list', ...by]);
  expect(list.code).toBe(0);
  expect(list.stdout).toContain(`${siteId}  Seed website  revision 1  version 1`);

  const show = await runCli(ctx.t.db, ['site', 'show', siteId, ...by, '--json']);
  expect(show.code).toBe(0);
  expect((jsonOutput(show.stdout).site as { install: { snippet: string } }).install.snippet).toContain(siteId);

  const file = join(dir, 'receipts.csv');
  const exported = await runCli(ctx.t.db, ['site', 'receipts', 'export', siteId, ...by, '--out', file]);
  expect(exported.code).toBe(0);
  const csv = readFileSync(file, 'utf8').split('\r\n');
  expect(csv[0]).toMatch(/^stored_at,receipt_id,consent_id,action,/);
  expect(csv[1]).toContain(`,${receiptId},`);

  const json = await runCli(ctx.t.db, ['site', 'receipts', 'export', siteId, ...by, '--json']);
  expect((jsonOutput(json.stdout).export as { receipts: unknown[] }).receipts).toHaveLength(1);

  const bad = await runCli(ctx.t.db, ['site', 'show', 'nope', ...by]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('site');

  const audited = await inCampaign(ctx.t.db, tc.campaign.id, (tx) =>
    tx.selectFrom('audit_events').select('type').where('type', '=', 'consent_receipts.exported').execute(),
  );
  expect(audited).toHaveLength(2);
});
