package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/linklab/linklab/labs"
)

// PolicyRules implements labs.PolicyRuleStore.
func (s *Store) PolicyRules(ctx context.Context) ([]labs.PolicyRule, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT ptype, v0, v1, v2, v3, v4, v5 FROM policy_rules ORDER BY ptype, v0, v1, v2, v3, v4, v5")
	if err != nil {
		return nil, fmt.Errorf("load policy rules: %w", err)
	}
	defer rows.Close()
	var out []labs.PolicyRule
	for rows.Next() {
		var r labs.PolicyRule
		if err := rows.Scan(&r.PType, &r.V[0], &r.V[1], &r.V[2], &r.V[3], &r.V[4], &r.V[5]); err != nil {
			return nil, fmt.Errorf("scan policy rule: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func insertRules(ctx context.Context, tx *sql.Tx, rules []labs.PolicyRule) error {
	for _, r := range rules {
		_, err := tx.ExecContext(ctx, "INSERT INTO policy_rules(ptype, v0, v1, v2, v3, v4, v5) VALUES (?, ?, ?, ?, ?, ?, ?)",
			r.PType, r.V[0], r.V[1], r.V[2], r.V[3], r.V[4], r.V[5])
		if err != nil {
			return translate(err, "Policy rule")
		}
	}
	return nil
}

// AddPolicyRules implements labs.PolicyRuleStore.
func (s *Store) AddPolicyRules(ctx context.Context, rules []labs.PolicyRule) error {
	if err := s.tx(ctx, func(tx *sql.Tx) error { return insertRules(ctx, tx, rules) }); err != nil {
		return fmt.Errorf("add policy rules: %w", err)
	}
	return nil
}

// RemovePolicyRules implements labs.PolicyRuleStore.
func (s *Store) RemovePolicyRules(ctx context.Context, rules []labs.PolicyRule) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rules {
			_, err := tx.ExecContext(ctx, `DELETE FROM policy_rules WHERE ptype = ? AND v0 = ? AND v1 = ? AND v2 = ?
				AND v3 = ? AND v4 = ? AND v5 = ?`, r.PType, r.V[0], r.V[1], r.V[2], r.V[3], r.V[4], r.V[5])
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove policy rules: %w", err)
	}
	return nil
}

// RemoveFilteredPolicyRules implements labs.PolicyRuleStore.
func (s *Store) RemoveFilteredPolicyRules(ctx context.Context, ptype string, field int, values ...string) error {
	if field < 0 || field+len(values) > 6 {
		return labs.Errorf(labs.EInvalid, "Policy filter covers fields %d to %d; there are 6.", field, field+len(values)-1)
	}
	q := "DELETE FROM policy_rules WHERE ptype = ?"
	args := []any{ptype}
	for i, v := range values {
		if v != "" {
			q += fmt.Sprintf(" AND v%d = ?", field+i)
			args = append(args, v)
		}
	}
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("remove filtered policy rules: %w", err)
	}
	return nil
}

// ReplacePolicyRules implements labs.PolicyRuleStore.
func (s *Store) ReplacePolicyRules(ctx context.Context, rules []labs.PolicyRule) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM policy_rules"); err != nil {
			return err
		}
		return insertRules(ctx, tx, rules)
	})
	if err != nil {
		return fmt.Errorf("replace policy rules: %w", err)
	}
	return nil
}
