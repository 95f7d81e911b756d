-- The partner network's themes, and passages of documents tagged with
-- them (positions at a version of the section, mapped forward by the
-- server; the quote and its context to find the words again).
CREATE TABLE themes (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL UNIQUE, -- the name folded, so "staff" and "Staff" are one
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tags (
	id          TEXT PRIMARY KEY,
	document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	lab_id      TEXT NOT NULL,
	section_id  TEXT NOT NULL,
	theme_id    TEXT NOT NULL REFERENCES themes(id),
	pos_from    INTEGER NOT NULL,
	pos_to      INTEGER NOT NULL,
	version     INTEGER NOT NULL,
	quote       TEXT NOT NULL,
	before      TEXT NOT NULL,
	after       TEXT NOT NULL,
	orphaned    INTEGER NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX tags_document ON tags(document_id, id);
