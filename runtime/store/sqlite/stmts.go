package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SQL of the statements the store prepares once, at Open.
const (
	toolProxyByGUID = toolProxyQuery + ` WHERE t.guid = ?`

	registrationByKey = `SELECT reg_key, password, return_url, expires, created FROM registrations
		WHERE reg_key = ? AND used = 0`

	contextByID = `SELECT id, type, label, title FROM contexts WHERE id = ?`

	boundQuery = `SELECT EXISTS (SELECT 1 FROM bindings WHERE guid = ? AND context_id = ?)`

	linkByID = `SELECT ` + linkColumns + ` FROM links WHERE id = ?`

	userByID = `SELECT id, sourced_id, name, given, family, email FROM users WHERE id = ?`

	membershipQuery = `SELECT roles, active FROM memberships WHERE context_id = ? AND user_id = ?`

	membersQuery = `SELECT m.user_id, m.roles, m.active,
			COALESCE(u.sourced_id, ''), COALESCE(u.name, ''), COALESCE(u.given, ''), COALESCE(u.family, ''), COALESCE(u.email, '')
		FROM memberships m LEFT JOIN users u ON u.id = m.user_id
		WHERE m.context_id = ?1 AND m.user_id > ?2
			AND (?3 = '' OR EXISTS (SELECT 1 FROM membership_roles r
				WHERE r.context_id = m.context_id AND r.role = ?3 AND r.user_id = m.user_id))
		ORDER BY m.user_id LIMIT ?4`

	settingsQuery = `SELECT name, value FROM settings
		WHERE guid = ? AND kind = ? AND context_id = ? AND link_id = ? ORDER BY name`

	resultBySourcedID = `SELECT ` + resultColumns + ` FROM results WHERE sourced_id = ?`

	resultsOfLink = `SELECT ` + resultColumns + ` FROM results WHERE link_id = ? ORDER BY user_id, sourced_id`

	proxyExists = `SELECT EXISTS (SELECT 1 FROM tool_proxies WHERE guid = ?)`

	settingsDelete = `DELETE FROM settings WHERE guid = ? AND kind = ? AND context_id = ? AND link_id = ?`

	settingsInsert = `INSERT INTO settings (guid, kind, context_id, link_id, name, value) VALUES (?, ?, ?, ?, ?, ?)`

	resultUpsert = `INSERT INTO results (sourced_id, link_id, user_id, score, language, comment, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sourced_id) DO UPDATE SET link_id = excluded.link_id, user_id = excluded.user_id,
			score = excluded.score, language = excluded.language, comment = excluded.comment, updated = excluded.updated`

	nonceUpsert = `INSERT INTO nonces (consumer_key, nonce, expires) VALUES (?, ?, ?)
		ON CONFLICT (consumer_key, nonce) DO UPDATE SET expires = excluded.expires WHERE nonces.expires <= ?`
)

// stmts are the statements of the hot paths, prepared once per Store so
// that SQLite does not parse their text at every call. A *sql.Stmt is
// safe for concurrent use: database/sql prepares it again on each
// connection of its pool that runs it, and keeps it there. Statements of
// the read pool run on the read-only connections; those of the write pool
// run on the single writer connection, in a transaction through
// tx.StmtContext.
type stmts struct {
	// Read pool.
	toolProxy, registration, context, bound, link, user, membership, members,
	settings, result, results *sql.Stmt
	// Write pool.
	proxyExists, settingsDelete, settingsInsert, putResult, seen *sql.Stmt
}

// prepare prepares the statements of the store's two pools.
func (s *Store) prepare(ctx context.Context) error {
	var all []*sql.Stmt
	p := func(db *sql.DB, dst **sql.Stmt, query string) error {
		st, err := db.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("prepare %.40q: %w", query, err)
		}
		*dst = st
		all = append(all, st)
		return nil
	}
	st := &s.st
	err := errors.Join(
		p(s.r, &st.toolProxy, toolProxyByGUID),
		p(s.r, &st.registration, registrationByKey),
		p(s.r, &st.context, contextByID),
		p(s.r, &st.bound, boundQuery),
		p(s.r, &st.link, linkByID),
		p(s.r, &st.user, userByID),
		p(s.r, &st.membership, membershipQuery),
		p(s.r, &st.members, membersQuery),
		p(s.r, &st.settings, settingsQuery),
		p(s.r, &st.result, resultBySourcedID),
		p(s.r, &st.results, resultsOfLink),
		p(s.w, &st.proxyExists, proxyExists),
		p(s.w, &st.settingsDelete, settingsDelete),
		p(s.w, &st.settingsInsert, settingsInsert),
		p(s.w, &st.putResult, resultUpsert),
		p(s.w, &st.seen, nonceUpsert),
	)
	if err != nil {
		for _, st := range all {
			st.Close()
		}
		return err
	}
	return nil
}

// close closes the prepared statements.
func (st *stmts) close() error {
	var errs []error
	for _, s := range []*sql.Stmt{
		st.toolProxy, st.registration, st.context, st.bound, st.link, st.user, st.membership, st.members,
		st.settings, st.result, st.results,
		st.proxyExists, st.settingsDelete, st.settingsInsert, st.putResult, st.seen,
	} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}
