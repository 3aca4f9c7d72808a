package outcomes

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// The consumers the test handler knows. The secret holds characters that
// must be percent-encoded in the signing key.
// nodeCreds and nodeOther have secrets of unreserved characters only,
// which ims-lti needs (see TestInteropIMSLTISecretEncoding).
var (
	testCreds  = oauth1.Credentials{Key: "tc-key-1", Secret: "s3cr3t&+/ü"}
	otherCreds = oauth1.Credentials{Key: "tc-key-2", Secret: "another secret"}
	nodeCreds  = oauth1.Credentials{Key: "imslti-key-1", Secret: "imslti-Secret_0.9~"}
	nodeOther  = oauth1.Credentials{Key: "imslti-key-2", Secret: "second-secret"}
)

// sourcedIDs are the sourcedIds each consumer may use.
var sourcedIDs = map[string][]string{
	testCreds.Key:  {"sid-1", "sid-2", "course-7:user-42:link-3", "sid-ü"},
	otherCreds.Key: {"sid-other"},
	nodeCreds.Key:  {"sid-1", "sid-2", "course-7:user-42:link-3", "sid-ü"},
	nodeOther.Key:  {"sid-other"},
}

// ownedSourcedID is the SourcedIDHook of the tests: a consumer may use the
// sourcedIds issued to it; "sid-broken" makes the hook fail.
func ownedSourcedID(_ context.Context, consumerKey, sourcedID string) error {
	if sourcedID == "sid-broken" {
		return fmt.Errorf("database unreachable (internal detail)")
	}
	for _, s := range sourcedIDs[consumerKey] {
		if s == sourcedID {
			return nil
		}
	}
	return ErrUnknownSourcedID
}

// fixture is an outcomes handler served on loopback.
type fixture struct {
	store   *MemoryStore
	handler *Handler
	srv     *httptest.Server
	url     string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store := NewMemoryStore(100)
	h := &Handler{
		Verifier: &oauth1.Verifier{
			Secrets: oauth1.SecretMap{
				testCreds.Key: testCreds.Secret, otherCreds.Key: otherCreds.Secret,
				nodeCreds.Key: nodeCreds.Secret, nodeOther.Key: nodeOther.Secret,
			},
			Nonces: oauth1.NewMemoryNonceStore(10000, 10*time.Minute),
		},
		Store:     store,
		SourcedID: ownedSourcedID,
		MaxBody:   8 << 10,
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &fixture{store: store, handler: h, srv: srv, url: srv.URL + "/lti/outcomes?tenant=t1"}
}

// post signs body with creds (nil: unsigned) and posts it; tweak, when
// set, changes the signed request before it is sent. It returns the HTTP
// status and the parsed POX reply, failing the test when the reply is not
// a POX envelope.
func (f *fixture) post(t *testing.T, body []byte, creds *oauth1.Credentials, tweak func(*http.Request)) (int, *response) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/xml")
	if creds != nil {
		if err := oauth1.SignRequest(req, body, *creds, oauth1.SignOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if tweak != nil {
		tweak(req)
	}
	res, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Errorf("reply Content-Type = %q, want application/xml", ct)
	}
	resp, err := parseResponse(data)
	if err != nil {
		t.Fatalf("reply (HTTP %d) is not a POX envelope: %v\n%s", res.StatusCode, err, data)
	}
	if resp.MessageID == "" {
		t.Errorf("reply has no imsx_messageIdentifier")
	}
	return res.StatusCode, resp
}

// pox returns a request envelope whose imsx_POXBody holds inner.
func pox(msgID, inner string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader>
    <imsx_POXRequestHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>` + msgID + `</imsx_messageIdentifier>
    </imsx_POXRequestHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody>` + inner + `</imsx_POXBody>
</imsx_POXEnvelopeRequest>`)
}

// replaceXML is a replaceResultRequest; language "-" leaves it out.
func replaceXML(sid, score, language string) string {
	lang := "<language>" + language + "</language>"
	if language == "-" {
		lang = ""
	}
	return `<replaceResultRequest><resultRecord><sourcedGUID><sourcedId>` + sid +
		`</sourcedId></sourcedGUID><result><resultScore>` + lang + `<textString>` + score +
		`</textString></resultScore></result></resultRecord></replaceResultRequest>`
}

func readXML(sid string) string {
	return `<readResultRequest><resultRecord><sourcedGUID><sourcedId>` + sid +
		`</sourcedId></sourcedGUID></resultRecord></readResultRequest>`
}

func deleteXML(sid string) string {
	return `<deleteResultRequest><resultRecord><sourcedGUID><sourcedId>` + sid +
		`</sourcedId></sourcedGUID></resultRecord></deleteResultRequest>`
}
