package rest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/golden"

	"golang.org/x/tools/txtar"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/generator/gocode"
	"github.com/ltiforge/ltiforge/model"
)

// genRoot is the module path of the generated code in these tests.
const genRoot = "example.com/gen"

// typesEmitter writes the Go types the REST output uses: the real types
// emitter, so that the handlers are tested against the code they will
// run with.
func typesEmitter() emit.Emitter { return gocode.New() }

// loadPartner loads the model file at path together with the standard
// model, failing on any error.
func loadPartner(t *testing.T, path string) *model.Model {
	t.Helper()
	m, err := model.LoadStandard(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Diagnostics.Errors(); n > 0 {
		t.Fatalf("%s: %d model errors:\n%v", path, n, m.Diagnostics)
	}
	return m
}

// run runs the emitters, failing on any error.
func run(t *testing.T, m *model.Model, o emit.Options, emitters ...emit.Emitter) []emit.File {
	t.Helper()
	var out []emit.File
	for _, e := range emitters {
		files, err := e.Emit(context.Background(), m, o)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out = append(out, files...)
	}
	return out
}

// TestGolden generates each testdata/golden/*.txtar model (a partner
// model loaded with the standard one) and compares the REST package with
// the archive's out/ files. LTIGEN_UPDATE_GOLDEN=1 rewrites them.
func TestGolden(t *testing.T) {
	archives, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no golden archives: %v", err)
	}
	for _, name := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range ar.Files {
				if strings.HasPrefix(f.Name, "out/") {
					continue
				}
				if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			modelFile := filepath.Join(dir, "model.uml")
			m := loadPartner(t, modelFile)
			o := emit.Options{Root: genRoot + "/partner", Standard: genRoot, Package: "catalog", Files: []string{modelFile}}
			got := run(t, m, o, New())
			golden.Outputs(t, name, ar, "out/", got)
		})
	}
}

// TestDeterministic checks that two runs give the same bytes.
func TestDeterministic(t *testing.T) {
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	o := emit.Options{Root: genRoot, Standard: genRoot, Package: "lti2"}
	a, b := run(t, m, o, New()), run(t, m, o, New())
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between runs", a[i].Path)
		}
	}
}

// TestStandardOutput checks what the standard model's run produces: the
// httpapi package, one file per JSON service, no Basic Outcomes service
// (with the reason in the package documentation), and the generated
// header on every Go file.
func TestStandardOutput(t *testing.T) {
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	files := run(t, m, emit.Options{Root: genRoot, Standard: genRoot, Package: "lti2"}, New())
	byPath := map[string]string{}
	for _, f := range files {
		byPath[f.Path] = string(f.Data)
		if !strings.HasPrefix(string(f.Data), "// "+emit.GoHeader+"\n") {
			t.Errorf("%s: no generated-code header", f.Path)
		}
	}
	for _, p := range []string{
		"httpapi/server.go", "httpapi/client.go", "httpapi/problem.go",
		"lti2rest/doc.go", "lti2rest/errors.go",
		"lti2rest/tool_consumer_profile_service.go", "lti2rest/tool_proxy_service.go",
		"lti2rest/tool_proxy_confirmation_service.go", "lti2rest/tool_settings_service.go",
		"lti2rest/result_service.go", "lti2rest/membership_service.go",
	} {
		if _, ok := byPath[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	if _, ok := byPath["lti2rest/basic_outcomes_service.go"]; ok {
		t.Error("the POX service was generated")
	}
	if !strings.Contains(byPath["lti2rest/doc.go"], "BasicOutcomesService is not generated") {
		t.Error("doc.go does not say why Basic Outcomes is left out")
	}
	// A partner run leaves the support package to the standard run.
	partner := run(t, m, emit.Options{Root: genRoot + "/p", Standard: genRoot, Package: "p", Files: []string{"none.uml"}}, New())
	if len(partner) != 0 {
		t.Errorf("a partner run with no services produced %d files", len(partner))
	}
}

// writeModule writes files under dir as the module genRoot. The module
// requires what the repository's module does (generated code may use it)
// and takes its go.sum.
func writeModule(t *testing.T, dir string, files []emit.File) {
	t.Helper()
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile("../../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	var gomod strings.Builder
	gomod.WriteString("module " + genRoot + "\n")
	inModule := true
	for _, line := range strings.Split(string(mod), "\n") {
		if strings.HasPrefix(line, "module ") {
			continue
		}
		if strings.HasPrefix(line, "replace") || strings.HasPrefix(line, "tool") {
			inModule = false
		}
		if inModule {
			gomod.WriteString(line + "\n")
		}
	}
	files = append(files,
		emit.File{Path: "go.mod", Data: []byte(gomod.String())},
		emit.File{Path: "go.sum", Data: sum})
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goCmd runs the go command in dir with the module cache only.
func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if testing.Verbose() {
		t.Logf("go %s:\n%s", strings.Join(args, " "), out)
	}
}

// TestGeneratedCode generates the standard services and the golden
// partner model into a temporary module, checks that the code is
// gofmt'ed, builds and vets, and runs the handler and client tests of
// testdata/handlers against it. (The worked partner example is generated
// in place and served by its own test in examples/partner/orghierarchy.)
func TestGeneratedCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a generated module")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	std := emit.Options{Root: genRoot, Standard: genRoot, Package: "lti2"}
	files := run(t, m, std, typesEmitter(), New())

	ar, err := txtar.ParseFile("testdata/golden/catalog.txtar")
	if err != nil {
		t.Fatal(err)
	}
	modelDir := t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "model.uml" {
			if err := os.WriteFile(filepath.Join(modelDir, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	modelFile := filepath.Join(modelDir, "model.uml")
	pm := loadPartner(t, modelFile)
	po := emit.Options{Root: genRoot + "/partner", Standard: genRoot, Package: "catalog", Files: []string{modelFile}}
	for _, f := range run(t, pm, po, typesEmitter(), New()) {
		f.Path = "partner/" + f.Path
		files = append(files, f)
	}

	// The partner example of examples/partner/orghierarchy.
	for name, dest := range map[string]string{
		"handlers_test.go": "lti2rest/handlers_test.go",
		"httpapi_test.go":  "httpapi/httpapi_test.go",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "handlers", name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, emit.File{Path: dest, Data: data})
	}
	dir := t.TempDir()
	writeModule(t, dir, files)

	cmd := exec.Command("gofmt", "-l", ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("gofmt -l: %v\n%s", err, out)
	}
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "test", "-count=1", "./...")
}
