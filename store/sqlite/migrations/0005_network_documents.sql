-- linklab: foreign keys off
-- Documents of the partner network (syntheses) belong to no lab: lab_id
-- becomes nullable, and only a synthesis may leave it empty. Sections get
-- their own visibility level ('' = the document's).
CREATE TABLE documents_next (
	id         TEXT PRIMARY KEY,
	lab_id     TEXT REFERENCES labs(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	template   TEXT NOT NULL,
	title      TEXT NOT NULL,
	visibility TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	revision   INTEGER NOT NULL DEFAULT 0,
	members    TEXT NOT NULL DEFAULT '[]',
	status     TEXT NOT NULL DEFAULT '',
	fields     TEXT NOT NULL DEFAULT '{}',
	logic_map  TEXT NOT NULL DEFAULT '{"elements":[],"outcomes":[]}',
	CHECK (lab_id IS NOT NULL OR kind = 'synthesis')
) STRICT;
INSERT INTO documents_next (id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at,
	revision, members, status, fields, logic_map)
SELECT id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at,
	revision, members, status, fields, logic_map FROM documents;
DROP TABLE documents;
ALTER TABLE documents_next RENAME TO documents;
CREATE INDEX documents_lab ON documents(lab_id, id);

ALTER TABLE sections ADD COLUMN visibility TEXT NOT NULL DEFAULT '';
