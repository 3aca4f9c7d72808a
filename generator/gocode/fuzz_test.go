package gocode_test

import (
	"encoding/json"
	"testing"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
)

// FuzzDecodeDocument feeds arbitrary bytes to the generated decoders: they
// must not panic, and what decodes must encode to valid JSON that decodes
// again and validates without panicking.
func FuzzDecodeDocument(f *testing.F) {
	for _, rt := range roundTrips {
		for _, p := range sharedtest.Glob(rt.file) {
			if data, err := readFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"@context": ["http://purl.imsglobal.org/ctx/lti/v2/ToolSettings"], "@graph": [{"@type": ["LtiLink"], "custom": {"a": "\u00e9"}}]}`))
	f.Add([]byte(`{"@context": "http://purl.imsglobal.org/ctx/lis/v2/Result", "resultScore": {"@value": "0.5"}, "comment": [null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mt := range lti2.MediaTypes() {
			doc, err := lti2.DecodeDocument(mt, data)
			if err != nil {
				continue
			}
			_ = doc.Validate()
			out, err := doc.Encode()
			if err != nil {
				continue
			}
			if !json.Valid(out) {
				t.Fatalf("%s: Encode wrote invalid JSON %q from %q", mt, out, data)
			}
			again, err := lti2.DecodeDocument(mt, out)
			if err != nil {
				t.Fatalf("%s: the encoding %q does not decode: %v", mt, out, err)
			}
			_ = again.Validate()
		}
	})
}
