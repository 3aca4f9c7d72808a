package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
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

// ToolSettings returns the settings of a container, ordered by name (in
// code point order); an empty slice when none are stored. It is one
// statement, so it sees one committed set.
func (s *Store) ToolSettings(ctx context.Context, sc store.Scope) ([]store.Pair, error) {
	guid, kind, cid, lid, err := scopeKey(sc)
	if err != nil {
		return nil, fmt.Errorf("postgres: tool settings: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT name, value FROM settings
		WHERE guid = $1 AND kind = $2 AND context_id = $3 AND link_id = $4 ORDER BY name`, guid, kind, cid, lid)
	if err != nil {
		return nil, fmt.Errorf("postgres: tool settings: %w", err)
	}
	defer rows.Close()
	out := []store.Pair{}
	for rows.Next() {
		var p store.Pair
		if err := rows.Scan(&p.Name, &p.Value); err != nil {
			return nil, fmt.Errorf("postgres: tool settings: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: tool settings: %w", err)
	}
	return out, nil
}

// PutToolSettings replaces every setting of a container in one
// transaction. The transaction first locks the tool proxy's row, so that
// concurrent replacements of its settings (from any process) run one
// after the other and the last one's set is stored whole. The tool proxy
// must exist (ErrNotFound otherwise); a name given twice is an error.
func (s *Store) PutToolSettings(ctx context.Context, sc store.Scope, settings []store.Pair) error {
	guid, kind, cid, lid, err := scopeKey(sc)
	if err != nil {
		return fmt.Errorf("postgres: put tool settings: %w", err)
	}
	names := make([]string, len(settings))
	values := make([]string, len(settings))
	seen := make(map[string]bool, len(settings))
	for i, p := range settings {
		if seen[p.Name] {
			return fmt.Errorf("postgres: put tool settings: name %q given twice", p.Name)
		}
		seen[p.Name] = true
		names[i], values[i] = p.Name, p.Value
	}
	err = s.withTx(ctx, func(tx pgx.Tx) error {
		if err := lockProxy(ctx, tx, guid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM settings WHERE guid = $1 AND kind = $2 AND context_id = $3 AND link_id = $4`,
			guid, kind, cid, lid); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO settings (guid, kind, context_id, link_id, name, value)
			SELECT $1, $2, $3, $4, n, v FROM unnest($5::text[], $6::text[]) AS x (n, v)`,
			guid, kind, cid, lid, names, values)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: put tool settings: %w", err)
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
		return errors.New("postgres: put result: empty sourced ID")
	}
	if err := checkScore(r.Score); err != nil {
		return fmt.Errorf("postgres: put result: %w", err)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO results (sourced_id, link_id, user_id, score, language, comment, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (sourced_id) DO UPDATE SET link_id = EXCLUDED.link_id, user_id = EXCLUDED.user_id,
			score = EXCLUDED.score, language = EXCLUDED.language, comment = EXCLUDED.comment, updated = EXCLUDED.updated`,
		r.SourcedID, r.LinkID, r.UserID, r.Score, r.Language, r.Comment, stamp())
	if err != nil {
		return fmt.Errorf("postgres: put result: %w", err)
	}
	return nil
}

const resultColumns = `sourced_id, link_id, user_id, score, language, comment, updated`

// scanResult reads a row of resultColumns.
func scanResult(row pgx.Row) (store.Result, error) {
	var r store.Result
	if err := row.Scan(&r.SourcedID, &r.LinkID, &r.UserID, &r.Score, &r.Language, &r.Comment, &r.Updated); err != nil {
		return r, err
	}
	r.Updated = r.Updated.UTC()
	return r, nil
}

// Result returns a result.
func (s *Store) Result(ctx context.Context, sourcedID string) (store.Result, error) {
	r, err := scanResult(s.pool.QueryRow(ctx, `SELECT `+resultColumns+` FROM results WHERE sourced_id = $1`, sourcedID))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Result{}, fmt.Errorf("postgres: result: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Result{}, fmt.Errorf("postgres: result: %w", err)
	}
	return r, nil
}

// DeleteResult removes a result, if it exists.
func (s *Store) DeleteResult(ctx context.Context, sourcedID string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM results WHERE sourced_id = $1`, sourcedID); err != nil {
		return fmt.Errorf("postgres: delete result: %w", err)
	}
	return nil
}

// ListResults returns the results of a link, ordered by user ID.
func (s *Store) ListResults(ctx context.Context, linkID string) ([]store.Result, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+resultColumns+` FROM results WHERE link_id = $1 ORDER BY user_id, sourced_id`, linkID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list results of link %q: %w", linkID, err)
	}
	defer rows.Close()
	out := []store.Result{}
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list results of link %q: %w", linkID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list results of link %q: %w", linkID, err)
	}
	return out, nil
}

// nonceUpsert records a nonce, committing without waiting for the WAL
// flush: set_config(..., true) sets synchronous_commit=off for the
// statement's own transaction only (the connection goes back to the pool
// with its setting unchanged), and PostgreSQL reads the setting at commit.
// See Seen.
const nonceUpsert = `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
	INSERT INTO nonces (consumer_key, nonce, expires)
	SELECT $1, $2, GREATEST($3::timestamptz, now()) + $4::bigint * interval '1 microsecond' FROM async
	ON CONFLICT (consumer_key, nonce) DO UPDATE SET expires = EXCLUDED.expires WHERE nonces.expires <= now()`

// Seen records the nonce of consumerKey and reports whether it was
// already recorded and unexpired, in one statement: an upsert that
// inserts a new nonce, renews an expired one, and leaves a live one
// untouched (no row changed: a replay). Concurrent inserts of one nonce,
// from any process, wait for each other on its primary key, so exactly one
// of them reports it new. A nonce is kept until its retention has passed
// after the later of ts and the database's clock.
//
// The statement commits with synchronous_commit=off: the check and the
// record stay one atomic step, visible to every instance as soon as Seen
// returns; only the commit does not wait for its WAL record to reach the
// disk (the WAL writer flushes it within a few hundred milliseconds, and
// any later synchronous commit flushes it too). A crash of the database
// server (not of an instance) in that interval can lose the nonce, which
// lets its request be replayed once within its timestamp window; every
// other write keeps the server's durability.
func (s *Store) Seen(ctx context.Context, consumerKey, nonce string, ts time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, nonceUpsert, consumerKey, nonce, ts.UTC(), s.retention.Microseconds())
	if err != nil {
		return false, fmt.Errorf("postgres: record nonce: %w", err)
	}
	return tag.RowsAffected() == 0, nil
}
