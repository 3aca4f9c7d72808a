package consumer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/outcomes"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// The tools of the service fixture.
//
//   - A: active, every standard service and the partner service enabled;
//     names, sourcedId and result sourcedIds visible (family name through a
//     message handler), e-mail not.
//   - B: active, every standard service; deployed in another course.
//   - C: active; no link settings, tool proxy settings with GET only, the
//     membership service, only the e-mail address visible.
//   - D: pending.
//   - L1: an LTI 1 tool, known by key and secret.
const (
	guidA, secretA = "tp-a", "secret-a"
	guidB, secretB = "tp-b", "secret-b"
	guidC, secretC = "tp-c", "secret-c"
	guidD, secretD = "tp-d", "secret-d"
	keyL1, secretL = "lti1-key", "secret-l1"

	course1 = "course-1" // A, C (through a link) and L1 are deployed here
	course2 = "course-2" // B only

	rosterSize = 25
)

// Settings seeded for A and for B, by scope. B's values are marked so that
// a leak into an answer to A is visible.
var (
	seedLinkA    = map[string]string{"a": "link", "l": "only-link"}
	seedBindingA = map[string]string{"a": "binding", "b": "binding"}
	seedProxyA   = map[string]string{"a": "proxy", "b": "proxy", "t": "proxy"}
	seedB        = map[string]string{"bsecret": "B-SECRET-VALUE"}
)

// fixture is a consumer over a seeded store, served over HTTP.
type fixture struct {
	t   *testing.T
	c   *Consumer
	st  *svcStore
	srv *httptest.Server
}

// service returns the contract entry enabling actions on an offer.
func (f *fixture) service(offer string, actions ...string) lti2.ServiceProfile {
	sp := &lti2.RESTServiceProfile{Service: f.c.serviceID(offer)}
	for _, a := range actions {
		sp.Action = append(sp.Action, lti2.HTTPMethod(a))
	}
	return sp
}

// toolProxy stores an LTI 2 tool proxy with the given contract.
func (f *fixture) toolProxy(guid, secret string, status store.Status, vendor, product string, services []lti2.ServiceProfile, contractCaps, handlerCaps []string) {
	f.t.Helper()
	caps := func(names []string) []lti2.Capability {
		var out []lti2.Capability
		for _, n := range names {
			out = append(out, lti2.Capability(n))
		}
		return out
	}
	tp := &lti2.ToolProxy{
		LTIVersion:          "LTI-2p0",
		ToolProxyGUID:       lti2.GUIDType(guid),
		ToolConsumerProfile: f.c.ProfileURL(),
		ToolProfile: &lti2.ToolProfile{
			LTIVersion: "LTI-2p0",
			ProductInstance: &lti2.ProductInstance{
				GUID: lti2.GUIDType("instance-" + guid),
				ProductInfo: &lti2.ProductInfo{
					ProductName:    &lti2.LocalizedName{DefaultValue: lti2.LongNameType("Tool " + guid)},
					ProductVersion: "1.0",
					ProductFamily:  &lti2.ProductFamily{Code: lti2.TokenType(product), Vendor: &lti2.Vendor{Code: lti2.TokenType(vendor)}},
				},
			},
			ResourceHandler: []lti2.ResourceHandler{{
				ResourceType: &lti2.ResourceType{Code: "quiz"},
				ResourceName: &lti2.LocalizedName{DefaultValue: "Quiz"},
				Message: []lti2.MessageHandler{{
					MessageType:       "basic-lti-launch-request",
					Path:              "/launch",
					EnabledCapability: caps(handlerCaps),
				}},
			}},
		},
		SecurityContract:  &lti2.SecurityContract{ToolService: services},
		EnabledCapability: caps(contractCaps),
	}
	doc, err := tp.Encode()
	if err != nil {
		f.t.Fatalf("encoding tool proxy %s: %v", guid, err)
	}
	rec := store.ToolProxy{GUID: guid, Version: "LTI-2p0", Secret: secret, Status: status, Document: doc, Name: "Tool " + guid}
	if err := f.st.CreateToolProxy(context.Background(), rec, ""); err != nil {
		f.t.Fatal(err)
	}
}

// newFixture builds the consumer and seeds the store.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st := newSvcStore()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	partner := PartnerService{
		Name:    "OrgHierarchy.item",
		Path:    "/partner/org/{org_id}",
		Formats: []string{"application/json"},
		Actions: []string{"GET", "POST"},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			caller, ok := CallerFrom(r.Context())
			body, _ := io.ReadAll(r.Body)
			if !ok {
				http.Error(w, "no caller", http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "%s %s %s %s", caller.ToolProxy.GUID, r.Method, r.URL.Path, body)
		}),
	}
	c, err := New(Config{
		BaseURL:      srv.URL,
		Store:        st,
		Product:      &lti2.ProductInstance{GUID: "consumer-instance", ProductInfo: &lti2.ProductInfo{ProductName: &lti2.LocalizedName{DefaultValue: "LMS"}, ProductVersion: "1", ProductFamily: &lti2.ProductFamily{Code: "lms", Vendor: &lti2.Vendor{Code: "example.edu"}}}},
		Partners:     []PartnerService{partner},
		MaxBodyBytes: 256 << 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	h = c.Handler()
	f := &fixture{t: t, c: c, st: st, srv: srv}

	all := []lti2.ServiceProfile{
		f.service(offerLinkSettings, "GET", "PUT"),
		f.service(offerBindingSettings, "GET", "PUT"),
		f.service(offerToolProxySettings, "GET", "PUT"),
		f.service(offerResult, "GET", "PUT"),
		f.service(offerMembership, "GET"),
	}
	f.toolProxy(guidA, secretA, store.StatusActive, "vendor.a", "prod-a",
		append(slices.Clone(all), f.service("OrgHierarchy.item", "GET", "POST")),
		[]string{"Person.name.full", "Person.name.given", "Person.sourcedId"},
		[]string{"Person.name.family", "Result.sourcedId"})
	f.toolProxy(guidB, secretB, store.StatusActive, "vendor.b", "prod-b", all, nil, nil)
	f.toolProxy(guidC, secretC, store.StatusActive, "vendor.c", "prod-c",
		[]lti2.ServiceProfile{f.service(offerToolProxySettings, "GET"), f.service(offerMembership, "GET"), f.service(offerBindingSettings, "GET", "PUT")},
		[]string{"Person.email.primary"}, nil)
	f.toolProxy(guidD, secretD, store.StatusPending, "vendor.d", "prod-d", all, nil, nil)
	if err := st.CreateToolProxy(ctx, store.ToolProxy{GUID: keyL1, Version: "LTI-1p0", Secret: secretL, Status: store.StatusActive}, ""); err != nil {
		t.Fatal(err)
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.PutContext(ctx, store.Context{ID: course1, Type: "CourseSection", Label: "C1", Title: "Course One"}))
	must(st.PutContext(ctx, store.Context{ID: course2, Type: "Group", Label: "C2", Title: "Course Two"}))
	for _, l := range []store.Link{
		{ID: "link-a1", ContextID: course1, ToolProxyGUID: guidA, ResourceType: "quiz", Gradable: true},
		{ID: "link-a2", ContextID: course1, ToolProxyGUID: guidA, ResourceType: "quiz"},
		{ID: "link-b1", ContextID: course2, ToolProxyGUID: guidB, ResourceType: "quiz", Gradable: true},
		{ID: "link-c1", ContextID: course1, ToolProxyGUID: guidC, ResourceType: "quiz"},
		{ID: "link-d1", ContextID: course1, ToolProxyGUID: guidD, ResourceType: "quiz", Gradable: true},
		{ID: "link-l1", ContextID: course1, ToolProxyGUID: keyL1, Gradable: true},
	} {
		must(st.PutLink(ctx, l))
	}
	for i := 1; i <= rosterSize; i++ {
		u := rosterUser(i)
		must(st.PutUser(ctx, u))
		must(st.PutMembership(ctx, store.Membership{ContextID: course1, UserID: u.ID, Roles: []string{rosterRole(i)}, Active: i != rosterSize}))
	}
	must(st.PutUser(ctx, store.User{ID: "outsider", Name: "Out Sider"}))
	must(st.PutMembership(ctx, store.Membership{ContextID: course2, UserID: "outsider", Roles: []string{membershipRoleNS + "Learner"}, Active: true}))

	put := func(sc store.Scope, m map[string]string) {
		var pairs []store.Pair
		for _, k := range slices.Sorted(maps.Keys(m)) {
			pairs = append(pairs, store.Pair{Name: k, Value: m[k]})
		}
		must(st.PutToolSettings(ctx, sc, pairs))
	}
	put(store.Scope{Kind: store.ScopeLink, ToolProxyGUID: guidA, LinkID: "link-a1"}, seedLinkA)
	put(store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: guidA, ContextID: course1}, seedBindingA)
	put(store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guidA}, seedProxyA)
	put(store.Scope{Kind: store.ScopeLink, ToolProxyGUID: guidB, LinkID: "link-b1"}, seedB)
	put(store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: guidB, ContextID: course2}, seedB)
	put(store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guidB}, seedB)
	return f
}

func rosterUser(i int) store.User {
	id := fmt.Sprintf("u%02d", i)
	return store.User{ID: id, SourcedID: "sis-" + id, Name: "Given" + id + " Family" + id, Given: "Given" + id, Family: "Family" + id, Email: id + "@example.edu"}
}

// rosterRole makes odd users learners and even ones instructors.
func rosterRole(i int) string {
	if i%2 == 1 {
		return membershipRoleNS + "Learner"
	}
	return membershipRoleNS + "Instructor"
}

// request is one signed (or unsigned) call of the fixture's consumer.
type request struct {
	key, secret string // "" sends the request unsigned
	method      string
	path        string // below BaseURL, or an absolute URL
	contentType string
	accept      string
	body        string
}

// do sends the request and returns the status and the body.
func (f *fixture) do(t testing.TB, r request) (int, string, http.Header) {
	t.Helper()
	u := r.path
	if !strings.HasPrefix(u, "http") {
		u = f.srv.URL + u
	}
	req, err := http.NewRequest(r.method, u, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if r.key != "" {
		if err := oauth1.SignRequest(req, []byte(r.body), oauth1.Credentials{Key: r.key, Secret: r.secret}, oauth1.SignOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data), resp.Header
}

// settingsScope is one endpoint of the settings fixture of a tool.
type settingsScope struct {
	name  string
	path  string
	chain []string // @type of the containers a bubble lists, lowest first
	seeds []map[string]string
	urls  []string
	scope store.Scope
}

func (f *fixture) scopesOfA() []settingsScope {
	link := f.c.linkSettingsURL("link-a1")
	binding := f.c.bindingSettingsURL("CourseSection", course1, "vendor.a", "prod-a")
	proxy := f.c.toolProxySettingsURL(guidA)
	base := f.srv.URL
	return []settingsScope{
		{"link", strings.TrimPrefix(link, base), []string{"LtiLink", "ToolProxyBinding", "ToolProxy"},
			[]map[string]string{seedLinkA, seedBindingA, seedProxyA}, []string{link, binding, proxy},
			store.Scope{Kind: store.ScopeLink, ToolProxyGUID: guidA, LinkID: "link-a1"}},
		{"binding", strings.TrimPrefix(binding, base), []string{"ToolProxyBinding", "ToolProxy"},
			[]map[string]string{seedBindingA, seedProxyA}, []string{binding, proxy},
			store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: guidA, ContextID: course1}},
		{"toolproxy", strings.TrimPrefix(proxy, base), []string{"ToolProxy"},
			[]map[string]string{seedProxyA}, []string{proxy},
			store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guidA}},
	}
}

// expectScopes computes, from the seeds, the containers a bubble answers
// with: the first alone without bubble, every one with it, and with
// distinct each name only in the lowest scope setting it.
func expectScopes(seeds []map[string]string, bubble string) []map[string]string {
	if bubble == "" {
		return []map[string]string{seeds[0]}
	}
	var out []map[string]string
	seen := map[string]bool{}
	for _, s := range seeds {
		m := map[string]string{}
		for k, v := range s {
			if bubble == "distinct" && seen[k] {
				continue
			}
			m[k] = v
		}
		for k := range s {
			seen[k] = true
		}
		out = append(out, m)
	}
	return out
}

// containerOf returns the @type, @id and settings of a graph member.
func containerOf(t *testing.T, c lti2.AnyToolSettingsContainer) (typ, id string, custom *lti2.PropertyMap) {
	t.Helper()
	switch v := c.(type) {
	case *lti2.LTILink:
		return "LtiLink", v.ID, v.Custom
	case *lti2.ToolProxyBinding:
		return "ToolProxyBinding", v.ID, v.Custom
	case *lti2.ToolProxy:
		return "ToolProxy", v.ID, v.Custom
	}
	t.Fatalf("unexpected container %T", c)
	return "", "", nil
}

func TestSettingsGraphGet(t *testing.T) {
	f := newFixture(t)
	for _, sc := range f.scopesOfA() {
		for _, bubble := range []string{"", "all", "distinct"} {
			t.Run(sc.name+"/"+bubble, func(t *testing.T) {
				path := sc.path
				if bubble != "" {
					path += "?bubble=" + bubble
				}
				status, body, hdr := f.do(t, request{key: guidA, secret: secretA, method: "GET", path: path, accept: mediaToolSettings})
				if status != http.StatusOK {
					t.Fatalf("status %d: %s", status, body)
				}
				if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, mediaToolSettings) {
					t.Errorf("Content-Type %q", ct)
				}
				doc, err := lti2.DecodeToolSettingsDocument([]byte(body))
				if err != nil {
					t.Fatalf("decoding %s: %v", body, err)
				}
				want := expectScopes(sc.seeds, bubble)
				if len(doc.Graph) != len(want) {
					t.Fatalf("%d containers, want %d: %s", len(doc.Graph), len(want), body)
				}
				for i, c := range doc.Graph {
					typ, id, custom := containerOf(t, c)
					if typ != sc.chain[i] || id != sc.urls[i] {
						t.Errorf("container %d is %s %s, want %s %s", i, typ, id, sc.chain[i], sc.urls[i])
					}
					if custom == nil {
						t.Fatalf("container %d has no custom: %s", i, body)
					}
					if custom.ID != sc.urls[i] {
						t.Errorf("container %d custom @id %q, want %q", i, custom.ID, sc.urls[i])
					}
					got := custom.Values
					if got == nil {
						got = map[string]string{}
					}
					if !maps.Equal(got, want[i]) {
						t.Errorf("container %d settings %v, want %v", i, got, want[i])
					}
				}
			})
		}
	}
}

func TestSettingsSimpleGet(t *testing.T) {
	f := newFixture(t)
	for _, sc := range f.scopesOfA() {
		for _, bubble := range []string{"", "distinct"} {
			t.Run(sc.name+"/"+bubble, func(t *testing.T) {
				path := sc.path
				if bubble != "" {
					path += "?bubble=" + bubble
				}
				status, body, _ := f.do(t, request{key: guidA, secret: secretA, method: "GET", path: path, accept: mediaSettingsSimple})
				if status != http.StatusOK {
					t.Fatalf("status %d: %s", status, body)
				}
				var got map[string]string
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatal(err)
				}
				want := map[string]string{}
				for _, m := range expectScopes(sc.seeds, bubble) {
					maps.Copy(want, m) // distinct scopes are disjoint
				}
				if !maps.Equal(got, want) {
					t.Errorf("settings %v, want %v", got, want)
				}
			})
		}
		t.Run(sc.name+"/all", func(t *testing.T) {
			status, body, _ := f.do(t, request{key: guidA, secret: secretA, method: "GET", path: sc.path + "?bubble=all", accept: mediaSettingsSimple})
			if status != http.StatusNotAcceptable {
				t.Errorf("simple with bubble=all: status %d, want 406: %s", status, body)
			}
		})
		t.Run(sc.name+"/bad-bubble", func(t *testing.T) {
			// The generated handler refuses values outside the model's
			// enumeration with the status the model gives them (406).
			for _, accept := range []string{mediaToolSettings, mediaSettingsSimple} {
				status, body, _ := f.do(t, request{key: guidA, secret: secretA, method: "GET", path: sc.path + "?bubble=some", accept: accept})
				if status != http.StatusNotAcceptable && status != http.StatusBadRequest {
					t.Errorf("%s with bubble=some: status %d, want a 4xx refusal: %s", accept, status, body)
				}
			}
		})
	}
}

// graphBody returns a graph-form PUT body of one container per type.
func graphBody(types []string, settings map[string]string) string {
	var members []string
	for _, typ := range types {
		custom, _ := json.Marshal(settings)
		members = append(members, fmt.Sprintf(`{"@type":%q,"@id":"x","custom":%s}`, typ, custom))
	}
	return `{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolSettings","@graph":[` + strings.Join(members, ",") + `]}`
}

func TestSettingsPut(t *testing.T) {
	for _, form := range []string{"graph", "simple"} {
		f := newFixture(t)
		for _, sc := range f.scopesOfA() {
			t.Run(form+"/"+sc.name, func(t *testing.T) {
				next := map[string]string{"fresh": form + "-" + sc.name, "pi": "3.14"}
				req := request{key: guidA, secret: secretA, method: "PUT", path: sc.path}
				if form == "graph" {
					req.contentType, req.body = mediaToolSettings, graphBody(sc.chain[:1], next)
				} else {
					body, _ := json.Marshal(next)
					req.contentType, req.body = mediaSettingsSimple, string(body)
				}
				if status, body, _ := f.do(t, req); status != http.StatusOK {
					t.Fatalf("PUT: status %d: %s", status, body)
				}
				pairs, _ := f.st.ToolSettings(context.Background(), sc.scope)
				got := map[string]string{}
				for _, p := range pairs {
					got[p.Name] = p.Value
				}
				if !maps.Equal(got, next) {
					t.Errorf("stored %v, want %v (the whole container replaced)", got, next)
				}
				status, body, _ := f.do(t, request{key: guidA, secret: secretA, method: "GET", path: sc.path, accept: mediaSettingsSimple})
				var read map[string]string
				if status != http.StatusOK || json.Unmarshal([]byte(body), &read) != nil || !maps.Equal(read, next) {
					t.Errorf("GET after PUT: %d %s, want %v", status, body, next)
				}
			})
		}
	}
}

func TestSettingsPutRefused(t *testing.T) {
	f := newFixture(t)
	long := strings.Repeat("n", maxSettingName+1)
	many := map[string]string{}
	for i := range maxSettings + 1 {
		many[fmt.Sprintf("k%04d", i)] = "v"
	}
	manyJSON, _ := json.Marshal(many)
	for _, sc := range f.scopesOfA() {
		other := "ToolProxy"
		if sc.chain[0] == "ToolProxy" {
			other = "LtiLink"
		}
		cases := []struct {
			name, contentType, body string
		}{
			{"two containers", mediaToolSettings, graphBody([]string{sc.chain[0], sc.chain[0]}, map[string]string{"x": "1"})},
			{"no container", mediaToolSettings, graphBody(nil, nil)},
			{"other scope", mediaToolSettings, graphBody([]string{other}, map[string]string{"x": "1"})},
			{"non-string value", mediaToolSettings, `{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolSettings","@graph":[{"@type":"` + sc.chain[0] + `","custom":{"x":1}}]}`},
			{"simple non-string", mediaSettingsSimple, `{"x":true}`},
			{"long name", mediaSettingsSimple, `{"` + long + `":"v"}`},
			{"long value", mediaSettingsSimple, `{"v":"` + strings.Repeat("x", maxSettingValue+1) + `"}`},
			{"keyword name", mediaSettingsSimple, `{"@id":"v"}`},
			{"empty name", mediaSettingsSimple, `{"":"v"}`},
			{"too many", mediaSettingsSimple, string(manyJSON)},
		}
		for _, tc := range cases {
			t.Run(sc.name+"/"+tc.name, func(t *testing.T) {
				before := f.st.writes()
				status, body, _ := f.do(t, request{key: guidA, secret: secretA, method: "PUT", path: sc.path, contentType: tc.contentType, body: tc.body})
				if status != http.StatusBadRequest {
					t.Errorf("status %d, want 400: %s", status, body)
				}
				if f.st.writes() != before {
					t.Error("a refused PUT wrote settings")
				}
			})
		}
	}
}

func TestSettingsAuthorization(t *testing.T) {
	f := newFixture(t)
	base := f.srv.URL
	rel := func(u string) string { return strings.TrimPrefix(u, base) }
	bLink := rel(f.c.linkSettingsURL("link-b1"))
	bBinding := rel(f.c.bindingSettingsURL("Group", course2, "vendor.b", "prod-b"))
	bProxy := rel(f.c.toolProxySettingsURL(guidB))
	cases := []struct {
		name        string
		key, secret string
		path        string
		method      string
		want        int
	}{
		{"A reads B's link", guidA, secretA, bLink, "GET", 403},
		{"A writes B's link", guidA, secretA, bLink, "PUT", 403},
		{"A reads B's binding", guidA, secretA, bBinding, "GET", 403},
		{"A writes B's binding", guidA, secretA, bBinding, "PUT", 403},
		{"A reads its codes in B's course", guidA, secretA, rel(f.c.bindingSettingsURL("Group", course2, "vendor.a", "prod-a")), "GET", 403},
		{"A reads its binding under another context type", guidA, secretA, rel(f.c.bindingSettingsURL("Group", course1, "vendor.a", "prod-a")), "GET", 403},
		{"A reads B's tool proxy", guidA, secretA, bProxy, "GET", 403},
		{"A writes B's tool proxy", guidA, secretA, bProxy, "PUT", 403},
		{"A reads an unknown link", guidA, secretA, rel(f.c.linkSettingsURL("no-such-link")), "GET", 403},
		{"C lacks link settings", guidC, secretC, rel(f.c.linkSettingsURL("link-c1")), "GET", 403},
		{"C may only GET tool proxy settings", guidC, secretC, rel(f.c.toolProxySettingsURL(guidC)), "PUT", 403},
		{"C reads its tool proxy settings", guidC, secretC, rel(f.c.toolProxySettingsURL(guidC)), "GET", 200},
		{"pending D", guidD, secretD, rel(f.c.toolProxySettingsURL(guidD)), "GET", 403},
		{"LTI 1 tool", keyL1, secretL, rel(f.c.toolProxySettingsURL(keyL1)), "GET", 403},
		{"wrong secret", guidA, "not-the-secret", rel(f.c.toolProxySettingsURL(guidA)), "GET", 401},
		{"unsigned", "", "", rel(f.c.toolProxySettingsURL(guidA)), "GET", 401},
	}
	var forbidden []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.st.writes()
			req := request{key: tc.key, secret: tc.secret, method: tc.method, path: tc.path, accept: mediaToolSettings}
			if tc.method == "PUT" {
				req.contentType, req.body = mediaSettingsSimple, `{"bsecret":"overwritten"}`
			}
			status, body, _ := f.do(t, req)
			if status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, body)
			}
			if strings.Contains(body, "B-SECRET") {
				t.Errorf("the answer leaks B's settings: %s", body)
			}
			if tc.method == "PUT" && f.st.writes() != before {
				t.Error("a refused PUT wrote settings")
			}
			if status == http.StatusForbidden && strings.HasPrefix(tc.name, "A ") {
				var p httpapi.Problem
				if err := json.Unmarshal([]byte(body), &p); err != nil {
					t.Fatalf("problem body: %v: %s", err, body)
				}
				forbidden = append(forbidden, p.Detail)
			}
		})
	}
	// Another tool's resource and a missing one are refused alike.
	if uniq := slices.Compact(slices.Sorted(slices.Values(forbidden))); len(uniq) != 1 {
		t.Errorf("refusals differ, and so tell existing resources from missing ones: %q", forbidden)
	}
	pairs, _ := f.st.ToolSettings(context.Background(), store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guidB})
	if len(pairs) != 1 || pairs[0].Value != seedB["bsecret"] {
		t.Errorf("B's settings changed: %v", pairs)
	}
}

// sid returns the result sourcedId of a user in a link.
func sid(link, user string) string { return ResultSourcedID(link, user) }

func (f *fixture) getResult(t testing.TB, key, secret, sourcedID string) (int, *lti2.Result, string) {
	t.Helper()
	status, body, _ := f.do(t, request{key: key, secret: secret, method: "GET", path: "/Result/" + sourcedID, accept: mediaResult})
	if status != http.StatusOK {
		return status, nil, body
	}
	r, err := lti2.DecodeResult([]byte(body))
	if err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return status, r, body
}

func (f *fixture) putResult(t testing.TB, key, secret, sourcedID, body string) (int, string) {
	t.Helper()
	status, resp, _ := f.do(t, request{key: key, secret: secret, method: "PUT", path: "/Result/" + sourcedID, contentType: mediaResult, body: body})
	return status, resp
}

func TestResultService(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	own := sid("link-a1", "u03")

	status, r, body := f.getResult(t, guidA, secretA, own)
	if status != http.StatusOK || r.ResultScore != nil {
		t.Fatalf("GET before any score: %d %s", status, body)
	}
	if !strings.Contains(body, `"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result"`) || !strings.Contains(body, `"@type":"Result"`) {
		t.Errorf("GET answer lacks the standard @context or @type: %s", body)
	}

	for _, tc := range []struct {
		name, body string
		score      float64
	}{
		{"number", `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.83,"comment":"good"}`, 0.83},
		{"numeric string", `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":"0.5","comment":"good"}`, 0.5},
		{"value object", `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":{"@type":"decimal","@value":0.25},"comment":"good"}`, 0.25},
		{"one", `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":1,"comment":"good"}`, 1},
	} {
		t.Run("put "+tc.name, func(t *testing.T) {
			if status, body := f.putResult(t, guidA, secretA, own, tc.body); status != http.StatusOK {
				t.Fatalf("PUT: %d %s", status, body)
			}
			status, r, body := f.getResult(t, guidA, secretA, own)
			if status != http.StatusOK || r.ResultScore == nil || *r.ResultScore != tc.score || r.Comment != "good" {
				t.Errorf("GET after PUT: %d %s, want score %v", status, body, tc.score)
			}
			rec, err := f.st.Result(ctx, own)
			if err != nil || rec.Score == nil || *rec.Score != tc.score || rec.LinkID != "link-a1" || rec.UserID != "u03" {
				t.Errorf("stored %+v (%v)", rec, err)
			}
		})
	}

	t.Run("clear", func(t *testing.T) {
		if status, body := f.putResult(t, guidA, secretA, own, `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result"}`); status != http.StatusOK {
			t.Fatalf("PUT: %d %s", status, body)
		}
		status, r, body := f.getResult(t, guidA, secretA, own)
		if status != http.StatusOK || r.ResultScore != nil || strings.Contains(body, "resultScore") {
			t.Errorf("GET after clearing: %d %s", status, body)
		}
		if rec, err := f.st.Result(ctx, own); err == nil && rec.Score != nil {
			t.Errorf("the score is still stored: %v", *rec.Score)
		}
	})

	refusals := []struct {
		name, key, secret, sourcedID, body string
		want                               int
	}{
		{"score above 1", guidA, secretA, own, `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":1.5}`, 400},
		{"negative score", guidA, secretA, own, `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":-0.1}`, 400},
		{"long comment", guidA, secretA, own, `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1,"comment":"` + strings.Repeat("c", maxComment+1) + `"}`, 400},
		{"another tool's result", guidB, secretB, own, `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
		{"result in another tool's link", guidA, secretA, sid("link-b1", "outsider"), `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
		{"link not gradable", guidA, secretA, sid("link-a2", "u03"), `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
		{"user not enrolled", guidA, secretA, sid("link-a1", "outsider"), `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
		{"unknown link", guidA, secretA, sid("no-link", "u03"), `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
		{"malformed sourcedId", guidA, secretA, "not-a-sourced-id", `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
		{"pending tool", guidD, secretD, sid("link-d1", "u03"), `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
		{"service not enabled", guidC, secretC, sid("link-c1", "u03"), `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.1}`, 403},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			before := f.st.writes()
			status, body := f.putResult(t, tc.key, tc.secret, tc.sourcedID, tc.body)
			if status != tc.want {
				t.Errorf("PUT: status %d, want %d: %s", status, tc.want, body)
			}
			if tc.want == 400 && !strings.Contains(body, `"pointer"`) {
				t.Errorf("the 400 names no field: %s", body)
			}
			if f.st.writes() != before {
				t.Error("a refused PUT wrote a result")
			}
			if tc.want == 403 {
				if status, _, body := f.getResult(t, tc.key, tc.secret, tc.sourcedID); status != http.StatusForbidden {
					t.Errorf("GET: status %d, want 403: %s", status, body)
				}
			}
		})
	}
	if status, _, body := f.getResult(t, guidA, secretA, own); status != http.StatusOK || strings.Contains(body, "resultScore") {
		t.Errorf("a refused PUT changed the result: %s", body)
	}
}

// rosterPage is the part of a membership page the tests look at.
type rosterPage struct {
	page     *lti2.Page
	location string
}

func (f *fixture) roster(t testing.TB, key, secret, path string) (int, rosterPage, string) {
	t.Helper()
	status, body, hdr := f.do(t, request{key: key, secret: secret, method: "GET", path: path, accept: mediaMembership})
	if status != http.StatusOK {
		return status, rosterPage{}, body
	}
	p, err := lti2.DecodePage([]byte(body))
	if err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	if p.PageOf == nil || p.PageOf.MembershipSubject == nil {
		t.Fatalf("page without pageOf.membershipSubject: %s", body)
	}
	return status, rosterPage{page: p, location: hdr.Get("Content-Location")}, body
}

// walk follows nextPage from path and returns the members of every page,
// by user ID, and the page sizes.
func (f *fixture) walk(t testing.TB, key, secret, path string) (map[string]lti2.Membership, []int) {
	t.Helper()
	got := map[string]lti2.Membership{}
	var sizes []int
	for i := 0; path != ""; i++ {
		if i > rosterSize+1 {
			t.Fatalf("paging does not end (is the after cursor read?); last page %s", path)
		}
		status, p, body := f.roster(t, key, secret, path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		want := path
		if !strings.HasPrefix(want, "http") {
			want = f.srv.URL + want
		}
		if p.page.ID != want || p.location != want {
			t.Errorf("page @id %q and Content-Location %q, want %q", p.page.ID, p.location, want)
		}
		if p.page.PageOf.ID != f.c.membershipsURL(course1) || p.page.PageOf.MembershipSubject.ContextID != course1 {
			t.Errorf("pageOf %q of %q", p.page.PageOf.ID, p.page.PageOf.MembershipSubject.ContextID)
		}
		ms := p.page.PageOf.MembershipSubject.Membership
		sizes = append(sizes, len(ms))
		for _, m := range ms {
			if _, dup := got[m.Member.UserID]; dup {
				t.Fatalf("user %s listed twice (is the after cursor read?)", m.Member.UserID)
			}
			got[m.Member.UserID] = m
		}
		path = p.page.NextPage
	}
	return got, sizes
}

func TestMembershipPaging(t *testing.T) {
	f := newFixture(t)
	rel := strings.TrimPrefix(f.c.membershipsURL(course1), f.srv.URL)
	got, sizes := f.walk(t, guidA, secretA, rel+"?limit=10")
	if !slices.Equal(sizes, []int{10, 10, 5}) {
		t.Errorf("page sizes %v, want [10 10 5]", sizes)
	}
	want := map[string]bool{}
	for i := 1; i <= rosterSize; i++ {
		want[rosterUser(i).ID] = true
	}
	seen := map[string]bool{}
	for id := range got {
		seen[id] = true
	}
	if !maps.Equal(seen, want) {
		t.Errorf("members %v, want exactly the %d seeded users", slices.Sorted(maps.Keys(got)), rosterSize)
	}
	for i := 1; i <= rosterSize; i++ {
		m := got[rosterUser(i).ID]
		wantStatus := lti2.LISStatusActive
		if i == rosterSize {
			wantStatus = lti2.LISStatusInactive
		}
		if m.Status != wantStatus || len(m.Role) != 1 || string(m.Role[0]) != rosterRole(i) {
			t.Errorf("user %d: status %q roles %v", i, m.Status, m.Role)
		}
	}

	// Without limit, the default page holds the whole roster.
	_, sizes = f.walk(t, guidA, secretA, rel)
	if !slices.Equal(sizes, []int{rosterSize}) {
		t.Errorf("default page sizes %v", sizes)
	}
}

func TestMembershipRoleFilter(t *testing.T) {
	f := newFixture(t)
	rel := strings.TrimPrefix(f.c.membershipsURL(course1), f.srv.URL)
	for _, tc := range []struct {
		role string
		odd  bool
	}{
		{"Learner", true},
		{url.QueryEscape(membershipRoleNS + "Learner"), true},
		{"Instructor", false},
		{url.QueryEscape(membershipRoleNS + "Instructor"), false},
	} {
		t.Run(tc.role, func(t *testing.T) {
			got, _ := f.walk(t, guidA, secretA, rel+"?limit=4&role="+tc.role)
			want := map[string]bool{}
			for i := 1; i <= rosterSize; i++ {
				if (i%2 == 1) == tc.odd {
					want[rosterUser(i).ID] = true
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d members, want %d", len(got), len(want))
			}
			for id := range got {
				if !want[id] {
					t.Errorf("user %s does not hold the role", id)
				}
			}
		})
	}
}

func TestMembershipFields(t *testing.T) {
	f := newFixture(t)
	rel := strings.TrimPrefix(f.c.membershipsURL(course1), f.srv.URL)
	u := rosterUser(3)
	cases := []struct {
		name, key, secret string
		want              lti2.LISPerson
	}{
		// Contract-level names and sourcedId, family name from a message
		// handler, no e-mail.
		{"A", guidA, secretA, lti2.LISPerson{UserID: u.ID, Name: u.Name, GivenName: u.Given, FamilyName: u.Family, SourcedID: u.SourcedID}},
		// E-mail only.
		{"C", guidC, secretC, lti2.LISPerson{UserID: u.ID, Email: u.Email}},
		// An LTI 1 tool sees the names and e-mail.
		{"LTI 1", keyL1, secretL, lti2.LISPerson{UserID: u.ID, Name: u.Name, GivenName: u.Given, FamilyName: u.Family, Email: u.Email}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, p, body := f.roster(t, tc.key, tc.secret, rel)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			var got *lti2.LISPerson
			for _, m := range p.page.PageOf.MembershipSubject.Membership {
				if m.Member.UserID == u.ID {
					got = m.Member
				}
			}
			if got == nil {
				t.Fatalf("user %s missing: %s", u.ID, body)
			}
			g := *got
			g.Type, g.ID, g.Extensions = nil, "", nil
			if g.UserID != tc.want.UserID || g.Name != tc.want.Name || g.GivenName != tc.want.GivenName ||
				g.FamilyName != tc.want.FamilyName || g.Email != tc.want.Email || g.SourcedID != tc.want.SourcedID || g.ResultSourcedID != "" {
				t.Errorf("member %+v, want %+v", g, tc.want)
			}
			if tc.want.Email == "" && strings.Contains(body, "@example.edu") {
				t.Errorf("e-mail addresses leak: %s", body)
			}
		})
	}

	t.Run("rlid", func(t *testing.T) {
		status, p, body := f.roster(t, guidA, secretA, rel+"?rlid=link-a1")
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, body)
		}
		for _, m := range p.page.PageOf.MembershipSubject.Membership {
			want := sid("link-a1", m.Member.UserID)
			if m.Member.ResultSourcedID != want || len(m.Message) != 1 || m.Message[0].LISResultSourcedid != want {
				t.Errorf("member %s: resultSourcedId %q, messages %+v", m.Member.UserID, m.Member.ResultSourcedID, m.Message)
			}
		}
	})
}

func TestMembershipAuthorization(t *testing.T) {
	f := newFixture(t)
	rel := func(contextID string) string { return strings.TrimPrefix(f.c.membershipsURL(contextID), f.srv.URL) }
	cases := []struct {
		name, key, secret, path string
		want                    int
	}{
		{"B in a course it is not bound to", guidB, secretB, rel(course1), 403},
		{"A in an unknown course", guidA, secretA, rel("no-such-course"), 403},
		{"A in B's course", guidA, secretA, rel(course2), 403},
		{"A with B's link", guidA, secretA, rel(course1) + "?rlid=link-b1", 403},
		{"A with its link of another course", guidA, secretA, rel(course2) + "?rlid=link-a1", 403},
		{"LTI 1 tool in its course", keyL1, secretL, rel(course1), 200},
		{"LTI 1 tool in another course", keyL1, secretL, rel(course2), 403},
		{"pending D", guidD, secretD, rel(course1), 403},
		{"unsigned", "", "", rel(course1), 401},
	}
	var details []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := f.do(t, request{key: tc.key, secret: tc.secret, method: "GET", path: tc.path, accept: mediaMembership})
			if status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, body)
			}
			if status == http.StatusForbidden && strings.HasPrefix(tc.name, "A in") {
				var p httpapi.Problem
				_ = json.Unmarshal([]byte(body), &p)
				details = append(details, p.Detail)
			}
			if status != http.StatusOK && (strings.Contains(body, "outsider") || strings.Contains(body, "u01")) {
				t.Errorf("the refusal leaks the roster: %s", body)
			}
		})
	}
	if len(details) == 2 && details[0] != details[1] {
		t.Errorf("an unknown course and another tool's course are refused differently: %q", details)
	}
}

func TestOutcomesSourcedIDHook(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, key, sourcedID string
		ok, unknown          bool
	}{
		{"own", guidA, sid("link-a1", "u01"), true, false},
		{"LTI 1 tool's own", keyL1, sid("link-l1", "u02"), true, false},
		{"another tool's", guidA, sid("link-b1", "outsider"), false, true},
		{"not gradable", guidA, sid("link-a2", "u01"), false, true},
		{"user not enrolled", guidA, sid("link-a1", "outsider"), false, true},
		{"malformed", guidA, "garbage", false, true},
		{"unknown key", "nobody", sid("link-a1", "u01"), false, true},
		{"pending tool's own", guidD, sid("link-d1", "u01"), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.c.vetSourcedID(ctx, tc.key, tc.sourcedID)
			if (err == nil) != tc.ok {
				t.Fatalf("vetSourcedID: %v, want ok=%v", err, tc.ok)
			}
			if err != nil && errors.Is(err, outcomes.ErrUnknownSourcedID) != tc.unknown {
				t.Errorf("vetSourcedID: %v, want unknown=%v", err, tc.unknown)
			}
		})
	}
}

func TestOutcomesShareTheGradebook(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	own := sid("link-a1", "u05")
	cl := &outcomes.Client{Credentials: oauth1.Credentials{Key: guidA, Secret: secretA}, HTTP: f.srv.Client()}

	// An LTI 2 comment survives an LTI 1.1 replaceResult.
	if status, body := f.putResult(t, guidA, secretA, own, `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.2,"comment":"kept"}`); status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if err := cl.Replace(ctx, f.c.OutcomesURL(), own, 0.75, "en"); err != nil {
		t.Fatalf("replaceResult: %v", err)
	}
	score, lang, ok, err := cl.Read(ctx, f.c.OutcomesURL(), own)
	if err != nil || !ok || score != 0.75 || lang != "en" {
		t.Fatalf("readResult: %v %q %v %v", score, lang, ok, err)
	}
	_, r, body := f.getResult(t, guidA, secretA, own)
	if r == nil || r.ResultScore == nil || *r.ResultScore != 0.75 || r.Comment != "kept" {
		t.Errorf("Result service after replaceResult: %s", body)
	}
	if err := cl.Delete(ctx, f.c.OutcomesURL(), own); err != nil {
		t.Fatalf("deleteResult: %v", err)
	}
	if _, _, ok, err := cl.Read(ctx, f.c.OutcomesURL(), own); err != nil || ok {
		t.Errorf("readResult after delete: ok=%v %v", ok, err)
	}

	// Another tool's sourcedId is refused and nothing is written.
	before := f.st.writes()
	other := &outcomes.Client{Credentials: oauth1.Credentials{Key: guidB, Secret: secretB}, HTTP: f.srv.Client()}
	if err := other.Replace(ctx, f.c.OutcomesURL(), own, 0.1, "en"); err == nil {
		t.Error("B replaced A's result")
	}
	if f.st.writes() != before {
		t.Error("a refused replaceResult wrote a result")
	}
}

func TestPartnerService(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name, key, secret, method, body string
		want                            int
		echo                            string
	}{
		{"enabled POST", guidA, secretA, "POST", `{"x":1}`, 200, guidA + ` POST /partner/org/42 {"x":1}`},
		{"enabled GET", guidA, secretA, "GET", "", 200, guidA + " GET /partner/org/42 "},
		{"method not enabled", guidA, secretA, "PUT", "{}", 403, ""},
		{"service not enabled", guidB, secretB, "GET", "", 403, ""},
		{"pending", guidD, secretD, "GET", "", 403, ""},
		{"unsigned", "", "", "GET", "", 401, ""},
		{"too large", guidA, secretA, "POST", strings.Repeat("x", 256<<10+1), 413, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := f.do(t, request{key: tc.key, secret: tc.secret, method: tc.method, path: "/partner/org/42", contentType: "application/json", body: tc.body})
			if status != tc.want {
				t.Fatalf("status %d, want %d: %.200s", status, tc.want, body)
			}
			if tc.echo != "" && body != tc.echo {
				t.Errorf("handler saw %q, want %q", body, tc.echo)
			}
			if status >= 400 && !strings.HasPrefix(hdr.Get("Content-Type"), httpapi.ProblemMediaType) {
				t.Errorf("refusal is %q, not a problem", hdr.Get("Content-Type"))
			}
			if status == http.StatusUnauthorized && hdr.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// TestServicesGraphBodyRoundTrip checks that a graph answer is a document
// the generated decoder and validator accept, so that a tool using the
// generated client reads it.
func TestServicesGraphBodyRoundTrip(t *testing.T) {
	f := newFixture(t)
	sc := f.scopesOfA()[0]
	_, body, _ := f.do(t, request{key: guidA, secret: secretA, method: "GET", path: sc.path + "?bubble=all", accept: mediaToolSettings})
	doc, err := lti2.DecodeToolSettingsDocument([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(); err != nil {
		t.Errorf("the answer does not validate: %v\n%s", err, body)
	}
	if !bytes.Contains([]byte(body), []byte(`"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolSettings"`)) {
		t.Errorf("no standard @context: %s", body)
	}
}
