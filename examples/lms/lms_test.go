package lms

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/internal/apptest"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// addLTI1Link adds an active LTI 1 tool and a link to it in the demo course.
func addLTI1Link(t *testing.T, h *harness, linkID string, gradable bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := h.store.ToolProxy(ctx, "lti1-key"); errors.Is(err, store.ErrNotFound) {
		must(t, h.app.Consumer().AddLTI1Tool(ctx, consumer.LTI1Tool{Key: "lti1-key", Secret: "lti1-secret", Name: "Quiz One", LaunchURL: "http://127.0.0.1:1/launch"}))
	}
	must(t, h.store.PutLink(ctx, store.Link{ID: linkID, ContextID: DemoCourseID, ToolProxyGUID: "lti1-key", Title: "Link " + linkID, Gradable: gradable}))
}

func TestRoleEnforcement(t *testing.T) {
	h := newHarness(t)
	addLTI1Link(t, h, "l1", true)

	roles := []string{"", "admin", "teacher", "student1"}
	browsers := map[string]*browser{}
	for _, role := range roles {
		b := h.browser()
		if role != "" {
			b.signIn(role)
		}
		browsers[role] = b
	}
	const (
		see  = http.StatusSeeOther
		ok   = http.StatusOK
		no   = http.StatusForbidden
		none = http.StatusNotFound
		gone = http.StatusSeeOther // not signed in: back to the sign-in page
	)
	cases := []struct {
		method, path string
		form         url.Values
		// want is the status for anonymous, admin, teacher, student1.
		want [4]int
	}{
		{"GET", "/", nil, [4]int{ok, ok, ok, ok}},
		{"GET", "/admin/tools", nil, [4]int{gone, ok, no, no}},
		{"GET", "/admin/tools/registered?status=success", nil, [4]int{gone, see, no, no}},
		{"POST", "/admin/tools/register", url.Values{"url": {""}}, [4]int{gone, see, no, no}},
		{"POST", "/admin/tools/lti1", url.Values{}, [4]int{gone, see, no, no}},
		{"POST", "/admin/tools/nope/approve", nil, [4]int{gone, none, no, no}},
		{"GET", "/courses/bio-101", nil, [4]int{gone, ok, ok, ok}},
		{"POST", "/courses/bio-101/links", url.Values{"resource": {"nothing|"}}, [4]int{gone, no, see, no}},
		{"GET", "/courses/bio-101/links/l1/launch", nil, [4]int{gone, no, ok, ok}},
		{"GET", "/courses/bio-101/links/missing/launch", nil, [4]int{gone, no, none, none}},
		{"GET", "/courses/bio-101/gradebook", nil, [4]int{gone, ok, ok, no}},
		{"GET", "/courses/bio-101/settings", nil, [4]int{gone, ok, ok, no}},
		{"GET", "/courses/bio-101/roster", nil, [4]int{gone, ok, ok, no}},
		{"GET", "/courses/nope", nil, [4]int{gone, none, none, none}},
		{"GET", "/nope", nil, [4]int{none, none, none, none}},
	}
	for _, tc := range cases {
		for i, role := range roles {
			name := role
			if name == "" {
				name = "anonymous"
			}
			t.Run(tc.method+" "+tc.path+" as "+name, func(t *testing.T) {
				b := browsers[role]
				var r *apptest.Response
				if tc.method == "POST" {
					v := url.Values{}
					for k, vs := range tc.form {
						v[k] = slices.Clone(vs)
					}
					r = b.post(tc.path, v)
				} else {
					r = b.Get(tc.path)
				}
				if r.Status != tc.want[i] {
					t.Fatalf("status %d, want %d: %s", r.Status, tc.want[i], r.Body)
				}
				if role == "" && r.Status == http.StatusSeeOther && r.Location != "/" {
					t.Errorf("an anonymous request was sent to %q, want /", r.Location)
				}
				if r.Status == http.StatusForbidden && r.ByID("error-message") == nil {
					t.Errorf("a 403 without a readable page: %s", r.Body)
				}
			})
		}
	}
}

func TestSignIn(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	page := b.Get("/")
	form := page.ByID("signin")
	if form == nil || apptest.Attr(form, "method") != "post" || apptest.Attr(form, "action") != "/signin" || page.ByID("signin-submit") == nil {
		t.Fatalf("no sign-in form: %s", page.Body)
	}
	var users []string
	for _, o := range apptest.All(page.ByID("user"), apptest.Tag("option")) {
		users = append(users, apptest.Attr(o, "value"))
	}
	if want := []string{"admin", "student1", "student2", "student3", "teacher"}; !slices.Equal(users, want) {
		t.Errorf("sign-in users %v, want %v", users, want)
	}
	before := sessionCookie(t, b, h)

	r := b.post("/signin", url.Values{"user": {"admin"}})
	if r.Status != http.StatusSeeOther || r.Location != "/admin/tools" {
		t.Fatalf("admin signed in to %d %q", r.Status, r.Location)
	}
	if after := sessionCookie(t, b, h); after == before || after == "" {
		t.Error("signing in kept the anonymous session's identifier")
	}
	tools := b.Get(r.Location)
	if got := apptest.Text(tools.ByID("whoami")); got != "Ada Admin (Administrator)" {
		t.Errorf("whoami %q", got)
	}

	s := h.browser()
	r = s.post("/signin", url.Values{"user": {"student2"}})
	if r.Status != http.StatusSeeOther || r.Location != "/courses/bio-101" {
		t.Fatalf("student2 signed in to %d %q", r.Status, r.Location)
	}
	course := s.Get(r.Location)
	if got := apptest.Text(course.ByID("whoami")); got != "Sky Student (Learner)" {
		t.Errorf("whoami %q", got)
	}
	if got := apptest.Text(course.ByID("course-title")); got != "Biology 101" {
		t.Errorf("course title %q", got)
	}
	if course.ByID("link-form") != nil || course.ByID("nav-gradebook") != nil {
		t.Error("a learner sees the instructor's form or navigation")
	}

	if r := h.browser().post("/signin", url.Values{"user": {"nobody"}}); r.Status != http.StatusBadRequest {
		t.Errorf("an unknown user signed in: %d", r.Status)
	}

	// Signing out ends the session.
	r = s.post("/signout", nil)
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Fatalf("sign out: %d %q", r.Status, r.Location)
	}
	if r := s.Get("/courses/bio-101"); r.Status != http.StatusSeeOther {
		t.Errorf("after sign-out the course answered %d", r.Status)
	}
}

// sessionCookie returns the browser's lms_session cookie.
func sessionCookie(t *testing.T, b *browser, h *harness) string {
	t.Helper()
	u, _ := url.Parse(h.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == cookieName {
			return c.Value
		}
	}
	return ""
}

func TestSessionCookieAttributes(t *testing.T) {
	h := newHarness(t)
	resp, err := http.Get(h.URL + "/")
	must(t, err)
	resp.Body.Close()
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == cookieName {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || len(c.Value) < 40 {
		t.Fatalf("session cookie %+v", c)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

func TestCSRF(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	admin := h.browser()
	admin.signIn("admin")
	other := h.browser()
	other.signIn("admin")

	tool := url.Values{"name": {"Quiz"}, "key": {"quiz-key"}, "secret": {"s3cret"}, "url": {"http://127.0.0.1:1/quiz"}}
	refused := []struct {
		name string
		csrf []string
	}{
		{"no token", nil},
		{"empty token", []string{""}},
		{"another session's token", []string{other.csrf()}},
		{"a forged token", []string{strings.Repeat("A", 43)}},
	}
	for _, tc := range refused {
		v := url.Values{}
		for k, vs := range tool {
			v[k] = vs
		}
		if tc.csrf != nil {
			v["csrf"] = tc.csrf
		}
		if r := admin.PostForm("/admin/tools/lti1", v); r.Status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tc.name, r.Status)
		}
	}
	if _, err := h.store.ToolProxy(ctx, "quiz-key"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused form added the tool: %v", err)
	}
	if r := admin.post("/admin/tools/lti1", tool); r.Status != http.StatusSeeOther {
		t.Fatalf("with its token: status %d", r.Status)
	}
	if _, err := h.store.ToolProxy(ctx, "quiz-key"); err != nil {
		t.Fatalf("the tool was not added: %v", err)
	}
	if strings.Contains(h.logs.String(), "s3cret") {
		t.Error("the LTI 1 secret reached the log")
	}

	// The instructor's link form, the sign-in and the sign-out forms are
	// guarded too.
	teacher := h.browser()
	teacher.signIn("teacher")
	if r := teacher.PostForm("/courses/bio-101/links", url.Values{"resource": {"quiz-key|"}, "title": {"x"}}); r.Status != http.StatusForbidden {
		t.Errorf("link form without token: %d", r.Status)
	}
	links, err := h.store.ListLinks(ctx, DemoCourseID)
	must(t, err)
	if len(links) != 0 {
		t.Errorf("a refused form added %d links", len(links))
	}
	anon := h.browser()
	anon.Get("/")
	if r := anon.PostForm("/signin", url.Values{"user": {"admin"}}); r.Status != http.StatusForbidden {
		t.Errorf("sign-in without token: %d", r.Status)
	}
	if r := teacher.PostForm("/signout", url.Values{}); r.Status != http.StatusForbidden {
		t.Errorf("sign-out without token: %d", r.Status)
	}
	if r := teacher.Get("/courses/bio-101/roster"); r.Status != http.StatusOK {
		t.Errorf("the refused sign-out ended the session: %d", r.Status)
	}
}

func TestGradebook(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	addLTI1Link(t, h, "quiz-1", true)
	addLTI1Link(t, h, "reading", false)
	score := 0.75
	must(t, h.store.PutResult(ctx, store.Result{SourcedID: consumer.ResultSourcedID("quiz-1", "student1"), LinkID: "quiz-1", UserID: "student1", Score: &score}))
	low := 0.004
	must(t, h.store.PutResult(ctx, store.Result{SourcedID: consumer.ResultSourcedID("quiz-1", "student3"), LinkID: "quiz-1", UserID: "student3", Score: &low}))

	b := h.browser()
	b.signIn("teacher")
	course := b.Get("/courses/bio-101")
	if nav := course.ByID("nav-gradebook"); nav == nil || apptest.Attr(nav, "href") != "/courses/bio-101/gradebook" {
		t.Fatalf("no gradebook navigation: %s", course.Body)
	}
	r := b.Get("/courses/bio-101/gradebook")
	table := r.ByID("gradebook")
	if table == nil {
		t.Fatalf("no gradebook table: %s", r.Body)
	}
	var headers []string
	for _, th := range apptest.All(table, func(n *html.Node) bool { return n.Data == "th" && apptest.HasAttr(n, "data-link") }) {
		headers = append(headers, apptest.Attr(th, "data-link"))
	}
	if !slices.Equal(headers, []string{"quiz-1"}) {
		t.Errorf("gradable link headers %v, want [quiz-1]", headers)
	}
	want := map[string]string{"student1": "75%", "student2": "—", "student3": "0%"}
	rows := apptest.All(table, func(n *html.Node) bool { return n.Data == "tr" && apptest.HasAttr(n, "data-user") })
	if len(rows) != len(want) {
		t.Fatalf("%d learner rows, want %d", len(rows), len(want))
	}
	for _, row := range rows {
		user := apptest.Attr(row, "data-user")
		cell := apptest.First(row, apptest.TagAttr("td", "data-link", "quiz-1"))
		if got := apptest.Text(cell); got != want[user] {
			t.Errorf("%s: %q, want %q", user, got, want[user])
		}
	}
}

func TestFormatScore(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{{0, "0%"}, {0.75, "75%"}, {0.755, "76%"}, {1, "100%"}, {0.333333, "33%"}} {
		if got := formatScore(&tc.in); got != tc.want {
			t.Errorf("formatScore(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := formatScore(nil); got != "—" {
		t.Errorf("formatScore(nil) = %q", got)
	}
}

// putLTI2Tool stores an active LTI 2 tool proxy with a book resource, as a
// registration would have.
func putLTI2Tool(t *testing.T, h *harness, guid string) {
	t.Helper()
	tp := &lti2.ToolProxy{
		Context:             ld.ContextOf("http://purl.imsglobal.org/ctx/lti/v2/ToolProxy"),
		ToolProxyGUID:       lti2.GUIDType(guid),
		LTIVersion:          "LTI-2p0",
		ToolConsumerProfile: h.app.Consumer().ProfileURL(),
		ToolProfile: &lti2.ToolProfile{
			LTIVersion: "LTI-2p0",
			ProductInstance: &lti2.ProductInstance{
				GUID: "books-1",
				ProductInfo: &lti2.ProductInfo{
					ProductName:    &lti2.LocalizedName{DefaultValue: "Open Textbooks"},
					ProductVersion: "1",
					ProductFamily:  &lti2.ProductFamily{Code: "etextbook", Vendor: &lti2.Vendor{Code: "books.example.com"}},
				},
			},
			BaseURLChoice: []lti2.BaseURLChoice{{DefaultBaseURL: "http://127.0.0.1:1"}},
			ResourceHandler: []lti2.ResourceHandler{{
				ResourceType: &lti2.ResourceType{Code: "book"},
				ResourceName: &lti2.LocalizedName{DefaultValue: "Textbook"},
				Message:      []lti2.MessageHandler{{MessageType: "basic-lti-launch-request", Path: "/launch/book"}},
			}},
		},
		SecurityContract: &lti2.SecurityContract{ToolService: []lti2.ServiceProfile{
			&lti2.RESTServiceProfile{Service: h.app.Consumer().ProfileURL() + "#Result.item", Action: []lti2.HTTPMethod{"GET", "PUT"}},
			&lti2.RESTServiceProfile{Service: "tcp:LtiLinkSettings", Action: []lti2.HTTPMethod{"GET", "PUT"}},
		}},
	}
	doc, err := tp.Encode()
	must(t, err)
	must(t, h.store.CreateToolProxy(context.Background(), store.ToolProxy{
		GUID: guid, Version: "LTI-2p0", Secret: "secret-" + guid, Status: store.StatusActive, Document: doc, Name: "Open Textbooks",
	}, ""))
}

func TestSettingsPage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	putLTI2Tool(t, h, "tp-1")
	putLTI2Tool(t, h, "tp-unused")
	must(t, h.store.PutLink(ctx, store.Link{ID: "ch-1", ContextID: DemoCourseID, ToolProxyGUID: "tp-1", ResourceType: "book", Title: "Chapter 1"}))
	must(t, h.store.PutToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: "tp-1"}, []store.Pair{{Name: "edition", Value: "4"}}))
	must(t, h.store.PutToolSettings(ctx, store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: "tp-1", ContextID: DemoCourseID}, []store.Pair{{Name: "adopted_books", Value: "openbio,openchem"}}))
	must(t, h.store.PutToolSettings(ctx, store.Scope{Kind: store.ScopeLink, ToolProxyGUID: "tp-1", LinkID: "ch-1"}, []store.Pair{{Name: "chapter", Value: "3"}, {Name: "theme", Value: "<dark>"}}))

	b := h.browser()
	b.signIn("teacher")
	r := b.Get("/courses/bio-101/settings")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	sections := apptest.All(r.Doc, apptest.TagClass("section", "scope"))
	type scope struct{ kind, tool, link string }
	got := map[scope]map[string]string{}
	for _, s := range sections {
		k := scope{apptest.Attr(s, "data-scope"), apptest.Attr(s, "data-tool"), apptest.Attr(s, "data-link")}
		if apptest.HasAttr(s, "data-link") != (k.kind == "LtiLink") {
			t.Errorf("section %+v: data-link only on the LtiLink scope", k)
		}
		if apptest.First(s, apptest.Tag("h3")) == nil {
			t.Errorf("section %+v has no heading", k)
		}
		values := map[string]string{}
		dl := apptest.First(s, apptest.Tag("dl"))
		if dl == nil {
			t.Fatalf("section %+v has no dl", k)
		}
		dts := apptest.All(dl, apptest.Tag("dt"))
		dds := apptest.All(dl, apptest.Tag("dd"))
		for i := range dts {
			values[apptest.Text(dts[i])] = apptest.Text(dds[i])
		}
		got[k] = values
	}
	want := map[scope]map[string]string{
		{"ToolProxy", "tp-1", ""}:        {"edition": "4"},
		{"ToolProxyBinding", "tp-1", ""}: {"adopted_books": "openbio,openchem"},
		{"LtiLink", "tp-1", "ch-1"}:      {"chapter": "3", "theme": "<dark>"},
	}
	if len(got) != len(want) {
		t.Fatalf("sections %v, want %v", got, want)
	}
	for k, w := range want {
		for name, v := range w {
			if got[k][name] != v {
				t.Errorf("%+v %s = %q, want %q", k, name, got[k][name], v)
			}
		}
	}
	if strings.Contains(r.Body, "<dark>") {
		t.Error("a setting's value was not escaped")
	}
}

func TestRosterPage(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.signIn("teacher")
	r := b.Get("/courses/bio-101/roster")
	rows := apptest.All(r.ByID("roster"), apptest.TagClass("tr", "member"))
	got := map[string][3]string{}
	for _, row := range rows {
		cells := apptest.All(row, apptest.Tag("td"))
		if len(cells) != 3 {
			t.Fatalf("row %s has %d cells", apptest.Attr(row, "data-user"), len(cells))
		}
		got[apptest.Attr(row, "data-user")] = [3]string{apptest.Text(cells[0]), apptest.Text(cells[1]), apptest.Text(cells[2])}
	}
	want := map[string][3]string{
		"teacher":  {"Tess Teacher", "tess.teacher@example.edu", "Instructor"},
		"student1": {"Sam Student", "sam.student@example.edu", "Learner"},
		"student2": {"Sky Student", "sky.student@example.edu", "Learner"},
		"student3": {"Sol Student", "sol.student@example.edu", "Learner"},
	}
	if len(got) != 4 {
		t.Fatalf("roster %v, want the 4 seeded members", got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %v, want %v", id, got[id], w)
		}
	}
}

func TestPendingReregistrationRow(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	putLTI2Tool(t, h, "tp-1")
	must(t, h.store.ProposeToolProxy(ctx, "tp-1", store.Proposal{Document: []byte(`{}`), Secret: "new-secret", ConfirmURL: "http://127.0.0.1:1/confirm/tp-1/x"}))

	b := h.browser()
	b.signIn("admin")
	r := b.Get("/admin/tools")
	row := apptest.First(r.ByID("tools"), apptest.TagAttr("tr", "data-guid", "tp-1"))
	if row == nil {
		t.Fatalf("no row for tp-1: %s", r.Body)
	}
	if got := apptest.Text(apptest.First(row, apptest.TagClass("td", "status"))); got != "active" {
		t.Errorf("status %q", got)
	}
	if got := apptest.Text(apptest.First(row, apptest.TagClass("td", "services"))); !strings.Contains(got, "Result.item") || !strings.Contains(got, "LtiLinkSettings") {
		t.Errorf("services %q", got)
	}
	for _, class := range []string{"confirm", "dismiss", "reregister", "disable"} {
		btn := apptest.First(row, apptest.TagClass("button", class))
		if btn == nil {
			t.Errorf("no %s button", class)
			continue
		}
		var form *html.Node
		for p := btn.Parent; p != nil; p = p.Parent {
			if p.Data == "form" {
				form = p
				break
			}
		}
		if form == nil || apptest.Attr(form, "method") != "post" || apptest.Attr(form, "action") != "/admin/tools/tp-1/"+class {
			t.Errorf("the %s button is not in a POST form to its action", class)
		}
	}
	if apptest.First(row, apptest.TagClass("button", "approve")) != nil {
		t.Error("an active tool has an approve button")
	}

	// Dismissing drops the proposal (the tool, unreachable here, is told
	// on a best-effort basis) and the buttons go.
	r = b.post("/admin/tools/tp-1/dismiss", nil)
	r = b.Follow(r)
	if got := apptest.Text(r.ByID("flash")); !strings.Contains(got, "dismissed") {
		t.Errorf("flash %q", got)
	}
	row = apptest.First(r.ByID("tools"), apptest.TagAttr("tr", "data-guid", "tp-1"))
	if apptest.First(row, apptest.TagClass("button", "confirm")) != nil {
		t.Error("the confirm button outlived the dismissed proposal")
	}
	if strings.Contains(h.logs.String(), "secret-tp-1") || strings.Contains(h.logs.String(), "new-secret") {
		t.Error("a secret reached the log")
	}
}

func TestLinkForm(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	putLTI2Tool(t, h, "tp-1")
	must(t, h.app.Consumer().AddLTI1Tool(ctx, consumer.LTI1Tool{Key: "old-quiz", Secret: "x", Name: "Old Quiz", LaunchURL: "http://127.0.0.1:1/q"}))
	putLTI2Tool(t, h, "tp-off")
	must(t, h.store.SetToolProxyStatus(ctx, "tp-off", store.StatusPending))

	b := h.browser()
	b.signIn("teacher")
	page := b.Get("/courses/bio-101")
	for _, id := range []string{"link-form", "link-resource", "link-title", "link-custom", "link-gradable", "link-submit", "nav-settings", "nav-roster"} {
		if page.ByID(id) == nil {
			t.Errorf("no #%s", id)
		}
	}
	var values, labels []string
	for _, o := range apptest.All(page.ByID("link-resource"), apptest.Tag("option")) {
		values = append(values, apptest.Attr(o, "value"))
		labels = append(labels, apptest.Text(o))
	}
	if !slices.Equal(values, []string{"old-quiz|", "tp-1|book"}) || !slices.Equal(labels, []string{"Old Quiz", "Open Textbooks — Textbook"}) {
		t.Errorf("resources %v %v", values, labels)
	}

	r := b.post("/courses/bio-101/links", url.Values{
		"resource": {"tp-1|book"}, "title": {"Chapter 3"}, "custom": {"chapter=3\r\n\r\n note = a=b \n"}, "gradable": {"on"},
	})
	page = b.Follow(r)
	if got := apptest.Text(page.ByID("flash")); !strings.Contains(got, "Chapter 3") {
		t.Errorf("flash %q", got)
	}
	links, err := h.store.ListLinks(ctx, DemoCourseID)
	must(t, err)
	if len(links) != 1 {
		t.Fatalf("%d links", len(links))
	}
	l := links[0]
	if !strings.HasPrefix(l.ID, "link-") || l.ToolProxyGUID != "tp-1" || l.ResourceType != "book" || !l.Gradable ||
		!slices.Equal(l.Custom, []store.Pair{{Name: "chapter", Value: "3"}, {Name: "note", Value: "a=b"}}) {
		t.Errorf("link %+v", l)
	}
	li := apptest.First(page.ByID("links"), apptest.TagAttr("li", "data-link", l.ID))
	a := apptest.First(li, apptest.TagClass("a", "launch"))
	if a == nil || apptest.Text(a) != "Chapter 3" || apptest.Attr(a, "href") != "/courses/bio-101/links/"+l.ID+"/launch" {
		t.Errorf("link item: %s", page.Body)
	}

	// A pending tool's resource is refused, and so is a bad custom line.
	for _, v := range []url.Values{
		{"resource": {"tp-off|book"}, "title": {"x"}},
		{"resource": {"tp-1|book"}, "title": {"x"}, "custom": {"no equals sign"}},
	} {
		r := b.post("/courses/bio-101/links", v)
		page := b.Follow(r)
		if f := page.ByID("flash"); f == nil || !apptest.HasClass(f, "error") {
			t.Errorf("%v: no error flash: %s", v, page.Body)
		}
	}
	if links, _ := h.store.ListLinks(ctx, DemoCourseID); len(links) != 1 {
		t.Errorf("a refused link was added: %d links", len(links))
	}
}

func TestSessionsBoundedAndExpiring(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ss := newSessions(time.Hour, 3, func() time.Time { return now })
	var ids []string
	for range 5 {
		ids = append(ids, ss.create(session{UserID: "u"}).ID)
		now = now.Add(time.Minute)
	}
	if n := ss.len(); n != 3 {
		t.Fatalf("%d sessions kept, want at most 3", n)
	}
	if _, ok := ss.get(ids[0]); ok {
		t.Error("the oldest session survived eviction")
	}
	if _, ok := ss.get(ids[4]); !ok {
		t.Error("the newest session was evicted")
	}
	now = now.Add(2 * time.Hour)
	if _, ok := ss.get(ids[4]); ok {
		t.Error("an expired session was returned")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	h := newHarness(t)
	for _, o := range []Options{
		{BaseURL: "http://x"},
		{BaseURL: "ftp://x", Store: h.store},
		{BaseURL: "http://x/lms", Store: h.store},
	} {
		if _, err := New(context.Background(), o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}
