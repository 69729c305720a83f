/**
 * What each advertising platform's own policy allows a UK political advertiser
 * (ONL-PLATFORM-ELIGIBILITY). One versioned table: platforms change their pages, so one edit
 * here updates every rule that reads it. Source: the research notes' docs/audiences.md and
 * docs/law.md ("Ad platform eligibility for UK political advertisers", platform policies, 2026).
 */

export const PLATFORMS = ['meta', 'google', 'x', 'snap', 'linkedin', 'tiktok'] as const;
export type PlatformId = (typeof PLATFORMS)[number];

/** When the table was last checked against the platforms' policy pages. */
export const PLATFORM_POLICY_VERSION = '2026-11';

export interface PlatformPolicy {
  label: string;
  /** Whether the platform accepts political adverts from UK advertisers at all. */
  politicalAds: 'allowed' | 'authorisation_required' | 'banned';
  /** What the authorisation is called, where one is needed. */
  authorisation: string | null;
  /** Whether customer lists (list-based audiences, and lookalikes built on them) may be used for UK election ads. */
  customerListsForElectionAds: boolean;
  /** Whether every political ad must carry a "paid for by" line. */
  paidForByRequired: boolean;
  /** The policy in one line, for explanations and the DPO's presets. */
  summary: string;
}

export const PLATFORM_POLICIES: Record<PlatformId, PlatformPolicy> = {
  meta: {
    label: 'Meta (Facebook, Instagram)',
    politicalAds: 'authorisation_required',
    authorisation: '"social issues, elections or politics" authorisation',
    customerListsForElectionAds: true,
    paidForByRequired: false,
    summary:
      'Political ads are allowed once the advertiser holds the "social issues, elections or politics" authorisation.',
  },
  google: {
    label: 'Google',
    politicalAds: 'allowed',
    authorisation: null,
    customerListsForElectionAds: false,
    paidForByRequired: false,
    summary: 'Customer lists (Customer Match) may not be used for UK election ads.',
  },
  x: {
    label: 'X',
    politicalAds: 'allowed',
    authorisation: null,
    customerListsForElectionAds: true,
    paidForByRequired: false,
    summary: 'Political ads are allowed in the UK.',
  },
  snap: {
    label: 'Snap',
    politicalAds: 'allowed',
    authorisation: null,
    customerListsForElectionAds: true,
    paidForByRequired: true,
    summary: 'Political ads are allowed with a "paid for by" line.',
  },
  linkedin: {
    label: 'LinkedIn',
    politicalAds: 'banned',
    authorisation: null,
    customerListsForElectionAds: false,
    paidForByRequired: false,
    summary: 'Political ads are banned.',
  },
  tiktok: {
    label: 'TikTok',
    politicalAds: 'banned',
    authorisation: null,
    customerListsForElectionAds: false,
    paidForByRequired: false,
    summary: 'Political ads are banned.',
  },
};

export const platformLabel = (id: PlatformId): string => PLATFORM_POLICIES[id].label;
