-- Workshop rooms and votes.
--
-- A workshop gets a short code to join it from a projector.
ALTER TABLE workshops ADD COLUMN code TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX workshops_code ON workshops(code) WHERE code != '';

-- The room's log: everything that happens among the people present, in
-- order, one event per (workshop, seq).
CREATE TABLE room_events (
	workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	body        TEXT NOT NULL,
	PRIMARY KEY (workshop_id, seq)
) STRICT, WITHOUT ROWID;

-- Votes. An anonymous vote's ballots are never stored as such: who took
-- part (vote_voters) and what was counted (vote_counts, vote_comments) are
-- separate tables with no time, no row id and no insertion order (WITHOUT
-- ROWID tables are kept in key order), so nothing joins them.
CREATE TABLE votes (
	id          TEXT PRIMARY KEY,
	workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
	lab_id      TEXT NOT NULL,
	question    TEXT NOT NULL,
	method      TEXT NOT NULL,
	options     TEXT NOT NULL,
	dots        INTEGER NOT NULL,
	anonymous   INTEGER NOT NULL,
	status      TEXT NOT NULL,
	opened_by   TEXT NOT NULL,
	opened_at   INTEGER NOT NULL,
	closed_at   INTEGER NOT NULL,
	voters      INTEGER NOT NULL DEFAULT 0,
	results     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX votes_workshop ON votes(workshop_id, id);

CREATE TABLE vote_voters (
	vote_id      TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
	account_id   TEXT NOT NULL,
	on_behalf_by TEXT NOT NULL,
	PRIMARY KEY (vote_id, account_id)
) STRICT, WITHOUT ROWID;

-- Counters while a vote is open: per level, option ('' counts voters).
CREATE TABLE vote_counts (
	vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
	level   TEXT NOT NULL,
	option  TEXT NOT NULL,
	n       INTEGER NOT NULL,
	PRIMARY KEY (vote_id, level, option)
) STRICT, WITHOUT ROWID;

-- Anonymous comments, under a random key, so their order is not the
-- order of voting.
CREATE TABLE vote_comments (
	vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
	key     TEXT NOT NULL,
	text    TEXT NOT NULL,
	PRIMARY KEY (vote_id, key)
) STRICT, WITHOUT ROWID;

-- A named vote's ballots, with their voters; erased if it turns anonymous.
CREATE TABLE vote_ballots (
	vote_id    TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
	account_id TEXT NOT NULL,
	level      TEXT NOT NULL,
	ballot     TEXT NOT NULL,
	PRIMARY KEY (vote_id, account_id)
) STRICT, WITHOUT ROWID;
