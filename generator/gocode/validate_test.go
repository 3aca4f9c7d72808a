package gocode_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
)

// tp is a minimal valid tool proxy; each case adds to it or breaks it.
const tp = `{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy", "@type": "ToolProxy",
	"lti_version": "LTI-2p0", "tool_proxy_guid": "g", "tool_consumer_profile": "http://tc/profile",
	"tool_profile": {"lti_version": "LTI-2p0",
		"product_instance": {"guid": "p", "product_info": {"product_name": {"default_value": "P"},
			"product_version": "1", "product_family": {"code": "f", "vendor": {"code": "v",
				"vendor_name": {"default_value": "V"}, "timestamp": "2014-01-06T00:00:00Z"}}}},
		"base_url_choice": [{"default_base_url": "http://tp/"}]%s},
	"security_contract": {"shared_secret": "s"%s}%s}`

// TestValidateDocuments decodes small documents with the generated types
// and checks the JSON pointers Validate reports: the cases of the model's
// own cardinality checker (model/lti2/examples_test.go), and the value
// checks that only typed decoding makes (facets, shapes, dateTime).
func TestValidateDocuments(t *testing.T) {
	tests := []struct {
		name, mediaType, doc string
		want                 []string // pointers
	}{
		{"minimal tool proxy", lti2.MediaTypeToolProxy, fmt.Sprintf(tp, "", "", ""), nil},
		{"extension keys", lti2.MediaTypeToolProxy, fmt.Sprintf(tp, `, "x_vendor": [1, 2]`, "", `, "tc_half_shared_secret": "x"`), nil},
		{"bare value for many", lti2.MediaTypeToolProxy, fmt.Sprintf(tp, "", "", `, "enabled_capability": "OAuth.splitSecret"`), nil},
		{"null and empty array count 0", lti2.MediaTypeToolProxy, fmt.Sprintf(tp, `, "resource_handler": [], "message": null`, "", ""), nil},
		{"missing required", lti2.MediaTypeToolProxy,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy", "@type": "ToolProxy", "lti_version": null, "tool_profile": {}}`,
			[]string{"/lti_version", "/security_contract", "/tool_consumer_profile", "/tool_profile/base_url_choice",
				"/tool_profile/lti_version", "/tool_profile/product_instance", "/tool_proxy_guid"}},
		{"too many", lti2.MediaTypeToolProxy, fmt.Sprintf(tp, "", "", `, "custom": [{}, {}]`), []string{"/custom"}},
		{"single-element array", lti2.MediaTypeToolProxy, fmt.Sprintf(tp, "", "", `, "custom": [{}]`), nil},
		{"string for an embedded object", lti2.MediaTypeToolProxy, fmt.Sprintf(tp, "", "", `, "custom": "x"`), []string{"/custom"}},
		{"abstract class without @type", lti2.MediaTypeToolProxy,
			fmt.Sprintf(tp, "", `, "tool_service": [{"service": "http://tc/profile#X", "action": "GET"}]`, ""),
			[]string{"/security_contract/tool_service/0/@type"}},
		{"@type selects the subclass", lti2.MediaTypeToolProxy,
			fmt.Sprintf(tp, "", `, "tool_service": [{"@type": "RestServiceProfile", "service": "http://tc/profile#X"}]`, ""),
			[]string{"/security_contract/tool_service/0/action"}},
		{"@type outside the property's class", lti2.MediaTypeToolProxy,
			fmt.Sprintf(tp, "", `, "tool_service": [{"@type": "Vendor", "service": "http://tc/profile#X", "action": "GET"}]`, ""),
			[]string{"/security_contract/tool_service/0/@type"}},
		{"top level without @context and @type", lti2.MediaTypeResult, `{"resultScore": 0.5}`, []string{"/@context", "/@type"}},
		{"required @id in a profile", lti2.MediaTypeToolConsumerProfile,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile", "@type": "ToolConsumerProfile",
				"lti_version": "LTI-2p0", "guid": "g", "product_instance": {"guid": "p",
					"product_info": {"product_name": {}, "product_version": "1", "product_family": {"code": "f",
						"vendor": {"code": "v", "vendor_name": {}, "timestamp": "2014-01-06T00:00:00Z"}}}},
				"service_offered": [{"@type": "RestService", "endpoint": "http://tc/a", "format": "a/b", "action": ["GET"]},
					{"@type": "RestService", "@id": "_:b0", "endpoint": "http://tc/b", "format": ["a/b"], "action": "GET"}]}`,
			[]string{"/service_offered/0/@id", "/service_offered/1/@id"}},
		{"included properties only", lti2.MediaTypeToolProxyID,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolProxyId", "@type": "ToolProxy", "custom_url": ["http://a", "http://b"]}`,
			[]string{"/custom_url", "/tool_proxy_guid"}},
		{"graph members by @type", lti2.MediaTypeToolSettings,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolSettings", "@graph": [
				{"@type": "LtiLink", "custom": {"a": "1"}}, {"@type": "ToolProxy", "custom": [{}, {}]}, {"custom": {}}]}`,
			[]string{"/@graph/1/custom", "/@graph/2/@type"}},
		{"graph that is not an array of objects", lti2.MediaTypeToolSettings,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolSettings", "@graph": ["x"]}`, []string{"/@graph"}},
		{"graph without @graph", lti2.MediaTypeToolSettings, `{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolSettings"}`,
			[]string{"/@graph"}},
		{"membership page", lti2.MediaTypeMembershipContainer,
			`{"@context": "http://purl.imsglobal.org/ctx/lis/v2/MembershipContainer", "@type": "Page",
				"pageOf": {"@type": "LISMembershipContainer", "membershipSubject": {"@type": "Context",
					"membership": [{"member": {"@type": "LISPerson"}, "role": []}]}}}`,
			[]string{"/pageOf/membershipSubject/contextId", "/pageOf/membershipSubject/membership/0/member/userId",
				"/pageOf/membershipSubject/membership/0/role"}},
		{"simple-type length", lti2.MediaTypeToolProxy,
			fmt.Sprintf(tp, `, "message": [{"message_type": "m", "path": "/", "parameter": [{"name": "`+strings.Repeat("n", 65)+`"}]}]`, "", ""),
			[]string{"/tool_profile/message/0/parameter/0/name"}},
		{"simple-type pattern", lti2.MediaTypeToolProxy,
			fmt.Sprintf(tp, `, "message": [{"message_type": "m", "path": "/", "parameter": [{"name": "a b"}]}]`, "", ""),
			[]string{"/tool_profile/message/0/parameter/0/name"}},
		{"malformed timestamp", lti2.MediaTypeToolProxy,
			strings.Replace(fmt.Sprintf(tp, "", "", ""), "2014-01-06T00:00:00Z", "yesterday", 1),
			[]string{"/tool_profile/product_instance/product_info/product_family/vendor/timestamp"}},
		{"lenient timestamp", lti2.MediaTypeToolProxy,
			strings.Replace(fmt.Sprintf(tp, "", "", ""), "2014-01-06T00:00:00Z", "2012-07-09T012:08:16-04:00", 1), nil},
		{"score of the wrong kind", lti2.MediaTypeResult,
			`{"@context": "http://purl.imsglobal.org/ctx/lis/v2/Result", "@type": "Result", "resultScore": true}`,
			[]string{"/resultScore"}},
		{"score as a value object", lti2.MediaTypeResult,
			`{"@context": "http://purl.imsglobal.org/ctx/lis/v2/Result", "@type": "Result", "resultScore": {"@type": "decimal", "@value": 0.83}}`, nil},
		{"simple form holds strings", lti2.MediaTypeToolSettingsSimple, `{"a": "1", "b": 2, "c/d": {"e": "f"}}`,
			[]string{"/b", "/c~1d"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := lti2.DecodeDocument(tc.mediaType, []byte(tc.doc))
			if err == nil {
				err = doc.Validate()
			}
			var got []string
			var ve ld.ValidationErrors
			switch {
			case errors.As(err, &ve):
				for _, e := range ve {
					got = append(got, e.Pointer)
					t.Logf("%v", e)
				}
			case err != nil:
				t.Fatalf("decode: %v", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("pointers:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestDecodeRejects covers input that is not a document of the media type.
func TestDecodeRejects(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"@context": "http://purl.imsglobal.org/ctx/lis/v2/Result",}`, `{"a" 1}`,
		`{"@type": "Result"} x`, strings.Repeat("[", 1000) + strings.Repeat("]", 1000), `{"comment": "\ud800"`} {
		if _, err := lti2.DecodeResult([]byte(in)); err == nil {
			t.Errorf("DecodeResult(%.40q) succeeded", in)
		}
	}
}

// TestUnfamiliarContext: a document whose inline context redefines a
// standard term needs the slow path, which needs a loader.
func TestUnfamiliarContext(t *testing.T) {
	doc := []byte(`{"@context": ["http://purl.imsglobal.org/ctx/lis/v2/Result", {"resultScore": "http://example.org/other#score"}],
		"@type": "Result", "resultScore": 0.5, "comment": "c"}`)
	_, err := lti2.DecodeResult(doc)
	if !errors.Is(err, ld.ErrUnfamiliarContext) {
		t.Fatalf("without a loader: err = %v, want ld.ErrUnfamiliarContext", err)
	}
	called := false
	loader := func(iri string) ([]byte, error) {
		called = true
		if iri == lti2.ContextResult {
			return []byte(`{"@context": {"liso": "http://purl.imsglobal.org/vocab/lis/v2/outcomes#",
				"Result": "liso:Result", "resultScore": "liso:resultScore", "comment": "liso:comment"}}`), nil
		}
		return nil, fmt.Errorf("no context %s", iri)
	}
	r, err := lti2.DecodeResult(doc, ld.WithLoader(loader))
	if err != nil {
		t.Fatalf("with a loader: %v", err)
	}
	if !called {
		t.Error("the loader was not used")
	}
	// "resultScore" now means http://example.org/other#resultScore, not the
	// standard term, so the compacted document keeps it as an IRI key.
	if r.ResultScore != nil {
		t.Errorf("ResultScore = %v, want none: the document's key is another vocabulary's", *r.ResultScore)
	}
	if _, ok := r.Extensions["http://example.org/other#score"]; !ok || r.Comment != "c" {
		t.Errorf("after compaction: comment %q, extensions %v", r.Comment, r.Extensions)
	}
	if r.MediaType() != lti2.MediaTypeResult {
		t.Errorf("after compaction, MediaType = %q", r.MediaType())
	}
}

// TestEncodeCanonical: encoding writes the standard context when none was
// read, single values bare and multi-valued properties as arrays.
func TestEncodeCanonical(t *testing.T) {
	s := &lti2.RESTService{ID: "tcp:X", Endpoint: "http://tc/x", Format: []string{"a/b"}, Action: []lti2.HTTPMethod{lti2.HTTPMethodGet}}
	tcp := &lti2.ToolConsumerProfile{LTIVersion: "LTI-2p0", GUID: "g", ServiceOffered: []lti2.ServiceDescriptor{s}}
	out, err := tcp.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile","@type":"ToolConsumerProfile","lti_version":"LTI-2p0",` +
		`"service_offered":[{"@type":"RestService","@id":"tcp:X","endpoint":"http://tc/x","format":["a/b"],"action":["GET"]}],"guid":"g"}`
	if string(out) != want {
		t.Errorf("Encode:\n got %s\nwant %s", out, want)
	}
}
