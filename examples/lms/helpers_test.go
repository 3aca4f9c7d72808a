package lms

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// harness is an App on a fresh SQLite store, served over loopback HTTP.
type harness struct {
	t     *testing.T
	app   *App
	store store.Store
	URL   string
	logs  *lockedBuffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "lms.db"), store.Options{Sealer: storetest.TestSealer(t)})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{t: t, store: st, logs: &lockedBuffer{}}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	log := slog.New(slog.NewTextHandler(io.MultiWriter(h.logs, testWriter{t}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	app, err := New(ctx, Options{BaseURL: srv.URL, Store: st, Logger: log})
	if err != nil {
		t.Fatalf("lms.New: %v", err)
	}
	t.Cleanup(func() { app.Close() })
	h.app = app
	handler = app.Handler()
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

// browser is one user's browser: a cookie jar and a client that does not
// follow redirects, so that each step can be checked.
type browser struct {
	t      *testing.T
	h      *harness
	client *http.Client
}

func (h *harness) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return &browser{t: h.t, h: h, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a page as the browser got it.
type response struct {
	Status   int
	Location string
	Body     string
	Doc      *html.Node
}

// abs makes a path absolute on the LMS.
func (b *browser) abs(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return b.h.URL + u
}

func (b *browser) do(req *http.Request) *response {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	out := &response{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(body)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			b.t.Fatalf("%s %s: unparsable HTML: %v", req.Method, req.URL, err)
		}
		out.Doc = doc
	}
	return out
}

func (b *browser) get(u string) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(u), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// postForm posts form values as they are.
func (b *browser) postForm(u string, v url.Values) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(u), strings.NewReader(v.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// post posts form values with the session's CSRF token.
func (b *browser) post(u string, v url.Values) *response {
	b.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	v.Set("csrf", b.csrf())
	return b.postForm(u, v)
}

// csrf returns the session's token, as the sign-in page's form carries it.
func (b *browser) csrf() string {
	b.t.Helper()
	r := b.get("/")
	in := first(r.Doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "csrf" })
	if in == nil {
		b.t.Fatalf("the sign-in page has no csrf field: %s", r.Body)
	}
	return attr(in, "value")
}

// signIn signs in as user through the sign-in form.
func (b *browser) signIn(user string) {
	b.t.Helper()
	r := b.post("/signin", url.Values{"user": {user}})
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d: %s", user, r.Status, r.Body)
	}
}

// follow gets the page a redirect names.
func (b *browser) follow(r *response) *response {
	b.t.Helper()
	if r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
		b.t.Fatalf("expected a redirect, got %d: %s", r.Status, r.Body)
	}
	return b.get(r.Location)
}

// submit posts an HTML form of a page (a launch or registration form) as a
// browser would: to its action, with its hidden fields.
func (b *browser) submit(r *response) *response {
	b.t.Helper()
	if r.Doc == nil {
		b.t.Fatalf("not an HTML page (status %d): %s", r.Status, r.Body)
	}
	f := first(r.Doc, func(n *html.Node) bool { return n.Data == "form" })
	if f == nil {
		b.t.Fatalf("the page has no form: %s", r.Body)
	}
	v := url.Values{}
	for _, in := range all(f, func(n *html.Node) bool { return n.Data == "input" && attr(n, "type") == "hidden" }) {
		v.Add(attr(in, "name"), attr(in, "value"))
	}
	return b.postForm(attr(f, "action"), v)
}

// HTML helpers.

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func all(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n == nil {
		return nil
	}
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && pred(c) {
			out = append(out, c)
		}
	}
	return out
}

func first(n *html.Node, pred func(*html.Node) bool) *html.Node {
	if found := all(n, pred); len(found) > 0 {
		return found[0]
	}
	return nil
}

func byID(n *html.Node, id string) *html.Node {
	return first(n, func(c *html.Node) bool { return attr(c, "id") == id })
}

// tagClass matches elements by tag name and class.
func tagClass(tag, class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag && hasClass(n, class) }
}

// tagAttr matches elements by tag name and attribute value.
func tagAttr(tag, key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag && hasAttr(n, key) && attr(n, key) == val }
}

// text returns the text content of n, spaces trimmed.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return strings.TrimSpace(b.String())
}
