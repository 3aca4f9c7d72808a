package jsonld

// TestEquivalence holds the generated contexts to the official ones by
// what they mean: every LTI 2.0 example in ../shared/spec/examples that is
// a JSON-LD document is expanded, turned into RDF and normalized
// (URDNA2015) twice with json-gold, once reading its contexts from the
// generated files and once from the official ones, and the two RDF
// datasets must be the same. Context IRIs are served from local files by
// the document loaders; nothing is fetched from the network.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model"
)

// officialContexts are the contexts the generated ones must match, by
// IRI: the LTI 2.0 Final state (the May 2015 purl downloads) and, since no
// download of it survives, the September 2015 MembershipContainer context
// (the files model/lti2/contexts_test.go holds the model to).
var officialContexts = map[string]string{
	"http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile": "spec/contexts/ctx-lti-v2-ToolConsumerProfile.purl-wget-2015-05.jsonld",
	"http://purl.imsglobal.org/ctx/lti/v2/ToolProxy":           "spec/contexts/ctx-lti-v2-ToolProxy.purl-wget-2015-05.jsonld",
	"http://purl.imsglobal.org/ctx/lti/v2/ToolProxyId":         "spec/contexts/ctx-lti-v2-ToolProxyId.purl-wget-2015-05.jsonld",
	"http://purl.imsglobal.org/ctx/lti/v2/ToolSettings":        "spec/contexts/ctx-lti-v2-ToolSettings.purl-wget-2015-05.jsonld",
	"http://purl.imsglobal.org/ctx/lis/v2/Result":              "spec/contexts/ctx-lis-v2-Result.purl-wget-2015-05.jsonld",
	"http://purl.imsglobal.org/ctx/lis/v2/MembershipContainer": "spec/contexts/ctx-lis-v2-MembershipContainer.semantictools-2015-09.jsonld",
}

// standIns are remote contexts, other than IMS's, that examples name.
// They are served the same to both sides, so they cannot make the two
// datasets differ; an empty context drops the keys only it defines, on
// both sides.
var standIns = map[string]string{
	// Blackboard's icon-style vocabulary, named by Figure 1 of the
	// ToolProxy media-type document for its icon_style values. Its
	// content was never published with the specification.
	"http://purl.org/blackboard/ctx/v1/iconStyle": `{"@context": {}}`,
}

// example is one file of ../shared/spec/examples.
type example struct {
	file string
	// context is the IMS context IRI the document names; empty when the
	// file is out of scope.
	context string
	// why says, for a file out of scope, why it is left out.
	why string
	// fill replaces placeholders of a template with values, the same for
	// both sides, so that the template becomes a document.
	fill map[string]string
	// added lists the keys that the generated context defines and the
	// official one does not, because the model adds the property on
	// purpose (a row of the table of differences in docs/lti2-model.md).
	// The official context drops such a key, so the datasets differ by
	// exactly what it holds: the test compares them with the key removed
	// from the document, checks that removing it changes nothing with the
	// official context, and that it does change the generated side's
	// dataset, so that a row here cannot outlive the difference.
	added []string
}

// examples lists every file of ../shared/spec/examples, in scope or not,
// with the scope model/lti2/examples_test.go gives them.
// TestExampleTableIsComplete fails on a file missing here.
var examples = []example{
	{file: "toolproxy.ims-final-2014-01-figure1.json", context: "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy"},
	{file: "toolproxy.ims-doc-sample.context-simplified.json", context: "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy"},
	{file: "toolconsumerprofile.ims-doc-sample.json", context: "http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile"},
	{file: "toolconsumerprofile.ims-lti-ruby-2.0.x-fixture.json", context: "http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile"},
	{file: "toolconsumerprofile.vitalsource-ri-template.json", context: "http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile",
		// The template's base URL placeholder, in a prefix, is not an IRI.
		fill: map[string]string{"{tc_deployment_url}": "http://tc.example.test"}},
	{file: "toolproxy-id.ims-doc-sample.json", context: "http://purl.imsglobal.org/ctx/lti/v2/ToolProxyId"},
	{file: "toolsettings.graph.ims-doc-sample.json", context: "http://purl.imsglobal.org/ctx/lti/v2/ToolSettings"},
	{file: "result.lis-v2.ims-doc-sample.json", context: "http://purl.imsglobal.org/ctx/lis/v2/Result"},
	{file: "membershipcontainer-page.ltilibrary-fixture.json", context: "http://purl.imsglobal.org/ctx/lis/v2/MembershipContainer",
		// Membership.message (lism:message) and the MembershipMessage
		// under it: docs/lti2-model.md, row Membership.message.
		added: []string{"message"}},
	{file: "toolsettings.simple.ims-doc-sample.json", why: "the simple form of tool settings is plain JSON with no context"},
	{file: "lisresult.lis-v2p1-draft.ims-doc-sample.json", why: "LTI 2.1 draft (ctx/lis/v2p1/Result), never final"},
	{file: "testvector.launch-form.ltilibrary-fixture.key12345-secret-secret.html", why: "an OAuth test vector, not a JSON-LD document"},
	{file: "testvector.oauth-bodyhash.toolproxy-body.ddo-oauth-1.0a.compact.json", why: "a body-hash test vector of an LTI-2p1 tool proxy, not a 2.0 sample"},
}

func TestExampleTableIsComplete(t *testing.T) {
	dir := filepath.Dir(sharedtest.Path(t, "spec/examples/"+examples[0].file))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, ex := range examples {
		listed = append(listed, ex.file)
		if (ex.context == "") == (ex.why == "") {
			t.Errorf("%s: give either the context (in scope) or why it is out of scope", ex.file)
		}
	}
	for _, e := range entries {
		if !e.IsDir() && !slices.Contains(listed, e.Name()) {
			t.Errorf("spec/examples/%s is not in the table of examples: place it in scope or out", e.Name())
		}
	}
}

// mapLoader serves documents from memory and refuses every other IRI.
type mapLoader map[string][]byte

func (l mapLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	data, ok := l[u]
	if !ok {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, fmt.Sprintf("the test serves no document at %s", u))
	}
	doc, err := ld.DocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, fmt.Sprintf("%s: %v", u, err))
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// generatedContexts runs the emitter on the standard model and returns the
// context documents by IRI.
func generatedContexts(t *testing.T) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	m, err := model.LoadStandard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Diagnostics.HasErrors() {
		t.Fatalf("the standard model has errors: %v", m.Diagnostics)
	}
	files, err := New().Emit(ctx, m, emit.Options{Root: "example.com/gen", Standard: "example.com/gen", Package: emit.StandardPackage})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	out := map[string][]byte{}
	for _, mt := range m.MediaTypes {
		if mt.Context == "" || !mt.JSONLD() {
			continue
		}
		p, err := contextFile(mt.Context)
		if err != nil {
			t.Fatal(err)
		}
		if byPath[p] == nil {
			t.Fatalf("the emitter wrote no %s for the context of %s", p, mt.Name)
		}
		out[mt.Context] = byPath[p]
	}
	return out
}

// normalize returns the document's RDF dataset, normalized with URDNA2015,
// as sorted N-Quads lines.
func normalize(doc any, base string, loader ld.DocumentLoader) ([]string, error) {
	opts := ld.NewJsonLdOptions(base)
	opts.DocumentLoader = loader
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	out, err := ld.NewJsonLdProcessor().Normalize(doc, opts)
	if err != nil {
		return nil, err
	}
	s, ok := out.(string)
	if !ok {
		return nil, fmt.Errorf("normalize returned %T, not N-Quads", out)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		lines = nil
	}
	slices.Sort(lines)
	return lines, nil
}

func TestEquivalence(t *testing.T) {
	sharedtest.Path(t, "spec/examples/"+examples[0].file)
	official := mapLoader{}
	for iri, rel := range officialContexts {
		official[iri] = sharedtest.Read(t, rel)
	}
	generated := mapLoader{}
	for iri, data := range generatedContexts(t) {
		generated[iri] = data
	}
	for iri := range official {
		if generated[iri] == nil {
			t.Errorf("no generated context for %s", iri)
		}
	}
	for iri, data := range standIns {
		official[iri], generated[iri] = []byte(data), []byte(data)
	}
	for _, ex := range examples {
		if ex.context == "" {
			continue
		}
		t.Run(strings.TrimSuffix(ex.file, ".json"), func(t *testing.T) {
			data := sharedtest.Read(t, "spec/examples/"+ex.file)
			// Some samples start with a byte-order mark.
			data = bytes.TrimPrefix(data, []byte("\ufeff"))
			for from, to := range ex.fill {
				if !bytes.Contains(data, []byte(from)) {
					t.Fatalf("the example has no placeholder %s to fill", from)
				}
				data = bytes.ReplaceAll(data, []byte(from), []byte(to))
			}
			if !bytes.Contains(data, []byte(ex.context)) {
				t.Fatalf("the example does not name the context %s", ex.context)
			}
			doc, err := ld.DocumentFromReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("parsing the example: %v", err)
			}
			// Relative IRIs (capability and variable names under @id
			// coercion) resolve against this base on both sides, so
			// that no triple is dropped for want of an absolute IRI.
			base := "http://example.test/examples/" + ex.file
			want, err := normalize(doc, base, official)
			if err != nil {
				t.Fatalf("with the official context: %v", err)
			}
			got, err := normalize(doc, base, generated)
			if err != nil {
				t.Fatalf("with the generated context: %v", err)
			}
			if len(want) < 3 {
				t.Fatalf("the official context gives only %d quads; the comparison would prove nothing", len(want))
			}
			if len(ex.added) > 0 {
				full := got
				doc = withoutKeys(doc, ex.added)
				stripped, err := normalize(doc, base, official)
				if err != nil {
					t.Fatalf("with the official context, without %v: %v", ex.added, err)
				}
				if !slices.Equal(stripped, want) {
					t.Fatalf("removing %v changes the dataset of the official context too, so it is not only the model's addition", ex.added)
				}
				if got, err = normalize(doc, base, generated); err != nil {
					t.Fatalf("with the generated context, without %v: %v", ex.added, err)
				}
				if slices.Equal(full, got) {
					t.Errorf("the example's %v adds nothing with the generated context; remove them from the table", ex.added)
				}
				t.Logf("the model's additions %v give %d more quads with the generated context", ex.added, len(full)-len(got))
			}
			if slices.Equal(got, want) {
				t.Logf("same RDF dataset: %d quads", len(got))
				return
			}
			onlyGot, onlyWant := difference(got, want), difference(want, got)
			t.Errorf("the RDF datasets differ (%d quads with the generated context, %d with the official one)\nonly with the generated context:\n%s\nonly with the official context:\n%s",
				len(got), len(want), strings.Join(onlyGot, "\n"), strings.Join(onlyWant, "\n"))
		})
	}
}

// difference returns the lines of a that are not in b; both are sorted.
func difference(a, b []string) []string {
	var out []string
	for _, l := range a {
		if _, found := slices.BinarySearch(b, l); !found {
			out = append(out, l)
		}
	}
	return out
}

// withoutKeys returns a copy of a parsed JSON document without the
// object members named by keys, at any depth.
func withoutKeys(v any, keys []string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if !slices.Contains(keys, k) {
				out[k] = withoutKeys(x, keys)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = withoutKeys(x, keys)
		}
		return out
	}
	return v
}
