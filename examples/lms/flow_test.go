package lms

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/provider"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// bookTool is a tool provider (runtime/provider) with one resource, a book,
// served over loopback HTTP; it records the launches it accepts.
type bookTool struct {
	P   *provider.Provider
	URL string

	mu       sync.Mutex
	launches []*launch.Launch
}

func (bt *bookTool) lastLaunch(t *testing.T) *launch.Launch {
	t.Helper()
	bt.mu.Lock()
	defer bt.mu.Unlock()
	if len(bt.launches) == 0 {
		t.Fatal("the tool accepted no launch")
	}
	return bt.launches[len(bt.launches)-1]
}

// bookDeclaration declares a book resource whose launch asks for the
// services and variables the LMS offers.
func bookDeclaration(base string) provider.Declaration {
	param := func(name, variable string) lti2.Parameter {
		return lti2.Parameter{Name: lti2.NameType(name), Variable: lti2.VariableNameType(variable)}
	}
	return provider.Declaration{
		Profile: &lti2.ToolProfile{
			LTIVersion: "LTI-2p0",
			ProductInstance: &lti2.ProductInstance{
				GUID: "test-books-1",
				ProductInfo: &lti2.ProductInfo{
					ProductName:    &lti2.LocalizedName{DefaultValue: "Test Textbooks"},
					ProductVersion: "1.0",
					ProductFamily: &lti2.ProductFamily{Code: "etextbook", Vendor: &lti2.Vendor{
						Code: "books.example.com", VendorName: &lti2.LocalizedName{DefaultValue: "Example Books"}, Timestamp: "2026-01-01T00:00:00Z"}},
				},
			},
			BaseURLChoice: []lti2.BaseURLChoice{{DefaultBaseURL: base}},
			ResourceHandler: []lti2.ResourceHandler{{
				ResourceType: &lti2.ResourceType{Code: "book"},
				ResourceName: &lti2.LocalizedName{DefaultValue: "Textbook"},
				Message: []lti2.MessageHandler{{
					MessageType: "basic-lti-launch-request",
					Path:        "/lti/launch/book",
					EnabledCapability: []lti2.Capability{"Result.autocreate", "Person.name.full", "Context.title", "Result.url",
						"LtiLink.custom.url", "ToolProxyBinding.custom.url", "ToolProxyBinding.memberships.url"},
					Parameter: []lti2.Parameter{
						param("learner_name", "Person.name.full"),
						param("course_title", "Context.title"),
						param("result_url", "Result.url"),
						param("link_setting_url", "LtiLink.custom.url"),
						param("context_setting_url", "ToolProxyBinding.custom.url"),
						param("context_memberships_url", "ToolProxyBinding.memberships.url"),
					},
				}},
			}},
			Message: []lti2.MessageHandler{{MessageType: "ToolProxyReregistrationRequest", Path: "/lti/register"}},
		},
		Services: []provider.ServiceNeed{
			{Name: provider.OfferLinkSettings, Required: true},
			{Name: provider.OfferBindingSettings, Required: true},
			{Name: provider.OfferToolProxySettings, Required: true},
			{Name: provider.OfferResult, Required: true},
			{Name: provider.OfferMembership, Required: true},
		},
		Required: []string{"basic-lti-launch-request"},
		Settings: map[string]string{"edition": "2"},
	}
}

func newBookTool(t *testing.T) *bookTool {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tool.db"), store.Options{Sealer: storetest.TestSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bt := &bookTool{}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	bt.URL = srv.URL
	p, err := provider.New(provider.Config{BaseURL: srv.URL, ConfirmPath: "/lti/confirm/", Store: st, Tool: bookDeclaration(srv.URL), SplitSecret: true})
	if err != nil {
		t.Fatal(err)
	}
	bt.P = p
	mux.Handle("/lti/register", p.RegistrationHandler())
	mux.Handle(p.ConfirmPath(), p.ConfirmHandler())
	mux.Handle("/lti/launch/book", p.LaunchHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, _ := launch.FromContext(r.Context())
		bt.mu.Lock()
		bt.launches = append(bt.launches, l)
		bt.mu.Unlock()
		_, _ = w.Write([]byte("book opened"))
	})))
	return bt
}

// toolRowOf returns the tools table's row of guid.
func toolRowOf(t *testing.T, r *response, guid string) *html.Node {
	t.Helper()
	row := first(byID(r.Doc, "tools"), tagAttr("tr", "data-guid", guid))
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
	tools := admin.get("/admin/tools")
	for _, id := range []string{"register-form", "registration-url", "register-submit", "tools", "lti1-form", "lti1-name", "lti1-key", "lti1-secret", "lti1-url", "lti1-submit"} {
		if byID(tools.Doc, id) == nil {
			t.Errorf("the tools page has no #%s", id)
		}
	}

	// The registration form goes to the browser, which posts it to the tool.
	form := admin.post("/admin/tools/register", url.Values{"url": {tool.URL + "/lti/register"}})
	if form.Status != http.StatusOK {
		t.Fatalf("register: status %d: %s", form.Status, form.Body)
	}
	f := first(form.Doc, func(n *html.Node) bool { return n.Data == "form" })
	if f == nil || attr(f, "action") != tool.URL+"/lti/register" {
		t.Fatalf("the registration form does not post to the tool: %s", form.Body)
	}
	regPassword := attr(first(f, tagAttr("input", "name", "reg_password")), "value")
	regKey := attr(first(f, tagAttr("input", "name", "reg_key")), "value")
	if regPassword == "" || regKey == "" {
		t.Fatalf("no registration credentials in the form: %s", form.Body)
	}
	back := admin.submit(form)
	if back.Status != http.StatusSeeOther || !strings.HasPrefix(back.Location, h.URL+"/admin/tools/registered?") {
		t.Fatalf("the tool answered %d, Location %q: %s", back.Status, back.Location, back.Body)
	}
	q, _ := url.ParseQuery(back.Location[strings.IndexByte(back.Location, '?')+1:])
	guid := q.Get("tool_proxy_guid")
	if q.Get("status") != "success" || guid != regKey {
		t.Fatalf("the tool returned %s", back.Location)
	}
	tools = admin.follow(admin.follow(back))
	if got := text(byID(tools.Doc, "flash")); got != "Tool registered; approve it to use it." {
		t.Errorf("flash %q", got)
	}
	row := toolRowOf(t, tools, guid)
	if got := text(first(row, tagClass("td", "status"))); got != "pending" {
		t.Errorf("status %q, want pending", got)
	}
	if got := text(first(row, tagClass("td", "name"))); got != "Test Textbooks" {
		t.Errorf("name %q", got)
	}
	if got := text(first(row, tagClass("td", "version"))); got != "LTI-2p0" {
		t.Errorf("version %q", got)
	}
	services := text(first(row, tagClass("td", "services")))
	for _, s := range []string{"LtiLinkSettings", "ToolProxyBindingSettings", "ToolProxySettings", "Result.item", "Membership.collection"} {
		if !strings.Contains(services, s) {
			t.Errorf("services %q lack %s", services, s)
		}
	}
	if first(row, tagClass("button", "approve")) == nil {
		t.Fatal("a pending tool has no approve button")
	}

	// Before approval, a launch is refused with a readable page.
	must(t, h.store.PutLink(ctx, store.Link{ID: "early", ContextID: DemoCourseID, ToolProxyGUID: guid, ResourceType: "book", Title: "Too early"}))
	student := h.browser()
	student.signIn("student1")
	early := student.get("/courses/bio-101/links/early/launch")
	if got := text(byID(early.Doc, "error-message")); early.Status != http.StatusConflict || got != "This tool is waiting for an administrator's approval." {
		t.Errorf("launch of a pending tool: %d %q", early.Status, got)
	}

	// Approve.
	tools = admin.follow(admin.post("/admin/tools/"+url.PathEscape(guid)+"/approve", nil))
	row = toolRowOf(t, tools, guid)
	if got := text(first(row, tagClass("td", "status"))); got != "active" {
		t.Fatalf("status after approval %q", got)
	}
	if first(row, tagClass("button", "reregister")) == nil || first(row, tagClass("button", "disable")) == nil {
		t.Errorf("an active LTI 2 tool lacks its buttons")
	}

	// The instructor places the book.
	teacher := h.browser()
	teacher.signIn("teacher")
	course := teacher.get("/courses/bio-101")
	opt := first(byID(course.Doc, "link-resource"), tagAttr("option", "value", guid+"|book"))
	if opt == nil || text(opt) != "Test Textbooks — Textbook" {
		t.Fatalf("no option for the book: %s", course.Body)
	}
	course = teacher.follow(teacher.post("/courses/bio-101/links", url.Values{
		"resource": {guid + "|book"}, "title": {"Chapter 1"}, "custom": {"chapter=1"}, "gradable": {"on"},
	}))
	var href, linkID string
	for _, li := range all(byID(course.Doc, "links"), tagClass("li", "link")) {
		if a := first(li, tagClass("a", "launch")); text(a) == "Chapter 1" {
			href, linkID = attr(a, "href"), attr(li, "data-link")
		}
	}
	if href == "" {
		t.Fatalf("the new link is not listed: %s", course.Body)
	}

	// The learner launches it; the tool verifies and accepts the launch.
	course = student.get("/courses/bio-101")
	if first(byID(course.Doc, "links"), tagAttr("a", "href", href)) == nil {
		t.Fatalf("the learner does not see the link: %s", course.Body)
	}
	launchPage := student.get(href)
	if launchPage.Status != http.StatusOK {
		t.Fatalf("launch: %d: %s", launchPage.Status, launchPage.Body)
	}
	if opened := student.submit(launchPage); opened.Status != http.StatusOK || opened.Body != "book opened" {
		t.Fatalf("the tool answered the launch %d: %s", opened.Status, opened.Body)
	}
	l := tool.lastLaunch(t)
	custom := func(name string) string { v, _ := l.CustomValue(name); return v }
	if l.User.ID != "student1" || l.ResourceLink.ID != linkID || l.ConsumerKey != guid || l.Context.ID != DemoCourseID {
		t.Errorf("launch user %q link %q key %q context %q", l.User.ID, l.ResourceLink.ID, l.ConsumerKey, l.Context.ID)
	}
	if custom("learner_name") != "Sam Student" || custom("course_title") != "Biology 101" || custom("chapter") != "1" {
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
	must(t, svc.PutResultAt(ctx, custom("result_url"), &lti2.Result{ResultScore: &score}))
	must(t, svc.PutSettingsAt(ctx, custom("context_setting_url"), map[string]string{"adopted_books": "openbio"}))
	grades := teacher.get("/courses/bio-101/gradebook")
	cell := first(first(byID(grades.Doc, "gradebook"), tagAttr("tr", "data-user", "student1")), tagAttr("td", "data-link", linkID))
	if got := text(cell); got != "75%" {
		t.Errorf("gradebook cell %q, want 75%%", got)
	}
	settings := teacher.get("/courses/bio-101/settings")
	binding := first(settings.Doc, func(n *html.Node) bool {
		return n.Data == "section" && attr(n, "data-scope") == "ToolProxyBinding" && attr(n, "data-tool") == guid
	})
	if !strings.Contains(text(binding), "adopted_books") || !strings.Contains(text(binding), "openbio") {
		t.Errorf("binding settings section: %s", settings.Body)
	}

	// Re-registration: the tool proposes a new proxy, held until confirmed.
	rereg := admin.post("/admin/tools/"+url.PathEscape(guid)+"/reregister", nil)
	if rereg.Status != http.StatusOK {
		t.Fatalf("reregister: %d: %s", rereg.Status, rereg.Body)
	}
	back = admin.submit(rereg)
	if back.Status != http.StatusSeeOther || !strings.Contains(back.Location, "status=success") {
		t.Fatalf("re-registration answered %d %q: %s", back.Status, back.Location, back.Body)
	}
	tools = admin.follow(admin.follow(back))
	if got := text(byID(tools.Doc, "flash")); got != msgReregistered {
		t.Errorf("re-registration flash %q", got)
	}
	row = toolRowOf(t, tools, guid)
	if first(row, tagClass("button", "confirm")) == nil || first(row, tagClass("button", "dismiss")) == nil {
		t.Fatalf("a pending re-registration has no confirm/dismiss buttons: %s", tools.Body)
	}
	if got := text(first(row, tagClass("td", "status"))); got != "active" {
		t.Errorf("status during re-registration %q", got)
	}
	old, err := h.store.ToolProxy(ctx, guid)
	must(t, err)
	tools = admin.follow(admin.post("/admin/tools/"+url.PathEscape(guid)+"/confirm", nil))
	if f := byID(tools.Doc, "flash"); f == nil || hasClass(f, "error") {
		t.Fatalf("confirm: %s", tools.Body)
	}
	row = toolRowOf(t, tools, guid)
	if first(row, tagClass("button", "confirm")) != nil {
		t.Error("the confirm button outlived the confirmation")
	}
	now, err := h.store.ToolProxy(ctx, guid)
	must(t, err)
	if now.Pending != nil || now.Secret == old.Secret {
		t.Error("the confirmation did not put the new secret in force")
	}

	// The learner still launches, with the new secret.
	if opened := student.submit(student.get(href)); opened.Status != http.StatusOK {
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
		r := admin.follow(admin.get("/admin/tools/registered?" + tc.query))
		f := byID(r.Doc, "flash")
		if got := text(f); got != tc.want {
			t.Errorf("%s: flash %q, want %q", tc.query, got, tc.want)
		}
		if hasClass(f, "error") == (tc.want == msgRegistered) {
			t.Errorf("%s: flash class %q", tc.query, attr(f, "class"))
		}
		if strings.Contains(tc.query, "lti_message") && !strings.Contains(text(byID(r.Doc, "flash-note")), "dropped") {
			t.Errorf("lti_message not shown: %s", r.Body)
		}
	}
}
