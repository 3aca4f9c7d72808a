package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// PutContext creates or replaces a context.
func (s *Store) PutContext(ctx context.Context, c store.Context) error {
	if c.ID == "" {
		return errors.New("postgres: put context: empty ID")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO contexts (id, type, label, title) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, label = EXCLUDED.label, title = EXCLUDED.title`,
		c.ID, c.Type, c.Label, c.Title)
	if err != nil {
		return fmt.Errorf("postgres: put context %q: %w", c.ID, err)
	}
	return nil
}

// Context returns a context.
func (s *Store) Context(ctx context.Context, id string) (store.Context, error) {
	var c store.Context
	err := s.pool.QueryRow(ctx, `SELECT id, type, label, title FROM contexts WHERE id = $1`, id).
		Scan(&c.ID, &c.Type, &c.Label, &c.Title)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fmt.Errorf("postgres: context %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("postgres: context %q: %w", id, err)
	}
	return c, nil
}

// ListContexts returns every context, ordered by ID.
func (s *Store) ListContexts(ctx context.Context) ([]store.Context, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, type, label, title FROM contexts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list contexts: %w", err)
	}
	defer rows.Close()
	out := []store.Context{}
	for rows.Next() {
		var c store.Context
		if err := rows.Scan(&c.ID, &c.Type, &c.Label, &c.Title); err != nil {
			return nil, fmt.Errorf("postgres: list contexts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list contexts: %w", err)
	}
	return out, nil
}

// Bind records that a tool proxy is deployed in a context. The tool proxy
// must exist (ErrNotFound otherwise); the context need not be stored.
func (s *Store) Bind(ctx context.Context, guid, contextID string) error {
	if contextID == "" {
		return errors.New("postgres: bind: empty context ID")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO bindings (guid, context_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, guid, contextID)
	if isForeignKey(err) {
		return fmt.Errorf("postgres: bind tool proxy %q: %w", guid, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("postgres: bind tool proxy %q to context %q: %w", guid, contextID, err)
	}
	return nil
}

// Bound reports whether a tool proxy is deployed in a context.
func (s *Store) Bound(ctx context.Context, guid, contextID string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM bindings WHERE guid = $1 AND context_id = $2)`, guid, contextID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("postgres: bound: %w", err)
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
func decodePairs(b []byte) ([]store.Pair, error) {
	var arr [][2]string
	if err := json.Unmarshal(b, &arr); err != nil {
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
		return errors.New("postgres: put link: empty ID or context ID")
	}
	custom, err := encodePairs(l.Custom)
	if err != nil {
		return fmt.Errorf("postgres: put link %q: %w", l.ID, err)
	}
	err = s.withTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO links (id, context_id, guid, resource_type, title, custom, gradable)
			VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
			ON CONFLICT (id) DO UPDATE SET context_id = EXCLUDED.context_id, guid = EXCLUDED.guid,
				resource_type = EXCLUDED.resource_type, title = EXCLUDED.title, custom = EXCLUDED.custom,
				gradable = EXCLUDED.gradable`,
			l.ID, l.ContextID, l.ToolProxyGUID, l.ResourceType, l.Title, custom, l.Gradable); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO bindings (guid, context_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, l.ToolProxyGUID, l.ContextID)
		return err
	})
	if isForeignKey(err) {
		return fmt.Errorf("postgres: put link %q: tool proxy %q: %w", l.ID, l.ToolProxyGUID, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("postgres: put link %q: %w", l.ID, err)
	}
	return nil
}

const linkColumns = `id, context_id, guid, resource_type, title, custom::text, gradable`

// scanLink reads a row of linkColumns.
func scanLink(row pgx.Row) (store.Link, error) {
	var (
		l      store.Link
		custom string
	)
	if err := row.Scan(&l.ID, &l.ContextID, &l.ToolProxyGUID, &l.ResourceType, &l.Title, &custom, &l.Gradable); err != nil {
		return l, err
	}
	var err error
	l.Custom, err = decodePairs([]byte(custom))
	return l, err
}

// Link returns a link.
func (s *Store) Link(ctx context.Context, id string) (store.Link, error) {
	l, err := scanLink(s.pool.QueryRow(ctx, `SELECT `+linkColumns+` FROM links WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Link{}, fmt.Errorf("postgres: link %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Link{}, fmt.Errorf("postgres: link %q: %w", id, err)
	}
	return l, nil
}

// ListLinks returns the links of a context, ordered by ID.
func (s *Store) ListLinks(ctx context.Context, contextID string) ([]store.Link, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+linkColumns+` FROM links WHERE context_id = $1 ORDER BY id`, contextID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list links of context %q: %w", contextID, err)
	}
	defer rows.Close()
	out := []store.Link{}
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list links of context %q: %w", contextID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list links of context %q: %w", contextID, err)
	}
	return out, nil
}

// PutUser creates or replaces a user.
func (s *Store) PutUser(ctx context.Context, u store.User) error {
	if u.ID == "" {
		return errors.New("postgres: put user: empty ID")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO users (id, sourced_id, name, given, family, email) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET sourced_id = EXCLUDED.sourced_id, name = EXCLUDED.name,
			given = EXCLUDED.given, family = EXCLUDED.family, email = EXCLUDED.email`,
		u.ID, u.SourcedID, u.Name, u.Given, u.Family, u.Email)
	if err != nil {
		return fmt.Errorf("postgres: put user %q: %w", u.ID, err)
	}
	return nil
}

// User returns a user.
func (s *Store) User(ctx context.Context, id string) (store.User, error) {
	var u store.User
	err := s.pool.QueryRow(ctx, `SELECT id, sourced_id, name, given, family, email FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.SourcedID, &u.Name, &u.Given, &u.Family, &u.Email)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, fmt.Errorf("postgres: user %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("postgres: user %q: %w", id, err)
	}
	return u, nil
}

// PutMembership creates or replaces a membership. The user and the
// context need not be stored yet.
func (s *Store) PutMembership(ctx context.Context, m store.Membership) error {
	if m.ContextID == "" || m.UserID == "" {
		return errors.New("postgres: put membership: empty context or user ID")
	}
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	err := s.withTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (context_id, user_id, roles, active) VALUES ($1, $2, $3, $4)
			ON CONFLICT (context_id, user_id) DO UPDATE SET roles = EXCLUDED.roles, active = EXCLUDED.active`,
			m.ContextID, m.UserID, roles, m.Active); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM membership_roles WHERE context_id = $1 AND user_id = $2`, m.ContextID, m.UserID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO membership_roles (context_id, user_id, role)
			SELECT $1, $2, r FROM unnest($3::text[]) AS r ON CONFLICT DO NOTHING`, m.ContextID, m.UserID, roles)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: put membership of user %q in context %q: %w", m.UserID, m.ContextID, err)
	}
	return nil
}

// Membership returns a user's membership in a context.
func (s *Store) Membership(ctx context.Context, contextID, userID string) (store.Membership, error) {
	m := store.Membership{ContextID: contextID, UserID: userID}
	err := s.pool.QueryRow(ctx, `SELECT roles, active FROM memberships WHERE context_id = $1 AND user_id = $2`,
		contextID, userID).Scan(&m.Roles, &m.Active)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Membership{}, fmt.Errorf("postgres: membership of user %q in context %q: %w", userID, contextID, store.ErrNotFound)
	}
	if err != nil {
		return store.Membership{}, fmt.Errorf("postgres: membership of user %q in context %q: %w", userID, contextID, err)
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

// Members returns one page of a context's roster, ordered by user ID (in
// code point order). A member whose user is not stored has only User.ID
// set.
func (s *Store) Members(ctx context.Context, contextID string, q store.MemberQuery) ([]store.Member, string, error) {
	limit := pageSize(q.Limit)
	// One row more than the page tells whether another page follows.
	rows, err := s.pool.Query(ctx, `SELECT m.user_id, m.roles, m.active,
			COALESCE(u.sourced_id, ''), COALESCE(u.name, ''), COALESCE(u.given, ''), COALESCE(u.family, ''), COALESCE(u.email, '')
		FROM memberships m LEFT JOIN users u ON u.id = m.user_id
		WHERE m.context_id = $1 AND m.user_id > $2
			AND ($3::text = '' OR EXISTS (SELECT 1 FROM membership_roles r
				WHERE r.context_id = m.context_id AND r.role = $3::text AND r.user_id = m.user_id))
		ORDER BY m.user_id LIMIT $4`, contextID, q.After, q.Role, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("postgres: members of context %q: %w", contextID, err)
	}
	defer rows.Close()
	out := []store.Member{}
	for rows.Next() {
		var mb store.Member
		if err := rows.Scan(&mb.UserID, &mb.Roles, &mb.Active, &mb.User.SourcedID, &mb.User.Name, &mb.User.Given, &mb.User.Family, &mb.User.Email); err != nil {
			return nil, "", fmt.Errorf("postgres: members of context %q: %w", contextID, err)
		}
		mb.ContextID = contextID
		mb.User.ID = mb.UserID
		if len(mb.Roles) == 0 {
			mb.Roles = nil
		}
		out = append(out, mb)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("postgres: members of context %q: %w", contextID, err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].UserID
	}
	return out, next, nil
}
