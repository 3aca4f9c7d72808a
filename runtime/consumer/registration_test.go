package consumer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/internal/lti2fixture"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// testLMS is a consumer over a SQLite store, served over loopback.
type testLMS struct {
	c   *consumer.Consumer
	st  store.Store
	url string
}

func newTestLMS(t *testing.T, mutate func(*consumer.Config)) *testLMS {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "lms.db"), store.Options{Sealer: storetest.TestSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	cfg := consumer.Config{BaseURL: srv.URL, Store: st, ProfileGUID: "p1", SplitSecret: true,
		Product: &lti2.ProductInstance{GUID: "lms", ProductInfo: &lti2.ProductInfo{ProductName: &lti2.LocalizedName{DefaultValue: "LMS"}}}}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := consumer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h = c.Handler()
	return &testLMS{c: c, st: st, url: srv.URL}
}

// credentials starts a registration and returns its reg_key and
// reg_password.
func (l *testLMS) credentials(t *testing.T) (string, string) {
	t.Helper()
	form, err := l.c.StartRegistration(context.Background(), consumer.RegistrationRequest{ToolURL: "https://tool.example.com/register", ReturnURL: "https://lms.example.edu/back"})
	if err != nil {
		t.Fatal(err)
	}
	if form.Values().Get("oauth_signature") != "" {
		t.Fatal("the registration request must not be signed")
	}
	return form.Values().Get("reg_key"), form.Values().Get("reg_password")
}

// register posts tp signed with key and secret (and confirmURL, if any).
func (l *testLMS) register(key, secret, confirmURL string, tp *lti2.ToolProxy) (*lti2.ToolProxy, error) {
	client := lti2rest.NewToolProxyServiceClient(l.url, httpapi.ClientConfig{Sign: func(r *http.Request, body []byte) error {
		return oauth1.SignRequest(r, body, oauth1.Credentials{Key: key, Secret: secret}, oauth1.SignOptions{})
	}})
	return client.RegisterToolProxy(context.Background(), &lti2rest.RegisterToolProxyRequest{Body: tp, ConfirmURL: confirmURL})
}

func problems(err error) []string {
	var he *httpapi.Error
	if !errors.As(err, &he) || he.Problem == nil {
		return nil
	}
	var out []string
	for _, f := range he.Problem.Errors {
		p := ""
		if f.Pointer != nil {
			p = *f.Pointer
		}
		if f.Header != "" {
			p = "header:" + f.Header
		}
		out = append(out, p)
	}
	return out
}

func TestRegistrationListsEveryProblem(t *testing.T) {
	l := newTestLMS(t, nil)
	key, pw := l.credentials(t)
	tp := lti2fixture.ToolProxy(l.c.ProfileURL(), lti2fixture.Tool{
		Vendor: "acme", Product: "reader", Secret: "s3cret",
		Services:     map[string][]string{"Result.item": {"GET", "DELETE"}, "Gradebook.column": {"GET"}},
		Capabilities: []string{"Person.name.full", "Telepathy.enabled"},
		Parameters:   map[string]string{"name": "Person.name.full", "mood": "Person.mood"},
	})
	tp.EnabledCapability = []lti2.Capability{"Canvas.placements.similarityDetection"}
	raw, _ := json.Marshal(strings.Repeat("ab", 64))
	tp.SecurityContract.Extensions = map[string]json.RawMessage{"tp_half_shared_secret": raw}
	_, err := l.register(key, pw, "", tp)
	if httpapi.StatusOf(err) != 400 {
		t.Fatalf("status %d (%v), want 400", httpapi.StatusOf(err), err)
	}
	got := problems(err)
	// One problem per fault put into the proxy above, each located.
	want := []string{
		"/enabled_capability/0",
		"/security_contract",
		"/security_contract/tool_service/1/action/1", // Result.item DELETE
		"/security_contract/tool_service/0/service",  // Gradebook.column
		"/tool_profile/resource_handler/0/message/0/enabled_capability/1",
		"/tool_profile/resource_handler/0/message/0/parameter/0/variable",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("the reply does not name %s; it names %v", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the reply names %d problems, want %d: %v", len(got), len(want), got)
	}
	if _, err := l.st.ToolProxy(context.Background(), key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused proxy was stored: %v", err)
	}
	// The credentials were not used up by the refusal.
	if _, err := l.register(key, pw, "", lti2fixture.ToolProxy(l.c.ProfileURL(), lti2fixture.Tool{Vendor: "acme", Product: "reader", Secret: "s3cret"})); err != nil {
		t.Fatalf("registration after a refused attempt: %v", err)
	}
}

func TestRegistrationSecrets(t *testing.T) {
	half := strings.Repeat("0f", 64)
	cases := []struct {
		name       string
		split      bool // the consumer offers the split secret
		tool       lti2fixture.Tool
		capability string // replaces OAuth.splitSecret when set
		wantStatus int
	}{
		{name: "shared secret", split: true, tool: lti2fixture.Tool{Secret: "shared"}, wantStatus: 201},
		{name: "split secret", split: true, tool: lti2fixture.Tool{TPHalf: half}, wantStatus: 201},
		{name: "split secret, 2.1 draft capability", split: true, tool: lti2fixture.Tool{TPHalf: half}, capability: "Security.splitSecret", wantStatus: 201},
		{name: "split secret not offered", split: false, tool: lti2fixture.Tool{TPHalf: half}, wantStatus: 400},
		{name: "split secret not enabled", split: true, tool: lti2fixture.Tool{TPHalf: half}, capability: "-", wantStatus: 400},
		{name: "half not lower-case hex", split: true, tool: lti2fixture.Tool{TPHalf: strings.Repeat("0F", 64)}, wantStatus: 400},
		{name: "no secret", split: true, tool: lti2fixture.Tool{}, wantStatus: 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLMS(t, func(c *consumer.Config) { c.SplitSecret = tc.split })
			key, pw := l.credentials(t)
			tc.tool.Vendor, tc.tool.Product = "acme", "reader"
			tp := lti2fixture.ToolProxy(l.c.ProfileURL(), tc.tool)
			if tc.capability != "" {
				tp.EnabledCapability = nil
				if tc.capability != "-" {
					tp.EnabledCapability = []lti2.Capability{lti2.Capability(tc.capability)}
				}
			}
			id, err := l.register(key, pw, "", tp)
			if tc.wantStatus != 201 {
				if httpapi.StatusOf(err) != tc.wantStatus {
					t.Fatalf("status %d (%v), want %d", httpapi.StatusOf(err), err, tc.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(id.ToolProxyGUID) != key {
				t.Fatalf("tool_proxy_guid %q, want the reg_key %q", id.ToolProxyGUID, key)
			}
			rec, err := l.st.ToolProxy(context.Background(), key)
			if err != nil {
				t.Fatal(err)
			}
			var tcHalf string
			json.Unmarshal(id.Extensions["tc_half_shared_secret"], &tcHalf)
			want := tc.tool.Secret
			if tc.tool.TPHalf != "" {
				want = tcHalf + tc.tool.TPHalf
				if len(tcHalf) != 128 {
					t.Fatalf("tc_half_shared_secret has %d characters, want 128", len(tcHalf))
				}
			} else if tcHalf != "" {
				t.Fatal("a shared-secret registration got a consumer half")
			}
			if rec.Secret != want || rec.Status != store.StatusPending {
				t.Fatalf("stored secret ok=%v, status %s", rec.Secret == want, rec.Status)
			}
			if bytes.Contains(rec.Document, []byte(want)) || (tc.tool.TPHalf != "" && bytes.Contains(rec.Document, []byte(tc.tool.TPHalf))) {
				t.Fatal("the stored document holds the secret")
			}
		})
	}
}

func TestRegistrationCredentials(t *testing.T) {
	now := time.Now()
	l := newTestLMS(t, func(c *consumer.Config) {
		c.RegistrationTTL = time.Minute
		c.Now = func() time.Time { return now }
		c.Approve = func(context.Context, string, *lti2.ToolProxy) store.Status { return store.StatusActive }
	})
	proxy := func() *lti2.ToolProxy {
		return lti2fixture.ToolProxy(l.c.ProfileURL(), lti2fixture.Tool{Vendor: "acme", Product: "reader", Secret: "s"})
	}
	key, pw := l.credentials(t)
	if _, err := l.register(key, "wrong", "", proxy()); httpapi.StatusOf(err) != 401 {
		t.Fatalf("wrong reg_password: %v, want 401", err)
	}
	if _, err := l.register(key, pw, "", proxy()); err != nil {
		t.Fatal(err)
	}
	rec, _ := l.st.ToolProxy(context.Background(), key)
	if rec.Status != store.StatusActive {
		t.Fatalf("the approval hook's decision was not kept: %s", rec.Status)
	}
	if _, err := l.register(key, pw, "", proxy()); httpapi.StatusOf(err) != 401 {
		t.Fatalf("reused credentials: %v, want 401", err)
	}
	key2, pw2 := l.credentials(t)
	now = now.Add(2 * time.Minute)
	if _, err := l.register(key2, pw2, "", proxy()); httpapi.StatusOf(err) != 401 {
		t.Fatalf("expired credentials: %v, want 401", err)
	}
}

func TestReregistrationChecks(t *testing.T) {
	l := newTestLMS(t, func(c *consumer.Config) {
		c.Approve = func(context.Context, string, *lti2.ToolProxy) store.Status { return store.StatusActive }
	})
	key, pw := l.credentials(t)
	fix := lti2fixture.Tool{Vendor: "acme", Product: "reader", Secret: "old-secret"}
	if _, err := l.register(key, pw, "", lti2fixture.ToolProxy(l.c.ProfileURL(), fix)); err != nil {
		t.Fatal(err)
	}
	fix.Secret = "new-secret"
	cases := []struct {
		name, confirm string
		mutate        func(*lti2.ToolProxy)
		want          int
	}{
		{name: "no confirm URL", want: 400},
		{name: "confirm URL on another host", confirm: "https://attacker.example.net/confirm", want: 400},
		{name: "GUID changed", confirm: "https://tool.example.com/confirm/x", mutate: func(tp *lti2.ToolProxy) { tp.ToolProxyGUID = "other" }, want: 400},
		{name: "accepted", confirm: "https://tool.example.com/confirm/x", mutate: func(tp *lti2.ToolProxy) { tp.ToolProxyGUID = lti2.GUIDType(key) }, want: 201},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tp := lti2fixture.ToolProxy(l.c.ProfileURL(), fix)
			if tc.mutate != nil {
				tc.mutate(tp)
			}
			_, err := l.register(key, "old-secret", tc.confirm, tp)
			if got := httpapi.StatusOf(err); (err == nil && tc.want != 201) || (err != nil && got != tc.want) {
				t.Fatalf("status %d (%v), want %d", got, err, tc.want)
			}
			rec, _ := l.st.ToolProxy(context.Background(), key)
			if rec.Secret != "old-secret" {
				t.Fatal("a re-registration changed the secret before confirmation")
			}
			if (rec.Pending != nil) != (tc.want == 201) {
				t.Fatalf("pending proposal = %v", rec.Pending != nil)
			}
		})
	}
}

func TestLTI12Profile(t *testing.T) {
	l := newTestLMS(t, func(c *consumer.Config) { c.LTI12 = true })
	p := l.c.Profile()
	if p.LTIVersion != "LTI-1p2" {
		t.Fatalf("lti_version %q", p.LTIVersion)
	}
	for _, s := range p.ServiceOffered {
		if id := s.(*lti2.RESTService).ID; strings.Contains(id, "ToolProxy.") {
			t.Errorf("an LTI 1.2 profile offers %s", id)
		}
	}
	if slices.Contains(p.CapabilityOffered, "ToolProxyReregistrationRequest") {
		t.Error("an LTI 1.2 profile offers re-registration")
	}
	if _, err := l.c.StartRegistration(context.Background(), consumer.RegistrationRequest{ToolURL: "https://t.example/r", ReturnURL: "https://l.example/b"}); err == nil {
		t.Error("an LTI 1.2 consumer started a registration")
	}
	resp, err := http.Post(l.url+"/ToolProxy", "application/vnd.ims.lti.v2.toolproxy+json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("POST /ToolProxy on an LTI 1.2 consumer: %d, want 404", resp.StatusCode)
	}
	// The profile is served, unsigned, and answers lti_version.
	resp, err = http.Get(l.url + "/profile/p1?lti_version=LTI-2p0")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"LTI-1p2"`)) {
		t.Errorf("profile: %d %s", resp.StatusCode, body)
	}
}

// TestProfileOffersPartnerService checks that a partner service is offered
// in the profile like a standard one (services_test.go covers its calls).
func TestProfileOffersPartnerService(t *testing.T) {
	partner := consumer.PartnerService{Name: "OrgHierarchy.item", Path: "/partner/org/{org_id}",
		Formats: []string{"application/json"}, Actions: []string{"GET"}, Handler: http.NotFoundHandler()}
	l := newTestLMS(t, func(c *consumer.Config) { c.Partners = []consumer.PartnerService{partner} })
	i := slices.IndexFunc(l.c.Profile().ServiceOffered, func(s lti2.ServiceDescriptor) bool {
		return s.(*lti2.RESTService).ID == l.c.ProfileURL()+"#OrgHierarchy.item"
	})
	if i < 0 {
		t.Fatal("the profile does not offer the partner service")
	}
	if rs := l.c.Profile().ServiceOffered[i].(*lti2.RESTService); rs.Endpoint != l.url+"/partner/org/{org_id}" {
		t.Fatalf("partner endpoint %q", rs.Endpoint)
	}
}

func TestLTI1Launch(t *testing.T) {
	l := newTestLMS(t, nil)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.c.AddLTI1Tool(ctx, consumer.LTI1Tool{Key: "k1", Secret: "s1", Name: "Old tool", LaunchURL: "https://old.example.com/launch?x=1"}))
	must(l.st.PutContext(ctx, store.Context{ID: "c1", Title: "Course", Label: "C1"}))
	must(l.st.PutUser(ctx, store.User{ID: "u1", Name: "Una", Email: "una@example.edu"}))
	must(l.st.PutMembership(ctx, store.Membership{ContextID: "c1", UserID: "u1", Roles: []string{string(lti2.RoleMembershipLearner)}, Active: true}))
	must(l.st.PutLink(ctx, store.Link{ID: "l1", ContextID: "c1", ToolProxyGUID: "k1", Title: "Quiz", Gradable: true, Custom: []store.Pair{{Name: "Chapter", Value: "3"}}}))
	form, err := l.c.Launch(ctx, consumer.LaunchRequest{LinkID: "l1", UserID: "u1"})
	must(err)
	v := form.Values()
	checks := map[string]string{
		"lti_version":                      "LTI-1p0",
		"oauth_consumer_key":               "k1",
		"lis_person_contact_email_primary": "una@example.edu",
		"lis_outcome_service_url":          l.c.OutcomesURL(),
		"lis_result_sourcedid":             consumer.ResultSourcedID("l1", "u1"),
		"custom_chapter":                   "3",
	}
	for k, want := range checks {
		if got := v.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	req := httptest.NewRequest("POST", form.Action, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := (&oauth1.Verifier{Secrets: oauth1.SecretMap{"k1": "s1"}}).Verify(ctx, req, []byte(v.Encode())); err != nil {
		t.Fatalf("the launch does not verify with the tool's secret: %v", err)
	}
}

// TestMountedUnderPrefix serves the consumer below /lti with
// http.StripPrefix: signatures cover the public URL, which keeps the
// prefix the handler no longer sees.
func TestMountedUnderPrefix(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "lms.db"), store.Options{Sealer: storetest.TestSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := consumer.New(consumer.Config{BaseURL: srv.URL + "/lti", Store: st, ProfileGUID: "p1",
		Product: &lti2.ProductInstance{GUID: "lms"},
		Approve: func(context.Context, string, *lti2.ToolProxy) store.Status { return store.StatusActive },
	})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/lti/", http.StripPrefix("/lti", c.Handler()))
	l := &testLMS{c: c, st: st, url: srv.URL + "/lti"}
	key, pw := l.credentials(t)
	tp := lti2fixture.ToolProxy(c.ProfileURL(), lti2fixture.Tool{Vendor: "v", Product: "p", Secret: "s",
		Services: map[string][]string{"ToolProxySettings": {"GET"}}})
	if _, err := l.register(key, pw, "", tp); err != nil {
		t.Fatalf("registration below a prefix: %v", err)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/lti/lti/ToolProxy/"+key+"/custom", nil)
	req.Header.Set("Accept", "application/vnd.ims.lti.v2.toolsettings.simple+json")
	oauth1.SignRequest(req, nil, oauth1.Credentials{Key: key, Secret: "s"}, oauth1.SignOptions{})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("settings GET below a prefix: %d", resp.StatusCode)
	}
}
