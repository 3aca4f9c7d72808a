package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
// credential of regKey in the same transaction when regKey is not empty.
// An empty Status is stored as StatusPending.
func (s *Store) CreateToolProxy(ctx context.Context, tp store.ToolProxy, regKey string) error {
	if tp.GUID == "" {
		return errors.New("sqlite: create tool proxy: empty GUID")
	}
	if tp.Status == "" {
		tp.Status = store.StatusPending
	}
	if !validStatus(tp.Status) {
		return fmt.Errorf("sqlite: create tool proxy %q: invalid status %q", tp.GUID, tp.Status)
	}
	sealed, err := s.sealer.Seal(tp.Secret, secretContext(tp.GUID))
	if err != nil {
		return fmt.Errorf("sqlite: create tool proxy %q: seal secret: %w", tp.GUID, err)
	}
	_, ts := now()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if regKey != "" {
			res, err := tx.ExecContext(ctx, `UPDATE registrations SET used = 1, password = '' WHERE reg_key = ? AND used = 0`, regKey)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				return fmt.Errorf("registration credential used or unknown: %w", store.ErrConflict)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tool_proxies (guid, version, secret, status, document, name, profile, created, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guid) DO NOTHING`,
			tp.GUID, tp.Version, sealed, string(tp.Status), nilIfEmpty(tp.Document), tp.Name, nilIfEmpty(tp.Profile), ts, ts)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("GUID already taken: %w", store.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: create tool proxy %q: %w", tp.GUID, err)
	}
	return nil
}

// toolProxyQuery selects a proxy with its pending proposal, if any.
const toolProxyQuery = `SELECT t.guid, t.version, t.secret, t.status, t.document, t.name, t.profile, t.created, t.updated,
	p.guid IS NOT NULL, p.document, COALESCE(p.secret, ''), COALESCE(p.confirm_url, ''), COALESCE(p.created, '')
	FROM tool_proxies t LEFT JOIN tool_proxy_proposals p ON p.guid = t.guid`

// scanToolProxy reads a row of toolProxyQuery and opens its secrets.
func (s *Store) scanToolProxy(row interface{ Scan(...any) error }) (store.ToolProxy, error) {
	var (
		tp                    store.ToolProxy
		secret, status        string
		created, updated      string
		hasP                  bool
		pDoc                  []byte
		pSecret, pURL, pStamp string
	)
	if err := row.Scan(&tp.GUID, &tp.Version, &secret, &status, &tp.Document, &tp.Name, &tp.Profile, &created, &updated,
		&hasP, &pDoc, &pSecret, &pURL, &pStamp); err != nil {
		return tp, err
	}
	tp.Status = store.Status(status)
	tp.Document, tp.Profile = nilIfEmpty(tp.Document), nilIfEmpty(tp.Profile)
	var err error
	if tp.Created, err = parseTime(created); err != nil {
		return tp, err
	}
	if tp.Updated, err = parseTime(updated); err != nil {
		return tp, err
	}
	if tp.Secret, err = s.sealer.Open(secret, secretContext(tp.GUID)); err != nil {
		return tp, fmt.Errorf("open secret: %w", err)
	}
	if hasP {
		p := &store.Proposal{Document: nilIfEmpty(pDoc), ConfirmURL: pURL}
		if p.Created, err = parseTime(pStamp); err != nil {
			return tp, err
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
	tp, err := s.scanToolProxy(s.st.toolProxy.QueryRowContext(lookupCtx(ctx), guid))
	if errors.Is(err, sql.ErrNoRows) {
		return store.ToolProxy{}, fmt.Errorf("sqlite: tool proxy %q: %w", guid, store.ErrNotFound)
	}
	if err != nil {
		return store.ToolProxy{}, fmt.Errorf("sqlite: tool proxy %q: %w", guid, err)
	}
	return tp, nil
}

// ListToolProxies returns every proxy, ordered by GUID.
func (s *Store) ListToolProxies(ctx context.Context) ([]store.ToolProxy, error) {
	rows, err := s.r.QueryContext(ctx, toolProxyQuery+` ORDER BY t.guid`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tool proxies: %w", err)
	}
	defer rows.Close()
	out := []store.ToolProxy{}
	for rows.Next() {
		tp, err := s.scanToolProxy(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list tool proxies: %w", err)
		}
		out = append(out, tp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list tool proxies: %w", err)
	}
	return out, nil
}

// SetToolProxyStatus changes the state of a proxy.
func (s *Store) SetToolProxyStatus(ctx context.Context, guid string, st store.Status) error {
	if !validStatus(st) {
		return fmt.Errorf("sqlite: set status of tool proxy %q: invalid status %q", guid, st)
	}
	_, ts := now()
	res, err := s.w.ExecContext(ctx, `UPDATE tool_proxies SET status = ?, updated = ? WHERE guid = ?`, string(st), ts, guid)
	if err != nil {
		return fmt.Errorf("sqlite: set status of tool proxy %q: %w", guid, err)
	}
	return expectOne(res, "sqlite: set status of tool proxy %q", guid)
}

// expectOne reports ErrNotFound when res changed no row.
func expectOne(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf(format+": %w", append(args, err)...)
	}
	if n == 0 {
		return fmt.Errorf(format+": %w", append(args, store.ErrNotFound)...)
	}
	return nil
}

// ProposeToolProxy records a re-registration's proposal, replacing any
// earlier one.
func (s *Store) ProposeToolProxy(ctx context.Context, guid string, p store.Proposal) error {
	sealed, err := s.sealer.Seal(p.Secret, secretContext(guid))
	if err != nil {
		return fmt.Errorf("sqlite: propose tool proxy %q: seal secret: %w", guid, err)
	}
	_, ts := now()
	_, err = s.w.ExecContext(ctx, `INSERT INTO tool_proxy_proposals (guid, document, secret, confirm_url, created)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (guid) DO UPDATE SET document = excluded.document, secret = excluded.secret,
			confirm_url = excluded.confirm_url, created = excluded.created`,
		guid, nilIfEmpty(p.Document), sealed, p.ConfirmURL, ts)
	if isForeignKey(err) {
		return fmt.Errorf("sqlite: propose tool proxy %q: %w", guid, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: propose tool proxy %q: %w", guid, err)
	}
	return nil
}

// CommitProposal makes the pending proposal the proxy's document and
// secret in one transaction.
func (s *Store) CommitProposal(ctx context.Context, guid, confirmURL string) error {
	_, ts := now()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tool_proxies WHERE guid = ?)`, guid).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return store.ErrNotFound
		}
		// The proposed secret is sealed for the same row, so it moves
		// as it is.
		res, err := tx.ExecContext(ctx, `UPDATE tool_proxies SET
			document = p.document, secret = p.secret, updated = ?
			FROM tool_proxy_proposals p WHERE p.guid = tool_proxies.guid AND tool_proxies.guid = ? AND p.confirm_url = ?`, ts, guid, confirmURL)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("no proposal with that confirm URL pending: %w", store.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM tool_proxy_proposals WHERE guid = ?`, guid)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: commit proposal of tool proxy %q: %w", guid, err)
	}
	return nil
}

// DismissProposal drops the pending proposal, if any.
func (s *Store) DismissProposal(ctx context.Context, guid, confirmURL string) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tool_proxies WHERE guid = ?)`, guid).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return store.ErrNotFound
		}
		var other bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tool_proxy_proposals WHERE guid = ? AND confirm_url <> ?)`, guid, confirmURL).Scan(&other); err != nil {
			return err
		}
		if other {
			return fmt.Errorf("the pending proposal has another confirm URL: %w", store.ErrConflict)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM tool_proxy_proposals WHERE guid = ?`, guid)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: dismiss proposal of tool proxy %q: %w", guid, err)
	}
	return nil
}

// DeleteToolProxy removes a proxy with its proposal, bindings, links,
// settings at every scope, and the results of its links.
func (s *Store) DeleteToolProxy(ctx context.Context, guid string) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM results WHERE link_id IN (SELECT id FROM links WHERE guid = ?)`, guid); err != nil {
			return err
		}
		// Proposal, bindings, links and settings go by ON DELETE CASCADE.
		res, err := tx.ExecContext(ctx, `DELETE FROM tool_proxies WHERE guid = ?`, guid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete tool proxy %q: %w", guid, err)
	}
	return nil
}

// CreateRegistration stores a new one-time credential; a key already
// stored (used or not) is ErrConflict.
func (s *Store) CreateRegistration(ctx context.Context, r store.Registration) error {
	if r.Key == "" {
		return errors.New("sqlite: create registration: empty key")
	}
	sealed, err := s.sealer.Seal(r.Password, passwordContext(r.Key))
	if err != nil {
		return fmt.Errorf("sqlite: create registration: seal password: %w", err)
	}
	_, ts := now()
	res, err := s.w.ExecContext(ctx, `INSERT INTO registrations (reg_key, password, return_url, expires, created)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (reg_key) DO NOTHING`,
		r.Key, sealed, r.ReturnURL, fmtTime(r.Expires), ts)
	if err != nil {
		return fmt.Errorf("sqlite: create registration: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: create registration: %w", err)
	} else if n != 1 {
		return fmt.Errorf("sqlite: create registration: key already used: %w", store.ErrConflict)
	}
	return nil
}

// Registration returns the unused credential of key.
func (s *Store) Registration(ctx context.Context, key string) (store.Registration, error) {
	var (
		r                        store.Registration
		sealed, expires, created string
	)
	err := s.st.registration.QueryRowContext(lookupCtx(ctx), key).Scan(&r.Key, &sealed, &r.ReturnURL, &expires, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Registration{}, fmt.Errorf("sqlite: registration: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Registration{}, fmt.Errorf("sqlite: registration: %w", err)
	}
	if r.Expires, err = parseTime(expires); err != nil {
		return store.Registration{}, fmt.Errorf("sqlite: registration: %w", err)
	}
	if r.Created, err = parseTime(created); err != nil {
		return store.Registration{}, fmt.Errorf("sqlite: registration: %w", err)
	}
	if r.Password, err = s.sealer.Open(sealed, passwordContext(key)); err != nil {
		return store.Registration{}, fmt.Errorf("sqlite: registration: open password: %w", err)
	}
	return r, nil
}
