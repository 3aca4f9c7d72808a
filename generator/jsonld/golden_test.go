package jsonld

// Golden tests: each testdata/*.txtar holds model files (model/...), an
// optional "options" section, and the files the emitter must produce
// (out/...). After an intended change, refresh them with
//
//	LTIGEN_UPDATE_GOLDEN=1 go test ./generator/jsonld
//
// and review the diff.

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/golden"

	"golang.org/x/tools/txtar"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/uml"
)

func TestGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden files in testdata: %v", err)
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) { runGolden(t, p) })
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	opts := emit.Options{Root: "example.com/out", Standard: "example.com/out", Package: "catalog"}
	var srcs []uml.Source
	for _, f := range ar.Files {
		switch {
		case strings.HasPrefix(f.Name, "model/"):
			srcs = append(srcs, uml.Source{Path: f.Name, Data: f.Data})
		case f.Name == "options":
			for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
				k, v, _ := strings.Cut(line, ":")
				switch strings.TrimSpace(k) {
				case "files":
					opts.Files = strings.Fields(v)
					opts.Standard = "example.com/standard"
				default:
					t.Fatalf("%s: unknown option %q", file, line)
				}
			}
		case strings.HasPrefix(f.Name, "out/"):
			continue
		default:
			t.Fatalf("%s: section %q is neither model/, out/ nor options", file, f.Name)
		}
	}
	ctx := context.Background()
	m, err := model.LoadSources(ctx, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Diagnostics {
		t.Errorf("the model has a diagnostic: %s", d)
	}
	files, err := New().Emit(ctx, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	again, err := New().Emit(ctx, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(files) {
		t.Fatalf("a second run gave %d files, the first %d", len(again), len(files))
	}
	for i := range files {
		if files[i].Path != again[i].Path || !bytes.Equal(files[i].Data, again[i].Data) {
			t.Errorf("a second run gave other output for %s: the emitter is not deterministic", files[i].Path)
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") {
			checkGoFile(t, f)
		}
	}
	golden.Outputs(t, file, ar, "out/", files)
}

// checkGoFile checks that a Go file parses and is marked generated.
func checkGoFile(t *testing.T, f emit.File) {
	t.Helper()
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, f.Path, f.Data, parser.ParseComments)
	if err != nil {
		t.Errorf("%s does not parse: %v", f.Path, err)
		return
	}
	if !ast.IsGenerated(af) {
		t.Errorf("%s lacks the generated-code marker", f.Path)
	}
}

func TestContextFile(t *testing.T) {
	tests := []struct {
		iri, want, errHas string
	}{
		{iri: "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy", want: "jsonld/ctx/lti/v2/ToolProxy.jsonld"},
		{iri: "https://example.org/contexts/v1.2/a_b-c~d", want: "jsonld/contexts/v1.2/a_b-c~d.jsonld"},
		{iri: "urn:example:ctx", errHas: "host"},
		{iri: "/ctx/relative", errHas: "host"},
		{iri: "http://example.org/", errHas: "names no file"},
		{iri: "http://example.org", errHas: "names no file"},
		{iri: "http://example.org/ctx/", errHas: "names no file"},
		{iri: "http://example.org/ctx?v=2", errHas: "query"},
		{iri: "http://example.org/ctx#v2", errHas: "query or fragment"},
		{iri: "http://example.org/a/../b", errHas: `".."`},
		{iri: "http://example.org/a//b", errHas: "empty"},
		{iri: "http://example.org/.hidden", errHas: "starts with"},
		{iri: "http://example.org/_x", errHas: "starts with"},
		{iri: "http://example.org/a%20b", errHas: "only letters"},
		{iri: "http://example.org/a:b", errHas: "only letters"},
	}
	for _, tc := range tests {
		t.Run(tc.iri, func(t *testing.T) {
			got, err := contextFile(tc.iri)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("contextFile(%q) = %q, %v; want an error saying %q", tc.iri, got, err, tc.errHas)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("contextFile(%q) = %q, %v; want %q", tc.iri, got, err, tc.want)
			}
		})
	}
}

func TestPrefixesCompact(t *testing.T) {
	p := &prefixes{table: []model.Prefix{
		{Prefix: "ex", IRI: "http://example.org/"},
		{Prefix: "exv", IRI: "http://example.org/vocab#"},
		{Prefix: "dup", IRI: "http://example.org/vocab#"},
		{Prefix: "h", IRI: "http:"},
	}, used: map[string]string{}}
	tests := []struct{ iri, want string }{
		{"http://example.org/vocab#term", "exv:term"}, // the longest namespace, the first of equals
		{"http://example.org/thing", "ex:thing"},
		{"http://example.org/", "http://example.org/"}, // nothing after the namespace
		{"http://example.org//x", "ex:/x"},
		{"http://other.example/x", "http://other.example/x"}, // "h://other.example/x" would read as an IRI
		{"urn:example:x", "urn:example:x"},
	}
	for _, tc := range tests {
		if got := p.compact(tc.iri); got != tc.want {
			t.Errorf("compact(%q) = %q, want %q", tc.iri, got, tc.want)
		}
	}
	if len(p.used) != 2 || p.used["dup"] != "" {
		t.Errorf("used prefixes %v, want ex and exv", p.used)
	}
}

// TestEmitErrors checks the models the emitter refuses, with errors that
// say where.
func TestEmitErrors(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmi:version="20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001"
    xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML" xmlns:LTI="http://ltiforge.org/schemas/LTI/1.0">
  <uml:Model xmi:id="m" name="M">
    <packagedElement xmi:type="uml:Class" xmi:id="A" name="A">
      <ownedAttribute xmi:id="A.x" name="x">
        <type xmi:type="uml:PrimitiveType" href="pathmap://UML_LIBRARIES/UMLPrimitiveTypes.library.uml#String"/>
      </ownedAttribute>
    </packagedElement>
    <packagedElement xmi:type="uml:Class" xmi:id="D1" name="D1"/>
    <packagedElement xmi:type="uml:Class" xmi:id="D2" name="D2"/>
  </uml:Model>
  <LTI:Vocabulary base_Package="m" namespace="http://example.org/v#" prefix="ex"/>
`
	tests := []struct {
		name, tail, errHas string
	}{
		{
			name:   "a context IRI with no file name",
			tail:   `<LTI:MediaType base_Class="D1" name="application/a+json" root="A" context="http://example.org/"/>`,
			errHas: "media type application/a+json (m.uml:10): context http://example.org/: the IRI's path",
		},
		{
			name: "two contexts written to one file",
			tail: `<LTI:MediaType base_Class="D1" name="application/a+json" root="A" context="http://one.example/ctx/A"/>
  <LTI:MediaType base_Class="D2" name="application/b+json" root="A" context="https://two.example/ctx/A"/>`,
			errHas: "would both be written to jsonld/ctx/A.jsonld",
		},
		{
			name: "one context, two different documents",
			tail: `<LTI:MediaType base_Class="D1" name="application/a+json" root="A" context="http://example.org/ctx/A"/>
  <LTI:MediaType base_Class="D2" name="application/b+json" root="A" context="http://example.org/ctx/A" prefixes="dc=http://purl.org/dc/terms/"/>`,
			errHas: "share the context http://example.org/ctx/A but their contexts differ",
		},
		{
			name: "a term that is also a prefix",
			tail: `<LTI:Term base_Property="A.x" term="ex"/>
  <LTI:MediaType base_Class="D1" name="application/a+json" root="A" context="http://example.org/ctx/A"/>`,
			errHas: `term "ex" is also the prefix of http://example.org/v#`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := uml.Source{Path: "m.uml", Data: []byte(head + "  " + tc.tail + "\n</xmi:XMI>\n")}
			m, err := model.LoadSources(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			if m.Diagnostics.HasErrors() {
				t.Fatalf("the test model has errors: %v", m.Diagnostics)
			}
			_, err = New().Emit(context.Background(), m, emit.Options{Root: "x", Standard: "x", Package: "m"})
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("error %v, want one saying %q", err, tc.errHas)
			}
		})
	}
}

func TestNoJSONLDMediaTypesNoFiles(t *testing.T) {
	m, err := model.LoadSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	files, err := New().Emit(context.Background(), m, emit.Options{Root: "x", Standard: "x", Package: "m"})
	if err != nil || len(files) != 0 {
		t.Fatalf("Emit on an empty model = %d files, %v; want none", len(files), err)
	}
}
