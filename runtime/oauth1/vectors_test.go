package oauth1

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
)

// fixed returns a clock stopped at unix seconds ts.
func fixed(ts int64) func() time.Time { return func() time.Time { return time.Unix(ts, 0) } }

// nonceOf returns a nonce generator that always gives n.
func nonceOf(n string) func() string { return func() string { return n } }

// TestVectorsOAuthCore checks V1 and V2 of LTI2-FACTS §7 (the OAuth Core
// 1.0 and RFC 5849 photo examples, which use a token): the base string
// builder and the signer, with the token secret.
func TestVectorsOAuthCore(t *testing.T) {
	oauth := func(ts, nonce string, version bool) []Param {
		ps := []Param{
			{"oauth_consumer_key", "dpf43f3p2l4k3l03"},
			{"oauth_token", "nnch734d00sl2jdk"},
			{"oauth_signature_method", "HMAC-SHA1"},
			{"oauth_timestamp", ts},
			{"oauth_nonce", nonce},
		}
		if version {
			ps = append(ps, Param{"oauth_version", "1.0"})
		}
		return ps
	}
	tests := []struct {
		name, url string
		params    []Param
		want      string
	}{
		{"V1 OAuth Core 1.0 App. A", "http://photos.example.net/photos",
			append([]Param{{"file", "vacation.jpg"}, {"size", "original"}}, oauth("1191242096", "kllo9940pd9333jh", true)...),
			"tR3+Ty81lMeYAr/Fid0kMTYa/WM="},
		{"V2 RFC 5849 §1.2", "http://photos.example.net/photos",
			append([]Param{{"file", "vacation.jpg"}, {"size", "original"}}, oauth("137131202", "chapoH", false)...),
			"MdpQcU8iPSUjWoN/UDMsK2sui9I="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sign(HMACSHA1, BaseString("GET", tc.url, tc.params), "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("signature %s, want %s", got, tc.want)
			}
		})
	}
}

// TestVectorRFC5849BaseString checks V3: the RFC's base-string example,
// through the verifier's own parameter collection (Authorization header
// with a realm, query with encoded values and an empty value, a form body
// with a bare key and "+"). The example carries a token, which the
// two-legged verifier refuses; the refusal still carries the base string.
func TestVectorRFC5849BaseString(t *testing.T) {
	r := httptest.NewRequest("POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", strings.NewReader("c2&a3=2+q"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Authorization", `OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`)
	v := &Verifier{Secrets: SecretMap{"9djdj82h48djs9d2": "j49sk3j29djd"}, Now: fixed(137131201)}
	_, err := v.Verify(context.Background(), r, []byte("c2&a3=2+q"))
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("Verify returned %v, want an *Error", err)
	}
	const want = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if e.BaseString != want {
		t.Errorf("base string\n got %s\nwant %s", e.BaseString, want)
	}
	if e.Cause != CauseMalformed || !strings.Contains(e.Detail, "oauth_token") {
		t.Errorf("error %v, want the token refused as malformed", e)
	}
}

// v4Params are the fields of the IMS LTI 1.1 example launch (V4).
var v4Params = []Param{
	{"resource_link_id", "120988f929-274612"},
	{"user_id", "292832126"},
	{"roles", "Instructor"},
	{"lis_person_name_full", "Jane Q. Public"},
	{"lis_person_contact_email_primary", "user@school.edu"},
	{"lis_person_sourced_id", "school.edu:user"},
	{"context_id", "456434513"},
	{"context_title", "Design of Personal Environments"},
	{"context_label", "SI182"},
	{"lti_version", "LTI-1p0"},
	{"lti_message_type", "basic-lti-launch-request"},
	{"tool_consumer_instance_guid", "lmsng.school.edu"},
	{"tool_consumer_instance_description", "University of School (LMSng)"},
	{"basiclti_submit", "Launch Endpoint with BasicLTI Data"},
}

// TestVectorIMSLaunch checks V4 with SignForm, without and with
// oauth_callback, and verifies the signed form.
func TestVectorIMSLaunch(t *testing.T) {
	for _, tc := range []struct{ callback, want string }{
		{"", "TPFPK4u3NwmtLt0nDMP1G1zG30U="},
		{"about:blank", "ygcxvTl4YWwq555U3+MBHKjskxc="},
	} {
		t.Run("callback="+tc.callback, func(t *testing.T) {
			const url = "http://dr-chuck.com/ims/php-simple/tool.php"
			got, err := SignForm("POST", url, v4Params, Credentials{"12345", "secret"},
				SignOptions{Now: fixed(1251600739), Nonce: nonceOf("c8350c0e47782d16d2fa48b2090c1d8f"), Callback: tc.callback})
			if err != nil {
				t.Fatal(err)
			}
			if sig := got[len(got)-1]; sig.Key != "oauth_signature" || sig.Value != tc.want {
				t.Errorf("last parameter %v, want oauth_signature=%s", sig, tc.want)
			}
			r := formRequest("POST", url, got)
			v := &Verifier{Secrets: SecretMap{"12345": "secret"}, Now: fixed(1251600739), Nonces: NewMemoryNonceStore(10, time.Hour)}
			res, err := v.Verify(context.Background(), r, []byte(EncodeForm(got)))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if res.ConsumerKey != "12345" || res.Get("context_label") != "SI182" || res.URL != url {
				t.Errorf("result %+v", res)
			}
		})
	}
}

// formRequest builds a form POST as a server receives it.
func formRequest(method, url string, params []Param) *http.Request {
	r := httptest.NewRequest(method, url, strings.NewReader(EncodeForm(params)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// TestVectorLtiLibraryFixture checks V5: the LtiLibrary launch form saved
// in ../shared, read at test time, with a "d'Artagnan" HTML entity and
// oauth_callback=about:blank. The form is verified as a browser posts it.
func TestVectorLtiLibraryFixture(t *testing.T) {
	page := string(sharedtest.Read(t, "spec/examples/testvector.launch-form.ltilibrary-fixture.key12345-secret-secret.html"))
	action := regexp.MustCompile(`action='([^']*)'`).FindStringSubmatch(page)
	if action == nil {
		t.Fatal("no form action in the fixture")
	}
	var params []Param
	for _, m := range regexp.MustCompile(`<input type='hidden' name='([^']*)' value='([^']*)' />`).FindAllStringSubmatch(page, -1) {
		params = append(params, Param{html.UnescapeString(m[1]), html.UnescapeString(m[2])})
	}
	if len(params) != 12 {
		t.Fatalf("%d fields in the fixture, want 12", len(params))
	}
	var sig string
	for _, p := range params {
		if p.Key == "oauth_signature" {
			sig = p.Value
		}
	}
	if sig != "k2Y0+/dW5ryPlpcok1qgxosUyD4=" {
		t.Fatalf("the fixture's signature is %q, not the one LTI2-FACTS §7 V5 records", sig)
	}
	r := formRequest("POST", action[1], params)
	v := &Verifier{Secrets: SecretMap{"12345": "secret"}, Now: fixed(1517630398)}
	res, err := v.Verify(context.Background(), r, []byte(EncodeForm(params)))
	if err != nil {
		t.Fatalf("Verify: %v\nbase string: %s", err, baseOf(err))
	}
	if got := res.Get("lis_person_name_full"); got != "d'Artagnan" {
		t.Errorf("lis_person_name_full = %q", got)
	}
}

// baseOf returns the base string of a verification error, for messages.
func baseOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.BaseString
	}
	return ""
}

// TestVectorBodyHash checks V7 (the ddo/oauth-1.0a LTI 2 registration
// POST, body read from ../shared) with SignRequest, header included, and
// verifies it; and V8's body hashes.
func TestVectorBodyHash(t *testing.T) {
	if got := BodyHash(HMACSHA1, []byte("Hello World!")); got != "Lve95gjOVATpfV8EL5X4nxwjKHE=" {
		t.Errorf("V8 body hash %s", got)
	}
	if got := BodyHash(HMACSHA1, nil); got != "2jmj7l5rSw0yVb/vlWAYkK/YBwk=" {
		t.Errorf("V8 empty body hash %s", got)
	}
	body := sharedtest.Read(t, "spec/examples/testvector.oauth-bodyhash.toolproxy-body.ddo-oauth-1.0a.compact.json")
	if len(body) != 1240 {
		t.Fatalf("the V7 body is %d bytes, want 1240", len(body))
	}
	const url = "http://canvas.docker/api/lti/accounts/1/tool_proxy"
	r, err := http.NewRequest("POST", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/vnd.ims.lti.v2.toolproxy+json")
	creds := Credentials{"1434affd-4d69-4a1a-bace-cc5c6fe493bc", "932a216f-fb94-43b6-a2d2-e9c6b345cbea"}
	if err := SignRequest(r, body, creds, SignOptions{Now: fixed(1484599369), Nonce: nonceOf("t62lMDp9DLwKZJJbZTpmSAhRINGBEOcF")}); err != nil {
		t.Fatal(err)
	}
	const want = `OAuth oauth_body_hash="xpJzRG6xylVIRRtiigLPKX7iRmM%3D", oauth_consumer_key="1434affd-4d69-4a1a-bace-cc5c6fe493bc", oauth_nonce="t62lMDp9DLwKZJJbZTpmSAhRINGBEOcF", oauth_signature="1Q0U8yhK1bWYguRxlUDs9KHywOE%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1484599369", oauth_version="1.0"`
	if got := r.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization\n got %s\nwant %s", got, want)
	}
	in := httptest.NewRequest("POST", url, nil)
	in.Header = r.Header.Clone()
	v := &Verifier{Secrets: SecretMap{creds.Key: creds.Secret}, Now: fixed(1484599369)}
	if _, err := v.Verify(context.Background(), in, body); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
