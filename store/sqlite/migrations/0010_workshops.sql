-- Live workshop sessions: an agenda of phases (JSON) and the shared timer,
-- kept as the end of the current phase (or the time left while paused).
CREATE TABLE workshops (
	id           TEXT PRIMARY KEY,
	lab_id       TEXT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
	title        TEXT NOT NULL,
	scheduled_at INTEGER NOT NULL,
	agenda       TEXT NOT NULL,
	status       TEXT NOT NULL,
	phase        INTEGER NOT NULL,
	ends_at      INTEGER NOT NULL,
	left_ms      INTEGER NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	revision     INTEGER NOT NULL
) STRICT;
CREATE INDEX workshops_lab ON workshops(lab_id, id);
