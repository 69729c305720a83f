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
