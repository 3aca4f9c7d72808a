package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/ltiforge/ltiforge/generator"
	"github.com/ltiforge/ltiforge/generator/genfs"
)

const generateUsage = `Usage: ltigen generate [-model FILE|DIR]... [-out DIR] [-docs DIR] [-package NAME] [-import PATH] [-check] [-v]

Generates everything ltiforge derives from an LTI model (Go types, JSON-LD
contexts, REST handlers and clients) and writes it under the output
directory, and the reference documentation site under the docs directory
(./docs/reference for the standard model; a partner run writes a site,
documenting the standard model and the partner's together, only when -docs
names a directory).

With no -model it generates the LTI 2.0 standard model built into ltigen,
into ./generated (Go package lti2). With -model, which may be repeated (a
directory stands for the .xmi, .uml and .xml files directly inside it), it
loads a partner's model on top of the standard one it extends and
generates only the partner's elements: into -out DIR, as Go package
-package NAME, both required; they refer to the standard model's types in
github.com/ltiforge/ltiforge/generated.

The Go import path of the output directory comes from the go.mod file of
the module that holds it; -import gives it where there is none.

The output directory and the docs directory each keep a manifest,
.ltigen-manifest, of the files ltigen wrote there. Files it wrote before and no longer generates are
removed. Files it did not write (a README, code of your own) are never
touched, and ltigen refuses to overwrite one. Unchanged files are not
rewritten.

With -check nothing is written: each file that is out of date, missing or
stale is listed, and the exit status is 1 if there is any ("make check"
runs this).

Model problems are printed on standard error as
  file:line: severity: message (element, id)
and errors stop the run before anything is written.

Exit status: 0 done (with -check: everything is up to date); 1 the model
has errors, a file could not be written, or with -check files are out of
date; 2 usage error.

Examples:
  ltigen generate -v                 # regenerate ./generated ("make generate")
  ltigen generate -check             # is ./generated up to date? ("make check")
  ltigen generate -model org.uml -out internal/orggen -package orghierarchy

Flags:
`

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	var models stringList
	fs.Var(&models, "model", "a partner's model `FILE or DIR`, loaded on top of the standard model (repeatable)")
	out := fs.String("out", "", "output `DIR` (default "+generator.DefaultOut+" for the standard model; required with -model)")
	docs := fs.String("docs", "", "reference site `DIR` (default "+generator.DefaultDocsOut+" for the standard model; none for -model unless given)")
	pkg := fs.String("package", "", "Go package `NAME` of a partner model's types (required with -model)")
	imp := fs.String("import", "", "Go import `PATH` of the output directory (default: from go.mod)")
	check := fs.Bool("check", false, "write nothing; list the files that are out of date and exit 1 if any")
	verbose := fs.Bool("v", false, "print each step and a timing summary on standard error")
	_, code, ok := parseFlags(fs, generateUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ltigen generate: unexpected argument %q; name model files with -model\n", fs.Arg(0))
		return exitUsage
	}
	o := generator.Options{Models: models, Out: *out, DocsOut: *docs, ImportPath: *imp, Package: *pkg, Check: *check}
	if *verbose {
		o.Progress = stderr
	}
	res, err := generator.Run(ctx, o)
	if res != nil {
		printDiagnostics(stderr, res.Diagnostics)
	}
	switch {
	case errors.Is(err, generator.ErrOptions):
		fmt.Fprintf(stderr, "ltigen generate: %v\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "ltigen generate: %v\n", err)
		return exitProblem
	}
	status := exitOK
	roots := []struct {
		dir string
		rep genfs.Report
	}{{res.Out, res.Report}, {res.DocsOut, res.Docs}}
	for _, r := range roots {
		if r.dir == "" {
			continue
		}
		if reportRoot(stdout, stderr, r.dir, r.rep, *check) {
			status = exitProblem
		}
	}
	return status
}

// reportRoot prints what a run did to one output directory and reports
// whether, checking, it is out of date.
func reportRoot(stdout, stderr io.Writer, dir string, rep genfs.Report, check bool) bool {
	if !check {
		fmt.Fprintf(stdout, "ltigen generate: %s: %d created, %d updated, %d removed, %d unchanged\n",
			dir, rep.Count(genfs.Create), rep.Count(genfs.Update), rep.Count(genfs.Remove), rep.Unchanged)
		return false
	}
	if rep.UpToDate() {
		fmt.Fprintf(stdout, "ltigen generate -check: %s is up to date (%d files)\n", dir, rep.Unchanged)
		return false
	}
	for _, c := range rep.Changes {
		fmt.Fprintf(stdout, "%s: %s\n", filepath.Join(dir, filepath.FromSlash(c.Path)), describe(c.Kind))
	}
	fmt.Fprintf(stderr, "ltigen generate -check: %d files in %s are out of date; run \"make generate\" (ltigen generate) and commit them\n",
		len(rep.Changes), dir)
	return true
}

// describe says what writing would do to a file.
func describe(k genfs.Kind) string {
	switch k {
	case genfs.Create:
		return "missing (would be created)"
	case genfs.Update:
		return "out of date (would be rewritten)"
	case genfs.Remove:
		return "stale (no longer generated; would be removed)"
	}
	return k.String()
}
