-- Foundation: campaigns as isolated tenants, staff accounts, audit trail, job records.
--
-- Conventions every later migration follows:
--  * A tenant table carries campaign_id as the leading column of its primary key (and of
--    every unique constraint), so the schema can be distributed by campaign on Citus.
--  * A tenant table has row-level security ENABLED and FORCED with a policy on
--    canvass_current_campaign(); test/isolation.test.ts enumerates tables from the catalog
--    and fails for any table with a campaign_id column that lacks it.
--  * The application runs every transaction as the role canvass_app, which owns nothing.
--  * SQL here must run on PostgreSQL 15 (servers) and PGlite (PostgreSQL 18, embedded).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'canvass_app') THEN
    CREATE ROLE canvass_app NOLOGIN;
  END IF;
END
$$;

CREATE FUNCTION canvass_current_campaign() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.campaign_id', true), '')::uuid $$;

CREATE FUNCTION canvass_current_user() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

-- ---------------------------------------------------------------------------------------
-- Installation-wide tables (not campaign data): staff identities and their credentials.
-- ---------------------------------------------------------------------------------------

CREATE TABLE users (
  user_id            uuid PRIMARY KEY,
  email              text NOT NULL,
  display_name       text NOT NULL,
  password_hash      text,
  failed_login_count integer NOT NULL DEFAULT 0,
  locked_until       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  disabled_at        timestamptz,
  CONSTRAINT users_email_lower CHECK (email = lower(email))
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  token_id      uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  token_prefix  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- The one-time setup link printed by `npm start` on an empty installation.
CREATE TABLE setup_tokens (
  token_hash  text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

-- ---------------------------------------------------------------------------------------
-- Tenant tables: campaign_id leads every key; row-level security draws the boundary.
-- ---------------------------------------------------------------------------------------

CREATE TABLE campaigns (
  campaign_id              uuid PRIMARY KEY,
  name                     text NOT NULL,
  controller_type          text NOT NULL CHECK (controller_type IN (
                             'registered_party', 'candidate', 'non_party_campaigner',
                             'referendum_campaigner', 'elected_representative', 'other')),
  postal_address           text NOT NULL,
  ico_registration_number  text,
  dpo_name                 text,
  dpo_email                text,
  dpo_phone                text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  -- The head of the audit hash chain, updated in the same transaction as each event, so
  -- that deleting the newest events is detectable.
  audit_head_seq           bigint NOT NULL DEFAULT 0,
  audit_head_hash          text NOT NULL DEFAULT repeat('0', 64)
);

CREATE TABLE memberships (
  campaign_id  uuid NOT NULL REFERENCES campaigns (campaign_id),
  user_id      uuid NOT NULL REFERENCES users (user_id),
  role         text NOT NULL CHECK (role IN ('owner', 'data_manager', 'organiser', 'volunteer', 'dpo')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE invitations (
  campaign_id    uuid NOT NULL REFERENCES campaigns (campaign_id),
  invitation_id  uuid NOT NULL,
  email          text NOT NULL CHECK (email = lower(email)),
  role           text NOT NULL CHECK (role IN ('owner', 'data_manager', 'organiser', 'volunteer', 'dpo')),
  token_hash     text NOT NULL,
  invited_by     uuid NOT NULL REFERENCES users (user_id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  accepted_at    timestamptz,
  accepted_by    uuid REFERENCES users (user_id),
  revoked_at     timestamptz,
  PRIMARY KEY (campaign_id, invitation_id)
);

CREATE TABLE audit_events (
  campaign_id  uuid NOT NULL REFERENCES campaigns (campaign_id),
  seq          bigint NOT NULL CHECK (seq > 0),
  event_id     uuid NOT NULL,
  occurred_at  timestamptz NOT NULL,
  actor_type   text NOT NULL CHECK (actor_type IN ('user', 'api_token', 'system', 'public')),
  actor_id     text,
  type         text NOT NULL,
  payload      jsonb NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL,
  PRIMARY KEY (campaign_id, seq)
);
CREATE INDEX audit_events_type_idx ON audit_events (campaign_id, type, seq);

-- Durable job records: the queue itself lives in pg-boss's schema; this table is the
-- campaign-visible record of each job (progress, checkpoint for resume, cancellation).
CREATE TABLE job_runs (
  campaign_id          uuid NOT NULL REFERENCES campaigns (campaign_id),
  job_id               uuid NOT NULL,
  name                 text NOT NULL,
  version              integer NOT NULL,
  status               text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  payload              jsonb NOT NULL,
  progress_done        bigint NOT NULL DEFAULT 0,
  progress_total       bigint,
  checkpoint           jsonb,
  result               jsonb,
  error_code           text,
  error_message        text,
  attempts             integer NOT NULL DEFAULT 0,
  cancel_requested_at  timestamptz,
  created_by           uuid,
  created_at           timestamptz NOT NULL DEFAULT now(),
  started_at           timestamptz,
  heartbeat_at         timestamptz,
  finished_at          timestamptz,
  PRIMARY KEY (campaign_id, job_id)
);
CREATE INDEX job_runs_status_idx ON job_runs (campaign_id, status, created_at);

-- ---------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------

ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns FORCE ROW LEVEL SECURITY;
CREATE POLICY campaigns_tenant ON campaigns
  USING (campaign_id = canvass_current_campaign())
  WITH CHECK (campaign_id = canvass_current_campaign());
-- A signed-in user may list the campaigns they belong to (the campaign switcher).
CREATE POLICY campaigns_member_read ON campaigns FOR SELECT
  USING (campaign_id IN (SELECT m.campaign_id FROM memberships m WHERE m.user_id = canvass_current_user()));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_tenant ON memberships
  USING (campaign_id = canvass_current_campaign())
  WITH CHECK (campaign_id = canvass_current_campaign());
CREATE POLICY memberships_own_read ON memberships FOR SELECT
  USING (user_id = canvass_current_user());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations
  USING (campaign_id = canvass_current_campaign())
  WITH CHECK (campaign_id = canvass_current_campaign());

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_events_tenant ON audit_events
  USING (campaign_id = canvass_current_campaign())
  WITH CHECK (campaign_id = canvass_current_campaign());

ALTER TABLE job_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY job_runs_tenant ON job_runs
  USING (campaign_id = canvass_current_campaign())
  WITH CHECK (campaign_id = canvass_current_campaign());

-- ---------------------------------------------------------------------------------------
-- Privileges: the application role owns nothing and gets only what it needs.
-- The audit trail is append-only for the application.
-- ---------------------------------------------------------------------------------------

REVOKE ALL ON users, sessions, api_tokens, setup_tokens, campaigns, memberships, invitations,
  audit_events, job_runs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, api_tokens, setup_tokens TO canvass_app;
GRANT SELECT, INSERT, UPDATE ON campaigns TO canvass_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, invitations, job_runs TO canvass_app;
GRANT SELECT, INSERT ON audit_events TO canvass_app;
GRANT EXECUTE ON FUNCTION canvass_current_campaign(), canvass_current_user() TO canvass_app;
-- Lets a server started with the application role tell whether migrations are pending.
GRANT SELECT ON schema_migrations TO canvass_app;
