-- Website consent (issue 6): the campaign's websites, the banner configuration each publishes,
-- and the visitors' consent receipts — the proof of consent (PECR reg 6; UK GDPR Art 7(1)).
--
--  * consent_sites: a website of the campaign, with the origins the banner may run on and post
--    from, the draft configuration (categories, services, texts) the editor works on, the
--    revision, and how long receipts are kept.
--  * consent_site_versions: append-only. Every configuration ever published, with the hash of
--    its material part (categories, services, cookies, purposes) and of each language's texts,
--    so a receipt naming an older configuration still validates and still shows what the
--    visitor saw. A published row never changes and is never deleted (the trigger refuses it).
--  * consent_receipts: append-only. One row per choice a visitor made: consent id, receipt id
--    (idempotency key), server time, action, per-category and per-service choices, configuration
--    hash and revision, text hash, language, GPC flag and page address. No IP address, no
--    user agent. The application may insert and read; no one updates a receipt; only the
--    retention purge (canvass_purge_consent_receipts, audited by its caller) deletes.
--
-- Conventions of the foundation migration: campaign_id leads every key, row-level security is
-- enabled and forced, the application role owns nothing.

CREATE TABLE consent_sites (
  campaign_id       uuid NOT NULL REFERENCES campaigns (campaign_id),
  -- Random (UUID v4): it is public, in the snippet the website includes.
  site_id           uuid NOT NULL,
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- ["https://www.example.org", ...]: scheme, host and port only (src/domain/consent-sites.ts).
  origins           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(origins) = 'array'),
  -- The draft configuration (SiteConfigInput without name and origins).
  config            jsonb NOT NULL CHECK (jsonb_typeof(config) = 'object'),
  revision          integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  -- Receipts older than this are purged on request (null: kept until the site is retired).
  retention_days    integer CHECK (retention_days IS NULL OR retention_days BETWEEN 30 AND 3650),
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid REFERENCES users (user_id),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  updated_by        uuid REFERENCES users (user_id),
  archived_at       timestamptz,
  PRIMARY KEY (campaign_id, site_id)
);
-- The public endpoints find a site by its id alone (the id is random, and the next policy shows
-- one row to whoever names it).
CREATE INDEX consent_sites_site_idx ON consent_sites (site_id);

CREATE TABLE consent_site_versions (
  campaign_id   uuid NOT NULL,
  site_id       uuid NOT NULL,
  version       integer NOT NULL CHECK (version >= 1),
  revision      integer NOT NULL CHECK (revision >= 1),
  -- SHA-256 (hex) of the canonical JSON of the material configuration.
  config_hash   text NOT NULL CHECK (config_hash ~ '^[0-9a-f]{64}$'),
  -- {"en": "<sha256>", "cy": "<sha256>"}: of each language's texts as served.
  text_hashes   jsonb NOT NULL CHECK (jsonb_typeof(text_hashes) = 'object'),
  -- The BannerConfig as served (src/shared/consent-banner.ts).
  banner        jsonb NOT NULL CHECK (jsonb_typeof(banner) = 'object'),
  published_at  timestamptz NOT NULL,
  published_by  uuid REFERENCES users (user_id),
  PRIMARY KEY (campaign_id, site_id, version),
  FOREIGN KEY (campaign_id, site_id) REFERENCES consent_sites (campaign_id, site_id)
);
CREATE INDEX consent_site_versions_hash_idx ON consent_site_versions (campaign_id, site_id, config_hash, revision);

CREATE FUNCTION canvass_consent_site_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent configuration version % of site % is published: it can never be changed or deleted',
    OLD.version, OLD.site_id USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER consent_site_versions_guard BEFORE UPDATE OR DELETE ON consent_site_versions
  FOR EACH ROW EXECUTE FUNCTION canvass_consent_site_version_guard();

CREATE TABLE consent_receipts (
  campaign_id   uuid NOT NULL,
  site_id       uuid NOT NULL,
  -- Client-generated: the idempotency key (a retry is not a second receipt).
  receipt_id    uuid NOT NULL,
  -- Client-generated, stable for the browser's consent, shown to the visitor.
  consent_id    uuid NOT NULL,
  -- The server's time: the time that counts.
  stored_at     timestamptz NOT NULL DEFAULT now(),
  action        text NOT NULL CHECK (action IN ('accept_all', 'reject_all', 'custom', 'gpc', 'withdraw')),
  -- {"necessary": true, "statistics": false, ...}
  categories    jsonb NOT NULL CHECK (jsonb_typeof(categories) = 'object'),
  -- {"meta-pixel": false, ...}
  services      jsonb NOT NULL CHECK (jsonb_typeof(services) = 'object'),
  config_hash   text NOT NULL CHECK (config_hash ~ '^[0-9a-f]{64}$'),
  revision      integer NOT NULL CHECK (revision >= 1),
  text_hash     text NOT NULL CHECK (text_hash ~ '^[0-9a-f]{64}$'),
  language      text NOT NULL CHECK (language IN ('en', 'cy')),
  gpc           boolean NOT NULL,
  -- Without query string or fragment.
  page_url      text NOT NULL CHECK (length(page_url) <= 2048),
  client_time   timestamptz,
  PRIMARY KEY (campaign_id, site_id, receipt_id)
);
-- Search by the consent id a visitor was shown.
CREATE INDEX consent_receipts_consent_idx ON consent_receipts (campaign_id, site_id, consent_id);
-- Rates, export and the retention purge read by time. Receipts arrive in time order and are never
-- updated, so a BRIN index serves those ranges at a fraction of a B-tree's cost per insert.
CREATE INDEX consent_receipts_time_idx ON consent_receipts USING brin (stored_at);

-- A receipt never changes, whoever tries (the purge deletes, it does not update).
CREATE FUNCTION canvass_consent_receipt_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent receipts are append-only: receipt % can never be changed', OLD.receipt_id
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER consent_receipts_guard BEFORE UPDATE ON consent_receipts
  FOR EACH ROW EXECUTE FUNCTION canvass_consent_receipt_guard();

-- The retention purge: deletes one site's receipts stored before p_before, in the transaction's
-- campaign only. SECURITY DEFINER because the application role may not delete receipts; the
-- caller (src/app/consent-receipts.ts) audits every purge in the same transaction.
CREATE FUNCTION canvass_purge_consent_receipts(p_site_id uuid, p_before timestamptz) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
DECLARE
  c uuid := canvass_current_campaign();
  purged integer;
BEGIN
  IF c IS NULL THEN
    RAISE EXCEPTION 'canvass_purge_consent_receipts needs a campaign scope';
  END IF;
  DELETE FROM consent_receipts WHERE campaign_id = c AND site_id = p_site_id AND stored_at < p_before;
  GET DIAGNOSTICS purged = ROW_COUNT;
  RETURN purged;
END
$$;

-- ---------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['consent_sites', 'consent_site_versions', 'consent_receipts']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (campaign_id = canvass_current_campaign()) '
      'WITH CHECK (campaign_id = canvass_current_campaign())', t || '_tenant', t);
    EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
  END LOOP;
END
$$;

-- The public endpoints (GET /c/:siteId/config.json, POST /c/:siteId/receipts) know only the
-- site id, which is public: with app.consent_site_id set, that one site's row is readable (to
-- learn its campaign and origins), and nothing else.
CREATE POLICY consent_sites_public_read ON consent_sites FOR SELECT
  USING (site_id = nullif(current_setting('app.consent_site_id', true), '')::uuid);

-- ---------------------------------------------------------------------------------------
-- Privileges. Versions and receipts are append-only for the application.
-- ---------------------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE ON consent_sites TO canvass_app;
GRANT SELECT, INSERT ON consent_site_versions, consent_receipts TO canvass_app;
GRANT EXECUTE ON FUNCTION canvass_consent_site_version_guard(), canvass_consent_receipt_guard(),
  canvass_purge_consent_receipts(uuid, timestamptz) TO canvass_app;
REVOKE ALL ON FUNCTION canvass_purge_consent_receipts(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION canvass_purge_consent_receipts(uuid, timestamptz) TO canvass_app;
