package lms

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// cookieName is the name of the session cookie.
const cookieName = "lms_session"

// Session defaults.
const (
	// DefaultSessionTTL is how long an idle session lives when
	// Options.SessionTTL is zero.
	DefaultSessionTTL = 8 * time.Hour
	// DefaultMaxSessions bounds the sessions kept in memory when
	// Options.MaxSessions is zero.
	DefaultMaxSessions = 10000
)

// flash is a one-time message shown on the next page.
type flash struct {
	// Text is the message.
	Text string
	// Note is a secondary message (a tool's lti_msg), "" when none.
	Note string
	// Error marks a failure.
	Error bool
}

// session is what the LMS remembers of one browser. A session without a
// UserID is anonymous: it exists so that the sign-in form carries a CSRF
// token too.
type session struct {
	ID   string
	CSRF string
	// UserID is the signed-in user, "" for an anonymous session.
	UserID string
	// Name and RoleLabel describe the user in the page header.
	Name, RoleLabel string
	// Admin marks a system administrator.
	Admin bool

	flash   *flash
	expires time.Time
}

// sessions keeps sessions in memory, bounded in number, each expiring after
// a period of inactivity. It is safe for concurrent use.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	ttl time.Duration
	max int
	now func() time.Time
}

func newSessions(ttl time.Duration, max int, now func() time.Time) *sessions {
	return &sessions{m: make(map[string]*session), ttl: ttl, max: max, now: now}
}

// randomToken returns n random bytes, base64url encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// create stores a new session holding a copy of s (its ID, CSRF token and
// expiry are set here) and returns that copy.
func (ss *sessions) create(s session) session {
	s.ID = randomToken(32)
	s.CSRF = randomToken(32)
	s.flash = nil
	now := ss.now()
	s.expires = now.Add(ss.ttl)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.m) >= ss.max {
		ss.evictLocked(now)
	}
	stored := s
	ss.m[s.ID] = &stored
	return s
}

// evictLocked drops the expired sessions and, when the store is still full,
// the one closest to expiring (the least recently used).
func (ss *sessions) evictLocked(now time.Time) {
	var oldest *session
	for id, s := range ss.m {
		if !now.Before(s.expires) {
			delete(ss.m, id)
			continue
		}
		if oldest == nil || s.expires.Before(oldest.expires) {
			oldest = s
		}
	}
	if len(ss.m) >= ss.max && oldest != nil {
		delete(ss.m, oldest.ID)
	}
}

// get returns a copy of the live session id and extends its life.
func (ss *sessions) get(id string) (session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[id]
	if !ok {
		return session{}, false
	}
	now := ss.now()
	if !now.Before(s.expires) {
		delete(ss.m, id)
		return session{}, false
	}
	s.expires = now.Add(ss.ttl)
	return *s, true
}

// delete forgets a session.
func (ss *sessions) delete(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, id)
}

// setFlash records the message the session's next page shows.
func (ss *sessions) setFlash(id string, f flash) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if s, ok := ss.m[id]; ok {
		s.flash = &f
	}
}

// takeFlash returns and clears the session's message.
func (ss *sessions) takeFlash(id string) *flash {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[id]
	if !ok {
		return nil
	}
	f := s.flash
	s.flash = nil
	return f
}

// clear forgets every session.
func (ss *sessions) clear() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	clear(ss.m)
}

// len returns the number of sessions kept.
func (ss *sessions) len() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.m)
}

// validCSRF reports whether the request's csrf form field matches the
// session's token, in constant time.
func validCSRF(r *http.Request, s session) bool {
	got := r.PostFormValue("csrf")
	return got != "" && s.CSRF != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) == 1
}
