package rest

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
)

// gen generates the REST package of one model.
type gen struct {
	m     *model.Model
	o     emit.Options
	pkg   string
	media map[string]*model.MediaType
	// services are the services generated, skipped those left out with
	// the reason.
	services []*service
	skipped  []skippedService
}

// skippedService is a service the package leaves out, and why.
type skippedService struct {
	svc    *model.Service
	reason string
}

// service is one generated service.
type service struct {
	svc *model.Service
	ops []*operation
}

// operation is one generated operation.
type operation struct {
	op *model.Operation
	// input is the name of the operation's input struct.
	input  string
	params []*param
	// bodyField names the input's body field; body is the body's
	// document type, nil without a body.
	bodyField string
	body      *docType
	// result is the answer's document type, nil without a body.
	result *docType
	// badParam is the status of a parameter value outside its closed set.
	badParam int
}

// param is one path, query or header parameter of an operation.
type param struct {
	p *model.Param
	// in is "path", "query" or "header".
	in string
	// field is the input struct's field name, goType its Go type
	// (string, int64, float64 or bool).
	field, goType string
	// pointer is set for an optional non-string parameter, held as a
	// pointer so that absent and zero differ.
	pointer bool
}

// required reports whether the parameter must be present.
func (p *param) required() bool { return p.in == "path" || p.p.Cardinality.Required() }

// wire returns the parameter's name on the wire: the template variable,
// query parameter or header name.
func (p *param) wire() string {
	if p.in == "header" && p.p.Header != "" {
		return p.p.Header
	}
	return p.p.Name
}

// newGen indexes the model and decides what is generated.
func newGen(m *model.Model, o emit.Options) (*gen, error) {
	g := &gen{m: m, o: o, pkg: restPackage(o), media: map[string]*model.MediaType{}}
	for _, mt := range m.MediaTypes {
		g.media[strings.ToLower(mt.Name)] = mt
	}
	inputs := map[string]bool{}
	for _, svc := range m.Services {
		if !o.Emits(svc.Origin) {
			continue
		}
		if reason := g.unsupported(svc); reason != "" {
			g.skipped = append(g.skipped, skippedService{svc: svc, reason: reason})
			continue
		}
		s := &service{svc: svc}
		for _, op := range svc.Operations {
			gop, err := g.operation(svc, op, inputs)
			if err != nil {
				return nil, err
			}
			s.ops = append(s.ops, gop)
		}
		g.services = append(g.services, s)
	}
	return g, nil
}

// unsupported returns why a service is not generated, or "".
func (g *gen) unsupported(svc *model.Service) string {
	if len(svc.Operations) == 0 {
		return "it has no operations."
	}
	for _, op := range svc.Operations {
		xml := op.Pox != ""
		for _, name := range slices.Concat(op.Request, op.Response, []string{op.Body, op.Result}) {
			if mt := g.media[strings.ToLower(name)]; mt != nil && mt.Form == model.FormXML {
				xml = true
			}
		}
		if xml {
			return "it exchanges XML (LTI 1.1 POX): its operations share one URL and method " +
				"and are told apart by the element inside the envelope's imsx_POXBody, not by HTTP, " +
				"and it answers 200 with the outcome in the envelope even when an operation fails, " +
				"so neither routing nor status mapping fits it. The runtime implements it by hand " +
				"with the envelope's types."
		}
	}
	return ""
}

// operation prepares one operation.
func (g *gen) operation(svc *model.Service, op *model.Operation, inputs map[string]bool) (*operation, error) {
	where := svc.Name + "." + op.Name
	if op.Method == "" || !strings.HasPrefix(op.Path, "/") {
		return nil, fmt.Errorf("rest: %s: the operation needs a method and a path starting with /", where)
	}
	gop := &operation{op: op, input: op.GoName + "Request", badParam: badParamStatus(op)}
	if inputs[gop.input] {
		gop.input = svc.GoName + op.GoName + "Request"
	}
	inputs[gop.input] = true
	used := map[string]bool{}
	add := func(p *model.Param, in string) {
		name := p.GoName
		if name == "" {
			name = "Param"
		}
		for used[name] {
			name += strings.ToUpper(in[:1]) + in[1:]
		}
		used[name] = true
		goType := p.Type.GoType
		switch goType {
		case "string", "int64", "float64", "bool":
		default:
			goType = "string"
		}
		gp := &param{p: p, in: in, field: name, goType: goType}
		gp.pointer = goType != "string" && !gp.required()
		gop.params = append(gop.params, gp)
	}
	for _, p := range op.PathParams {
		add(p, "path")
	}
	for _, p := range op.QueryParams {
		add(p, "query")
	}
	for _, p := range op.HeaderParams {
		add(p, "header")
	}
	if op.Body != "" {
		t, err := g.docType(where, op.Body)
		if err != nil {
			return nil, err
		}
		gop.body = &t
		gop.bodyField = "Body"
		for used[gop.bodyField] {
			gop.bodyField += "Document"
		}
	}
	if op.Result != "" {
		t, err := g.docType(where, op.Result)
		if err != nil {
			return nil, err
		}
		gop.result = &t
	}
	return gop, nil
}

// docType returns the document type of a media type the operation names.
func (g *gen) docType(where, name string) (docType, error) {
	mt := g.media[strings.ToLower(name)]
	if mt == nil {
		return docType{}, fmt.Errorf("rest: %s: media type %s is not in the model", where, name)
	}
	t, err := docTypeOf(mt, g.o)
	if err != nil {
		return docType{}, fmt.Errorf("rest: %s: %w", where, err)
	}
	return t, nil
}

// badParamStatus is the status of a parameter value outside its closed
// set: 400, unless the operation's model lists 406 and not 400. Such a
// query parameter selects a representation there (Tool Settings' bubble),
// and the model answers a value outside the set 406.
func badParamStatus(op *model.Operation) int {
	has := func(code int) bool {
		return slices.ContainsFunc(op.Status, func(s model.Status) bool { return s.Code == code })
	}
	if !has(http.StatusBadRequest) && has(http.StatusNotAcceptable) {
		return http.StatusNotAcceptable
	}
	return http.StatusBadRequest
}

// files returns the REST package's files: doc.go, errors.go when a body
// is decoded, and one file per service.
func (g *gen) files(ctx context.Context) ([]emit.File, error) {
	if len(g.services) == 0 && len(g.skipped) == 0 {
		return nil, nil
	}
	var out []emit.File
	doc, err := render(g.path("doc.go"), g.docFile())
	if err != nil {
		return nil, err
	}
	out = append(out, doc)
	if g.decodesBodies() {
		f, err := render(g.path("errors.go"), g.errorsFile())
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	for _, s := range g.services {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := render(g.path(fileName(s.svc.GoName)), g.serviceFile(s))
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// path returns the output path of a file of the REST package.
func (g *gen) path(name string) string { return g.pkg + "/" + name }

// decodesBodies reports whether an operation has a request body.
func (g *gen) decodesBodies() bool {
	for _, s := range g.services {
		for _, op := range s.ops {
			if op.body != nil {
				return true
			}
		}
	}
	return false
}

// newFile starts a generated file of the REST package.
func (g *gen) newFile() *jen.File {
	f := jen.NewFilePathName(restImport(g.o), g.pkg)
	f.HeaderComment(emit.GoHeader)
	f.ImportName(g.o.SupportImport(httpapiPackage), httpapiPackage)
	f.ImportName(g.o.SupportImport(ldPackage), ldPackage)
	for _, s := range g.services {
		for _, op := range s.ops {
			for _, t := range []*docType{op.body, op.result} {
				if t != nil {
					f.ImportName(t.Import, path.Base(t.Import))
				}
			}
		}
	}
	return f
}

// docFile is the package documentation.
func (g *gen) docFile() *jen.File {
	f := g.newFile()
	var b strings.Builder
	fmt.Fprintf(&b, "Package %s holds the HTTP bindings of the REST services of the %s model", g.pkg, g.o.Package)
	b.WriteString(": for each service, an interface the runtime implements, an http.Handler that serves it " +
		"(New<Service>Handler) and a typed client that implements the same interface over HTTP " +
		"(New<Service>Client). The handlers and clients hold no business logic; the support package " +
		"httpapi holds what they share (problem bodies, the status-carrying error, negotiation, " +
		"authentication and signing hooks).\n\n")
	if len(g.services) > 0 {
		b.WriteString("Services:\n\n")
		for _, s := range g.services {
			fmt.Fprintf(&b, "  - %s: %s\n", s.svc.GoName, opSummary(s))
		}
	}
	for _, s := range g.skipped {
		fmt.Fprintf(&b, "\n%s is not generated: %s\n", s.svc.GoName, s.reason)
	}
	f.PackageComment(comment(b.String()))
	return f
}

// opSummary lists a service's operations as "METHOD path" pairs.
func opSummary(s *service) string {
	var parts []string
	for _, op := range s.ops {
		p := op.op.Method + " " + op.op.Path
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ") + "."
}

// errorsFile holds the helper that turns a body's decoding or validation
// error into a 400 answer.
func (g *gen) errorsFile() *jen.File {
	f := g.newFile()
	api := g.o.SupportImport(httpapiPackage)
	ld := g.o.SupportImport(ldPackage)
	f.Comment("bodyError turns the error of decoding or validating a request body into a 400")
	f.Comment("answer that names the JSON pointers at fault.")
	f.Func().Id("bodyError").Params(jen.Id("err").Error()).Error().Block(
		jen.Var().Id("invalid").Qual(ld, ldValidationErrors),
		jen.If(jen.Qual("errors", "As").Call(jen.Id("err"), jen.Op("&").Id("invalid")).Op("&&").Len(jen.Id("invalid")).Op(">").Lit(0)).Block(
			jen.Id("fields").Op(":=").Make(jen.Index().Qual(api, "FieldError"), jen.Lit(0), jen.Len(jen.Id("invalid"))),
			jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Id("invalid")).Block(
				jen.Id("fields").Op("=").Append(jen.Id("fields"), jen.Qual(api, "BodyField").Call(
					jen.Id("v").Dot(ldValidationPointer), jen.Id("v").Dot(ldValidationMessage))),
			),
			jen.Return(jen.Qual(api, "InvalidBody").Call(jen.Id("fields").Op("..."))),
		),
		jen.Return(jen.Qual(api, "MalformedBody").Call(jen.Id("err"))),
	)
	return f
}

// fileName turns a Go name into a snake-case file name.
func fileName(goName string) string {
	var b strings.Builder
	runes := []rune(goName)
	for i, r := range runes {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := runes[i-1] >= 'a' && runes[i-1] <= 'z' || runes[i-1] >= '0' && runes[i-1] <= '9'
			nextLower := i+1 < len(runes) && runes[i+1] >= 'a' && runes[i+1] <= 'z'
			prevUpper := runes[i-1] >= 'A' && runes[i-1] <= 'Z'
			if prevLower || (prevUpper && nextLower) {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String() + ".go"
}

// unexport lower-cases the first letter of a Go name (and a leading
// initialism: "LTIThing" becomes "ltiThing").
func unexport(name string) string {
	runes := []rune(name)
	for i := range runes {
		if runes[i] < 'A' || runes[i] > 'Z' {
			break
		}
		if i > 0 && i+1 < len(runes) && runes[i+1] >= 'a' && runes[i+1] <= 'z' {
			break
		}
		runes[i] += 'a' - 'A'
	}
	return string(runes)
}
