package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// memStore is an in-memory Store: the tool proxies and nonces a Provider
// uses, nothing else.
type memStore struct {
	mu      sync.Mutex
	proxies map[string]store.ToolProxy
	nonces  *oauth1.MemoryNonceStore
	// failGet makes ToolProxy fail, to test store errors.
	failGet bool
}

func newMemStore() *memStore {
	return &memStore{proxies: make(map[string]store.ToolProxy), nonces: oauth1.NewMemoryNonceStore(0, time.Hour)}
}

func cloneProxy(tp store.ToolProxy) store.ToolProxy {
	tp.Document = bytes.Clone(tp.Document)
	tp.Profile = bytes.Clone(tp.Profile)
	if tp.Pending != nil {
		p := *tp.Pending
		p.Document = bytes.Clone(p.Document)
		tp.Pending = &p
	}
	return tp
}

func (s *memStore) CreateToolProxy(_ context.Context, tp store.ToolProxy, regKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if regKey != "" {
		return fmt.Errorf("memStore: tool side never consumes a registration credential: %w", store.ErrConflict)
	}
	if _, ok := s.proxies[tp.GUID]; ok {
		return fmt.Errorf("memStore: GUID %s taken: %w", tp.GUID, store.ErrConflict)
	}
	s.proxies[tp.GUID] = cloneProxy(tp)
	return nil
}

func (s *memStore) ToolProxy(_ context.Context, guid string) (store.ToolProxy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failGet {
		return store.ToolProxy{}, fmt.Errorf("memStore: the disk is on fire")
	}
	tp, ok := s.proxies[guid]
	if !ok {
		return store.ToolProxy{}, fmt.Errorf("memStore: %s: %w", guid, store.ErrNotFound)
	}
	return cloneProxy(tp), nil
}

func (s *memStore) ListToolProxies(context.Context) ([]store.ToolProxy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.ToolProxy
	for _, tp := range s.proxies {
		out = append(out, cloneProxy(tp))
	}
	return out, nil
}

func (s *memStore) SetToolProxyStatus(_ context.Context, guid string, st store.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return store.ErrNotFound
	}
	tp.Status = st
	s.proxies[guid] = tp
	return nil
}

func (s *memStore) ProposeToolProxy(_ context.Context, guid string, p store.Proposal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return store.ErrNotFound
	}
	p.Document = bytes.Clone(p.Document)
	tp.Pending = &p
	s.proxies[guid] = tp
	return nil
}

func (s *memStore) CommitProposal(_ context.Context, guid, confirmURL string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return store.ErrNotFound
	}
	if tp.Pending == nil || tp.Pending.ConfirmURL != confirmURL {
		return store.ErrConflict
	}
	tp.Document, tp.Secret, tp.Pending = tp.Pending.Document, tp.Pending.Secret, nil
	s.proxies[guid] = tp
	return nil
}

func (s *memStore) DismissProposal(_ context.Context, guid, confirmURL string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tp, ok := s.proxies[guid]
	if !ok {
		return store.ErrNotFound
	}
	if tp.Pending != nil && tp.Pending.ConfirmURL != confirmURL {
		return store.ErrConflict
	}
	tp.Pending = nil
	s.proxies[guid] = tp
	return nil
}

func (s *memStore) DeleteToolProxy(_ context.Context, guid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.proxies, guid)
	return nil
}

func (s *memStore) Seen(ctx context.Context, key, nonce string, ts time.Time) (bool, error) {
	return s.nonces.Seen(ctx, key, nonce, ts)
}

func (s *memStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.proxies)
}

func (s *memStore) get(t *testing.T, guid string) store.ToolProxy {
	t.Helper()
	tp, err := s.ToolProxy(context.Background(), guid)
	if err != nil {
		t.Fatalf("store: %v", err)
	}
	return tp
}

// Constants of the fake consumer.
const (
	testRegKey      = "reg-key-1"
	testRegPassword = "reg-password-1"
	testGUID        = "tc-guid-7f3a"
	testReturnPath  = "/return?reg=42"
)

// fakeTC is a tool consumer: it serves a profile and a ToolProxy
// collection that verifies signatures with oauth1.Verifier, and answers 201
// with a ToolProxy.id document. Its settings are read by its handlers under
// its lock; set them before use.
type fakeTC struct {
	t   *testing.T
	srv *httptest.Server

	mu sync.Mutex
	// Profile served.
	capabilities []string
	services     []map[string]any
	noLTIVersion bool              // serve at a URL without lti_version
	extraContext map[string]string // added to the profile's inline context
	profileCode  int               // answer the profile GET with this status
	hugeProfile  bool              // answer the profile GET with 2 MiB
	// ToolProxy POST.
	postCode   int    // answer the POST with this status instead of 201
	answerGUID string // tool_proxy_guid of the answer ("" = testGUID; "-" = none)
	noTCHalf   bool   // leave tc_half_shared_secret out
	// State.
	secret        string // current secret of testGUID
	pendingSecret string
	confirmURL    string
	posts         []post
	profileGets   []*http.Request
	// Extra handlers (services).
	extra map[string]http.HandlerFunc
}

// post is one ToolProxy POST the fake consumer received.
type post struct {
	key        string // oauth_consumer_key it verified with
	confirmURL string
	proxy      *lti2.ToolProxy
	raw        []byte
}

func newFakeTC(t *testing.T) *fakeTC {
	tc := &fakeTC{
		t: t,
		capabilities: []string{
			"basic-lti-launch-request", "ToolProxyReregistrationRequest", "Result.autocreate",
			"Result.url", "ToolConsumerProfile.url", "LtiLink.custom.url",
			"ToolProxyBinding.memberships.url", "Person.email.primary",
		},
		extra: make(map[string]http.HandlerFunc),
	}
	tc.srv = httptest.NewServer(http.HandlerFunc(tc.serve))
	t.Cleanup(tc.srv.Close)
	tc.services = tc.standardServices()
	return tc
}

// standardServices are the services of the IMS sample profile, at the fake.
func (tc *fakeTC) standardServices() []map[string]any {
	u := tc.srv.URL
	return []map[string]any{
		{"@type": "RestService", "@id": "tcp:ToolProxy.collection", "endpoint": u + "/ToolProxy/", "format": []string{lti2.MediaTypeToolProxy}, "action": []string{"POST"}},
		{"@type": "RestService", "@id": "tcp:ToolProxy.item", "endpoint": u + "/ToolProxy/{tool_proxy_guid}", "format": []string{lti2.MediaTypeToolProxy}, "action": []string{"GET", "PUT"}},
		{"@type": "RestService", "@id": "tcp:Result.item", "endpoint": u + "/Result/{sourcedId}", "format": []string{lti2.MediaTypeResult}, "action": []string{"GET", "PUT"}},
		{"@type": "RestService", "@id": "tcp:LtiLinkSettings", "endpoint": u + "/links/{link_id}/custom", "format": []string{lti2.MediaTypeToolSettings, lti2.MediaTypeToolSettingsSimple}, "action": []string{"GET", "PUT"}},
		{"@type": "RestService", "@id": "tcp:ToolProxySettings", "endpoint": u + "/ToolProxy/{tool_proxy_guid}/custom", "format": []string{lti2.MediaTypeToolSettings, lti2.MediaTypeToolSettingsSimple}, "action": []string{"GET", "PUT"}},
		{"@type": "RestService", "@id": "tcp:Membership.collection", "endpoint": u + "/context/{context_id}/memberships", "format": lti2.MediaTypeMembershipContainer, "action": []string{"GET"}},
	}
}

// without removes the services whose @id ends in name.
func (tc *fakeTC) without(name string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	var out []map[string]any
	for _, s := range tc.services {
		if !strings.HasSuffix(s["@id"].(string), ":"+name) {
			out = append(out, s)
		}
	}
	tc.services = out
}

// offer sets the capabilities offered, replacing them.
func (tc *fakeTC) offer(caps ...string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.capabilities = caps
}

// drop removes offered capabilities.
func (tc *fakeTC) drop(caps ...string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	var out []string
	for _, c := range tc.capabilities {
		keep := true
		for _, d := range caps {
			keep = keep && c != d
		}
		if keep {
			out = append(out, c)
		}
	}
	tc.capabilities = out
}

// profileID is the profile's @id (and the tcp prefix's base).
func (tc *fakeTC) profileID() string { return tc.srv.URL + "/profile/b6ffa601" }

// profileURL is the tc_profile_url of registration messages.
func (tc *fakeTC) profileURL() string {
	if tc.noLTIVersion {
		return tc.srv.URL + "/profile/b6ffa601?token=one-time-7"
	}
	return tc.srv.URL + "/profile/b6ffa601?token=one-time-7&lti_version=LTI-2p0"
}

func (tc *fakeTC) serve(w http.ResponseWriter, r *http.Request) {
	tc.mu.Lock()
	h, ok := tc.extra[r.Method+" "+r.URL.Path]
	tc.mu.Unlock()
	switch {
	case ok:
		h(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/profile/"):
		tc.serveProfile(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/ToolProxy/":
		tc.servePost(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (tc *fakeTC) serveProfile(w http.ResponseWriter, r *http.Request) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.profileGets = append(tc.profileGets, r.Clone(context.Background()))
	if tc.profileCode != 0 {
		http.Error(w, "no profile today", tc.profileCode)
		return
	}
	w.Header().Set("Content-Type", lti2.MediaTypeToolConsumerProfile)
	if tc.hugeProfile {
		_, _ = w.Write([]byte(`{"@context":"` + lti2.ContextToolConsumerProfile + `","padding":"`))
		_, _ = w.Write(bytes.Repeat([]byte("x"), 2<<20))
		_, _ = w.Write([]byte(`"}`))
		return
	}
	inline := map[string]string{"tcp": tc.profileID() + "#"}
	for k, v := range tc.extraContext {
		inline[k] = v
	}
	doc := map[string]any{
		"@context":    []any{lti2.ContextToolConsumerProfile, inline},
		"@type":       "ToolConsumerProfile",
		"@id":         tc.profileID(),
		"lti_version": "LTI-2p0",
		"guid":        "b6ffa601",
		"product_instance": map[string]any{
			"guid": "c86542d5",
			"product_info": map[string]any{
				"product_name":    map[string]string{"default_value": "Omega LMS"},
				"product_version": "2.3",
				"product_family": map[string]any{
					"code":   "omega",
					"vendor": map[string]any{"code": "lms.example.com", "vendor_name": map[string]string{"default_value": "LMS Corp"}, "timestamp": "2012-03-28T09:08:16-04:00"},
				},
			},
		},
		"capability_offered": tc.capabilities,
		"service_offered":    tc.services,
	}
	_ = json.NewEncoder(w).Encode(doc)
}

func (tc *fakeTC) servePost(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	confirm := r.Header.Get("VND-IMS-CONFIRM-URL")
	secrets := oauth1.SecretMap{testRegKey: testRegPassword}
	if tc.secret != "" {
		secrets[testGUID] = tc.secret
	}
	v := &oauth1.Verifier{Secrets: secrets, Nonces: oauth1.NewMemoryNonceStore(0, 0)}
	res, err := v.Verify(r.Context(), r, body)
	if err != nil {
		http.Error(w, "signature: "+err.Error(), http.StatusUnauthorized)
		return
	}
	if (confirm == "") != (res.ConsumerKey == testRegKey) {
		http.Error(w, "a registration is signed with reg_key, a re-registration with the GUID", http.StatusUnauthorized)
		return
	}
	if res.Get("oauth_body_hash") == "" {
		http.Error(w, "no body hash", http.StatusUnauthorized)
		return
	}
	proxy, err := lti2.DecodeToolProxy(body)
	if err == nil {
		err = proxy.Validate()
	}
	if err != nil {
		http.Error(w, "invalid proxy: "+err.Error(), http.StatusBadRequest)
		return
	}
	tc.posts = append(tc.posts, post{key: res.ConsumerKey, confirmURL: confirm, proxy: proxy, raw: body})
	var tpHalf string
	if raw, ok := proxy.SecurityContract.Extensions["tp_half_shared_secret"]; ok {
		_ = json.Unmarshal(raw, &tpHalf)
	}
	if (tpHalf == "") == (proxy.SecurityContract.SharedSecret == "") {
		http.Error(w, "exactly one of shared_secret and tp_half_shared_secret", http.StatusBadRequest)
		return
	}
	answer := map[string]any{
		"@context": lti2.ContextToolProxyID,
		"@type":    "ToolProxy",
		"@id":      tc.srv.URL + "/ToolProxy/" + testGUID,
	}
	switch tc.answerGUID {
	case "":
		answer["tool_proxy_guid"] = testGUID
	case "-":
	default:
		answer["tool_proxy_guid"] = tc.answerGUID
	}
	secret := proxy.SecurityContract.SharedSecret
	if tpHalf != "" {
		tcHalf := strings.Repeat("0a", 64)
		if confirm != "" {
			tcHalf = strings.Repeat("1b", 64)
		}
		if !tc.noTCHalf {
			answer["tc_half_shared_secret"] = tcHalf
		}
		secret = tcHalf + tpHalf
	}
	if confirm == "" {
		tc.secret = secret
	} else {
		tc.pendingSecret, tc.confirmURL = secret, confirm
	}
	code := http.StatusCreated
	if tc.postCode != 0 {
		code = tc.postCode
	}
	w.Header().Set("Content-Type", lti2.MediaTypeToolProxyID)
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(answer)
}

// lastPost returns the last POST the fake received.
func (tc *fakeTC) lastPost(t *testing.T) post {
	t.Helper()
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if len(tc.posts) == 0 {
		t.Fatal("the consumer received no tool proxy")
	}
	return tc.posts[len(tc.posts)-1]
}

// postCount returns how many POSTs the fake received.
func (tc *fakeTC) postCount() int {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return len(tc.posts)
}

// testDeclarationJSON is the tool of the tests, in LoadDeclaration's format.
const testDeclarationJSON = `{
  "tool_profile": {
    "lti_version": "LTI-2p0",
    "product_instance": {
      "guid": "fd75124a-140e-470f-944c-114d2d92bb40",
      "product_info": {
        "product_name": {"default_value": "Acme Assessments"},
        "product_version": "10.3",
        "product_family": {
          "code": "assessment-tool",
          "vendor": {"code": "acme.com", "vendor_name": {"default_value": "Acme"}, "timestamp": "2012-04-05T09:08:16-04:00"}
        }
      }
    },
    "base_url_choice": [{"default_base_url": "http://tool.invalid/"}],
    "resource_handler": [{
      "resource_type": {"code": "asmt"},
      "resource_name": {"default_value": "Acme Assessment"},
      "message": [{
        "message_type": "basic-lti-launch-request",
        "path": "launch",
        "enabled_capability": ["Result.autocreate"],
        "parameter": [
          {"name": "result_url", "variable": "Result.url"},
          {"name": "email", "variable": "Person.email.primary"},
          {"name": "link_setting_url", "variable": "LtiLink.custom.url"},
          {"name": "discipline", "fixed": "chemistry"}
        ]
      }]
    }],
    "message": [{
      "message_type": "ToolProxyReregistrationRequest",
      "path": "lti2/register",
      "parameter": [{"name": "tc_profile_url", "variable": "ToolConsumerProfile.url"}]
    }]
  },
  "services": [
    {"name": "Result.item", "required": true},
    {"name": "LtiLinkSettings"},
    {"name": "Membership.collection"}
  ],
  "capabilities": [{"name": "OAuth.hmac-sha256"}],
  "required": ["Result.url"],
  "custom": {"customerId": "394892759526"}
}`

// testDeclaration returns a fresh copy of the tests' declaration.
func testDeclaration(t *testing.T) Declaration {
	t.Helper()
	d, err := ParseDeclaration([]byte(testDeclarationJSON))
	if err != nil {
		t.Fatalf("ParseDeclaration: %v", err)
	}
	return *d
}

// testClock is a fixed clock near the present, so that messages signed in
// the test verify.
func testClock() func() time.Time {
	now := time.Now()
	return func() time.Time { return now }
}

// tool is a Provider served by an httptest server, with its store.
type tool struct {
	p *Provider
	// store is the memory store, when Config.Store was left to newTool.
	store *memStore
	srv   *httptest.Server
	// launched receives the launches LaunchHandler passed on.
	launched chan launchSeen
}

// launchSeen is what the next handler of LaunchHandler saw.
type launchSeen struct {
	guid string
	key  string
}

// newTool starts a tool registered with nothing, talking to tc.
func newTool(t *testing.T, tc *fakeTC, mutate func(*Config)) *tool {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	st := newMemStore()
	cfg := Config{
		BaseURL:    srv.URL,
		Store:      st,
		Tool:       testDeclaration(t),
		HTTPClient: tc.srv.Client(),
		Now:        testClock(),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tl := &tool{p: p, store: st, srv: srv, launched: make(chan launchSeen, 8)}
	mux.Handle("/lti2/register", p.RegistrationHandler())
	mux.Handle(p.ConfirmPath(), p.ConfirmHandler())
	mux.Handle("/launch", p.LaunchHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		guid, _ := RegistrationFromContext(r.Context())
		var key string
		if l, ok := launch.FromContext(r.Context()); ok {
			key = l.ConsumerKey
		}
		tl.launched <- launchSeen{guid: guid, key: key}
		_, _ = io.WriteString(w, "welcome")
	})))
	return tl
}

// browser is an HTTP client that does not follow redirects, as the tests
// read the Location of the answers.
func browser() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// registrationForm is a ToolProxyRegistrationRequest's fields.
func registrationForm(tc *fakeTC) url.Values {
	return url.Values{
		"lti_message_type":               {"ToolProxyRegistrationRequest"},
		"lti_version":                    {"LTI-2p0"},
		"reg_key":                        {testRegKey},
		"reg_password":                   {testRegPassword},
		"tc_profile_url":                 {tc.profileURL()},
		"launch_presentation_return_url": {tc.srv.URL + testReturnPath},
		"user_id":                        {"admin"},
		"roles":                          {"urn:lti:sysrole:ims/lis/SysAdmin"},
	}
}

// postForm posts a form to the tool and returns the answer, body read.
func postForm(t *testing.T, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := browser().PostForm(target, form)
	if err != nil {
		t.Fatalf("POST %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// returned parses the redirect back to the consumer: its status and query.
func returned(t *testing.T, tc *fakeTC, resp *http.Response, body string) url.Values {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer %d %q, want 303 to the return URL", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc.String(), tc.srv.URL+testReturnPath+"&") {
		t.Fatalf("Location %s does not extend the return URL %s with &", loc, tc.srv.URL+testReturnPath)
	}
	q := loc.Query()
	if q.Get("reg") != "42" {
		t.Errorf("the return URL's own query was lost: %s", loc)
	}
	return q
}

// register runs a successful registration and returns the stored proxy.
func (tl *tool) register(t *testing.T, tc *fakeTC) store.ToolProxy {
	t.Helper()
	resp, body := postForm(t, tl.srv.URL+"/lti2/register", registrationForm(tc))
	q := returned(t, tc, resp, body)
	if q.Get("status") != "success" {
		t.Fatalf("registration failed: %s", q.Get("lti_errormsg"))
	}
	return tl.store.get(t, q.Get("tool_proxy_guid"))
}
