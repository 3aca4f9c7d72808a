package outcomes

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// stored is a result expected in the store after a request.
type stored struct {
	score    float64
	language string
}

func TestHandler(t *testing.T) {
	billionLaughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">&lol2;</imsx_POXEnvelopeRequest>`
	external := `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + strings.TrimPrefix(string(pox("m-xxe", readXML("&xxe;"))), `<?xml version="1.0" encoding="UTF-8"?>`)

	tests := []struct {
		name     string
		seed     map[string]stored // results in the store beforehand
		body     []byte
		creds    *oauth1.Credentials // nil: testCreds
		tweak    func(*http.Request)
		wantHTTP int
		code     CodeMajor
		sev      Severity
		desc     string // a substring of imsx_description
		opRef    string
		msgRef   string
		score    *string            // readResult textString; nil: not checked
		lang     string             // readResult language, when score is checked
		after    map[string]*stored // store contents afterwards (nil value: absent)
	}{
		{
			name: "replace", body: pox("m-1", replaceXML("sid-1", "0.92", "en")),
			wantHTTP: 200, code: CodeSuccess, sev: SeverityStatus, opRef: OpReplaceResult, msgRef: "m-1",
			after: map[string]*stored{"sid-1": {0.92, "en"}},
		},
		{
			name: "replace overwrites", seed: map[string]stored{"sid-1": {0.1, "en"}},
			body:     pox("m-2", replaceXML("sid-1", "1", "en-US")),
			wantHTTP: 200, code: CodeSuccess, sev: SeverityStatus, opRef: OpReplaceResult, msgRef: "m-2",
			after: map[string]*stored{"sid-1": {1, "en-US"}},
		},
		{
			name: "replace zero and white space", body: pox("m-3", replaceXML(" sid-2\n", " 0.0 ", "de-CH")),
			wantHTTP: 200, code: CodeSuccess, sev: SeverityStatus, opRef: OpReplaceResult, msgRef: "m-3",
			after: map[string]*stored{"sid-2": {0, "de-CH"}},
		},
		{
			name: "replace leading point", body: pox("m-4", replaceXML("sid-2", ".5", "fr")),
			wantHTTP: 200, code: CodeSuccess, opRef: OpReplaceResult,
			after: map[string]*stored{"sid-2": {0.5, "fr"}},
		},
		{
			name: "missing language defaults to en", body: pox("m-5", replaceXML("sid-1", "0.25", "-")),
			wantHTTP: 200, code: CodeSuccess, opRef: OpReplaceResult,
			after: map[string]*stored{"sid-1": {0.25, "en"}},
		},
		{
			name: "empty language defaults to en", body: pox("m-6", replaceXML("sid-1", "0.25", "")),
			wantHTTP: 200, code: CodeSuccess, opRef: OpReplaceResult,
			after: map[string]*stored{"sid-1": {0.25, "en"}},
		},
		{
			name: "score above 1", seed: map[string]stored{"sid-1": {0.3, "en"}},
			body:     pox("m-7", replaceXML("sid-1", "1.5", "en")),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "outside [0.0, 1.0]", opRef: OpReplaceResult, msgRef: "m-7",
			after: map[string]*stored{"sid-1": {0.3, "en"}},
		},
		{
			name: "negative score", body: pox("m-8", replaceXML("sid-1", "-0.1", "en")),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "outside", opRef: OpReplaceResult,
			after: map[string]*stored{"sid-1": nil},
		},
		{
			name: "score not a number", body: pox("m-9", replaceXML("sid-1", "ninety", "en")),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "not a decimal", opRef: OpReplaceResult,
			after: map[string]*stored{"sid-1": nil},
		},
		{
			name: "score with exponent", body: pox("m-10", replaceXML("sid-1", "5e-1", "en")),
			wantHTTP: 200, code: CodeFailure, desc: "not a decimal", opRef: OpReplaceResult,
			after: map[string]*stored{"sid-1": nil},
		},
		{
			name: "score NaN", body: pox("m-11", replaceXML("sid-1", "NaN", "en")),
			wantHTTP: 200, code: CodeFailure, desc: "not a decimal", opRef: OpReplaceResult,
		},
		{
			name: "score with comma", body: pox("m-12", replaceXML("sid-1", "0,5", "en")),
			wantHTTP: 200, code: CodeFailure, desc: "not a decimal", opRef: OpReplaceResult,
		},
		{
			name: "empty score", body: pox("m-13", replaceXML("sid-1", "", "en")),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "textString is empty", opRef: OpReplaceResult, msgRef: "m-13",
		},
		{
			name: "bad language", body: pox("m-14", replaceXML("sid-1", "0.5", "en_US!")),
			wantHTTP: 200, code: CodeFailure, desc: "not a language tag", opRef: OpReplaceResult,
			after: map[string]*stored{"sid-1": nil},
		},
		{
			name: "unknown sourcedId", body: pox("m-15", replaceXML("sid-nobody", "0.5", "en")),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "unknown sourcedId", opRef: OpReplaceResult, msgRef: "m-15",
			after: map[string]*stored{"sid-nobody": nil},
		},
		{
			name: "sourcedId of another consumer", body: pox("m-16", replaceXML("sid-other", "0.5", "en")),
			wantHTTP: 200, code: CodeFailure, desc: "unknown sourcedId", opRef: OpReplaceResult,
			after: map[string]*stored{"sid-other": nil},
		},
		{
			name: "hook failure is not leaked", body: pox("m-17", readXML("sid-broken")),
			wantHTTP: 200, code: CodeFailure, desc: "sourcedId not accepted", opRef: OpReadResult,
		},
		{
			name: "read", seed: map[string]stored{"sid-2": {0.75, "en-GB"}},
			body:     pox("m-18", readXML("sid-2")),
			wantHTTP: 200, code: CodeSuccess, sev: SeverityStatus, opRef: OpReadResult, msgRef: "m-18",
			score: ptr("0.75"), lang: "en-GB",
		},
		{
			name: "read without grade", body: pox("m-19", readXML("sid-2")),
			wantHTTP: 200, code: CodeSuccess, sev: SeverityStatus, opRef: OpReadResult, desc: "no result",
			score: ptr(""), lang: "en",
		},
		{
			name: "delete", seed: map[string]stored{"sid-1": {0.5, "en"}, "sid-2": {0.6, "en"}},
			body:     pox("m-20", deleteXML("sid-1")),
			wantHTTP: 200, code: CodeSuccess, sev: SeverityStatus, opRef: OpDeleteResult, msgRef: "m-20",
			after: map[string]*stored{"sid-1": nil, "sid-2": {0.6, "en"}},
		},
		{
			name: "delete without grade", body: pox("m-21", deleteXML("sid-1")),
			wantHTTP: 200, code: CodeSuccess, opRef: OpDeleteResult,
		},
		{
			name: "unknown operation", body: pox("m-22", `<readPersonRequest><sourcedId>p</sourcedId></readPersonRequest>`),
			wantHTTP: 200, code: CodeUnsupported, sev: SeverityStatus, desc: "readPerson is not supported", opRef: "readPerson", msgRef: "m-22",
		},
		{
			name: "operation element without Request", body: pox("m-23", `<replaceResult/>`),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "does not end in Request", msgRef: "m-23",
		},
		{
			name: "two operations", body: pox("m-24", readXML("sid-1")+deleteXML("sid-1")),
			wantHTTP: 200, code: CodeFailure, desc: "exactly one operation", msgRef: "m-24",
		},
		{
			name: "empty body element", body: pox("m-25", ""),
			wantHTTP: 200, code: CodeFailure, desc: "exactly one operation", msgRef: "m-25",
		},
		{
			name: "missing sourcedId", body: pox("m-26", `<readResultRequest><resultRecord><sourcedGUID/></resultRecord></readResultRequest>`),
			wantHTTP: 200, code: CodeFailure, desc: "no sourcedId", opRef: OpReadResult, msgRef: "m-26",
		},
		{
			name: "missing message identifier", body: []byte(strings.Replace(string(pox("", readXML("sid-1"))), "<imsx_messageIdentifier></imsx_messageIdentifier>", "", 1)),
			wantHTTP: 200, code: CodeFailure, desc: "no imsx_messageIdentifier",
		},
		{
			name: "malformed XML", body: []byte(`<imsx_POXEnvelopeRequest xmlns="` + Namespace + `"><imsx_POXHeader>`),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "XML syntax",
		},
		{
			name: "mismatched tags", body: []byte(`<imsx_POXEnvelopeRequest xmlns="` + Namespace + `"><a></b></imsx_POXEnvelopeRequest>`),
			wantHTTP: 200, code: CodeFailure, desc: "XML syntax",
		},
		{
			name: "not XML", body: []byte("score=0.5&sid=1"),
			wantHTTP: 200, code: CodeFailure, desc: "malformed POX request",
		},
		{
			name: "wrong namespace", body: bytes.Replace(pox("m-27", readXML("sid-1")), []byte("ltiv1p1"), []byte("ltiv9"), 1),
			wantHTTP: 200, code: CodeFailure, desc: "root element",
		},
		{
			name: "DOCTYPE with internal entities", body: []byte(billionLaughs),
			wantHTTP: 200, code: CodeFailure, sev: SeverityError, desc: "DOCTYPE",
		},
		{
			name: "DOCTYPE with external entity", body: []byte(external),
			wantHTTP: 200, code: CodeFailure, desc: "DOCTYPE",
		},
		{
			name: "undeclared entity", body: pox("m-28", readXML("&xxe;")),
			wantHTTP: 200, code: CodeFailure, desc: "XML syntax",
		},
		{
			name: "other encoding refused", body: []byte(strings.Replace(string(pox("m-29", readXML("sid-1"))), "UTF-8", "ISO-8859-1", 1)),
			wantHTTP: 200, code: CodeFailure, desc: "XML syntax",
		},
		{
			name: "escaped characters", seed: map[string]stored{"course-7:user-42:link-3": {0.5, "en"}},
			body:     pox("m-&lt;30&gt;", readXML("course-7:user-42:link-3")),
			wantHTTP: 200, code: CodeSuccess, opRef: OpReadResult, msgRef: "m-<30>", score: ptr("0.5"), lang: "en",
		},
		{
			name: "oversized body", body: pox("m-31", replaceXML("sid-1", "0.5", "en")+"<!--"+strings.Repeat("x", 9<<10)+"-->"),
			wantHTTP: http.StatusRequestEntityTooLarge, code: CodeFailure, sev: SeverityError, desc: "larger than 8192 bytes",
			after: map[string]*stored{"sid-1": nil},
		},
		{
			name: "bad signature", body: pox("m-32", replaceXML("sid-1", "0.5", "en")),
			creds:    &oauth1.Credentials{Key: testCreds.Key, Secret: "wrong"},
			wantHTTP: http.StatusUnauthorized, code: CodeFailure, sev: SeverityError, desc: "bad signature", opRef: OpReplaceResult, msgRef: "m-32",
			after: map[string]*stored{"sid-1": nil},
		},
		{
			name: "unknown consumer key", body: pox("m-33", readXML("sid-1")),
			creds:    &oauth1.Credentials{Key: "nobody", Secret: "x"},
			wantHTTP: http.StatusUnauthorized, code: CodeFailure, desc: "unknown key",
		},
		{
			name: "body hash mismatch", body: pox("m-34", replaceXML("sid-1", "0.5", "en")),
			tweak: func(r *http.Request) {
				tampered := pox("m-34", replaceXML("sid-1", "1.0", "en"))
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(tampered)), int64(len(tampered))
			},
			wantHTTP: http.StatusUnauthorized, code: CodeFailure, desc: "body hash mismatch", msgRef: "m-34",
			after: map[string]*stored{"sid-1": nil},
		},
		{
			name: "unsigned", body: pox("m-35", readXML("sid-1")),
			tweak:    func(r *http.Request) { r.Header.Del("Authorization") },
			wantHTTP: http.StatusUnauthorized, code: CodeFailure, desc: "missing parameter",
		},
		{
			name: "empty body signed without body hash", body: nil,
			tweak: func(r *http.Request) {
				ps, err := oauth1.SignForm(http.MethodPost, r.URL.String(), nil, testCreds, oauth1.SignOptions{})
				if err != nil {
					panic(err)
				}
				var proto []oauth1.Param
				for _, p := range ps {
					if strings.HasPrefix(p.Key, "oauth_") {
						proto = append(proto, p)
					}
				}
				r.Header.Set("Authorization", oauth1.AuthorizationHeader(proto))
			},
			wantHTTP: http.StatusUnauthorized, code: CodeFailure, desc: "oauth_body_hash",
		},
		{
			name: "another consumer's valid signature", body: pox("m-36", readXML("sid-other")),
			creds:    &otherCreds,
			wantHTTP: 200, code: CodeSuccess, opRef: OpReadResult, score: ptr(""), lang: "en",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			for sid, r := range tc.seed {
				if err := f.store.Replace(ctx, sid, r.score, r.language); err != nil {
					t.Fatal(err)
				}
			}
			creds := tc.creds
			if creds == nil {
				creds = &testCreds
			}
			status, resp := f.post(t, tc.body, creds, tc.tweak)
			st := resp.Status
			if status != tc.wantHTTP {
				t.Errorf("HTTP status = %d, want %d (%s: %s)", status, tc.wantHTTP, st.CodeMajor, st.Description)
			}
			if st.CodeMajor != tc.code {
				t.Errorf("imsx_codeMajor = %q, want %q (description %q)", st.CodeMajor, tc.code, st.Description)
			}
			wantSev := tc.sev
			if wantSev == "" {
				wantSev = map[CodeMajor]Severity{CodeSuccess: SeverityStatus, CodeFailure: SeverityError, CodeUnsupported: SeverityStatus}[tc.code]
			}
			if st.Severity != wantSev {
				t.Errorf("imsx_severity = %q, want %q", st.Severity, wantSev)
			}
			if !strings.Contains(st.Description, tc.desc) {
				t.Errorf("imsx_description = %q, want it to contain %q", st.Description, tc.desc)
			}
			if strings.Contains(st.Description, "internal detail") || strings.Contains(st.Description, testCreds.Secret) {
				t.Errorf("imsx_description leaks: %q", st.Description)
			}
			if tc.opRef != "" && st.OperationRef != tc.opRef {
				t.Errorf("imsx_operationRefIdentifier = %q, want %q", st.OperationRef, tc.opRef)
			}
			if tc.msgRef != "" && st.MessageRef != tc.msgRef {
				t.Errorf("imsx_messageRefIdentifier = %q, want %q", st.MessageRef, tc.msgRef)
			}
			if tc.score != nil {
				if !resp.HasResult {
					t.Errorf("readResult reply has no result/resultScore")
				}
				if resp.ScoreText != *tc.score || resp.Language != tc.lang {
					t.Errorf("read textString, language = %q, %q; want %q, %q", resp.ScoreText, resp.Language, *tc.score, tc.lang)
				}
			}
			for sid, want := range tc.after {
				score, lang, ok, err := f.store.Read(ctx, sid)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case want == nil && ok:
					t.Errorf("store holds %s = %v %q, want none", sid, score, lang)
				case want != nil && !ok:
					t.Errorf("store holds no %s, want %v %q", sid, want.score, want.language)
				case want != nil && (score != want.score || lang != want.language):
					t.Errorf("store holds %s = %v %q, want %v %q", sid, score, lang, want.score, want.language)
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }

// TestHandlerReplayedNonce checks that a request replayed verbatim is
// refused.
func TestHandlerReplayedNonce(t *testing.T) {
	f := newFixture(t)
	body := pox("m-r", replaceXML("sid-1", "0.5", "en"))
	var auth string
	status, resp := f.post(t, body, &testCreds, func(r *http.Request) { auth = r.Header.Get("Authorization") })
	if status != 200 || resp.Status.CodeMajor != CodeSuccess {
		t.Fatalf("first request: HTTP %d %s %q", status, resp.Status.CodeMajor, resp.Status.Description)
	}
	status, resp = f.post(t, body, nil, func(r *http.Request) { r.Header.Set("Authorization", auth) })
	if status != http.StatusUnauthorized || !strings.Contains(resp.Status.Description, "replayed nonce") {
		t.Errorf("replay: HTTP %d %s %q, want 401 replayed nonce", status, resp.Status.CodeMajor, resp.Status.Description)
	}
}

// TestHandlerMethodAndConfig covers the requests answered before OAuth.
func TestHandlerMethodAndConfig(t *testing.T) {
	f := newFixture(t)
	res, err := f.srv.Client().Get(f.url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "POST" {
		t.Errorf("GET: HTTP %d, Allow %q; want 405, POST", res.StatusCode, res.Header.Get("Allow"))
	}

	// A body of unknown length (chunked) over the bound.
	rec := httptest.NewRecorder()
	big := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(string(pox("m-big", ""))), strings.NewReader(strings.Repeat(" ", 9<<10))))
	big.ContentLength = -1
	f.handler.ServeHTTP(rec, big)
	if resp, err := parseResponse(rec.Body.Bytes()); rec.Code != http.StatusRequestEntityTooLarge || err != nil || resp.Status.CodeMajor != CodeFailure {
		t.Errorf("chunked oversized body: HTTP %d, %v", rec.Code, err)
	}

	rec = httptest.NewRecorder()
	(&Handler{}).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("x")))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("unconfigured handler: HTTP %d, want 500", rec.Code)
	}
	if _, err := parseResponse(rec.Body.Bytes()); err != nil {
		t.Errorf("unconfigured handler reply is not POX: %v", err)
	}
}

// failingStore fails every call with err.
type failingStore struct{ err error }

func (s failingStore) Replace(context.Context, string, float64, string) error { return s.err }
func (s failingStore) Read(context.Context, string) (float64, string, bool, error) {
	return 0, "", false, s.err
}
func (s failingStore) Delete(context.Context, string) error { return s.err }

// TestHandlerStoreErrors checks the replies chosen from a Store's errors.
func TestHandlerStoreErrors(t *testing.T) {
	tests := []struct {
		err  error
		code CodeMajor
		sev  Severity
		desc string
	}{
		{ErrProcessing, CodeProcessing, SeverityStatus, "still processing"},
		{ErrUnknownSourcedID, CodeFailure, SeverityError, "unknown sourcedId"},
		{errors.New("disk full at /var/secret/path"), CodeFailure, SeverityError, "the result store failed"},
	}
	for _, tc := range tests {
		t.Run(tc.err.Error(), func(t *testing.T) {
			f := newFixture(t)
			f.handler.Store = failingStore{tc.err}
			for _, body := range [][]byte{
				pox("m-s1", replaceXML("sid-1", "0.5", "en")),
				pox("m-s2", readXML("sid-1")),
				pox("m-s3", deleteXML("sid-1")),
			} {
				status, resp := f.post(t, body, &testCreds, nil)
				st := resp.Status
				if status != 200 || st.CodeMajor != tc.code || st.Severity != tc.sev || !strings.Contains(st.Description, tc.desc) {
					t.Errorf("HTTP %d %s/%s %q; want 200 %s/%s containing %q", status, st.CodeMajor, st.Severity, st.Description, tc.code, tc.sev, tc.desc)
				}
				if strings.Contains(st.Description, "/var/secret") {
					t.Errorf("store error leaked: %q", st.Description)
				}
			}
		})
	}
}
