package etextbook

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/examples/lms"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/internal/apptest"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// courseID is the LMS's demo course, where the tests create the links.
const courseID = lms.DemoCourseID

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

// seededMembers are the members of the LMS's demo course, by user ID:
// name and role.
var seededMembers = map[string][2]string{
	"teacher":  {"Tess Teacher", "Instructor"},
	"student1": {"Sam Student", "Learner"},
	"student2": {"Sky Student", "Learner"},
	"student3": {"Sol Student", "Learner"},
}

// env is the reference LMS (examples/lms, on its own SQLite store, with its
// demo course) and the e-textbook (on another), both served over loopback
// HTTP, with the tool registered and approved and the links created.
type env struct {
	t        *testing.T
	lms      *consumer.Consumer
	lmsStore store.Store
	lmsURL   string
	app      *App
	appStore store.Store
	toolURL  string
	guid     string
	logs     *apptest.SyncBuffer
	// skew is added to the tool's clock.
	skew atomic.Int64
}

// newEnv starts both applications, registers the tool through a
// simulated administrator's browser, approves it and creates the links.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, logs: &apptest.SyncBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the e-textbook's log:\n%s", e.logs)
		}
	})
	e.lmsStore = storetest.SQLite().NewStore(t)
	e.appStore = storetest.SQLite().NewStore(t)

	e.lmsURL = apptest.Serve(t, func(baseURL string) http.Handler {
		a, err := lms.New(t.Context(), lms.Options{BaseURL: baseURL, Store: e.lmsStore})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		e.lms = a.Consumer()
		return a.Handler()
	})

	e.toolURL = apptest.Serve(t, func(baseURL string) http.Handler {
		app, err := New(t.Context(), Options{
			BaseURL: baseURL,
			Store:   e.appStore,
			Logger:  slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Now:     func() time.Time { return time.Now().Add(time.Duration(e.skew.Load())) },
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { app.Close() })
		e.app = app
		return app.Handler()
	})

	e.register()
	return e
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
	resp := b.PostForm(form.Action, form.Values())
	if resp.Status != http.StatusSeeOther {
		t.Fatalf("registration: status %d: %s", resp.Status, resp.Body)
	}
	back, err := url.Parse(resp.Location)
	must(t, err)
	if back.Query().Get("status") != "success" || !strings.HasPrefix(resp.Location, e.lmsURL+"/admin/tools/registered?") {
		t.Fatalf("registration sent the browser back to %s", resp.Location)
	}
	e.guid = back.Query().Get("tool_proxy_guid")
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

// browser is a user agent on the e-textbook (see apptest.Browser), which
// launches the LMS's links.
type browser struct {
	*apptest.Browser
	e *env
}

// browser returns a new browser with an empty cookie jar.
func (e *env) browser() *browser {
	return &browser{apptest.NewBrowser(e.t, e.toolURL), e}
}

// launch launches a link as a user, as the LMS's launch page makes the
// browser do, and checks that the tool answers 303 to wantPage.
func (b *browser) launch(linkID, userID, wantPage string) {
	b.e.t.Helper()
	form, err := b.e.lms.Launch(b.e.t.Context(), consumer.LaunchRequest{LinkID: linkID, UserID: userID, ReturnURL: b.e.lmsURL + "/courses/bio-101"})
	must(b.e.t, err)
	resp := b.PostForm(form.Action, form.Values())
	if resp.Status != http.StatusSeeOther || resp.Location != wantPage {
		b.e.t.Fatalf("launch of %s by %s: status %d, location %q, body %s", linkID, userID, resp.Status, resp.Location, resp.Body)
	}
}

// launchForm returns the signed launch of a link by a user.
func (e *env) launchForm(linkID, userID string) *launch.Form {
	e.t.Helper()
	form, err := e.lms.Launch(e.t.Context(), consumer.LaunchRequest{LinkID: linkID, UserID: userID, ReturnURL: e.lmsURL + "/courses/bio-101"})
	must(e.t, err)
	return form
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
