/**
 * Kysely types of the audience tables (migrations/20261129000600_audiences.sql). They live
 * here rather than in src/db/schema.ts while issue 5 is being built by several people at once;
 * `audienceTx` widens a campaign transaction to see them. Move them into schema.ts's DB when
 * the files settle (one edit: add the interfaces to DB and drop `audienceTx`).
 */
import type { ColumnType, Generated, Transaction } from 'kysely';
import type { Tx } from '../db/scope.js';
import type { DB } from '../db/schema.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface AudienceSettingsTable {
  campaign_id: string;
  file_expiry_days: Generated<number>;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

export interface AudienceSegmentsTable {
  campaign_id: string;
  segment_id: string;
  name: string;
  definition: Json;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
}

export interface AudiencesTable {
  campaign_id: string;
  audience_id: string;
  name: string;
  platform: string;
  kind: string;
  activity_id: string;
  segment_id: string;
  consent_purpose: string;
  election_ads: Generated<boolean>;
  uninformed: string;
  fields: Json<string[]>;
  file_expiry_days: number | null;
  status: Generated<string>;
  seed_audience_id: string | null;
  needs_rebuild: Generated<boolean>;
  needs_rebuild_reason: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  live_at: Timestamp | null;
  retired_at: Timestamp | null;
}

export interface AudienceExportsTable {
  campaign_id: string;
  export_id: string;
  audience_id: string;
  operation: string;
  platform: string;
  manifest: Json;
  output_dir: string;
  files: Json<string[]>;
  people_count: number;
  rows_written: number;
  decision_seq: ColumnType<string | number | null, number | null, number | null>;
  created_by: string | null;
  created_by_actor: Json;
  created_at: Timestamp;
  expires_at: Timestamp;
  files_deleted_at: Timestamp | null;
}

export interface AudienceExportMembersTable {
  campaign_id: string;
  export_id: string;
  person_id: string;
}

export interface AudienceUploadsTable {
  campaign_id: string;
  upload_id: string;
  export_id: string;
  audience_id: string;
  uploaded_at: Timestamp;
  note: string | null;
  recorded_at: DefaultTimestamp;
  recorded_by: Json;
}

export interface AudienceRemovalsTable {
  campaign_id: string;
  removal_id: string;
  audience_id: string;
  export_id: string;
  person_id: string;
  reason: string;
  hashed_identifiers: Json<Record<string, string[]>>;
  normalization_rules_version: string;
  created_at: Timestamp;
  created_by: Json;
  removal_export_id: string | null;
  confirmed_at: Timestamp | null;
  confirmed_by: Json | null;
}

export interface ExplicitConsentWordingsTable {
  campaign_id: string;
  wording_hash: string;
  note: string;
  recorded_at: DefaultTimestamp;
  recorded_by: Json;
}

export interface AudienceTables {
  audience_settings: AudienceSettingsTable;
  audience_segments: AudienceSegmentsTable;
  audiences: AudiencesTable;
  audience_exports: AudienceExportsTable;
  audience_export_members: AudienceExportMembersTable;
  audience_uploads: AudienceUploadsTable;
  audience_removals: AudienceRemovalsTable;
  explicit_consent_wordings: ExplicitConsentWordingsTable;
}

export type AudienceDB = DB & AudienceTables;
export type AudienceTx = Transaction<AudienceDB>;

/** The same transaction, typed to see the audience tables too. */
export const audienceTx = (tx: Tx): AudienceTx => tx as unknown as AudienceTx;
