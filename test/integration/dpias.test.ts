/**
 * DPIAs through the use cases, on a real database: screening, the seven steps, review and
 * sign-off with DPIA-RESIDUAL-HIGH, immutability of decided versions, versions, the action
 * plan, and the cover of an activity through its whole life (DPIA-HIGH-RISK): unlocked by an
 * approval, locked again by expiry and by a rejection.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppDeps, Principal } from '../../src/app/context.js';
import {
  addDpiaAction,
  approveDpia,
  createDpia,
  dpiaCoverForActivity,
  enforceDpiaForActivity,
  getDpia,
  listDpias,
  rejectDpia,
  returnDpiaToDraft,
  screenDpiaNeed,
  startDpiaVersion,
  submitDpia,
  updateDpia,
  updateDpiaAction,
} from '../../src/app/dpias.js';
import { listAuditEvents } from '../../src/app/audit.js';
import { withClient } from '../../src/db/client.js';
import { inCampaign } from '../../src/db/scope.js';
import { screen } from '../../src/domain/dpia.js';
import { addMember, makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { at, signOff, stepsOneToSix, SUPPORTER_AUDIENCE } from '../helpers/dpia.js';
import { caughtAppError, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();
const TODAY = '2026-12-01';

async function events(tc: TestCampaign, type: string): Promise<Record<string, unknown>[]> {
  const page = await listAuditEvents(ctx.deps, tc.owner.principal, tc.campaign.id, { limit: 200 });
  return page.events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);
}

/** A DPIA with steps 1–6 complete and signed off, in review, for the activity. */
async function inReview(
  deps: AppDeps,
  p: Principal,
  c: string,
  activityId: string | null,
  residual?: { likelihood: string; severity: string },
) {
  const created = await createDpia(deps, p, c, {
    title: 'Meta supporters audience',
    activityId,
    screening: SUPPORTER_AUDIENCE,
  });
  const id = created.dpia.id;
  await updateDpia(deps, p, c, id, { ...stepsOneToSix(residual), ...signOff() });
  const submitted = await submitDpia(deps, p, c, id, { version: 1 });
  return { id, detail: submitted };
}

describe('screening', () => {
  it('done-when: a supporter list matched against a platform’s users needs a DPIA (data matching, invisible processing)', async () => {
    const tc = await makeCampaign(ctx.deps);
    const organiser = await addMember(ctx.deps, tc, 'organiser');
    const s = await screenDpiaNeed(ctx.deps, organiser.principal, tc.campaign.id, SUPPORTER_AUDIENCE);
    expect(s.result.required).toBe(true);
    expect(s.result.reasons.map((r) => r.trigger)).toEqual(
      expect.arrayContaining(['data_matching', 'invisible_processing']),
    );
    const volunteer = await addMember(ctx.deps, tc, 'volunteer');
    expect(
      (await caughtAppError(screenDpiaNeed(ctx.deps, volunteer.principal, tc.campaign.id, SUPPORTER_AUDIENCE))).code,
    ).toBe('forbidden');
    const bad = await caughtAppError(
      screenDpiaNeed(ctx.deps, organiser.principal, tc.campaign.id, { activity: { kind: 'x' } }),
    );
    expect(bad.code).toBe('validation_failed');
    expect(bad.message).toMatch(/activity\.kind/);
  });
});

describe('writing a DPIA', () => {
  it('keeps the screening as step 1, merges the sections sent, validates naming the field, and audits', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const deps = at(ctx.deps, TODAY);
    const created = await createDpia(deps, p, c, { title: 'Supporters on Meta', screening: SUPPORTER_AUDIENCE });
    expect(created.version).toMatchObject({ version: 1, status: 'draft', editable: true });
    expect(created.version.screening.result.required).toBe(true);
    expect(created.dpia).toMatchObject({
      latestVersion: 1,
      latestStatus: 'draft',
      inForce: null,
      screeningRequired: true,
    });
    expect(await events(tc, 'dpia.created')).toEqual([
      expect.objectContaining({
        dpiaId: created.dpia.id,
        screeningRequired: true,
        triggers: expect.arrayContaining(['data_matching']),
      }),
    ]);

    const id = created.dpia.id;
    await updateDpia(deps, p, c, id, { description: { nature: 'Upload', scope: 'One constituency' } });
    const merged = await updateDpia(deps, p, c, id, { description: { purposes: 'Turnout' } });
    expect(merged.version.description).toEqual({
      nature: 'Upload',
      scope: 'One constituency',
      context: '',
      purposes: 'Turnout',
    });
    expect((await events(tc, 'dpia.updated')).map((e) => e.fields)).toEqual([['description'], ['description']]);

    const bad = await caughtAppError(
      updateDpia(deps, p, c, id, { risks: [{ description: 'x', likelihood: 'likely', severity: 'severe' }] }),
    );
    expect(bad.code).toBe('validation_failed');
    expect(bad.details?.issues).toEqual([expect.objectContaining({ field: 'risks.0.likelihood' })]);

    // Risks get ids; scores give levels and a place on the risk map.
    const scored = await updateDpia(deps, p, c, id, {
      risks: [{ description: 'Supporters exposed', likelihood: 'probable', severity: 'severe' }],
    });
    const risk = scored.version.risks[0]!;
    expect(risk).toMatchObject({ label: 'R1', level: 'high', residualLevel: null });
    expect(risk.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(scored.version.riskMap.find((cell) => cell.before.includes('R1'))).toMatchObject({
      likelihood: 'probable',
      severity: 'severe',
    });
    expect(scored.dpia.highestResidualLevel).toBe('high');

    // Re-screening with explicit facts replaces the result.
    const rescreened = await updateDpia(deps, p, c, id, {
      screening: { facts: { largeScale: true, profiling: true } },
    });
    expect(rescreened.version.screening.result.reasons.map((r) => r.trigger)).toEqual(['large_scale_profiling']);
  });

  it('lets the owner and the DPO write, others only read', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const dpo = await addMember(ctx.deps, tc, 'dpo');
    const manager = await addMember(ctx.deps, tc, 'data_manager');
    const created = await createDpia(ctx.deps, dpo.principal, c, {
      title: 'By the DPO',
      screening: SUPPORTER_AUDIENCE,
    });
    expect((await getDpia(ctx.deps, manager.principal, c, created.dpia.id)).dpia.title).toBe('By the DPO');
    expect(
      (await caughtAppError(createDpia(ctx.deps, manager.principal, c, { title: 'x', screening: SUPPORTER_AUDIENCE })))
        .code,
    ).toBe('forbidden');
    expect(
      (await caughtAppError(updateDpia(ctx.deps, manager.principal, c, created.dpia.id, { needSummary: 'x' }))).code,
    ).toBe('forbidden');
    // Another campaign's DPIA does not exist for this one.
    const other = await makeCampaign(ctx.deps);
    expect(
      (await caughtAppError(getDpia(ctx.deps, other.owner.principal, other.campaign.id, created.dpia.id))).code,
    ).toBe('not_found');
  });
});

describe('review and sign-off', () => {
  it('submitting needs steps 1–6; approving needs step 7 too', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const deps = at(ctx.deps, TODAY);
    const { dpia } = await createDpia(deps, p, c, { title: 'Incomplete', screening: SUPPORTER_AUDIENCE });
    const early = await caughtAppError(submitDpia(deps, p, c, dpia.id, { version: 1 }));
    expect(early.code).toBe('invalid_state');
    const fields = (early.details?.issues as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['needSummary', 'description.nature', 'necessity.lawfulBasis', 'risks']),
    );
    expect(fields).not.toContain('signOff.dpoAdvice');

    await updateDpia(deps, p, c, dpia.id, stepsOneToSix({ likelihood: 'possible', severity: 'significant' }));
    const inReview = await submitDpia(deps, p, c, dpia.id, { version: 1 });
    expect(inReview.version.status).toBe('in_review');
    const unsigned = await caughtAppError(approveDpia(deps, p, c, dpia.id, { version: 1 }));
    expect(unsigned.code).toBe('invalid_state');
    expect((unsigned.details?.issues as { field: string }[]).map((i) => i.field)).toEqual(
      expect.arrayContaining(['signOff.dpoAdvice', 'signOff.acceptedBy', 'signOff.reviewDate']),
    );
    // Back to draft and forward again.
    expect((await returnDpiaToDraft(deps, p, c, dpia.id, { version: 1 })).version.status).toBe('draft');
    await submitDpia(deps, p, c, dpia.id, { version: 1 });
    await updateDpia(deps, p, c, dpia.id, {
      ...signOff(),
      signOff: { ...signOff().signOff, dpoAdviceAccepted: false },
    });
    const overruled = await caughtAppError(approveDpia(deps, p, c, dpia.id, { version: 1 }));
    expect((overruled.details?.issues as { field: string }[]).map((i) => i.field)).toEqual([
      'signOff.dpoOverruledReasons',
    ]);
    await updateDpia(deps, p, c, dpia.id, {
      signOff: { dpoOverruledReasons: 'Polling day is close; the measures suffice' },
    });
    const approved = await approveDpia(deps, p, c, dpia.id, { version: 1 });
    expect(approved.version).toMatchObject({ status: 'approved', editable: false, expired: false });
    expect(approved.dpia.inForce).toMatchObject({ version: 1, reviewDate: '2027-06-01', reviewState: 'current' });
    expect(approved.version.signOff).toMatchObject({ dpoAdviceAccepted: false, reviewDate: '2027-06-01' });
  });

  it('DPIA-RESIDUAL-HIGH: a residual high risk blocks approval until the ICO consultation is recorded; the refusal is audited', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const deps = at(ctx.deps, TODAY);
    const { id } = await inReview(deps, p, c, null, { likelihood: 'probable', severity: 'severe' });
    const refused = await caughtAppError(approveDpia(deps, p, c, id, { version: 1 }));
    expect(refused.code).toBe('rule_refused');
    expect(refused.message).toMatch(/DPIA-RESIDUAL-HIGH/);
    expect(refused.details?.findings).toEqual([
      expect.objectContaining({ ruleId: 'DPIA-RESIDUAL-HIGH', outcome: 'require' }),
    ]);
    // The refusal was committed to the audit trail, and nothing else changed.
    expect(await events(tc, 'dpia.approval_refused')).toEqual([
      expect.objectContaining({
        dpiaId: id,
        version: 1,
        findings: [expect.objectContaining({ ruleId: 'DPIA-RESIDUAL-HIGH' })],
      }),
    ]);
    const still = await getDpia(deps, p, c, id);
    expect(still.version.status).toBe('in_review');
    expect(still.version.approvalFindings.map((f) => f.ruleId)).toEqual(['DPIA-RESIDUAL-HIGH']);

    await updateDpia(deps, p, c, id, {
      icoConsultation: { submittedOn: '2026-11-20', reference: 'IC-0001', summary: 'The DPIA and our measures' },
    });
    const approved = await approveDpia(deps, p, c, id, { version: 1 });
    expect(approved.version.status).toBe('approved');
    expect(approved.version.approvalWarnings).toEqual([
      expect.objectContaining({ ruleId: 'DPIA-RESIDUAL-HIGH', outcome: 'warn' }),
    ]);
    expect(await events(tc, 'dpia.approved')).toEqual([
      expect.objectContaining({
        dpiaId: id,
        residualHighRisks: 1,
        warnings: [expect.objectContaining({ ruleId: 'DPIA-RESIDUAL-HIGH', outcome: 'warn' })],
      }),
    ]);
  });

  it('rejects with a reason; decided versions are immutable, in the application and in the database', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const deps = at(ctx.deps, TODAY);
    const organiser = await addMember(ctx.deps, tc, 'organiser');
    const { id } = await inReview(deps, p, c, null);
    expect((await caughtAppError(approveDpia(deps, organiser.principal, c, id, { version: 1 }))).code).toBe(
      'forbidden',
    );
    expect((await caughtAppError(rejectDpia(deps, p, c, id, { version: 1, reason: '' }))).code).toBe(
      'validation_failed',
    );
    const rejected = await rejectDpia(deps, p, c, id, { version: 1, reason: 'The list includes people under 18' });
    expect(rejected.version).toMatchObject({ status: 'rejected', decisionNote: 'The list includes people under 18' });
    expect(await events(tc, 'dpia.rejected')).toEqual([
      expect.objectContaining({ dpiaId: id, reason: 'The list includes people under 18' }),
    ]);

    const edit = await caughtAppError(updateDpia(deps, p, c, id, { needSummary: 'rewritten' }));
    expect(edit.code).toBe('invalid_state');
    expect((await caughtAppError(approveDpia(deps, p, c, id, { version: 1 }))).code).toBe('invalid_state');
    // The title is the DPIA's, not the version's: it may still change.
    expect((await updateDpia(deps, p, c, id, { title: 'Renamed' })).dpia.title).toBe('Renamed');

    // Even a raw statement by the application role cannot touch the decided version.
    await expect(
      withClient(ctx.t.db, async (client) => {
        await client.query('BEGIN');
        try {
          await client.query('SET LOCAL ROLE canvass_app');
          await client.query(`SELECT set_config('app.campaign_id', $1, true)`, [c]);
          await client.query(`UPDATE dpia_versions SET need_summary = 'x' WHERE campaign_id = $1 AND dpia_id = $2`, [
            c,
            id,
          ]);
        } finally {
          await client.query('ROLLBACK');
        }
      }),
    ).rejects.toThrow(/decided version cannot change/);
    await expect(
      withClient(ctx.t.db, async (client) => {
        await client.query('BEGIN');
        try {
          await client.query('SET LOCAL ROLE canvass_app');
          await client.query(`SELECT set_config('app.campaign_id', $1, true)`, [c]);
          await client.query(`DELETE FROM dpia_versions WHERE campaign_id = $1 AND dpia_id = $2`, [c, id]);
        } finally {
          await client.query('ROLLBACK');
        }
      }),
    ).rejects.toThrow(/permission denied|never deleted/);
  });

  it('a new version copies the previous one without its sign-off; only one version is open at a time', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const deps = at(ctx.deps, TODAY);
    const { id } = await inReview(deps, p, c, null);
    expect((await caughtAppError(startDpiaVersion(deps, p, c, id, { version: 1 }))).code).toBe('invalid_state');
    await approveDpia(deps, p, c, id, { version: 1 });
    expect((await caughtAppError(startDpiaVersion(deps, p, c, id, { version: 2 }))).code).toBe('conflict');
    const v2 = await startDpiaVersion(deps, p, c, id, { version: 1 });
    expect(v2.version).toMatchObject({ version: 2, status: 'draft' });
    const v1 = await getDpia(deps, p, c, id, 1);
    expect(v2.version.risks).toEqual(v1.version.risks);
    expect(v2.version.description).toEqual(v1.version.description);
    expect(v2.version.signOff).toMatchObject({ dpoAdvice: null, acceptedBy: null, reviewDate: null, reviewer: 'DPO' });
    expect(v2.versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'draft'],
      [1, 'approved'],
    ]);
    // The approval of version 1 stays in force while version 2 is written.
    expect(v2.dpia.inForce).toMatchObject({ version: 1 });
    expect((await caughtAppError(submitDpia(deps, p, c, id, { version: 1 }))).code).toBe('conflict');
    expect(await events(tc, 'dpia.version_created')).toEqual([{ dpiaId: id, version: 2, fromVersion: 1 }]);
  });
});

describe('action plan', () => {
  it('tracks actions with owners and due dates, flags the overdue ones, and audits changes', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const deps = at(ctx.deps, TODAY);
    const { id } = await inReview(deps, p, c, null);
    const action = await addDpiaAction(deps, p, c, id, {
      riskId: 'exposure',
      action: 'Rewrite the privacy notice section on list matching',
      owner: 'Comms lead',
      dueDate: '2026-12-10',
    });
    expect(action).toMatchObject({ riskId: 'exposure', done: false, overdue: false });
    const unknown = await caughtAppError(
      addDpiaAction(deps, p, c, id, { riskId: 'no-such-risk', action: 'x', owner: 'y', dueDate: '2026-12-10' }),
    );
    expect(unknown.details?.issues).toEqual([expect.objectContaining({ field: 'riskId' })]);
    expect(
      (await caughtAppError(addDpiaAction(deps, p, c, id, { action: 'x', owner: 'y', dueDate: 'soon' }))).code,
    ).toBe('validation_failed');

    const later = at(ctx.deps, '2026-12-11');
    expect((await getDpia(later, p, c, id)).actions).toEqual([
      expect.objectContaining({ id: action.id, overdue: true }),
    ]);
    expect((await listDpias(later, p, c))[0]).toMatchObject({ openActions: 1, overdueActions: 1 });
    const done = await updateDpiaAction(later, p, c, id, action.id, { done: true });
    expect(done).toMatchObject({ done: true, overdue: false });
    expect((await listDpias(later, p, c))[0]).toMatchObject({ openActions: 0, overdueActions: 0 });
    expect(await events(tc, 'dpia.action_updated')).toEqual([{ dpiaId: id, actionId: action.id, fields: ['done'] }]);
    expect((await caughtAppError(updateDpiaAction(later, p, c, id, randomUUID(), { done: true }))).code).toBe(
      'not_found',
    );
  });
});

describe('DPIA-HIGH-RISK: an approved DPIA linked to an activity unlocks it; expiry and rejection lock it again', () => {
  it('follows the whole life of the cover', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const activityId = randomUUID();
    const screening = screen(SUPPORTER_AUDIENCE).result;
    const deps = at(ctx.deps, TODAY);

    /** What a feature does before processing: decide in its own transaction (auditing a requirement). */
    const enforce = (d: AppDeps) =>
      inCampaign(d.db, c, (tx) =>
        enforceDpiaForActivity(tx, c, { type: 'user', id: p.userId }, { activityId, screening }, d.now!()),
      );
    const refusals = async () => (await events(tc, 'dpia.processing_refused')).length;

    expect(await dpiaCoverForActivity(deps, p, c, activityId)).toMatchObject({ covered: false, state: 'none' });
    const none = await enforce(deps);
    expect(none.decision.outcome).toBe('require');
    expect(none.decision.findings[0]?.explanation).toMatch(/there is no DPIA/);
    expect(await refusals()).toBe(1);

    const { id } = await inReview(deps, p, c, activityId);
    expect(await dpiaCoverForActivity(deps, p, c, activityId)).toMatchObject({
      covered: false,
      state: 'in_progress',
      version: 1,
    });
    expect((await enforce(deps)).decision.outcome).toBe('require');
    expect(await refusals()).toBe(2);

    await approveDpia(deps, p, c, id, { version: 1 });
    expect(await dpiaCoverForActivity(deps, p, c, activityId)).toMatchObject({
      covered: true,
      state: 'approved',
      dpiaId: id,
    });
    const allowed = await enforce(deps);
    expect(allowed.decision).toEqual({ outcome: 'allow', findings: [] });
    expect(await refusals()).toBe(2); // allowed processing writes no refusal

    // The review date passes: locked again.
    const afterReview = at(ctx.deps, '2027-06-02');
    expect(await dpiaCoverForActivity(afterReview, p, c, activityId)).toMatchObject({
      covered: false,
      state: 'expired',
    });
    const expired = await enforce(afterReview);
    expect(expired.decision.outcome).toBe('require');
    expect(expired.decision.findings[0]?.explanation).toMatch(/passed its review date \(2027-06-01\)/);
    expect(await refusals()).toBe(3);
    expect((await listDpias(afterReview, p, c))[0]?.inForce).toMatchObject({ reviewState: 'expired' });
    // The expired version still reads as it was approved: complete, and marked expired.
    const expiredView = await getDpia(afterReview, p, c, id, 1);
    expect(expiredView.version).toMatchObject({ status: 'approved', expired: true });
    expect(expiredView.version.completeness.every((step) => step.complete)).toBe(true);

    // Reviewed: version 2 approved with a new review date unlocks it.
    await startDpiaVersion(afterReview, p, c, id, { version: 1 });
    await updateDpia(afterReview, p, c, id, signOff('2027-12-01'));
    await submitDpia(afterReview, p, c, id, { version: 2 });
    await approveDpia(afterReview, p, c, id, { version: 2 });
    expect(await dpiaCoverForActivity(afterReview, p, c, activityId)).toMatchObject({ covered: true, version: 2 });

    // Version 3 is rejected: the newest decision is a rejection, so it is locked.
    await startDpiaVersion(afterReview, p, c, id, { version: 2 });
    await updateDpia(afterReview, p, c, id, signOff('2027-12-01'));
    await submitDpia(afterReview, p, c, id, { version: 3 });
    // While version 3 is in review, version 2 still covers the activity.
    expect(await dpiaCoverForActivity(afterReview, p, c, activityId)).toMatchObject({ covered: true, version: 2 });
    await rejectDpia(afterReview, p, c, id, { version: 3, reason: 'The platform changed its matching terms' });
    expect(await dpiaCoverForActivity(afterReview, p, c, activityId)).toMatchObject({
      covered: false,
      state: 'rejected',
      version: 3,
    });
    const rejected = await enforce(afterReview);
    expect(rejected.decision.findings[0]?.explanation).toMatch(/was rejected/);
    expect(await refusals()).toBe(4);

    // Processing that screening does not flag is never blocked by this rule.
    const plain = screen({ activity: { kind: 'email_marketing' } }).result;
    const notNeeded = await inCampaign(ctx.deps.db, c, (tx) =>
      enforceDpiaForActivity(
        tx,
        c,
        { type: 'user', id: p.userId },
        { activityId: randomUUID(), screening: plain },
        new Date(),
      ),
    );
    expect(notNeeded.decision.outcome).toBe('allow');
    expect(await refusals()).toBe(4);
  });

  it('relinking a draft to another activity moves nothing until it is approved', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const p = tc.owner.principal;
    const deps = at(ctx.deps, TODAY);
    const [a, b] = [randomUUID(), randomUUID()];
    const { id } = await inReview(deps, p, c, a);
    await approveDpia(deps, p, c, id, { version: 1 });
    expect((await caughtAppError(updateDpia(deps, p, c, id, { activityId: b }))).code).toBe('invalid_state');
    await startDpiaVersion(deps, p, c, id, { version: 1 });
    const relinked = await updateDpia(deps, p, c, id, { activityId: b });
    expect(relinked.dpia.activityId).toBe(b);
    expect((await listDpias(deps, p, c, { activityId: b })).map((d) => d.id)).toEqual([id]);
    expect(await dpiaCoverForActivity(deps, p, c, a)).toMatchObject({ covered: true, version: 1 });
    expect(await dpiaCoverForActivity(deps, p, c, b)).toMatchObject({ covered: false, state: 'in_progress' });
    await updateDpia(deps, p, c, id, signOff());
    await submitDpia(deps, p, c, id, { version: 2 });
    await approveDpia(deps, p, c, id, { version: 2 });
    expect(await dpiaCoverForActivity(deps, p, c, a)).toMatchObject({ covered: false, state: 'none' });
    expect(await dpiaCoverForActivity(deps, p, c, b)).toMatchObject({ covered: true, version: 2 });
  });
});
