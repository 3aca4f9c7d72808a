// Package rest is the REST emitter: for each service of the semantic model
// it generates, in the package <package>rest (lti2rest for the standard
// model), a Go interface the runtime implements, an http.Handler that
// serves it and a typed client; and, when the standard model is generated,
// the support package httpapi those share.
//
// # Routing and negotiation
//
// A generated handler is an httpapi.Server over a table of the service's
// operations (method, URL template, request and response media types,
// modelled statuses). For each request it:
//
//  1. reads the body within a configurable limit (413);
//  2. calls the runtime's Authenticator with the request and the raw body,
//     before anything else (401, or 403 when the authenticator says so);
//  3. matches the path against the URL templates, each variable filling
//     one whole segment, literal segments winning over variables (404),
//     and the method (405 with Allow);
//  4. among the operations sharing the path and method (the Tool Settings
//     forms), picks the one whose request media type is the Content-Type
//     (415) and then the one whose response media type the Accept header
//     prefers, by quality and then model order (406);
//  5. reads the typed inputs (path, query and header parameters; the body
//     through the types package's Decode and Validate functions), answering
//     400 with an RFC 9457 problem body that names the parameter or the
//     JSON pointer at fault;
//  6. calls the implementation and writes its result with the operation's
//     success status. An *httpapi.Error it returns is answered with its
//     status when the model lists that status for the operation; any other
//     error is logged and answered 500 without detail.
//
// A generated client implements the same interface over HTTP: it builds the
// URL (from a base URL and the model's template, an endpoint template from
// the Tool Consumer Profile, or a ready-made URL), signs the request with
// the runtime's Signer and returns an *httpapi.Error, with the status and
// problem body, for any answer other than 2xx.
//
// # LTI 1.1 Basic Outcomes
//
// Services exchanging XML (the POX Basic Outcomes service) are not
// generated: their operations share one URL and method and are told apart
// by the element inside the envelope, and they answer 200 with the outcome
// in the envelope even when the operation fails. The runtime implements POX
// by hand; the generated package documentation says so.
package rest

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"go/format"
	"io/fs"
	"path"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
)

//go:embed templates/httpapi/*.go.tmpl
var templates embed.FS

// New returns the REST emitter.
func New() emit.Emitter { return emitter{} }

// emitter is the REST emitter.
type emitter struct{}

// Name names the output.
func (emitter) Name() string { return "rest" }

// Emit returns the REST package of the model's services (those of
// o.Files, when set) and, when the standard model itself is generated
// (o.Root == o.Standard), the httpapi support package.
func (emitter) Emit(ctx context.Context, m *model.Model, o emit.Options) ([]emit.File, error) {
	if m == nil {
		return nil, fmt.Errorf("rest: no model")
	}
	var files []emit.File
	if o.Root == o.Standard {
		support, err := httpapiFiles()
		if err != nil {
			return nil, err
		}
		files = append(files, support...)
	}
	g, err := newGen(m, o)
	if err != nil {
		return nil, err
	}
	pkg, err := g.files(ctx)
	if err != nil {
		return nil, err
	}
	return append(files, pkg...), nil
}

// httpapiFiles returns the support package's files, from the embedded
// templates: each gets the generated-code header and is gofmt'ed.
func httpapiFiles() ([]emit.File, error) {
	names, err := fs.Glob(templates, httpapiTemplatesGlob)
	if err != nil {
		return nil, err
	}
	var out []emit.File
	for _, name := range names {
		data, err := templates.ReadFile(name)
		if err != nil {
			return nil, err
		}
		src := append([]byte("// "+emit.GoHeader+"\n\n"), data...)
		formatted, err := format.Source(src)
		if err != nil {
			return nil, fmt.Errorf("rest: template %s: %w", name, err)
		}
		base := strings.TrimSuffix(path.Base(name), ".tmpl")
		out = append(out, emit.File{Path: path.Join(httpapiPackage, base), Data: formatted})
	}
	return out, nil
}

// render formats a generated file.
func render(p string, f *jen.File) (emit.File, error) {
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return emit.File{}, fmt.Errorf("rest: rendering %s: %w", p, err)
	}
	return emit.File{Path: p, Data: buf.Bytes()}, nil
}
