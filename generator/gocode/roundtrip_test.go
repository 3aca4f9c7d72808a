package gocode_test

// Round trips of the LTI 2.0 examples through the generated types in
// generated/lti2: each in-scope example (the list of
// model/lti2/examples_test.go) decodes, validates (the two pre-final IMS
// samples fail exactly as that test lists), encodes, and the encoding is
// the same JSON-LD as the input, compared as RDF datasets normalised with
// URDNA2015. Contexts come from local copies of the official ones in
// ../shared/spec/contexts; nothing is fetched.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	jsongold "github.com/piprate/json-gold/ld"

	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
)

// officialContexts maps the standard context IRIs to the local copies of
// the official contexts (the May 2015 purl downloads, and the only
// MembershipContainer context there is).
var officialContexts = map[string]string{
	lti2.ContextToolConsumerProfile: "spec/contexts/ctx-lti-v2-ToolConsumerProfile.purl-wget-2015-05.jsonld",
	lti2.ContextToolProxy:           "spec/contexts/ctx-lti-v2-ToolProxy.purl-wget-2015-05.jsonld",
	lti2.ContextToolProxyID:         "spec/contexts/ctx-lti-v2-ToolProxyId.purl-wget-2015-05.jsonld",
	lti2.ContextToolSettings:        "spec/contexts/ctx-lti-v2-ToolSettings.purl-wget-2015-05.jsonld",
	lti2.ContextResult:              "spec/contexts/ctx-lis-v2-Result.purl-wget-2015-05.jsonld",
	lti2.ContextMembershipContainer: "spec/contexts/ctx-lis-v2-MembershipContainer.semantictools-2015-09.jsonld",
}

// officialLoader serves the official contexts from ../shared. Any other
// context (the Blackboard icon-style context the ToolProxy samples name)
// is served empty and logged: both sides of a comparison see the same.
func officialLoader(t *testing.T) ld.Loader {
	return func(iri string) ([]byte, error) {
		rel, ok := officialContexts[iri]
		if !ok {
			t.Logf("context %s is not available locally; serving an empty context", iri)
			return []byte(`{"@context": {}}`), nil
		}
		return os.ReadFile(filepath.Join(sharedtest.Dir(), filepath.FromSlash(rel)))
	}
}

// roundTrip is one in-scope example.
type roundTrip struct {
	file      string
	mediaType string
	// invalid lists the pointers Validate must report, and nothing else.
	invalid []string
	// slow marks a document whose context is not the standard one, which
	// is compacted before decoding (and needs a loader).
	slow bool
}

var roundTrips = []roundTrip{
	{"spec/examples/toolproxy.ims-final-2014-01-figure1.json", lti2.MediaTypeToolProxy, nil, false},
	{"spec/examples/toolproxy.ims-doc-sample.context-simplified.json", lti2.MediaTypeToolProxy, nil, false},
	{"spec/examples/toolconsumerprofile.ims-doc-sample.json", lti2.MediaTypeToolConsumerProfile, nil, false},
	{"spec/examples/toolconsumerprofile.ims-lti-ruby-2.0.x-fixture.json", lti2.MediaTypeToolConsumerProfile, nil, false},
	{"spec/examples/toolconsumerprofile.vitalsource-ri-template.json", lti2.MediaTypeToolConsumerProfile, nil, false},
	{"spec/examples/toolproxy-id.ims-doc-sample.json", lti2.MediaTypeToolProxyID, nil, false},
	{"spec/examples/toolsettings.graph.ims-doc-sample.json", lti2.MediaTypeToolSettings, nil, false},
	{"spec/examples/toolsettings.simple.ims-doc-sample.json", lti2.MediaTypeToolSettingsSimple, nil, false},
	{"spec/examples/result.lis-v2.ims-doc-sample.json", lti2.MediaTypeResult, nil, false},
	// Its inline context maps lism to .../membership#, not the standard
	// .../mm#.
	{"spec/examples/membershipcontainer-page.ltilibrary-fixture.json", lti2.MediaTypeMembershipContainer, nil, true},
	{"ims-model/rdf/ToolConsumerProfile/sample.json", lti2.MediaTypeToolConsumerProfile,
		[]string{"/product_instance/service_provider/service_provider_name"}, false},
	{"ims-model/rdf/ToolProxy/sample.json", lti2.MediaTypeToolProxy,
		[]string{"/tool_profile/product_instance/service_provider/service_provider_name"}, false},
	{"ims-model/rdf/ToolProxy.id/sample.json", lti2.MediaTypeToolProxyID, nil, false},
	{"ims-model/rdf/ToolSettings/sample.json", lti2.MediaTypeToolSettings, nil, false},
	{"ims-model/rdf/ToolSettings.simple/sample.json", lti2.MediaTypeToolSettingsSimple, nil, false},
}

func TestRoundTripExamples(t *testing.T) {
	if sharedtest.Dir() == "" {
		t.Skip("../shared (beside the repository) not found: this test reads spec/examples, ims-model/rdf and spec/contexts from it")
	}
	loader := officialLoader(t)
	for _, rt := range roundTrips {
		t.Run(rt.file, func(t *testing.T) {
			in := sharedtest.Read(t, rt.file)
			if got := lti2.DetectMediaType(in); got != rt.mediaType {
				t.Errorf("DetectMediaType = %q, want %q", got, rt.mediaType)
			}
			_, err := lti2.DecodeDocument(rt.mediaType, in)
			if slow := errors.Is(err, ld.ErrUnfamiliarContext); slow != rt.slow {
				t.Errorf("decoding without a loader: %v; want the slow path: %v", err, rt.slow)
			}
			doc, err := lti2.DecodeDocument(rt.mediaType, in, ld.WithLoader(loader))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			var got []string
			if err := doc.Validate(); err != nil {
				var ve ld.ValidationErrors
				if !errors.As(err, &ve) {
					t.Fatalf("Validate returned %T, not ld.ValidationErrors: %v", err, err)
				}
				for _, e := range ve {
					got = append(got, e.Pointer)
					t.Logf("validation: %v", e)
				}
			}
			if !slices.Equal(got, rt.invalid) {
				t.Errorf("Validate reported %q, want %q", got, rt.invalid)
			}
			out, err := doc.Encode()
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !json.Valid(out) {
				t.Fatalf("encode wrote invalid JSON: %s", out)
			}
			if rt.mediaType == lti2.MediaTypeToolSettingsSimple {
				if !sameJSON(t, in, out) {
					t.Errorf("simple form changed:\n in  %s\n out %s", in, out)
				}
				return
			}
			// The VitalSource template's inline context maps a prefix to
			// "{tc_deployment_url}/...", which no JSON-LD processor
			// accepts; the comparison fills the placeholder in on both
			// sides.
			fill := strings.NewReplacer("{tc_deployment_url}", "http://tc.example.com")
			want, got2 := nquads(t, []byte(fill.Replace(string(in))), loader), nquads(t, []byte(fill.Replace(string(out))), loader)
			if want == "" {
				t.Fatalf("the input holds no RDF statements")
			}
			if want != got2 {
				t.Errorf("the encoding is not the same RDF dataset as the input:\n%s\nencoded: %s", diffLines(want, got2), out)
			}
			// A second round trip is byte-stable.
			again, err := lti2.DecodeDocument(rt.mediaType, out, ld.WithLoader(loader))
			if err != nil {
				t.Fatalf("decoding the encoding: %v", err)
			}
			out2, err := again.Encode()
			if err != nil || !bytes.Equal(out, out2) {
				t.Errorf("re-encoding differs (err %v):\n%s\n%s", err, out, out2)
			}
		})
	}
}

// nquads returns the document's RDF dataset as canonical N-Quads
// (URDNA2015).
func nquads(t *testing.T, data []byte, l ld.Loader) string {
	t.Helper()
	var doc any
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &doc); err != nil {
		t.Fatalf("parsing JSON: %v", err)
	}
	opts := ld.JSONLDOptions(l)
	opts.Format = "application/n-quads"
	opts.Algorithm = jsongold.AlgorithmURDNA2015
	out, err := jsongold.NewJsonLdProcessor().Normalize(doc, opts)
	if err != nil {
		t.Fatalf("normalising: %v", err)
	}
	s, _ := out.(string)
	return s
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(bytes.TrimPrefix(a, []byte("\xef\xbb\xbf")), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }
