package provider

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/store"
)

func TestRegister(t *testing.T) {
	hex := regexp.MustCompile(`^[0-9a-f]+$`)
	tests := []struct {
		name        string
		splitConfig bool
		offerSplit  string // capability offered, "" for none
		noVersion   bool   // tc_profile_url without lti_version
		compact     bool   // the profile's @context redefines a standard term
		wantSplit   bool
	}{
		{name: "shared secret", noVersion: true},
		{name: "profile decoded by compaction", compact: true},
		{name: "split secret OAuth.splitSecret", splitConfig: true, offerSplit: "OAuth.splitSecret", wantSplit: true},
		{name: "split secret Security.splitSecret", splitConfig: true, offerSplit: "Security.splitSecret", wantSplit: true},
		{name: "split wanted, not offered", splitConfig: true},
		{name: "split offered, not wanted", offerSplit: "OAuth.splitSecret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := newFakeTC(t)
			tc.noLTIVersion = tt.noVersion
			if tt.compact {
				tc.extraContext = map[string]string{"lti": "http://purl.imsglobal.org/vocab/lti/v2/lti#"}
			}
			if tt.offerSplit != "" {
				tc.offer(append(slices.Clone(tc.capabilities), tt.offerSplit)...)
			}
			tl := newTool(t, tc, func(c *Config) { c.SplitSecret = tt.splitConfig })

			resp, body := postForm(t, tl.srv.URL+"/lti2/register", registrationForm(tc))
			q := returned(t, tc, resp, body)
			if q.Get("status") != "success" || q.Get("tool_proxy_guid") != testGUID {
				t.Fatalf("return query %v, want status=success&tool_proxy_guid=%s", q, testGUID)
			}
			if q.Get("lti_errormsg") != "" {
				t.Errorf("lti_errormsg on success: %q", q.Get("lti_errormsg"))
			}

			// The profile was fetched unsigned, with Accept and lti_version.
			tc.mu.Lock()
			get := tc.profileGets[0]
			tc.mu.Unlock()
			if got := get.URL.Query()["lti_version"]; len(got) != 1 || got[0] != "LTI-2p0" {
				t.Errorf("profile GET lti_version = %v, want exactly [LTI-2p0]", got)
			}
			if get.URL.Query().Get("token") != "one-time-7" {
				t.Errorf("profile GET lost the URL's own query: %s", get.URL)
			}
			if a := get.Header.Get("Accept"); a != lti2.MediaTypeToolConsumerProfile {
				t.Errorf("profile GET Accept = %q", a)
			}
			if get.Header.Get("Authorization") != "" {
				t.Error("the profile GET is signed; it should not be")
			}

			// The POST verified with reg_key/reg_password (fakeTC checks
			// that a POST without confirm URL is signed with reg_key).
			p := tc.lastPost(t)
			if p.key != testRegKey || p.confirmURL != "" {
				t.Errorf("POST signed with %q, confirm URL %q; want reg_key and none", p.key, p.confirmURL)
			}
			sc := p.proxy.SecurityContract
			_, hasHalf := sc.Extensions[keyTPHalf]
			if hasHalf != tt.wantSplit || (sc.SharedSecret != "") == tt.wantSplit {
				t.Errorf("security contract: shared_secret set %v, tp_half set %v; want split %v", sc.SharedSecret != "", hasHalf, tt.wantSplit)
			}
			if p.proxy.ToolConsumerProfile != tc.profileID() {
				t.Errorf("tool_consumer_profile = %q, want the profile's @id", p.proxy.ToolConsumerProfile)
			}
			var services []string
			for _, s := range sc.ToolService {
				services = append(services, s.GetService())
			}
			for _, want := range []string{"#ToolProxy.collection", "#Result.item", "#LtiLinkSettings", "#Membership.collection"} {
				if !slices.Contains(services, tc.profileID()+want) {
					t.Errorf("tool_service %v lacks the full IRI %s%s", services, tc.profileID(), want)
				}
			}
			caps := p.proxy.EnabledCapability
			if tt.wantSplit != slices.Contains(caps, lti2.Capability(tt.offerSplit)) && tt.offerSplit != "" {
				t.Errorf("enabled_capability %v: split capability present = %v, want %v", caps, !tt.wantSplit, tt.wantSplit)
			}
			if p.proxy.Custom == nil || p.proxy.Custom.Values["customerId"] != "394892759526" {
				t.Errorf("custom = %+v, want the declared settings", p.proxy.Custom)
			}

			// Stored: the consumer's GUID, the composed secret, no secret in
			// the document.
			tp := tl.store.get(t, testGUID)
			tc.mu.Lock()
			consumerSecret := tc.secret
			tc.mu.Unlock()
			if tp.Secret != consumerSecret || tp.Secret == "" {
				t.Errorf("stored secret differs from the consumer's")
			}
			if tt.wantSplit {
				if len(tp.Secret) != 256 || !hex.MatchString(tp.Secret) || !strings.HasPrefix(tp.Secret, strings.Repeat("0a", 64)) {
					t.Errorf("split secret is not the TC half (first) and a 128-hex TP half: %d characters", len(tp.Secret))
				}
			} else if len(tp.Secret) != 64 || !hex.MatchString(tp.Secret) {
				t.Errorf("shared secret is not 64 hex characters: %d", len(tp.Secret))
			}
			if tp.Status != store.StatusActive || tp.Version != "LTI-2p0" || tp.Name != "Omega LMS" {
				t.Errorf("stored status %q version %q name %q", tp.Status, tp.Version, tp.Name)
			}
			doc := string(tp.Document)
			if strings.Contains(doc, tp.Secret[len(tp.Secret)-64:]) || strings.Contains(doc, "shared_secret") {
				t.Errorf("stored document holds a secret: %s", doc)
			}
			stored, err := lti2.DecodeToolProxy(tp.Document)
			if err != nil {
				t.Fatalf("stored document: %v", err)
			}
			if string(stored.ToolProxyGUID) != testGUID || stored.ID != tc.srv.URL+"/ToolProxy/"+testGUID {
				t.Errorf("stored document GUID %q @id %q", stored.ToolProxyGUID, stored.ID)
			}
			if _, err := lti2.DecodeToolConsumerProfile(tp.Profile); err != nil {
				t.Errorf("stored profile: %v", err)
			}
			if strings.Contains(string(tp.Profile), "one-time-7") || strings.Contains(doc, "one-time-7") {
				t.Error("the one-time tc_profile_url token was stored")
			}
		})
	}
}

// TestRegisterOptionalDropped: what the consumer does not offer and the
// tool does not require is left out, and the administrator is told.
func TestRegisterOptionalDropped(t *testing.T) {
	tc := newFakeTC(t)
	tc.drop("Person.email.primary", "Result.autocreate", "ToolProxyReregistrationRequest")
	tc.without("Membership.collection")
	tl := newTool(t, tc, nil)

	resp, body := postForm(t, tl.srv.URL+"/lti2/register", registrationForm(tc))
	q := returned(t, tc, resp, body)
	if q.Get("status") != "success" {
		t.Fatalf("status %q: %s", q.Get("status"), q.Get("lti_errormsg"))
	}
	for _, want := range []string{"Person.email.primary", "Result.autocreate", "Membership.collection", "OAuth.hmac-sha256", "ToolProxyReregistrationRequest"} {
		if !strings.Contains(q.Get("lti_msg"), want) {
			t.Errorf("lti_msg %q does not name %s", q.Get("lti_msg"), want)
		}
	}
	p := tc.lastPost(t).proxy
	h := p.ToolProfile.ResourceHandler[0].Message[0]
	var params []string
	for _, prm := range h.Parameter {
		params = append(params, string(prm.Name))
	}
	if !slices.Equal(params, []string{"result_url", "link_setting_url", "discipline"}) {
		t.Errorf("parameters %v, want email dropped and the rest (fixed ones too) kept", params)
	}
	if len(h.EnabledCapability) != 0 {
		t.Errorf("handler capabilities %v, want Result.autocreate dropped", h.EnabledCapability)
	}
	if len(p.ToolProfile.Message) != 0 {
		t.Errorf("the re-registration handler was kept although not offered")
	}
	if len(p.EnabledCapability) != 0 {
		t.Errorf("enabled_capability %v, want the unoffered OAuth.hmac-sha256 dropped", p.EnabledCapability)
	}
	for _, s := range p.SecurityContract.ToolService {
		if strings.HasSuffix(s.GetService(), "Membership.collection") {
			t.Error("an unoffered service is in the contract")
		}
	}
	if tl.store.count() != 1 {
		t.Errorf("%d registrations stored, want 1", tl.store.count())
	}
}

func TestRegisterFailure(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(tc *fakeTC, form url.Values, cfg *Config)
		wantMsg   string // substring of lti_errormsg
		wantPosts int
	}{
		{
			name:    "required service missing",
			setup:   func(tc *fakeTC, _ url.Values, _ *Config) { tc.without("Result.item") },
			wantMsg: "Result.item",
		},
		{
			name:    "no ToolProxy.collection",
			setup:   func(tc *fakeTC, _ url.Values, _ *Config) { tc.without("ToolProxy.collection") },
			wantMsg: "ToolProxy.collection",
		},
		{
			name: "required proxy capability missing",
			setup: func(_ *fakeTC, _ url.Values, cfg *Config) {
				cfg.Tool.Capabilities = []CapabilityNeed{{Name: "Outcomes.autocreate", Required: true}}
			},
			wantMsg: "Outcomes.autocreate",
		},
		{
			name:    "required variable missing",
			setup:   func(tc *fakeTC, _ url.Values, _ *Config) { tc.drop("Result.url") },
			wantMsg: "Result.url",
		},
		{
			name: "required handler capability missing",
			setup: func(tc *fakeTC, _ url.Values, cfg *Config) {
				tc.drop("Result.autocreate")
				cfg.Tool.Required = append(cfg.Tool.Required, "Result.autocreate")
			},
			wantMsg: "Result.autocreate",
		},
		{
			name:    "launch message type not offered",
			setup:   func(tc *fakeTC, _ url.Values, _ *Config) { tc.drop("basic-lti-launch-request") },
			wantMsg: "basic-lti-launch-request",
		},
		{
			name:    "profile fetch fails",
			setup:   func(tc *fakeTC, _ url.Values, _ *Config) { tc.profileCode = http.StatusInternalServerError },
			wantMsg: "status 500",
		},
		{
			name:    "profile too large",
			setup:   func(tc *fakeTC, _ url.Values, _ *Config) { tc.hugeProfile = true },
			wantMsg: "too large",
		},
		{
			name: "profile URL unusable",
			setup: func(_ *fakeTC, form url.Values, _ *Config) {
				form.Set("tc_profile_url", "ftp://lms.example.com/profile")
			},
			wantMsg: "tc_profile_url",
		},
		{
			name:      "200 instead of 201",
			setup:     func(tc *fakeTC, _ url.Values, _ *Config) { tc.postCode = http.StatusOK },
			wantMsg:   "status 200",
			wantPosts: 1,
		},
		{
			name:      "wrong reg_password",
			setup:     func(_ *fakeTC, form url.Values, _ *Config) { form.Set("reg_password", "guess") },
			wantMsg:   "status 401",
			wantPosts: 0,
		},
		{
			name:      "answer without tool_proxy_guid",
			setup:     func(tc *fakeTC, _ url.Values, _ *Config) { tc.answerGUID = "-" },
			wantMsg:   "tool_proxy_guid",
			wantPosts: 1,
		},
		{
			name: "split secret without tc half",
			setup: func(tc *fakeTC, _ url.Values, cfg *Config) {
				tc.offer(append(slices.Clone(tc.capabilities), "OAuth.splitSecret")...)
				tc.noTCHalf = true
				cfg.SplitSecret = true
			},
			wantMsg:   "tc_half_shared_secret",
			wantPosts: 1,
		},
		{
			name:    "missing reg_password",
			setup:   func(_ *fakeTC, form url.Values, _ *Config) { form.Del("reg_password") },
			wantMsg: "reg_password",
		},
		{
			name:    "wrong lti_version",
			setup:   func(_ *fakeTC, form url.Values, _ *Config) { form.Set("lti_version", "LTI-1p0") },
			wantMsg: "LTI-1p0",
		},
		{
			name:    "not a registration message",
			setup:   func(_ *fakeTC, form url.Values, _ *Config) { form.Set("lti_message_type", "basic-lti-launch-request") },
			wantMsg: "basic-lti-launch-request",
		},
		{
			name:    "parameter sent twice",
			setup:   func(_ *fakeTC, form url.Values, _ *Config) { form.Add("reg_key", "other") },
			wantMsg: "reg_key",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := newFakeTC(t)
			form := registrationForm(tc)
			var mutate func(*Config)
			if tt.setup != nil {
				mutate = func(cfg *Config) { tt.setup(tc, form, cfg) }
			}
			tl := newTool(t, tc, mutate)
			resp, body := postForm(t, tl.srv.URL+"/lti2/register", form)
			q := returned(t, tc, resp, body)
			if q.Get("status") != "failure" {
				t.Fatalf("status %q, want failure", q.Get("status"))
			}
			if msg := q.Get("lti_errormsg"); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("lti_errormsg %q does not name %q", msg, tt.wantMsg)
			}
			if q.Has("tool_proxy_guid") {
				t.Error("tool_proxy_guid sent with a failure")
			}
			if n := tl.store.count(); n != 0 {
				t.Errorf("%d registrations stored after a failure", n)
			}
			if n := tc.postCount(); n != tt.wantPosts {
				t.Errorf("the consumer accepted %d POSTs, want %d", n, tt.wantPosts)
			}
			for _, secret := range []string{testRegPassword, "one-time-7"} {
				if strings.Contains(resp.Header.Get("Location"), secret) {
					t.Errorf("the redirect holds %q", secret)
				}
			}
		})
	}
}

// TestRegisterUnanswerable: without a usable return URL, or as another
// request than a form POST, the tool answers itself and changes nothing.
func TestRegisterUnanswerable(t *testing.T) {
	tc := newFakeTC(t)
	tl := newTool(t, tc, nil)
	for _, tt := range []struct {
		name string
		form url.Values
		want int
	}{
		{"no return URL", func() url.Values { f := registrationForm(tc); f.Del("launch_presentation_return_url"); return f }(), http.StatusBadRequest},
		{"relative return URL", func() url.Values {
			f := registrationForm(tc)
			f.Set("launch_presentation_return_url", "/back")
			return f
		}(), http.StatusBadRequest},
		{"return URL twice", func() url.Values {
			f := registrationForm(tc)
			f.Add("launch_presentation_return_url", "https://evil.example/")
			return f
		}(), http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := postForm(t, tl.srv.URL+"/lti2/register", tt.form)
			if resp.StatusCode != tt.want || resp.Header.Get("Location") != "" {
				t.Errorf("answer %d (Location %q), want %d: %s", resp.StatusCode, resp.Header.Get("Location"), tt.want, body)
			}
		})
	}
	resp, err := browser().Get(tl.srv.URL + "/lti2/register")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost {
		t.Errorf("GET answered %d Allow %q, want 405 POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if tc.postCount() != 0 || tl.store.count() != 0 {
		t.Error("an unanswerable message reached the consumer or the store")
	}
}

// TestRegisterExistingGUID: an unsigned registration never replaces a
// registration the tool holds.
func TestRegisterExistingGUID(t *testing.T) {
	tc := newFakeTC(t)
	tl := newTool(t, tc, nil)
	first := tl.register(t, tc)

	resp, body := postForm(t, tl.srv.URL+"/lti2/register", registrationForm(tc))
	q := returned(t, tc, resp, body)
	if q.Get("status") != "failure" || !strings.Contains(q.Get("lti_errormsg"), "re-registration") {
		t.Fatalf("second registration with the same GUID: status %q, %q", q.Get("status"), q.Get("lti_errormsg"))
	}
	if got := tl.store.get(t, testGUID); got.Secret != first.Secret {
		t.Error("the second registration replaced the secret")
	}
}

// TestRegisterIgnoresOAuth: a registration message is unsigned; oauth_*
// fields some consumers add are ignored, not verified.
func TestRegisterIgnoresOAuth(t *testing.T) {
	tc := newFakeTC(t)
	tl := newTool(t, tc, nil)
	form := registrationForm(tc)
	form.Set("oauth_consumer_key", "whatever")
	form.Set("oauth_signature", "bogus")
	form.Set("oauth_nonce", "n")
	form.Set("oauth_timestamp", "1")
	form.Set("tool_proxy_guid", "sakai-proposed-guid")
	resp, body := postForm(t, tl.srv.URL+"/lti2/register", form)
	if q := returned(t, tc, resp, body); q.Get("status") != "success" {
		t.Fatalf("status %q: %s", q.Get("status"), q.Get("lti_errormsg"))
	}
	if g := tc.lastPost(t).proxy.ToolProxyGUID; g != "sakai-proposed-guid" {
		t.Errorf("the proxy proposed GUID %q, want the message's tool_proxy_guid", g)
	}
	// The consumer's GUID wins over the proposed one.
	if tl.store.count() != 1 || tl.store.get(t, testGUID).GUID != testGUID {
		t.Error("the registration is not stored under the consumer's GUID")
	}
}
