package lifecycle_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/provider"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// tool is a tool provider served over loopback HTTP, recording the
// launches it accepts.
type tool struct {
	P   *provider.Provider
	URL string

	mu       sync.Mutex
	launches []*launch.Launch
}

func (tl *tool) last(t *testing.T) *launch.Launch {
	t.Helper()
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if len(tl.launches) == 0 {
		t.Fatal("the tool accepted no launch")
	}
	return tl.launches[len(tl.launches)-1]
}

// bookDeclaration is an e-textbook's declaration: a book resource whose
// launch asks for the settings, result and roster URLs and the learner's
// name (enabled) and e-mail (not enabled, so never substituted).
func bookDeclaration(base string) provider.Declaration {
	param := func(name, variable string) lti2.Parameter {
		return lti2.Parameter{Name: lti2.NameType(name), Variable: lti2.VariableNameType(variable)}
	}
	return provider.Declaration{
		Profile: &lti2.ToolProfile{
			LTIVersion: "LTI-2p0",
			ProductInstance: &lti2.ProductInstance{
				GUID: "book-instance-1",
				ProductInfo: &lti2.ProductInfo{
					ProductName:    &lti2.LocalizedName{DefaultValue: "Open Biology"},
					ProductVersion: "3.1",
					ProductFamily: &lti2.ProductFamily{Code: "openbio", Vendor: &lti2.Vendor{
						Code: "books.example.com", VendorName: &lti2.LocalizedName{DefaultValue: "Example Books"}, Timestamp: "2026-01-01T00:00:00Z"}},
				},
			},
			BaseURLChoice: []lti2.BaseURLChoice{{DefaultBaseURL: base}},
			ResourceHandler: []lti2.ResourceHandler{{
				ResourceType: &lti2.ResourceType{Code: "chapter"},
				ResourceName: &lti2.LocalizedName{DefaultValue: "Chapter"},
				Message: []lti2.MessageHandler{{
					MessageType:       "basic-lti-launch-request",
					Path:              "/launch",
					EnabledCapability: []lti2.Capability{"Result.autocreate", "Person.name.full", "Result.url", "LtiLink.custom.url", "ToolProxyBinding.custom.url", "ToolProxy.custom.url", "ToolProxyBinding.memberships.url"},
					Parameter: []lti2.Parameter{
						param("result_url", "Result.url"),
						param("link_setting_url", "LtiLink.custom.url"),
						param("context_setting_url", "ToolProxyBinding.custom.url"),
						param("system_setting_url", "ToolProxy.custom.url"),
						param("context_memberships_url", "ToolProxyBinding.memberships.url"),
						param("learner_name", "Person.name.full"),
						param("learner_email", "Person.email.primary"),
					},
				}},
			}},
			Message: []lti2.MessageHandler{{MessageType: "ToolProxyReregistrationRequest", Path: "/register"}},
		},
		Services: []provider.ServiceNeed{
			{Name: provider.OfferLinkSettings, Required: true},
			{Name: provider.OfferBindingSettings, Required: true},
			{Name: provider.OfferToolProxySettings, Required: true},
			{Name: provider.OfferResult, Required: true},
			{Name: provider.OfferMembership, Required: true},
		},
		Required: []string{"basic-lti-launch-request", "Result.url"},
		Settings: map[string]string{"edition": "3"},
	}
}

func newTool(t *testing.T, st store.Store, split bool) *tool {
	t.Helper()
	tl := &tool{}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tl.URL = srv.URL
	p, err := provider.New(provider.Config{BaseURL: srv.URL, Store: st, Tool: bookDeclaration(srv.URL), SplitSecret: split})
	if err != nil {
		t.Fatal(err)
	}
	tl.P = p
	mux.Handle("/register", p.RegistrationHandler())
	mux.Handle(p.ConfirmPath(), p.ConfirmHandler())
	mux.Handle("/launch", p.LaunchHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, _ := launch.FromContext(r.Context())
		tl.mu.Lock()
		tl.launches = append(tl.launches, l)
		tl.mu.Unlock()
		w.Write([]byte("chapter opened"))
	})))
	return tl
}

// post submits a form as a browser would, without following redirects,
// and returns the status and the Location header.
func post(t *testing.T, f *launch.Form) (int, string, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(f.Action, f.Values())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	n, _ := resp.Body.Read(buf)
	b.Write(buf[:n])
	return resp.StatusCode, resp.Header.Get("Location"), b.String()
}

func TestLifecycle(t *testing.T) {
	for _, b := range backends(t) {
		for _, split := range []bool{false, true} {
			name := b.Name + "/shared-secret"
			if split {
				name = b.Name + "/split-secret"
			}
			t.Run(name, func(t *testing.T) { runLifecycle(t, b, split) })
		}
	}
}

func runLifecycle(t *testing.T, b storetest.Backend, split bool) {
	ctx := context.Background()
	sealer := storetest.TestSealer(t)
	lmsStore := openStore(t, b.NewDSN(t), sealer)
	toolStore := openStore(t, b.NewDSN(t), sealer)
	l := newLMS(t, lmsStore, nil)
	tl := newTool(t, toolStore, split)

	// Profile: unsigned, listing the services.
	prof, err := lti2rest.NewToolConsumerProfileServiceClient(l.URL, httpapi.ClientConfig{}).
		GetToolConsumerProfile(ctx, &lti2rest.GetToolConsumerProfileRequest{ProfileID: "profile-1", LTIVersion: "LTI-2p0"})
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	if len(prof.ServiceOffered) != 7 || !slices.Contains(prof.CapabilityOffered, "OAuth.splitSecret") {
		t.Fatalf("profile offers %d services and %v", len(prof.ServiceOffered), prof.CapabilityOffered)
	}

	// Registration: the administrator's browser posts the request to the
	// tool, which registers and sends the browser back.
	form, err := l.C.StartRegistration(ctx, registrationOf(tl.URL+"/register", "https://lms.example.edu/admin/return"))
	must(t, err)
	status, loc, body := post(t, form)
	if status != http.StatusSeeOther {
		t.Fatalf("registration: status %d, body %s", status, body)
	}
	back, _ := url.Parse(loc)
	guid := back.Query().Get("tool_proxy_guid")
	if back.Query().Get("status") != "success" || guid != form.Values().Get("reg_key") {
		t.Fatalf("registration returned to %s", loc)
	}
	rec, err := lmsStore.ToolProxy(ctx, guid)
	must(t, err)
	if rec.Status != store.StatusPending {
		t.Fatalf("a new tool proxy is %s, want pending until approved", rec.Status)
	}
	if split != (len(rec.Secret) == 256) {
		t.Fatalf("split=%v but the consumer holds a %d-character secret", split, len(rec.Secret))
	}
	sys, err := lmsStore.ToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guid})
	must(t, err)
	if !slices.Equal(sys, []store.Pair{{Name: "edition", Value: "3"}}) {
		t.Fatalf("system settings seeded from the proxy: %v", sys)
	}

	// A launch before approval is refused; after it, it reaches the tool.
	seedCourse(t, lmsStore, "bio-101", 25)
	must(t, lmsStore.PutLink(ctx, store.Link{ID: "ch-3", ContextID: "bio-101", ToolProxyGUID: guid, ResourceType: "chapter", Title: "Chapter 3", Gradable: true}))
	if _, err := l.C.Launch(ctx, launchOf("ch-3", learnerID(0))); err == nil {
		t.Fatal("a pending tool was launched")
	}
	must(t, l.C.Approve(ctx, guid))
	form, err = l.C.Launch(ctx, launchOf("ch-3", learnerID(0)))
	must(t, err)
	if status, _, body := post(t, form); status != 200 {
		t.Fatalf("launch: status %d: %s", status, body)
	}
	ln := tl.last(t)
	custom := func(name string) string { v, _ := ln.CustomValue(name); return v }
	if got := custom("learner_name"); got != "Learner "+learnerID(0) {
		t.Errorf("enabled variable Person.name.full sent as %q", got)
	}
	if got := rawCustom(ln, "learner_email"); got != "$Person.email.primary" {
		t.Errorf("Person.email.primary is not enabled, but the launch sent %q", got)
	}

	svc, err := tl.P.Services(ctx, guid)
	must(t, err)
	// Settings at the three scopes, then read with bubble.
	must(t, svc.PutSettingsAt(ctx, custom("link_setting_url"), map[string]string{"chapter": "3", "theme": "dark"}))
	must(t, svc.PutSettingsAt(ctx, custom("context_setting_url"), map[string]string{"adopted": "openbio", "theme": "light"}))
	must(t, svc.PutSettingsAt(ctx, custom("system_setting_url"), map[string]string{"edition": "4"}))
	distinct := getSettings(t, ctx, svc, custom("link_setting_url"), "distinct")
	want := map[string]string{"chapter": "3", "theme": "dark", "adopted": "openbio", "edition": "4"}
	if !mapsEqual(distinct, want) {
		t.Errorf("bubble=distinct: %v, want %v", distinct, want)
	}
	all := getGraph(t, ctx, svc, custom("link_setting_url"), "all")
	if len(all) != 3 || all[0]["theme"] != "dark" || all[1]["theme"] != "light" || all[2]["edition"] != "4" {
		t.Errorf("bubble=all, lowest scope first: %v", all)
	}

	// Result: put, get, clear.
	score := 0.83
	must(t, svc.PutResultAt(ctx, custom("result_url"), &lti2.Result{ResultScore: &score, Comment: "well done"}))
	res, err := svc.ResultAt(ctx, custom("result_url"))
	must(t, err)
	if res.ResultScore == nil || *res.ResultScore != score || res.Comment != "well done" {
		t.Fatalf("result read back: %+v", res)
	}
	must(t, svc.PutResultAt(ctx, custom("result_url"), &lti2.Result{}))
	res, err = svc.ResultAt(ctx, custom("result_url"))
	must(t, err)
	if res.ResultScore != nil {
		t.Fatalf("a result put without a score kept %v", *res.ResultScore)
	}

	// Membership, paged by 10: the 25 learners and the teacher, once each.
	members, err := svc.Members(ctx, custom("context_memberships_url")+"?limit=10")
	must(t, err)
	seen := map[string]int{}
	for _, m := range members {
		if m.Member != nil {
			seen[string(m.Member.UserID)]++
		}
	}
	if len(members) != 26 || len(seen) != 26 || seen["teacher"] != 1 {
		t.Fatalf("roster: %d memberships, %d distinct users", len(members), len(seen))
	}

	// Re-registration: the new proxy is held; the old secret works until
	// the administrator confirms, then only the new one does.
	oldSecret := rec.Secret
	form, err = l.C.StartReregistration(ctx, guid, "https://lms.example.edu/admin/return")
	must(t, err)
	status, loc, body = post(t, form)
	if status != http.StatusSeeOther || !strings.Contains(loc, "status=success") {
		t.Fatalf("re-registration: status %d, location %s, body %s", status, loc, body)
	}
	rec, err = lmsStore.ToolProxy(ctx, guid)
	must(t, err)
	if rec.Pending == nil || rec.Secret != oldSecret {
		t.Fatal("the re-registration was not held pending with the old secret in force")
	}
	form, err = l.C.Launch(ctx, launchOf("ch-3", learnerID(1)))
	must(t, err)
	if status, _, body := post(t, form); status != 200 {
		t.Fatalf("launch with the old secret while re-registration is pending: %d %s", status, body)
	}
	must(t, l.C.Confirm(ctx, guid, true))
	rec, err = lmsStore.ToolProxy(ctx, guid)
	must(t, err)
	if rec.Pending != nil || rec.Secret == oldSecret {
		t.Fatal("the confirmed re-registration did not switch the secret")
	}
	form, err = l.C.Launch(ctx, launchOf("ch-3", learnerID(2)))
	must(t, err)
	if status, _, body := post(t, form); status != 200 {
		t.Fatalf("launch with the new secret: %d %s", status, body)
	}
	if got := tl.last(t).User.ID; got != learnerID(2) {
		t.Fatalf("the tool's last launch is by %q", got)
	}
	svc, err = tl.P.Services(ctx, guid)
	must(t, err)
	if _, err := svc.SettingsAt(ctx, custom("link_setting_url")); err != nil {
		t.Fatalf("a service call with the new secret: %v", err)
	}
	if status, _ := signedDo(t, "GET", custom("link_setting_url"), "", mediaSimple, nil, guid, oldSecret); status != 401 {
		t.Fatalf("the old secret still works after confirmation: %d", status)
	}
}

// rawCustom is a custom parameter exactly as sent.
func rawCustom(l *launch.Launch, name string) string {
	for _, p := range l.Custom {
		if p.Key == name {
			return p.Value
		}
	}
	return "(absent)"
}

func getSettings(t *testing.T, ctx context.Context, svc *provider.Services, u, bubble string) map[string]string {
	t.Helper()
	doc, err := svc.Settings.GetLTILinkSettingsSimple(httpapi.WithURL(ctx, u), &lti2rest.GetLTILinkSettingsSimpleRequest{Bubble: bubble})
	must(t, err)
	return map[string]string(*doc)
}

func getGraph(t *testing.T, ctx context.Context, svc *provider.Services, u, bubble string) []map[string]string {
	t.Helper()
	doc, err := svc.Settings.GetLTILinkSettings(httpapi.WithURL(ctx, u), &lti2rest.GetLTILinkSettingsRequest{Bubble: bubble})
	must(t, err)
	var out []map[string]string
	for _, c := range doc.Graph {
		var pm *lti2.PropertyMap
		switch x := c.(type) {
		case *lti2.LTILink:
			pm = x.Custom
		case *lti2.ToolProxyBinding:
			pm = x.Custom
		case *lti2.ToolProxy:
			pm = x.Custom
		}
		m := map[string]string{}
		if pm != nil {
			m = pm.Values
		}
		out = append(out, m)
	}
	return out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
