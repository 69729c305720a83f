-- People database (issue 3): people and their identifiers, every value with its provenance,
-- sources with their duties, tags and lists, the consent ledger, objections kept as
-- suppression entries that survive erasure, and imports with their reports.
--
-- Follows the conventions of the foundation migration: campaign_id leads every key, row-level
-- security is enabled and forced on every tenant table, the application role owns nothing.
--
-- Storage choices, made for a million-person campaign imported in one go:
--  * A person is one row. Its primary email and phone sit on the row (unique per campaign,
--    indexed for matching); further identifiers go to person_identifiers. Every value the
--    campaign holds about the person — names, address lines, identifiers, attributes — is an
--    element of people.facts: {"f": field, "v": value, "p": provenance_id, "c": special
--    category class or absent}. Provenance (source, kind, lawful basis, when collected, who
--    recorded it) is a row of its own that many values share.
--  * The consent ledger and the objections are append-only for the application. Erasure goes
--    through canvass_erase_person(), which deletes the person's rows and ledger entries but
--    never the suppression entries.

-- Per-campaign secret for the keyed hashes (HMAC-SHA-256) of suppression entries.
CREATE TABLE campaign_keys (
  campaign_id      uuid PRIMARY KEY REFERENCES campaigns (campaign_id),
  suppression_key  bytea NOT NULL CHECK (octet_length(suppression_key) = 32),
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sources (
  campaign_id               uuid NOT NULL REFERENCES campaigns (campaign_id),
  source_id                 uuid NOT NULL,
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type                      text NOT NULL CHECK (type IN (
                              'web_form', 'canvass', 'petition', 'event', 'survey', 'casework',
                              'manual_entry', 'file_import', 'full_register', 'open_register',
                              'marked_register', 'data_broker', 'social_media', 'public_data',
                              'scraped_data')),
  description               text NOT NULL DEFAULT '',
  -- What the data was originally collected for (PURP-COMPATIBLE-REUSE).
  collection_purpose        text NOT NULL DEFAULT '',
  lawful_basis              text CHECK (lawful_basis IN (
                              'consent', 'contract', 'legal_obligation', 'vital_interests',
                              'public_task', 'legitimate_interests')),
  lawful_basis_note         text,
  art9_condition            text,
  -- Third-party sources: the due-diligence record (TP-BROKER-DUE-DILIGENCE).
  due_diligence             jsonb,
  -- How and when people from this source get the Art 14 notice (TR-ART14-ONE-MONTH).
  art14_plan                text,
  -- Reuse of petition, survey or casework data for campaigning (PURP-COMPATIBLE-REUSE).
  compatibility_assessment  text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  created_by                uuid REFERENCES users (user_id),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  archived_at               timestamptz,
  PRIMARY KEY (campaign_id, source_id)
);
CREATE UNIQUE INDEX sources_name_key ON sources (campaign_id, lower(name));

CREATE TABLE imports (
  campaign_id    uuid NOT NULL REFERENCES campaigns (campaign_id),
  import_id      uuid NOT NULL,
  source_id      uuid NOT NULL,
  job_id         uuid,
  file_name      text NOT NULL,
  file_bytes     bigint NOT NULL,
  file_sha256    text NOT NULL,
  -- Where the bytes are read from: 'upload' (import_uploads, deleted when the import ends)
  -- or 'path' (a file on the server, for the CLI; its SHA-256 is checked on resume).
  file_storage   text NOT NULL CHECK (file_storage IN ('upload', 'path')),
  file_path      text,
  mapping        jsonb NOT NULL,
  options        jsonb NOT NULL DEFAULT '{}',
  status         text NOT NULL CHECK (status IN ('uploaded', 'refused', 'queued', 'running', 'completed', 'failed', 'cancelled')),
  decisions      jsonb NOT NULL DEFAULT '[]',
  summary        jsonb,
  created_by     uuid REFERENCES users (user_id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz,
  PRIMARY KEY (campaign_id, import_id),
  FOREIGN KEY (campaign_id, source_id) REFERENCES sources (campaign_id, source_id)
);
CREATE INDEX imports_created_idx ON imports (campaign_id, created_at);

-- An uploaded file's bytes, in order, until its import ends.
CREATE TABLE import_uploads (
  campaign_id  uuid NOT NULL,
  import_id    uuid NOT NULL,
  seq          integer NOT NULL CHECK (seq >= 0),
  data         bytea NOT NULL,
  PRIMARY KEY (campaign_id, import_id, seq),
  FOREIGN KEY (campaign_id, import_id) REFERENCES imports (campaign_id, import_id) ON DELETE CASCADE
);

-- The import report, one chunk of CSV lines per committed batch: written in the same
-- transaction as the batch's data, so the report and the database always agree.
CREATE TABLE import_report_chunks (
  campaign_id   uuid NOT NULL,
  import_id     uuid NOT NULL,
  seq           integer NOT NULL CHECK (seq >= 0),
  first_record  bigint NOT NULL,
  record_count  integer NOT NULL,
  lines         text NOT NULL,
  PRIMARY KEY (campaign_id, import_id, seq),
  FOREIGN KEY (campaign_id, import_id) REFERENCES imports (campaign_id, import_id) ON DELETE CASCADE
);

-- Where values came from. Many values share one row (an import writes one per kind).
CREATE TABLE provenance (
  campaign_id    uuid NOT NULL REFERENCES campaigns (campaign_id),
  provenance_id  bigint GENERATED ALWAYS AS IDENTITY,
  source_id      uuid NOT NULL,
  import_id      uuid,
  kind           text NOT NULL CHECK (kind IN ('provided', 'observed', 'inferred')),
  lawful_basis   text,
  collected_at   timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  recorded_by    jsonb NOT NULL,
  PRIMARY KEY (campaign_id, provenance_id),
  FOREIGN KEY (campaign_id, source_id) REFERENCES sources (campaign_id, source_id)
);

-- What an attribute means: its special-category class (UK GDPR Art 9) and the kind of data.
CREATE TABLE attribute_definitions (
  campaign_id       uuid NOT NULL REFERENCES campaigns (campaign_id),
  name              text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_]{0,62}$'),
  label             text NOT NULL,
  special_category  text CHECK (special_category IN (
                      'racial_or_ethnic_origin', 'political_opinion', 'religious_or_philosophical_belief',
                      'trade_union_membership', 'genetic', 'biometric', 'health', 'sex_life',
                      'sexual_orientation')),
  kind              text NOT NULL CHECK (kind IN ('provided', 'observed', 'inferred')),
  -- 'import' when an import created it from the column name; the DPO can then correct it.
  defined_by        text NOT NULL CHECK (defined_by IN ('staff', 'import')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, name)
);

-- No foreign key to campaigns of its own: (campaign_id, first_source_id) references sources, whose rows
-- reference campaigns, and each foreign key is a trigger per inserted row of a million-row import.
CREATE TABLE people (
  campaign_id        uuid NOT NULL,
  person_id          uuid NOT NULL,
  first_name         text,
  last_name          text,
  email              text,
  phone              text,
  postcode           text,
  facts              jsonb NOT NULL DEFAULT '[]',
  first_source_id    uuid NOT NULL,
  created_import_id  uuid,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  objected_at        timestamptz,
  -- The Art 14 notice clock, for people whose data did not come from them.
  art14_due_at       timestamptz,
  art14_notified_at  timestamptz,
  -- Lower-cased names for prefix search. Stored (not an expression index) because row-level
  -- security lets only leakproof conditions reach an index, and lower() is not leakproof:
  -- search compares these columns with the leakproof text_pattern operators.
  last_name_key      text GENERATED ALWAYS AS (lower(last_name)) STORED,
  first_name_key     text GENERATED ALWAYS AS (lower(first_name)) STORED,
  PRIMARY KEY (campaign_id, person_id),
  FOREIGN KEY (campaign_id, first_source_id) REFERENCES sources (campaign_id, source_id)
);
CREATE UNIQUE INDEX people_email_key ON people (campaign_id, email text_pattern_ops) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX people_phone_key ON people (campaign_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX people_name_idx ON people (campaign_id, last_name_key text_pattern_ops, first_name_key text_pattern_ops);
CREATE INDEX people_postcode_idx ON people (campaign_id, postcode text_pattern_ops);
CREATE INDEX people_source_idx ON people (campaign_id, first_source_id);
CREATE INDEX people_objected_idx ON people (campaign_id, objected_at) WHERE objected_at IS NOT NULL;
CREATE INDEX people_art14_idx ON people (campaign_id, art14_due_at)
  WHERE art14_due_at IS NOT NULL AND art14_notified_at IS NULL;

-- Identifiers beyond the primary email and phone. An identifier belongs to one person.
CREATE TABLE person_identifiers (
  campaign_id    uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('email', 'phone')),
  value          text NOT NULL,
  person_id      uuid NOT NULL,
  provenance_id  bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, kind, value),
  FOREIGN KEY (campaign_id, person_id) REFERENCES people (campaign_id, person_id) ON DELETE CASCADE
);
CREATE INDEX person_identifiers_person_idx ON person_identifiers (campaign_id, person_id);

-- Sources a person came from besides people.first_source_id.
CREATE TABLE person_sources (
  campaign_id      uuid NOT NULL,
  source_id        uuid NOT NULL,
  person_id        uuid NOT NULL,
  first_import_id  uuid,
  added_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, source_id, person_id),
  FOREIGN KEY (campaign_id, person_id) REFERENCES people (campaign_id, person_id) ON DELETE CASCADE
);
CREATE INDEX person_sources_person_idx ON person_sources (campaign_id, person_id);

CREATE TABLE tags (
  campaign_id  uuid NOT NULL REFERENCES campaigns (campaign_id),
  tag_id       uuid NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, tag_id)
);
CREATE UNIQUE INDEX tags_name_key ON tags (campaign_id, lower(name));

CREATE TABLE person_tags (
  campaign_id    uuid NOT NULL,
  tag_id         uuid NOT NULL,
  person_id      uuid NOT NULL,
  provenance_id  bigint,
  added_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, tag_id, person_id),
  FOREIGN KEY (campaign_id, tag_id) REFERENCES tags (campaign_id, tag_id) ON DELETE CASCADE,
  FOREIGN KEY (campaign_id, person_id) REFERENCES people (campaign_id, person_id) ON DELETE CASCADE
);
CREATE INDEX person_tags_person_idx ON person_tags (campaign_id, person_id);

CREATE TABLE lists (
  campaign_id  uuid NOT NULL REFERENCES campaigns (campaign_id),
  list_id      uuid NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description  text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, list_id)
);
CREATE UNIQUE INDEX lists_name_key ON lists (campaign_id, lower(name));

CREATE TABLE list_members (
  campaign_id    uuid NOT NULL,
  list_id        uuid NOT NULL,
  person_id      uuid NOT NULL,
  provenance_id  bigint,
  added_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, list_id, person_id),
  FOREIGN KEY (campaign_id, list_id) REFERENCES lists (campaign_id, list_id) ON DELETE CASCADE,
  FOREIGN KEY (campaign_id, person_id) REFERENCES people (campaign_id, person_id) ON DELETE CASCADE
);
CREATE INDEX list_members_person_idx ON list_members (campaign_id, person_id);

-- ---------------------------------------------------------------------------------------
-- Consent ledger: append-only. consent_state is derived from it by a trigger, so the
-- current state can never disagree with the history.
-- ---------------------------------------------------------------------------------------

CREATE TABLE consent_wordings (
  campaign_id   uuid NOT NULL REFERENCES campaigns (campaign_id),
  wording_hash  text NOT NULL CHECK (wording_hash ~ '^[0-9a-f]{64}$'),
  text          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, wording_hash)
);

CREATE TABLE consent_records (
  campaign_id      uuid NOT NULL,
  record_id        uuid NOT NULL,
  person_id        uuid NOT NULL,
  purpose          text NOT NULL CHECK (purpose ~ '^[a-z0-9][a-z0-9_]{0,62}$'),
  channel          text NOT NULL CHECK (channel IN (
                     'email', 'sms', 'phone', 'post', 'social_list_matching', 'lookalike_seeding',
                     'profiling')),
  action           text NOT NULL CHECK (action IN ('granted', 'withdrawn')),
  method           text NOT NULL,
  wording_hash     text,
  wording_version  text,
  occurred_at      timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  recorded_by      jsonb NOT NULL,
  source_id        uuid,
  import_id        uuid,
  note             text,
  PRIMARY KEY (campaign_id, record_id),
  FOREIGN KEY (campaign_id, person_id) REFERENCES people (campaign_id, person_id),
  FOREIGN KEY (campaign_id, wording_hash) REFERENCES consent_wordings (campaign_id, wording_hash),
  CONSTRAINT consent_granted_has_wording CHECK (action = 'withdrawn' OR wording_hash IS NOT NULL)
);
CREATE INDEX consent_records_person_idx ON consent_records (campaign_id, person_id, occurred_at);

CREATE TABLE consent_state (
  campaign_id  uuid NOT NULL,
  person_id    uuid NOT NULL,
  purpose      text NOT NULL,
  channel      text NOT NULL,
  granted      boolean NOT NULL,
  record_id    uuid NOT NULL,
  occurred_at  timestamptz NOT NULL,
  PRIMARY KEY (campaign_id, person_id, purpose, channel),
  FOREIGN KEY (campaign_id, person_id) REFERENCES people (campaign_id, person_id)
);
CREATE INDEX consent_state_channel_idx ON consent_state (campaign_id, channel, granted, person_id);

CREATE FUNCTION canvass_consent_state_apply() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO consent_state (campaign_id, person_id, purpose, channel, granted, record_id, occurred_at)
  VALUES (NEW.campaign_id, NEW.person_id, NEW.purpose, NEW.channel, NEW.action = 'granted', NEW.record_id,
          NEW.occurred_at)
  ON CONFLICT (campaign_id, person_id, purpose, channel) DO UPDATE
    SET granted = EXCLUDED.granted, record_id = EXCLUDED.record_id, occurred_at = EXCLUDED.occurred_at
    WHERE consent_state.occurred_at <= EXCLUDED.occurred_at;
  RETURN NULL;
END
$$;
CREATE TRIGGER consent_records_state AFTER INSERT ON consent_records
  FOR EACH ROW EXECUTE FUNCTION canvass_consent_state_apply();

-- ---------------------------------------------------------------------------------------
-- Objections and suppression (UK GDPR Art 21(2)-(3)): never deleted, survive erasure.
-- ---------------------------------------------------------------------------------------

CREATE TABLE objections (
  campaign_id   uuid NOT NULL REFERENCES campaigns (campaign_id),
  objection_id  uuid NOT NULL,
  -- Cleared when the person is erased; the objection itself, and its suppression entries, stay.
  person_id     uuid,
  received_at   timestamptz NOT NULL,
  method        text NOT NULL,
  note          text,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  recorded_by   jsonb NOT NULL,
  PRIMARY KEY (campaign_id, objection_id)
);
CREATE INDEX objections_person_idx ON objections (campaign_id, person_id) WHERE person_id IS NOT NULL;

CREATE TABLE suppressions (
  campaign_id   uuid NOT NULL REFERENCES campaigns (campaign_id),
  kind          text NOT NULL CHECK (kind IN ('email', 'phone', 'name_postcode')),
  -- HMAC-SHA-256 (hex) of the normalized identifier under the campaign's suppression key.
  key_hash      text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  reason        text NOT NULL CHECK (reason IN ('objection', 'staff')),
  objection_id  uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    jsonb NOT NULL,
  PRIMARY KEY (campaign_id, kind, key_hash)
);

-- That an erasure happened, without the erased data (accountability, Art 5(2)).
CREATE TABLE erasures (
  campaign_id           uuid NOT NULL REFERENCES campaigns (campaign_id),
  erasure_id            uuid NOT NULL,
  person_id             uuid NOT NULL,
  erased_at             timestamptz NOT NULL,
  reason                text NOT NULL,
  recorded_by           jsonb NOT NULL,
  suppression_entries   integer NOT NULL,
  PRIMARY KEY (campaign_id, erasure_id)
);

-- Erasure removes a person's rows, their consent history and the link from their objections,
-- and keeps every suppression entry. SECURITY DEFINER because the application role may not
-- delete from the append-only ledgers; it acts only inside the transaction's campaign.
CREATE FUNCTION canvass_erase_person(p_person_id uuid) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
DECLARE
  c uuid := canvass_current_campaign();
  found_count integer;
BEGIN
  IF c IS NULL THEN
    RAISE EXCEPTION 'canvass_erase_person needs a campaign scope';
  END IF;
  DELETE FROM consent_state WHERE campaign_id = c AND person_id = p_person_id;
  DELETE FROM consent_records WHERE campaign_id = c AND person_id = p_person_id;
  UPDATE objections SET person_id = NULL, note = NULL WHERE campaign_id = c AND person_id = p_person_id;
  DELETE FROM people WHERE campaign_id = c AND person_id = p_person_id;
  GET DIAGNOSTICS found_count = ROW_COUNT;
  RETURN found_count > 0;
END
$$;

-- Planner statistics for the tables an import grows. Imports call it as the table grows, so
-- that lookups by identifier use the unique indexes even where autovacuum is off (PGlite has
-- none). SECURITY DEFINER because only a table's owner may ANALYZE it.
CREATE FUNCTION canvass_analyze_people() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
BEGIN
  ANALYZE people;
  ANALYZE person_identifiers;
END
$$;

-- ---------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['campaign_keys', 'sources', 'imports', 'import_uploads', 'import_report_chunks',
    'provenance', 'attribute_definitions', 'people', 'person_identifiers', 'person_sources', 'tags',
    'person_tags', 'lists', 'list_members', 'consent_wordings', 'consent_records', 'consent_state',
    'objections', 'suppressions', 'erasures']
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
-- Privileges. Ledgers, provenance, suppression entries and erasure records are append-only
-- for the application.
-- ---------------------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE, DELETE ON sources, imports, import_uploads, import_report_chunks,
  attribute_definitions, people, person_identifiers, person_sources, tags, person_tags, lists,
  list_members TO canvass_app;
GRANT SELECT, INSERT ON campaign_keys, provenance, consent_wordings, consent_records, objections,
  suppressions, erasures TO canvass_app;
-- consent_state is written only by the ledger's trigger, which runs as the application role.
GRANT SELECT, INSERT, UPDATE ON consent_state TO canvass_app;
GRANT USAGE ON SEQUENCE provenance_provenance_id_seq TO canvass_app;
REVOKE ALL ON FUNCTION canvass_erase_person(uuid), canvass_analyze_people() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION canvass_erase_person(uuid), canvass_consent_state_apply(), canvass_analyze_people() TO canvass_app;
