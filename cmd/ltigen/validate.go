//go:build !bootstrap

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ltiforge/ltiforge/generated/jsonld"
	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
)

const validateUsage = `Usage: ltigen validate [--media-type T] [--canonical] FILE...

Validates LTI 2.0 JSON documents against the standard model, through the
generated Go types: each file is decoded as a document of its media type
and checked for the model's cardinalities, required properties, simple-type
limits, closed enumerations, @type and @id rules. The media type is
--media-type when given (compared without regard to case), and otherwise
the one whose standard context the document's @context names, or whose
root class its @type names; an object with neither is the tool settings
simple form. "-" reads standard input.

A document whose @context is not the standard one (other prefixes, terms
written as compact IRIs) is first compacted to the standard context with
JSON-LD processing. Contexts come from the ones built into ltigen; nothing
is fetched from the network, so a document that needs any other remote
context fails to decode.

Each problem is printed on standard output as
  FILE#/json/pointer: message
and a valid file as "FILE: valid (media type)". With --canonical every
document that decodes is printed re-encoded instead of the "valid" line, in
canonical compact form (single values bare, multi-valued properties as
arrays, unknown keys kept), after its problems if it has any.

Exit status: 0 every file is valid, 1 a file is invalid or cannot be read
or decoded, 2 usage error.

Flags:
`

// maxDocument bounds the size of a document validate reads.
const maxDocument = 64 << 20

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	mediaType := fs.String("media-type", "", "decode every file as this media type instead of detecting it")
	canonical := fs.Bool("canonical", false, "print each document re-encoded in canonical compact form")
	usage, code, ok := parseFlags(fs, validateUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "ltigen validate: no files named")
		fmt.Fprintln(stderr)
		usage.print(stderr)
		return exitUsage
	}
	if *mediaType != "" && !knownMediaType(*mediaType) {
		fmt.Fprintf(stderr, "ltigen validate: unknown media type %q; the JSON media types are:\n", *mediaType)
		for _, mt := range lti2.MediaTypes() {
			fmt.Fprintf(stderr, "  %s\n", mt)
		}
		return exitUsage
	}
	code = exitOK
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(stderr, "ltigen validate: %v\n", err)
			return exitProblem
		}
		if !validateFile(name, *mediaType, *canonical, stdout, stderr) {
			code = exitProblem
		}
	}
	return code
}

func knownMediaType(mt string) bool {
	for _, m := range lti2.MediaTypes() {
		if ld.SameMediaType(m, mt) {
			return true
		}
	}
	return false
}

// builtinContexts loads the standard contexts generated into ltigen.
func builtinContexts(iri string) ([]byte, error) {
	if data, ok := jsonld.Context(iri); ok {
		return data, nil
	}
	return nil, fmt.Errorf("context %s is not one ltigen knows, and validate fetches nothing", iri)
}

// validateFile validates one file and reports whether it is valid.
func validateFile(name, mediaType string, canonical bool, stdout, stderr io.Writer) bool {
	data, err := readDocument(name)
	if err != nil {
		fmt.Fprintf(stderr, "ltigen validate: %v\n", err)
		return false
	}
	mt := mediaType
	if mt == "" {
		if mt = lti2.DetectMediaType(data); mt == "" {
			fmt.Fprintf(stdout, "%s: cannot tell the media type from @context or @type; give --media-type\n", name)
			return false
		}
	}
	doc, err := lti2.DecodeDocument(mt, data, ld.WithLoader(builtinContexts))
	if err == nil {
		err = doc.Validate()
	}
	valid := err == nil
	var ve ld.ValidationErrors
	switch {
	case errors.As(err, &ve):
		for _, e := range ve {
			fmt.Fprintf(stdout, "%s#%s: %s\n", name, e.Pointer, e.Message)
		}
	case err != nil:
		fmt.Fprintf(stdout, "%s: %v\n", name, err)
	}
	if doc == nil {
		return false
	}
	if !canonical {
		if valid {
			fmt.Fprintf(stdout, "%s: valid (%s)\n", name, mt)
		}
		return valid
	}
	out, err := doc.Encode()
	if err != nil {
		fmt.Fprintf(stdout, "%s: encoding: %v\n", name, err)
		return false
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return valid
}

func readDocument(name string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxDocument {
		return nil, fmt.Errorf("%s: larger than %d MiB", name, maxDocument>>20)
	}
	return data, nil
}

// documentCommands are the commands that work through the generated Go
// types. They are left out of a bootstrap build (go build -tags
// bootstrap), which the Makefile uses to run the generator, so that
// ltigen can always regenerate its own output, even when that output is
// missing or broken.
func documentCommands() []command {
	return []command{{name: "validate", summary: "validate LTI 2.0 JSON documents against the model", run: runValidate}}
}
