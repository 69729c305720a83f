import { describe, expect, it } from 'vitest';
import {
  blocksFromText,
  canonicalNoticeText,
  canonicalSectionText,
  composePrivacyNotice,
  explainsListMatching,
  hasMissingParts,
  linkify,
  listMatchingCoverage,
  noticeCoverage,
  noticeSettingsSchema,
  noticeSha256,
  sectionPlainText,
  sectionSha256,
  translateNotice,
  type NoticeArrangement,
  type NoticeDocument,
  type NoticeInput,
  type NoticeSectionId,
  type SectionTranslation,
} from './privacy-notice.js';
import { decideAction } from './rules/engine.js';

import { activity, arrangement, input, META_ESSENCE, processor } from '../../test/helpers/notice-input.js';

/** A campaign with a Meta custom-audience activity (the done-when case). */
const metaCampaign = (arrangementOverrides: Partial<NoticeArrangement> = {}): NoticeInput =>
  input({
    activities: [
      activity(),
      activity({
        id: 'act-meta',
        name: 'Supporter adverts on Meta',
        description: 'Showing our messages to supporters on Facebook and Instagram.',
        lawfulBasis: 'consent',
        capabilities: ['custom_audiences'],
        arrangementIds: ['arr-meta-ca'],
      }),
    ],
    arrangements: [arrangement(arrangementOverrides)],
  });

const ids = (doc: NoticeDocument): NoticeSectionId[] => doc.sections.map((s) => s.id);
const sectionText = (doc: NoticeDocument, id: NoticeSectionId): string => {
  const section = doc.sections.find((s) => s.id === id);
  return section ? canonicalSectionText(section) : '';
};

// ---------------------------------------------------------------------------------------
// TR-LIST-MATCHING-DISCLOSED: the done-when case
// ---------------------------------------------------------------------------------------

describe('TR-LIST-MATCHING-DISCLOSED: a campaign with a Meta custom-audience activity', () => {
  const doc = composePrivacyNotice(metaCampaign());

  it('puts the list-matching section before the rights section, near the top', () => {
    const order = ids(doc);
    expect(order.indexOf('list-matching')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('list-matching')).toBeLessThan(order.indexOf('rights'));
    expect(order.indexOf('list-matching')).toBe(1); // right after "who we are"
  });

  it('names Meta and states the essence of the arrangement', () => {
    const text = sectionText(doc, 'list-matching');
    expect(text).toContain('Meta');
    expect(text).toContain(META_ESSENCE);
    expect(doc.disclosures.listMatching).toEqual([
      { platform: 'meta', name: 'Meta', customAudiences: true, lookalikes: false },
    ]);
  });

  it('is publishable, and explains list matching with Meta for the audiences feature', () => {
    expect(decideAction({ capability: 'notice.publish', facts: metaCampaign() }).outcome).toBe('allow');
    expect(explainsListMatching(doc, { platform: 'meta' })).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// Sections: which appear, in which order
// ---------------------------------------------------------------------------------------

describe('composePrivacyNotice: sections', () => {
  const cases: { name: string; input: NoticeInput; present: NoticeSectionId[]; absent: NoticeSectionId[] }[] = [
    {
      name: 'email-only campaign: no list matching, profiling, special category, joint controllers or processors',
      input: input(),
      present: ['controller', 'objection', 'collection', 'purposes', 'retention', 'rights', 'complaints', 'changes'],
      absent: ['list-matching', 'profiling', 'special-category', 'joint-controllers', 'processors'],
    },
    {
      name: 'Meta custom audiences: list matching and joint controllers',
      input: metaCampaign(),
      present: ['list-matching', 'joint-controllers'],
      absent: ['profiling'],
    },
    {
      name: 'profiling capability: a profiling section',
      input: input({
        activities: [
          activity({ capabilities: ['profiling'], description: 'Scoring likely support from canvass answers.' }),
        ],
      }),
      present: ['profiling'],
      absent: ['list-matching'],
    },
    {
      name: 'an inferred attribute alone brings the profiling section',
      input: input({
        attributes: [{ label: 'Support score', kind: 'inferred', specialCategory: 'political_opinion' }],
      }),
      present: ['profiling'],
      absent: [],
    },
    {
      name: 'special category data: its own section',
      input: input({
        activities: [
          activity({
            specialCategories: [
              {
                category: 'political_opinion',
                inferred: false,
                condition: 'explicit_consent',
                schedule1Paragraph: null,
              },
            ],
          }),
        ],
      }),
      present: ['special-category'],
      absent: ['profiling'],
    },
    {
      name: 'a processor: the processors section',
      input: input({ processors: [processor()] }),
      present: ['processors'],
      absent: [],
    },
    {
      name: 'a pixel arrangement only: joint controllers, no list matching',
      input: input({
        arrangements: [
          arrangement({
            id: 'px',
            scope: 'pixels_plugins',
            essence: 'Meta receives what its pixel collects, with your consent.',
          }),
        ],
      }),
      present: ['joint-controllers'],
      absent: ['list-matching'],
    },
  ];

  it.each(cases)('$name', ({ input: given, present, absent }) => {
    const order = ids(composePrivacyNotice(given));
    for (const id of present) expect(order, id).toContain(id);
    for (const id of absent) expect(order, id).not.toContain(id);
  });

  it('keeps the order of NOTICE_SECTION_IDS: list matching, profiling and the objection before everything else', () => {
    const everything = input({
      activities: [
        activity({
          capabilities: ['custom_audiences', 'lookalikes', 'profiling'],
          arrangementIds: ['arr-meta-ca', 'arr-meta-lal'],
          specialCategories: [
            { category: 'political_opinion', inferred: true, condition: 'explicit_consent', schedule1Paragraph: null },
          ],
        }),
      ],
      arrangements: [
        arrangement(),
        arrangement({ id: 'arr-meta-lal', scope: 'lookalikes', essence: 'Meta finds similar users.' }),
      ],
      processors: [processor()],
    });
    expect(ids(composePrivacyNotice(everything))).toEqual([
      'controller',
      'list-matching',
      'profiling',
      'objection',
      'collection',
      'purposes',
      'special-category',
      'joint-controllers',
      'processors',
      'retention',
      'rights',
      'complaints',
      'changes',
    ]);
  });
});

describe('composePrivacyNotice: what the sections say', () => {
  const cases: { name: string; input: NoticeInput; section: NoticeSectionId; says: string[]; never?: string[] }[] = [
    {
      name: 'controller: name, type, address, ICO number and DPO',
      input: input(),
      section: 'controller',
      says: [
        'Riverside Greens, a registered political party,',
        '1 High Street',
        'ZA123456',
        'Dee Pio',
        'dpo@riverside.example',
      ],
    },
    {
      name: 'controller without a DPO or privacy inbox: write to the address',
      input: input({ controller: { ...input().controller, dpo: null } }),
      section: 'controller',
      says: ['write to us at the address above'],
      never: ['Data Protection Officer'],
    },
    {
      name: 'lookalikes: the lookalike paragraph and both tools',
      input: input({
        activities: [
          activity({
            capabilities: ['custom_audiences', 'lookalikes'],
            arrangementIds: ['arr-meta-ca', 'arr-meta-lal'],
          }),
        ],
        arrangements: [
          arrangement(),
          arrangement({ id: 'arr-meta-lal', scope: 'lookalikes', essence: 'Meta finds users like ours.' }),
        ],
      }),
      section: 'list-matching',
      says: [
        'lookalike audiences',
        'Meta finds users like ours.',
        'list matching (custom audiences) and lookalike audiences',
      ],
    },
    {
      name: 'two platforms are both named',
      input: input({
        activities: [activity({ capabilities: ['custom_audiences'], arrangementIds: ['arr-meta-ca', 'arr-x'] })],
        arrangements: [
          arrangement(),
          arrangement({ id: 'arr-x', platform: 'x', platformName: 'X', essence: 'X matches the list.' }),
        ],
      }),
      section: 'list-matching',
      says: ['users of Meta and X', 'X matches the list.', META_ESSENCE],
    },
    {
      name: 'list matching says hashing is not anonymisation and objectors are never uploaded',
      input: metaCampaign(),
      section: 'list-matching',
      says: [
        'does not make them anonymous',
        'never upload the details of anyone who has objected',
        'https://riverside.example/object',
      ],
    },
    {
      name: 'objection: the campaign’s objection page',
      input: input(),
      section: 'objection',
      says: ['Object online: https://riverside.example/object', 'Article 21(2) and (3)'],
    },
    {
      name: 'objection without a page: the privacy inbox by email',
      input: input({ contact: { objectionUrl: null, privacyEmail: 'privacy@riverside.example', complaintUrl: null } }),
      section: 'objection',
      says: ['To object, email privacy@riverside.example'],
    },
    {
      name: 'collection: provided, third-party sources by name and type',
      input: input({
        sources: [
          { name: 'Website sign-ups', type: 'web_form', description: '' },
          { name: 'Register 2026', type: 'full_register', description: 'From the electoral registration officer.' },
          { name: 'Acme Data', type: 'data_broker', description: '' },
        ],
      }),
      section: 'collection',
      says: [
        'fill in a form on our website',
        'name and email address',
        'Register 2026: the full electoral register',
        'Acme Data: a data supplier',
      ],
    },
    {
      name: 'collection: observed through a pixel, inferred attributes',
      input: input({
        activities: [activity({ capabilities: ['pixels_plugins'] })],
        attributes: [{ label: 'Support score', kind: 'inferred', specialCategory: null }],
      }),
      section: 'collection',
      says: [
        'Information we observe',
        'only if you accept them',
        'Information we infer (work out) from the rest: Support score',
      ],
    },
    {
      name: 'purposes: public task is democratic engagement (DPA 2018 s.8(e))',
      input: input(),
      section: 'purposes',
      says: [
        'Supporter updates',
        'sending campaign news to supporters',
        'section 8(e) of the Data Protection Act 2018',
        'How we contact people: email',
      ],
    },
    {
      name: 'purposes: legitimate interests state the interest pursued (Art 13(1)(d))',
      input: input({
        activities: [
          activity({
            lawfulBasis: 'legitimate_interests',
            legitimateInterest: 'telling local residents about our candidate',
          }),
        ],
      }),
      section: 'purposes',
      says: [
        'legitimate interests (Article 6(1)(f))',
        'The interest we pursue: telling local residents about our candidate.',
      ],
    },
    {
      name: 'special category: condition and Sch 1 para 22 with the policy document',
      input: input({
        activities: [
          activity({
            specialCategories: [
              {
                category: 'political_opinion',
                inferred: true,
                condition: 'substantial_public_interest',
                schedule1Paragraph: 22,
              },
            ],
            appropriatePolicyDocument: true,
          }),
        ],
      }),
      section: 'special-category',
      says: ['Political opinions (estimated by us)', 'paragraph 22 of Schedule 1', 'appropriate policy document'],
    },
    {
      name: 'processors: a US host with its safeguard',
      input: input({
        processors: [processor({ hosting: [{ country: 'US', mechanism: 'us_dpf_uk_extension', recipient: '' }] })],
      }),
      section: 'processors',
      says: [
        'Mailer Ltd — sending email',
        'United States (safeguard: the recipient is certified under the UK Extension',
      ],
      never: ['None of them sends your information outside the UK'],
    },
    {
      name: 'processors: UK hosting only says nothing leaves the UK',
      input: input({ processors: [processor()] }),
      section: 'processors',
      says: ['United Kingdom', 'None of them sends your information outside the UK'],
    },
    {
      name: 'retention per activity',
      input: input(),
      section: 'retention',
      says: ['Supporter updates: Until three months after the election.'],
    },
    {
      name: 'rights: portability and withdrawal only where consent is relied on',
      input: input({ activities: [activity({ lawfulBasis: 'consent' })] }),
      section: 'rights',
      says: ['Article 20', 'withdraw your consent', 'Article 21', 'https://riverside.example/object', 'one month'],
    },
    {
      name: 'rights: no portability for public task',
      input: input(),
      section: 'rights',
      says: ['Article 15', 'Article 17'],
      never: ['Article 20', 'withdraw your consent'],
    },
    {
      name: 'complaints from 19 June 2026: to the controller first, acknowledged within 30 days (DPA 2018 s.164A)',
      input: input({ asOf: '2026-06-19' }),
      section: 'complaints',
      says: ['complain to us first', 'within 30 days', 'section 164A', 'https://ico.org.uk/make-a-complaint/'],
    },
    {
      name: 'complaints before 19 June 2026: no statutory 30-day acknowledgement',
      input: input({ asOf: '2026-06-18' }),
      section: 'complaints',
      says: ['you can complain to us', 'https://ico.org.uk/make-a-complaint/'],
      never: ['section 164A', '30 days'],
    },
    {
      name: 'complaints through the campaign’s complaint form',
      input: input({
        contact: {
          objectionUrl: 'https://riverside.example/object',
          privacyEmail: null,
          complaintUrl: 'https://riverside.example/complaints',
        },
      }),
      section: 'complaints',
      says: ['https://riverside.example/complaints'],
    },
    {
      name: 'changes: links to the current notice and its earlier versions',
      input: input(),
      section: 'changes',
      says: ['https://canvass.example/p/c1/privacy-notice', 'https://canvass.example/p/c1/privacy-notice/versions'],
    },
  ];

  it.each(cases)('$name', ({ input: given, section, says, never }) => {
    const text = sectionText(composePrivacyNotice(given), section);
    expect(text, `section ${section} is present`).not.toBe('');
    for (const words of says) expect(text).toContain(words);
    for (const words of never ?? []) expect(text).not.toContain(words);
  });

  it('writes no HTML: every run is plain text, links carry only http(s) or mailto addresses', () => {
    const doc = composePrivacyNotice(metaCampaign());
    const runs = doc.sections.flatMap((s) =>
      s.blocks.flatMap((b) => (b.kind === 'paragraph' ? b.content : b.items.flat())),
    );
    for (const run of runs) {
      expect(run.text).not.toMatch(/<[a-z/]/i);
      if (run.href) expect(run.href).toMatch(/^(https?:|mailto:)/);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Rules: publication refuses when a section cannot be written
// ---------------------------------------------------------------------------------------

describe('publication rules: TR-LIST-MATCHING-DISCLOSED, TR-PROFILING-DISCLOSED, TR-ART13-AT-COLLECTION, LB-BASIS-RECORDED, SCD-ART9-CONDITION, XFER-MECHANISM, ONL-ARRANGEMENT-GAPS', () => {
  const cases: { name: string; input: NoticeInput; ruleId: string | null; outcome: string; mentions?: string }[] = [
    { name: 'complete records', input: metaCampaign(), ruleId: null, outcome: 'allow' },
    {
      name: 'TR-LIST-MATCHING-DISCLOSED: list matching without an arrangement essence',
      input: metaCampaign({ essence: '  ' }),
      ruleId: 'TR-LIST-MATCHING-DISCLOSED',
      outcome: 'refuse',
      mentions: 'no essence',
    },
    {
      name: 'TR-LIST-MATCHING-DISCLOSED: a custom-audience activity with no linked arrangement',
      input: input({ activities: [activity({ capabilities: ['custom_audiences'] })] }),
      ruleId: 'TR-LIST-MATCHING-DISCLOSED',
      outcome: 'refuse',
      mentions: 'cannot name the platform',
    },
    {
      name: 'TR-LIST-MATCHING-DISCLOSED: lookalikes linked only to a custom-audience arrangement',
      input: input({
        activities: [activity({ capabilities: ['lookalikes'], arrangementIds: ['arr-meta-ca'] })],
        arrangements: [arrangement()],
      }),
      ruleId: 'TR-LIST-MATCHING-DISCLOSED',
      outcome: 'refuse',
      mentions: 'lookalike audiences',
    },
    {
      name: 'TR-PROFILING-DISCLOSED: profiling without a description',
      input: input({ activities: [activity({ capabilities: ['profiling'], description: '' })] }),
      ruleId: 'TR-PROFILING-DISCLOSED',
      outcome: 'refuse',
      mentions: 'Supporter updates',
    },
    {
      name: 'TR-ART13-AT-COLLECTION: no active activity',
      input: input({ activities: [] }),
      ruleId: 'TR-ART13-AT-COLLECTION',
      outcome: 'refuse',
      mentions: 'no processing activity is active',
    },
    {
      name: 'TR-ART13-AT-COLLECTION: no way to object',
      input: input({
        controller: { ...input().controller, dpo: null },
        contact: { objectionUrl: null, privacyEmail: null, complaintUrl: null },
      }),
      ruleId: 'TR-ART13-AT-COLLECTION',
      outcome: 'refuse',
      mentions: 'a working way to object',
    },
    {
      name: 'TR-ART13-AT-COLLECTION: an activity without retention',
      input: input({ activities: [activity({ retention: null })] }),
      ruleId: 'TR-ART13-AT-COLLECTION',
      outcome: 'refuse',
      mentions: 'how long “Supporter updates” keeps data',
    },
    {
      name: 'TR-ART13-AT-COLLECTION: a processor whose hosting is not recorded',
      input: input({ processors: [processor({ hosting: [] })] }),
      ruleId: 'TR-ART13-AT-COLLECTION',
      outcome: 'refuse',
      mentions: 'where Mailer Ltd stores the data',
    },
    {
      name: 'LB-BASIS-RECORDED: an activity without a lawful basis',
      input: input({ activities: [activity({ lawfulBasis: null })] }),
      ruleId: 'LB-BASIS-RECORDED',
      outcome: 'require',
    },
    {
      name: 'LB-BASIS-RECORDED: legitimate interests without the interest pursued',
      input: input({ activities: [activity({ lawfulBasis: 'legitimate_interests', legitimateInterest: null })] }),
      ruleId: 'LB-BASIS-RECORDED',
      outcome: 'require',
      mentions: 'which interest is pursued',
    },
    {
      name: 'SCD-ART9-CONDITION: special category data without a condition',
      input: input({
        activities: [
          activity({
            specialCategories: [{ category: 'health', inferred: false, condition: null, schedule1Paragraph: null }],
          }),
        ],
      }),
      ruleId: 'SCD-ART9-CONDITION',
      outcome: 'refuse',
      mentions: 'health',
    },
    {
      name: 'XFER-MECHANISM: a US host without a mechanism',
      input: input({ processors: [processor({ hosting: [{ country: 'US', mechanism: null, recipient: '' }] })] }),
      ruleId: 'XFER-MECHANISM',
      outcome: 'refuse',
      mentions: 'Mailer Ltd in United States',
    },
    {
      name: 'XFER-MECHANISM: a sub-processor abroad without a mechanism',
      input: input({
        processors: [
          processor({
            subProcessors: [{ name: 'Cloud Co', hosting: [{ country: 'IN', mechanism: null, recipient: '' }] }],
          }),
        ],
      }),
      ruleId: 'XFER-MECHANISM',
      outcome: 'refuse',
      mentions: 'Cloud Co in India',
    },
    {
      name: 'ONL-ARRANGEMENT-GAPS: a pixel arrangement without its essence',
      input: input({ arrangements: [arrangement({ id: 'px', scope: 'pixels_plugins', essence: '' })] }),
      ruleId: 'ONL-ARRANGEMENT-GAPS',
      outcome: 'refuse',
      mentions: 'pixels plugins',
    },
  ];

  it.each(cases)('$name', ({ input: given, ruleId, outcome, mentions }) => {
    const decision = decideAction({ capability: 'notice.publish', facts: given });
    expect(decision.outcome).toBe(outcome);
    if (ruleId === null) {
      expect(decision.findings).toEqual([]);
      expect(hasMissingParts(composePrivacyNotice(given))).toBe(false);
      return;
    }
    const finding = decision.findings.find((f) => f.ruleId === ruleId);
    expect(finding, `a ${ruleId} finding`).toBeDefined();
    expect(finding!.outcome).toBe(outcome);
    expect(finding!.remedy).toBeTruthy();
    if (mentions) expect(finding!.explanation).toContain(mentions);
    // The preview marks the gap where the rule found one (or the notice is otherwise incomplete).
    if (outcome === 'refuse' && ruleId !== 'TR-ART13-AT-COLLECTION') {
      expect(hasMissingParts(composePrivacyNotice(given))).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Coverage: does notice version N explain list matching with platform P?
// ---------------------------------------------------------------------------------------

describe('listMatchingCoverage (TR-LIST-MATCHING-DISCLOSED for the audiences feature)', () => {
  const meta = composePrivacyNotice(metaCampaign());
  const lookalikes = composePrivacyNotice(
    input({
      activities: [
        activity({ capabilities: ['custom_audiences', 'lookalikes'], arrangementIds: ['arr-meta-ca', 'arr-meta-lal'] }),
      ],
      arrangements: [
        arrangement(),
        arrangement({ id: 'arr-meta-lal', scope: 'lookalikes', essence: 'Meta finds similar users.' }),
      ],
    }),
  );
  const other = composePrivacyNotice(
    input({
      activities: [activity({ capabilities: ['custom_audiences'], arrangementIds: ['arr-o'] })],
      arrangements: [
        arrangement({
          id: 'arr-o',
          platform: 'other',
          platformName: 'Nextdoor',
          essence: 'Nextdoor matches the list.',
        }),
      ],
    }),
  );
  const none = composePrivacyNotice(input());
  // The same notice with the list-matching section moved to the end: buried.
  const buried: NoticeDocument = {
    ...meta,
    sections: [
      ...meta.sections.filter((s) => s.id !== 'list-matching'),
      meta.sections.find((s) => s.id === 'list-matching')!,
    ],
  };

  const cases: {
    name: string;
    doc: NoticeDocument;
    platform: { platform: string; name?: string };
    kind: 'list' | 'lookalike_seed';
    explained: boolean;
    gap?: string;
  }[] = [
    { name: 'Meta list on a Meta notice', doc: meta, platform: { platform: 'meta' }, kind: 'list', explained: true },
    {
      name: 'Meta lookalike seed on a notice without lookalikes',
      doc: meta,
      platform: { platform: 'meta' },
      kind: 'lookalike_seed',
      explained: false,
      gap: 'lookalike',
    },
    {
      name: 'Meta lookalike seed on a lookalike notice',
      doc: lookalikes,
      platform: { platform: 'meta' },
      kind: 'lookalike_seed',
      explained: true,
    },
    {
      name: 'X on a Meta notice',
      doc: meta,
      platform: { platform: 'x' },
      kind: 'list',
      explained: false,
      gap: 'does not name x',
    },
    {
      name: 'a notice without list matching',
      doc: none,
      platform: { platform: 'meta' },
      kind: 'list',
      explained: false,
      gap: 'does not explain',
    },
    {
      name: 'list matching buried at the end',
      doc: buried,
      platform: { platform: 'meta' },
      kind: 'list',
      explained: false,
      gap: 'not prominently',
    },
    {
      name: 'another platform, by name',
      doc: other,
      platform: { platform: 'other', name: 'nextdoor' },
      kind: 'list',
      explained: true,
    },
    {
      name: 'another platform, wrong name',
      doc: other,
      platform: { platform: 'other', name: 'Bluesky' },
      kind: 'list',
      explained: false,
    },
  ];

  it.each(cases)('$name → explained: $explained', ({ doc, platform, kind, explained, gap }) => {
    const coverage = listMatchingCoverage(doc, platform, kind);
    expect(coverage.explained).toBe(explained);
    expect(explainsListMatching(doc, platform, kind)).toBe(explained);
    if (gap) expect(coverage.gaps.join('; ')).toContain(gap);
  });

  it('noticeCoverage gives the shape the transparency rules read', () => {
    expect(noticeCoverage('3', lookalikes)).toEqual({
      version: '3',
      listMatching: 'prominent',
      platformsNamed: ['meta'],
      otherPlatformsNamed: [],
      lookalikesExplained: true,
      profilingExplained: false,
      microTargetingExplained: false,
    });
    expect(noticeCoverage('1', none).listMatching).toBe('absent');
    expect(noticeCoverage('2', buried).listMatching).toBe('buried');
    expect(noticeCoverage('4', other).otherPlatformsNamed).toEqual(['Nextdoor']);
  });
});

// ---------------------------------------------------------------------------------------
// Hashes
// ---------------------------------------------------------------------------------------

describe('canonical text and SHA-256', () => {
  it('is stable for the same records and changes with any word or disclosure', () => {
    const a = composePrivacyNotice(metaCampaign());
    expect(noticeSha256(a)).toBe(noticeSha256(composePrivacyNotice(metaCampaign())));
    expect(noticeSha256(a)).toMatch(/^[0-9a-f]{64}$/);
    const changed = composePrivacyNotice(metaCampaign({ essence: `${META_ESSENCE}, and more` }));
    expect(noticeSha256(changed)).not.toBe(noticeSha256(a));
    expect(canonicalNoticeText(a)).toContain('list-matching: meta:Meta:list');
  });

  it('hashes sections separately: a change to one leaves the others’ hashes alone', () => {
    const a = composePrivacyNotice(metaCampaign());
    const b = composePrivacyNotice(metaCampaign({ essence: 'A different essence for individuals' }));
    const hash = (doc: NoticeDocument, id: NoticeSectionId): string =>
      sectionSha256(doc.sections.find((s) => s.id === id)!);
    expect(hash(a, 'list-matching')).not.toBe(hash(b, 'list-matching'));
    expect(hash(a, 'rights')).toBe(hash(b, 'rights'));
  });
});

// ---------------------------------------------------------------------------------------
// Welsh
// ---------------------------------------------------------------------------------------

describe('translateNotice (Welsh only when every section has Welsh text)', () => {
  const english = composePrivacyNotice(input());
  /** A Welsh text for every section, keeping every link of the English. */
  const complete = (): Record<string, SectionTranslation> =>
    Object.fromEntries(
      english.sections.map((s) => [
        s.id,
        {
          heading: `Cymraeg: ${s.heading}`,
          body: `Testun Cymraeg.\n\n${sectionPlainText(s)}`,
          sourceSha256: sectionSha256(s),
        },
      ]),
    );

  it('builds the Welsh notice from the campaign’s texts, same section ids and disclosures', () => {
    const welsh = translateNotice(english, complete());
    expect(welsh.sections.every((s) => s.status === 'translated')).toBe(true);
    expect(welsh.document?.language).toBe('cy');
    expect(welsh.document?.title).toBe('Hysbysiad preifatrwydd: Riverside Greens');
    expect(welsh.document?.sections.map((s) => s.id)).toEqual(english.sections.map((s) => s.id));
    expect(welsh.document?.disclosures).toEqual(english.disclosures);
  });

  const cases: {
    name: string;
    change: (t: Record<string, SectionTranslation>) => void;
    section: NoticeSectionId;
    status: string;
  }[] = [
    { name: 'a section without Welsh text', change: (t) => delete t.rights, section: 'rights', status: 'missing' },
    {
      name: 'a Welsh text made for older English',
      change: (t) => (t.retention = { ...t.retention!, sourceSha256: 'f'.repeat(64) }),
      section: 'retention',
      status: 'outdated',
    },
    {
      name: 'a Welsh text that drops the objection link',
      change: (t) => (t.objection = { ...t.objection!, body: 'Gallwch wrthwynebu.' }),
      section: 'objection',
      status: 'links_missing',
    },
  ];

  it.each(cases)('$name: no Welsh notice, and the section is named ($status)', ({ change, section, status }) => {
    const texts = complete();
    change(texts);
    const welsh = translateNotice(english, texts);
    expect(welsh.document).toBeNull();
    expect(welsh.sections.find((s) => s.sectionId === section)?.status).toBe(status);
    expect(welsh.sections.filter((s) => s.status !== 'translated')).toHaveLength(1);
  });
});

describe('plain text ↔ blocks', () => {
  it.each([
    {
      text: 'Ewch i https://riverside.example/object.',
      runs: [
        { text: 'Ewch i ' },
        { text: 'https://riverside.example/object', href: 'https://riverside.example/object' },
        { text: '.' },
      ],
    },
    {
      text: 'E-bost: dpo@riverside.example',
      runs: [{ text: 'E-bost: ' }, { text: 'dpo@riverside.example', href: 'mailto:dpo@riverside.example' }],
    },
    { text: 'Dim dolen yma', runs: [{ text: 'Dim dolen yma' }] },
    { text: 'javascript:alert(1) is text', runs: [{ text: 'javascript:alert(1) is text' }] },
  ])('linkify($text)', ({ text, runs }) => {
    expect(linkify(text)).toEqual(runs);
  });

  it('reads paragraphs and "- " list items, and round-trips a composed section', () => {
    expect(blocksFromText('Un.\nDau.\n\n- a\n- b\n\nTri.')).toEqual([
      { kind: 'paragraph', content: [{ text: 'Un. Dau.' }] },
      { kind: 'list', items: [[{ text: 'a' }], [{ text: 'b' }]] },
      { kind: 'paragraph', content: [{ text: 'Tri.' }] },
    ]);
    const rights = composePrivacyNotice(input()).sections.find((s) => s.id === 'rights')!;
    expect(blocksFromText(sectionPlainText(rights))).toEqual(rights.blocks.map((b) => mergeText(b)));
  });
});

/** Adjacent plain runs merged, as linkify produces them. */
function mergeText(block: NoticeDocument['sections'][number]['blocks'][number]) {
  const merge = (runs: { text: string; href?: string }[]) =>
    runs.reduce<{ text: string; href?: string }[]>((out, r) => {
      const last = out[out.length - 1];
      if (last && !last.href && !r.href) last.text += r.text;
      else out.push({ ...r });
      return out;
    }, []);
  return block.kind === 'paragraph'
    ? { kind: 'paragraph', content: merge(block.content) }
    : { kind: 'list', items: block.items.map(merge) };
}

describe('noticeSettingsSchema', () => {
  it.each([
    { value: { objectionUrl: 'https://riverside.example/object' }, ok: true },
    { value: { objectionUrl: 'http://riverside.example/object' }, ok: false },
    { value: { objectionUrl: 'javascript:alert(1)' }, ok: false },
    { value: { objectionUrl: 'http://localhost:3000/object' }, ok: true },
    { value: { privacyEmail: 'Privacy@Riverside.example' }, ok: true },
    { value: { privacyEmail: 'not an email' }, ok: false },
    { value: { complaintUrl: null }, ok: true },
    { value: { somethingElse: 1 }, ok: false },
  ])('$value → ok: $ok', ({ value, ok }) => {
    expect(noticeSettingsSchema.safeParse(value).success).toBe(ok);
  });
});
