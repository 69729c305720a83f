/**
 * Governance records (issue 4) through the use cases, on PGlite and PostgreSQL: the record of
 * processing activities (ROPA-COMPLETE), processors (CTRL-ART28-CONTRACT, CTRL-SEGREGATION,
 * XFER-MECHANISM) and joint-controller arrangements (ONL-ARRANGEMENT-GAPS, presets). Every
 * refusal is audited; an active activity stays within the rules.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/app/audit.js';
import type { AppDeps } from '../../src/app/context.js';
import {
  createJointControllerArrangement,
  listJointControllerArrangements,
  updateJointControllerArrangement,
} from '../../src/app/joint-controllers.js';
import {
  activateProcessingActivity,
  createProcessingActivity,
  getProcessingActivity,
  listProcessingActivities,
  retireProcessingActivity,
  updateProcessingActivity,
} from '../../src/app/processing-activities.js';
import { governanceOutstanding } from '../../src/app/governance-outstanding.js';
import { createProcessor, getProcessor, updateProcessor } from '../../src/app/processors.js';
import { exportRecordOfProcessing, recordOfProcessingCsv } from '../../src/app/record-of-processing.js';
import { inCampaign } from '../../src/db/scope.js';
import { ART28_TERMS, RESPONSIBILITIES } from '../../src/domain/governance.js';
import { PLATFORM_PRESETS_VERSION } from '../../src/domain/platforms.js';
import { addMember, makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { caughtAppError, insertSource, useTestDatabase } from '../helpers/people.js';

const ctx = useTestDatabase();

const ALL_TERMS = Object.fromEntries(ART28_TERMS.map((t) => [t, { present: true, clause: `DPA ${t}` }]));

/** Every responsibility assigned, except those named. */
const matrix = (...unassigned: string[]) =>
  Object.fromEntries(
    RESPONSIBILITIES.filter((r) => !unassigned.includes(r)).map((r) => [
      r,
      { party: r === 'rights_requests' ? 'both' : 'campaign', note: 'Campaign DPO handles it; Meta forwards requests' },
    ]),
  );

/** A record complete in every Art 30(1) field. */
const completeActivity = (
  name: string,
  links: { sourceIds?: string[]; processorIds?: string[]; arrangementIds?: string[] },
) => ({
  name,
  purposes: ['Show campaign adverts to supporters on Facebook and Instagram'],
  lawfulBasis: 'consent',
  lawfulBasisNote: 'Supporters tick a box to be matched on social media.',
  dataSubjects: ['Supporters who signed up on our website'],
  dataCategories: ['Email address', 'Mobile number'],
  recipients: ['Meta (joint controller)', 'Mailer Ltd (processor)'],
  transfers: [],
  retention: 'Custom audience deleted 30 days after polling day.',
  securityMeasures: 'Hashed upload over TLS by two named staff; access logged.',
  capabilities: ['custom_audiences', 'email'],
  ...links,
});

interface World {
  tc: TestCampaign;
  deps: AppDeps;
  sourceId: string;
  processorId: string;
  arrangementId: string;
}

/** A campaign with a source, a complete processor and a Meta custom-audience arrangement from its preset. */
async function world(assign = matrix()): Promise<World> {
  const deps = ctx.deps;
  const tc = await makeCampaign(deps);
  const sourceId = await insertSource(deps, tc.campaign.id, { name: 'Website sign-ups', type: 'web_form' });
  const processor = await createProcessor(deps, tc.owner.principal, tc.campaign.id, {
    name: 'Mailer Ltd',
    service: 'Email sending',
    art28Terms: ALL_TERMS,
    hosting: [{ country: 'GB' }, { country: 'IE', mechanism: 'uk_adequacy' }],
    segregation: 'A separate database per campaign, encrypted with its own key.',
    serviceImprovement: 'none',
  });
  const arrangement = await createJointControllerArrangement(deps, tc.owner.principal, tc.campaign.id, {
    platform: 'meta',
    scope: 'custom_audiences',
    fromPreset: true,
    responsibilities: assign,
    essence: 'We and Meta together decide how your details are matched to Facebook accounts. Ask us first.',
    eligibilityConfirmation: 'Authorised for ads about social issues, elections or politics on 2026-10-01',
    reviewDueOn: '2027-06-01',
  });
  return { tc, deps, sourceId, processorId: processor.id, arrangementId: arrangement.id };
}

const linksOf = (w: World) => ({
  sourceIds: [w.sourceId],
  processorIds: [w.processorId],
  arrangementIds: [w.arrangementId],
});

async function auditTypes(w: World): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { events } = await listAuditEvents(w.deps, w.tc.owner.principal, w.tc.campaign.id, { limit: 100 });
  return events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> }));
}

describe('done when: a custom-audience activity with a Meta arrangement that leaves rights requests unassigned', () => {
  it('is refused on creation as active with ONL-ARRANGEMENT-GAPS, naming the responsibility, and audited', async () => {
    const w = await world(matrix('rights_requests'));
    const error = await caughtAppError(
      createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
        ...completeActivity('Supporter matching on Meta', linksOf(w)),
        status: 'active',
      }),
    );
    expect(error.code).toBe('rule_refused');
    expect(error.message).toContain('ONL-ARRANGEMENT-GAPS');
    expect(error.message).toContain('rights requests (unassigned)');
    expect(error.details).toMatchObject({
      findings: [{ ruleId: 'ONL-ARRANGEMENT-GAPS', outcome: 'refuse', citation: 'UK GDPR Art 26(1)–(2)' }],
      arrangementGaps: [{ arrangementId: w.arrangementId, gaps: [{ item: 'rights_requests', problem: 'unassigned' }] }],
    });
    // Nothing was recorded but the refusal.
    expect(await listProcessingActivities(w.deps, w.tc.owner.principal, w.tc.campaign.id)).toEqual([]);
    const refused = (await auditTypes(w)).find((e) => e.type === 'processing_activity.refused');
    expect(refused?.data).toMatchObject({
      activityId: null,
      name: 'Supporter matching on Meta',
      action: 'create',
      findings: [{ ruleId: 'ONL-ARRANGEMENT-GAPS', outcome: 'refuse' }],
    });
    expect(JSON.stringify(refused?.data)).toContain('rights requests');
  });

  it('is refused on activation of the draft; assigning rights requests lets it activate', async () => {
    const w = await world(matrix('rights_requests'));
    const draft = await createProcessingActivity(
      w.deps,
      w.tc.owner.principal,
      w.tc.campaign.id,
      completeActivity('Supporter matching on Meta', linksOf(w)),
    );
    expect(draft.status).toBe('draft');
    expect(draft.missing).toEqual([]);
    expect(draft.decision.outcome).toBe('refuse');
    expect(draft.arrangements).toEqual([
      { id: w.arrangementId, name: 'Meta — custom audiences', platform: 'meta', scope: 'custom_audiences' },
    ]);

    const error = await caughtAppError(
      activateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, draft.id),
    );
    expect(error.code).toBe('rule_refused');
    expect(error.message).toMatch(/ONL-ARRANGEMENT-GAPS.*Meta — custom audiences: rights requests \(unassigned\)/);
    expect((await getProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, draft.id)).status).toBe(
      'draft',
    );
    expect((await auditTypes(w)).find((e) => e.type === 'processing_activity.refused')?.data).toMatchObject({
      activityId: draft.id,
      action: 'activate',
    });

    await updateJointControllerArrangement(w.deps, w.tc.owner.principal, w.tc.campaign.id, w.arrangementId, {
      responsibilities: {
        rights_requests: { party: 'campaign', note: 'Our DPO answers; Meta forwards what it receives' },
      },
    });
    const active = await activateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, draft.id);
    expect(active).toMatchObject({ status: 'active', decision: { outcome: 'allow', findings: [] } });
    expect(active.activatedAt).not.toBeNull();
    expect((await auditTypes(w)).find((e) => e.type === 'processing_activity.status_changed')?.data).toEqual({
      activityId: draft.id,
      from: 'draft',
      to: 'active',
      warnings: [],
    });
  });
});

describe('ROPA-COMPLETE', () => {
  it('refuses to activate an incomplete record, naming each missing field', async () => {
    const w = await world();
    const draft = await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      name: 'Doorstep canvassing',
      capabilities: ['canvassing'],
      lawfulBasis: 'public_task',
    });
    expect(draft.missing.map((m) => m.field)).toEqual([
      'purposes',
      'lawfulBasisNote',
      'dataSubjects',
      'dataCategories',
      'recipients',
      'transfers',
      'retention',
      'securityMeasures',
    ]);
    const error = await caughtAppError(
      activateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, draft.id),
    );
    expect(error.code).toBe('rule_refused');
    expect(error.message).toContain('ROPA-COMPLETE');
    for (const label of [
      'the purposes',
      'the necessity note for public task',
      'the retention period',
      'the security measures',
    ]) {
      expect(error.message).toContain(label);
    }
    expect((error.details as { missing: unknown[] }).missing).toHaveLength(8);
  });

  it('keeps an active activity complete: a change that breaks a rule is refused and audited', async () => {
    const w = await world();
    const active = await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      ...completeActivity('Email newsletter', { processorIds: [w.processorId] }),
      capabilities: ['email'],
      status: 'active',
    });
    expect(active.status).toBe('active');
    const error = await caughtAppError(
      updateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, active.id, { retention: '' }),
    );
    expect(error.code).toBe('rule_refused');
    expect(error.message).toContain('the retention period');
    const kept = await getProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, active.id);
    expect(kept.retention).toBe('Custom audience deleted 30 days after polling day.');
    expect((await auditTypes(w)).find((e) => e.type === 'processing_activity.refused')?.data).toMatchObject({
      activityId: active.id,
      action: 'update',
      findings: [{ ruleId: 'ROPA-COMPLETE' }],
    });
    // Adding a custom-audience capability without an arrangement: ONL-JOINT-CONTROLLER.
    const jc = await caughtAppError(
      updateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, active.id, {
        capabilities: ['email', 'lookalikes'],
      }),
    );
    expect(jc.message).toContain('ONL-JOINT-CONTROLLER');
    // A change that passes is recorded with the fields named.
    const changed = await updateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, active.id, {
      retention: 'Two years after the election',
      sourceIds: [w.sourceId],
    });
    expect(changed.sources).toEqual([{ id: w.sourceId, name: 'Website sign-ups' }]);
    expect((await auditTypes(w)).find((e) => e.type === 'processing_activity.updated')?.data).toEqual({
      activityId: active.id,
      fields: ['sourceIds', 'retention'],
      warnings: [],
    });
  });

  it('retires an activity, after which it is closed to changes', async () => {
    const w = await world();
    const draft = await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      name: 'Old survey',
    });
    const retired = await retireProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, draft.id);
    expect(retired).toMatchObject({ status: 'retired', activatedAt: null });
    expect(retired.retiredAt).not.toBeNull();
    expect(
      (
        await caughtAppError(
          updateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, draft.id, { name: 'x' }),
        )
      ).code,
    ).toBe('invalid_state');
    expect(
      (await caughtAppError(activateProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, draft.id))).code,
    ).toBe('invalid_state');
  });

  it('validates input, naming the field, and refuses links to records that are not the campaign’s', async () => {
    const w = await world();
    const other = await world();
    const bad = await caughtAppError(
      createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
        name: 'X',
        transfers: [{ country: 'UK' }],
        capabilities: ['carrier_pigeon'],
      }),
    );
    expect(bad.code).toBe('validation_failed');
    expect(bad.message).toContain('transfers.0.country: the ISO code of the United Kingdom is GB, not UK');
    expect(bad.message).toContain('capabilities.0');
    const foreign = await caughtAppError(
      createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
        name: 'Y',
        processorIds: [other.processorId],
      }),
    );
    expect(foreign.code).toBe('validation_failed');
    expect(foreign.message).toContain('processorIds.0: no processor of this campaign has this id');
    await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, { name: 'Same' });
    expect(
      (await caughtAppError(createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, { name: 'same' })))
        .code,
    ).toBe('conflict');
  });
});

describe('processors', () => {
  it('CTRL-ART28-CONTRACT refuses an activity sharing with a processor lacking a term; terms update one at a time', async () => {
    const w = await world();
    const lacking = await createProcessor(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      name: 'Texts R Us',
      art28Terms: { ...ALL_TERMS, audits_information: { present: false, clause: '' } },
      hosting: [{ country: 'GB' }],
      segregation: 'Separate tenant per customer',
      serviceImprovement: 'none',
    });
    expect(lacking.missingTerms).toEqual(['audits_information']);
    expect(lacking.decision.findings.map((f) => f.ruleId)).toEqual(['CTRL-ART28-CONTRACT']);
    const error = await caughtAppError(
      createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
        ...completeActivity('SMS reminders', { processorIds: [lacking.id] }),
        capabilities: ['sms'],
        status: 'active',
      }),
    );
    expect(error.message).toContain('CTRL-ART28-CONTRACT');
    expect(error.message).toContain("Texts R Us's contract lacks Art 28(3)(h)");

    const fixed = await updateProcessor(w.deps, w.tc.owner.principal, w.tc.campaign.id, lacking.id, {
      art28Terms: { audits_information: { present: true, clause: 'Schedule 2' } },
    });
    expect(fixed.missingTerms).toEqual([]);
    expect(fixed.art28Terms.documented_instructions).toEqual({ present: true, clause: 'DPA documented_instructions' });
    const events = await auditTypes(w);
    expect(events.find((e) => e.type === 'processor.updated')?.data).toMatchObject({
      processorId: lacking.id,
      fields: ['art28Terms.audits_information'],
      findings: [],
    });
    expect(events.find((e) => e.type === 'processor.created' && e.data.processorId === lacking.id)?.data).toMatchObject(
      {
        findings: [{ ruleId: 'CTRL-ART28-CONTRACT', outcome: 'refuse' }],
      },
    );
  });

  it('XFER-MECHANISM and CTRL-SEGREGATION: a US host without DPF certification refuses; unknown segregation warns', async () => {
    const w = await world();
    const us = await createProcessor(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      name: 'CloudCRM Inc',
      art28Terms: ALL_TERMS,
      hosting: [{ country: 'US', mechanism: 'us_dpf_uk_extension' }],
      subProcessors: [{ name: 'SMS Gateway', hosting: [{ country: 'IN', mechanism: 'idta' }] }],
    });
    expect(us.decision.outcome).toBe('refuse');
    const xfer = us.decision.findings.find((f) => f.ruleId === 'XFER-MECHANISM');
    expect(xfer?.explanation).toContain(
      'certification under the UK Extension to the Data Privacy Framework was checked',
    );
    expect(xfer?.explanation).toContain("CloudCRM Inc's sub-processor SMS Gateway hosts in IN: the IDTA");
    expect(us.decision.findings.find((f) => f.ruleId === 'CTRL-SEGREGATION')).toMatchObject({ outcome: 'warn' });

    const fixed = await updateProcessor(w.deps, w.tc.owner.principal, w.tc.campaign.id, us.id, {
      hosting: [{ country: 'US', mechanism: 'us_dpf_uk_extension', dpfCertificationCheckedOn: '2026-11-20' }],
      subProcessors: [
        {
          name: 'SMS Gateway',
          hosting: [{ country: 'IN', mechanism: 'idta', transferRiskAssessment: 'TRA v2, 2026-11' }],
        },
      ],
    });
    expect(fixed.decision.outcome).toBe('warn');
    // A warning lets the activity go ahead, and is kept with the activation.
    const activity = await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      ...completeActivity('CRM', { processorIds: [us.id] }),
      capabilities: ['email'],
      status: 'active',
    });
    expect(activity.decision.outcome).toBe('warn');
    const created = (await auditTypes(w)).find((e) => e.type === 'processing_activity.created');
    expect(created?.data).toMatchObject({
      status: 'active',
      warnings: [{ ruleId: 'CTRL-SEGREGATION', outcome: 'warn' }],
    });
    // Archiving a processor an activity relies on is refused.
    const archive = await caughtAppError(
      updateProcessor(w.deps, w.tc.owner.principal, w.tc.campaign.id, us.id, { archived: true }),
    );
    expect(archive.code).toBe('invalid_state');
    expect(archive.message).toContain('"CRM" (active)');
    expect((await getProcessor(w.deps, w.tc.owner.principal, w.tc.campaign.id, us.id)).activities).toEqual([
      { id: activity.id, name: 'CRM', status: 'active' },
    ]);
  });
});

describe('joint-controller arrangements', () => {
  it('a Meta preset fills in what the terms cover and leaves every party to the DPO', async () => {
    const tc = await makeCampaign(ctx.deps);
    const ca = await createJointControllerArrangement(ctx.deps, tc.owner.principal, tc.campaign.id, {
      platform: 'meta',
      scope: 'custom_audiences',
      fromPreset: true,
    });
    expect(ca).toMatchObject({
      platformName: 'Meta',
      presetVersion: PLATFORM_PRESETS_VERSION,
      presetOutdated: false,
      review: 'not_scheduled',
      eligibility: { status: 'conditional' },
    });
    expect(ca.termsReference).toContain('Custom Audience terms');
    expect(Object.values(ca.responsibilities).map((a) => a.party)).toEqual(RESPONSIBILITIES.map(() => null));
    expect(ca.responsibilities.rights_requests.note).toContain('DELETE /{audience}/users');
    expect(ca.gaps.map((g) => g.item)).toEqual([...RESPONSIBILITIES, 'essence']);
    const pixel = await createJointControllerArrangement(ctx.deps, tc.owner.principal, tc.campaign.id, {
      platform: 'meta',
      scope: 'pixels_plugins',
      fromPreset: true,
    });
    expect(pixel.termsReference).toContain('controller addendum');
    expect(pixel.responsibilities.security.note).toContain("Covered by Meta's controller addendum");
    // One live arrangement per platform and scope.
    const dup = await caughtAppError(
      createJointControllerArrangement(ctx.deps, tc.owner.principal, tc.campaign.id, {
        platform: 'meta',
        scope: 'pixels_plugins',
      }),
    );
    expect(dup.code).toBe('conflict');
    // Another platform needs a name; only preset platforms have presets.
    const unnamed = await caughtAppError(
      createJointControllerArrangement(ctx.deps, tc.owner.principal, tc.campaign.id, {
        platform: 'other',
        scope: 'page_insights',
      }),
    );
    expect(unnamed.message).toContain('platformName');
    const noPreset = await caughtAppError(
      createJointControllerArrangement(ctx.deps, tc.owner.principal, tc.campaign.id, {
        platform: 'other',
        platformName: 'Nextdoor',
        scope: 'page_insights',
        fromPreset: true,
      }),
    );
    expect(noPreset.message).toContain('fromPreset');
  });

  it('keeps one live arrangement per platform and scope through archive, restore and rename', async () => {
    const tc = await makeCampaign(ctx.deps);
    const { deps, principal } = { deps: ctx.deps, principal: tc.owner.principal };
    const create = (input: Record<string, unknown>) =>
      createJointControllerArrangement(deps, principal, tc.campaign.id, input);
    const update = (id: string, input: Record<string, unknown>) =>
      updateJointControllerArrangement(deps, principal, tc.campaign.id, id, input);
    const first = await create({ platform: 'x', scope: 'page_insights' });
    await update(first.id, { archived: true });
    // Archived, the scope is free again.
    const second = await create({ platform: 'x', scope: 'page_insights' });
    // Restoring the first would make two live arrangements for X page insights.
    const restore = await caughtAppError(update(first.id, { archived: false }));
    expect(restore.code).toBe('conflict');
    expect(restore.details).toMatchObject({ field: 'scope', arrangementId: second.id });
    // Other platforms are told apart by name: renaming one onto another's name clashes too.
    const nextdoor = await create({ platform: 'other', platformName: 'Nextdoor', scope: 'page_insights' });
    const mastodon = await create({ platform: 'other', platformName: 'Mastodon', scope: 'page_insights' });
    const rename = await caughtAppError(update(mastodon.id, { platformName: 'nextdoor' }));
    expect(rename.code).toBe('conflict');
    expect(rename.details).toMatchObject({ arrangementId: nextdoor.id });
    // Once the clash is gone (the second archived), the first can be restored.
    await update(second.id, { archived: true });
    expect((await update(first.id, { archived: false })).archivedAt).toBeNull();
  });

  it('ONL-PLATFORM-ELIGIBILITY refuses a LinkedIn custom-audience activity; the review date is flagged when overdue', async () => {
    const w = await world();
    const linkedin = await createJointControllerArrangement(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      platform: 'linkedin',
      scope: 'custom_audiences',
      fromPreset: true,
      responsibilities: matrix(),
      essence: 'Essence',
      reviewDueOn: '2020-01-01',
    });
    expect(linkedin.eligibility.status).toBe('forbidden');
    expect(linkedin.review).toBe('overdue');
    expect(linkedin.decision.findings.map((f) => [f.ruleId, f.outcome])).toEqual([
      ['ONL-ARRANGEMENT-GAPS', 'warn'],
      ['ONL-PLATFORM-ELIGIBILITY', 'refuse'],
    ]);
    const error = await caughtAppError(
      createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
        ...completeActivity('LinkedIn matching', { arrangementIds: [linkedin.id] }),
        status: 'active',
      }),
    );
    expect(error.message).toContain('ONL-PLATFORM-ELIGIBILITY');
    expect(error.message).toMatch(/LinkedIn — custom audiences — LinkedIn does not allow political adverts/);

    const later: AppDeps = { ...w.deps, now: () => new Date('2027-07-01T12:00:00Z') };
    const [meta] = (await listJointControllerArrangements(later, w.tc.owner.principal, w.tc.campaign.id)).filter(
      (a) => a.id === w.arrangementId,
    );
    expect(meta?.review).toBe('overdue');
  });

  it('refuses to archive an arrangement an activity relies on, and audits changes with the active activities they reach', async () => {
    const w = await world();
    const active = await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      ...completeActivity('Matching', linksOf(w)),
      status: 'active',
    });
    const archive = await caughtAppError(
      updateJointControllerArrangement(w.deps, w.tc.owner.principal, w.tc.campaign.id, w.arrangementId, {
        archived: true,
      }),
    );
    expect(archive.code).toBe('invalid_state');
    // Recording that a responsibility is in fact unassigned is allowed (the record follows the facts) …
    const opened = await updateJointControllerArrangement(
      w.deps,
      w.tc.owner.principal,
      w.tc.campaign.id,
      w.arrangementId,
      {
        responsibilities: { dpia: { party: null, note: 'Meta declined' } },
      },
    );
    expect(opened.gaps).toEqual([{ item: 'dpia', problem: 'unassigned', label: 'DPIA (unassigned)' }]);
    // … and is on the record with the active activity it now fails, which shows the refusal.
    expect((await auditTypes(w)).find((e) => e.type === 'joint_arrangement.updated')?.data).toMatchObject({
      fields: ['responsibilities.dpia'],
      findings: [{ ruleId: 'ONL-ARRANGEMENT-GAPS', outcome: 'refuse' }],
      activeActivityIds: [active.id],
    });
    const now = await getProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, active.id);
    expect(now.decision).toMatchObject({ outcome: 'refuse', findings: [{ ruleId: 'ONL-ARRANGEMENT-GAPS' }] });
  });
});

describe('the record of processing export', () => {
  it('exports active activities as formula-neutralised CSV and audits the export', async () => {
    const w = await world();
    await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      ...completeActivity('=HYPERLINK("http://evil.example","click")', linksOf(w)),
      purposes: ['+44 calls', '@mention'],
      status: 'active',
    });
    await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, { name: 'Unfinished draft' });
    const record = await exportRecordOfProcessing(w.deps, w.tc.owner.principal, w.tc.campaign.id, { format: 'csv' });
    expect(record.activities.map((a) => a.name)).toEqual(['=HYPERLINK("http://evil.example","click")']);
    expect(record.processors.map((p) => p.name)).toEqual(['Mailer Ltd']);
    expect(record.controller).toMatchObject({ postalAddress: '1 High Street, Exampletown, EX1 1AA' });
    const csv = recordOfProcessingCsv(record);
    expect(csv.startsWith('\uFEFFActivity,Status,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows: string[][] = parse(csv.slice(1));
    expect(rows).toHaveLength(2);
    const [header, row] = [rows[0]!, rows[1]!];
    const cell = (name: string): string => row[header.indexOf(name)]!;
    expect(cell('Activity')).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(cell('Purposes')).toBe(`'+44 calls; @mention`);
    expect(cell('Lawful basis')).toBe('Consent — Art 6(1)(a)');
    expect(cell('Sources')).toBe('Website sign-ups');
    expect(cell('Joint controllers')).toContain('Meta (custom audiences) — transparency information: The campaign');
    expect(cell('Transfers outside the UK and safeguards')).toContain(
      'Mailer Ltd → Ireland (IE): Approved country (UK adequacy regulations)',
    );
    const all = await exportRecordOfProcessing(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      format: 'print',
      include: 'all',
    });
    expect(all.activities.map((a) => a.status)).toEqual(['active', 'draft']);
    const exports = (await auditTypes(w)).filter((e) => e.type === 'ropa.exported').map((e) => e.data);
    expect(exports).toEqual([
      { format: 'print', activities: 2 },
      { format: 'csv', activities: 1 },
    ]);
  });
});

describe('permissions', () => {
  it('lets organisers read but only the DPO and the owner keep the records; volunteers see none', async () => {
    const w = await world();
    const organiser = await addMember(w.deps, w.tc, 'organiser');
    const dpo = await addMember(w.deps, w.tc, 'dpo');
    const volunteer = await addMember(w.deps, w.tc, 'volunteer');
    const dataManager = await addMember(w.deps, w.tc, 'data_manager');
    const created = await createProcessingActivity(w.deps, dpo.principal, w.tc.campaign.id, { name: 'By the DPO' });
    expect((await listProcessingActivities(w.deps, organiser.principal, w.tc.campaign.id)).map((a) => a.id)).toEqual([
      created.id,
    ]);
    for (const member of [organiser, dataManager]) {
      expect(
        (await caughtAppError(createProcessingActivity(w.deps, member.principal, w.tc.campaign.id, { name: 'Nope' })))
          .code,
      ).toBe('forbidden');
      expect(
        (
          await caughtAppError(
            updateProcessor(w.deps, member.principal, w.tc.campaign.id, w.processorId, { notes: 'x' }),
          )
        ).code,
      ).toBe('forbidden');
    }
    expect((await caughtAppError(listProcessingActivities(w.deps, volunteer.principal, w.tc.campaign.id))).code).toBe(
      'forbidden',
    );
    expect(
      (await caughtAppError(exportRecordOfProcessing(w.deps, volunteer.principal, w.tc.campaign.id, { format: 'csv' })))
        .code,
    ).toBe('forbidden');
  });
});

describe("the DPO's outstanding items", () => {
  it('lists blocked activities, arrangement gaps, missing Art 28 terms and transfers, each with its rule and link', async () => {
    const w = await world(matrix('rights_requests'));
    const lacking = await createProcessor(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      name: 'Texts R Us',
      art28Terms: { ...ALL_TERMS, security: { present: false, clause: '' } },
      hosting: [{ country: 'US' }],
      segregation: 'Separate tenants',
      serviceImprovement: 'none',
    });
    const draft = await createProcessingActivity(w.deps, w.tc.owner.principal, w.tc.campaign.id, {
      name: 'SMS',
      processorIds: [lacking.id],
      arrangementIds: [w.arrangementId],
    });
    const items = await inCampaign(w.deps.db, w.tc.campaign.id, (tx) =>
      governanceOutstanding(tx, w.tc.campaign.id, new Date('2026-11-29T12:00:00Z')),
    );
    const base = `/c/${w.tc.campaign.id}`;
    expect(items.map((i) => [i.area, i.severity, i.ruleId, i.link])).toEqual([
      ['activities', 'blocked', 'ROPA-COMPLETE', `${base}/record-of-processing/${draft.id}`],
      ['joint_controllers', 'blocked', 'ONL-ARRANGEMENT-GAPS', `${base}/joint-controllers/${w.arrangementId}`],
      ['processors', 'blocked', 'CTRL-ART28-CONTRACT', `${base}/processors/${lacking.id}`],
      ['transfers', 'blocked', 'XFER-MECHANISM', `${base}/processors/${lacking.id}`],
    ]);
    expect(items[1]?.title).toBe('Meta — custom audiences: rights requests (unassigned)');
    expect(items[2]?.title).toBe('Texts R Us: 1 Art 28(3) term missing');
  });
});
