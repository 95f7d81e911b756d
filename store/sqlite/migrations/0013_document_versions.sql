-- Named versions of documents ("2023 baseline"): each section's text as
-- it was frozen, as JSON, read and written whole.
CREATE TABLE document_versions (
	id          TEXT PRIMARY KEY,
	document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	sections    TEXT NOT NULL,
	UNIQUE (document_id, name)
) STRICT;
CREATE INDEX document_versions_document ON document_versions(document_id, id);
