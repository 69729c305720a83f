/**
 * The audiences API's request and response shapes (issue 5), shared by the server
 * (src/app/audiences.ts, src/http/routes/audiences.ts) and the dashboard. Plain types and
 * constants only: no server code.
 */
import type { Finding } from './views.js';

export const AUDIENCE_PLATFORMS = ['meta', 'google', 'x', 'snap', 'linkedin', 'tiktok'] as const;
export type AudiencePlatform = (typeof AUDIENCE_PLATFORMS)[number];

export const AUDIENCE_KINDS = ['list', 'lookalike_seed'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

export const AUDIENCE_STATUSES = ['draft', 'live', 'retired'] as const;
export type AudienceStatus = (typeof AUDIENCE_STATUSES)[number];

/** What to do with people never given a notice that explains list matching (TR-LIST-MATCHING-DISCLOSED). */
export const UNINFORMED_CHOICES = ['exclude', 'refuse'] as const;
export type UninformedChoice = (typeof UNINFORMED_CHOICES)[number];

export const AUDIENCE_FIELD_NAMES = ['email', 'phone', 'first_name', 'last_name', 'postcode', 'country'] as const;
export type AudienceFieldName = (typeof AUDIENCE_FIELD_NAMES)[number];

export const REMOVAL_REASONS = ['objection', 'consent_withdrawn', 'erased'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

/** Why a person of the segment is left out of a file: a rule id, or the identifier check. */
export const EXCLUSION_REASONS = [
  'DM-OBJECTION-ABSOLUTE',
  'TR-LIST-MATCHING-DISCLOSED',
  'LB-CONSENT-EVIDENCE',
  'SCD-TARGETING-EXPLICIT-CONSENT',
  'NO-USABLE-IDENTIFIER',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  'DM-OBJECTION-ABSOLUTE': 'objected to direct marketing, or matches a suppression entry (DM-OBJECTION-ABSOLUTE)',
  'TR-LIST-MATCHING-DISCLOSED': 'never given a privacy notice that explains list matching (TR-LIST-MATCHING-DISCLOSED)',
  'LB-CONSENT-EVIDENCE': 'consent relied on, without standing consent for this use (LB-CONSENT-EVIDENCE)',
  'SCD-TARGETING-EXPLICIT-CONSENT':
    'special category segment, without explicit consent to be targeted (SCD-TARGETING-EXPLICIT-CONSENT)',
  'NO-USABLE-IDENTIFIER': 'no identifier this platform can match on',
};

/** The manifest's key for each reason (the label, which names the rule). */
export const exclusionKey = (reason: ExclusionReason): string => EXCLUSION_LABELS[reason];

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

export interface SegmentDefinitionBody {
  tags?: { id: string; specialCategory?: string | null }[];
  tagMatch?: 'any' | 'all';
  lists?: { id: string; specialCategory?: string | null }[];
  listMatch?: 'any' | 'all';
  sources?: string[];
  attributes?: { name: string; values?: string[] }[];
  consent?: { purpose: string; channel: string; state?: 'granted' | 'not_granted' } | null;
}

export interface SegmentBody {
  name: string;
  definition: SegmentDefinitionBody;
}

export interface AudienceCreateBody {
  name: string;
  platform: AudiencePlatform;
  kind: AudienceKind;
  activityId: string;
  /** An existing segment, or a new one to save with the audience. */
  segmentId?: string;
  segment?: SegmentBody;
  consentPurpose: string;
  electionAds?: boolean;
  uninformed: UninformedChoice;
  fields?: AudienceFieldName[];
  fileExpiryDays?: number | null;
  seedAudienceId?: string | null;
}

export type AudienceUpdateBody = Partial<
  Pick<AudienceCreateBody, 'name' | 'consentPurpose' | 'electionAds' | 'uninformed' | 'fields' | 'fileExpiryDays'>
> & { segmentId?: string; status?: 'retired' };

export interface UploadBody {
  uploadedAt: string;
  note?: string | null;
}

export interface AudienceSettingsBody {
  fileExpiryDays: number;
}

// ---------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------

export interface SegmentView {
  id: string;
  name: string;
  definition: SegmentDefinitionBody;
  createdAt: string;
  updatedAt: string;
}

export interface AudienceView {
  id: string;
  name: string;
  platform: AudiencePlatform;
  kind: AudienceKind;
  activityId: string;
  segmentId: string;
  consentPurpose: string;
  electionAds: boolean;
  uninformed: UninformedChoice;
  fields: AudienceFieldName[];
  fileExpiryDays: number | null;
  status: AudienceStatus;
  seedAudienceId: string | null;
  needsRebuild: boolean;
  needsRebuildReason: string | null;
  pendingRemovals: number;
  createdAt: string;
  updatedAt: string;
  liveAt: string | null;
  retiredAt: string | null;
  /** The latest file export (removal files aside), and when it was uploaded; null: never exported. */
  lastExport: { exportId: string; createdAt: string; uploadedAt: string | null } | null;
}

export interface ExclusionCount {
  reason: ExclusionReason;
  label: string;
  count: number;
}

/** What a build would do now: who is in, who is left out and why, and what the rules say. */
export interface AudiencePreview {
  audienceId: string;
  platform: AudiencePlatform;
  kind: AudienceKind;
  /** People the segment selects. */
  segmentCount: number;
  /** People who would be in the file. */
  includedCount: number;
  excludedCount: number;
  exclusions: ExclusionCount[];
  /** allow | warn: an export would go ahead; require | refuse: it would be refused. */
  outcome: 'allow' | 'warn' | 'require' | 'refuse';
  /** Every rule finding, with its fix (remedy). */
  findings: Finding[];
}

export interface ExportFileView {
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface AudienceExportView {
  id: string;
  audienceId: string;
  operation: 'add' | 'remove';
  platform: AudiencePlatform;
  directory: string;
  files: ExportFileView[];
  peopleCount: number;
  rowsWritten: number;
  excluded: Record<string, number>;
  warnings: string[];
  normalizationRulesVersion: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  filesDeletedAt: string | null;
  /** Files can be downloaded: not expired, not deleted. */
  downloadable: boolean;
  uploadedAt: string | null;
}

export interface AudienceDetailView {
  audience: AudienceView;
  segment: SegmentView;
  exports: AudienceExportView[];
}

export interface PendingRemovalView {
  id: string;
  audienceId: string;
  audienceName: string;
  platform: AudiencePlatform;
  personId: string;
  reason: RemovalReason;
  createdAt: string;
  /** The removal export that carries it, if one was written. */
  removalExportId: string | null;
}

export interface RemovalExportResult {
  exports: AudienceExportView[];
  removals: number;
}

/** The campaign's audience settings (GET /campaigns/:id/audience-settings). */
export interface AudienceSettingsView {
  /** Days an export's files are kept (an audience's own setting overrides it). */
  fileExpiryDays: number;
  /** Never set: the default applies. */
  isDefault: boolean;
  defaultFileExpiryDays: number;
  updatedAt: string | null;
}

/** A consent wording and whether it was marked explicit (GET /campaigns/:id/consent-wordings). */
export interface ConsentWordingView {
  wordingHash: string;
  text: string;
  firstSeenAt: string;
  /** The versions consents recorded with it (e.g. "v1"). */
  versions: string[];
  grantedConsents: number;
  /** Marked an explicit statement covering special category data (UK GDPR Art 9(2)(a)), or not. */
  explicit: { note: string; recordedAt: string } | null;
}
