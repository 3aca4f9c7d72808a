package provider

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// reregistrationForm is a ToolProxyReregistrationRequest signed with key
// and secret for the tool's registration URL.
func reregistrationForm(t *testing.T, tc *fakeTC, tl *tool, key, secret string) url.Values {
	t.Helper()
	params := []oauth1.Param{
		{Key: "lti_message_type", Value: "ToolProxyReregistrationRequest"},
		{Key: "lti_version", Value: "LTI-2p0"},
		{Key: "tc_profile_url", Value: tc.profileURL()},
		{Key: "launch_presentation_return_url", Value: tc.srv.URL + testReturnPath},
	}
	signed, err := oauth1.SignForm(http.MethodPost, tl.srv.URL+"/lti2/register", params, oauth1.Credentials{Key: key, Secret: secret}, oauth1.SignOptions{Callback: "about:blank"})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for _, p := range signed {
		form.Add(p.Key, p.Value)
	}
	return form
}

// launchWith sends a launch signed with key and secret and returns the
// status of the answer.
func launchWith(t *testing.T, tl *tool, key, secret string) int {
	t.Helper()
	c := launch.Consumer{Credentials: oauth1.Credentials{Key: key, Secret: secret}}
	form, err := c.Build(context.Background(), &launch.Request{
		URL: tl.srv.URL + "/launch",
		Message: launch.Message{
			Version:      launch.LTI2,
			ResourceLink: launch.ResourceLink{ID: "link-1"},
			User:         launch.User{ID: "u1"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := postForm(t, tl.srv.URL+"/launch", form.Values())
	if resp.StatusCode == http.StatusOK {
		seen := <-tl.launched
		if seen.guid != key || seen.key != key {
			t.Errorf("the next handler saw registration %q and launch key %q, want %q", seen.guid, seen.key, key)
		}
	}
	return resp.StatusCode
}

// confirm sends method to the confirm URL, signed with secret when it is
// not empty.
func confirm(t *testing.T, confirmURL, method, secret string) int {
	t.Helper()
	req, err := http.NewRequest(method, confirmURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		if err := oauth1.SignRequest(req, nil, oauth1.Credentials{Key: testGUID, Secret: secret}, oauth1.SignOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// reregistered registers the tool, re-registers it and returns the secret
// before, the consumer's view of the pending secret and the confirm URL.
func reregistered(t *testing.T, split bool) (tc *fakeTC, tl *tool, old, proposed, confirmURL string) {
	t.Helper()
	tc = newFakeTC(t)
	if split {
		tc.offer(append(tc.capabilities, "OAuth.splitSecret")...)
	}
	tl = newTool(t, tc, func(c *Config) { c.SplitSecret = split })
	old = tl.register(t, tc).Secret

	resp, body := postForm(t, tl.srv.URL+"/lti2/register", reregistrationForm(t, tc, tl, testGUID, old))
	q := returned(t, tc, resp, body)
	if q.Get("status") != "success" || q.Get("tool_proxy_guid") != testGUID {
		t.Fatalf("re-registration: status %q guid %q: %s", q.Get("status"), q.Get("tool_proxy_guid"), q.Get("lti_errormsg"))
	}
	p := tc.lastPost(t)
	if p.key != testGUID {
		t.Errorf("re-registration POST signed with %q, want the GUID", p.key)
	}
	if string(p.proxy.ToolProxyGUID) != testGUID {
		t.Errorf("re-registration proxy has GUID %q, want the same GUID", p.proxy.ToolProxyGUID)
	}
	prefix := tl.srv.URL + "/lti2/confirm/" + testGUID + "/"
	if !strings.HasPrefix(p.confirmURL, prefix) || len(p.confirmURL) < len(prefix)+64 {
		t.Fatalf("VND-IMS-CONFIRM-URL %q is not %s{token}", p.confirmURL, prefix)
	}
	tc.mu.Lock()
	proposed = tc.pendingSecret
	tc.mu.Unlock()
	tp := tl.store.get(t, testGUID)
	if tp.Secret != old {
		t.Fatal("the re-registration replaced the secret before the confirmation")
	}
	if tp.Pending == nil || tp.Pending.Secret != proposed || tp.Pending.ConfirmURL != p.confirmURL {
		t.Fatalf("the proposal is not stored as the consumer holds it")
	}
	if proposed == old {
		t.Fatal("the re-registration kept the old secret")
	}
	return tc, tl, old, proposed, p.confirmURL
}

func TestReregisterConfirm(t *testing.T) {
	for _, split := range []bool{false, true} {
		name := "shared"
		if split {
			name = "split"
		}
		t.Run(name, func(t *testing.T) {
			_, tl, old, proposed, confirmURL := reregistered(t, split)
			if split && !strings.HasPrefix(proposed, strings.Repeat("1b", 64)) {
				t.Error("the proposed split secret does not start with the consumer's new half")
			}
			// Until confirmed, only the old secret launches.
			if got := launchWith(t, tl, testGUID, old); got != http.StatusOK {
				t.Errorf("launch with the current secret: %d", got)
			}
			if got := launchWith(t, tl, testGUID, proposed); got != http.StatusUnauthorized {
				t.Errorf("launch with the pending secret: %d, want 401", got)
			}
			// The consumer accepts, signing with the old secret.
			if got := confirm(t, confirmURL, http.MethodPut, old); got != http.StatusOK {
				t.Fatalf("confirm PUT: %d", got)
			}
			tp := tl.store.get(t, testGUID)
			if tp.Secret != proposed || tp.Pending != nil {
				t.Fatal("the confirmation did not switch to the new secret")
			}
			if got := launchWith(t, tl, testGUID, proposed); got != http.StatusOK {
				t.Errorf("launch with the new secret: %d", got)
			}
			if got := launchWith(t, tl, testGUID, old); got != http.StatusUnauthorized {
				t.Errorf("launch with the old secret after the switch: %d, want 401", got)
			}
			// The proposal is gone: a second PUT finds nothing.
			if got := confirm(t, confirmURL, http.MethodPut, proposed); got != http.StatusNotFound {
				t.Errorf("second PUT: %d, want 404", got)
			}
		})
	}
}

func TestReregisterConfirmCases(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		url        func(confirmURL string) string
		sign       string // "old", "new", "wrong", "" (unsigned)
		wantStatus int
		wantSecret string // "old" or "new"
		wantKept   bool   // the proposal is still pending
	}{
		{name: "DELETE dismisses", method: http.MethodDelete, sign: "old", wantStatus: 200, wantSecret: "old"},
		{name: "unsigned DELETE dismisses", method: http.MethodDelete, wantStatus: 200, wantSecret: "old"},
		{name: "unsigned PUT commits (Canvas)", method: http.MethodPut, wantStatus: 200, wantSecret: "new"},
		{name: "wrong token", method: http.MethodPut, sign: "old", url: func(u string) string { return u[:len(u)-4] + "beef" }, wantStatus: 404, wantSecret: "old", wantKept: true},
		{name: "wrong token, DELETE", method: http.MethodDelete, url: func(u string) string { return u[:len(u)-4] + "beef" }, wantStatus: 404, wantSecret: "old", wantKept: true},
		{name: "no token", method: http.MethodPut, url: func(u string) string { return u[:strings.LastIndexByte(u, '/')+1] }, wantStatus: 404, wantSecret: "old", wantKept: true},
		{name: "unknown GUID", method: http.MethodPut, url: func(u string) string { return strings.Replace(u, testGUID, "someone-else", 1) }, wantStatus: 404, wantSecret: "old", wantKept: true},
		{name: "signed with the new secret", method: http.MethodPut, sign: "new", wantStatus: 401, wantSecret: "old", wantKept: true},
		{name: "signed with a wrong secret", method: http.MethodPut, sign: "wrong", wantStatus: 401, wantSecret: "old", wantKept: true},
		{name: "GET", method: http.MethodGet, sign: "old", wantStatus: 405, wantSecret: "old", wantKept: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, tl, old, proposed, confirmURL := reregistered(t, false)
			target := confirmURL
			if tt.url != nil {
				target = tt.url(confirmURL)
			}
			secret := map[string]string{"old": old, "new": proposed, "wrong": "not-the-secret", "": ""}[tt.sign]
			if got := confirm(t, target, tt.method, secret); got != tt.wantStatus {
				t.Errorf("%s: %d, want %d", tt.method, got, tt.wantStatus)
			}
			tp := tl.store.get(t, testGUID)
			want := map[string]string{"old": old, "new": proposed}[tt.wantSecret]
			if tp.Secret != want {
				t.Errorf("secret is the %s one, want the %s one", map[bool]string{true: "old", false: "new"}[tp.Secret == old], tt.wantSecret)
			}
			if (tp.Pending != nil) != tt.wantKept {
				t.Errorf("proposal pending = %v, want %v", tp.Pending != nil, tt.wantKept)
			}
		})
	}
}

func TestReregisterRefused(t *testing.T) {
	tests := []struct {
		name       string
		form       func(tc *fakeTC, tl *tool, secret string) url.Values
		wantStatus int // answered by the tool itself; 0 means a failure redirect
		wantMsg    string
	}{
		{
			name: "wrong secret",
			form: func(tc *fakeTC, tl *tool, _ string) url.Values {
				return reregistrationForm(t, tc, tl, testGUID, "guess")
			},
			wantStatus: http.StatusUnauthorized,
		},
		{
			name:       "unknown GUID",
			form:       func(tc *fakeTC, tl *tool, s string) url.Values { return reregistrationForm(t, tc, tl, "nobody", s) },
			wantStatus: http.StatusUnauthorized,
		},
		{
			name: "unsigned",
			form: func(tc *fakeTC, tl *tool, s string) url.Values {
				f := reregistrationForm(t, tc, tl, testGUID, s)
				f.Del("oauth_signature")
				return f
			},
			wantStatus: http.StatusUnauthorized,
		},
		{
			name: "replayed",
			form: func(tc *fakeTC, tl *tool, s string) url.Values {
				f := reregistrationForm(t, tc, tl, testGUID, s)
				// Send it once (a success) and return it for the replay.
				resp, _ := postForm(t, tl.srv.URL+"/lti2/register", f)
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("first send: %d", resp.StatusCode)
				}
				return f
			},
			wantStatus: http.StatusUnauthorized,
		},
		{
			name: "consumer answers 400",
			form: func(tc *fakeTC, tl *tool, s string) url.Values {
				tc.mu.Lock()
				tc.postCode = http.StatusBadRequest
				tc.mu.Unlock()
				return reregistrationForm(t, tc, tl, testGUID, s)
			},
			wantMsg: "status 400",
		},
		{
			name: "consumer answers another GUID",
			form: func(tc *fakeTC, tl *tool, s string) url.Values {
				tc.mu.Lock()
				tc.answerGUID = "another-guid"
				tc.mu.Unlock()
				return reregistrationForm(t, tc, tl, testGUID, s)
			},
			wantMsg: "another tool_proxy_guid",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := newFakeTC(t)
			tl := newTool(t, tc, nil)
			old := tl.register(t, tc).Secret
			posts := tc.postCount()
			resp, body := postForm(t, tl.srv.URL+"/lti2/register", tt.form(tc, tl, old))
			tp := tl.store.get(t, testGUID)
			if tt.wantStatus != 0 {
				if resp.StatusCode != tt.wantStatus || resp.Header.Get("Location") != "" {
					t.Errorf("answer %d (Location %q), want %d", resp.StatusCode, resp.Header.Get("Location"), tt.wantStatus)
				}
				if tt.name != "replayed" && tc.postCount() != posts {
					t.Error("an unverified re-registration reached the consumer")
				}
				if tt.name != "replayed" && tp.Pending != nil {
					t.Error("an unverified re-registration left a proposal")
				}
			} else {
				q := returned(t, tc, resp, body)
				if q.Get("status") != "failure" || !strings.Contains(q.Get("lti_errormsg"), tt.wantMsg) {
					t.Errorf("status %q lti_errormsg %q, want failure naming %q", q.Get("status"), q.Get("lti_errormsg"), tt.wantMsg)
				}
				if tp.Pending != nil {
					t.Error("a failed re-registration left a proposal")
				}
			}
			if tp.Secret != old || tp.Status != store.StatusActive {
				t.Error("a refused re-registration changed the registration")
			}
		})
	}
}

func TestLaunch(t *testing.T) {
	tc := newFakeTC(t)
	tl := newTool(t, tc, nil)
	secret := tl.register(t, tc).Secret
	tests := []struct {
		name        string
		key, secret string
		want        int
	}{
		{"stored credentials", testGUID, secret, http.StatusOK},
		{"wrong secret", testGUID, "not-" + secret, http.StatusUnauthorized},
		{"unknown key", "nobody", secret, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := launchWith(t, tl, tt.key, tt.secret); got != tt.want {
				t.Errorf("launch answered %d, want %d", got, tt.want)
			}
		})
	}
	t.Run("disabled registration", func(t *testing.T) {
		if err := tl.store.SetToolProxyStatus(context.Background(), testGUID, store.StatusDisabled); err != nil {
			t.Fatal(err)
		}
		defer tl.store.SetToolProxyStatus(context.Background(), testGUID, store.StatusActive)
		if got := launchWith(t, tl, testGUID, secret); got != http.StatusUnauthorized {
			t.Errorf("launch of a disabled registration answered %d, want 401", got)
		}
	})
	t.Run("store failure", func(t *testing.T) {
		tl.store.mu.Lock()
		tl.store.failGet = true
		tl.store.mu.Unlock()
		defer func() { tl.store.mu.Lock(); tl.store.failGet = false; tl.store.mu.Unlock() }()
		if got := launchWith(t, tl, testGUID, secret); got != http.StatusInternalServerError {
			t.Errorf("launch with a failing store answered %d, want 500", got)
		}
	})
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestNoSecretsLogged runs registrations, failures, a re-registration and
// its confirmation with a debug logger, and looks for every secret in the
// log.
func TestNoSecretsLogged(t *testing.T) {
	var logs syncBuffer
	tc := newFakeTC(t)
	tc.offer(append(tc.capabilities, "OAuth.splitSecret")...)
	tl := newTool(t, tc, func(c *Config) {
		c.SplitSecret = true
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	// A failure first (wrong password), then the registration.
	bad := registrationForm(tc)
	bad.Set("reg_password", "wrong-password-9")
	postForm(t, tl.srv.URL+"/lti2/register", bad)
	tc.mu.Lock()
	tc.profileCode = http.StatusNotFound
	tc.mu.Unlock()
	postForm(t, tl.srv.URL+"/lti2/register", registrationForm(tc))
	tc.mu.Lock()
	tc.profileCode = 0
	tc.mu.Unlock()
	old := tl.register(t, tc).Secret
	resp, body := postForm(t, tl.srv.URL+"/lti2/register", reregistrationForm(t, tc, tl, testGUID, old))
	if q := returned(t, tc, resp, body); q.Get("status") != "success" {
		t.Fatal(q.Get("lti_errormsg"))
	}
	postForm(t, tl.srv.URL+"/lti2/register", reregistrationForm(t, tc, tl, testGUID, "forged"))
	confirmURL := tc.lastPost(t).confirmURL
	if got := confirm(t, confirmURL, http.MethodPut, "forged"); got != http.StatusUnauthorized {
		t.Fatalf("forged PUT: %d", got)
	}
	if got := confirm(t, confirmURL, http.MethodPut, old); got != http.StatusOK {
		t.Fatalf("PUT: %d", got)
	}
	newSecret := tl.store.get(t, testGUID).Secret
	token := confirmURL[strings.LastIndexByte(confirmURL, '/')+1:]
	log := logs.String()
	if !strings.Contains(log, "registered") || !strings.Contains(log, "confirmed") {
		t.Fatalf("the log misses the events:\n%s", log)
	}
	for name, secret := range map[string]string{
		"reg_password":       testRegPassword,
		"wrong reg_password": "wrong-password-9",
		"old TP half":        old[128:],
		"new TP half":        newSecret[128:],
		"correlation token":  token,
		"profile URL token":  "one-time-7",
	} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the %s", name)
		}
	}
}
