package oauth1

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	tKey    = "tool-proxy-guid-1"
	tSecret = "s3cr3t&with reserved/chars"
	tNow    = 1700000000
	tURL    = "https://Tool.Example.com:8443/lti/launch?course=7&dup=q1&dup=q2"
)

// launchParams is a realistic LTI launch's fields, with a duplicate key,
// UTF-8 and reserved characters.
func launchParams() []Param {
	return []Param{
		{"lti_message_type", "basic-lti-launch-request"},
		{"lti_version", "LTI-2p0"},
		{"resource_link_id", "rl-42"},
		{"user_id", "u-7"},
		{"roles", "Instructor"},
		{"roles", "urn:lti:role:ims/lis/Mentor"},
		{"lis_person_name_full", "Zoë Ångström 東京"},
		{"custom_expr", "a+b=c&d; e/f?g#h [i] ~j %k *l 'm' (n) !o @p $q ,r :s"},
		{"launch_presentation_return_url", "https://lms.example.com/return?x=1&y=2"},
		{"empty", ""},
	}
}

// spec is a request to verify; the tamper matrix changes one thing in it.
type spec struct {
	method, url, contentType string
	params                   []Param // form body
	header                   string  // Authorization
	body                     string  // overrides the encoded params when set
	remote                   string
	now                      int64
}

func (s spec) request() (*http.Request, []byte) {
	body := s.body
	if body == "" && s.params != nil {
		body = EncodeForm(s.params)
	}
	r := httptest.NewRequest(s.method, s.url, strings.NewReader(body))
	if s.contentType != "" {
		r.Header.Set("Content-Type", s.contentType)
	}
	if s.header != "" {
		r.Header.Set("Authorization", s.header)
	}
	if s.remote != "" {
		r.RemoteAddr = s.remote
	}
	return r, []byte(body)
}

func signedLaunch(t *testing.T) spec {
	t.Helper()
	ps, err := SignForm("POST", tURL, launchParams(), Credentials{tKey, tSecret},
		SignOptions{Now: fixed(tNow), Nonce: nonceOf("nonce-0001"), Callback: "about:blank"})
	if err != nil {
		t.Fatal(err)
	}
	return spec{method: "POST", url: tURL, contentType: "application/x-www-form-urlencoded", params: ps, now: tNow}
}

func testVerifier(now int64) *Verifier {
	return &Verifier{Secrets: SecretMap{tKey: tSecret, "other-key": "other"}, Now: fixed(now), Nonces: NewMemoryNonceStore(100, time.Hour)}
}

// setParam replaces the first value of key.
func setParam(ps []Param, key, value string) []Param {
	ps = slices.Clone(ps)
	for i := range ps {
		if ps[i].Key == key {
			ps[i].Value = value
			return ps
		}
	}
	panic("no parameter " + key)
}

func dropParam(ps []Param, key string) []Param {
	return slices.DeleteFunc(slices.Clone(ps), func(p Param) bool { return p.Key == key })
}

// TestTamperMatrix changes one thing in a signed launch at a time and
// checks the verdict and its cause. The first row is the untouched launch.
func TestTamperMatrix(t *testing.T) {
	type row struct {
		name   string
		change func(*spec)
		want   Cause // "" = valid
	}
	rows := []row{
		{"untouched", func(*spec) {}, ""},
		{"parameters reordered", func(s *spec) { slices.Reverse(s.params) }, ""},
		{"host in another case", func(s *spec) { s.url = strings.Replace(s.url, "Tool.Example.com", "tool.example.COM", 1) }, ""},
		{"query parameter moved into the body", func(s *spec) {
			s.url = strings.Replace(s.url, "course=7&", "", 1)
			s.params = append(slices.Clone(s.params), Param{"course", "7"})
		}, ""},
		{"timestamp at the window's far edge", func(s *spec) { s.now = tNow + 300 }, ""},
		{"timestamp at the window's near edge", func(s *spec) { s.now = tNow - 300 }, ""},

		{"host", func(s *spec) { s.url = strings.Replace(s.url, "Tool.Example.com", "evil.example.com", 1) }, CauseBadSignature},
		{"port", func(s *spec) { s.url = strings.Replace(s.url, ":8443", ":8444", 1) }, CauseBadSignature},
		{"port dropped", func(s *spec) { s.url = strings.Replace(s.url, ":8443", "", 1) }, CauseBadSignature},
		{"path", func(s *spec) { s.url = strings.Replace(s.url, "/lti/launch", "/lti/launch2", 1) }, CauseBadSignature},
		{"path case", func(s *spec) { s.url = strings.Replace(s.url, "/lti/launch", "/LTI/launch", 1) }, CauseBadSignature},
		{"path trailing slash", func(s *spec) { s.url = strings.Replace(s.url, "/lti/launch", "/lti/launch/", 1) }, CauseBadSignature},
		{"scheme", func(s *spec) { s.url = strings.Replace(s.url, "https:", "http:", 1) }, CauseBadSignature},
		{"query value", func(s *spec) { s.url = strings.Replace(s.url, "course=7", "course=8", 1) }, CauseBadSignature},
		{"query parameter removed", func(s *spec) { s.url = strings.Replace(s.url, "course=7&", "", 1) }, CauseBadSignature},
		{"query duplicate removed", func(s *spec) { s.url = strings.Replace(s.url, "&dup=q2", "", 1) }, CauseBadSignature},
		{"query duplicates swapped to the same values", func(s *spec) { s.url = strings.Replace(s.url, "dup=q1&dup=q2", "dup=q2&dup=q1", 1) }, ""},
		{"query parameter added", func(s *spec) { s.url += "&x=1" }, CauseBadSignature},
		{"method", func(s *spec) { s.method = "PUT" }, CauseBadSignature},
		{"body parameter added", func(s *spec) { s.params = append(slices.Clone(s.params), Param{"extra", "1"}) }, CauseBadSignature},
		{"body parameter duplicated", func(s *spec) { s.params = append(slices.Clone(s.params), Param{"user_id", "u-7"}) }, CauseBadSignature},
		{"body parameter removed", func(s *spec) { s.params = dropParam(s.params, "user_id") }, CauseBadSignature},
		{"body parameter renamed", func(s *spec) {
			s.params = slices.Clone(s.params)
			s.params[3].Key = "user_ID"
		}, CauseBadSignature},
		{"one of two duplicate values", func(s *spec) {
			s.params = slices.Clone(s.params)
			s.params[5].Value = "Learner"
		}, CauseBadSignature},
		{"body sent as another content type", func(s *spec) { s.contentType = "text/plain" }, CauseMissingParameter},
		{"timestamp moved one second", func(s *spec) { s.params = setParam(s.params, "oauth_timestamp", "1700000001") }, CauseBadSignature},
		{"timestamp too old", func(s *spec) { s.now = tNow + 301 }, CauseExpiredTimestamp},
		{"timestamp too far ahead", func(s *spec) { s.now = tNow - 301 }, CauseExpiredTimestamp},
		{"timestamp not a number", func(s *spec) { s.params = setParam(s.params, "oauth_timestamp", "17e8") }, CauseMalformed},
		{"nonce", func(s *spec) { s.params = setParam(s.params, "oauth_nonce", "nonce-0002") }, CauseBadSignature},
		{"nonce twice", func(s *spec) { s.params = append(slices.Clone(s.params), Param{"oauth_nonce", "nonce-0001"}) }, CauseMalformed},
		{"signature", func(s *spec) {
			s.params = setParam(s.params, "oauth_signature", "AAAA"+s.params[len(s.params)-1].Value[4:])
		}, CauseBadSignature},
		{"signature twice", func(s *spec) { s.params = append(slices.Clone(s.params), s.params[len(s.params)-1]) }, CauseMalformed},
		{"callback", func(s *spec) { s.params = setParam(s.params, "oauth_callback", "about:blank2") }, CauseBadSignature},
		{"consumer key (known, other secret)", func(s *spec) { s.params = setParam(s.params, "oauth_consumer_key", "other-key") }, CauseBadSignature},
		{"consumer key (unknown)", func(s *spec) { s.params = setParam(s.params, "oauth_consumer_key", "nobody") }, CauseUnknownKey},
		{"signature method HMAC-SHA256", func(s *spec) { s.params = setParam(s.params, "oauth_signature_method", "HMAC-SHA256") }, CauseBadSignature},
		{"signature method PLAINTEXT", func(s *spec) { s.params = setParam(s.params, "oauth_signature_method", "PLAINTEXT") }, CauseUnsupportedMethod},
		{"signature method RSA-SHA1", func(s *spec) { s.params = setParam(s.params, "oauth_signature_method", "RSA-SHA1") }, CauseUnsupportedMethod},
		{"version", func(s *spec) { s.params = setParam(s.params, "oauth_version", "2.0") }, CauseMalformed},
		{"token added", func(s *spec) { s.params = append(slices.Clone(s.params), Param{"oauth_token", "t"}) }, CauseMalformed},
		{"body hash added to a form", func(s *spec) {
			s.params = append(slices.Clone(s.params), Param{"oauth_body_hash", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="})
		}, CauseBodyHashMismatch},
		{"malformed escape in the body", func(s *spec) { s.body = EncodeForm(s.params) + "&x=%G1" }, CauseMalformed},
		{"malformed escape in the query", func(s *spec) { s.url += "&x=%" }, CauseMalformed},
	}
	for _, k := range []string{"oauth_consumer_key", "oauth_signature_method", "oauth_signature", "oauth_timestamp", "oauth_nonce"} {
		rows = append(rows, row{"without " + k, func(s *spec) { s.params = dropParam(s.params, k) }, CauseMissingParameter})
	}
	// Every signed field, one at a time.
	for _, p := range launchParams() {
		rows = append(rows, row{"field " + p.Key + "=" + p.Value, func(s *spec) {
			s.params = slices.Clone(s.params)
			for i := range s.params {
				if s.params[i] == p {
					s.params[i].Value += "x"
					break
				}
			}
		}, CauseBadSignature})
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			s := signedLaunch(t)
			tc.change(&s)
			r, body := s.request()
			res, err := testVerifier(s.now).Verify(context.Background(), r, body)
			if got := CauseOf(err); got != tc.want {
				t.Fatalf("cause %q (%v), want %q\nbase string: %s", got, err, tc.want, baseOf(err))
			}
			if err != nil && CauseOf(err) == "" {
				t.Fatalf("not an *Error: %v", err)
			}
			if tc.want == "" && res.Get("lis_person_name_full") != "Zoë Ångström 東京" {
				t.Errorf("parameters not decoded: %+v", res.Params)
			}
		})
	}
}

// TestTamperRequestBody signs a JSON service request with a body hash and
// changes its body, hash, method and URL.
func TestTamperRequestBody(t *testing.T) {
	const url = "https://lms.example.com/api/lti/result/9?rlid=3"
	body := `{"@type":"Result","resultScore":0.8}`
	for _, m := range []SignatureMethod{HMACSHA1, HMACSHA256} {
		sign := func() spec {
			r, _ := http.NewRequest("PUT", url, nil)
			r.Header.Set("Content-Type", "application/vnd.ims.lis.v2.result+json")
			if err := SignRequest(r, []byte(body), Credentials{tKey, tSecret}, SignOptions{Method: m, Now: fixed(tNow), Nonce: nonceOf("n1")}); err != nil {
				t.Fatal(err)
			}
			return spec{method: "PUT", url: url, contentType: r.Header.Get("Content-Type"), header: r.Header.Get("Authorization"), body: body, now: tNow}
		}
		rows := []struct {
			name   string
			change func(*spec)
			want   Cause
		}{
			{"untouched", func(*spec) {}, ""},
			{"body", func(s *spec) { s.body = strings.Replace(s.body, "0.8", "0.9", 1) }, CauseBodyHashMismatch},
			{"body with a trailing newline", func(s *spec) { s.body += "\n" }, CauseBodyHashMismatch},
			{"body hash removed", func(s *spec) {
				ps, _ := ParseAuthorization(s.header)
				s.header = AuthorizationHeader(dropParam(ps, "oauth_body_hash"))
			}, CauseMissingParameter},
			{"body hash replaced to match a new body", func(s *spec) {
				s.body = `{"@type":"Result","resultScore":1}`
				ps, _ := ParseAuthorization(s.header)
				s.header = AuthorizationHeader(setParam(ps, "oauth_body_hash", BodyHash(m, []byte(s.body))))
			}, CauseBadSignature},
			{"method", func(s *spec) { s.method = "POST" }, CauseBadSignature},
			{"query", func(s *spec) { s.url = strings.Replace(s.url, "rlid=3", "rlid=4", 1) }, CauseBadSignature},
			{"header with a realm", func(s *spec) { s.header = strings.Replace(s.header, "OAuth ", `OAuth realm="x", `, 1) }, ""},
			{"header scheme in lower case", func(s *spec) { s.header = "oauth" + s.header[5:] }, ""},
			{"header unterminated", func(s *spec) { s.header = s.header[:len(s.header)-1] }, CauseMalformed},
		}
		for _, tc := range rows {
			t.Run(string(m)+"/"+tc.name, func(t *testing.T) {
				s := sign()
				tc.change(&s)
				r, b := s.request()
				_, err := testVerifier(s.now).Verify(context.Background(), r, b)
				if got := CauseOf(err); got != tc.want {
					t.Fatalf("cause %q (%v), want %q", got, err, tc.want)
				}
			})
		}
	}
}

// TestNonceReplay verifies the same launch twice, and the same nonce
// from another consumer.
func TestNonceReplay(t *testing.T) {
	s := signedLaunch(t)
	v := testVerifier(tNow)
	for i, want := range []Cause{"", CauseReplayedNonce, CauseReplayedNonce} {
		r, b := s.request()
		_, err := v.Verify(context.Background(), r, b)
		if got := CauseOf(err); got != want {
			t.Fatalf("attempt %d: cause %q (%v), want %q", i+1, got, err, want)
		}
	}
	// The same nonce from another consumer is not a replay.
	ps, err := SignForm("POST", tURL, launchParams(), Credentials{"other-key", "other"}, SignOptions{Now: fixed(tNow), Nonce: nonceOf("nonce-0001")})
	if err != nil {
		t.Fatal(err)
	}
	r, b := spec{method: "POST", url: tURL, contentType: "application/x-www-form-urlencoded", params: ps}.request()
	if _, err := v.Verify(context.Background(), r, b); err != nil {
		t.Errorf("another consumer's nonce: %v", err)
	}
}

// TestMemoryNonceStore checks expiry, the bound and per-consumer keys.
func TestMemoryNonceStore(t *testing.T) {
	now := time.Unix(tNow, 0)
	s := NewMemoryNonceStore(2, time.Minute)
	s.Now = func() time.Time { return now }
	ctx := context.Background()
	seen := func(key, nonce string, ts time.Time) (bool, error) { return s.Seen(ctx, key, nonce, ts) }
	steps := []struct {
		advance    time.Duration
		key, nonce string
		ts         time.Duration // relative to now
		want       bool
		err        error
	}{
		{0, "a", "n1", 0, false, nil},
		{0, "a", "n1", 0, true, nil},
		{0, "b", "n1", 0, false, nil},
		{0, "a", "n2", 0, false, ErrNonceStoreFull},
		{59 * time.Second, "a", "n1", 0, true, nil},
		{2 * time.Second, "a", "n1", 2 * time.Minute, false, nil}, // expired; recorded again, until ts+ttl
		{2 * time.Minute, "a", "n1", 0, true, nil},                // still held: its ts was in the future
		{2 * time.Minute, "a", "n1", 0, false, nil},
	}
	for i, st := range steps {
		now = now.Add(st.advance)
		got, err := seen(st.key, st.nonce, now.Add(st.ts))
		if got != st.want || !errors.Is(err, st.err) {
			t.Fatalf("step %d: Seen = %v, %v; want %v, %v", i, got, err, st.want, st.err)
		}
	}
	if s.Len() > 2 {
		t.Errorf("the store holds %d nonces, more than its maximum", s.Len())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Seen(cctx, "a", "z", now); err == nil {
		t.Error("Seen ignored a cancelled context")
	}
}

// TestProxies checks URL reconstruction behind reverse proxies: the
// launch is signed for the public URL; the app sees an internal one.
func TestProxies(t *testing.T) {
	const public = "https://lti.example.edu/tool/launch?ctx=1"
	ps, err := SignForm("POST", public, launchParams(), Credentials{tKey, tSecret}, SignOptions{Now: fixed(tNow), Nonce: nonceOf("n")})
	if err != nil {
		t.Fatal(err)
	}
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("fd00::/8")}
	rows := []struct {
		name, remote, host string
		header             map[string]string
		proxies            []netip.Prefix
		want               Cause
	}{
		{"direct, no proxy headers", "198.51.100.7:5000", "app.internal:8080", nil, trusted, CauseBadSignature},
		{"trusted, X-Forwarded-Proto + Host", "10.0.0.2:40000", "lti.example.edu", map[string]string{"X-Forwarded-Proto": "https"}, trusted, ""},
		{"untrusted peer, X-Forwarded-Proto + Host", "198.51.100.7:5000", "lti.example.edu", map[string]string{"X-Forwarded-Proto": "https"}, trusted, CauseBadSignature},
		{"no TrustedProxies", "10.0.0.2:40000", "lti.example.edu", map[string]string{"X-Forwarded-Proto": "https"}, nil, CauseBadSignature},
		{"trusted, X-Forwarded-Host/Proto/Port", "10.0.0.2:40000", "app.internal:8080", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "lti.example.edu", "X-Forwarded-Port": "443"}, trusted, ""},
		{"trusted, X-Forwarded-Port wrong", "10.0.0.2:40000", "app.internal:8080", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "lti.example.edu", "X-Forwarded-Port": "8443"}, trusted, CauseBadSignature},
		{"trusted, appended X-Forwarded-Proto: last wins", "10.0.0.2:40000", "lti.example.edu", map[string]string{"X-Forwarded-Proto": "http, https"}, trusted, ""},
		{"trusted, bad X-Forwarded-Proto", "10.0.0.2:40000", "lti.example.edu", map[string]string{"X-Forwarded-Proto": "gopher"}, trusted, CauseMalformed},
		{"trusted IPv6 peer, Forwarded", "[fd00::5]:40000", "app.internal:8080", map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host=lti.example.edu`}, trusted, ""},
		{"trusted IPv4-mapped peer, Forwarded", "[::ffff:10.0.0.2]:40000", "app.internal:8080", map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host=lti.example.edu`}, trusted, ""},
		{"untrusted peer, Forwarded", "198.51.100.7:5000", "app.internal:8080", map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host=lti.example.edu`}, trusted, CauseBadSignature},
		{"Forwarded wins over X-Forwarded-*", "10.0.0.2:40000", "app.internal:8080", map[string]string{"Forwarded": `proto=https;host="lti.example.edu"`, "X-Forwarded-Host": "evil.example"}, trusted, ""},
		{"Forwarded, client-forged element ignored", "10.0.0.2:40000", "app.internal:8080", map[string]string{"Forwarded": `for=6.6.6.6;proto=https;host=evil.example, for=192.0.2.60;proto=https;host=lti.example.edu`}, trusted, ""},
		{"Forwarded, chain of trusted proxies", "10.0.0.2:40000", "app.internal:8080", map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host=lti.example.edu, for=10.0.0.9;proto=http;host=app.internal:8080`}, trusted, ""},
		{"Forwarded, forged host at the edge", "10.0.0.2:40000", "app.internal:8080", map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host=evil.example`}, trusted, CauseBadSignature},
		{"Forwarded, quoted host with port", "10.0.0.2:40000", "app.internal:8080", map[string]string{"Forwarded": `for="[2001:db8::1]:4711";proto=https;host="lti.example.edu:443"`}, trusted, ""},
		{"Forwarded malformed", "10.0.0.2:40000", "app.internal:8080", map[string]string{"Forwarded": `for`}, trusted, CauseMalformed},
		{"Forwarded bad host", "10.0.0.2:40000", "app.internal:8080", map[string]string{"Forwarded": `host="a/b"`}, trusted, CauseMalformed},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			r := formRequest("POST", "http://app.internal:8080/tool/launch?ctx=1", ps)
			r.Host = tc.host
			r.RemoteAddr = tc.remote
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			v := testVerifier(tNow)
			v.TrustedProxies = tc.proxies
			res, err := v.Verify(context.Background(), r, []byte(EncodeForm(ps)))
			if got := CauseOf(err); got != tc.want {
				t.Fatalf("cause %q (%v), want %q\nbase string: %s", got, err, tc.want, baseOf(err))
			}
			if err == nil && res.URL != "https://lti.example.edu/tool/launch" {
				t.Errorf("URL %s", res.URL)
			}
		})
	}
}

// TestVerifyAt checks the URL override and VerifyAt's use of the
// request's own query.
func TestVerifyAt(t *testing.T) {
	s := signedLaunch(t)
	r, b := s.request()
	r.Host = "internal:1"
	if _, err := testVerifier(tNow).VerifyAt(context.Background(), r, b, "https://tool.example.com:8443/lti/launch?ignored=1"); err != nil {
		t.Errorf("VerifyAt: %v", err)
	}
}

// TestMethods checks the accepted-methods list: HMAC-SHA256 by default,
// PLAINTEXT only when listed.
func TestMethods(t *testing.T) {
	for _, tc := range []struct {
		m       SignatureMethod
		methods []SignatureMethod
		want    Cause
	}{
		{HMACSHA256, nil, ""},
		{PlainText, nil, CauseUnsupportedMethod},
		{PlainText, []SignatureMethod{PlainText}, ""},
		{HMACSHA1, []SignatureMethod{HMACSHA256}, CauseUnsupportedMethod},
	} {
		ps, err := SignForm("POST", tURL, launchParams(), Credentials{tKey, tSecret}, SignOptions{Method: tc.m, Now: fixed(tNow)})
		if err != nil {
			t.Fatal(err)
		}
		r, b := spec{method: "POST", url: tURL, contentType: "application/x-www-form-urlencoded", params: ps}.request()
		v := testVerifier(tNow)
		v.Methods = tc.methods
		_, err = v.Verify(context.Background(), r, b)
		if got := CauseOf(err); got != tc.want {
			t.Errorf("%s with %v: cause %q (%v), want %q", tc.m, tc.methods, got, err, tc.want)
		}
	}
}

// TestErrorsKeepSecrets checks that no error text holds the secret, the
// expected signature or the base string.
func TestErrorsKeepSecrets(t *testing.T) {
	s := signedLaunch(t)
	s.params = setParam(s.params, "user_id", "tampered")
	r, b := s.request()
	_, err := testVerifier(tNow).Verify(context.Background(), r, b)
	e, ok := err.(*Error)
	if !ok || e.BaseString == "" {
		t.Fatalf("err = %v", err)
	}
	sig, _ := Sign(HMACSHA1, e.BaseString, tSecret, "")
	for _, bad := range []string{tSecret, Encode(tSecret), sig, e.BaseString} {
		if strings.Contains(err.Error(), bad) {
			t.Errorf("the error text %q holds %q", err, bad)
		}
	}
}

// storeErr is a store that fails.
type storeErr struct{}

func (storeErr) Secret(context.Context, string) (string, error) { return "", errors.New("db down") }

func TestStoreFailureIsNotACause(t *testing.T) {
	s := signedLaunch(t)
	r, b := s.request()
	v := &Verifier{Secrets: storeErr{}, Now: fixed(tNow)}
	_, err := v.Verify(context.Background(), r, b)
	if err == nil || CauseOf(err) != "" || !strings.Contains(err.Error(), "db down") {
		t.Errorf("err = %v", err)
	}
}

func TestBodyLimit(t *testing.T) {
	s := signedLaunch(t)
	r, b := s.request()
	v := testVerifier(tNow)
	v.MaxBody = 100
	if _, err := v.Verify(context.Background(), r, b); CauseOf(err) != CauseMalformed {
		t.Errorf("err = %v", err)
	}
}

// TestMemoryNonceStoreConcurrent sends one nonce from many goroutines:
// exactly one sees it first.
func TestMemoryNonceStoreConcurrent(t *testing.T) {
	s := NewMemoryNonceStore(0, 0)
	const n = 64
	firsts := make(chan bool, n)
	for i := 0; i < n; i++ {
		go func() {
			seen, err := s.Seen(context.Background(), "k", "same", time.Now())
			firsts <- err == nil && !seen
		}()
	}
	count := 0
	for i := 0; i < n; i++ {
		if <-firsts {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d goroutines saw the nonce first, want 1", count)
	}
}
