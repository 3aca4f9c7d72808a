package etextbook

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"

	"github.com/ltiforge/ltiforge/generated/lti2"
)

// Session defaults, used when Options leaves them zero.
const (
	// DefaultSessionTTL is how long a launch's session lasts.
	DefaultSessionTTL = 2 * time.Hour
	// DefaultMaxSessions bounds the sessions held in memory.
	DefaultMaxSessions = 10000
)

// session is what one launch established: who launched what, from which
// course and registration, and the service URLs the launch carried. A
// session is immutable once stored, except for its flash message, which
// the store changes under its lock.
type session struct {
	// id is the cookie value; csrf is the token every POST form carries.
	id, csrf string
	// guid is the registration (tool_proxy_guid) the launch verified with.
	guid string
	// resource is the resource launched (book, quiz, adopt, census).
	resource string
	// userID and userName describe the user; roles are the launch's.
	userID, userName string
	roles            []lti2.Role
	// instructor and learner classify the roles.
	instructor, learner bool
	// contextID and contextTitle describe the course.
	contextID, contextTitle string
	// linkID and linkTitle describe the link launched.
	linkID, linkTitle string
	// returnURL is launch_presentation_return_url.
	returnURL string
	// The service URLs the launch carried ("" when not substituted).
	resultURL, linkSettingURL, contextSettingURL, membershipsURL string
	// customBook and customChapter are the link's custom parameters book
	// and chapter.
	customBook, customChapter string
	// flash is a one-time message for the next page.
	flash string
	// expires is when the session ends.
	expires time.Time
}

// sessionStore keeps sessions in memory, each for a time to live, and at
// most max of them: when full, expired sessions are dropped first, then
// the one closest to expiry. It is safe for concurrent use.
type sessionStore struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu       sync.Mutex
	sessions map[string]*session
}

// newSessionStore returns an empty store.
func newSessionStore(ttl time.Duration, max int, now func() time.Time) *sessionStore {
	return &sessionStore{ttl: ttl, max: max, now: now, sessions: make(map[string]*session)}
}

// create stores s under a new random id and CSRF token, replacing the
// session replaces names (the browser's previous one), and returns the
// stored copy.
func (st *sessionStore) create(s session, replaces string) session {
	s.id = randomToken()
	s.csrf = randomToken()
	now := st.now()
	s.expires = now.Add(st.ttl)
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.sessions, replaces)
	if len(st.sessions) >= st.max {
		st.evict(now)
	}
	st.sessions[s.id] = &s
	return s
}

// evict drops the expired sessions and, if the store is still full, the
// sessions closest to expiry until there is room for one more. The caller
// holds mu.
func (st *sessionStore) evict(now time.Time) {
	for id, s := range st.sessions {
		if !now.Before(s.expires) {
			delete(st.sessions, id)
		}
	}
	for len(st.sessions) >= st.max {
		var oldest *session
		for _, s := range st.sessions {
			if oldest == nil || s.expires.Before(oldest.expires) {
				oldest = s
			}
		}
		delete(st.sessions, oldest.id)
	}
}

// get returns a copy of the live session of id.
func (st *sessionStore) get(id string) (session, bool) {
	if id == "" {
		return session{}, false
	}
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.sessions[id]
	if !ok {
		return session{}, false
	}
	if !now.Before(s.expires) {
		delete(st.sessions, id)
		return session{}, false
	}
	return *s, true
}

// setFlash sets the one-time message of the session of id.
func (st *sessionStore) setFlash(id, msg string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if s, ok := st.sessions[id]; ok {
		s.flash = msg
	}
}

// takeFlash returns and clears the one-time message of the session of id.
func (st *sessionStore) takeFlash(id string) string {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.sessions[id]
	if !ok {
		return ""
	}
	msg := s.flash
	s.flash = ""
	return msg
}

// len returns the number of sessions held, expired ones included.
func (st *sessionStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.sessions)
}

// clear forgets every session.
func (st *sessionStore) clear() {
	st.mu.Lock()
	defer st.mu.Unlock()
	clear(st.sessions)
}

// validCSRF reports, in constant time, whether token is the session's CSRF
// token.
func (s session) validCSRF(token string) bool {
	return s.csrf != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.csrf)) == 1
}

// randomToken returns 32 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
