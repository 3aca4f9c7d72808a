package outcomes

import (
	"strings"
	"testing"
)

// FuzzParsePOX feeds arbitrary documents to the POX request and reply
// parsers. Neither may panic; a request that parses must name an
// operation, and a known one must survive encoding and parsing again with
// the same fields.
func FuzzParsePOX(f *testing.F) {
	for _, seed := range []string{
		string(pox("m-1", replaceXML("sid-1", "0.92", "en"))),
		string(pox("m-2", replaceXML(" s&amp;d ", ".5", "-"))),
		string(pox("m-3", readXML("sid-1"))),
		string(pox("m-4", deleteXML("sid-1"))),
		string(pox("m-5", `<readPersonRequest/>`)),
		string(pox("m-6", readXML("a")+readXML("b"))),
		`<!DOCTYPE x [<!ENTITY a "b">]><imsx_POXEnvelopeRequest xmlns="` + Namespace + `">&a;</imsx_POXEnvelopeRequest>`,
		`<p:imsx_POXEnvelopeRequest xmlns:p="` + Namespace + `"><imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_messageIdentifier>1</imsx_messageIdentifier></imsx_POXRequestHeaderInfo></imsx_POXHeader><imsx_POXBody><p:readResultRequest><resultRecord><sourcedGUID><sourcedId>x</sourcedId></sourcedGUID></resultRecord></p:readResultRequest></imsx_POXBody></p:imsx_POXEnvelopeRequest>`,
		`<imsx_POXEnvelopeResponse xmlns="` + Namespace + `"><imsx_POXHeader><imsx_POXResponseHeaderInfo><imsx_statusInfo><imsx_codeMajor>success</imsx_codeMajor></imsx_statusInfo></imsx_POXResponseHeaderInfo></imsx_POXHeader><imsx_POXBody><readResultResponse><result><resultScore><textString>1</textString></resultScore></result></readResultResponse></imsx_POXBody></imsx_POXEnvelopeResponse>`,
		"<a>" + strings.Repeat("<b>", 40),
		"",
		"\xff\xfe<",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = parseResponse(data)

		req, err := ParsePOX(data)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("ParsePOX error %T is not a *ParseError: %v", err, err)
			}
			return
		}
		if req.Operation == "" || req.MessageID == "" {
			t.Fatalf("ParsePOX accepted a request without operation or message id: %+v", req)
		}
		if !req.Known() {
			return
		}
		if req.SourcedID == "" || (req.Operation == OpReplaceResult && req.ScoreText == "") {
			t.Fatalf("ParsePOX accepted an incomplete %s: %+v", req.Operation, req)
		}
		if _, err := ParseScore(req.ScoreText); err == nil && req.Operation != OpReplaceResult {
			t.Fatalf("score text on %s", req.Operation)
		}
		out, err := encodeRequest(req)
		if err != nil {
			t.Fatalf("encodeRequest(%+v): %v", req, err)
		}
		again, err := ParsePOX(out)
		if err != nil {
			t.Fatalf("re-parsing the encoded request: %v\n%s", err, out)
		}
		req.Version = POXVersion
		if *again != *req {
			t.Fatalf("round trip changed the request:\n got %+v\nwant %+v", *again, *req)
		}
	})
}
