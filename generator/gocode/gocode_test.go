package gocode

import (
	"bytes"
	"context"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/golden"

	"golang.org/x/tools/txtar"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
)

// Each testdata/*.txtar holds a small model (model.uml) and the files the
// emitter writes for it under the package directory (shop/...), as Go
// source. The ld support package is template text emitted verbatim and is
// not repeated there. LTIGEN_UPDATE_GOLDEN=1 rewrites the expected files.

// goldenOptions place a small model's output in a module of its own.
var goldenOptions = emit.Options{Root: "example.com/gen", Standard: "example.com/gen", Package: "shop"}

func loadArchiveModel(t *testing.T, a *txtar.Archive) *model.Model {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for _, f := range a.Files {
		if strings.HasSuffix(f.Name, ".uml") || strings.HasSuffix(f.Name, ".xmi") {
			p := filepath.Join(dir, f.Name)
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, p)
		}
	}
	m, err := model.Load(context.Background(), files...)
	if err != nil {
		t.Fatal(err)
	}
	if m.Diagnostics.HasErrors() {
		t.Fatalf("model errors:\n%s", m.Diagnostics.Error())
	}
	return m
}

func TestGolden(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden cases (%v)", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m := loadArchiveModel(t, a)
			files, err := New().Emit(context.Background(), m, goldenOptions)
			if err != nil {
				t.Fatal(err)
			}
			// The support package is the same for every model; the
			// golden files hold the model's own package.
			var got []emit.File
			for _, f := range files {
				if p, ok := strings.CutPrefix(f.Path, goldenOptions.Package+"/"); ok {
					got = append(got, emit.File{Path: p, Data: f.Data})
				}
			}
			golden.Outputs(t, path, a, goldenOptions.Package+"/", got)
		})
	}
}

// TestEmitDeterministic emits the standard model twice and requires the
// same bytes, every Go file marked generated.
func TestEmitDeterministic(t *testing.T) {
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opts := emit.Options{Root: "example.com/gen", Standard: "example.com/gen", Package: "lti2"}
	a, err := New().Emit(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New().Emit(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	fset := token.NewFileSet()
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s: differs between runs", a[i].Path)
		}
		f, err := parser.ParseFile(fset, a[i].Path, a[i].Data, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Errorf("%s: %v", a[i].Path, err)
			continue
		}
		if !ast.IsGenerated(f) {
			t.Errorf("%s: not marked as generated", a[i].Path)
		}
		if formatted, err := format.Source(a[i].Data); err != nil || !bytes.Equal(formatted, a[i].Data) {
			t.Errorf("%s: not gofmt-clean (%v)", a[i].Path, err)
		}
	}
}

// TestGeneratedCodeBuilds writes the output for the standard model and for
// each golden model into a temporary module and runs go vet on it (which
// type-checks it), with the module cache only: no network.
func TestGeneratedCodeBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet on generated code")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	gomod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	modLine := regexp.MustCompile(`(?m)^module .*$`)
	std, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]*model.Model{"standard": std}
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(p)] = loadArchiveModel(t, a)
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			opts := goldenOptions
			if name == "standard" {
				opts.Package = "lti2"
			}
			files, err := New().Emit(context.Background(), m, opts)
			if err != nil {
				t.Fatal(err)
			}
			write := func(p string, data []byte) {
				p = filepath.Join(dir, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("go.mod", modLine.ReplaceAll(gomod, []byte("module example.com/gen")))
			write("go.sum", gosum)
			for _, f := range files {
				write(f.Path, f.Data)
			}
			cmd := exec.Command(goTool, "vet", "./...")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go vet: %v\n%s", err, out)
			}
		})
	}
}

// curieByScan is how curies.compact used to work: every vocabulary tried
// in order, the first shortest CURIE kept.
func curieByScan(vs []*model.Vocabulary, iri string) string {
	best := ""
	for _, v := range vs {
		if local, ok := strings.CutPrefix(iri, v.Namespace); ok && local != "" {
			if c := v.Prefix + ":" + local; best == "" || len(c) < len(best) {
				best = c
			}
		}
	}
	return best
}

// TestCuriesMatchScan checks the namespace index against trying every
// vocabulary, on the standard model's IRIs and on vocabularies that share
// a namespace, nest, and tie.
func TestCuriesMatchScan(t *testing.T) {
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	iris := []string{"", "x", "http://a/", "http://a/b", "http://a/b#c", "http://a/b#", "http://b/c", "urn:x:y", "http://a/bb/c", "http://b/c/x"}
	for _, k := range m.Classes {
		iris = append(iris, k.IRI)
		for _, p := range k.Properties {
			iris = append(iris, p.IRI)
		}
	}
	for _, e := range m.Enums {
		for _, mm := range e.Members {
			iris = append(iris, mm.IRI)
		}
	}
	for _, mt := range m.MediaTypes {
		for _, tm := range mt.Terms {
			iris = append(iris, tm.IRI, tm.CoercionIRI)
		}
	}
	odd := []*model.Vocabulary{
		{Namespace: "http://a/", Prefix: "aaa"},
		{Namespace: "http://a/b#", Prefix: "ab"},
		{Namespace: "http://a/", Prefix: "a"},  // same namespace, shorter prefix, later
		{Namespace: "http://a/", Prefix: "z"},  // as short, later still
		{Namespace: "http://a/b", Prefix: "q"}, // ends in neither # nor /
		{Namespace: "http://b/", Prefix: "b"},  // b:c/x ties with bcc:x
		{Namespace: "http://b/c/", Prefix: "bcc"},
	}
	reversed := slices.Clone(odd)
	slices.Reverse(reversed)
	for _, vs := range [][]*model.Vocabulary{m.Vocabularies, odd, reversed, append(slices.Clone(odd), m.Vocabularies...),
		append(odd[:1:1], &model.Vocabulary{Namespace: "", Prefix: "e"})} {
		c := newCuries(vs)
		for _, iri := range iris {
			if got, want := c.compact(iri), curieByScan(vs, iri); got != want {
				t.Errorf("compact(%q) = %q, want %q (%d vocabularies)", iri, got, want, len(vs))
			}
		}
	}
}
