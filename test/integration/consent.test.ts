/**
 * The consent ledger: append-only (the application role may not UPDATE or DELETE a record),
 * wording stored once by hash, the current state derived from the ledger by occurred_at
 * (late-arriving older records do not override newer ones), and no re-opt-in of an objector
 * (DM-OBJECTION-ABSOLUTE). Runs on PGlite and PostgreSQL.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import { recordConsent } from '../../src/app/consent.js';
import { recordObjection } from '../../src/app/objections.js';
import { getPerson } from '../../src/app/people.js';
import { inCampaign } from '../../src/db/scope.js';
import type { AppError } from '../../src/domain/errors.js';
import { makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { insertSource, makePerson, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();

async function caught(p: Promise<unknown>): Promise<AppError | Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

async function personIn(): Promise<{ tc: TestCampaign; personId: string }> {
  const tc = await makeCampaign(ctx.deps);
  const sourceId = await insertSource(ctx.deps, tc.campaign.id);
  const p = await makePerson(ctx.deps, tc.owner.principal, tc.campaign.id, sourceId, { email: 'c@example.org' });
  return { tc, personId: p.id };
}

const WORDING = 'Yes: send me campaign news by email.  (Unsubscribe at any time.)';
const grant = (occurredAt: string, channels = ['email']) => ({
  action: 'granted',
  purpose: 'campaign_news',
  channels,
  method: 'web form',
  wording: WORDING,
  wordingVersion: '2026-11',
  occurredAt,
});
const withdraw = (occurredAt: string, channels = ['email']) => ({
  action: 'withdrawn',
  purpose: 'campaign_news',
  channels,
  method: 'unsubscribe link',
  occurredAt,
});

describe('consent ledger', () => {
  it('derives the current state from the latest occurredAt, whatever the order records arrive in', async () => {
    const { tc, personId } = await personIn();
    const c = tc.campaign.id;
    const o = tc.owner.principal;
    const r1 = await recordConsent(ctx.deps, o, c, personId, grant('2026-11-10T00:00:00Z', ['email', 'sms']));
    expect(r1.records.map((r) => r.channel)).toEqual(['email', 'sms']);
    // A withdrawal from earlier, entered late: history grows, state stays granted.
    await recordConsent(ctx.deps, o, c, personId, withdraw('2026-11-05T00:00:00Z'));
    let detail = await getPerson(ctx.deps, o, c, personId);
    expect(detail.consent.current.find((s) => s.channel === 'email')).toMatchObject({
      granted: true,
      recordId: r1.records[0]!.recordId,
    });
    expect(detail.consent.history.map((h) => h.action)).toEqual(['withdrawn', 'granted', 'granted']);
    // A later withdrawal wins.
    const w = await recordConsent(ctx.deps, o, c, personId, withdraw('2026-11-20T00:00:00Z'));
    detail = await getPerson(ctx.deps, o, c, personId);
    expect(detail.consent.current.map((s) => [s.channel, s.granted])).toEqual([
      ['email', false],
      ['sms', true],
    ]);
    expect(detail.consent.current[0]!.recordId).toBe(w.records[0]!.recordId);
    expect(detail.consent.history).toHaveLength(4);
    const audit = await listAuditEvents(ctx.deps, o, c, {});
    expect(audit.events.filter((e) => e.type === 'person.consent_recorded')).toHaveLength(3);
  });

  it('stores the exact wording once, keyed by its SHA-256', async () => {
    const { tc, personId } = await personIn();
    await recordConsent(ctx.deps, tc.owner.principal, tc.campaign.id, personId, grant('2026-11-01T00:00:00Z'));
    await recordConsent(
      ctx.deps,
      tc.owner.principal,
      tc.campaign.id,
      personId,
      grant('2026-11-02T00:00:00Z', ['post']),
    );
    const wordings = await inCampaign(ctx.deps.db, tc.campaign.id, (tx) =>
      tx.selectFrom('consent_wordings').select(['wording_hash', 'text']).execute(),
    );
    expect(wordings).toEqual([{ wording_hash: createHash('sha256').update(WORDING).digest('hex'), text: WORDING }]);
  });

  it('is append-only: the application role cannot UPDATE or DELETE a consent record', async () => {
    const { tc, personId } = await personIn();
    await recordConsent(ctx.deps, tc.owner.principal, tc.campaign.id, personId, grant('2026-11-01T00:00:00Z'));
    for (const statement of [
      sql`UPDATE consent_records SET action = 'withdrawn'`,
      sql`DELETE FROM consent_records`,
      sql`UPDATE consent_wordings SET text = 'something else'`,
    ]) {
      const err = await caught(inCampaign(ctx.deps.db, tc.campaign.id, (tx) => statement.execute(tx)));
      expect(err.message).toMatch(/permission denied/);
    }
    const detail = await getPerson(ctx.deps, tc.owner.principal, tc.campaign.id, personId);
    expect(detail.consent.history).toHaveLength(1);
  });

  it('requires the evidence of a grant (LB-CONSENT-EVIDENCE): wording, version, method, time', async () => {
    const { tc, personId } = await personIn();
    const { wording: _w, wordingVersion: _v, ...bare } = grant('2026-11-01T00:00:00Z');
    const err = await caught(recordConsent(ctx.deps, tc.owner.principal, tc.campaign.id, personId, bare));
    expect((err as AppError).code).toBe('validation_failed');
    const fields = ((err as AppError).details?.['issues'] as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['wording', 'wordingVersion']));
    const badChannel = await caught(
      recordConsent(ctx.deps, tc.owner.principal, tc.campaign.id, personId, grant('2026-11-01T00:00:00Z', ['pigeon'])),
    );
    expect((badChannel as AppError).code).toBe('validation_failed');
    const missing = await caught(
      recordConsent(
        ctx.deps,
        tc.owner.principal,
        tc.campaign.id,
        '00000000-0000-4000-8000-000000000000',
        grant('2026-11-01T00:00:00Z'),
      ),
    );
    expect((missing as AppError).code).toBe('not_found');
  });
});

describe('DM-OBJECTION-ABSOLUTE and consent', () => {
  const table: { name: string; action: 'granted' | 'withdrawn'; refused: boolean }[] = [
    { name: 'granting consent to an objector is refused', action: 'granted', refused: true },
    { name: 'recording a withdrawal from an objector is allowed', action: 'withdrawn', refused: false },
  ];
  for (const row of table) {
    it(`DM-OBJECTION-ABSOLUTE: ${row.name}`, async () => {
      const { tc, personId } = await personIn();
      await recordObjection(ctx.deps, tc.owner.principal, tc.campaign.id, personId, {
        method: 'phone',
        receivedAt: '2026-11-15T09:00:00Z',
      });
      const input = row.action === 'granted' ? grant('2026-11-20T00:00:00Z') : withdraw('2026-11-20T00:00:00Z');
      const attempt = recordConsent(ctx.deps, tc.owner.principal, tc.campaign.id, personId, input);
      if (!row.refused) {
        await expect(attempt).resolves.toMatchObject({ records: [{ channel: 'email' }] });
        return;
      }
      const err = (await caught(attempt)) as AppError;
      expect(err.code).toBe('rule_refused');
      expect(err.details?.['findings']).toEqual([
        expect.objectContaining({ ruleId: 'DM-OBJECTION-ABSOLUTE', outcome: 'refuse', remedy: null }),
      ]);
      expect(err.message).toMatch(/does not support withdrawing an objection/);
      const detail = await getPerson(ctx.deps, tc.owner.principal, tc.campaign.id, personId);
      expect(detail.consent.history).toHaveLength(0);
    });
  }
});
