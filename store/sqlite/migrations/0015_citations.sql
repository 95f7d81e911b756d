-- Passages of baselines cited in syntheses: the words as cited, and where
-- they are now (placed as tags are).
CREATE TABLE citations (
	id            TEXT PRIMARY KEY,
	document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	source_id     TEXT NOT NULL,
	source_lab_id TEXT NOT NULL,
	section_id    TEXT NOT NULL,
	pos_from      INTEGER NOT NULL,
	pos_to        INTEGER NOT NULL,
	version       INTEGER NOT NULL,
	quote         TEXT NOT NULL,
	before        TEXT NOT NULL,
	after         TEXT NOT NULL,
	orphaned      INTEGER NOT NULL,
	cited_quote   TEXT NOT NULL,
	cited_version INTEGER NOT NULL,
	created_by    TEXT NOT NULL,
	created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX citations_document ON citations(document_id, id);
