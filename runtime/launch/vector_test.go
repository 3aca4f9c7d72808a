package launch

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// The LtiLibrary launch form of LTI2-FACTS §7 (V5). Its file name says the
// credentials: consumer key 12345, secret "secret".
const vectorFile = "spec/examples/testvector.launch-form.ltilibrary-fixture.key12345-secret-secret.html"

// vectorRequest reads the known-answer form and returns it as the POST a
// browser would send, with the time it was signed.
func vectorRequest(t *testing.T, mutate func([]Param)) (*http.Request, time.Time) {
	t.Helper()
	page := sharedtest.Read(t, vectorFile)
	page = bytes.TrimPrefix(page, []byte("\xef\xbb\xbf"))
	f := parseForm(t, page)
	if f.action != "http://localhost/toolconsumer/launch" {
		t.Fatalf("form action = %q", f.action)
	}
	if mutate != nil {
		mutate(f.params)
	}
	if ts, _ := lookup(f.params, "oauth_timestamp"); ts != "1517630398" {
		t.Fatalf("unexpected oauth_timestamp %q", ts)
	}
	r := httptest.NewRequest(http.MethodPost, f.action, strings.NewReader(oauth1.EncodeForm(f.params)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r, time.Unix(1517630398, 0)
}

func vectorProvider(now time.Time) *Provider {
	return &Provider{Verifier: &oauth1.Verifier{
		Secrets: oauth1.SecretMap{"12345": "secret"},
		Nonces:  oauth1.NewMemoryNonceStore(100, time.Hour),
		Now:     func() time.Time { return now },
	}}
}

func TestKnownAnswerLaunchForm(t *testing.T) {
	r, now := vectorRequest(t, nil)
	p := vectorProvider(now)
	l, err := p.Verify(context.Background(), r)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	checks := []struct{ name, got, want string }{
		{"ConsumerKey", l.ConsumerKey, "12345"},
		{"Version", string(l.Version), string(LTI1)},
		{"ResourceLink.ID", l.ResourceLink.ID, "link"},
		{"User.FullName", l.User.FullName, "d'Artagnan"},
		{"Presentation.Locale", l.Presentation.Locale, "en-US"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if v, _ := l.Param("oauth_callback"); v != "about:blank" {
		t.Errorf("oauth_callback = %q, want about:blank", v)
	}

	// The same form again is a replay.
	r2, _ := vectorRequest(t, nil)
	_, err = p.Verify(context.Background(), r2)
	assertVerifyCause(t, err, oauth1.CauseReplayedNonce)
}

func TestKnownAnswerLaunchFormTampered(t *testing.T) {
	r, now := vectorRequest(t, func(ps []Param) {
		for i := range ps {
			if ps[i].Key == ParamPersonNameFull {
				ps[i].Value = "Aramis"
			}
		}
	})
	_, err := vectorProvider(now).Verify(context.Background(), r)
	assertVerifyCause(t, err, oauth1.CauseBadSignature)

	// Signed long ago: the timestamp is outside the window today.
	r, _ = vectorRequest(t, nil)
	_, err = vectorProvider(time.Now()).Verify(context.Background(), r)
	assertVerifyCause(t, err, oauth1.CauseExpiredTimestamp)
}

// assertVerifyCause checks that err is a KindVerify *Error wrapping the
// oauth1 cause, naming it in its message, without the base string.
func assertVerifyCause(t *testing.T, err error, cause oauth1.Cause) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindVerify {
		t.Fatalf("error = %v, want a KindVerify *Error", err)
	}
	if got := oauth1.CauseOf(err); got != cause {
		t.Errorf("cause = %q, want %q", got, cause)
	}
	msg := err.Error()
	if !strings.Contains(msg, string(cause)) {
		t.Errorf("message %q does not name the cause %q", msg, cause)
	}
	var oe *oauth1.Error
	if errors.As(err, &oe) && oe.BaseString != "" && strings.Contains(msg, oe.BaseString) {
		t.Errorf("message %q holds the base string", msg)
	}
	if strings.Contains(msg, "POST&") || strings.Contains(msg, "secret") {
		t.Errorf("message %q looks like it holds a base string or secret", msg)
	}
	if e.ReturnURL != "" {
		t.Errorf("an unverified launch offers the return URL %q", e.ReturnURL)
	}
	if _, ok := e.RedirectURL(); ok {
		t.Error("an unverified launch may redirect")
	}
	if e.HTTPStatus() != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", e.HTTPStatus())
	}
}
