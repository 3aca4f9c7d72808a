package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/ltiforge/ltiforge/runtime/store"
)

// scopeKey returns the columns that address a settings container: the
// fields the scope's kind does not use are ignored (stored as "").
func scopeKey(sc store.Scope) (guid, kind, contextID, linkID string, err error) {
	if sc.ToolProxyGUID == "" {
		return "", "", "", "", errors.New("scope has no tool proxy GUID")
	}
	switch sc.Kind {
	case store.ScopeToolProxy:
		return sc.ToolProxyGUID, string(sc.Kind), "", "", nil
	case store.ScopeBinding:
		if sc.ContextID == "" {
			return "", "", "", "", errors.New("binding scope has no context ID")
		}
		return sc.ToolProxyGUID, string(sc.Kind), sc.ContextID, "", nil
	case store.ScopeLink:
		if sc.LinkID == "" {
			return "", "", "", "", errors.New("link scope has no link ID")
		}
		return sc.ToolProxyGUID, string(sc.Kind), "", sc.LinkID, nil
	default:
		return "", "", "", "", fmt.Errorf("unknown scope kind %q", sc.Kind)
	}
}

// ToolSettings returns the settings of a container, ordered by name; an
// empty slice when none are stored.
func (s *Store) ToolSettings(ctx context.Context, sc store.Scope) ([]store.Pair, error) {
	guid, kind, cid, lid, err := scopeKey(sc)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tool settings: %w", err)
	}
	rows, err := s.st.settings.QueryContext(lookupCtx(ctx), guid, kind, cid, lid)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tool settings: %w", err)
	}
	defer rows.Close()
	out := []store.Pair{}
	for rows.Next() {
		var p store.Pair
		if err := rows.Scan(&p.Name, &p.Value); err != nil {
			return nil, fmt.Errorf("sqlite: tool settings: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: tool settings: %w", err)
	}
	return out, nil
}

// PutToolSettings replaces every setting of a container in one
// transaction. The tool proxy must exist (ErrNotFound otherwise); a name
// given twice is an error.
func (s *Store) PutToolSettings(ctx context.Context, sc store.Scope, settings []store.Pair) error {
	guid, kind, cid, lid, err := scopeKey(sc)
	if err != nil {
		return fmt.Errorf("sqlite: put tool settings: %w", err)
	}
	seen := make(map[string]bool, len(settings))
	for _, p := range settings {
		if seen[p.Name] {
			return fmt.Errorf("sqlite: put tool settings: name %q given twice", p.Name)
		}
		seen[p.Name] = true
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.StmtContext(ctx, s.st.proxyExists).QueryRowContext(ctx, guid).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return fmt.Errorf("tool proxy %q: %w", guid, store.ErrNotFound)
		}
		if _, err := tx.StmtContext(ctx, s.st.settingsDelete).ExecContext(ctx, guid, kind, cid, lid); err != nil {
			return err
		}
		insert := tx.StmtContext(ctx, s.st.settingsInsert)
		for _, p := range settings {
			if _, err := insert.ExecContext(ctx, guid, kind, cid, lid, p.Name, p.Value); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: put tool settings: %w", err)
	}
	return nil
}

// checkScore rejects a score outside [0, 1].
func checkScore(score *float64) error {
	if score != nil && (math.IsNaN(*score) || *score < 0 || *score > 1) {
		return fmt.Errorf("score %v is not in [0, 1]", *score)
	}
	return nil
}

// PutResult creates or replaces a result.
func (s *Store) PutResult(ctx context.Context, r store.Result) error {
	if r.SourcedID == "" {
		return errors.New("sqlite: put result: empty sourced ID")
	}
	if err := checkScore(r.Score); err != nil {
		return fmt.Errorf("sqlite: put result: %w", err)
	}
	_, ts := now()
	_, err := s.st.putResult.ExecContext(ctx, r.SourcedID, r.LinkID, r.UserID, r.Score, r.Language, r.Comment, ts)
	if err != nil {
		return fmt.Errorf("sqlite: put result: %w", err)
	}
	return nil
}

const resultColumns = `sourced_id, link_id, user_id, score, language, comment, updated`

// scanResult reads a row of resultColumns.
func scanResult(row interface{ Scan(...any) error }) (store.Result, error) {
	var (
		r       store.Result
		score   sql.NullFloat64
		updated string
	)
	if err := row.Scan(&r.SourcedID, &r.LinkID, &r.UserID, &score, &r.Language, &r.Comment, &updated); err != nil {
		return r, err
	}
	if score.Valid {
		r.Score = &score.Float64
	}
	var err error
	r.Updated, err = parseTime(updated)
	return r, err
}

// Result returns a result.
func (s *Store) Result(ctx context.Context, sourcedID string) (store.Result, error) {
	r, err := scanResult(s.st.result.QueryRowContext(lookupCtx(ctx), sourcedID))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Result{}, fmt.Errorf("sqlite: result: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Result{}, fmt.Errorf("sqlite: result: %w", err)
	}
	return r, nil
}

// DeleteResult removes a result, if it exists.
func (s *Store) DeleteResult(ctx context.Context, sourcedID string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM results WHERE sourced_id = ?`, sourcedID); err != nil {
		return fmt.Errorf("sqlite: delete result: %w", err)
	}
	return nil
}

// ListResults returns the results of a link, ordered by user ID.
func (s *Store) ListResults(ctx context.Context, linkID string) ([]store.Result, error) {
	rows, err := s.st.results.QueryContext(ctx, linkID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list results of link %q: %w", linkID, err)
	}
	defer rows.Close()
	out := []store.Result{}
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list results of link %q: %w", linkID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list results of link %q: %w", linkID, err)
	}
	return out, nil
}
