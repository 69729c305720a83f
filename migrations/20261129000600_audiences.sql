-- Social-media audiences (issue 5, items 1, 2, 4, 5): saved segments, audiences built from them
-- for a platform and a processing activity, the exports written for them (with the manifest and
-- the people in each), the uploads that make an audience live, and the removals owed to the
-- platform when someone in a live audience objects, withdraws consent or is erased.
--
-- Conventions of the foundation migration: campaign_id leads every key, row-level security is
-- enabled and forced on every table, the application role owns nothing.
--
-- Evidence is append-only for the application:
--  * audience_exports: the manifest, who, when, the rule decisions. Only files_deleted_at may be
--    set, once, when the expiry sweep deletes the files (the manifest stays); a trigger refuses
--    any other change, and there is no DELETE grant.
--  * audience_export_members: who was in each export, by person id only — never an identifier
--    or a hash. Kept after erasure (the id then points at nothing), so the export's make-up
--    stays provable.
--  * audience_uploads: that staff uploaded an export's files to the platform.
--  * audience_removals: a removal is pending until a removal export carries it and staff
--    confirm its upload; only those three columns ever change (trigger). The hashed
--    identifiers are computed when the removal is created — before an erasure deletes the
--    person — by the platform's normalization rules: hashes only, never a plain identifier.
--  * explicit_consent_wordings: the consent wordings the DPO marked as an express statement
--    covering special category data (UK GDPR Art 9(2)(a)); SCD-TARGETING-EXPLICIT-CONSENT reads it.

CREATE TABLE audience_settings (
  campaign_id        uuid PRIMARY KEY REFERENCES campaigns (campaign_id),
  -- Days after which an export's files are deleted (the manifest stays).
  file_expiry_days   integer NOT NULL DEFAULT 7 CHECK (file_expiry_days BETWEEN 1 AND 90),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         uuid REFERENCES users (user_id)
);

CREATE TABLE audience_segments (
  campaign_id  uuid NOT NULL REFERENCES campaigns (campaign_id),
  segment_id   uuid NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- src/domain/audiences/segment.ts (segmentDefinitionSchema): tags, lists, sources,
  -- attributes, consent state.
  definition   jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   uuid REFERENCES users (user_id),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, segment_id)
);
CREATE UNIQUE INDEX audience_segments_name_key ON audience_segments (campaign_id, lower(name));

CREATE TABLE audiences (
  campaign_id          uuid NOT NULL REFERENCES campaigns (campaign_id),
  audience_id          uuid NOT NULL,
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  platform             text NOT NULL CHECK (platform IN ('meta', 'google', 'x', 'snap', 'linkedin', 'tiktok')),
  kind                 text NOT NULL CHECK (kind IN ('list', 'lookalike_seed')),
  -- The purpose, as recorded in the record of processing (Art 30).
  activity_id          uuid NOT NULL,
  segment_id           uuid NOT NULL,
  -- The consent ledger's purpose whose consents this audience relies on (LB-CONSENT-EVIDENCE).
  consent_purpose      text NOT NULL CHECK (consent_purpose ~ '^[a-z0-9][a-z0-9_]{0,62}$'),
  -- The adverts are UK election adverts (ONL-PLATFORM-ELIGIBILITY: Google customer lists).
  election_ads         boolean NOT NULL DEFAULT true,
  -- People never given a notice that explains list matching (TR-LIST-MATCHING-DISCLOSED):
  -- left out of the file, or the whole audience refused.
  uninformed           text NOT NULL CHECK (uninformed IN ('exclude', 'refuse')),
  -- The fields exported ('[]': the platform's default fields).
  fields               jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(fields) = 'array'),
  -- Overrides the campaign's file expiry for this audience's exports.
  file_expiry_days     integer CHECK (file_expiry_days BETWEEN 1 AND 90),
  status               text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'retired')),
  -- A lookalike seed may be built from a list audience: removals from it flag the seed.
  seed_audience_id     uuid,
  needs_rebuild        boolean NOT NULL DEFAULT false,
  needs_rebuild_reason text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           uuid REFERENCES users (user_id),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  live_at              timestamptz,
  retired_at           timestamptz,
  PRIMARY KEY (campaign_id, audience_id),
  FOREIGN KEY (campaign_id, activity_id) REFERENCES processing_activities (campaign_id, activity_id),
  FOREIGN KEY (campaign_id, segment_id) REFERENCES audience_segments (campaign_id, segment_id),
  FOREIGN KEY (campaign_id, seed_audience_id) REFERENCES audiences (campaign_id, audience_id),
  CHECK (seed_audience_id IS NULL OR kind = 'lookalike_seed'),
  CHECK (status <> 'live' OR live_at IS NOT NULL),
  CHECK ((status = 'retired') = (retired_at IS NOT NULL))
);
CREATE UNIQUE INDEX audiences_name_key ON audiences (campaign_id, lower(name));
CREATE INDEX audiences_seed_idx ON audiences (campaign_id, seed_audience_id) WHERE seed_audience_id IS NOT NULL;

CREATE TABLE audience_exports (
  campaign_id      uuid NOT NULL REFERENCES campaigns (campaign_id),
  export_id        uuid NOT NULL,
  audience_id      uuid NOT NULL,
  operation        text NOT NULL CHECK (operation IN ('add', 'remove')),
  platform         text NOT NULL,
  -- The manifest as written beside the files (src/audiences/audience-file-writer.ts).
  manifest         jsonb NOT NULL CHECK (jsonb_typeof(manifest) = 'object'),
  output_dir       text NOT NULL,
  -- The data files' names (inside output_dir); manifest.json is not among them.
  files            jsonb NOT NULL CHECK (jsonb_typeof(files) = 'array'),
  people_count     integer NOT NULL CHECK (people_count >= 0),
  rows_written     integer NOT NULL CHECK (rows_written >= 0),
  -- The rules.decided audit event of the lawful gate (null: a plain allow, not recorded).
  decision_seq     bigint,
  created_by       uuid REFERENCES users (user_id),
  created_by_actor jsonb NOT NULL,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  files_deleted_at timestamptz,
  PRIMARY KEY (campaign_id, export_id),
  FOREIGN KEY (campaign_id, audience_id) REFERENCES audiences (campaign_id, audience_id),
  CHECK (expires_at > created_at)
);
CREATE INDEX audience_exports_audience_idx ON audience_exports (campaign_id, audience_id, created_at);
CREATE INDEX audience_exports_expiry_idx ON audience_exports (campaign_id, expires_at) WHERE files_deleted_at IS NULL;

CREATE FUNCTION canvass_audience_export_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audience export % is evidence: it is never deleted', OLD.export_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.files_deleted_at IS NOT NULL OR NEW.files_deleted_at IS NULL
     OR (to_jsonb(NEW) - 'files_deleted_at') IS DISTINCT FROM (to_jsonb(OLD) - 'files_deleted_at') THEN
    RAISE EXCEPTION 'audience export % is evidence: only the deletion of its files may be recorded, once', OLD.export_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER audience_exports_guard BEFORE UPDATE OR DELETE ON audience_exports
  FOR EACH ROW EXECUTE FUNCTION canvass_audience_export_guard();

-- Who was in an export: the person id only.
CREATE TABLE audience_export_members (
  campaign_id  uuid NOT NULL,
  export_id    uuid NOT NULL,
  person_id    uuid NOT NULL,
  PRIMARY KEY (campaign_id, export_id, person_id),
  -- Deferred: the members are written as the file is streamed, the export row (with the
  -- manifest) once the files exist — all in one transaction, checked at commit.
  FOREIGN KEY (campaign_id, export_id) REFERENCES audience_exports (campaign_id, export_id)
    DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX audience_export_members_person_idx ON audience_export_members (campaign_id, person_id);

CREATE TABLE audience_uploads (
  campaign_id   uuid NOT NULL,
  upload_id     uuid NOT NULL,
  export_id     uuid NOT NULL,
  audience_id   uuid NOT NULL,
  uploaded_at   timestamptz NOT NULL,
  note          text CHECK (note IS NULL OR length(note) <= 2000),
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  recorded_by   jsonb NOT NULL,
  PRIMARY KEY (campaign_id, upload_id),
  FOREIGN KEY (campaign_id, export_id) REFERENCES audience_exports (campaign_id, export_id),
  FOREIGN KEY (campaign_id, audience_id) REFERENCES audiences (campaign_id, audience_id)
);
CREATE UNIQUE INDEX audience_uploads_export_key ON audience_uploads (campaign_id, export_id);

CREATE TABLE audience_removals (
  campaign_id         uuid NOT NULL,
  removal_id          uuid NOT NULL,
  audience_id         uuid NOT NULL,
  -- The add export the person was uploaded in (the newest one holding them).
  export_id           uuid NOT NULL,
  -- No foreign key to people: the removal outlives the person's erasure.
  person_id           uuid NOT NULL,
  reason              text NOT NULL CHECK (reason IN ('objection', 'consent_withdrawn', 'erased')),
  -- {"email": ["<sha256>", …], "phone": […], "first_name": […], …}: the platform's normalization, hashed.
  hashed_identifiers  jsonb NOT NULL CHECK (jsonb_typeof(hashed_identifiers) = 'object'),
  normalization_rules_version text NOT NULL,
  created_at          timestamptz NOT NULL,
  created_by          jsonb NOT NULL,
  removal_export_id   uuid,
  confirmed_at        timestamptz,
  confirmed_by        jsonb,
  PRIMARY KEY (campaign_id, removal_id),
  FOREIGN KEY (campaign_id, audience_id) REFERENCES audiences (campaign_id, audience_id),
  FOREIGN KEY (campaign_id, export_id) REFERENCES audience_exports (campaign_id, export_id),
  FOREIGN KEY (campaign_id, removal_export_id) REFERENCES audience_exports (campaign_id, export_id),
  CHECK (confirmed_at IS NULL OR removal_export_id IS NOT NULL),
  CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL))
);
-- One open removal per person and audience.
CREATE UNIQUE INDEX audience_removals_open_key ON audience_removals (campaign_id, audience_id, person_id)
  WHERE confirmed_at IS NULL;
CREATE INDEX audience_removals_pending_idx ON audience_removals (campaign_id, audience_id) WHERE confirmed_at IS NULL;

CREATE FUNCTION canvass_audience_removal_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audience removal % is evidence: it is never deleted', OLD.removal_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.confirmed_at IS NOT NULL
     OR (to_jsonb(NEW) - 'removal_export_id' - 'confirmed_at' - 'confirmed_by')
        IS DISTINCT FROM (to_jsonb(OLD) - 'removal_export_id' - 'confirmed_at' - 'confirmed_by') THEN
    RAISE EXCEPTION 'audience removal % is evidence: only its removal file and the confirmation of its upload may be recorded', OLD.removal_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER audience_removals_guard BEFORE UPDATE OR DELETE ON audience_removals
  FOR EACH ROW EXECUTE FUNCTION canvass_audience_removal_guard();

CREATE TABLE explicit_consent_wordings (
  campaign_id    uuid NOT NULL,
  wording_hash   text NOT NULL,
  note           text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  recorded_by    jsonb NOT NULL,
  PRIMARY KEY (campaign_id, wording_hash),
  FOREIGN KEY (campaign_id, wording_hash) REFERENCES consent_wordings (campaign_id, wording_hash)
);

-- ---------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['audience_settings', 'audience_segments', 'audiences', 'audience_exports',
    'audience_export_members', 'audience_uploads', 'audience_removals', 'explicit_consent_wordings']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (campaign_id = canvass_current_campaign()) '
      'WITH CHECK (campaign_id = canvass_current_campaign())', t || '_tenant', t);
    EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
  END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------
-- Privileges. Segments, audiences and settings are edited; the rest is evidence.
-- ---------------------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE ON audience_settings, audience_segments, audiences TO canvass_app;
-- UPDATE only as far as the guards allow (files_deleted_at; a removal's file and confirmation).
GRANT SELECT, INSERT, UPDATE ON audience_exports, audience_removals TO canvass_app;
GRANT SELECT, INSERT ON audience_export_members, audience_uploads, explicit_consent_wordings TO canvass_app;
GRANT EXECUTE ON FUNCTION canvass_audience_export_guard(), canvass_audience_removal_guard() TO canvass_app;
