// Package generator is the generation pipeline: it loads the models, stops
// with their diagnostics when they have errors, runs every emitter (Go
// types, JSON-LD contexts, REST handlers and clients) on the semantic
// model, and writes all their files through one writer (package genfs),
// which in check mode writes nothing and reports what is out of date.
// Files are written under one of two output roots: the generated code's
// directory (Options.Out) or, for files an emitter marks emit.DocsRoot,
// the reference site's (Options.DocsOut); each root has its own manifest.
//
// # Standard and partner generation
//
// With no model files named, the LTI 2.0 standard model built into ltigen is
// generated: every element is emitted, the Go types go to package lti2, and
// the output root is also the standard root (emit.Options.Root ==
// Standard). With model files named (a partner's model, loaded on top of the
// standard one it extends), only the elements of those files are emitted,
// into the package Options.Package under Options.Out, and they refer to the
// standard model's elements in the published standard packages
// (StandardImport).
//
// The emitters run one after the other, in the order of Emitters, on one
// model; they only read it. Every Go file they produce is formatted with
// go/format before it is written ("format last, once"), so the output is
// gofmt-clean whatever an emitter's templates look like; a Go file that does
// not parse stops the run with the emitter's name, the file and the
// position.
package generator

import (
	"context"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/ltiforge/ltiforge/generator/docs"
	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/generator/genfs"
	"github.com/ltiforge/ltiforge/generator/gocode"
	"github.com/ltiforge/ltiforge/generator/jsonld"
	"github.com/ltiforge/ltiforge/generator/jsonschema"
	"github.com/ltiforge/ltiforge/generator/openapi"
	"github.com/ltiforge/ltiforge/generator/rest"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/lti2"
	"github.com/ltiforge/ltiforge/model/uml"
)

// StandardImport is the import path of the directory holding the standard
// model's generated packages, which partner code refers to.
const StandardImport = "github.com/ltiforge/ltiforge/generated"

// DefaultOut is the output directory when none is given.
const DefaultOut = "generated"

// DefaultDocsOut is the directory of the reference documentation site
// (the emitters' files with Root emit.DocsRoot) in a standard run.
const DefaultDocsOut = "docs/reference"

// Emitters returns the emitters the pipeline runs, in order.
//
// The Go types (generator/gocode, whose emitter is gocode.New()) and the
// REST code (generator/rest, rest.New()) join this list, before and after
// jsonld, once the packages they generate compile and are gofmt-clean.
func Emitters() []emit.Emitter {
	return []emit.Emitter{
		gocode.New(),
		jsonld.New(),
		rest.New(),
		jsonschema.New(),
		openapi.New(),
		docs.New(),
	}
}

// Options configure one run.
type Options struct {
	// Models are the partner's model files and directories, loaded on top
	// of the standard model. Empty generates the standard model.
	Models []string
	// Out is the output directory; DefaultOut when empty. A partner run
	// must name its own.
	Out string
	// DocsOut is the directory of the reference site; DefaultDocsOut
	// when empty in a standard run. A partner run writes a site only when
	// it names one (the site then documents the standard model and the
	// partner's together); otherwise the site's files are dropped. A run
	// whose emitters produce no site file leaves DocsOut alone.
	DocsOut string
	// ImportPath is the Go import path of Out. When empty it is computed
	// from the go.mod file of the module holding Out.
	ImportPath string
	// Package is the Go package (and directory under Out) of the emitted
	// types: emit.StandardPackage for the standard model, required for a
	// partner model.
	Package string
	// Check compares instead of writing (genfs.Check).
	Check bool
	// Progress, when set, receives a line per step and a timing summary.
	Progress io.Writer
	// Emitters replace Emitters() when set (tests).
	Emitters []emit.Emitter

	// sources, when set, are generated in place of the embedded standard
	// model, as a standard run (tests and benchmarks: synthetic models).
	sources []uml.Source
}

// Step is the time one step of a run took.
type Step struct {
	// Name is "load", an emitter's name, or "write" / "check".
	Name string
	// Files is the number of files an emitter produced.
	Files    int
	Duration time.Duration
}

// Result is what a run did.
type Result struct {
	// Out is the output directory, and DocsOut the reference site's ("" when
	// the run writes no site).
	Out     string
	DocsOut string
	// Options are the options the emitters were given.
	Options emit.Options
	// Diagnostics are the model's problems, warnings included.
	Diagnostics uml.Diagnostics
	// Report says which files under Out changed (or, checking, would
	// change), and Docs the same for DocsOut.
	Report genfs.Report
	Docs   genfs.Report
	Steps  []Step
	Total  time.Duration
}

// ErrModel is returned, wrapped, when the models have errors; they are in
// Result.Diagnostics.
var ErrModel = errors.New("the model has errors")

// ErrOptions is returned, wrapped, when the options are wrong or
// incomplete: a partner run without its own output directory or package
// name, a package name that is not a Go identifier, an output directory
// whose import path cannot be found.
var ErrOptions = errors.New("invalid options")

// Run loads the models, runs the emitters and writes (or checks) their
// files. On model errors it returns the result, holding the diagnostics,
// and an error wrapping ErrModel, and writes nothing.
func Run(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	res := &Result{}
	eo, out, err := resolve(o)
	if err != nil {
		return res, fmt.Errorf("%w: %w", ErrOptions, err)
	}
	res.Out, res.Options = out, eo
	res.DocsOut = o.DocsOut
	if res.DocsOut == "" && len(o.Models) == 0 {
		res.DocsOut = DefaultDocsOut
	}

	t := time.Now()
	var m *model.Model
	if o.sources != nil {
		m, err = model.LoadSources(ctx, o.sources...)
	} else {
		m, err = model.LoadStandard(ctx, o.Models...)
	}
	if err != nil {
		return res, fmt.Errorf("loading the models: %w", err)
	}
	res.Diagnostics = m.Diagnostics
	res.step(o.Progress, Step{Name: "load", Duration: time.Since(t)}, fmt.Sprintf("%d model files", len(m.Files)))
	if m.Diagnostics.HasErrors() {
		n, noun := countErrors(m.Diagnostics), "errors"
		if n == 1 {
			noun = "error"
		}
		return res, fmt.Errorf("%w: %d %s", ErrModel, n, noun)
	}
	if len(o.Models) > 0 {
		eo.Files, err = partnerFiles(m)
		if err != nil {
			return res, err
		}
	}
	res.Options = eo

	emitters := o.Emitters
	if emitters == nil {
		emitters = Emitters()
	}
	var files, site []emit.File
	producer := map[emit.Root]map[string]string{emit.OutRoot: {}, emit.DocsRoot: {}}
	for _, e := range emitters {
		t := time.Now()
		fs, err := e.Emit(ctx, m, eo)
		if err != nil {
			return res, fmt.Errorf("emitter %s: %w", e.Name(), err)
		}
		for i, f := range fs {
			byPath, ok := producer[f.Root]
			if !ok {
				return res, fmt.Errorf("emitter %s: %s has an unknown output root %d", e.Name(), f.Path, f.Root)
			}
			if other, dup := byPath[f.Path]; dup {
				return res, fmt.Errorf("emitters %s and %s both produce %s (%s root)", other, e.Name(), f.Path, f.Root)
			}
			byPath[f.Path] = e.Name()
			if strings.HasSuffix(f.Path, ".go") {
				src, err := format.Source(f.Data)
				if err != nil {
					return res, fmt.Errorf("emitter %s: %s is not valid Go: %w", e.Name(), f.Path, err)
				}
				fs[i].Data = src
			}
		}
		for _, f := range fs {
			if f.Root == emit.DocsRoot {
				site = append(site, f)
			} else {
				files = append(files, f)
			}
		}
		res.step(o.Progress, Step{Name: e.Name(), Files: len(fs), Duration: time.Since(t)}, fmt.Sprintf("%d files", len(fs)))
	}

	if res.Report, err = res.write(ctx, o, out, files); err != nil {
		return res, err
	}
	if len(site) == 0 {
		res.DocsOut = "" // no emitter documents the model: leave the docs root alone
	}
	if res.DocsOut != "" {
		if res.Docs, err = res.write(ctx, o, res.DocsOut, site); err != nil {
			return res, err
		}
	}
	res.Total = time.Since(start)
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "timing:")
		for _, s := range res.Steps {
			fmt.Fprintf(o.Progress, " %s %s,", s.Name, s.Duration.Round(time.Millisecond))
		}
		fmt.Fprintf(o.Progress, " total %s\n", res.Total.Round(time.Millisecond))
	}
	return res, nil
}

// write writes (or checks) files under root as one step.
func (r *Result) write(ctx context.Context, o Options, root string, files []emit.File) (genfs.Report, error) {
	t := time.Now()
	name, op := "write", genfs.Write
	if o.Check {
		name, op = "check", genfs.Check
	}
	rep, err := op(ctx, root, files)
	if err != nil {
		return rep, err
	}
	r.step(o.Progress, Step{Name: name, Files: len(files), Duration: time.Since(t)},
		fmt.Sprintf("%d created, %d updated, %d removed, %d unchanged in %s",
			rep.Count(genfs.Create), rep.Count(genfs.Update), rep.Count(genfs.Remove), rep.Unchanged, root))
	return rep, nil
}

// step records a step and reports it on w.
func (r *Result) step(w io.Writer, s Step, detail string) {
	r.Steps = append(r.Steps, s)
	if w != nil {
		fmt.Fprintf(w, "%-8s %s (%s)\n", s.Name+":", detail, s.Duration.Round(time.Millisecond))
	}
}

// resolve checks the options and returns the emitters' options and the
// output directory.
func resolve(o Options) (emit.Options, string, error) {
	partner := len(o.Models) > 0
	out := o.Out
	switch {
	case out == "" && partner:
		return emit.Options{}, "", errors.New("a partner model needs its own output directory (-out): the default, " +
			DefaultOut + ", holds the standard model's files, which a partner run would remove")
	case out == "":
		out = DefaultOut
	}
	pkg := o.Package
	switch {
	case pkg == "" && partner:
		return emit.Options{}, "", errors.New("a partner model needs a Go package name (-package)")
	case pkg == "":
		pkg = emit.StandardPackage
	case !partner && pkg != emit.StandardPackage:
		return emit.Options{}, "", fmt.Errorf("the standard model's package is %s; -package is for a partner model", emit.StandardPackage)
	case partner && pkg == emit.StandardPackage:
		return emit.Options{}, "", fmt.Errorf("package %s is the standard model's; give the partner's package another name", pkg)
	}
	if err := checkPackageName(pkg); err != nil {
		return emit.Options{}, "", err
	}
	imp := o.ImportPath
	if imp == "" {
		var err error
		if imp, err = ImportPath(out); err != nil {
			return emit.Options{}, "", err
		}
	}
	eo := emit.Options{Root: imp, Standard: imp, Package: pkg}
	if partner {
		if imp == StandardImport {
			return emit.Options{}, "", fmt.Errorf("%s is the standard model's output directory; a partner model needs its own", out)
		}
		eo.Standard = StandardImport
	}
	return eo, out, nil
}

// checkPackageName accepts a lower-case Go identifier that is not a
// keyword.
func checkPackageName(name string) error {
	if !token.IsIdentifier(name) || strings.ToLower(name) != name || name == "_" {
		return fmt.Errorf("package name %q is not a lower-case Go identifier", name)
	}
	return nil
}

// partnerFiles returns the loaded files that are not the standard model's.
func partnerFiles(m *model.Model) ([]string, error) {
	std, err := lti2.Sources()
	if err != nil {
		return nil, fmt.Errorf("reading the embedded standard model: %w", err)
	}
	isStd := map[string]bool{}
	for _, s := range std {
		isStd[s.Path] = true
	}
	var out []string
	for _, f := range m.Files {
		if !isStd[f] {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the named models hold no model file besides the standard model's")
	}
	return out, nil
}

func countErrors(ds uml.Diagnostics) int {
	n := 0
	for _, d := range ds {
		if d.Severity == uml.Error {
			n++
		}
	}
	return n
}

// ImportPath returns the Go import path of dir, from the go.mod file of
// the module holding it (dir need not exist yet).
func ImportPath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("the output directory %s: %w", dir, err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		switch {
		case err == nil:
			mod, err := modulePath(data)
			if err != nil {
				return "", fmt.Errorf("%s: %w", filepath.Join(d, "go.mod"), err)
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", err
			}
			return path.Join(mod, filepath.ToSlash(rel)), nil
		case !errors.Is(err, os.ErrNotExist):
			return "", fmt.Errorf("reading %s: %w", filepath.Join(d, "go.mod"), err)
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod in %s or above it, so its Go import path is unknown; give it with -import", abs)
		}
	}
}

// modulePath reads the module path of a go.mod file.
func modulePath(gomod []byte) (string, error) {
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		rest, ok := strings.CutPrefix(line, "module")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t' && rest[0] != '"') {
			continue
		}
		mod := strings.Trim(strings.TrimSpace(rest), `"`)
		if mod == "" {
			break
		}
		return mod, nil
	}
	return "", errors.New("it has no module line")
}
