-- Issue 3: an upload no longer runs in one transaction. The import row is created first with
-- status 'uploading', each 1 MB chunk of the file is stored in a short transaction of its own
-- (on the embedded database, which has a single connection, other requests then run between
-- the chunks instead of waiting for the whole upload), and the row becomes 'uploaded' once the
-- file is complete. An upload that fails or is abandoned is deleted with its chunks; one left
-- behind by a crashed process is deleted by the next upload to the campaign after an hour.

ALTER TABLE imports DROP CONSTRAINT imports_status_check;
ALTER TABLE imports ADD CONSTRAINT imports_status_check CHECK (status IN (
  'uploading', 'uploaded', 'refused', 'queued', 'running', 'completed', 'failed', 'cancelled'));
