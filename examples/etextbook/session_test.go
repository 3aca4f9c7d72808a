package etextbook

import (
	"testing"
	"time"
)

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestSessionStore(t *testing.T) {
	tests := []struct {
		name string
		max  int
		// steps: create sessions at offsets (minutes), then check which
		// of them are live at checkAt (minutes).
		createAt []int
		checkAt  int
		wantLive []bool
	}{
		{"live within the TTL", 10, []int{0, 1}, 59, []bool{true, true}},
		{"expired after the TTL", 10, []int{0, 30}, 60, []bool{false, true}},
		{"bounded: the oldest goes", 2, []int{0, 1, 2}, 3, []bool{false, true, true}},
		{"bounded: expired ones go first", 2, []int{0, 70, 71}, 72, []bool{false, true, true}},
		{"bound of one", 1, []int{0, 1}, 2, []bool{false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			start := clock.t
			st := newSessionStore(time.Hour, tc.max, clock.now)
			var ids []string
			for _, m := range tc.createAt {
				clock.t = start.Add(time.Duration(m) * time.Minute)
				s := st.create(session{userID: "u"}, "")
				if s.id == "" || s.csrf == "" || s.id == s.csrf {
					t.Fatalf("session id %q, csrf %q", s.id, s.csrf)
				}
				ids = append(ids, s.id)
				if st.len() > tc.max {
					t.Fatalf("%d sessions held, bound %d", st.len(), tc.max)
				}
			}
			clock.t = start.Add(time.Duration(tc.checkAt) * time.Minute)
			for i, id := range ids {
				if _, ok := st.get(id); ok != tc.wantLive[i] {
					t.Errorf("session %d live=%v, want %v", i, ok, tc.wantLive[i])
				}
			}
		})
	}
}

func TestSessionReplaceAndFlash(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st := newSessionStore(time.Hour, 10, clock.now)
	a := st.create(session{userID: "a"}, "")
	b := st.create(session{userID: "b"}, a.id)
	if _, ok := st.get(a.id); ok {
		t.Error("the replaced session is still live")
	}
	if _, ok := st.get(""); ok {
		t.Error("the empty id found a session")
	}
	st.setFlash(b.id, "hello")
	if got := st.takeFlash(b.id); got != "hello" {
		t.Errorf("flash %q", got)
	}
	if got := st.takeFlash(b.id); got != "" {
		t.Errorf("flash shown twice: %q", got)
	}
	if !b.validCSRF(b.csrf) || b.validCSRF("") || b.validCSRF(a.csrf) || (session{}).validCSRF("") {
		t.Error("CSRF check")
	}
	st.clear()
	if st.len() != 0 {
		t.Error("clear left sessions")
	}
}
