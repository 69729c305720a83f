/**
 * Platform presets for joint-controller arrangements (UK GDPR Art 26) and the platforms'
 * political-advertising eligibility for UK campaigns, as versioned domain data: one edit
 * here updates every new arrangement, and each arrangement keeps the version it started from.
 *
 * Every fact carries the source it came from. The sources are the project's research notes
 * (docs/audiences.md, docs/law.md, each from the platforms' own policy pages, 2024–2026),
 * the ICO guidance on political campaigning online, and issue 4 of the project. Where the
 * notes do not say what a platform's standard terms cover, the preset says so and pre-fills
 * nothing: the DPO reads the terms and assigns each responsibility. A preset never assigns
 * a party on the DPO's behalf — "the key is what happens in practice rather than what any
 * document may say" (ICO guidance) — it records what the terms cover and what they leave.
 */
import {
  RESPONSIBILITIES,
  RESPONSIBILITY_LABELS,
  type JointControllerScope,
  type Platform,
  type Responsibility,
} from '../shared/governance.js';
import { PLATFORM_POLICIES, PLATFORM_POLICY_VERSION, type PlatformId } from './rules/platforms.js';

/**
 * Bump when any fact below changes; arrangements made from an older version are flagged. It
 * includes the version of the platform policy table the eligibility comes from.
 */
export const PLATFORM_PRESETS_VERSION = `2026-11-29+policies-${PLATFORM_POLICY_VERSION}`;

export const SOURCES = {
  audiencesPolitical: 'Research notes, audiences.md, "Per platform" table, row "UK political use" (platform policies)',
  audiencesEvery:
    'Research notes, audiences.md, "Every platform" (the platforms\' custom-audience terms; UK GDPR Art 21(3))',
  audiencesRemove: 'Research notes, audiences.md, "Per platform" table, row "Remove"',
  lawEligibility:
    'Research notes, law.md, "Ad platform eligibility for UK political advertisers" (platform policies, 2026)',
  lawJoint:
    'Research notes, law.md, "Platforms are joint controllers … What happens in practice counts, not the paper"; ICO guidance, "Are we joint controllers with social media platforms…?"',
  lawObjection:
    'Research notes, law.md: objectors may not be uploaded to a custom audience, nor used to seed a lookalike (UK GDPR Art 21(2)–(3))',
  lawPecr:
    'Research notes, law.md: social pixels and plugins need prior consent (PECR reg 6); no other basis can replace it',
  metaAddendum:
    'Issue 4 of the Canvass project (research notes): "Meta\'s controller addendum covers only collection and transmission by its pixel and SDKs"',
  notResearched: 'Not recorded in the research notes',
} as const;

export type EligibilityStatus = 'allowed' | 'allowed_with_condition' | 'restricted' | 'banned';

export interface PlatformEligibility {
  status: EligibilityStatus;
  /** One line, as the research notes put it. */
  summary: string;
  /** What the campaign must have done to use it (recorded as the arrangement's eligibility confirmation). */
  condition: string | null;
  /** Scopes whose political use the platform's policy forbids for UK campaigns. */
  forbiddenScopes: readonly JointControllerScope[];
  sources: readonly string[];
}

export interface ScopeTerms {
  /** true: the standard terms cover this scope; false: they do not; null: not researched. */
  covered: boolean | null;
  /** The document relied on, pre-filled as the arrangement's terms reference. */
  termsName: string | null;
  /** What the terms do and do not cover, in plain words. */
  coverage: string;
  sources: readonly string[];
  /** Notes pre-filled against responsibilities (never a party: the DPO assigns those). */
  notes: Partial<Record<Responsibility, string>>;
}

export interface PlatformPreset {
  platform: Exclude<Platform, 'other'>;
  name: string;
  version: string;
  eligibility: PlatformEligibility;
  scopes: Record<JointControllerScope, ScopeTerms>;
}

const NOT_RESEARCHED = (name: string, scope: string): ScopeTerms => ({
  covered: null,
  termsName: null,
  coverage: `The research notes do not record what ${name}'s standard terms cover for ${scope}. Read the platform's current terms, record the document you rely on, and assign every responsibility below.`,
  sources: [SOURCES.notResearched, SOURCES.lawJoint],
  notes: {},
});

/** What the custom-audience terms make the campaign do about opt-outs, with the platform's removal route. */
const listNotes = (removal: string): Partial<Record<Responsibility, string>> => ({
  rights_requests: `The campaign warrants that the list excludes people who objected or opted out, and must remove later objectors from live audiences (Art 21(3)). Removal on this platform: ${removal}. (${SOURCES.audiencesEvery}; ${SOURCES.audiencesRemove}.)`,
});

const lookalikeNotes = (): Partial<Record<Responsibility, string>> => ({
  rights_requests: `Objectors may not be used to seed a lookalike (${SOURCES.lawObjection}). People added to a lookalike may have no relationship with the campaign: record how they are informed and can exercise their rights (ICO guidance).`,
});

/** For a scope the standard terms cover: each responsibility points the DPO at the document. */
const coveredNotes = (terms: string): Record<Responsibility, string> =>
  Object.fromEntries(
    RESPONSIBILITIES.map((r) => [
      r,
      `Covered by ${terms}: record the party it names for ${RESPONSIBILITY_LABELS[r]}, and check that it holds in practice.`,
    ]),
  ) as Record<Responsibility, string>;

const BANNED_SCOPES: readonly JointControllerScope[] = ['custom_audiences', 'lookalikes', 'pixels_plugins'];

/**
 * A platform's eligibility, from the rules' one table of platform policies (so the presets and
 * ONL-PLATFORM-ELIGIBILITY can never disagree), with the scopes it forbids for political use:
 * every advertising scope where political ads are banned (a pixel there serves ad targeting);
 * customer lists, and the lookalikes seeded from them, where lists are barred from election ads.
 */
function eligibilityOf(platform: PlatformId): PlatformEligibility {
  const policy = PLATFORM_POLICIES[platform];
  const sources = [SOURCES.audiencesPolitical, SOURCES.lawEligibility];
  if (policy.politicalAds === 'banned') {
    return {
      status: 'banned',
      summary: `${policy.summary} No list-based or lookalike targeting, and no pixel used to target political ads.`,
      condition: null,
      forbiddenScopes: BANNED_SCOPES,
      sources,
    };
  }
  const condition =
    policy.politicalAds === 'authorisation_required'
      ? `The advertiser's ${policy.authorisation ?? 'political-advertising authorisation'}`
      : policy.paidForByRequired
        ? 'A "paid for by" line on every political ad'
        : null;
  if (!policy.customerListsForElectionAds) {
    return {
      status: 'restricted',
      summary: `${policy.summary} A lookalike seeded from a customer list falls with it.`,
      condition,
      forbiddenScopes: ['custom_audiences', 'lookalikes'],
      sources,
    };
  }
  return {
    status: condition ? 'allowed_with_condition' : 'allowed',
    summary: policy.summary,
    condition,
    forbiddenScopes: [],
    sources,
  };
}

export const PLATFORM_PRESETS: Readonly<Record<Exclude<Platform, 'other'>, PlatformPreset>> = {
  meta: {
    platform: 'meta',
    name: 'Meta',
    version: PLATFORM_PRESETS_VERSION,
    eligibility: eligibilityOf('meta'),
    scopes: {
      custom_audiences: {
        covered: false,
        termsName: "Meta's Custom Audience terms (the Controller Addendum does not cover custom audiences)",
        coverage:
          "Meta's controller addendum covers only the collection and transmission of data by its pixel and SDKs. It does not allocate the Art 26 responsibilities for a customer-list (custom) audience: agree and record every one of them here. Meta's Custom Audience terms make the campaign warrant that the list excludes people who opted out, and require later opt-outs to be removed from live audiences.",
        sources: [SOURCES.metaAddendum, SOURCES.audiencesEvery],
        notes: listNotes('API DELETE /{audience}/users or /usersreplace'),
      },
      lookalikes: {
        covered: false,
        termsName: null,
        coverage:
          "Meta's controller addendum covers only the collection and transmission of data by its pixel and SDKs, not lookalike audiences seeded from a campaign's list: agree and record every responsibility here.",
        sources: [SOURCES.metaAddendum, SOURCES.lawObjection],
        notes: lookalikeNotes(),
      },
      pixels_plugins: {
        covered: true,
        termsName: "Meta's controller addendum (collection and transmission by the pixel and SDKs)",
        coverage:
          "Meta's controller addendum covers the collection and transmission of data by Meta's pixel and SDKs — and only that. Record, for each responsibility, the party the addendum names, and check that it holds in practice. What Meta does with the data after transmission is outside the addendum.",
        sources: [SOURCES.metaAddendum, SOURCES.lawJoint],
        notes: {
          ...coveredNotes("Meta's controller addendum"),
          transparency: `Covered by Meta's controller addendum for collection and transmission: record the party it names. The pixel also needs prior consent on the campaign's site (${SOURCES.lawPecr}).`,
        },
      },
      page_insights: NOT_RESEARCHED('Meta', 'page insights'),
    },
  },
  google: {
    platform: 'google',
    name: 'Google',
    version: PLATFORM_PRESETS_VERSION,
    eligibility: eligibilityOf('google'),
    scopes: {
      custom_audiences: { ...NOT_RESEARCHED('Google', 'custom audiences'), notes: listNotes('remove operations') },
      lookalikes: { ...NOT_RESEARCHED('Google', 'lookalike audiences'), notes: lookalikeNotes() },
      pixels_plugins: NOT_RESEARCHED('Google', 'tags and plugins'),
      page_insights: NOT_RESEARCHED('Google', 'page insights'),
    },
  },
  x: {
    platform: 'x',
    name: 'X',
    version: PLATFORM_PRESETS_VERSION,
    eligibility: eligibilityOf('x'),
    scopes: {
      custom_audiences: { ...NOT_RESEARCHED('X', 'custom audiences'), notes: listNotes('operation_type: Delete') },
      lookalikes: { ...NOT_RESEARCHED('X', 'lookalike audiences'), notes: lookalikeNotes() },
      pixels_plugins: NOT_RESEARCHED('X', 'pixels and plugins'),
      page_insights: NOT_RESEARCHED('X', 'page insights'),
    },
  },
  snap: {
    platform: 'snap',
    name: 'Snap',
    version: PLATFORM_PRESETS_VERSION,
    eligibility: eligibilityOf('snap'),
    scopes: {
      custom_audiences: { ...NOT_RESEARCHED('Snap', 'customer lists'), notes: listNotes('DELETE') },
      lookalikes: { ...NOT_RESEARCHED('Snap', 'lookalike audiences'), notes: lookalikeNotes() },
      pixels_plugins: NOT_RESEARCHED('Snap', 'pixels and plugins'),
      page_insights: NOT_RESEARCHED('Snap', 'page insights'),
    },
  },
  linkedin: {
    platform: 'linkedin',
    name: 'LinkedIn',
    version: PLATFORM_PRESETS_VERSION,
    eligibility: eligibilityOf('linkedin'),
    scopes: {
      custom_audiences: { ...NOT_RESEARCHED('LinkedIn', 'matched audiences'), notes: listNotes('action: REMOVE') },
      lookalikes: { ...NOT_RESEARCHED('LinkedIn', 'lookalike audiences'), notes: lookalikeNotes() },
      pixels_plugins: NOT_RESEARCHED('LinkedIn', 'tags and plugins'),
      page_insights: NOT_RESEARCHED('LinkedIn', 'page analytics'),
    },
  },
  tiktok: {
    platform: 'tiktok',
    name: 'TikTok',
    version: PLATFORM_PRESETS_VERSION,
    eligibility: eligibilityOf('tiktok'),
    scopes: {
      custom_audiences: { ...NOT_RESEARCHED('TikTok', 'customer files'), notes: listNotes('a "remove data" file') },
      lookalikes: { ...NOT_RESEARCHED('TikTok', 'lookalike audiences'), notes: lookalikeNotes() },
      pixels_plugins: NOT_RESEARCHED('TikTok', 'pixels and plugins'),
      page_insights: NOT_RESEARCHED('TikTok', 'page insights'),
    },
  },
};

export const presetOf = (platform: Platform): PlatformPreset | null =>
  platform === 'other' ? null : PLATFORM_PRESETS[platform];

export interface ScopeEligibility {
  /** forbidden: the platform's policy forbids political use of this scope for UK campaigns. */
  status: 'allowed' | 'conditional' | 'forbidden' | 'unknown';
  explanation: string;
  condition: string | null;
  sources: readonly string[];
}

/** Whether political use of `scope` on `platform` is allowed for a UK campaign (ONL-PLATFORM-ELIGIBILITY). */
export function scopeEligibility(platform: Platform, scope: JointControllerScope): ScopeEligibility {
  const preset = presetOf(platform);
  if (!preset) {
    return {
      status: 'unknown',
      explanation: "Canvass has no research on this platform's political-advertising policy: check it before use.",
      condition: null,
      sources: [],
    };
  }
  const e = preset.eligibility;
  if (e.forbiddenScopes.includes(scope)) {
    return { status: 'forbidden', explanation: `${preset.name}: ${e.summary}`, condition: null, sources: e.sources };
  }
  if (e.condition && scope !== 'page_insights') {
    return {
      status: 'conditional',
      explanation: `${preset.name}: ${e.summary}`,
      condition: e.condition,
      sources: e.sources,
    };
  }
  return { status: 'allowed', explanation: `${preset.name}: ${e.summary}`, condition: null, sources: e.sources };
}
