-- The privacy notice (issue 4): composed from the campaign's records, versioned, published at
-- a public address, in English and — where the campaign provides the Welsh text of every
-- section — in Welsh; and, per person, which version they were given, when and how.
--
--  * privacy_notice_settings: what the notice needs beyond the records: the campaign's
--    objection page (UK GDPR Art 21(4)), an inbox for privacy matters, a complaint form
--    (DPA 2018 s.164A).
--  * privacy_notice_translations: the campaign's Welsh text of each section, with the SHA-256
--    of the English section it translates, so a text made for older English is known stale.
--  * privacy_notice_versions: append-only. Version N of a campaign is one English notice and,
--    when published, its Welsh rendering; a published row never changes and is never deleted
--    (the trigger refuses it, whoever tries), because people were given it.
--  * privacy_notice_deliveries: which version each person was given, when and how. Append-only
--    for the application; erasure (canvass_erase_person deletes the person) removes a person's
--    deliveries through ON DELETE CASCADE.
--
-- Conventions of the foundation migration: campaign_id leads every key, row-level security is
-- enabled and forced, the application role owns nothing.

CREATE TABLE privacy_notice_settings (
  campaign_id    uuid PRIMARY KEY REFERENCES campaigns (campaign_id),
  objection_url  text CHECK (objection_url ~ '^https?://'),
  privacy_email  text CHECK (privacy_email = lower(privacy_email)),
  complaint_url  text CHECK (complaint_url ~ '^https?://'),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     uuid REFERENCES users (user_id)
);

CREATE TABLE privacy_notice_translations (
  campaign_id    uuid NOT NULL REFERENCES campaigns (campaign_id),
  language       text NOT NULL CHECK (language IN ('cy')),
  section_id     text NOT NULL CHECK (section_id ~ '^[a-z][a-z-]{0,62}$'),
  heading        text NOT NULL CHECK (length(heading) BETWEEN 1 AND 300),
  body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  -- SHA-256 (hex) of the canonical text of the English section this translates.
  source_sha256  text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     uuid REFERENCES users (user_id),
  PRIMARY KEY (campaign_id, language, section_id)
);

CREATE TABLE privacy_notice_versions (
  campaign_id   uuid NOT NULL REFERENCES campaigns (campaign_id),
  version       integer NOT NULL CHECK (version >= 1),
  language      text NOT NULL CHECK (language IN ('en', 'cy')),
  -- The composed notice (src/shared/privacy-notice.ts, NoticeDocument).
  document      jsonb NOT NULL CHECK (jsonb_typeof(document) = 'object'),
  -- SHA-256 (hex) of the notice's canonical text (src/domain/privacy-notice.ts).
  text_sha256   text NOT NULL CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
  published_at  timestamptz NOT NULL,
  published_by  uuid REFERENCES users (user_id),
  PRIMARY KEY (campaign_id, version, language)
);
CREATE INDEX privacy_notice_versions_current_idx ON privacy_notice_versions (campaign_id, language, version DESC);

CREATE FUNCTION canvass_privacy_notice_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'privacy notice version % (%) is published: it can never be changed or deleted; publish a new version',
    OLD.version, OLD.language USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER privacy_notice_versions_guard BEFORE UPDATE OR DELETE ON privacy_notice_versions
  FOR EACH ROW EXECUTE FUNCTION canvass_privacy_notice_version_guard();

CREATE TABLE privacy_notice_deliveries (
  campaign_id   uuid NOT NULL,
  delivery_id   uuid NOT NULL,
  person_id     uuid NOT NULL,
  version       integer NOT NULL,
  language      text NOT NULL,
  method        text NOT NULL CHECK (method IN ('web_form', 'email', 'letter', 'in_person', 'art14_letter')),
  delivered_at  timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  recorded_by   jsonb NOT NULL,
  note          text CHECK (note IS NULL OR length(note) <= 2000),
  PRIMARY KEY (campaign_id, delivery_id),
  -- Erasure deletes the person; their deliveries go with them.
  FOREIGN KEY (campaign_id, person_id) REFERENCES people (campaign_id, person_id) ON DELETE CASCADE,
  FOREIGN KEY (campaign_id, version, language) REFERENCES privacy_notice_versions (campaign_id, version, language)
);
CREATE INDEX privacy_notice_deliveries_person_idx ON privacy_notice_deliveries (campaign_id, person_id, delivered_at);
CREATE INDEX privacy_notice_deliveries_version_idx ON privacy_notice_deliveries (campaign_id, version, language);

-- ---------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['privacy_notice_settings', 'privacy_notice_translations', 'privacy_notice_versions',
    'privacy_notice_deliveries']
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
-- Privileges. Versions and deliveries are append-only for the application.
-- ---------------------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE ON privacy_notice_settings TO canvass_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON privacy_notice_translations TO canvass_app;
GRANT SELECT, INSERT ON privacy_notice_versions, privacy_notice_deliveries TO canvass_app;
GRANT EXECUTE ON FUNCTION canvass_privacy_notice_version_guard() TO canvass_app;
