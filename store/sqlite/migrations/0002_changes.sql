-- Sections' change logs and snapshots (real-time co-editing).
CREATE TABLE changes (
	section_id TEXT NOT NULL,
	version    INTEGER NOT NULL,
	client_id  TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	author_id  TEXT NOT NULL,
	changes    TEXT NOT NULL,
	at         INTEGER NOT NULL,
	PRIMARY KEY (section_id, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE snapshots (
	section_id TEXT PRIMARY KEY,
	version    INTEGER NOT NULL,
	text       TEXT NOT NULL,
	at         INTEGER NOT NULL
) STRICT;
