/**
 * Kysely table types. They mirror migrations/*.sql; the SQL is the source of truth and
 * test/schema.test.ts checks that every column named here exists in the database.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface UsersTable {
  user_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  failed_login_count: Generated<number>;
  locked_until: Timestamp | null;
  created_at: DefaultTimestamp;
  disabled_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  token_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface CampaignsTable {
  campaign_id: string;
  name: string;
  controller_type: string;
  postal_address: string;
  ico_registration_number: string | null;
  dpo_name: string | null;
  dpo_email: string | null;
  dpo_phone: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  audit_head_seq: Generated<number>;
  audit_head_hash: Generated<string>;
}

export interface MembershipsTable {
  campaign_id: string;
  user_id: string;
  role: string;
  created_at: DefaultTimestamp;
}

export interface InvitationsTable {
  campaign_id: string;
  invitation_id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  revoked_at: Timestamp | null;
}

export interface AuditEventsTable {
  campaign_id: string;
  seq: number;
  event_id: string;
  occurred_at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  type: string;
  payload: Json;
  prev_hash: string;
  hash: string;
}

export interface JobRunsTable {
  campaign_id: string;
  job_id: string;
  name: string;
  version: number;
  status: string;
  payload: Json;
  progress_done: Generated<number>;
  progress_total: number | null;
  checkpoint: Json | null;
  result: Json | null;
  error_code: string | null;
  error_message: string | null;
  attempts: Generated<number>;
  cancel_requested_at: Timestamp | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  started_at: Timestamp | null;
  heartbeat_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface CampaignKeysTable {
  campaign_id: string;
  suppression_key: Buffer;
  created_at: DefaultTimestamp;
}

export interface SourcesTable {
  campaign_id: string;
  source_id: string;
  name: string;
  type: string;
  description: Generated<string>;
  collection_purpose: Generated<string>;
  lawful_basis: string | null;
  lawful_basis_note: string | null;
  art9_condition: string | null;
  due_diligence: Json | null;
  art14_plan: string | null;
  compatibility_assessment: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  archived_at: Timestamp | null;
}

export interface ImportsTable {
  campaign_id: string;
  import_id: string;
  source_id: string;
  job_id: string | null;
  file_name: string;
  file_bytes: number;
  file_sha256: string;
  file_storage: string;
  file_path: string | null;
  mapping: Json;
  options: ColumnType<unknown, string | undefined, string>;
  status: string;
  decisions: ColumnType<unknown, string | undefined, string>;
  summary: Json | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface ImportUploadsTable {
  campaign_id: string;
  import_id: string;
  seq: number;
  data: Buffer;
}

export interface ImportReportChunksTable {
  campaign_id: string;
  import_id: string;
  seq: number;
  first_record: number;
  record_count: number;
  lines: string;
}

export interface ProvenanceTable {
  campaign_id: string;
  provenance_id: Generated<number>;
  source_id: string;
  import_id: string | null;
  kind: string;
  lawful_basis: string | null;
  collected_at: Timestamp;
  recorded_at: DefaultTimestamp;
  recorded_by: Json;
}

export interface AttributeDefinitionsTable {
  campaign_id: string;
  name: string;
  label: string;
  special_category: string | null;
  kind: string;
  defined_by: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** One element of people.facts: a value with its provenance. */
export interface FactJson {
  /** Field: first_name, last_name, full_name, email, phone, address_line1..3, town, postcode, note, attribute:<name>. */
  f: string;
  v: string;
  /** provenance_id */
  p: number;
  /** Special-category class (UK GDPR Art 9), when the value is one. */
  c?: string;
}

export interface PeopleTable {
  campaign_id: string;
  person_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  postcode: string | null;
  facts: ColumnType<FactJson[], string | undefined, string>;
  first_source_id: string;
  created_import_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  objected_at: Timestamp | null;
  art14_due_at: Timestamp | null;
  art14_notified_at: Timestamp | null;
  /** Generated: lower(last_name) / lower(first_name), for indexed prefix search under RLS. */
  last_name_key: ColumnType<string | null, never, never>;
  first_name_key: ColumnType<string | null, never, never>;
}

export interface PersonIdentifiersTable {
  campaign_id: string;
  kind: string;
  value: string;
  person_id: string;
  provenance_id: number | null;
  created_at: DefaultTimestamp;
}

export interface PersonSourcesTable {
  campaign_id: string;
  source_id: string;
  person_id: string;
  first_import_id: string | null;
  added_at: DefaultTimestamp;
}

export interface TagsTable {
  campaign_id: string;
  tag_id: string;
  name: string;
  created_at: DefaultTimestamp;
  /** Migration 20261129000170: an archived tag keeps its memberships and takes no new ones. */
  archived_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PersonTagsTable {
  campaign_id: string;
  tag_id: string;
  person_id: string;
  provenance_id: number | null;
  added_at: DefaultTimestamp;
}

export interface ListsTable {
  campaign_id: string;
  list_id: string;
  name: string;
  description: Generated<string>;
  created_at: DefaultTimestamp;
  /** Migration 20261129000170: an archived list keeps its members and takes no new ones. */
  archived_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ListMembersTable {
  campaign_id: string;
  list_id: string;
  person_id: string;
  provenance_id: number | null;
  added_at: DefaultTimestamp;
}

export interface ConsentWordingsTable {
  campaign_id: string;
  wording_hash: string;
  text: string;
  created_at: DefaultTimestamp;
}

export interface ConsentRecordsTable {
  campaign_id: string;
  record_id: string;
  person_id: string;
  purpose: string;
  channel: string;
  action: string;
  method: string;
  wording_hash: string | null;
  wording_version: string | null;
  occurred_at: Timestamp;
  recorded_at: DefaultTimestamp;
  recorded_by: Json;
  source_id: string | null;
  import_id: string | null;
  note: string | null;
}

export interface ConsentStateTable {
  campaign_id: string;
  person_id: string;
  purpose: string;
  channel: string;
  granted: boolean;
  record_id: string;
  occurred_at: Timestamp;
}

export interface ObjectionsTable {
  campaign_id: string;
  objection_id: string;
  person_id: string | null;
  received_at: Timestamp;
  method: string;
  note: string | null;
  recorded_at: DefaultTimestamp;
  recorded_by: Json;
}

export interface SuppressionsTable {
  campaign_id: string;
  kind: string;
  key_hash: string;
  reason: string;
  objection_id: string | null;
  created_at: DefaultTimestamp;
  created_by: Json;
}

export interface ErasuresTable {
  campaign_id: string;
  erasure_id: string;
  person_id: string;
  erased_at: Timestamp;
  reason: string;
  recorded_by: Json;
  suppression_entries: number;
}

// DPIAs (issue 4, migrations/20261129000300_dpia.sql). DATE columns are 'YYYY-MM-DD' strings.
export interface DpiasTable {
  campaign_id: string;
  dpia_id: string;
  title: string;
  activity_id: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
}

export interface DpiaVersionsTable {
  campaign_id: string;
  dpia_id: string;
  version: number;
  status: string;
  activity_id: string | null;
  screening: Json;
  need_summary: Generated<string>;
  description: Json;
  consultation: Json;
  necessity: Json;
  risks: Json;
  sign_off: Json;
  ico_consultation: Json | null;
  review_date: string | null;
  approval_warnings: Json;
  decision_note: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
  submitted_at: Timestamp | null;
  submitted_by: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface DpiaActionsTable {
  campaign_id: string;
  dpia_id: string;
  action_id: string;
  risk_id: string | null;
  action: string;
  owner: string;
  due_date: string;
  done_at: Timestamp | null;
  done_by: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
}

// Governance records (issue 4, migrations/20261129000200_governance.sql). DATE columns are
// 'YYYY-MM-DD' strings; jsonb documents are validated by src/domain/governance.ts.
export interface ProcessorsTable {
  campaign_id: string;
  processor_id: string;
  name: string;
  service: Generated<string>;
  contract_reference: string | null;
  contract_date: string | null;
  art28_terms: Json;
  hosting: Json;
  sub_processors: Json;
  segregation: string | null;
  service_improvement: Generated<string>;
  service_improvement_note: string | null;
  notes: Generated<string>;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  archived_at: Timestamp | null;
}

export interface JointControllerArrangementsTable {
  campaign_id: string;
  arrangement_id: string;
  platform: string;
  platform_name: string;
  scope: string;
  preset_version: string | null;
  terms_reference: string | null;
  responsibilities: Json;
  essence: Generated<string>;
  eligibility_confirmation: string | null;
  review_due_on: string | null;
  last_reviewed_on: string | null;
  notes: Generated<string>;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  archived_at: Timestamp | null;
}

export interface ProcessingActivitiesTable {
  campaign_id: string;
  activity_id: string;
  name: string;
  description: Generated<string>;
  status: Generated<string>;
  purposes: Json;
  lawful_basis: string | null;
  lawful_basis_note: string | null;
  legitimate_interests_assessment: Json | null;
  data_categories: Json;
  special_categories: Json;
  appropriate_policy_document: string | null;
  data_subjects: Json;
  other_sources: Generated<string>;
  recipients: Json;
  retention: string | null;
  transfers: Json | null;
  security_measures: string | null;
  capabilities: Json;
  dpia_id: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  activated_at: Timestamp | null;
  retired_at: Timestamp | null;
}

export interface ProcessingActivitySourcesTable {
  campaign_id: string;
  activity_id: string;
  source_id: string;
}

export interface ProcessingActivityProcessorsTable {
  campaign_id: string;
  activity_id: string;
  processor_id: string;
}

export interface ProcessingActivityArrangementsTable {
  campaign_id: string;
  activity_id: string;
  arrangement_id: string;
}

// Privacy notice (issue 4, migrations/20261129000400_privacy_notice.sql).
export interface PrivacyNoticeSettingsTable {
  campaign_id: string;
  objection_url: string | null;
  privacy_email: string | null;
  complaint_url: string | null;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

export interface PrivacyNoticeTranslationsTable {
  campaign_id: string;
  language: string;
  section_id: string;
  heading: string;
  body: string;
  source_sha256: string;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

export interface PrivacyNoticeVersionsTable {
  campaign_id: string;
  version: number;
  language: string;
  document: Json;
  text_sha256: string;
  published_at: Timestamp;
  published_by: string | null;
}

export interface PrivacyNoticeDeliveriesTable {
  campaign_id: string;
  delivery_id: string;
  person_id: string;
  version: number;
  language: string;
  method: string;
  delivered_at: Timestamp;
  recorded_at: DefaultTimestamp;
  recorded_by: Json;
  note: string | null;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  setup_tokens: SetupTokensTable;
  campaigns: CampaignsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  audit_events: AuditEventsTable;
  job_runs: JobRunsTable;
  campaign_keys: CampaignKeysTable;
  sources: SourcesTable;
  imports: ImportsTable;
  import_uploads: ImportUploadsTable;
  import_report_chunks: ImportReportChunksTable;
  provenance: ProvenanceTable;
  attribute_definitions: AttributeDefinitionsTable;
  people: PeopleTable;
  person_identifiers: PersonIdentifiersTable;
  person_sources: PersonSourcesTable;
  tags: TagsTable;
  person_tags: PersonTagsTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  consent_wordings: ConsentWordingsTable;
  consent_records: ConsentRecordsTable;
  consent_state: ConsentStateTable;
  objections: ObjectionsTable;
  suppressions: SuppressionsTable;
  erasures: ErasuresTable;
  dpias: DpiasTable;
  dpia_versions: DpiaVersionsTable;
  dpia_actions: DpiaActionsTable;
  processors: ProcessorsTable;
  joint_controller_arrangements: JointControllerArrangementsTable;
  processing_activities: ProcessingActivitiesTable;
  processing_activity_sources: ProcessingActivitySourcesTable;
  processing_activity_processors: ProcessingActivityProcessorsTable;
  processing_activity_arrangements: ProcessingActivityArrangementsTable;
  privacy_notice_settings: PrivacyNoticeSettingsTable;
  privacy_notice_translations: PrivacyNoticeTranslationsTable;
  privacy_notice_versions: PrivacyNoticeVersionsTable;
  privacy_notice_deliveries: PrivacyNoticeDeliveriesTable;
}

export type UserRow = Selectable<UsersTable>;
export type CampaignRow = Selectable<CampaignsTable>;
export type NewCampaignRow = Insertable<CampaignsTable>;
export type CampaignUpdate = Updateable<CampaignsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type JobRunRow = Selectable<JobRunsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SourceRow = Selectable<SourcesTable>;
export type ImportRow = Selectable<ImportsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type ProvenanceRow = Selectable<ProvenanceTable>;
export type ConsentRecordRow = Selectable<ConsentRecordsTable>;
export type ObjectionRow = Selectable<ObjectionsTable>;
export type AttributeDefinitionRow = Selectable<AttributeDefinitionsTable>;
