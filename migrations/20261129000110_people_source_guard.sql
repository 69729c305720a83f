-- Issue 3, import speed: the foreign key from people.first_source_id to sources was checked
-- row by row (one lookup per person inserted: about 15% of the cost of writing a person in a
-- bulk import, docs/benchmarks.md). Sources are never deleted — they are archived, because
-- provenance, imports and people refer to them — so the same guarantee is kept more cheaply:
-- the application role loses DELETE on sources, and a trigger refuses any deletion of a source
-- that a person, an import or a provenance row still refers to, whoever attempts it. The source
-- of every person written is checked by the import (it loads the source before the first batch)
-- and by manual entry (findSource), in the same transaction as the write.

ALTER TABLE people DROP CONSTRAINT people_campaign_id_first_source_id_fkey;

REVOKE DELETE ON sources FROM canvass_app;

CREATE FUNCTION canvass_source_delete_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM people WHERE campaign_id = OLD.campaign_id AND first_source_id = OLD.source_id)
     OR EXISTS (SELECT 1 FROM provenance WHERE campaign_id = OLD.campaign_id AND source_id = OLD.source_id)
     OR EXISTS (SELECT 1 FROM imports WHERE campaign_id = OLD.campaign_id AND source_id = OLD.source_id) THEN
    RAISE EXCEPTION 'source % is referred to by people, provenance or imports: archive it instead', OLD.source_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END
$$;

CREATE TRIGGER sources_delete_guard BEFORE DELETE ON sources
  FOR EACH ROW EXECUTE FUNCTION canvass_source_delete_guard();
