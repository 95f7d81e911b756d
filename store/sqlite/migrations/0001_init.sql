-- Times are Unix milliseconds (UTC). IDs are labs.NewID strings.
CREATE TABLE accounts (
	id            TEXT PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	admin         INTEGER NOT NULL DEFAULT 0,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE labs (
	id           TEXT PRIMARY KEY,
	slug         TEXT NOT NULL UNIQUE,
	country      TEXT NOT NULL,
	title        TEXT NOT NULL,
	target_group TEXT NOT NULL,
	description  TEXT NOT NULL,
	languages    TEXT NOT NULL, -- JSON array
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE memberships (
	lab_id            TEXT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
	account_id        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	role              TEXT NOT NULL,
	stakeholder_level TEXT NOT NULL,
	sector            TEXT NOT NULL,
	display_name      TEXT NOT NULL,
	joined_at         INTEGER NOT NULL,
	PRIMARY KEY (lab_id, account_id)
) STRICT;
CREATE INDEX memberships_account ON memberships(account_id, lab_id);

CREATE TABLE invitations (
	id         TEXT PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	email      TEXT NOT NULL,
	lab_id     TEXT NOT NULL, -- '' for account-only invitations
	role       TEXT NOT NULL,
	invited_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER NOT NULL DEFAULT 0,
	used_by    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX invitations_lab ON invitations(lab_id, id);

CREATE TABLE documents (
	id         TEXT PRIMARY KEY,
	lab_id     TEXT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	template   TEXT NOT NULL,
	title      TEXT NOT NULL,
	visibility TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX documents_lab ON documents(lab_id, id);

CREATE TABLE sections (
	document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	id          TEXT NOT NULL UNIQUE,
	key         TEXT NOT NULL,
	title       TEXT NOT NULL,
	guidance    TEXT NOT NULL,
	text        TEXT NOT NULL,
	version     INTEGER NOT NULL,
	PRIMARY KEY (document_id, position)
) STRICT;

CREATE TABLE policy_rules (
	ptype TEXT NOT NULL,
	v0 TEXT NOT NULL, v1 TEXT NOT NULL, v2 TEXT NOT NULL,
	v3 TEXT NOT NULL, v4 TEXT NOT NULL, v5 TEXT NOT NULL,
	PRIMARY KEY (ptype, v0, v1, v2, v3, v4, v5)
) STRICT;
