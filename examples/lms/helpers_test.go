package lms

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/apptest"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// harness is an App on a fresh SQLite store, served over loopback HTTP.
type harness struct {
	t     *testing.T
	app   *App
	store store.Store
	URL   string
	logs  *apptest.SyncBuffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, store: storetest.SQLite().NewStore(t), logs: &apptest.SyncBuffer{}}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(h.logs, testWriter{t}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.URL = apptest.Serve(t, func(baseURL string) http.Handler {
		app, err := New(t.Context(), Options{BaseURL: baseURL, Store: h.store, Logger: log})
		if err != nil {
			t.Fatalf("lms.New: %v", err)
		}
		t.Cleanup(func() { app.Close() })
		h.app = app
		return app.Handler()
	})
	return h
}

// testWriter sends the logs to t.Log, shown when a test fails.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// browser is one user's browser on the LMS (see apptest.Browser), which
// posts the LMS's forms with the session's CSRF token.
type browser struct {
	*apptest.Browser
}

func (h *harness) browser() *browser {
	return &browser{apptest.NewBrowser(h.t, h.URL)}
}

// post posts form values with the session's CSRF token.
func (b *browser) post(u string, v url.Values) *apptest.Response {
	b.T.Helper()
	if v == nil {
		v = url.Values{}
	}
	v.Set("csrf", b.csrf())
	return b.PostForm(u, v)
}

// csrf returns the session's token, as the sign-in page's form carries it.
func (b *browser) csrf() string {
	b.T.Helper()
	return b.Get("/").Field(b.T, "csrf")
}

// signIn signs in as user through the sign-in form.
func (b *browser) signIn(user string) {
	b.T.Helper()
	r := b.post("/signin", url.Values{"user": {user}})
	if r.Status != http.StatusSeeOther {
		b.T.Fatalf("sign in as %s: status %d: %s", user, r.Status, r.Body)
	}
}
