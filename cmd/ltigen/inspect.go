package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/inspect"
	"github.com/ltiforge/ltiforge/model/lti2"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/umlfile"
)

const inspectUsage = `Usage: ltigen inspect [--json] [--semantic] [--standard] [FILE|DIR...]

Loads the model files together and prints the resolved UML model. With no
files it loads the LTI 2.0 standard model built into ltigen; --standard
loads the standard model as well as the named files, which is what a
partner's model that extends it needs. It reads
XMI 2.x as Eclipse Papyrus, MagicDraw/Cameo (native and Eclipse export),
Enterprise Architect (XMI 2.1 and 2.5.1) and Modelio write it, and StarUML 5
projects (.uml). Files loaded together may reference each other, so a
partner's model can be loaded with the standard model it extends. A
directory stands for the .xmi, .uml and .xml files directly inside it.

Without --json it prints an outline for people. With --json it prints a
stable JSON report (format 1, documented in the README): classifiers with
their attributes, literals and stereotypes, associations, instances and
diagnostics.

With --semantic it prints the semantic model the generators read instead:
vocabularies, classes with Go names, JSON terms and IRIs, media types with
their context terms, services with their operations, messages,
capabilities, variables and roles; and it also checks the model against
the LTI profile (docs/profile.md). With --json as well, that model is
printed as JSON (semantic format 1, documented in the README).

Every problem is printed on standard error as
  file:line: severity: message (element, id)
and all problems are reported, not only the first.

Exit status: 0 the model has no errors, 1 it has errors, 2 usage error.

Flags:
`

func runInspect(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the JSON report instead of the outline")
	semantic := fs.Bool("semantic", false, "print the semantic model (LTI profile applied) instead of the UML model")
	standard := fs.Bool("standard", false, "load the built-in LTI 2.0 standard model with the named files")
	if _, code, ok := parseFlags(fs, inspectUsage, args, stdout, stderr); !ok {
		return code
	}
	var base []uml.Source
	if *standard || fs.NArg() == 0 {
		std, err := lti2.Sources()
		if err != nil {
			fmt.Fprintf(stderr, "ltigen inspect: reading the built-in standard model: %v\n", err)
			return exitProblem
		}
		base = std
	}
	g, err := umlfile.LoadWith(ctx, base, fs.Args()...)
	if err != nil {
		fmt.Fprintf(stderr, "ltigen inspect: %v\n", err)
		return exitProblem
	}
	var diags uml.Diagnostics
	switch {
	case *semantic:
		m := model.FromGraph(g)
		diags = m.Diagnostics
		printDiagnostics(stderr, diags)
		if *asJSON {
			err = inspect.WriteSemanticJSON(stdout, m)
		} else {
			err = inspect.WriteSemantic(stdout, m)
		}
	default:
		diags = g.Diagnostics
		printDiagnostics(stderr, diags)
		if *asJSON {
			err = inspect.WriteJSON(stdout, g)
		} else {
			err = inspect.WriteOutline(stdout, g)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "ltigen inspect: writing the report: %v\n", err)
		return exitProblem
	}
	if diags.HasErrors() {
		return exitProblem
	}
	return exitOK
}

func printDiagnostics(w io.Writer, ds uml.Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(w, d)
	}
}
