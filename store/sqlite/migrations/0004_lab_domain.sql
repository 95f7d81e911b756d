-- The lab domain: default levels, partners, document metadata, comments,
-- feedback and the audit log. JSON columns hold small structured values
-- that are always read and written whole.
ALTER TABLE labs ADD COLUMN default_visibility TEXT NOT NULL DEFAULT 'lab';
ALTER TABLE accounts ADD COLUMN partner_org TEXT NOT NULL DEFAULT '';

ALTER TABLE documents ADD COLUMN members TEXT NOT NULL DEFAULT '[]';
ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE documents ADD COLUMN logic_map TEXT NOT NULL DEFAULT '{"elements":[],"outcomes":[]}';

CREATE TABLE partner_orgs (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	country    TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE comments (
	id          TEXT PRIMARY KEY,
	document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	section_id  TEXT NOT NULL,
	parent_id   TEXT NOT NULL,
	author_id   TEXT NOT NULL,
	anonymous   INTEGER NOT NULL,
	body        TEXT NOT NULL,
	anchor_from INTEGER NOT NULL,
	anchor_to   INTEGER NOT NULL,
	version     INTEGER NOT NULL,
	resolved    INTEGER NOT NULL,
	hidden_reason TEXT NOT NULL,
	hidden_by   TEXT NOT NULL,
	hidden_at   INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX comments_document ON comments(document_id, id);

CREATE TABLE feedback (
	id          TEXT PRIMARY KEY,
	lab_id      TEXT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
	target      TEXT NOT NULL,
	target_id   TEXT NOT NULL,
	author_id   TEXT NOT NULL,
	anonymous   INTEGER NOT NULL,
	rating      INTEGER NOT NULL,
	body        TEXT NOT NULL,
	hidden_reason TEXT NOT NULL,
	hidden_by   TEXT NOT NULL,
	hidden_at   INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_target ON feedback(lab_id, target, target_id, id);

CREATE TABLE audit (
	id       TEXT PRIMARY KEY,
	lab_id   TEXT NOT NULL,
	actor_id TEXT NOT NULL,
	action   TEXT NOT NULL,
	object   TEXT NOT NULL,
	detail   TEXT NOT NULL, -- JSON object of strings
	at       INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_lab ON audit(lab_id, id);
