-- Issue 3, managing tags and lists. Every membership of a tag or list carries its provenance
-- (person_tags.provenance_id, list_members.provenance_id): where the fact came from, on what
-- basis, who recorded it. Deleting a tag that people carry would delete those memberships and
-- their link to that record with it, so a tag or list in use is archived instead: it keeps its
-- memberships (still shown on each person's record and usable as a search filter) and takes no
-- new ones from staff. Only a tag or list nobody is on may be deleted (src/app/tags.ts).

ALTER TABLE tags ADD COLUMN archived_at timestamptz;
ALTER TABLE lists ADD COLUMN archived_at timestamptz;
