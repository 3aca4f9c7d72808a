package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// secretContext binds a tool proxy's sealed secrets (current and
// proposed) to its row.
func secretContext(guid string) string { return "toolproxy:" + guid }

// passwordContext binds a registration's sealed password to its row.
func passwordContext(key string) string { return "registration:" + key }

// validStatus reports whether st is one of the three states.
func validStatus(st store.Status) bool {
	return st == store.StatusPending || st == store.StatusActive || st == store.StatusDisabled
}

// CreateToolProxy stores a new proxy, consuming the registration
// credential of regKey in the same transaction when regKey is not empty:
// the credential's row is updated only while unused, so of concurrent
// registrations with one credential, in any number of processes, exactly
// one commits. An empty Status is stored as StatusPending.
func (s *Store) CreateToolProxy(ctx context.Context, tp store.ToolProxy, regKey string) error {
	if tp.GUID == "" {
		return errors.New("postgres: create tool proxy: empty GUID")
	}
	if tp.Status == "" {
		tp.Status = store.StatusPending
	}
	if !validStatus(tp.Status) {
		return fmt.Errorf("postgres: create tool proxy %q: invalid status %q", tp.GUID, tp.Status)
	}
	sealed, err := s.sealer.Seal(tp.Secret, secretContext(tp.GUID))
	if err != nil {
		return fmt.Errorf("postgres: create tool proxy %q: seal secret: %w", tp.GUID, err)
	}
	ts := stamp()
	err = s.withTx(ctx, func(tx pgx.Tx) error {
		if regKey != "" {
			tag, err := tx.Exec(ctx, `UPDATE registrations SET used = true, password = '' WHERE reg_key = $1 AND NOT used`, regKey)
			if err != nil {
				return err
			}
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("registration credential used or unknown: %w", store.ErrConflict)
			}
		}
		tag, err := tx.Exec(ctx, `INSERT INTO tool_proxies (guid, version, secret, status, document, name, profile, created, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (guid) DO NOTHING`,
			tp.GUID, tp.Version, sealed, string(tp.Status), nilIfEmpty(tp.Document), tp.Name, nilIfEmpty(tp.Profile), ts)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("GUID already taken: %w", store.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: create tool proxy %q: %w", tp.GUID, err)
	}
	return nil
}

// toolProxyQuery selects a proxy with its pending proposal, if any.
const toolProxyQuery = `SELECT t.guid, t.version, t.secret, t.status, t.document, t.name, t.profile, t.created, t.updated,
	p.guid IS NOT NULL, p.document, COALESCE(p.secret, ''), COALESCE(p.confirm_url, ''), p.created
	FROM tool_proxies t LEFT JOIN tool_proxy_proposals p ON p.guid = t.guid`

// scanToolProxy reads a row of toolProxyQuery and opens its secrets.
func (s *Store) scanToolProxy(row pgx.Row) (store.ToolProxy, error) {
	var (
		tp             store.ToolProxy
		secret, status string
		hasP           bool
		pDoc           []byte
		pSecret, pURL  string
		pCreated       *time.Time
	)
	if err := row.Scan(&tp.GUID, &tp.Version, &secret, &status, &tp.Document, &tp.Name, &tp.Profile, &tp.Created, &tp.Updated,
		&hasP, &pDoc, &pSecret, &pURL, &pCreated); err != nil {
		return tp, err
	}
	tp.Status = store.Status(status)
	tp.Document, tp.Profile = nilIfEmpty(tp.Document), nilIfEmpty(tp.Profile)
	tp.Created, tp.Updated = tp.Created.UTC(), tp.Updated.UTC()
	var err error
	if tp.Secret, err = s.sealer.Open(secret, secretContext(tp.GUID)); err != nil {
		return tp, fmt.Errorf("open secret: %w", err)
	}
	if hasP {
		p := &store.Proposal{Document: nilIfEmpty(pDoc), ConfirmURL: pURL}
		if pCreated != nil {
			p.Created = pCreated.UTC()
		}
		if p.Secret, err = s.sealer.Open(pSecret, secretContext(tp.GUID)); err != nil {
			return tp, fmt.Errorf("open proposed secret: %w", err)
		}
		tp.Pending = p
	}
	return tp, nil
}

// ToolProxy returns the proxy of guid with its secrets opened.
func (s *Store) ToolProxy(ctx context.Context, guid string) (store.ToolProxy, error) {
	tp, err := s.scanToolProxy(s.pool.QueryRow(ctx, toolProxyQuery+` WHERE t.guid = $1`, guid))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ToolProxy{}, fmt.Errorf("postgres: tool proxy %q: %w", guid, store.ErrNotFound)
	}
	if err != nil {
		return store.ToolProxy{}, fmt.Errorf("postgres: tool proxy %q: %w", guid, err)
	}
	return tp, nil
}

// ListToolProxies returns every proxy, ordered by GUID.
func (s *Store) ListToolProxies(ctx context.Context) ([]store.ToolProxy, error) {
	rows, err := s.pool.Query(ctx, toolProxyQuery+` ORDER BY t.guid`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tool proxies: %w", err)
	}
	defer rows.Close()
	out := []store.ToolProxy{}
	for rows.Next() {
		tp, err := s.scanToolProxy(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list tool proxies: %w", err)
		}
		out = append(out, tp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list tool proxies: %w", err)
	}
	return out, nil
}

// SetToolProxyStatus changes the state of a proxy.
func (s *Store) SetToolProxyStatus(ctx context.Context, guid string, st store.Status) error {
	if !validStatus(st) {
		return fmt.Errorf("postgres: set status of tool proxy %q: invalid status %q", guid, st)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE tool_proxies SET status = $1, updated = $2 WHERE guid = $3`, string(st), stamp(), guid)
	if err != nil {
		return fmt.Errorf("postgres: set status of tool proxy %q: %w", guid, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: set status of tool proxy %q: %w", guid, store.ErrNotFound)
	}
	return nil
}

// ProposeToolProxy records a re-registration's proposal, replacing any
// earlier one.
func (s *Store) ProposeToolProxy(ctx context.Context, guid string, p store.Proposal) error {
	sealed, err := s.sealer.Seal(p.Secret, secretContext(guid))
	if err != nil {
		return fmt.Errorf("postgres: propose tool proxy %q: seal secret: %w", guid, err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO tool_proxy_proposals (guid, document, secret, confirm_url, created)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (guid) DO UPDATE SET document = EXCLUDED.document, secret = EXCLUDED.secret,
			confirm_url = EXCLUDED.confirm_url, created = EXCLUDED.created`,
		guid, nilIfEmpty(p.Document), sealed, p.ConfirmURL, stamp())
	if isForeignKey(err) {
		return fmt.Errorf("postgres: propose tool proxy %q: %w", guid, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("postgres: propose tool proxy %q: %w", guid, err)
	}
	return nil
}

// lockProxy locks the row of a tool proxy against concurrent changes
// until the end of tx (FOR NO KEY UPDATE: rows referring to it may still
// be inserted); ErrNotFound when there is none.
func lockProxy(ctx context.Context, tx pgx.Tx, guid string) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM tool_proxies WHERE guid = $1 FOR NO KEY UPDATE`, guid).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("tool proxy %q: %w", guid, store.ErrNotFound)
	}
	return err
}

// CommitProposal makes the pending proposal the proxy's document and
// secret in one transaction.
func (s *Store) CommitProposal(ctx context.Context, guid, confirmURL string) error {
	err := s.withTx(ctx, func(tx pgx.Tx) error {
		if err := lockProxy(ctx, tx, guid); err != nil {
			return err
		}
		var (
			doc    []byte
			secret string
		)
		err := tx.QueryRow(ctx, `DELETE FROM tool_proxy_proposals WHERE guid = $1 AND confirm_url = $2 RETURNING document, secret`, guid, confirmURL).Scan(&doc, &secret)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("no proposal with that confirm URL pending: %w", store.ErrConflict)
		}
		if err != nil {
			return err
		}
		// The proposed secret is sealed for the same row, so it moves as
		// it is.
		_, err = tx.Exec(ctx, `UPDATE tool_proxies SET document = $2, secret = $3, updated = $4 WHERE guid = $1`, guid, doc, secret, stamp())
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: commit proposal of tool proxy %q: %w", guid, err)
	}
	return nil
}

// DismissProposal drops the pending proposal, if any.
func (s *Store) DismissProposal(ctx context.Context, guid, confirmURL string) error {
	var exists, other bool
	err := s.pool.QueryRow(ctx, `WITH d AS (DELETE FROM tool_proxy_proposals WHERE guid = $1 AND confirm_url = $2)
		SELECT EXISTS (SELECT 1 FROM tool_proxies WHERE guid = $1),
			EXISTS (SELECT 1 FROM tool_proxy_proposals WHERE guid = $1 AND confirm_url <> $2)`, guid, confirmURL).Scan(&exists, &other)
	if err != nil {
		return fmt.Errorf("postgres: dismiss proposal of tool proxy %q: %w", guid, err)
	}
	if !exists {
		return fmt.Errorf("postgres: dismiss proposal of tool proxy %q: %w", guid, store.ErrNotFound)
	}
	if other {
		return fmt.Errorf("postgres: dismiss proposal of tool proxy %q: the pending proposal has another confirm URL: %w", guid, store.ErrConflict)
	}
	return nil
}

// DeleteToolProxy removes a proxy with its proposal, bindings, links,
// settings at every scope, and the results of its links.
func (s *Store) DeleteToolProxy(ctx context.Context, guid string) error {
	err := s.withTx(ctx, func(tx pgx.Tx) error {
		// FOR UPDATE: no link or setting can be added to it meanwhile.
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM tool_proxies WHERE guid = $1 FOR UPDATE`, guid).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM results WHERE link_id IN (SELECT id FROM links WHERE guid = $1)`, guid); err != nil {
			return err
		}
		// Proposal, bindings, links and settings go by ON DELETE CASCADE.
		_, err = tx.Exec(ctx, `DELETE FROM tool_proxies WHERE guid = $1`, guid)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete tool proxy %q: %w", guid, err)
	}
	return nil
}

// CreateRegistration stores a new one-time credential; a key already
// stored (used or not) is ErrConflict.
func (s *Store) CreateRegistration(ctx context.Context, r store.Registration) error {
	if r.Key == "" {
		return errors.New("postgres: create registration: empty key")
	}
	sealed, err := s.sealer.Seal(r.Password, passwordContext(r.Key))
	if err != nil {
		return fmt.Errorf("postgres: create registration: seal password: %w", err)
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO registrations (reg_key, password, return_url, expires, created)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reg_key) DO NOTHING`,
		r.Key, sealed, r.ReturnURL, r.Expires.UTC().Truncate(time.Microsecond), stamp())
	if err != nil {
		return fmt.Errorf("postgres: create registration: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("postgres: create registration: key already used: %w", store.ErrConflict)
	}
	return nil
}

// Registration returns the unused credential of key.
func (s *Store) Registration(ctx context.Context, key string) (store.Registration, error) {
	var (
		r      store.Registration
		sealed string
	)
	err := s.pool.QueryRow(ctx, `SELECT reg_key, password, return_url, expires, created FROM registrations
		WHERE reg_key = $1 AND NOT used`, key).Scan(&r.Key, &sealed, &r.ReturnURL, &r.Expires, &r.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Registration{}, fmt.Errorf("postgres: registration: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Registration{}, fmt.Errorf("postgres: registration: %w", err)
	}
	r.Expires, r.Created = r.Expires.UTC(), r.Created.UTC()
	if r.Password, err = s.sealer.Open(sealed, passwordContext(key)); err != nil {
		return store.Registration{}, fmt.Errorf("postgres: registration: open password: %w", err)
	}
	return r, nil
}
