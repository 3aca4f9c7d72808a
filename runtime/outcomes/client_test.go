package outcomes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// TestClientAgainstHandler runs the Tool Provider client against the Tool
// Consumer handler: replace, read, delete and their failures.
func TestClientAgainstHandler(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := &Client{Credentials: testCreds, HTTP: f.srv.Client()}

	// Nothing stored yet: read reports no score.
	if score, lang, ok, err := c.Read(ctx, f.url, "sid-1"); err != nil || ok || score != 0 || lang != "en" {
		t.Fatalf("Read before Replace = %v, %q, %v, %v; want 0, en, false, nil", score, lang, ok, err)
	}
	for _, tc := range []struct {
		score float64
		lang  string
	}{{0.92, "en"}, {0, "de"}, {1, "en-US"}, {1.0 / 3, "fr-CA"}, {0.5, ""}} {
		if err := c.Replace(ctx, f.url, "sid-1", tc.score, tc.lang); err != nil {
			t.Fatalf("Replace(%v, %q): %v", tc.score, tc.lang, err)
		}
		wantLang := tc.lang
		if wantLang == "" {
			wantLang = DefaultLanguage
		}
		if s, l, ok, err := f.store.Read(ctx, "sid-1"); err != nil || !ok || s != tc.score || l != wantLang {
			t.Errorf("stored after Replace(%v, %q) = %v, %q, %v, %v", tc.score, tc.lang, s, l, ok, err)
		}
		score, lang, ok, err := c.Read(ctx, f.url, "sid-1")
		if err != nil || !ok || score != tc.score || lang != wantLang {
			t.Errorf("Read after Replace(%v, %q) = %v, %q, %v, %v", tc.score, tc.lang, score, lang, ok, err)
		}
	}
	if err := c.Delete(ctx, f.url, "sid-1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if f.store.Len() != 0 {
		t.Errorf("store holds %d results after Delete, want 0", f.store.Len())
	}
	if _, _, ok, err := c.Read(ctx, f.url, "sid-1"); err != nil || ok {
		t.Errorf("Read after Delete: ok %v, err %v; want false, nil", ok, err)
	}

	// Refused by the consumer: a *StatusError with the reply's status.
	err := c.Replace(ctx, f.url, "sid-nobody", 0.5, "en")
	var se *StatusError
	if !errors.As(err, &se) || se.CodeMajor != CodeFailure || se.Severity != SeverityError ||
		se.HTTPStatus != 200 || se.Operation != OpReplaceResult || !strings.Contains(se.Description, "unknown sourcedId") || se.MessageRef == "" {
		t.Errorf("Replace of an unknown sourcedId: %#v (%v)", se, err)
	}

	// Wrong secret: 401, still a *StatusError.
	bad := &Client{Credentials: oauth1.Credentials{Key: testCreds.Key, Secret: "wrong"}, HTTP: f.srv.Client()}
	err = bad.Delete(ctx, f.url, "sid-1")
	if !errors.As(err, &se) || se.HTTPStatus != http.StatusUnauthorized || se.CodeMajor != CodeFailure || !strings.Contains(se.Description, "bad signature") {
		t.Errorf("Delete with a wrong secret: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), testCreds.Secret) {
		t.Errorf("error leaks the secret: %v", err)
	}

	// Refused before sending.
	for _, tc := range []struct {
		score float64
		lang  string
		sid   string
	}{{1.01, "en", "sid-1"}, {-0.5, "en", "sid-1"}, {math.NaN(), "en", "sid-1"}, {math.Inf(1), "en", "sid-1"}, {0.5, "en us", "sid-1"}, {0.5, "en", "  "}} {
		if err := c.Replace(ctx, f.url, tc.sid, tc.score, tc.lang); err == nil || errors.As(err, &se) {
			t.Errorf("Replace(%q, %v, %q) = %v, want a local error", tc.sid, tc.score, tc.lang, err)
		}
	}
}

// TestClientRepliesFromOtherConsumers checks the client against replies a
// consumer could send: garbage, another request's reply, oversized, and
// the codes other than success.
func TestClientRepliesFromOtherConsumers(t *testing.T) {
	envelope := func(code, sev, msgRef, body string) string {
		return `<?xml version="1.0"?><imsx_POXEnvelopeResponse xmlns="` + Namespace + `"><imsx_POXHeader><imsx_POXResponseHeaderInfo>` +
			`<imsx_version>V1.0</imsx_version><imsx_messageIdentifier>r</imsx_messageIdentifier><imsx_statusInfo>` +
			`<imsx_codeMajor>` + code + `</imsx_codeMajor><imsx_severity>` + sev + `</imsx_severity><imsx_description>d</imsx_description>` +
			`<imsx_messageRefIdentifier>` + msgRef + `</imsx_messageRefIdentifier><imsx_operationRefIdentifier>readResult</imsx_operationRefIdentifier>` +
			`</imsx_statusInfo></imsx_POXResponseHeaderInfo></imsx_POXHeader><imsx_POXBody>` + body + `</imsx_POXBody></imsx_POXEnvelopeResponse>`
	}
	readBody := func(score string) string {
		return `<readResultResponse><result><resultScore><language>en</language><textString>` + score + `</textString></resultScore></result></readResultResponse>`
	}
	tests := []struct {
		name   string
		status int
		reply  string // %s is replaced by the request's message id
		code   CodeMajor
		errSub string
	}{
		{"not XML", 200, "<html>oops</html>", "", "not a POX response"},
		{"HTML error page", 502, "Bad Gateway", "", "HTTP 502"},
		{"other message", 200, envelope("success", "status", "someone-else", readBody("0.5")), "", "answers message"},
		{"unsupported", 200, envelope("unsupported", "status", "%s", ""), CodeUnsupported, "unsupported"},
		{"processing", 200, envelope("processing", "status", "%s", ""), CodeProcessing, "processing"},
		{"success with HTTP 500", 500, envelope("success", "status", "%s", readBody("0.5")), CodeSuccess, "HTTP 500"},
		{"score out of range", 200, envelope("success", "status", "%s", readBody("7")), "", "outside"},
		{"no result", 200, envelope("success", "status", "%s", ""), "", "no result"},
		{"oversized", 200, envelope("success", "status", "%s", readBody("0.5")) + "<!--" + strings.Repeat("x", DefaultMaxBody) + "-->", "", "larger than"},
		{"DOCTYPE", 200, `<!DOCTYPE x [<!ENTITY a "b">]>` + envelope("success", "status", "%s", readBody("0.5")), "", "DOCTYPE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
				parsed, err := ParsePOX(data)
				id := ""
				if err == nil {
					id = parsed.MessageID
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, strings.ReplaceAll(tc.reply, "%s", id))
			}))
			defer srv.Close()
			c := &Client{Credentials: testCreds, HTTP: srv.Client()}
			_, _, _, err := c.Read(context.Background(), srv.URL, "sid-1")
			if err == nil || !strings.Contains(err.Error(), tc.errSub) {
				t.Fatalf("Read = %v, want an error containing %q", err, tc.errSub)
			}
			var se *StatusError
			if got := errors.As(err, &se); got != (tc.code != "") {
				t.Fatalf("Read error %v: *StatusError %v, want %v", err, got, tc.code != "")
			}
			if se != nil && se.CodeMajor != tc.code {
				t.Errorf("CodeMajor = %q, want %q", se.CodeMajor, tc.code)
			}
		})
	}
}

// TestClientMessageIDsAreUnique checks that each request gets a new
// imsx_messageIdentifier.
func TestClientMessageIDsAreUnique(t *testing.T) {
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		req, err := ParsePOX(data)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if seen[req.MessageID] {
			t.Errorf("message identifier %q reused", req.MessageID)
		}
		seen[req.MessageID] = true
		resp, _ := encodeResponse(&response{MessageID: "x", Status: statusInfo{CodeMajor: CodeSuccess, Severity: SeverityStatus, MessageRef: req.MessageID, OperationRef: req.Operation}})
		w.Write(resp)
	}))
	defer srv.Close()
	c := &Client{Credentials: testCreds, HTTP: srv.Client()}
	for i := 0; i < 20; i++ {
		if err := c.Delete(context.Background(), srv.URL, "sid"); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 20 {
		t.Errorf("%d distinct identifiers for 20 requests", len(seen))
	}
}
