package etextbook

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/internal/apptest"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

func TestLandingPage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	resp := b.Get("/")
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /: %d", resp.Status)
	}
	if got, want := resp.TextOf(t, "registration-url"), e.toolURL+"/lti/register"; got != want {
		t.Errorf("registration URL %q, want %q", got, want)
	}
	if n := resp.ByID("registration-url"); n.Data != "code" {
		t.Errorf("#registration-url is a <%s>, want <code>", n.Data)
	}
	resp = b.Get("/no-such-page")
	if resp.Status != http.StatusNotFound || resp.ByID("error-title") == nil {
		t.Errorf("an unknown page: %d %s", resp.Status, resp.Body)
	}
}

func TestRegistration(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	reg, err := e.appStore.ToolProxy(ctx, e.guid)
	if err != nil {
		t.Fatalf("the tool holds no registration %s: %v", e.guid, err)
	}
	if reg.Status != store.StatusActive || len(reg.Profile) == 0 {
		t.Errorf("the tool's registration is %s with a %d-byte profile", reg.Status, len(reg.Profile))
	}
	rec, err := e.lmsStore.ToolProxy(ctx, e.guid)
	must(t, err)
	if rec.Name != "Open Textbooks" || rec.Status != store.StatusActive {
		t.Errorf("the LMS holds %q, %s", rec.Name, rec.Status)
	}
	if len(rec.Secret) != 256 {
		t.Errorf("the LMS holds a %d-character secret, want a split secret of 256", len(rec.Secret))
	}
	for _, code := range []string{"book", "quiz", "adopt", "census"} {
		if !strings.Contains(string(rec.Document), `"code":"`+code+`"`) {
			t.Errorf("the registered tool proxy has no resource type %q", code)
		}
	}
	if !strings.Contains(e.logs.String(), "registered with an LMS") || !strings.Contains(e.logs.String(), e.guid) {
		t.Errorf("the registration was not logged:\n%s", e.logs)
	}
}

func TestBookLaunch(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, link, user string
		query            string
		wantBook         string
		wantChapter      string
		wantTitle        string
	}{
		{"custom chapter", linkBookCh3, "student1", "", "Open Biology", "3", "Chapter 3: Cell Structure"},
		{"chapter from link settings", linkBookSettings, "student1", "", "Open Biology", "5", "Chapter 5: Photosynthesis"},
		{"chapter 1 by default", linkBookDefault, "student2", "", "Open Biology", "1", "Chapter 1: The Study of Life"},
		{"custom book", linkBookChem, "teacher", "", "Open Chemistry", "1", "Chapter 1: Matter and Measurement"},
		{"chapter from the query", linkBookCh3, "student3", "?chapter=6", "Open Biology", "6", "Chapter 6: Genetics and Inheritance"},
		{"chapter beyond the book", linkBookCh3, "student3", "?chapter=99", "Open Biology", "6", "Chapter 6: Genetics and Inheritance"},
		{"unusable query chapter", linkBookCh3, "student3", "?chapter=abc", "Open Biology", "3", "Chapter 3: Cell Structure"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser()
			b.launch(tc.link, tc.user, "/book")
			resp := b.Get("/book" + tc.query)
			if resp.Status != http.StatusOK {
				t.Fatalf("GET /book: %d %s", resp.Status, resp.Body)
			}
			if got := resp.TextOf(t, "book-title"); got != tc.wantBook {
				t.Errorf("book %q, want %q", got, tc.wantBook)
			}
			if got := resp.TextOf(t, "chapter-number"); got != tc.wantChapter {
				t.Errorf("chapter %q, want %q", got, tc.wantChapter)
			}
			if got := resp.TextOf(t, "chapter-title"); got != tc.wantTitle {
				t.Errorf("chapter title %q, want %q", got, tc.wantTitle)
			}
			if resp.ByID("service-error") != nil {
				t.Errorf("the page reports a service error: %s", resp.TextOf(t, "service-error"))
			}
		})
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "msg=launch resource=book user=student1") || !strings.Contains(logs, "context=bio-101") {
		t.Errorf("launches are not logged with resource, user and context:\n%s", logs)
	}
}

func TestQuiz(t *testing.T) {
	e := newEnv(t)

	t.Run("all correct", func(t *testing.T) {
		b := e.browser()
		b.launch(linkQuiz, "student1", "/quiz")
		page := b.Get("/quiz")
		if page.ByID("quiz") == nil || page.ByID("quiz-submit") == nil {
			t.Fatalf("the quiz page has no form or submit button: %s", page.Body)
		}
		if n := len(apptest.All(page.Doc, apptest.TagClass("fieldset", "question"))); n != 4 {
			t.Fatalf("%d questions, want 4", n)
		}
		resp := b.PostForm("/quiz", quizAnswersWith(page.Field(t, "csrf"), 4))
		if resp.Status != http.StatusOK || resp.TextOf(t, "score") != "4/4" || resp.ByID("grade-sent") == nil {
			t.Fatalf("submission: %d %s", resp.Status, resp.Body)
		}
		if got := resp.TextOf(t, "grade-sent"); got != "Your score was sent to the gradebook." {
			t.Errorf("#grade-sent says %q", got)
		}
		if s := e.result(linkQuiz, "student1"); s == nil || *s != 1.0 {
			t.Errorf("the LMS holds %v, want 1.0", s)
		}
	})

	t.Run("two correct", func(t *testing.T) {
		b := e.browser()
		b.launch(linkQuiz, "student2", "/quiz")
		resp := b.PostForm("/quiz", quizAnswersWith(b.Get("/quiz").Field(t, "csrf"), 2))
		if resp.TextOf(t, "score") != "2/4" || resp.ByID("grade-sent") == nil {
			t.Fatalf("submission: %s", resp.Body)
		}
		if s := e.result(linkQuiz, "student2"); s == nil || *s != 0.5 {
			t.Errorf("the LMS holds %v, want 0.5", s)
		}
		if !strings.Contains(e.logs.String(), "msg=\"grade sent\" user=student2") {
			t.Errorf("the grade was not logged:\n%s", e.logs)
		}
	})

	t.Run("instructor sees it read-only", func(t *testing.T) {
		b := e.browser()
		b.launch(linkQuiz, "teacher", "/quiz")
		page := b.Get("/quiz")
		if page.ByID("quiz") == nil || page.ByID("quiz-submit") != nil || page.ByID("quiz-readonly") == nil {
			t.Fatalf("the instructor's quiz page: %s", page.Body)
		}
		// A token of the instructor's own session: the refusal is the role's.
		token := b.Get("/adopt").Field(t, "csrf")
		resp := b.PostForm("/quiz", quizAnswersWith(token, 4))
		if resp.Status != http.StatusForbidden {
			t.Fatalf("an instructor's submission: %d", resp.Status)
		}
		if s := e.result(linkQuiz, "teacher"); s != nil {
			t.Errorf("the LMS holds %v for the instructor", *s)
		}
	})

	t.Run("ungradable link", func(t *testing.T) {
		b := e.browser()
		b.launch(linkQuizUngraded, "student3", "/quiz")
		resp := b.PostForm("/quiz", quizAnswersWith(b.Get("/quiz").Field(t, "csrf"), 3))
		if resp.TextOf(t, "score") != "3/4" || resp.ByID("grade-sent") != nil || !strings.Contains(resp.TextOf(t, "grade-error"), "not gradable") {
			t.Fatalf("submission on an ungradable link: %s", resp.Body)
		}
	})

	t.Run("not launched from the quiz", func(t *testing.T) {
		b := e.browser()
		b.launch(linkBookDefault, "student3", "/book")
		resp := b.PostForm("/quiz", quizAnswersWith(b.Get("/quiz").Field(t, "csrf"), 4))
		if resp.ByID("grade-error") == nil {
			t.Fatalf("a quiz submitted from a book launch was graded: %s", resp.Body)
		}
	})

	t.Run("LMS refuses", func(t *testing.T) {
		b := e.browser()
		b.launch(linkQuiz, "student3", "/quiz")
		token := b.Get("/quiz").Field(t, "csrf")
		must(t, e.lms.Disable(t.Context(), e.guid))
		resp := b.PostForm("/quiz", quizAnswersWith(token, 4))
		if resp.Status != http.StatusOK || resp.ByID("grade-sent") != nil {
			t.Fatalf("submission to a disabled tool: %d %s", resp.Status, resp.Body)
		}
		msg := resp.TextOf(t, "grade-error")
		if !strings.Contains(msg, "The score could not be sent to the gradebook: the LMS answered 40") {
			t.Errorf("#grade-error says %q", msg)
		}
		if s := e.result(linkQuiz, "student3"); s != nil {
			t.Errorf("the LMS holds %v", *s)
		}
	})
}

func TestAdoption(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	must(t, e.lmsStore.PutToolSettings(ctx, store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: e.guid, ContextID: courseID},
		[]store.Pair{{Name: "theme", Value: "dark"}}))

	b := e.browser()
	b.launch(linkAdopt, "teacher", "/adopt")
	page := b.Get("/adopt")
	if page.Status != http.StatusOK {
		t.Fatalf("GET /adopt: %d %s", page.Status, page.Body)
	}
	books := apptest.All(page.ByID("catalog"), apptest.TagClass("li", "book"))
	var ids []string
	for _, n := range books {
		ids = append(ids, apptest.Attr(n, "data-book"))
		if btn := apptest.All(n, apptest.TagClass("button", "adopt")); len(btn) != 1 || apptest.Attr(btn[0], "value") != apptest.Attr(n, "data-book") || apptest.Attr(btn[0], "name") != "book" {
			t.Errorf("book %s has no adopt button", apptest.Attr(n, "data-book"))
		}
	}
	if !slices.Equal(ids, []string{"openbio", "openchem", "openphys"}) {
		t.Errorf("catalog %v", ids)
	}
	if n := len(apptest.All(page.ByID("adopted"), apptest.Tag("li"))); n != 0 {
		t.Errorf("%d books adopted before any adoption", n)
	}

	adopt := func(book string, want string) {
		t.Helper()
		resp := b.PostForm("/adopt", url.Values{"csrf": {page.Field(t, "csrf")}, "book": {book}})
		if resp.Status != http.StatusSeeOther || resp.Location != "/adopt" {
			t.Fatalf("adopting %s: %d %s", book, resp.Status, resp.Body)
		}
		settings := e.courseSettings()
		if settings["adopted_books"] != want || settings["theme"] != "dark" {
			t.Fatalf("after adopting %s the LMS holds %v, want adopted_books=%s and theme kept", book, settings, want)
		}
		after := b.Get("/adopt")
		if after.ByID("flash") == nil {
			t.Errorf("no message after adopting %s", book)
		}
		var got []string
		for _, n := range apptest.All(after.ByID("adopted"), apptest.Tag("li")) {
			got = append(got, apptest.Attr(n, "data-book"))
		}
		if strings.Join(got, ",") != want {
			t.Errorf("the page lists %v adopted, want %s", got, want)
		}
	}
	adopt("openchem", "openchem")
	adopt("openphys", "openchem,openphys")
	adopt("openchem", "openchem,openphys")

	if resp := b.PostForm("/adopt", url.Values{"csrf": {page.Field(t, "csrf")}, "book": {"nosuchbook"}}); resp.Status != http.StatusBadRequest {
		t.Errorf("adopting an unknown book: %d", resp.Status)
	}
	if !strings.Contains(e.logs.String(), `msg="book adopted" book=openphys context=bio-101 user=teacher`) {
		t.Errorf("the adoption was not logged:\n%s", e.logs)
	}

	// The course's book links now open the first adopted book.
	learner := e.browser()
	learner.launch(linkBookDefault, "student1", "/book")
	if got := learner.Get("/book").TextOf(t, "book-title"); got != "Open Chemistry" {
		t.Errorf("after the adoption the course's book is %q", got)
	}
}

func TestCensus(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.launch(linkCensus, "teacher", "/census")
	page := b.Get("/census")
	if page.Status != http.StatusOK {
		t.Fatalf("GET /census: %d %s", page.Status, page.Body)
	}
	if got := page.TextOf(t, "census-count"); got != "4 members" {
		t.Errorf("#census-count says %q", got)
	}
	rows := apptest.All(page.ByID("census"), apptest.TagClass("tr", "member"))
	seen := map[string]bool{}
	for _, row := range rows {
		id := apptest.Attr(row, "data-user")
		want, ok := seededMembers[id]
		if !ok || seen[id] {
			t.Errorf("unexpected row for %q", id)
			continue
		}
		seen[id] = true
		if got := apptest.Text(apptest.All(row, apptest.TagClass("td", "name"))[0]); got != want[0] {
			t.Errorf("%s: name %q, want %q", id, got, want[0])
		}
		if got := apptest.Text(apptest.All(row, apptest.TagClass("td", "role"))[0]); got != want[1] {
			t.Errorf("%s: role %q, want %q", id, got, want[1])
		}
	}
	if len(seen) != len(seededMembers) || len(rows) != len(seededMembers) {
		t.Errorf("the census lists %d rows for %v, want the %d seeded members", len(rows), seen, len(seededMembers))
	}
}

func TestRoles(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		user, link, landing string
		method, path        string
		want                int
	}{
		{"student1", linkAdopt, "/adopt", http.MethodGet, "/adopt", http.StatusForbidden},
		{"student1", linkAdopt, "/adopt", http.MethodPost, "/adopt", http.StatusForbidden},
		{"student1", linkCensus, "/census", http.MethodGet, "/census", http.StatusForbidden},
		{"student2", linkBookDefault, "/book", http.MethodGet, "/census", http.StatusForbidden},
		{"teacher", linkAdopt, "/adopt", http.MethodGet, "/adopt", http.StatusOK},
		{"teacher", linkCensus, "/census", http.MethodGet, "/census", http.StatusOK},
		{"teacher", linkBookDefault, "/book", http.MethodGet, "/census", http.StatusOK},
		{"student1", linkBookDefault, "/book", http.MethodGet, "/book", http.StatusOK},
		{"student1", linkQuiz, "/quiz", http.MethodGet, "/quiz", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.user+" "+tc.method+" "+tc.path, func(t *testing.T) {
			b := e.browser()
			b.launch(tc.link, tc.user, tc.landing)
			var resp *apptest.Response
			if tc.method == http.MethodPost {
				token := b.Get("/quiz").Field(t, "csrf") // a valid token of the session
				resp = b.PostForm(tc.path, url.Values{"csrf": {token}, "book": {"openchem"}})
			} else {
				resp = b.Get(tc.path)
			}
			if resp.Status != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.Status, tc.want, resp.Body)
			}
			if tc.want == http.StatusForbidden && resp.ByID("error-title") == nil {
				t.Errorf("the 403 is not the error page: %s", resp.Body)
			}
		})
	}
	if got := e.courseSettings()["adopted_books"]; got != "" {
		t.Errorf("a learner's adoption reached the LMS: %q", got)
	}
}

func TestSessionRequired(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ method, path, cookie string }{
		{http.MethodGet, "/book", ""},
		{http.MethodGet, "/quiz", ""},
		{http.MethodPost, "/quiz", ""},
		{http.MethodGet, "/adopt", ""},
		{http.MethodPost, "/adopt", ""},
		{http.MethodGet, "/census", ""},
		{http.MethodGet, "/book", "forged-session-id"},
		{http.MethodPost, "/adopt", "forged-session-id"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path+" "+tc.cookie, func(t *testing.T) {
			b := e.browser()
			if tc.cookie != "" {
				u, _ := url.Parse(e.toolURL)
				b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: CookieName, Value: tc.cookie}})
			}
			var resp *apptest.Response
			if tc.method == http.MethodPost {
				resp = b.PostForm(tc.path, url.Values{"csrf": {"x"}, "book": {"openchem"}})
			} else {
				resp = b.Get(tc.path)
			}
			if resp.Status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.Status)
			}
			if resp.ByID("launch-required") == nil || !strings.Contains(resp.TextOf(t, "error-title"), "launch the e-textbook from your LMS") {
				t.Errorf("the 401 page does not send the user to the LMS: %s", resp.Body)
			}
		})
	}
}

func TestSessionCookie(t *testing.T) {
	e := newEnv(t)
	form := e.launchForm(linkBookCh3, "student1")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(form.Action, form.Values())
	must(t, err)
	resp.Body.Close()
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == CookieName {
			c = k
		}
	}
	if c == nil {
		t.Fatalf("the launch set no %s cookie", CookieName)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || len(c.Value) < 40 {
		t.Errorf("session cookie %+v", c)
	}

	// A second launch in the same browser replaces the first session.
	b := e.browser()
	b.launch(linkBookCh3, "student1", "/book")
	before := e.app.sessions.len()
	b.launch(linkBookDefault, "student1", "/book")
	if after := e.app.sessions.len(); after != before {
		t.Errorf("a relaunch grew the sessions from %d to %d", before, after)
	}

	// The session expires with its TTL.
	e.skew.Store(int64(DefaultSessionTTL + time.Minute))
	if got := b.Get("/book"); got.Status != http.StatusUnauthorized {
		t.Errorf("an expired session: %d", got.Status)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	teacher := e.browser()
	teacher.launch(linkAdopt, "teacher", "/adopt")
	token := teacher.Get("/adopt").Field(t, "csrf")
	other := e.browser()
	other.launch(linkAdopt, "teacher", "/adopt")
	otherToken := other.Get("/adopt").Field(t, "csrf")
	learner := e.browser()
	learner.launch(linkQuiz, "student1", "/quiz")
	learnerToken := learner.Get("/quiz").Field(t, "csrf")

	tests := []struct {
		name string
		b    *browser
		path string
		form url.Values
	}{
		{"adopt without a token", teacher, "/adopt", url.Values{"book": {"openchem"}}},
		{"adopt with a wrong token", teacher, "/adopt", url.Values{"csrf": {token + "x"}, "book": {"openchem"}}},
		{"adopt with another session's token", teacher, "/adopt", url.Values{"csrf": {otherToken}, "book": {"openchem"}}},
		{"quiz without a token", learner, "/quiz", quizAnswersWith("", 4)},
		{"quiz with another session's token", learner, "/quiz", quizAnswersWith(token, 4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := tc.b.PostForm(tc.path, tc.form)
			if resp.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403: %s", resp.Status, resp.Body)
			}
		})
	}
	if got := e.courseSettings()["adopted_books"]; got != "" {
		t.Errorf("a forged adoption reached the LMS: %q", got)
	}
	if s := e.result(linkQuiz, "student1"); s != nil {
		t.Errorf("a forged submission reached the gradebook: %v", *s)
	}
	// The right token works.
	if resp := learner.PostForm("/quiz", quizAnswersWith(learnerToken, 1)); resp.ByID("grade-sent") == nil {
		t.Errorf("a submission with the session's token: %s", resp.Body)
	}
}

func TestLaunchRefused(t *testing.T) {
	e := newEnv(t)
	form := e.launchForm(linkBookCh3, "student1")
	v := form.Values()
	v.Set("user_id", "teacher") // tampered: the signature no longer matches
	b := e.browser()
	resp := b.PostForm(form.Action, v)
	if resp.Status == http.StatusSeeOther && resp.Location == "/book" {
		t.Fatal("a tampered launch was accepted")
	}
	if resp.Status != http.StatusUnauthorized {
		t.Errorf("a tampered launch: %d", resp.Status)
	}
	if got := b.Get("/book"); got.Status != http.StatusUnauthorized {
		t.Errorf("a refused launch opened a session: %d", got.Status)
	}
}

func TestNoSecretsLogged(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.launch(linkQuiz, "student1", "/quiz")
	b.PostForm("/quiz", quizAnswersWith(b.Get("/quiz").Field(t, "csrf"), 4))
	b.launch(linkAdopt, "teacher", "/adopt")
	b.PostForm("/adopt", url.Values{"csrf": {b.Get("/adopt").Field(t, "csrf")}, "book": {"openphys"}})
	rec, err := e.lmsStore.ToolProxy(t.Context(), e.guid)
	must(t, err)
	logs := e.logs.String()
	for _, secret := range []string{rec.Secret, rec.Secret[:128], rec.Secret[128:]} {
		if strings.Contains(logs, secret) {
			t.Fatal("the log holds the shared secret or half of it")
		}
	}
	if strings.Contains(logs, "csrf=") || strings.Contains(logs, "oauth_signature") {
		t.Errorf("the log holds a token or signature:\n%s", logs)
	}
}

func TestNewOptions(t *testing.T) {
	st := storetest.SQLite().NewStore(t)
	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"valid", Options{BaseURL: "http://127.0.0.1:8090", Store: st}, true},
		{"trailing slash", Options{BaseURL: "https://books.example.com/", Store: st}, true},
		{"no store", Options{BaseURL: "http://127.0.0.1:8090"}, false},
		{"no base URL", Options{Store: st}, false},
		{"relative", Options{BaseURL: "/books", Store: st}, false},
		{"with a path", Options{BaseURL: "https://example.com/books", Store: st}, false},
		{"with a query", Options{BaseURL: "https://example.com/?x=1", Store: st}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(context.Background(), tc.opts)
			if (err == nil) != tc.ok {
				t.Fatalf("New: %v, want ok=%v", err, tc.ok)
			}
			if a != nil {
				if !strings.HasSuffix(a.RegistrationURL(), "/lti/register") || strings.Contains(a.RegistrationURL(), "//lti") {
					t.Errorf("registration URL %s", a.RegistrationURL())
				}
				must(t, a.Close())
			}
		})
	}
}

func TestServiceErrors(t *testing.T) {
	e := newEnv(t)
	reader := e.browser()
	reader.launch(linkBookCh3, "student1", "/book")
	teacher := e.browser()
	teacher.launch(linkAdopt, "teacher", "/adopt")
	token := teacher.Get("/adopt").Field(t, "csrf")
	must(t, e.lms.Disable(t.Context(), e.guid))

	book := reader.Get("/book")
	if book.Status != http.StatusOK || book.TextOf(t, "chapter-number") != "3" || book.TextOf(t, "book-title") != "Open Biology" {
		t.Fatalf("the book page without the LMS's services: %d %s", book.Status, book.Body)
	}
	if msg := book.TextOf(t, "service-error"); !strings.Contains(msg, "the LMS answered 403 Forbidden") {
		t.Errorf("the book page says %q", msg)
	}
	adopt := teacher.Get("/adopt")
	if msg := adopt.TextOf(t, "service-error"); !strings.Contains(msg, "adopted books could not be read: the LMS answered 403") {
		t.Errorf("the adoption page says %q", msg)
	}
	resp := teacher.PostForm("/adopt", url.Values{"csrf": {token}, "book": {"openchem"}})
	if resp.Status != http.StatusSeeOther {
		t.Fatalf("adoption: %d", resp.Status)
	}
	if msg := teacher.Get("/adopt").TextOf(t, "flash"); !strings.Contains(msg, "could not be saved") {
		t.Errorf("after a failed adoption the page says %q", msg)
	}
	census := teacher.Get("/census")
	if census.ByID("census") != nil || !strings.Contains(census.TextOf(t, "service-error"), "roster could not be read") {
		t.Errorf("the census page without the Membership service: %s", census.Body)
	}
	for _, r := range []*apptest.Response{book, adopt, census} {
		if strings.Contains(r.Body, "goroutine") || strings.Contains(r.Body, ".go:") {
			t.Errorf("a page shows a stack trace: %s", r.Body)
		}
	}
}
