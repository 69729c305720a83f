-- Governance records (issue 4): the record of processing activities (UK GDPR Art 30),
-- processors (Art 28) and joint-controller arrangements with platforms (Art 26).
--
-- Follows the conventions of the foundation and people migrations: campaign_id leads every
-- key, row-level security is enabled and forced on every table, the application role owns
-- nothing. Records are never deleted by the application: an activity is retired, a processor
-- or an arrangement archived, so the record shows what was done and on what terms
-- (accountability, Art 5(2)). Links between records are rows of their own, with foreign keys.
--
-- Lists (purposes, categories, recipients), the Art 28(3) checklist, the responsibility matrix
-- and transfers are jsonb documents whose shape the application validates (src/domain/governance.ts).

CREATE TABLE processors (
  campaign_id               uuid NOT NULL REFERENCES campaigns (campaign_id),
  processor_id              uuid NOT NULL,
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- What the processor does for the campaign.
  service                   text NOT NULL DEFAULT '',
  contract_reference        text,
  contract_date             date,
  -- Art 28(3)(a)-(h): {"documented_instructions": {"present": true, "clause": "4.2"}, ...}
  art28_terms               jsonb NOT NULL DEFAULT '{}',
  -- Where it hosts or accesses the data: [{"country": "US", "mechanism": ..., ...}]
  hosting                   jsonb NOT NULL DEFAULT '[]',
  sub_processors            jsonb NOT NULL DEFAULT '[]',
  -- How this campaign's data is kept apart from other campaigns' (CTRL-SEGREGATION).
  segregation               text,
  service_improvement       text NOT NULL DEFAULT 'unknown' CHECK (service_improvement IN (
                              'none', 'with_basis', 'without_basis', 'unknown')),
  service_improvement_note  text,
  notes                     text NOT NULL DEFAULT '',
  created_at                timestamptz NOT NULL DEFAULT now(),
  created_by                uuid REFERENCES users (user_id),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  archived_at               timestamptz,
  PRIMARY KEY (campaign_id, processor_id),
  CHECK (jsonb_typeof(art28_terms) = 'object'),
  CHECK (jsonb_typeof(hosting) = 'array'),
  CHECK (jsonb_typeof(sub_processors) = 'array')
);
CREATE UNIQUE INDEX processors_name_key ON processors (campaign_id, lower(name));

CREATE TABLE joint_controller_arrangements (
  campaign_id               uuid NOT NULL REFERENCES campaigns (campaign_id),
  arrangement_id            uuid NOT NULL,
  platform                  text NOT NULL CHECK (platform IN (
                              'meta', 'google', 'x', 'snap', 'linkedin', 'tiktok', 'other')),
  platform_name             text NOT NULL CHECK (length(platform_name) BETWEEN 1 AND 200),
  scope                     text NOT NULL CHECK (scope IN (
                              'custom_audiences', 'lookalikes', 'pixels_plugins', 'page_insights')),
  -- The version of the platform preset it was created from (src/domain/platforms.ts).
  preset_version            text,
  -- The platform's standard terms relied on, if any.
  terms_reference           text,
  -- {"transparency": {"party": "campaign"|"platform"|"both"|null, "note": ""}, ...}
  responsibilities          jsonb NOT NULL DEFAULT '{}',
  -- The essence of the arrangement for individuals (Art 26(2)); the privacy notice uses it.
  essence                   text NOT NULL DEFAULT '',
  -- How the platform's political-advertising condition is met (e.g. Meta's authorisation).
  eligibility_confirmation  text,
  review_due_on             date,
  last_reviewed_on          date,
  notes                     text NOT NULL DEFAULT '',
  created_at                timestamptz NOT NULL DEFAULT now(),
  created_by                uuid REFERENCES users (user_id),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  archived_at               timestamptz,
  PRIMARY KEY (campaign_id, arrangement_id),
  CHECK (jsonb_typeof(responsibilities) = 'object')
);
-- One live arrangement per platform and scope.
CREATE UNIQUE INDEX joint_controller_arrangements_scope_key
  ON joint_controller_arrangements (campaign_id, platform, lower(platform_name), scope)
  WHERE archived_at IS NULL;

CREATE TABLE processing_activities (
  campaign_id                      uuid NOT NULL REFERENCES campaigns (campaign_id),
  activity_id                      uuid NOT NULL,
  name                             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description                      text NOT NULL DEFAULT '',
  status                           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
  purposes                         jsonb NOT NULL DEFAULT '[]',
  lawful_basis                     text CHECK (lawful_basis IN (
                                     'consent', 'contract', 'legal_obligation', 'vital_interests',
                                     'public_task', 'legitimate_interests')),
  -- The reasons for the basis; for public task, the necessity note (DPA 2018 s.8(e)).
  lawful_basis_note                text,
  legitimate_interests_assessment  jsonb,
  data_categories                  jsonb NOT NULL DEFAULT '[]',
  -- [{"category": "political_opinion", "condition": ..., "schedule1Paragraph": 22, ...}]
  special_categories               jsonb NOT NULL DEFAULT '[]',
  -- DPA 2018 Sch 1 paras 5, 39, 41: where a Sch 1 condition is relied on.
  appropriate_policy_document      text,
  data_subjects                    jsonb NOT NULL DEFAULT '[]',
  other_sources                    text NOT NULL DEFAULT '',
  recipients                       jsonb NOT NULL DEFAULT '[]',
  retention                        text,
  -- Transfers outside the UK: NULL while not stated, '[]' for none.
  transfers                        jsonb,
  security_measures                text,
  capabilities                     jsonb NOT NULL DEFAULT '[]',
  -- The DPIA covering the activity. No foreign key here: the DPIA tables arrive in a later
  -- migration, which adds it.
  dpia_id                          uuid,
  created_at                       timestamptz NOT NULL DEFAULT now(),
  created_by                       uuid REFERENCES users (user_id),
  updated_at                       timestamptz NOT NULL DEFAULT now(),
  activated_at                     timestamptz,
  retired_at                       timestamptz,
  PRIMARY KEY (campaign_id, activity_id),
  CHECK (jsonb_typeof(purposes) = 'array' AND jsonb_typeof(data_categories) = 'array'
    AND jsonb_typeof(special_categories) = 'array' AND jsonb_typeof(data_subjects) = 'array'
    AND jsonb_typeof(recipients) = 'array' AND jsonb_typeof(capabilities) = 'array'
    AND (transfers IS NULL OR jsonb_typeof(transfers) = 'array')),
  -- The status and its timestamps agree: draft -> active -> retired (or draft -> retired).
  CONSTRAINT processing_activities_status_times CHECK (
    (status = 'draft' AND activated_at IS NULL AND retired_at IS NULL)
    OR (status = 'active' AND activated_at IS NOT NULL AND retired_at IS NULL)
    OR (status = 'retired' AND retired_at IS NOT NULL))
);
CREATE UNIQUE INDEX processing_activities_name_key ON processing_activities (campaign_id, lower(name));

CREATE TABLE processing_activity_sources (
  campaign_id  uuid NOT NULL,
  activity_id  uuid NOT NULL,
  source_id    uuid NOT NULL,
  PRIMARY KEY (campaign_id, activity_id, source_id),
  FOREIGN KEY (campaign_id, activity_id) REFERENCES processing_activities (campaign_id, activity_id) ON DELETE CASCADE,
  FOREIGN KEY (campaign_id, source_id) REFERENCES sources (campaign_id, source_id)
);
CREATE INDEX processing_activity_sources_source_idx ON processing_activity_sources (campaign_id, source_id);

CREATE TABLE processing_activity_processors (
  campaign_id   uuid NOT NULL,
  activity_id   uuid NOT NULL,
  processor_id  uuid NOT NULL,
  PRIMARY KEY (campaign_id, activity_id, processor_id),
  FOREIGN KEY (campaign_id, activity_id) REFERENCES processing_activities (campaign_id, activity_id) ON DELETE CASCADE,
  FOREIGN KEY (campaign_id, processor_id) REFERENCES processors (campaign_id, processor_id)
);
CREATE INDEX processing_activity_processors_processor_idx ON processing_activity_processors (campaign_id, processor_id);

CREATE TABLE processing_activity_arrangements (
  campaign_id     uuid NOT NULL,
  activity_id     uuid NOT NULL,
  arrangement_id  uuid NOT NULL,
  PRIMARY KEY (campaign_id, activity_id, arrangement_id),
  FOREIGN KEY (campaign_id, activity_id) REFERENCES processing_activities (campaign_id, activity_id) ON DELETE CASCADE,
  FOREIGN KEY (campaign_id, arrangement_id) REFERENCES joint_controller_arrangements (campaign_id, arrangement_id)
);
CREATE INDEX processing_activity_arrangements_arrangement_idx
  ON processing_activity_arrangements (campaign_id, arrangement_id);

-- ---------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['processors', 'joint_controller_arrangements', 'processing_activities',
    'processing_activity_sources', 'processing_activity_processors', 'processing_activity_arrangements']
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
-- Privileges. The records are kept, not deleted; links are replaced when an activity's
-- sources, processors or arrangements change.
-- ---------------------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE ON processors, joint_controller_arrangements, processing_activities TO canvass_app;
GRANT SELECT, INSERT, DELETE ON processing_activity_sources, processing_activity_processors,
  processing_activity_arrangements TO canvass_app;
