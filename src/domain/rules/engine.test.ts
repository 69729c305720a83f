/**
 * The rules engine: every capability has rules, a compliant action is allowed, and each
 * capability checks the rules the catalogue's "When" column gives it (table-driven, naming
 * the rule ids).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVITY, ARRANGEMENT, PROCESSOR } from '../../../test/helpers/governance-facts.js';
import { activity as noticeActivity, input as noticeInput } from '../../../test/helpers/notice-input.js';
import { batch, consent, CONTROLLER, NOW, notice, notices, person, PURPOSE } from '../../../test/helpers/rule-facts.js';
import type { ActivityFields } from '../governance.js';
import { screen } from '../dpia.js';
import { activityActivateFacts } from './governance-rules.js';
import type { CapabilityFacts } from './capabilities.js';
import { RULE_CATALOGUE, type RuleId } from './catalogue.js';
import {
  ALL_RULES,
  CAPABILITIES,
  CAPABILITY_DESCRIPTIONS,
  capabilitiesOf,
  decideAction,
  rulesFor,
  type Action,
  type Capability,
} from './engine.js';
import { decideImport, type ImportFacts } from './import-rules.js';
import { objectionAbsolute } from './marketing-rules.js';
import { proceeds } from './rule.js';

const MESSAGE = {
  softOptInClaimed: false,
  sender: { shownAs: CONTROLLER.name, concealed: false },
  optOut: { method: 'link' as const, target: 'https://example.org/unsubscribe', testedAt: NOW },
};

const PUBLICATION = {
  medium: 'email' as const,
  paid: false,
  politicalMaterial: true,
  electionMaterial: true,
  toMembersOnly: false,
  registeredWithElectoralCommission: false,
  imprintFitsInMaterial: true,
  imprint: {
    promoter: { name: 'A. Agent', address: '1 High Street, Exampletown, EX1 1AA' },
    onBehalfOf: [],
    placement: 'in_material' as const,
  },
};

const IMPORT: ImportFacts = {
  controllerType: 'candidate',
  source: {
    type: 'web_form',
    lawfulBasis: 'consent',
    lawfulBasisNote: null,
    art9Condition: null,
    dueDiligence: null,
    art14Plan: null,
    compatibilityAssessment: null,
    archivedAt: null,
  },
  specialCategoryAttributes: [],
};

/** Screening of matching a list with a platform (a DPIA is required), and an approved DPIA in force. */
const DPIA_COVERED = {
  screening: screen({ activity: { kind: 'custom_audience', platform: 'Meta' } }).result,
  cover: { covered: true, state: 'approved' as const, version: 2, reviewDate: '2027-06-01' },
};

const activation = (activity: Partial<ActivityFields> = {}): CapabilityFacts['activity.activate'] =>
  activityActivateFacts({
    campaignId: CONTROLLER.id,
    controllerRecord: { name: CONTROLLER.name, postalAddress: '1 High Street', controllerType: 'candidate', dpo: null },
    activity: { ...ACTIVITY, ...activity },
    linkedArrangements: [ARRANGEMENT],
    processors: [PROCESSOR],
    today: NOW.slice(0, 10),
  });

const audience = (kind: 'list' | 'lookalike_seed'): CapabilityFacts['audience.build'] => {
  const channel = kind === 'list' ? 'social_list_matching' : 'lookalike_seeding';
  return {
    ...batch({ channel, people: [person({ consents: [consent({ channel })] })] }),
    audience: { platform: 'meta', kind },
    notices: notices(),
    targeting: { criteria: [] },
    jointProcessing: [{ platform: 'meta', scope: kind === 'list' ? 'custom_audiences' : 'lookalikes' }],
    arrangements: [{ platform: 'meta', scopes: ['custom_audiences', 'lookalikes'] }],
    platformUse: { platform: 'meta', authorised: true, customerList: true, electionAd: true, ad: null },
    linkedArrangements: [ARRANGEMENT, { ...ARRANGEMENT, scope: 'lookalikes' }],
    today: NOW.slice(0, 10),
    dpia: DPIA_COVERED,
  };
};

/** A compliant action of every capability. */
const ALLOWED: { [K in Capability]: CapabilityFacts[K] } = {
  import: IMPORT,
  'data.reuse': {
    controller: CONTROLLER,
    purpose: PURPOSE,
    reuse: { sourceTypes: ['petition'], compatibilityAssessment: 'Same cause; signers were told' },
  },
  'activity.activate': activation(),
  'collection.open': {
    controller: CONTROLLER,
    purpose: PURPOSE,
    collection: {
      kind: 'web_form',
      name: 'Join us',
      privacyInformation: {
        noticeVersion: '3',
        covers: [
          'controller_identity',
          'purposes_and_basis',
          'recipients',
          'retention',
          'rights',
          'complain',
          'requirement',
        ],
      },
      dpoAppointed: false,
      transfersOutsideUk: false,
      automatedDecisions: false,
    },
    specialCategory: { processed: [], conditions: [] },
  },
  'profiling.run': {
    ...batch({ channel: 'profiling', people: [person({ consents: [consent({ channel: 'profiling' })] })] }),
    profiling: { inferences: [{ attribute: 'turnout_likelihood', category: null, inputs: ['voted_2024'] }] },
    specialCategory: { processed: [], conditions: [] },
    notices: notices(),
    dpia: DPIA_COVERED,
  },
  'audience.build': audience('list'),
  'audience.lookalike_seed': audience('lookalike_seed'),
  'message.email': { ...batch(), message: MESSAGE, publication: PUBLICATION, controller: CONTROLLER },
  'message.sms': { ...batch({ channel: 'sms' }), message: MESSAGE },
  'message.social_dm': {
    ...batch({ channel: 'social_dm' }),
    message: MESSAGE,
    publication: { ...PUBLICATION, medium: 'social_dm' },
  },
  'message.voicemail': { ...batch({ channel: 'voicemail' }), message: MESSAGE },
  'call.live': {
    ...batch({ channel: 'phone' }),
    people: [{ ...person({ consents: [consent({ channel: 'phone' })] }), tpsRegistered: false, askedNotToCall: false }],
    call: { tpsScreenedAt: NOW },
    now: NOW,
  },
  'call.automated': batch({ channel: 'automated_call' }),
  'post.addressed': {
    ...batch({ channel: 'post' }),
    people: [{ ...person({ consents: [consent({ channel: 'post' })] }), electionAddressSent: false }],
    post: { s91ElectionAddress: false },
  },
  'cookies.configure': {
    site: {
      technologies: [
        {
          name: 'Meta pixel',
          purpose: 'social_pixel',
          platform: 'meta',
          firstParty: false,
          basis: 'consent',
          exception: null,
          exceptionNoticeGiven: false,
          objectionMeans: false,
          runsBeforeConsent: false,
          defaultOn: false,
        },
      ],
    },
    now: NOW,
    jointProcessing: [{ platform: 'meta', scope: 'pixels_plugins' }],
    arrangements: [{ platform: 'meta', scopes: ['pixels_plugins'] }],
  },
  'page_insights.enable': {
    jointProcessing: [{ platform: 'meta', scope: 'page_insights' }],
    arrangements: [{ platform: 'meta', scopes: ['page_insights'] }],
  },
  'ad.launch': {
    controller: CONTROLLER,
    purpose: PURPOSE,
    jointProcessing: [{ platform: 'meta', scope: 'custom_audiences' }],
    arrangements: [{ platform: 'meta', scopes: ['custom_audiences'] }],
    notice: notice(),
    ad: {
      platform: 'meta',
      targeting: ['customer_list'],
      criteria: [],
      accessesDevices: false,
      deviceConsent: false,
      explicitConsent: false,
      dpiaApproved: true,
      processorsContracted: true,
    },
    platformUse: { platform: 'meta', authorised: true, customerList: true, electionAd: true, ad: { paidForBy: null } },
    publication: { ...PUBLICATION, medium: 'paid_ad', paid: true },
  },
  'content.publish': { controller: CONTROLLER, publication: { ...PUBLICATION, medium: 'social_post' } },
  'objection.record': { objection: { identifiers: 2, suppressionEntries: 2, liveAudiences: [] } },
  'canvass.task': { task: { title: 'Saturday', activities: ['door_knocking', 'leafleting'] } },
  'dsar.check': {
    request: {
      receivedAt: '2026-11-20T09:00:00Z',
      complex: false,
      extensionNotifiedAt: null,
      idRequestedAt: null,
      idReceivedAt: null,
      respondedAt: null,
    },
    now: NOW,
  },
  'complaint.check': { complaint: { receivedAt: '2026-11-20T09:00:00Z', acknowledgedAt: null }, now: NOW },
  'retention.check': { campaign: { closedAt: null, retentionReviewedAt: null }, registerCopies: [], now: NOW },
  'consent_evidence.delete': { evidence: [{ recordId: 'r-1', purpose: 'old', channel: 'email', reliedOnBy: [] }] },
  'processor.share': { controller: CONTROLLER, purpose: PURPOSE, processors: [PROCESSOR] },
  'dpia.approve': { residualHigh: [], icoConsultation: null },
  'notice.publish': noticeInput(),
};

const action = <K extends Capability>(capability: K, facts: CapabilityFacts[K]) => ({ capability, facts });

const idsFor = (capability: Capability): string[] => [...new Set(rulesFor(capability).map((r) => r.meta.id))].sort();

describe('the registry', () => {
  it('every capability has a description and at least one rule', () => {
    expect(CAPABILITIES.sort()).toEqual(Object.keys(CAPABILITY_DESCRIPTIONS).sort());
    for (const c of CAPABILITIES) expect(rulesFor(c).length, c).toBeGreaterThan(0);
  });

  it('refuses to decide a capability nobody registered rules for', () => {
    expect(() => rulesFor('no.such' as Capability)).toThrow(/no rules are registered for the capability "no.such"/);
  });

  it('every rule takes its meta from the catalogue', () => {
    for (const { rule } of ALL_RULES) {
      expect(RULE_CATALOGUE[rule.meta.id as RuleId], rule.meta.id).toBe(rule.meta);
    }
  });

  // Which rules each capability checks, from the catalogue's "When" column.
  const PEOPLE_RULES = ['DM-OBJECTION-ABSOLUTE', 'DM-SUPPRESSION', 'LB-CONSENT-EVIDENCE', 'ER-PERMITTED-PURPOSE'];
  const PURPOSE_RULES = ['LB-BASIS-RECORDED', 'LB-PUBLIC-TASK-NECESSITY', 'LB-RLI-NOT-DEMOCRATIC', 'LB-LI-ASSESSMENT'];
  const EXPECTED: [Capability, string[]][] = [
    [
      'import',
      [
        'LB-BASIS-RECORDED',
        'ER-FULL-REGISTER-ENTITLED',
        'TP-BROKER-DUE-DILIGENCE',
        'TP-SCRAPED-CONTROLLER',
        'SCD-ART9-CONDITION',
        'TR-ART14-ONE-MONTH',
        'PURP-COMPATIBLE-REUSE',
      ],
    ],
    ['data.reuse', [...PURPOSE_RULES, 'ER-PERMITTED-PURPOSE', 'PURP-COMPATIBLE-REUSE']],
    [
      'activity.activate',
      [
        ...PURPOSE_RULES,
        'SCD-ART9-CONDITION',
        'SCD-P22-ELIGIBLE',
        'TR-DISPROPORTIONATE-EFFORT',
        'ROPA-COMPLETE',
        'ONL-JOINT-CONTROLLER',
        'ONL-ARRANGEMENT-GAPS',
        'ONL-PLATFORM-ELIGIBILITY',
        'CTRL-ART28-CONTRACT',
        'CTRL-SEGREGATION',
        'XFER-MECHANISM',
      ],
    ],
    ['collection.open', [...PURPOSE_RULES, 'TR-ART13-AT-COLLECTION', 'SCD-ART9-CONDITION', 'SCD-P22-ELIGIBLE']],
    [
      'profiling.run',
      [
        ...PURPOSE_RULES,
        ...PEOPLE_RULES,
        'TR-PROFILING-DISCLOSED',
        'SCD-NAME-INFERENCE',
        'SCD-ART9-CONDITION',
        'SCD-P22-ELIGIBLE',
        'DPIA-HIGH-RISK',
      ],
    ],
    [
      'audience.build',
      [
        ...PURPOSE_RULES,
        ...PEOPLE_RULES,
        'ONL-PLATFORM-ELIGIBILITY',
        'ONL-JOINT-CONTROLLER',
        'TR-LIST-MATCHING-DISCLOSED',
        'TR-PROFILING-DISCLOSED',
        'SCD-TARGETING-EXPLICIT-CONSENT',
        'ONL-ARRANGEMENT-GAPS',
        'DPIA-HIGH-RISK',
      ],
    ],
    [
      'audience.lookalike_seed',
      [
        ...PURPOSE_RULES,
        ...PEOPLE_RULES,
        'ONL-PLATFORM-ELIGIBILITY',
        'ONL-JOINT-CONTROLLER',
        'TR-LIST-MATCHING-DISCLOSED',
        'TR-PROFILING-DISCLOSED',
        'SCD-TARGETING-EXPLICIT-CONSENT',
        'ONL-ARRANGEMENT-GAPS',
        'DPIA-HIGH-RISK',
      ],
    ],
    [
      'message.email',
      [
        ...PURPOSE_RULES,
        ...PEOPLE_RULES,
        'PECR-R22-PRIOR-CONSENT',
        'PECR-R22-NO-SOFT-OPT-IN',
        'PECR-R23-IDENTITY-OPTOUT',
        'IMPRINT-PAID-POLITICAL',
        'IMPRINT-CONTENTS',
      ],
    ],
    [
      'message.sms',
      [
        ...PURPOSE_RULES,
        ...PEOPLE_RULES,
        'PECR-R22-PRIOR-CONSENT',
        'PECR-R22-NO-SOFT-OPT-IN',
        'PECR-R23-IDENTITY-OPTOUT',
      ],
    ],
    [
      'message.social_dm',
      [
        ...PURPOSE_RULES,
        ...PEOPLE_RULES,
        'PECR-R22-PRIOR-CONSENT',
        'PECR-R22-NO-SOFT-OPT-IN',
        'PECR-R23-IDENTITY-OPTOUT',
        'IMPRINT-PAID-POLITICAL',
        'IMPRINT-CONTENTS',
      ],
    ],
    [
      'message.voicemail',
      [
        ...PURPOSE_RULES,
        ...PEOPLE_RULES,
        'PECR-R22-PRIOR-CONSENT',
        'PECR-R22-NO-SOFT-OPT-IN',
        'PECR-R23-IDENTITY-OPTOUT',
      ],
    ],
    ['call.live', [...PURPOSE_RULES, ...PEOPLE_RULES, 'PECR-R21-TPS']],
    ['call.automated', [...PURPOSE_RULES, ...PEOPLE_RULES, 'PECR-R19-AUTOMATED']],
    [
      'post.addressed',
      [...PURPOSE_RULES, 'DM-SUPPRESSION', 'LB-CONSENT-EVIDENCE', 'ER-PERMITTED-PURPOSE', 'DM-POST-S91'],
    ],
    [
      'cookies.configure',
      ['PECR-R6-PRIOR-CONSENT', 'PECR-R6-EXCEPTION-SCOPE', 'PECR-R6-NO-OTHER-BASIS', 'ONL-JOINT-CONTROLLER'],
    ],
    ['page_insights.enable', ['ONL-JOINT-CONTROLLER']],
    [
      'ad.launch',
      [
        'ONL-AD-CHECKLIST',
        'ONL-CONTEXTUAL-EXEMPT',
        'ONL-PLATFORM-ELIGIBILITY',
        'IMPRINT-PAID-POLITICAL',
        'IMPRINT-CONTENTS',
      ],
    ],
    ['content.publish', ['IMPRINT-PAID-POLITICAL', 'IMPRINT-CONTENTS']],
    ['objection.record', ['DM-SUPPRESSION', 'DM-REMOVE-FROM-LIVE-AUDIENCES']],
    ['canvass.task', ['CANV-POSTAL-VOTE']],
    ['dsar.check', ['DSAR-CLOCK']],
    ['complaint.check', ['COMPLAINT-30D']],
    ['retention.check', ['RET-CAMPAIGN-END']],
    ['consent_evidence.delete', ['RET-CONSENT-PROOF']],
    ['processor.share', [...PURPOSE_RULES, 'CTRL-ART28-CONTRACT', 'CTRL-SEGREGATION']],
    ['dpia.approve', ['DPIA-RESIDUAL-HIGH']],
    [
      'notice.publish',
      [
        'TR-ART13-AT-COLLECTION',
        'TR-LIST-MATCHING-DISCLOSED',
        'TR-PROFILING-DISCLOSED',
        'LB-BASIS-RECORDED',
        'SCD-ART9-CONDITION',
        'XFER-MECHANISM',
        'ONL-ARRANGEMENT-GAPS',
      ],
    ],
  ];
  it.each(EXPECTED)('%s checks %j', (capability, ids) => {
    expect(idsFor(capability)).toEqual(expect.arrayContaining(ids));
  });
  it('the table covers every capability', () => {
    expect(EXPECTED.map(([c]) => c).sort()).toEqual([...CAPABILITIES].sort());
  });
  it('capabilitiesOf lists where a rule is checked', () => {
    expect(capabilitiesOf(objectionAbsolute)).toContain('audience.lookalike_seed');
    expect(capabilitiesOf(objectionAbsolute)).not.toContain('post.addressed');
  });
});

describe('decideAction', () => {
  it.each(CAPABILITIES)('a compliant %s is allowed', (capability) => {
    const decision = decideAction({ capability, facts: ALLOWED[capability] });
    expect(decision.findings).toEqual([]);
    expect(decision.outcome).toBe('allow');
  });

  it('import decides exactly as decideImport (IMPORT_RULES)', () => {
    const facts: ImportFacts = {
      ...IMPORT,
      controllerType: 'other',
      source: { ...IMPORT.source, type: 'full_register' },
    };
    expect(decideAction(action('import', facts))).toEqual(decideImport(facts));
    expect(decideAction(action('import', facts)).outcome).toBe('refuse');
  });

  const objector = person({ objected: true });
  const CASES: [string, string, string, Action][] = [
    [
      'an email to an objector',
      'refuse',
      'DM-OBJECTION-ABSOLUTE',
      action('message.email', { ...ALLOWED['message.email'], people: [objector] }),
    ],
    [
      'a lookalike seed with an objector',
      'refuse',
      'DM-OBJECTION-ABSOLUTE',
      action('audience.lookalike_seed', { ...ALLOWED['audience.lookalike_seed'], people: [objector] }),
    ],
    [
      'an SMS batch not screened for suppressions',
      'require',
      'DM-SUPPRESSION',
      action('message.sms', { ...ALLOWED['message.sms'], suppressionScreenedAt: null }),
    ],
    [
      'an SMS claiming the soft opt-in',
      'refuse',
      'PECR-R22-NO-SOFT-OPT-IN',
      action('message.sms', { ...ALLOWED['message.sms'], message: { ...MESSAGE, softOptInClaimed: true } }),
    ],
    [
      'an audience on LinkedIn',
      'refuse',
      'ONL-PLATFORM-ELIGIBILITY',
      action('audience.build', {
        ...ALLOWED['audience.build'],
        platformUse: { ...ALLOWED['audience.build'].platformUse, platform: 'linkedin' },
      }),
    ],
    [
      'an audience with list matching buried in the notice',
      'refuse',
      'TR-LIST-MATCHING-DISCLOSED',
      action('audience.build', { ...ALLOWED['audience.build'], notices: notices(notice({ listMatching: 'buried' })) }),
    ],
    [
      'an audience without an Art 26 arrangement',
      'refuse',
      'ONL-JOINT-CONTROLLER',
      action('audience.build', { ...ALLOWED['audience.build'], arrangements: [] }),
    ],
    [
      'an audience whose Art 26 arrangement leaves rights requests unassigned',
      'refuse',
      'ONL-ARRANGEMENT-GAPS',
      action('audience.build', {
        ...ALLOWED['audience.build'],
        linkedArrangements: [
          {
            ...ARRANGEMENT,
            responsibilities: { ...ARRANGEMENT.responsibilities, rights_requests: { party: null, note: '' } },
          },
        ],
      }),
    ],
    [
      'a lookalike seed whose DPIA expired',
      'require',
      'DPIA-HIGH-RISK',
      action('audience.lookalike_seed', {
        ...ALLOWED['audience.lookalike_seed'],
        dpia: { ...DPIA_COVERED, cover: { ...DPIA_COVERED.cover, covered: false, state: 'expired' } },
      }),
    ],
    [
      'activating a custom-audience activity with no arrangement linked',
      'refuse',
      'ONL-JOINT-CONTROLLER',
      action('activity.activate', { ...activation(), arrangements: [] }),
    ],
    [
      'activating an activity with no retention period',
      'require',
      'ROPA-COMPLETE',
      action('activity.activate', activation({ retention: null })),
    ],
    [
      'sharing data with a processor whose contract lacks Art 28(3) terms',
      'refuse',
      'CTRL-ART28-CONTRACT',
      action('processor.share', {
        ...ALLOWED['processor.share'],
        processors: [
          { ...PROCESSOR, art28Terms: { ...PROCESSOR.art28Terms, security: { present: false, clause: '' } } },
        ],
      }),
    ],
    [
      'approving a DPIA with a high residual risk and no ICO consultation',
      'require',
      'DPIA-RESIDUAL-HIGH',
      action('dpia.approve', { residualHigh: [{ label: 'R1', description: 'Exposure' }], icoConsultation: null }),
    ],
    [
      'publishing a notice when an activity has no lawful basis',
      'require',
      'LB-BASIS-RECORDED',
      action('notice.publish', noticeInput({ activities: [noticeActivity({ lawfulBasis: null })] })),
    ],
    [
      'a live call list not screened against the TPS',
      'refuse',
      'PECR-R21-TPS',
      action('call.live', { ...ALLOWED['call.live'], call: { tpsScreenedAt: null } }),
    ],
    [
      'a site whose pixel fires before consent',
      'refuse',
      'PECR-R6-PRIOR-CONSENT',
      action('cookies.configure', {
        ...ALLOWED['cookies.configure'],
        site: {
          technologies: ALLOWED['cookies.configure'].site.technologies.map((t) => ({ ...t, runsBeforeConsent: true })),
        },
      }),
    ],
    [
      'a canvassing task collecting postal votes',
      'refuse',
      'CANV-POSTAL-VOTE',
      action('canvass.task', { task: { title: 'Sunday', activities: ['collect_postal_votes'] } }),
    ],
    [
      'a subject access request at day 21',
      'warn',
      'DSAR-CLOCK',
      action('dsar.check', {
        ...ALLOWED['dsar.check'],
        request: { ...ALLOWED['dsar.check'].request, receivedAt: '2026-11-08T09:00:00Z' },
      }),
    ],
    [
      'a candidate relying on Sch 1 para 22 (unconfirmed: warns)',
      'warn',
      'SCD-P22-ELIGIBLE',
      action('activity.activate', {
        ...ALLOWED['activity.activate'],
        specialCategory: {
          processed: [{ attribute: 'support', category: 'political_opinion', inferred: false }],
          conditions: [
            { category: 'political_opinion', condition: 'dpa_sch1_para22', appropriatePolicyDocument: null },
          ],
        },
      }),
    ],
    [
      'a paid advert without an imprint',
      'refuse',
      'IMPRINT-PAID-POLITICAL',
      action('ad.launch', {
        ...ALLOWED['ad.launch'],
        publication: { ...ALLOWED['ad.launch'].publication, imprint: null },
      }),
    ],
    [
      'public task without a necessity note',
      'require',
      'LB-PUBLIC-TASK-NECESSITY',
      action('processor.share', {
        controller: CONTROLLER,
        purpose: { ...PURPOSE, basis: { kind: 'public_task', necessityNote: null } },
        processors: [PROCESSOR],
      }),
    ],
  ];
  it.each(CASES)('%s → %s (%s)', (_name, outcome, ruleId, a) => {
    const decision = decideAction(a);
    expect(decision.outcome).toBe(outcome);
    expect(decision.findings.map((f) => f.ruleId)).toContain(ruleId);
    const finding = decision.findings.find((f) => f.ruleId === ruleId)!;
    expect(finding.citation).toBe(RULE_CATALOGUE[ruleId as RuleId].citation);
    expect(finding.explanation.length).toBeGreaterThan(20);
  });

  it('SCD-P22-ELIGIBLE refuses once the campaign confirms the rule', () => {
    const a = CASES.find(([, , id]) => id === 'SCD-P22-ELIGIBLE')![3];
    expect(decideAction(a, { confirmedRules: ['SCD-P22-ELIGIBLE'] }).outcome).toBe('refuse');
    expect(proceeds(decideAction(a))).toBe(true);
  });

  it('ONL-CONTEXTUAL-EXEMPT: a contextual ad is allowed with its reasoning recorded', () => {
    const facts = ALLOWED['ad.launch'];
    const decision = decideAction(
      action('ad.launch', {
        ...facts,
        ad: { ...facts.ad, targeting: ['contextual'], dpiaApproved: false },
        notice: null,
        jointProcessing: [],
        platformUse: { ...facts.platformUse, customerList: false },
      }),
    );
    expect(decision.outcome).toBe('allow');
    expect(decision.findings).toEqual([]);
    expect(decision.reasoning?.map((r) => r.ruleId)).toEqual(['ONL-CONTEXTUAL-EXEMPT']);
  });

  it('a batch reports every rule that fires, each once', () => {
    const decision = decideAction(
      action('message.email', {
        ...ALLOWED['message.email'],
        people: [objector, person({ consents: [] })],
        suppressionScreenedAt: null,
        message: { ...MESSAGE, optOut: { method: null, target: null, testedAt: null } },
      }),
    );
    expect(decision.outcome).toBe('refuse');
    expect(decision.findings.map((f) => f.ruleId).sort()).toEqual(
      [
        'DM-OBJECTION-ABSOLUTE',
        'DM-SUPPRESSION',
        'LB-CONSENT-EVIDENCE',
        'PECR-R22-PRIOR-CONSENT',
        'PECR-R23-IDENTITY-OPTOUT',
      ].sort(),
    );
  });
});
