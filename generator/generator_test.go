package generator

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
)

// fake is an emitter that records the options it is given and returns
// fixed files or an error.
type fake struct {
	name  string
	files []emit.File
	err   error
	got   *emit.Options
}

func (f *fake) Name() string { return f.name }

func (f *fake) Emit(_ context.Context, m *model.Model, o emit.Options) ([]emit.File, error) {
	if f.got != nil {
		*f.got = o
	}
	return f.files, f.err
}

const partnerModel = `<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmi:version="20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001"
    xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML" xmlns:LTI="http://ltiforge.org/schemas/LTI/1.0">
  <uml:Model xmi:id="org" name="Org">
    <packagedElement xmi:type="uml:Class" xmi:id="Unit" name="Unit"/>
  </uml:Model>
  <LTI:Vocabulary base_Package="org" namespace="http://partner.example/vocab/org#" prefix="porg"/>
</xmi:XMI>
`

func TestRunStandardAndPartner(t *testing.T) {
	dir := t.TempDir()
	partner := filepath.Join(dir, "org.uml")
	if err := os.WriteFile(partner, []byte(partnerModel), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		o     Options
		want  emit.Options
		steps []string
		site  bool // the docs root is written
	}{
		{
			name:  "standard",
			o:     Options{Out: filepath.Join(dir, "gen"), DocsOut: filepath.Join(dir, "site"), ImportPath: "example.com/m/generated"},
			want:  emit.Options{Root: "example.com/m/generated", Standard: "example.com/m/generated", Package: "lti2"},
			steps: []string{"load", "one", "two", "write", "write"},
			site:  true,
		},
		{
			name:  "partner without a site",
			o:     Options{Models: []string{partner}, Out: filepath.Join(dir, "orggen"), ImportPath: "example.com/p/orggen", Package: "orghierarchy"},
			want:  emit.Options{Root: "example.com/p/orggen", Standard: StandardImport, Package: "orghierarchy", Files: []string{partner}},
			steps: []string{"load", "one", "two", "write"},
		},
		{
			name:  "partner with a site",
			o:     Options{Models: []string{partner}, Out: filepath.Join(dir, "orggen2"), DocsOut: filepath.Join(dir, "orgsite"), ImportPath: "example.com/p/orggen2", Package: "orghierarchy"},
			want:  emit.Options{Root: "example.com/p/orggen2", Standard: StandardImport, Package: "orghierarchy", Files: []string{partner}},
			steps: []string{"load", "one", "two", "write", "write"},
			site:  true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got emit.Options
			var progress bytes.Buffer
			tc.o.Progress = &progress
			tc.o.Emitters = []emit.Emitter{
				&fake{name: "one", files: []emit.File{{Path: "one/a.txt", Data: []byte("A")}}, got: &got},
				&fake{name: "two", files: []emit.File{{Path: "two/b.txt", Data: []byte("B")}, {Path: "index.html", Data: []byte("S"), Root: emit.DocsRoot}}},
			}
			res, err := Run(context.Background(), tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if got.Root != tc.want.Root || got.Standard != tc.want.Standard || got.Package != tc.want.Package || !slices.Equal(got.Files, tc.want.Files) {
				t.Errorf("the emitters got %+v, want %+v", got, tc.want)
			}
			for _, p := range []string{"one/a.txt", "two/b.txt", ".ltigen-manifest"} {
				if _, err := os.Stat(filepath.Join(tc.o.Out, p)); err != nil {
					t.Errorf("%s was not written: %v", p, err)
				}
			}
			var names []string
			for _, s := range res.Steps {
				names = append(names, s.Name)
			}
			if !slices.Equal(names, tc.steps) {
				t.Errorf("steps %v, want %v", names, tc.steps)
			}
			if _, err := os.Stat(filepath.Join(tc.o.Out, "index.html")); err == nil {
				t.Error("the site's index.html was written to the code's output directory")
			}
			if tc.site {
				for _, p := range []string{"index.html", ".ltigen-manifest"} {
					if _, err := os.Stat(filepath.Join(tc.o.DocsOut, p)); err != nil {
						t.Errorf("the site's %s was not written: %v", p, err)
					}
				}
			} else if res.DocsOut != "" {
				t.Errorf("a partner run without DocsOut has a site in %q", res.DocsOut)
			}
			for _, w := range []string{"load:", "one:", "1 files", "write:", "3 created", "timing:", "total"} {
				if !strings.Contains(progress.String(), w) {
					t.Errorf("progress lacks %q:\n%s", w, progress.String())
				}
			}
			tc.o.Check, tc.o.Progress = true, nil
			res, err = Run(context.Background(), tc.o)
			if err != nil || !res.Report.UpToDate() || !res.Docs.UpToDate() {
				t.Errorf("check after writing: %v, %v, %v", err, res.Report.Changes, res.Docs.Changes)
			}
		})
	}
}

func TestRunRefuses(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.uml")
	if err := os.WriteFile(broken, []byte(strings.Replace(partnerModel, `name="Unit"/>`, `name="Unit"><generalization xmi:id="g" general="nowhere"/></packagedElement>`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	tests := []struct {
		name     string
		o        Options
		is       error
		errHas   string
		diagnose bool
	}{
		{name: "model errors stop the run", o: Options{Models: []string{broken}, Package: "p"}, is: ErrModel, errHas: "the model has errors: 1 error", diagnose: true},
		{name: "an emitter's error names it", o: Options{Emitters: []emit.Emitter{&fake{name: "bad", err: boom}}}, is: boom, errHas: "emitter bad: boom"},
		{name: "two emitters, one path", o: Options{Emitters: []emit.Emitter{
			&fake{name: "one", files: []emit.File{{Path: "x.go"}}},
			&fake{name: "two", files: []emit.File{{Path: "x.go"}}},
		}}, errHas: "emitters one and two both produce x.go (out root)"},
		{name: "one path in each root is fine, twice in the docs root is not", o: Options{Emitters: []emit.Emitter{
			&fake{name: "one", files: []emit.File{{Path: "x.html"}, {Path: "x.html", Root: emit.DocsRoot}}},
			&fake{name: "two", files: []emit.File{{Path: "x.html", Root: emit.DocsRoot}}},
		}}, errHas: "emitters one and two both produce x.html (docs root)"},
		{name: "Go that does not parse", o: Options{Emitters: []emit.Emitter{&fake{name: "go", files: []emit.File{{Path: "p/x.go", Data: []byte("package p\nfunc {")}}}}},
			errHas: "emitter go: p/x.go is not valid Go: 2:6"},
		{name: "a path that escapes", o: Options{Emitters: []emit.Emitter{&fake{name: "one", files: []emit.File{{Path: "../x.go"}}}}}, errHas: "escapes"},
		{name: "a partner run into the standard directory", o: Options{Models: []string{broken}, Package: "p", ImportPath: StandardImport}, is: ErrOptions, errHas: "standard model's output directory"},
		{name: "a keyword for a package", o: Options{Models: []string{broken}, Package: "func"}, is: ErrOptions, errHas: "not a lower-case Go identifier"},
		{name: "an upper-case package", o: Options{Models: []string{broken}, Package: "Org"}, is: ErrOptions, errHas: "not a lower-case Go identifier"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			tc.o.Out = out
			if tc.o.ImportPath == "" {
				tc.o.ImportPath = "example.com/out"
			}
			res, err := Run(context.Background(), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("error %v, want one saying %q (is %v)", err, tc.errHas, tc.is)
			}
			if tc.diagnose && !res.Diagnostics.HasErrors() {
				t.Errorf("the result holds no diagnostics")
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused run created the output directory: %v", err)
			}
		})
	}
}

func TestGoFilesAreFormatted(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	o := Options{Out: out, ImportPath: "example.com/out", Emitters: []emit.Emitter{&fake{name: "go", files: []emit.File{
		{Path: "p/x.go", Data: []byte("package p\nfunc F( ) int { return 1 }\n")},
		{Path: "p/x.txt", Data: []byte("package p\nfunc F( ) int { return 1 }\n")},
	}}}}
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"x.go":  "package p\n\nfunc F() int { return 1 }\n",
		"x.txt": "package p\nfunc F( ) int { return 1 }\n",
	} {
		got, err := os.ReadFile(filepath.Join(out, "p", name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestImportPath(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "mod")
	if err := os.MkdirAll(filepath.Join(mod, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("// A module.\nmodule \"example.com/m\" // the path\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ dir, want, errHas string }{
		{dir: mod, want: "example.com/m"},
		{dir: filepath.Join(mod, "sub"), want: "example.com/m/sub"},
		{dir: filepath.Join(mod, "not", "yet"), want: "example.com/m/not/yet"},
		{dir: filepath.Join(dir, "outside"), errHas: "no go.mod"},
	}
	for _, tc := range tests {
		got, err := ImportPath(tc.dir)
		if tc.errHas != "" {
			// A go.mod above the temporary directory would make the
			// path known; only check the message when there is none.
			if err != nil && !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("ImportPath(%s): %v, want an error saying %q", tc.dir, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ImportPath(%s) = %q, %v; want %q", tc.dir, got, err, tc.want)
		}
	}
	// The tests run in the package's directory, inside the module.
	if got, err := ImportPath("generated"); err != nil || got != "github.com/ltiforge/ltiforge/generator/generated" {
		t.Errorf(`ImportPath("generated") = %q, %v; want it under the module's path`, got, err)
	}
}

func TestModulePath(t *testing.T) {
	tests := []struct{ gomod, want string }{
		{"module example.com/a\n", "example.com/a"},
		{"// comment\nmodule\texample.com/b // trailing\n", "example.com/b"},
		{`module "example.com/c"` + "\n", "example.com/c"},
		{"modules example.com/d\n", ""},
		{"go 1.26\n", ""},
	}
	for _, tc := range tests {
		got, err := modulePath([]byte(tc.gomod))
		if (err != nil) != (tc.want == "") || got != tc.want {
			t.Errorf("modulePath(%q) = %q, %v; want %q", tc.gomod, got, err, tc.want)
		}
	}
}
