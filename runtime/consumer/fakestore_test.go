package consumer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
)

// svcStore is a minimal in-memory store.Store for the service tests, so
// that they need no database. It follows the interface's documented
// semantics (ErrNotFound, ordering, paging, atomic replacement) and nothing
// more.
type svcStore struct {
	mu        sync.Mutex
	proxies   map[string]store.ToolProxy
	regs      map[string]store.Registration
	contexts  map[string]store.Context
	bindings  map[[2]string]bool
	links     map[string]store.Link
	users     map[string]store.User
	members   map[[2]string]store.Membership // context, user
	settings  map[store.Scope][]store.Pair
	results   map[string]store.Result
	nonces    map[[2]string]bool
	putWrites int // PutToolSettings and PutResult calls, to see that a refusal writes nothing
}

var _ store.Store = (*svcStore)(nil)

func newSvcStore() *svcStore {
	return &svcStore{
		proxies:  map[string]store.ToolProxy{},
		regs:     map[string]store.Registration{},
		contexts: map[string]store.Context{},
		bindings: map[[2]string]bool{},
		links:    map[string]store.Link{},
		users:    map[string]store.User{},
		members:  map[[2]string]store.Membership{},
		settings: map[store.Scope][]store.Pair{},
		results:  map[string]store.Result{},
		nonces:   map[[2]string]bool{},
	}
}

func notFound(what, id string) error { return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound) }

func (s *svcStore) Close() error { return nil }

func (s *svcStore) CreateToolProxy(_ context.Context, tp store.ToolProxy, regKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.proxies[tp.GUID]; ok {
		return fmt.Errorf("tool proxy %q: %w", tp.GUID, store.ErrConflict)
	}
	if regKey != "" {
		if _, ok := s.regs[regKey]; !ok {
			return fmt.Errorf("registration %q: %w", regKey, store.ErrConflict)
		}
		delete(s.regs, regKey)
	}
	tp.Created, tp.Updated = time.Now(), time.Now()
	s.proxies[tp.GUID] = tp
	return nil
}

func (s *svcStore) ToolProxy(_ context.Context, guid string) (store.ToolProxy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return store.ToolProxy{}, notFound("tool proxy", guid)
	}
	return tp, nil
}

func (s *svcStore) ListToolProxies(context.Context) ([]store.ToolProxy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.ToolProxy
	for _, tp := range s.proxies {
		out = append(out, tp)
	}
	slices.SortFunc(out, func(a, b store.ToolProxy) int { return cmp.Compare(a.GUID, b.GUID) })
	return out, nil
}

func (s *svcStore) SetToolProxyStatus(_ context.Context, guid string, st store.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return notFound("tool proxy", guid)
	}
	tp.Status, tp.Updated = st, time.Now()
	s.proxies[guid] = tp
	return nil
}

func (s *svcStore) ProposeToolProxy(_ context.Context, guid string, p store.Proposal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return notFound("tool proxy", guid)
	}
	p.Created = time.Now()
	tp.Pending = &p
	s.proxies[guid] = tp
	return nil
}

func (s *svcStore) CommitProposal(_ context.Context, guid, confirmURL string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return notFound("tool proxy", guid)
	}
	if tp.Pending == nil || tp.Pending.ConfirmURL != confirmURL {
		return fmt.Errorf("no proposal for %q: %w", guid, store.ErrConflict)
	}
	tp.Document, tp.Secret, tp.Pending, tp.Updated = tp.Pending.Document, tp.Pending.Secret, nil, time.Now()
	s.proxies[guid] = tp
	return nil
}

func (s *svcStore) DismissProposal(_ context.Context, guid, confirmURL string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return notFound("tool proxy", guid)
	}
	if tp.Pending != nil && tp.Pending.ConfirmURL != confirmURL {
		return store.ErrConflict
	}
	tp.Pending = nil
	s.proxies[guid] = tp
	return nil
}

func (s *svcStore) DeleteToolProxy(_ context.Context, guid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.proxies, guid)
	return nil
}

func (s *svcStore) CreateRegistration(_ context.Context, r store.Registration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Created = time.Now()
	s.regs[r.Key] = r
	return nil
}

func (s *svcStore) Registration(_ context.Context, key string) (store.Registration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.regs[key]
	if !ok {
		return store.Registration{}, notFound("registration", key)
	}
	return r, nil
}

func (s *svcStore) PutContext(_ context.Context, c store.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contexts[c.ID] = c
	return nil
}

func (s *svcStore) Context(_ context.Context, id string) (store.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contexts[id]
	if !ok {
		return store.Context{}, notFound("context", id)
	}
	return c, nil
}

func (s *svcStore) ListContexts(context.Context) ([]store.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Context
	for _, c := range s.contexts {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b store.Context) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *svcStore) Bind(_ context.Context, guid, contextID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bindings[[2]string{guid, contextID}] = true
	return nil
}

func (s *svcStore) Bound(_ context.Context, guid, contextID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bindings[[2]string{guid, contextID}], nil
}

func (s *svcStore) PutLink(_ context.Context, l store.Link) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links[l.ID] = l
	s.bindings[[2]string{l.ToolProxyGUID, l.ContextID}] = true
	return nil
}

func (s *svcStore) Link(_ context.Context, id string) (store.Link, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.links[id]
	if !ok {
		return store.Link{}, notFound("link", id)
	}
	return l, nil
}

func (s *svcStore) ListLinks(_ context.Context, contextID string) ([]store.Link, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Link
	for _, l := range s.links {
		if l.ContextID == contextID {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b store.Link) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *svcStore) PutUser(_ context.Context, u store.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
	return nil
}

func (s *svcStore) User(_ context.Context, id string) (store.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return store.User{}, notFound("user", id)
	}
	return u, nil
}

func (s *svcStore) PutMembership(_ context.Context, m store.Membership) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]string{m.ContextID, m.UserID}] = m
	return nil
}

func (s *svcStore) Membership(_ context.Context, contextID, userID string) (store.Membership, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.members[[2]string{contextID, userID}]
	if !ok {
		return store.Membership{}, notFound("membership", contextID+"/"+userID)
	}
	return m, nil
}

func (s *svcStore) Members(_ context.Context, contextID string, q store.MemberQuery) ([]store.Member, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultMemberLimit
	}
	limit = min(limit, store.MaxMemberLimit)
	var all []store.Member
	for k, m := range s.members {
		if k[0] != contextID || m.UserID <= q.After {
			continue
		}
		if q.Role != "" && !slices.Contains(m.Roles, q.Role) {
			continue
		}
		all = append(all, store.Member{Membership: m, User: s.users[m.UserID]})
	}
	slices.SortFunc(all, func(a, b store.Member) int { return strings.Compare(a.UserID, b.UserID) })
	if len(all) <= limit {
		return all, "", nil
	}
	page := all[:limit]
	return page, page[len(page)-1].UserID, nil
}

func (s *svcStore) ToolSettings(_ context.Context, sc store.Scope) ([]store.Pair, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]store.Pair{}, s.settings[sc]...), nil
}

func (s *svcStore) PutToolSettings(_ context.Context, sc store.Scope, settings []store.Pair) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putWrites++
	out := append([]store.Pair{}, settings...)
	slices.SortFunc(out, func(a, b store.Pair) int { return strings.Compare(a.Name, b.Name) })
	s.settings[sc] = out
	return nil
}

func (s *svcStore) PutResult(_ context.Context, r store.Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putWrites++
	r.Updated = time.Now()
	s.results[r.SourcedID] = r
	return nil
}

func (s *svcStore) Result(_ context.Context, sourcedID string) (store.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.results[sourcedID]
	if !ok {
		return store.Result{}, notFound("result", sourcedID)
	}
	return r, nil
}

func (s *svcStore) DeleteResult(_ context.Context, sourcedID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.results, sourcedID)
	return nil
}

func (s *svcStore) ListResults(_ context.Context, linkID string) ([]store.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Result
	for _, r := range s.results {
		if r.LinkID == linkID {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b store.Result) int { return cmp.Compare(a.UserID, b.UserID) })
	return out, nil
}

func (s *svcStore) Seen(_ context.Context, key, nonce string, _ time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]string{key, nonce}
	if s.nonces[k] {
		return true, nil
	}
	s.nonces[k] = true
	return false, nil
}

// writes returns how many settings and result writes the store took.
func (s *svcStore) writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putWrites
}
