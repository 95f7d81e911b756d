package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
)

var (
	_ labs.RoomStore = (*Store)(nil)
	_ labs.VoteStore = (*Store)(nil)
)

// AppendRoomEvent implements labs.RoomStore.
func (s *Store) AppendRoomEvent(ctx context.Context, e labs.RoomEvent) error {
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode room event: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO room_events(workshop_id, seq, body) VALUES (?, ?, ?)",
		e.WorkshopID, e.Seq, string(body)); err != nil {
		return fmt.Errorf("append room event %d of %s: %w", e.Seq, e.WorkshopID, translate(err, "Room event"))
	}
	return nil
}

// RoomEvents implements labs.RoomStore.
func (s *Store) RoomEvents(ctx context.Context, workshopID string, after int64, limit int) ([]labs.RoomEvent, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT body FROM room_events WHERE workshop_id = ? AND seq > ? ORDER BY seq LIMIT ?",
		workshopID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read room of %s: %w", workshopID, err)
	}
	defer rows.Close()
	var out []labs.RoomEvent
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("read room of %s: %w", workshopID, err)
		}
		var e labs.RoomEvent
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, fmt.Errorf("decode room event of %s: %w", workshopID, err)
		}
		e.WorkshopID = workshopID
		out = append(out, e)
	}
	return out, rows.Err()
}

const voteColumns = `id, workshop_id, lab_id, question, method, options, dots, anonymous, status, opened_by, opened_at,
	closed_at, voters, results`

func scanVote(r scanner) (labs.Vote, error) {
	var v labs.Vote
	var options, results string
	var anonymous int
	var opened, closed int64
	if err := r.Scan(&v.ID, &v.WorkshopID, &v.LabID, &v.Question, &v.Method, &options, &v.Dots, &anonymous, &v.Status,
		&v.OpenedBy, &opened, &closed, &v.Voters, &results); err != nil {
		return v, err
	}
	v.Anonymous, v.OpenedAt, v.ClosedAt = anonymous != 0, fromMillis(opened), fromMillis(closed)
	if err := json.Unmarshal([]byte(options), &v.Options); err != nil {
		return v, fmt.Errorf("options of vote %s: %w", v.ID, err)
	}
	if results != "" {
		v.Results = new(labs.VoteResults)
		if err := json.Unmarshal([]byte(results), v.Results); err != nil {
			return v, fmt.Errorf("results of vote %s: %w", v.ID, err)
		}
	}
	return v, nil
}

// CreateVote implements labs.VoteStore.
func (s *Store) CreateVote(ctx context.Context, v labs.Vote) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO votes("+voteColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '')",
		v.ID, v.WorkshopID, v.LabID, v.Question, v.Method, jsonText(v.Options, "[]"), v.Dots, boolInt(v.Anonymous), v.Status,
		v.OpenedBy, millis(v.OpenedAt), millis(v.ClosedAt))
	if err != nil {
		return fmt.Errorf("create vote: %w", translate(err, "Vote"))
	}
	return nil
}

// Vote implements labs.VoteStore.
func (s *Store) Vote(ctx context.Context, id string) (labs.Vote, error) {
	v, err := scanVote(s.db.QueryRowContext(ctx, "SELECT "+voteColumns+" FROM votes WHERE id = ?", id))
	if err != nil {
		return v, fmt.Errorf("load vote %s: %w", id, translate(err, "Vote"))
	}
	return v, nil
}

// ListVotes implements labs.VoteStore.
func (s *Store) ListVotes(ctx context.Context, workshopID string) ([]labs.Vote, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+voteColumns+" FROM votes WHERE workshop_id = ? ORDER BY id", workshopID)
	if err != nil {
		return nil, fmt.Errorf("list votes of %s: %w", workshopID, err)
	}
	defer rows.Close()
	var out []labs.Vote
	for rows.Next() {
		v, err := scanVote(rows)
		if err != nil {
			return nil, fmt.Errorf("list votes of %s: %w", workshopID, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CastBallot implements labs.VoteStore in one transaction: the vote must be
// open, the voter's participation row must be new, and the counters move
// with it, so a ballot counts once or not at all.
func (s *Store) CastBallot(ctx context.Context, voteID string, voter labs.Voter, counts map[string]int, b labs.Ballot) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var anonymous int
		if err := tx.QueryRowContext(ctx, "SELECT status, anonymous FROM votes WHERE id = ?", voteID).Scan(&status, &anonymous); err != nil {
			return translate(err, "Vote")
		}
		if status != string(labs.VoteOpen) {
			return labs.Errorf(labs.EConflict, "The vote is closed.")
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO vote_voters(vote_id, account_id, on_behalf_by) VALUES (?, ?, ?)",
			voteID, voter.Account, voter.OnBehalfBy); err != nil {
			if err = translate(err, "Ballot"); labs.IsCode(err, labs.EConflict) {
				return labs.Errorf(labs.EConflict, "This member has voted already.")
			}
			return err
		}
		counts[""] = 1 // the level's voters
		for option, n := range counts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO vote_counts(vote_id, level, option, n) VALUES (?, ?, ?, ?)
				ON CONFLICT (vote_id, level, option) DO UPDATE SET n = n + excluded.n`, voteID, voter.Level, option, n); err != nil {
				return err
			}
		}
		delete(counts, "")
		if anonymous != 0 {
			if b.Comment != "" {
				if _, err := tx.ExecContext(ctx, "INSERT INTO vote_comments(vote_id, key, text) VALUES (?, ?, ?)",
					voteID, randomKey(), b.Comment); err != nil {
					return err
				}
			}
		} else if _, err := tx.ExecContext(ctx, "INSERT INTO vote_ballots(vote_id, account_id, level, ballot) VALUES (?, ?, ?, ?)",
			voteID, voter.Account, voter.Level, jsonText(labs.NamedBallotOf(voter, b), "{}")); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE votes SET voters = voters + 1 WHERE id = ?", voteID)
		return err
	})
	if err != nil {
		return fmt.Errorf("cast ballot in vote %s: %w", voteID, err)
	}
	return nil
}

func randomKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("sqlite: crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// HasVoted implements labs.VoteStore.
func (s *Store) HasVoted(ctx context.Context, voteID, account string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM vote_voters WHERE vote_id = ? AND account_id = ?",
		voteID, account).Scan(&n); err != nil {
		return false, fmt.Errorf("read participation in vote %s: %w", voteID, err)
	}
	return n > 0, nil
}

// CloseVote implements labs.VoteStore. The per-level counters are erased
// with the close (secure_delete overwrites them), and the write-ahead log,
// which held each ballot's writes in the order they came, is truncated.
func (s *Store) CloseVote(ctx context.Context, voteID string, at time.Time, results func(labs.Tally) labs.VoteResults) (labs.Vote, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		v, err := scanVote(tx.QueryRowContext(ctx, "SELECT "+voteColumns+" FROM votes WHERE id = ?", voteID))
		if err != nil {
			return translate(err, "Vote")
		}
		if v.Status != labs.VoteOpen {
			return labs.Errorf(labs.EConflict, "The vote is closed already.")
		}
		t := labs.Tally{Levels: map[labs.StakeholderLevel]labs.LevelTally{}}
		rows, err := tx.QueryContext(ctx, "SELECT level, option, n FROM vote_counts WHERE vote_id = ?", voteID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var level, option string
			var n int
			if err := rows.Scan(&level, &option, &n); err != nil {
				rows.Close()
				return err
			}
			lt := t.Levels[labs.StakeholderLevel(level)]
			if lt.Counts == nil {
				lt.Counts = map[string]int{}
			}
			if option == "" {
				lt.Voters = n
			} else {
				lt.Counts[option] = n
			}
			t.Levels[labs.StakeholderLevel(level)] = lt
		}
		rows.Close()
		if t.Comments, err = column(ctx, tx, "SELECT text FROM vote_comments WHERE vote_id = ?", voteID); err != nil {
			return err
		}
		if !v.Anonymous {
			t.Comments = nil // a named vote's comments are read with their ballots
		}
		r := results(t)
		if _, err := tx.ExecContext(ctx, "UPDATE votes SET status = ?, closed_at = ?, results = ? WHERE id = ?",
			labs.VoteClosed, millis(at), jsonText(r, "{}"), voteID); err != nil {
			return err
		}
		for _, q := range []string{"DELETE FROM vote_counts WHERE vote_id = ?", "DELETE FROM vote_comments WHERE vote_id = ?"} {
			if _, err := tx.ExecContext(ctx, q, voteID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return labs.Vote{}, fmt.Errorf("close vote %s: %w", voteID, err)
	}
	s.truncateLog(ctx)
	return s.Vote(ctx, voteID)
}

// truncateLog checkpoints the write-ahead log and cuts it to nothing. It
// is best effort: while a reader holds old pages the log stays, and the
// next close or checkpoint cuts it; the vote's result does not depend on it.
func (s *Store) truncateLog(ctx context.Context) {
	_, _ = s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
}

func column(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AnonymiseVote implements labs.VoteStore while the vote is open: the
// ballots with names go; their comments stay, under random keys.
func (s *Store) AnonymiseVote(ctx context.Context, voteID string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var anonymous int
		var status string
		if err := tx.QueryRowContext(ctx, "SELECT anonymous, status FROM votes WHERE id = ?", voteID).Scan(&anonymous, &status); err != nil {
			return translate(err, "Vote")
		}
		if status != string(labs.VoteOpen) {
			return labs.Errorf(labs.EConflict, "The vote is closed: it stays as it was cast.")
		}
		if anonymous != 0 {
			return labs.Errorf(labs.EConflict, "The vote is anonymous already.")
		}
		comments, err := column(ctx, tx, "SELECT ballot FROM vote_ballots WHERE vote_id = ?", voteID)
		if err != nil {
			return err
		}
		for _, raw := range comments {
			var nb labs.NamedBallot
			if err := json.Unmarshal([]byte(raw), &nb); err != nil {
				return err
			}
			if nb.Comment != "" {
				if _, err := tx.ExecContext(ctx, "INSERT INTO vote_comments(vote_id, key, text) VALUES (?, ?, ?)",
					voteID, randomKey(), nb.Comment); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM vote_ballots WHERE vote_id = ?", voteID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE votes SET anonymous = 1 WHERE id = ?", voteID)
		return err
	})
	if err != nil {
		return fmt.Errorf("anonymise vote %s: %w", voteID, err)
	}
	s.truncateLog(ctx)
	return nil
}

// NamedBallots implements labs.VoteStore.
func (s *Store) NamedBallots(ctx context.Context, voteID string) ([]labs.NamedBallot, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT ballot FROM vote_ballots WHERE vote_id = ? ORDER BY account_id", voteID)
	if err != nil {
		return nil, fmt.Errorf("read ballots of %s: %w", voteID, err)
	}
	defer rows.Close()
	out := []labs.NamedBallot{}
	for rows.Next() {
		var raw string
		var nb labs.NamedBallot
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &nb); err != nil {
			return nil, fmt.Errorf("decode a ballot of %s: %w", voteID, err)
		}
		out = append(out, nb)
	}
	return out, rows.Err()
}
