package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ltiforge/ltiforge/runtime/store"
)

// PutContext creates or replaces a context.
func (s *Store) PutContext(ctx context.Context, c store.Context) error {
	if c.ID == "" {
		return errors.New("sqlite: put context: empty ID")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO contexts (id, type, label, title) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET type = excluded.type, label = excluded.label, title = excluded.title`,
		c.ID, c.Type, c.Label, c.Title)
	if err != nil {
		return fmt.Errorf("sqlite: put context %q: %w", c.ID, err)
	}
	return nil
}

// Context returns a context.
func (s *Store) Context(ctx context.Context, id string) (store.Context, error) {
	var c store.Context
	err := s.st.context.QueryRowContext(lookupCtx(ctx), id).
		Scan(&c.ID, &c.Type, &c.Label, &c.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("sqlite: context %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("sqlite: context %q: %w", id, err)
	}
	return c, nil
}

// ListContexts returns every context, ordered by ID.
func (s *Store) ListContexts(ctx context.Context) ([]store.Context, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, type, label, title FROM contexts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list contexts: %w", err)
	}
	defer rows.Close()
	out := []store.Context{}
	for rows.Next() {
		var c store.Context
		if err := rows.Scan(&c.ID, &c.Type, &c.Label, &c.Title); err != nil {
			return nil, fmt.Errorf("sqlite: list contexts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list contexts: %w", err)
	}
	return out, nil
}

// Bind records that a tool proxy is deployed in a context. The tool proxy
// must exist (ErrNotFound otherwise); the context need not be stored.
func (s *Store) Bind(ctx context.Context, guid, contextID string) error {
	if contextID == "" {
		return errors.New("sqlite: bind: empty context ID")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO bindings (guid, context_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, guid, contextID)
	if isForeignKey(err) {
		return fmt.Errorf("sqlite: bind tool proxy %q: %w", guid, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: bind tool proxy %q to context %q: %w", guid, contextID, err)
	}
	return nil
}

// Bound reports whether a tool proxy is deployed in a context.
func (s *Store) Bound(ctx context.Context, guid, contextID string) (bool, error) {
	var ok bool
	err := s.st.bound.QueryRowContext(lookupCtx(ctx), guid, contextID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("sqlite: bound: %w", err)
	}
	return ok, nil
}

// encodePairs encodes custom parameters as a JSON array of [name, value]
// arrays, which keeps their order.
func encodePairs(ps []store.Pair) (string, error) {
	arr := make([][2]string, len(ps))
	for i, p := range ps {
		arr[i] = [2]string{p.Name, p.Value}
	}
	b, err := json.Marshal(arr)
	return string(b), err
}

// decodePairs reverses encodePairs; no pairs decode as nil.
func decodePairs(s string) ([]store.Pair, error) {
	if s == "[]" { // what most links store, read without the JSON decoder
		return nil, nil
	}
	var arr [][2]string
	if err := json.Unmarshal([]byte(s), &arr); err != nil {
		return nil, fmt.Errorf("bad stored custom parameters: %w", err)
	}
	if len(arr) == 0 {
		return nil, nil
	}
	ps := make([]store.Pair, len(arr))
	for i, a := range arr {
		ps[i] = store.Pair{Name: a[0], Value: a[1]}
	}
	return ps, nil
}

// PutLink creates or replaces a link and binds its tool to its context,
// in one transaction. The tool proxy must exist (ErrNotFound otherwise).
func (s *Store) PutLink(ctx context.Context, l store.Link) error {
	if l.ID == "" || l.ContextID == "" {
		return errors.New("sqlite: put link: empty ID or context ID")
	}
	custom, err := encodePairs(l.Custom)
	if err != nil {
		return fmt.Errorf("sqlite: put link %q: %w", l.ID, err)
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO links (id, context_id, guid, resource_type, title, custom, gradable)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET context_id = excluded.context_id, guid = excluded.guid,
				resource_type = excluded.resource_type, title = excluded.title, custom = excluded.custom,
				gradable = excluded.gradable`,
			l.ID, l.ContextID, l.ToolProxyGUID, l.ResourceType, l.Title, custom, bool2int(l.Gradable)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bindings (guid, context_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, l.ToolProxyGUID, l.ContextID)
		return err
	})
	if isForeignKey(err) {
		return fmt.Errorf("sqlite: put link %q: tool proxy %q: %w", l.ID, l.ToolProxyGUID, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: put link %q: %w", l.ID, err)
	}
	return nil
}

const linkColumns = `id, context_id, guid, resource_type, title, custom, gradable`

// scanLink reads a row of linkColumns.
func scanLink(row interface{ Scan(...any) error }) (store.Link, error) {
	var (
		l      store.Link
		custom string
	)
	if err := row.Scan(&l.ID, &l.ContextID, &l.ToolProxyGUID, &l.ResourceType, &l.Title, &custom, &l.Gradable); err != nil {
		return l, err
	}
	var err error
	l.Custom, err = decodePairs(custom)
	return l, err
}

// Link returns a link.
func (s *Store) Link(ctx context.Context, id string) (store.Link, error) {
	l, err := scanLink(s.st.link.QueryRowContext(lookupCtx(ctx), id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Link{}, fmt.Errorf("sqlite: link %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Link{}, fmt.Errorf("sqlite: link %q: %w", id, err)
	}
	return l, nil
}

// ListLinks returns the links of a context, ordered by ID.
func (s *Store) ListLinks(ctx context.Context, contextID string) ([]store.Link, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+linkColumns+` FROM links WHERE context_id = ? ORDER BY id`, contextID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list links of context %q: %w", contextID, err)
	}
	defer rows.Close()
	out := []store.Link{}
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list links of context %q: %w", contextID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list links of context %q: %w", contextID, err)
	}
	return out, nil
}

// PutUser creates or replaces a user.
func (s *Store) PutUser(ctx context.Context, u store.User) error {
	if u.ID == "" {
		return errors.New("sqlite: put user: empty ID")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO users (id, sourced_id, name, given, family, email) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET sourced_id = excluded.sourced_id, name = excluded.name,
			given = excluded.given, family = excluded.family, email = excluded.email`,
		u.ID, u.SourcedID, u.Name, u.Given, u.Family, u.Email)
	if err != nil {
		return fmt.Errorf("sqlite: put user %q: %w", u.ID, err)
	}
	return nil
}

// User returns a user.
func (s *Store) User(ctx context.Context, id string) (store.User, error) {
	var u store.User
	err := s.st.user.QueryRowContext(lookupCtx(ctx), id).
		Scan(&u.ID, &u.SourcedID, &u.Name, &u.Given, &u.Family, &u.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("sqlite: user %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("sqlite: user %q: %w", id, err)
	}
	return u, nil
}

// PutMembership creates or replaces a membership. The user and the
// context need not be stored yet.
func (s *Store) PutMembership(ctx context.Context, m store.Membership) error {
	if m.ContextID == "" || m.UserID == "" {
		return errors.New("sqlite: put membership: empty context or user ID")
	}
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	enc, err := json.Marshal(roles)
	if err != nil {
		return fmt.Errorf("sqlite: put membership: %w", err)
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (context_id, user_id, roles, active) VALUES (?, ?, ?, ?)
			ON CONFLICT (context_id, user_id) DO UPDATE SET roles = excluded.roles, active = excluded.active`,
			m.ContextID, m.UserID, string(enc), bool2int(m.Active)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM membership_roles WHERE context_id = ? AND user_id = ?`, m.ContextID, m.UserID); err != nil {
			return err
		}
		for _, r := range m.Roles {
			if _, err := tx.ExecContext(ctx, `INSERT INTO membership_roles (context_id, user_id, role) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, m.ContextID, m.UserID, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: put membership of user %q in context %q: %w", m.UserID, m.ContextID, err)
	}
	return nil
}

// Membership returns a user's membership in a context.
func (s *Store) Membership(ctx context.Context, contextID, userID string) (store.Membership, error) {
	m := store.Membership{ContextID: contextID, UserID: userID}
	var roles string
	err := s.st.membership.QueryRowContext(lookupCtx(ctx), contextID, userID).Scan(&roles, &m.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Membership{}, fmt.Errorf("sqlite: membership of user %q in context %q: %w", userID, contextID, store.ErrNotFound)
	}
	if err != nil {
		return store.Membership{}, fmt.Errorf("sqlite: membership of user %q in context %q: %w", userID, contextID, err)
	}
	if err := json.Unmarshal([]byte(roles), &m.Roles); err != nil {
		return store.Membership{}, fmt.Errorf("sqlite: membership of user %q in context %q: bad stored roles: %w", userID, contextID, err)
	}
	if len(m.Roles) == 0 {
		m.Roles = nil
	}
	return m, nil
}

// pageSize applies the limits of MemberQuery.Limit.
func pageSize(limit int) int {
	if limit <= 0 {
		return store.DefaultMemberLimit
	}
	return min(limit, store.MaxMemberLimit)
}

// Members returns one page of a context's roster, ordered by user ID. A
// member whose user is not stored has only User.ID set.
func (s *Store) Members(ctx context.Context, contextID string, q store.MemberQuery) ([]store.Member, string, error) {
	limit := pageSize(q.Limit)
	// One row more than the page tells whether another page follows.
	rows, err := s.st.members.QueryContext(ctx, contextID, q.After, q.Role, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("sqlite: members of context %q: %w", contextID, err)
	}
	defer rows.Close()
	out := []store.Member{}
	for rows.Next() {
		var (
			mb    store.Member
			roles string
		)
		if err := rows.Scan(&mb.UserID, &roles, &mb.Active, &mb.User.SourcedID, &mb.User.Name, &mb.User.Given, &mb.User.Family, &mb.User.Email); err != nil {
			return nil, "", fmt.Errorf("sqlite: members of context %q: %w", contextID, err)
		}
		mb.ContextID = contextID
		mb.User.ID = mb.UserID
		if err := json.Unmarshal([]byte(roles), &mb.Roles); err != nil {
			return nil, "", fmt.Errorf("sqlite: members of context %q: bad stored roles: %w", contextID, err)
		}
		if len(mb.Roles) == 0 {
			mb.Roles = nil
		}
		out = append(out, mb)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("sqlite: members of context %q: %w", contextID, err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].UserID
	}
	return out, next, nil
}
