package etextbook

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// The seeded course.
const (
	courseID    = "bio-101"
	courseTitle = "Biology 101"
)

// The links the tests create in the course.
const (
	linkBookCh3      = "book-ch3"      // book, custom chapter=3
	linkBookSettings = "book-settings" // book, link setting chapter=5
	linkBookDefault  = "book-default"  // book, nothing
	linkBookChem     = "book-chem"     // book, custom book=openchem
	linkQuiz         = "quiz"          // quiz, gradable
	linkQuizUngraded = "quiz-ungraded" // quiz, not gradable
	linkAdopt        = "adopt"
	linkCensus       = "census"
)

// seededMembers are the members of the course, by user ID: name and role.
var seededMembers = map[string][2]string{
	"teacher":  {"Tess Teacher", "Instructor"},
	"student1": {"Sam Student", "Learner"},
	"student2": {"Sky Student", "Learner"},
	"student3": {"Sol Student", "Learner"},
}

// syncBuffer is a bytes.Buffer safe for concurrent writes (the log).
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is an LMS (the runtime's consumer on its own SQLite store) and the
// e-textbook (on another), both served over loopback HTTP, with the tool
// registered and approved, the course seeded and the links created.
type env struct {
	t        *testing.T
	lms      *consumer.Consumer
	lmsStore store.Store
	lmsURL   string
	app      *App
	appStore store.Store
	toolURL  string
	guid     string
	logs     *syncBuffer
	// skew is added to the tool's clock.
	skew atomic.Int64
}

// newEnv starts both applications, seeds the course, registers the tool
// through a simulated administrator's browser, approves it and creates
// the links.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the e-textbook's log:\n%s", e.logs)
		}
	})
	ctx := t.Context()
	sealer := storetest.TestSealer(t)
	e.lmsStore = openStore(t, "lms.db", sealer)
	e.appStore = openStore(t, "tool.db", sealer)

	lmsMux := http.NewServeMux()
	lmsSrv := httptest.NewServer(lmsMux)
	t.Cleanup(lmsSrv.Close)
	e.lmsURL = lmsSrv.URL
	c, err := consumer.New(consumer.Config{
		BaseURL:     lmsSrv.URL,
		Store:       e.lmsStore,
		Product:     lmsProduct(),
		SplitSecret: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.lms = c
	lmsMux.Handle("/", c.Handler())
	lmsMux.HandleFunc("/admin/tools/registered", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "registered: "+r.URL.Query().Get("status"))
	})
	lmsMux.HandleFunc("/courses/bio-101", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "course page")
	})

	var handler http.Handler
	toolSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(toolSrv.Close)
	e.toolURL = toolSrv.URL
	app, err := New(ctx, Options{
		BaseURL: toolSrv.URL,
		Store:   e.appStore,
		Logger:  slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:     func() time.Time { return time.Now().Add(time.Duration(e.skew.Load())) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	e.app = app
	handler = app.Handler()

	e.seed()
	e.register()
	return e
}

// openStore opens a SQLite store in a temporary file.
func openStore(t *testing.T, name string, sealer store.Sealer) store.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), name), store.Options{Sealer: sealer})
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// lmsProduct describes the test LMS.
func lmsProduct() *lti2.ProductInstance {
	return &lti2.ProductInstance{
		GUID: "test-lms-1",
		ProductInfo: &lti2.ProductInfo{
			ProductName:    &lti2.LocalizedName{DefaultValue: "Test LMS"},
			ProductVersion: "1.0",
			ProductFamily: &lti2.ProductFamily{
				Code:   "testlms",
				Vendor: &lti2.Vendor{Code: "lms.example.edu", VendorName: &lti2.LocalizedName{DefaultValue: "Example LMS"}, Timestamp: "2026-01-01T00:00:00Z"},
			},
		},
	}
}

// seed stores the course, its members and an administrator.
func (e *env) seed() {
	t, ctx, st := e.t, e.t.Context(), e.lmsStore
	must(t, st.PutContext(ctx, store.Context{ID: courseID, Type: "CourseSection", Label: "BIO101", Title: courseTitle}))
	must(t, st.PutUser(ctx, store.User{ID: "admin", Name: "Ada Admin", Email: "ada@example.edu"}))
	for id, m := range seededMembers {
		given, family, _ := strings.Cut(m[0], " ")
		must(t, st.PutUser(ctx, store.User{ID: id, Name: m[0], Given: given, Family: family, Email: id + "@example.edu"}))
		role := lti2.RoleMembershipLearner
		if m[1] == "Instructor" {
			role = lti2.RoleMembershipInstructor
		}
		must(t, st.PutMembership(ctx, store.Membership{ContextID: courseID, UserID: id, Roles: []string{string(role)}, Active: true}))
	}
}

// register registers the tool as an administrator's browser would,
// approves it and creates the links.
func (e *env) register() {
	t, ctx := e.t, e.t.Context()
	form, err := e.lms.StartRegistration(ctx, consumer.RegistrationRequest{
		ToolURL:   e.app.RegistrationURL(),
		ReturnURL: e.lmsURL + "/admin/tools/registered",
		UserID:    "admin",
		Roles:     []lti2.Role{lti2.RoleSystemSysAdmin},
	})
	must(t, err)
	if form.Action != e.toolURL+"/lti/register" {
		t.Fatalf("the registration form posts to %s", form.Action)
	}
	b := e.browser()
	resp := b.do(http.MethodPost, form.Action, form.Values())
	if resp.status != http.StatusSeeOther {
		t.Fatalf("registration: status %d: %s", resp.status, resp.body)
	}
	back, err := url.Parse(resp.location)
	must(t, err)
	if back.Query().Get("status") != "success" || !strings.HasPrefix(resp.location, e.lmsURL+"/admin/tools/registered?") {
		t.Fatalf("registration sent the browser back to %s", resp.location)
	}
	e.guid = back.Query().Get("tool_proxy_guid")
	if got := b.do(http.MethodGet, resp.location, nil); got.status != http.StatusOK || got.body != "registered: success" {
		t.Fatalf("following the redirect back: %d %s", got.status, got.body)
	}
	rec, err := e.lmsStore.ToolProxy(ctx, e.guid)
	must(t, err)
	if rec.Status != store.StatusPending {
		t.Fatalf("a new tool proxy is %s, want pending", rec.Status)
	}
	must(t, e.lms.Approve(ctx, e.guid))

	links := []store.Link{
		{ID: linkBookCh3, ResourceType: ResourceBook, Title: "Chapter 3", Custom: []store.Pair{{Name: "chapter", Value: "3"}}},
		{ID: linkBookSettings, ResourceType: ResourceBook, Title: "Chapter from settings"},
		{ID: linkBookDefault, ResourceType: ResourceBook, Title: "The textbook"},
		{ID: linkBookChem, ResourceType: ResourceBook, Title: "Chemistry", Custom: []store.Pair{{Name: "book", Value: "openchem"}}},
		{ID: linkQuiz, ResourceType: ResourceQuiz, Title: "Week 1 quiz", Gradable: true},
		{ID: linkQuizUngraded, ResourceType: ResourceQuiz, Title: "Practice quiz"},
		{ID: linkAdopt, ResourceType: ResourceAdopt, Title: "Adopt books"},
		{ID: linkCensus, ResourceType: ResourceCensus, Title: "Census"},
	}
	for _, l := range links {
		l.ContextID = courseID
		l.ToolProxyGUID = e.guid
		must(t, e.lmsStore.PutLink(ctx, l))
	}
	must(t, e.lmsStore.PutToolSettings(ctx, store.Scope{Kind: store.ScopeLink, ToolProxyGUID: e.guid, LinkID: linkBookSettings},
		[]store.Pair{{Name: "chapter", Value: "5"}}))
}

// browser is a user agent with its own cookies, which does not follow
// redirects.
type browser struct {
	e      *env
	client *http.Client
}

// response is an answer the browser got.
type response struct {
	status   int
	location string
	body     string
	doc      *html.Node
}

// browser returns a new browser with an empty cookie jar.
func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	must(e.t, err)
	return &browser{e: e, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends a GET (form nil) or a form POST; a relative URL is the tool's.
func (b *browser) do(method, rawURL string, form url.Values) response {
	b.e.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = b.e.toolURL + rawURL
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(b.e.t.Context(), method, rawURL, body)
	must(b.e.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	must(b.e.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	must(b.e.t, err)
	out := response{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(data)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		out.doc, err = html.Parse(bytes.NewReader(data))
		must(b.e.t, err)
	}
	return out
}

// get GETs a page of the tool.
func (b *browser) get(path string) response { return b.do(http.MethodGet, path, nil) }

// post posts a form to the tool.
func (b *browser) post(path string, form url.Values) response {
	return b.do(http.MethodPost, path, form)
}

// launch launches a link as a user, as the LMS's launch page makes the
// browser do, and checks that the tool answers 303 to wantPage.
func (b *browser) launch(linkID, userID, wantPage string) {
	b.e.t.Helper()
	form, err := b.e.lms.Launch(b.e.t.Context(), consumer.LaunchRequest{LinkID: linkID, UserID: userID, ReturnURL: b.e.lmsURL + "/courses/bio-101"})
	must(b.e.t, err)
	resp := b.do(http.MethodPost, form.Action, form.Values())
	if resp.status != http.StatusSeeOther || resp.location != wantPage {
		b.e.t.Fatalf("launch of %s by %s: status %d, location %q, body %s", linkID, userID, resp.status, resp.location, resp.body)
	}
}

// launchForm returns the signed launch of a link by a user.
func (e *env) launchForm(linkID, userID string) *launch.Form {
	e.t.Helper()
	form, err := e.lms.Launch(e.t.Context(), consumer.LaunchRequest{LinkID: linkID, UserID: userID, ReturnURL: e.lmsURL + "/courses/bio-101"})
	must(e.t, err)
	return form
}

// csrf returns the CSRF token of the page's first form.
func (r response) csrf(t *testing.T) string {
	t.Helper()
	for n := range r.doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "name") == "csrf" {
			return attr(n, "value")
		}
	}
	t.Fatalf("the page has no csrf field: %s", r.body)
	return ""
}

// byID returns the element of id, nil when none.
func (r response) byID(id string) *html.Node {
	if r.doc == nil {
		return nil
	}
	for n := range r.doc.Descendants() {
		if n.Type == html.ElementNode && attr(n, "id") == id {
			return n
		}
	}
	return nil
}

// textOf returns the text of the element of id, failing the test when the
// page has none.
func (r response) textOf(t *testing.T, id string) string {
	t.Helper()
	n := r.byID(id)
	if n == nil {
		t.Fatalf("the page has no #%s: %s", id, r.body)
	}
	return text(n)
}

// all returns the elements below root (the document when nil) that match.
func (r response) all(root *html.Node, match func(*html.Node) bool) []*html.Node {
	if root == nil {
		root = r.doc
	}
	var out []*html.Node
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

// hasClass matches elements of a tag with a class.
func hasClass(tag, class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		return n.Data == tag && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
	}
}

// attr returns an attribute's value.
func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// text returns the text of a node, white space collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// quizAnswersWith returns a quiz form answering the first `right`
// questions correctly and the others wrongly.
func quizAnswersWith(csrf string, right int) url.Values {
	v := url.Values{"csrf": {csrf}}
	for i, q := range WeeklyQuiz {
		want := QuizAnswers[q.Name]
		if i < right {
			v.Set(q.Name, want)
			continue
		}
		for _, c := range q.Choices {
			if c.Value != want {
				v.Set(q.Name, c.Value)
				break
			}
		}
	}
	return v
}

// result returns the score the LMS holds for a user in a link, nil when
// none.
func (e *env) result(linkID, userID string) *float64 {
	e.t.Helper()
	rs, err := e.lmsStore.ListResults(e.t.Context(), linkID)
	must(e.t, err)
	for _, r := range rs {
		if r.UserID == userID {
			return r.Score
		}
	}
	return nil
}

// courseSettings returns the binding-scope settings the LMS holds for the
// tool in the course.
func (e *env) courseSettings() map[string]string {
	e.t.Helper()
	ps, err := e.lmsStore.ToolSettings(e.t.Context(), store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: e.guid, ContextID: courseID})
	must(e.t, err)
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		out[p.Name] = p.Value
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
