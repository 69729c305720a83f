/**
 * Recording the rules engine's decisions (src/app/decisions.ts): a refusal and a warning land
 * in the audit trail, in the caller's transaction; a plain allow does not; an allowance with
 * reasoning (ONL-CONTEXTUAL-EXEMPT) does. Runs on PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { listAuditEvents, verifyAuditTrail } from '../../src/app/audit.js';
import { recordDecision, refusalError } from '../../src/app/decisions.js';
import { inCampaign } from '../../src/db/scope.js';
import { decideAction } from '../../src/domain/rules/engine.js';
import type { Decision } from '../../src/domain/rules/rule.js';
import { makeCampaign, type TestCampaign } from '../helpers/factories.js';
import { useTestDatabase } from '../helpers/people.js';
import { batch, consent, CONTROLLER, NOW, notice, person } from '../helpers/rule-facts.js';

const ctx = useTestDatabase();

const MESSAGE = {
  softOptInClaimed: false,
  sender: { shownAs: CONTROLLER.name, concealed: false },
  optOut: { method: 'link' as const, target: 'https://example.org/unsubscribe', testedAt: NOW },
};

/** An SMS batch that reaches an objector: refused (DM-OBJECTION-ABSOLUTE). */
const refused = (): Decision =>
  decideAction({
    capability: 'message.sms',
    facts: {
      ...batch({ channel: 'sms' }),
      people: [person({ personId: 'person-objector', objected: true, consents: [consent({ channel: 'sms' })] })],
      message: MESSAGE,
    },
  });

/** A subject access request on day 21: warned (DSAR-CLOCK). */
const warned = (): Decision =>
  decideAction({
    capability: 'dsar.check',
    facts: {
      request: {
        receivedAt: '2026-11-08T09:00:00Z',
        complex: false,
        extensionNotifiedAt: null,
        idRequestedAt: null,
        idReceivedAt: null,
        respondedAt: null,
      },
      now: NOW,
    },
  });

/** A door-knocking task: allowed, nothing to say. */
const allowed = (): Decision =>
  decideAction({ capability: 'canvass.task', facts: { task: { title: 'Saturday', activities: ['door_knocking'] } } });

/** A contextual advert: allowed, with ONL-CONTEXTUAL-EXEMPT's reasoning. */
const contextual = (): Decision =>
  decideAction({
    capability: 'ad.launch',
    facts: {
      controller: CONTROLLER,
      purpose: batch().purpose,
      jointProcessing: [],
      arrangements: [],
      notice: notice(),
      ad: {
        platform: 'x',
        targeting: ['contextual'],
        criteria: [],
        accessesDevices: false,
        deviceConsent: false,
        explicitConsent: false,
        dpiaApproved: false,
        processorsContracted: true,
      },
      platformUse: { platform: 'x', authorised: true, customerList: false, electionAd: true, ad: { paidForBy: null } },
      publication: {
        medium: 'paid_ad',
        paid: true,
        politicalMaterial: true,
        electionMaterial: true,
        toMembersOnly: false,
        registeredWithElectoralCommission: false,
        imprintFitsInMaterial: true,
        imprint: {
          promoter: { name: 'A. Agent', address: '1 High Street, Exampletown, EX1 1AA' },
          onBehalfOf: [],
          placement: 'in_material',
        },
      },
    },
  });

async function decisionEvents(tc: TestCampaign) {
  const { events } = await listAuditEvents(ctx.deps, tc.owner.principal, tc.campaign.id, { limit: 200 });
  return events.filter((e) => e.type === 'rules.decided').reverse();
}

describe('recordDecision', () => {
  it('writes a refused and a warned decision to the audit trail, and not an allowed one', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const at = new Date('2026-11-29T12:00:00Z');
    const seqs = await inCampaign(ctx.deps.db, c, async (tx) => [
      await recordDecision(
        tx,
        tc.owner.principal,
        c,
        { capability: 'message.sms', ref: { sendId: 'send-1' } },
        refused(),
        at,
      ),
      await recordDecision(tx, { type: 'system', id: 'dsar-reminders' }, c, { capability: 'dsar.check' }, warned(), at),
      await recordDecision(tx, tc.owner.principal, c, { capability: 'canvass.task' }, allowed(), at),
    ]);
    expect(seqs[0]).toEqual(expect.any(Number));
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(seqs[2]).toBeNull();

    const events = await decisionEvents(tc);
    expect(events).toHaveLength(2);
    const [refusal, warning] = events;
    expect(refusal).toMatchObject({
      seq: seqs[0],
      actor: { type: 'user', id: tc.owner.principal.userId },
      data: {
        capability: 'message.sms',
        outcome: 'refuse',
        ref: { sendId: 'send-1' },
        findings: [
          {
            ruleId: 'DM-OBJECTION-ABSOLUTE',
            citation: 'UK GDPR Art 21(2)–(3)',
            outcome: 'refuse',
            explanation: expect.stringMatching(/objected to direct marketing/),
            remedy: expect.stringMatching(/nothing can override/),
          },
        ],
        reasoning: [],
      },
    });
    expect(warning).toMatchObject({
      actor: { type: 'system', id: 'dsar-reminders' },
      data: {
        capability: 'dsar.check',
        outcome: 'warn',
        ref: null,
        findings: [{ ruleId: 'DSAR-CLOCK', outcome: 'warn' }],
      },
    });
    // The facts are not recorded: no personal data in the trail.
    expect(JSON.stringify(events)).not.toMatch(/person-objector/);
    expect((await verifyAuditTrail(ctx.deps.db, c)).ok).toBe(true);
  });

  it('records the reasoning of an allowance (ONL-CONTEXTUAL-EXEMPT)', async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    const decision = contextual();
    expect(decision.outcome).toBe('allow');
    await inCampaign(ctx.deps.db, c, (tx) =>
      recordDecision(tx, tc.owner.principal, c, { capability: 'ad.launch', ref: { adId: 'ad-1' } }, decision),
    );
    const [event] = await decisionEvents(tc);
    expect(event?.data).toMatchObject({
      capability: 'ad.launch',
      outcome: 'allow',
      findings: [],
      reasoning: [
        { ruleId: 'ONL-CONTEXTUAL-EXEMPT', outcome: 'allow', explanation: expect.stringMatching(/Contextual/) },
      ],
    });
  });

  it("is part of the caller's transaction: a rollback takes the record with it", async () => {
    const tc = await makeCampaign(ctx.deps);
    const c = tc.campaign.id;
    await expect(
      inCampaign(ctx.deps.db, c, async (tx) => {
        await recordDecision(tx, tc.owner.principal, c, { capability: 'message.sms' }, refused());
        throw new Error('the send failed');
      }),
    ).rejects.toThrow('the send failed');
    expect(await decisionEvents(tc)).toEqual([]);
    expect((await verifyAuditTrail(ctx.deps.db, c)).ok).toBe(true);
  });

  it('refusalError names each blocking rule', () => {
    const error = refusalError('message.sms', refused());
    expect(error.code).toBe('rule_refused');
    expect(error.message).toMatch(
      /^Send marketing text messages: refused by DM-OBJECTION-ABSOLUTE \(UK GDPR Art 21\(2\)–\(3\)\)/,
    );
    expect(error.details?.findings).toEqual(refused().findings);
  });
});
