package provider

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// TestSQLiteStore runs the whole life of a registration over the SQLite
// store: registration, a refused duplicate, re-registration, launches and
// the confirmation that switches the secret.
func TestSQLiteStore(t *testing.T) {
	key := make([]byte, seal.KeySize)
	_, _ = rand.Read(key)
	sealer, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tool.db"), store.Options{Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	tc := newFakeTC(t)
	tc.offer(append(tc.capabilities, "OAuth.splitSecret")...)
	tl := newTool(t, tc, func(c *Config) { c.Store = db; c.SplitSecret = true })

	resp, body := postForm(t, tl.srv.URL+"/lti2/register", registrationForm(tc))
	if q := returned(t, tc, resp, body); q.Get("status") != "success" {
		t.Fatalf("registration: %s", q.Get("lti_errormsg"))
	}
	tp, err := db.ToolProxy(ctx, testGUID)
	if err != nil {
		t.Fatal(err)
	}
	tc.mu.Lock()
	old := tc.secret
	tc.mu.Unlock()
	if tp.Secret != old || tp.Status != store.StatusActive || len(tp.Profile) == 0 {
		t.Fatalf("stored registration: status %q, secret matches %v", tp.Status, tp.Secret == old)
	}

	resp, body = postForm(t, tl.srv.URL+"/lti2/register", reregistrationForm(t, tc, tl, testGUID, old))
	if q := returned(t, tc, resp, body); q.Get("status") != "success" {
		t.Fatalf("re-registration: %s", q.Get("lti_errormsg"))
	}
	tc.mu.Lock()
	proposed, confirmURL := tc.pendingSecret, tc.confirmURL
	tc.mu.Unlock()
	if got := launchWith(t, tl, testGUID, proposed); got != http.StatusUnauthorized {
		t.Errorf("launch with the pending secret: %d", got)
	}
	if got := confirm(t, confirmURL+"0", http.MethodPut, old); got != http.StatusNotFound {
		t.Errorf("PUT with a wrong token: %d", got)
	}
	if got := confirm(t, confirmURL, http.MethodPut, old); got != http.StatusOK {
		t.Fatalf("PUT: %d", got)
	}
	if got := launchWith(t, tl, testGUID, proposed); got != http.StatusOK {
		t.Errorf("launch with the confirmed secret: %d", got)
	}
	if got := launchWith(t, tl, testGUID, old); got != http.StatusUnauthorized {
		t.Errorf("launch with the old secret: %d", got)
	}
	if _, err := tl.p.Services(ctx, testGUID); err != nil {
		t.Errorf("Services: %v", err)
	}
	if _, err := tl.p.Services(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Services of an unknown GUID: %v", err)
	}

	// A new registration answered with the same GUID is refused (store
	// ErrConflict), and the registration is unchanged.
	resp, body = postForm(t, tl.srv.URL+"/lti2/register", registrationForm(tc))
	if q := returned(t, tc, resp, body); q.Get("status") != "failure" {
		t.Fatal("a duplicate GUID registered")
	}
	if tp, err := db.ToolProxy(ctx, testGUID); err != nil || tp.Secret != proposed {
		t.Errorf("the refused duplicate changed the registration (%v)", err)
	}
}
