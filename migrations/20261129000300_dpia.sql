-- Data protection impact assessments (issue 4, UK GDPR Art 35-36).
--
-- A DPIA has versions. Each version keeps the ICO's seven steps: the screening that found the
-- need (step 1, its facts and result), the description, consultation, necessity and
-- proportionality (steps 2-4, JSON validated by the application's schemas), the risks with
-- their measures and residual scores (steps 5-6), the sign-off (step 7) and, when a residual
-- risk stays high, the record of prior consultation with the ICO (Art 36). A version is draft,
-- in review, approved or rejected; a decided version is the record of that decision and can
-- never change (the trigger below refuses it, whoever tries). A new version starts as a copy.
-- At most one version of a DPIA is open (draft or in review) at a time.
--
-- activity_id links a DPIA to a processing activity of the record of processing. It has no
-- foreign key on purpose: the activities table arrives in another migration, and the link is
-- kept per version so that an approval covers the activity it assessed.
--
-- The action plan belongs to the DPIA, not to a version: actions are tracked after sign-off.
--
-- Conventions of the foundation migration: campaign_id leads every key, row-level security is
-- enabled and forced, the application role owns nothing.

CREATE TABLE dpias (
  campaign_id   uuid NOT NULL REFERENCES campaigns (campaign_id),
  dpia_id       uuid NOT NULL,
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- The activity the newest version assesses (the record of processing joins on it).
  activity_id   uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES users (user_id),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, dpia_id)
);
CREATE INDEX dpias_activity_idx ON dpias (campaign_id, activity_id) WHERE activity_id IS NOT NULL;

CREATE TABLE dpia_versions (
  campaign_id        uuid NOT NULL,
  dpia_id            uuid NOT NULL,
  version            integer NOT NULL CHECK (version >= 1),
  status             text NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'rejected')),
  activity_id        uuid,
  -- Step 1: the screening (activity description, facts, what was derived, the result).
  screening          jsonb NOT NULL,
  need_summary       text NOT NULL DEFAULT '',
  -- Steps 2-7 (src/domain/dpia-assessment.ts has the schemas).
  description        jsonb NOT NULL,
  consultation       jsonb NOT NULL,
  necessity          jsonb NOT NULL,
  risks              jsonb NOT NULL DEFAULT '[]',
  sign_off           jsonb NOT NULL,
  ico_consultation   jsonb,
  -- The approval lapses after this date (kept out of sign_off so expiry can be queried).
  review_date        date,
  -- Warnings of the rules when it was approved (e.g. the ICO's advice not yet received).
  approval_warnings  jsonb NOT NULL DEFAULT '[]',
  decision_note      text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  created_by         uuid REFERENCES users (user_id),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         uuid REFERENCES users (user_id),
  submitted_at       timestamptz,
  submitted_by       uuid REFERENCES users (user_id),
  decided_at         timestamptz,
  decided_by         uuid REFERENCES users (user_id),
  PRIMARY KEY (campaign_id, dpia_id, version),
  FOREIGN KEY (campaign_id, dpia_id) REFERENCES dpias (campaign_id, dpia_id),
  CHECK ((status IN ('approved', 'rejected')) = (decided_at IS NOT NULL)),
  CHECK (status <> 'approved' OR review_date IS NOT NULL)
);
CREATE UNIQUE INDEX dpia_versions_one_open ON dpia_versions (campaign_id, dpia_id)
  WHERE status IN ('draft', 'in_review');
CREATE INDEX dpia_versions_activity_idx ON dpia_versions (campaign_id, activity_id) WHERE activity_id IS NOT NULL;

-- A decided version is immutable, and no version is ever deleted.
CREATE FUNCTION canvass_dpia_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'DPIA versions are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status IN ('approved', 'rejected') THEN
    RAISE EXCEPTION 'DPIA % version % is %: a decided version cannot change; start a new version',
      OLD.dpia_id, OLD.version, OLD.status USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.campaign_id <> OLD.campaign_id OR NEW.dpia_id <> OLD.dpia_id OR NEW.version <> OLD.version THEN
    RAISE EXCEPTION 'a DPIA version keeps its identity' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER dpia_versions_guard BEFORE UPDATE OR DELETE ON dpia_versions
  FOR EACH ROW EXECUTE FUNCTION canvass_dpia_version_guard();

CREATE TABLE dpia_actions (
  campaign_id   uuid NOT NULL,
  dpia_id       uuid NOT NULL,
  action_id     uuid NOT NULL,
  -- The risk of the DPIA the action addresses (an id within the versions' risks), if any.
  risk_id       text,
  action        text NOT NULL CHECK (length(action) BETWEEN 1 AND 2000),
  owner         text NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
  due_date      date NOT NULL,
  done_at       timestamptz,
  done_by       uuid REFERENCES users (user_id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES users (user_id),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, dpia_id, action_id),
  FOREIGN KEY (campaign_id, dpia_id) REFERENCES dpias (campaign_id, dpia_id)
);
CREATE INDEX dpia_actions_due_idx ON dpia_actions (campaign_id, due_date) WHERE done_at IS NULL;

-- ---------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['dpias', 'dpia_versions', 'dpia_actions']
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
-- Privileges: nothing is deleted; decided versions are guarded by the trigger.
-- ---------------------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE ON dpias, dpia_versions, dpia_actions TO canvass_app;
GRANT EXECUTE ON FUNCTION canvass_dpia_version_guard() TO canvass_app;

-- ---------------------------------------------------------------------------------------
-- The record of processing names the DPIA of an activity (Art 30 with Art 35): that DPIA
-- must exist in the same campaign. Which DPIA covers an activity's features is decided by
-- dpias.activity_id (src/app/dpias.ts, dpiaCoverForActivity); the DPO's page lists both.
-- ---------------------------------------------------------------------------------------

ALTER TABLE processing_activities
  ADD CONSTRAINT processing_activities_dpia_fkey FOREIGN KEY (campaign_id, dpia_id) REFERENCES dpias (campaign_id, dpia_id);
