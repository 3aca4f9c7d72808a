package lms

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/net/html"

	"github.com/ltiforge/ltiforge/examples/etextbook"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/internal/apptest"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/provider"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// bookTool is a tool provider with the e-textbook's declaration, serving
// launches of its book; it keeps the last launch it accepted.
type bookTool struct {
	P    *provider.Provider
	URL  string
	last atomic.Pointer[launch.Launch]
}

// newBookTool starts a tool provider (runtime/provider) declared as the
// reference e-textbook is (etextbook.Declaration), serving its book
// resource only, on a fresh SQLite store over loopback HTTP.
func newBookTool(t *testing.T) *bookTool {
	t.Helper()
	st := storetest.SQLite().NewStore(t)
	bt := &bookTool{}
	bt.URL = apptest.Serve(t, func(baseURL string) http.Handler {
		p, err := provider.New(provider.Config{BaseURL: baseURL, ConfirmPath: etextbook.ConfirmPath, Store: st, Tool: etextbook.Declaration(baseURL), SplitSecret: true})
		if err != nil {
			t.Fatal(err)
		}
		bt.P = p
		mux := http.NewServeMux()
		mux.Handle(etextbook.RegisterPath, p.RegistrationHandler())
		mux.Handle(p.ConfirmPath(), p.ConfirmHandler())
		mux.Handle(etextbook.LaunchPathPrefix+etextbook.ResourceBook, p.LaunchHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l, _ := launch.FromContext(r.Context())
			bt.last.Store(l)
			_, _ = w.Write([]byte("book opened"))
		})))
		return mux
	})
	return bt
}

// toolRowOf returns the tools table's row of guid.
func toolRowOf(t *testing.T, r *apptest.Response, guid string) *html.Node {
	t.Helper()
	row := apptest.First(r.ByID("tools"), apptest.TagAttr("tr", "data-guid", guid))
	if row == nil {
		t.Fatalf("no tools row for %s: %s", guid, r.Body)
	}
	return row
}

// TestRegistrationFlow registers a tool as the administrator's browser
// would, approves it, has the instructor place it and a learner launch it,
// then re-registers it and confirms the proposal.
func TestRegistrationFlow(t *testing.T) {
	h := newHarness(t)
	tool := newBookTool(t)
	ctx := context.Background()

	admin := h.browser()
	admin.signIn("admin")
	tools := admin.Get("/admin/tools")
	for _, id := range []string{"register-form", "registration-url", "register-submit", "tools", "lti1-form", "lti1-name", "lti1-key", "lti1-secret", "lti1-url", "lti1-submit"} {
		if tools.ByID(id) == nil {
			t.Errorf("the tools page has no #%s", id)
		}
	}

	// The registration form goes to the browser, which posts it to the tool.
	form := admin.post("/admin/tools/register", url.Values{"url": {tool.URL + "/lti/register"}})
	if form.Status != http.StatusOK {
		t.Fatalf("register: status %d: %s", form.Status, form.Body)
	}
	f := apptest.First(form.Doc, apptest.Tag("form"))
	if f == nil || apptest.Attr(f, "action") != tool.URL+"/lti/register" {
		t.Fatalf("the registration form does not post to the tool: %s", form.Body)
	}
	regPassword := apptest.Attr(apptest.First(f, apptest.TagAttr("input", "name", "reg_password")), "value")
	regKey := apptest.Attr(apptest.First(f, apptest.TagAttr("input", "name", "reg_key")), "value")
	if regPassword == "" || regKey == "" {
		t.Fatalf("no registration credentials in the form: %s", form.Body)
	}
	back := admin.Submit(form)
	if back.Status != http.StatusSeeOther || !strings.HasPrefix(back.Location, h.URL+"/admin/tools/registered?") {
		t.Fatalf("the tool answered %d, Location %q: %s", back.Status, back.Location, back.Body)
	}
	q, _ := url.ParseQuery(back.Location[strings.IndexByte(back.Location, '?')+1:])
	guid := q.Get("tool_proxy_guid")
	if q.Get("status") != "success" || guid != regKey {
		t.Fatalf("the tool returned %s", back.Location)
	}
	tools = admin.Follow(admin.Follow(back))
	if got := apptest.Text(tools.ByID("flash")); got != "Tool registered; approve it to use it." {
		t.Errorf("flash %q", got)
	}
	row := toolRowOf(t, tools, guid)
	if got := apptest.Text(apptest.First(row, apptest.TagClass("td", "status"))); got != "pending" {
		t.Errorf("status %q, want pending", got)
	}
	if got := apptest.Text(apptest.First(row, apptest.TagClass("td", "name"))); got != "Open Textbooks" {
		t.Errorf("name %q", got)
	}
	if got := apptest.Text(apptest.First(row, apptest.TagClass("td", "version"))); got != "LTI-2p0" {
		t.Errorf("version %q", got)
	}
	services := apptest.Text(apptest.First(row, apptest.TagClass("td", "services")))
	for _, s := range []string{"LtiLinkSettings", "ToolProxyBindingSettings", "Result.item", "Membership.collection"} {
		if !strings.Contains(services, s) {
			t.Errorf("services %q lack %s", services, s)
		}
	}
	if apptest.First(row, apptest.TagClass("button", "approve")) == nil {
		t.Fatal("a pending tool has no approve button")
	}

	// Before approval, a launch is refused with a readable page.
	must(t, h.store.PutLink(ctx, store.Link{ID: "early", ContextID: DemoCourseID, ToolProxyGUID: guid, ResourceType: etextbook.ResourceBook, Title: "Too early"}))
	student := h.browser()
	student.signIn("student1")
	early := student.Get("/courses/bio-101/links/early/launch")
	if got := apptest.Text(early.ByID("error-message")); early.Status != http.StatusConflict || got != "This tool is waiting for an administrator's approval." {
		t.Errorf("launch of a pending tool: %d %q", early.Status, got)
	}

	// Approve.
	tools = admin.Follow(admin.post("/admin/tools/"+url.PathEscape(guid)+"/approve", nil))
	row = toolRowOf(t, tools, guid)
	if got := apptest.Text(apptest.First(row, apptest.TagClass("td", "status"))); got != "active" {
		t.Fatalf("status after approval %q", got)
	}
	if apptest.First(row, apptest.TagClass("button", "reregister")) == nil || apptest.First(row, apptest.TagClass("button", "disable")) == nil {
		t.Errorf("an active LTI 2 tool lacks its buttons")
	}

	// The instructor places the book.
	teacher := h.browser()
	teacher.signIn("teacher")
	course := teacher.Get("/courses/bio-101")
	opt := apptest.First(course.ByID("link-resource"), apptest.TagAttr("option", "value", guid+"|"+etextbook.ResourceBook))
	if opt == nil || apptest.Text(opt) != "Open Textbooks — Textbook" {
		t.Fatalf("no option for the book: %s", course.Body)
	}
	course = teacher.Follow(teacher.post("/courses/bio-101/links", url.Values{
		"resource": {guid + "|book"}, "title": {"Chapter 1"}, "custom": {"chapter=1"}, "gradable": {"on"},
	}))
	var href, linkID string
	for _, li := range apptest.All(course.ByID("links"), apptest.TagClass("li", "link")) {
		if a := apptest.First(li, apptest.TagClass("a", "launch")); apptest.Text(a) == "Chapter 1" {
			href, linkID = apptest.Attr(a, "href"), apptest.Attr(li, "data-link")
		}
	}
	if href == "" {
		t.Fatalf("the new link is not listed: %s", course.Body)
	}

	// The learner launches it; the tool verifies and accepts the launch.
	course = student.Get("/courses/bio-101")
	if apptest.First(course.ByID("links"), apptest.TagAttr("a", "href", href)) == nil {
		t.Fatalf("the learner does not see the link: %s", course.Body)
	}
	launchPage := student.Get(href)
	if launchPage.Status != http.StatusOK {
		t.Fatalf("launch: %d: %s", launchPage.Status, launchPage.Body)
	}
	if opened := student.Submit(launchPage); opened.Status != http.StatusOK || opened.Body != "book opened" {
		t.Fatalf("the tool answered the launch %d: %s", opened.Status, opened.Body)
	}
	l := tool.last.Load()
	if l == nil {
		t.Fatal("the tool accepted no launch")
	}
	custom := func(name string) string { v, _ := l.CustomValue(name); return v }
	if l.User.ID != "student1" || l.ResourceLink.ID != linkID || l.ConsumerKey != guid || l.Context.ID != DemoCourseID {
		t.Errorf("launch user %q link %q key %q context %q", l.User.ID, l.ResourceLink.ID, l.ConsumerKey, l.Context.ID)
	}
	if custom(etextbook.ParamLearnerName) != "Sam Student" || custom(etextbook.ParamCourseTitle) != "Biology 101" || custom(etextbook.CustomChapter) != "1" {
		t.Errorf("launch custom parameters %+v", l.Custom)
	}
	if !l.HasRole(lti2.RoleMembershipLearner) && !l.HasRole(lti2.RoleContextLearner) {
		t.Errorf("launch roles %v", l.Roles)
	}
	if l.Presentation.ReturnURL != h.URL+"/courses/bio-101" {
		t.Errorf("return URL %q", l.Presentation.ReturnURL)
	}

	// The tool writes a result through the Result service; the gradebook
	// shows it.
	svc, err := tool.P.Services(ctx, guid)
	must(t, err)
	score := 0.75
	must(t, svc.PutResultAt(ctx, custom(etextbook.ParamResultURL), &lti2.Result{ResultScore: &score}))
	must(t, svc.PutSettingsAt(ctx, custom(etextbook.ParamContextSettingURL), map[string]string{etextbook.SettingAdoptedBooks: "openbio"}))
	grades := teacher.Get("/courses/bio-101/gradebook")
	cell := apptest.First(apptest.First(grades.ByID("gradebook"), apptest.TagAttr("tr", "data-user", "student1")), apptest.TagAttr("td", "data-link", linkID))
	if got := apptest.Text(cell); got != "75%" {
		t.Errorf("gradebook cell %q, want 75%%", got)
	}
	settings := teacher.Get("/courses/bio-101/settings")
	binding := apptest.First(settings.Doc, func(n *html.Node) bool {
		return n.Data == "section" && apptest.Attr(n, "data-scope") == "ToolProxyBinding" && apptest.Attr(n, "data-tool") == guid
	})
	if !strings.Contains(apptest.Text(binding), "adopted_books") || !strings.Contains(apptest.Text(binding), "openbio") {
		t.Errorf("binding settings section: %s", settings.Body)
	}

	// Re-registration: the tool proposes a new proxy, held until confirmed.
	rereg := admin.post("/admin/tools/"+url.PathEscape(guid)+"/reregister", nil)
	if rereg.Status != http.StatusOK {
		t.Fatalf("reregister: %d: %s", rereg.Status, rereg.Body)
	}
	back = admin.Submit(rereg)
	if back.Status != http.StatusSeeOther || !strings.Contains(back.Location, "status=success") {
		t.Fatalf("re-registration answered %d %q: %s", back.Status, back.Location, back.Body)
	}
	tools = admin.Follow(admin.Follow(back))
	if got := apptest.Text(tools.ByID("flash")); got != msgReregistered {
		t.Errorf("re-registration flash %q", got)
	}
	row = toolRowOf(t, tools, guid)
	if apptest.First(row, apptest.TagClass("button", "confirm")) == nil || apptest.First(row, apptest.TagClass("button", "dismiss")) == nil {
		t.Fatalf("a pending re-registration has no confirm/dismiss buttons: %s", tools.Body)
	}
	if got := apptest.Text(apptest.First(row, apptest.TagClass("td", "status"))); got != "active" {
		t.Errorf("status during re-registration %q", got)
	}
	old, err := h.store.ToolProxy(ctx, guid)
	must(t, err)
	tools = admin.Follow(admin.post("/admin/tools/"+url.PathEscape(guid)+"/confirm", nil))
	if f := tools.ByID("flash"); f == nil || apptest.HasClass(f, "error") {
		t.Fatalf("confirm: %s", tools.Body)
	}
	row = toolRowOf(t, tools, guid)
	if apptest.First(row, apptest.TagClass("button", "confirm")) != nil {
		t.Error("the confirm button outlived the confirmation")
	}
	now, err := h.store.ToolProxy(ctx, guid)
	must(t, err)
	if now.Pending != nil || now.Secret == old.Secret {
		t.Error("the confirmation did not put the new secret in force")
	}

	// The learner still launches, with the new secret.
	if opened := student.Submit(student.Get(href)); opened.Status != http.StatusOK {
		t.Fatalf("launch after re-registration: %d: %s", opened.Status, opened.Body)
	}

	// Nothing secret reached the log, and every step was logged.
	logs := h.logs.String()
	for _, secret := range []string{regPassword, old.Secret, now.Secret} {
		if strings.Contains(logs, secret) {
			t.Error("a secret reached the log")
		}
	}
	for _, msg := range []string{"lms: tool registered", "lms: tool approved", "lms: link added", "lms: launch"} {
		if !strings.Contains(logs, msg) {
			t.Errorf("the log lacks %q", msg)
		}
	}
}

// TestRegistrationFailure shows the tool's error message.
func TestRegistrationFailure(t *testing.T) {
	h := newHarness(t)
	admin := h.browser()
	admin.signIn("admin")
	for _, tc := range []struct{ query, want string }{
		{"status=failure&lti_errormsg=" + url.QueryEscape("The LMS does not offer Membership.collection."), "The LMS does not offer Membership.collection."},
		{"tool_proxy_guid=x", msgRegFailed},
		{"status=success&lti_message=" + url.QueryEscape("Person.email.primary was dropped"), msgRegistered},
	} {
		r := admin.Follow(admin.Get("/admin/tools/registered?" + tc.query))
		f := r.ByID("flash")
		if got := apptest.Text(f); got != tc.want {
			t.Errorf("%s: flash %q, want %q", tc.query, got, tc.want)
		}
		if apptest.HasClass(f, "error") == (tc.want == msgRegistered) {
			t.Errorf("%s: flash class %q", tc.query, apptest.Attr(f, "class"))
		}
		if strings.Contains(tc.query, "lti_message") && !strings.Contains(apptest.Text(r.ByID("flash-note")), "dropped") {
			t.Errorf("lti_message not shown: %s", r.Body)
		}
	}
}
