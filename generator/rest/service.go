package rest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/dave/jennifer/jen"
)

// Import paths the generated code uses from the standard library.
const (
	pkgContext = "context"
	pkgErrors  = "errors"
	pkgFmt     = "fmt"
	pkgHTTP    = "net/http"
	pkgJSON    = "encoding/json"
	pkgStrconv = "strconv"
	pkgURL     = "net/url"
)

// serviceFile generates one service: its interface, input structs,
// handler and client.
func (g *gen) serviceFile(s *service) *jen.File {
	f := g.newFile()
	g.iface(f, s)
	for _, op := range s.ops {
		g.input(f, op)
	}
	g.handler(f, s)
	g.client(f, s)
	return f
}

// api qualifies a name of the httpapi package.
func (g *gen) api(name string) *jen.Statement {
	return jen.Qual(g.o.SupportImport(httpapiPackage), name)
}

// typ qualifies a document type.
func typ(t *docType) *jen.Statement { return jen.Qual(t.Import, t.Name) }

// iface generates the service's interface.
func (g *gen) iface(f *jen.File, s *service) {
	name := s.svc.GoName
	doc := name + " is the interface of the service " + s.svc.Name + "."
	if s.svc.Doc != "" {
		doc += "\n\n" + s.svc.Doc
	}
	doc += "\n\nThe runtime implements it; New" + name + "Handler serves an implementation over HTTP, and " +
		name + "Client calls one. A method chooses the status of a failure by returning an *httpapi.Error " +
		"whose status the operation's model lists (each method's documentation names them); any other " +
		"error is answered 500 without detail."
	f.Comment(comment(doc))
	f.Type().Id(name).InterfaceFunc(func(grp *jen.Group) {
		for i, op := range s.ops {
			if i > 0 {
				grp.Line()
			}
			grp.Comment(comment(opDoc(op)))
			grp.Id(op.op.GoName).Params(jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("in").Op("*").Id(op.input)).Add(results(op))
		}
	})
}

// results returns an operation method's results.
func results(op *operation) jen.Code {
	if op.result != nil {
		return jen.Parens(jen.List(jen.Op("*").Add(typ(op.result)), jen.Error()))
	}
	return jen.Error()
}

// opDoc documents an operation's method.
func opDoc(op *operation) string {
	o := op.op
	var b strings.Builder
	fmt.Fprintf(&b, "%s serves %s (%s %s)", o.GoName, o.Name, o.Method, o.Path)
	if o.Offer != "" {
		fmt.Fprintf(&b, ", offered as %s", o.Offer)
	}
	b.WriteString(".")
	if o.Doc != "" {
		b.WriteString("\n\n" + sentence(o.Doc))
	}
	var media []string
	if len(o.Request) > 0 {
		media = append(media, fmt.Sprintf("The request body is %s.", strings.Join(o.Request, " or ")))
	}
	if len(o.Response) > 0 {
		media = append(media, fmt.Sprintf("The answer's body is %s.", strings.Join(o.Response, " or ")))
	}
	if len(media) == 0 {
		media = append(media, "The request and the answer have no body.")
	}
	b.WriteString("\n\n" + strings.Join(media, " "))
	if len(o.Status) > 0 {
		b.WriteString("\n\nStatuses:\n")
		for _, st := range o.Status {
			fmt.Fprintf(&b, "\n  - %d: %s", st.Code, st.Meaning)
		}
	}
	return b.String()
}

// input generates an operation's input struct.
func (g *gen) input(f *jen.File, op *operation) {
	f.Comment(comment(fmt.Sprintf("%s holds the inputs of %s.", op.input, op.op.GoName)))
	f.Type().Id(op.input).StructFunc(func(grp *jen.Group) {
		for _, p := range op.params {
			grp.Comment(comment(paramDoc(p)))
			t := jen.Id(p.goType)
			if p.pointer {
				t = jen.Op("*").Id(p.goType)
			}
			grp.Id(p.field).Add(t)
		}
		if op.body != nil {
			grp.Comment(comment(fmt.Sprintf("%s is the request body, of media type %s.", op.bodyField, strings.Join(op.op.Request, " or "))))
			grp.Id(op.bodyField).Op("*").Add(typ(op.body))
		}
	})
}

// paramDoc documents a parameter's field.
func paramDoc(p *param) string {
	var b strings.Builder
	switch p.in {
	case "path":
		fmt.Fprintf(&b, "%s is the URL template variable %s.", p.field, p.p.Name)
	case "query":
		fmt.Fprintf(&b, "%s is the query parameter %s", p.field, p.p.Name)
	case "header":
		fmt.Fprintf(&b, "%s is the request header %s", p.field, p.wire())
	}
	if p.in != "path" {
		switch {
		case p.required():
			b.WriteString(" (required).")
		case p.pointer:
			b.WriteString(" (optional; nil when absent).")
		default:
			b.WriteString(" (optional; empty when absent).")
		}
	}
	if len(p.p.Values) > 0 {
		fmt.Fprintf(&b, " Its value is one of %s.", strings.Join(p.p.Values, ", "))
	}
	if p.p.Doc != "" {
		b.WriteString(" " + sentence(p.p.Doc))
	}
	return b.String()
}

// handlerType is the name of a service's unexported handler adapter.
func handlerType(s *service) string { return unexport(s.svc.GoName) + "Handler" }

// stringsLit returns a []string literal, or nil for no values.
func stringsLit(values []string) jen.Code {
	if len(values) == 0 {
		return jen.Nil()
	}
	var items []jen.Code
	for _, v := range values {
		items = append(items, jen.Lit(v))
	}
	return jen.Index().String().Values(items...)
}

// handler generates the service's handler constructor and adapter.
func (g *gen) handler(f *jen.File, s *service) {
	name := s.svc.GoName
	adapter := handlerType(s)
	f.Comment(comment(fmt.Sprintf("New%sHandler returns an http.Handler that serves impl at the URL templates "+
		"of %s, relative to where it is mounted (use http.StripPrefix under a base path). cfg supplies the "+
		"authentication hook, the body limit and the error log.", name, name)))
	f.Func().Id("New"+name+"Handler").Params(jen.Id("impl").Id(name), jen.Id("cfg").Add(g.api("Config"))).Qual(pkgHTTP, "Handler").Block(
		jen.Id("h").Op(":=").Id(adapter).Values(jen.Dict{jen.Id("impl"): jen.Id("impl")}),
		jen.Return(g.api("NewServer").Call(jen.Id("cfg"), jen.Index().Add(g.api("Operation")).ValuesFunc(func(grp *jen.Group) {
			for _, op := range s.ops {
				var codes []jen.Code
				for _, st := range op.op.Status {
					codes = append(codes, jen.Lit(st.Code))
				}
				d := jen.Dict{
					jen.Id("Name"):   jen.Lit(op.op.Name),
					jen.Id("Method"): jen.Lit(op.op.Method),
					jen.Id("Path"):   jen.Lit(op.op.Path),
					jen.Id("Status"): jen.Index().Int().Values(codes...),
					jen.Id("Serve"):  jen.Id("h").Dot(unexport(op.op.GoName)),
				}
				if len(op.op.Request) > 0 {
					d[jen.Id("Request")] = stringsLit(op.op.Request)
				}
				if len(op.op.Response) > 0 {
					d[jen.Id("Response")] = stringsLit(op.op.Response)
				}
				grp.Values(d)
			}
		}))),
	)
	f.Comment(comment(fmt.Sprintf("%s adapts a %s to the operations of an httpapi.Server.", adapter, name)))
	f.Type().Id(adapter).Struct(jen.Id("impl").Id(name))
	for _, op := range s.ops {
		g.serve(f, s, op)
	}
}

// serve generates one operation's Serve function.
func (g *gen) serve(f *jen.File, s *service, op *operation) {
	f.Comment(comment(fmt.Sprintf("%s serves %s: it reads the inputs, calls %s and writes the answer.",
		unexport(op.op.GoName), op.op.Name, op.op.GoName)))
	f.Func().Params(jen.Id("h").Id(handlerType(s))).Id(unexport(op.op.GoName)).Params(
		jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("c").Op("*").Add(g.api("Call")),
	).Error().BlockFunc(func(grp *jen.Group) {
		grp.If(jen.Id("h").Dot("impl").Op("==").Nil()).Block(
			jen.Return(jen.Qual(pkgErrors, "New").Call(jen.Lit(g.pkg + ": no implementation of " + s.svc.GoName))),
		)
		grp.Id("in").Op(":=").Op("&").Id(op.input).Values()
		for _, p := range op.params {
			g.readParam(grp, op, p)
		}
		if op.body != nil {
			grp.List(jen.Id("body"), jen.Err()).Op(":=").Qual(op.body.Import, op.body.decode()).Call(jen.Id("c").Dot("Body"))
			grp.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("bodyError").Call(jen.Err())))
			grp.If(jen.Err().Op(":=").Id("body").Dot(validateMethod).Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("bodyError").Call(jen.Err())),
			)
			grp.Id("in").Dot(op.bodyField).Op("=").Id("body")
		}
		call := jen.Id("h").Dot("impl").Dot(op.op.GoName).Call(jen.Id("ctx"), jen.Id("in"))
		if op.result == nil {
			grp.If(jen.Err().Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))
			grp.Return(jen.Id("c").Dot("WriteEmpty").Call())
			return
		}
		grp.List(jen.Id("out"), jen.Err()).Op(":=").Add(call)
		grp.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))
		grp.If(jen.Id("out").Op("==").Nil()).Block(
			jen.Return(jen.Qual(pkgErrors, "New").Call(jen.Lit(g.pkg + ": " + op.op.GoName + " returned no document and no error"))),
		)
		grp.Return(jen.Id("c").Dot("WriteJSON").Call(jen.Id("out")))
	})
}

// readParam generates the reading of one parameter into the input struct.
func (g *gen) readParam(grp *jen.Group, op *operation, p *param) {
	field := jen.Id("in").Dot(p.field)
	invalid := func(status int, detail string) jen.Code {
		if p.in == "header" {
			return jen.Return(g.api("InvalidHeader").Call(jen.Lit(p.wire()), jen.Lit(detail)))
		}
		return jen.Return(g.api("InvalidParameter").Call(statusCode(status), jen.Lit(p.wire()), jen.Lit(detail)))
	}
	// A path segment that cannot be the variable's type names no
	// resource; any other unreadable or missing parameter is a bad
	// request.
	bad := http.StatusBadRequest
	if p.in == "path" {
		bad = http.StatusNotFound
	}
	// assign converts v and stores it.
	assign := func(inner *jen.Group) {
		if len(p.p.Values) > 0 {
			var cases []jen.Code
			for _, v := range p.p.Values {
				cases = append(cases, jen.Lit(v))
			}
			inner.Switch(jen.Id("v")).Block(
				jen.Case(cases...),
				jen.Default().Block(invalid(op.badParam, "must be one of "+strings.Join(p.p.Values, ", "))),
			)
		}
		var conv jen.Code
		var what string
		switch p.goType {
		case "string":
			inner.Add(field.Clone().Op("=").Id("v"))
			return
		case "int64":
			conv, what = jen.Qual(pkgStrconv, "ParseInt").Call(jen.Id("v"), jen.Lit(10), jen.Lit(64)), "an integer"
		case "float64":
			conv, what = jen.Qual(pkgStrconv, "ParseFloat").Call(jen.Id("v"), jen.Lit(64)), "a number"
		case "bool":
			conv, what = jen.Qual(pkgStrconv, "ParseBool").Call(jen.Id("v")), "true or false"
		}
		inner.List(jen.Id("x"), jen.Err()).Op(":=").Add(conv)
		inner.If(jen.Err().Op("!=").Nil()).Block(invalid(bad, "must be "+what))
		if p.pointer {
			inner.Add(field.Clone().Op("=").Op("&").Id("x"))
		} else {
			inner.Add(field.Clone().Op("=").Id("x"))
		}
	}
	switch p.in {
	case "path":
		if p.goType == "string" && len(p.p.Values) == 0 {
			grp.Add(field.Clone().Op("=").Id("c").Dot("PathValue").Call(jen.Lit(p.wire())))
			return
		}
		grp.BlockFunc(func(inner *jen.Group) {
			inner.Id("v").Op(":=").Id("c").Dot("PathValue").Call(jen.Lit(p.wire()))
			assign(inner)
		})
	case "query":
		get := jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("c").Dot("Query").Call(jen.Lit(p.wire()))
		if p.required() {
			grp.BlockFunc(func(inner *jen.Group) {
				inner.Add(get)
				inner.If(jen.Op("!").Id("ok")).Block(invalid(bad, "is required"))
				assign(inner)
			})
		} else {
			grp.If(get, jen.Id("ok")).BlockFunc(assign)
		}
	case "header":
		get := jen.Id("v").Op(":=").Id("c").Dot("Header").Call(jen.Lit(p.wire()))
		if p.required() {
			grp.BlockFunc(func(inner *jen.Group) {
				inner.Add(get)
				inner.If(jen.Id("v").Op("==").Lit("")).Block(invalid(bad, "is required"))
				assign(inner)
			})
		} else {
			grp.If(get, jen.Id("v").Op("!=").Lit("")).BlockFunc(assign)
		}
	}
}

// statusCode returns the net/http constant of a status code the handlers
// raise.
func statusCode(code int) jen.Code {
	name := map[int]string{
		http.StatusBadRequest:    "StatusBadRequest",
		http.StatusNotFound:      "StatusNotFound",
		http.StatusNotAcceptable: "StatusNotAcceptable",
	}[code]
	if name == "" {
		return jen.Lit(code)
	}
	return jen.Qual(pkgHTTP, name)
}

// clientType is the name of a service's client.
func clientType(s *service) string { return s.svc.GoName + "Client" }

// client generates the service's client.
func (g *gen) client(f *jen.File, s *service) {
	name := s.svc.GoName
	ct := clientType(s)
	f.Comment(comment(fmt.Sprintf("%s calls a %s over HTTP; it implements %s. An answer other than 2xx is "+
		"returned as an *httpapi.Error carrying the status and the server's problem body.", ct, name, name)))
	f.Type().Id(ct).Struct(jen.Id("c").Op("*").Add(g.api("Client")))
	f.Comment(comment(fmt.Sprintf("New%s returns a client of the %s at baseURL, to which the model's URL "+
		"templates are appended; cfg supplies the HTTP client, the signing hook and the endpoints a Tool "+
		"Consumer Profile gives. A call under httpapi.WithURL goes to that URL instead.", ct, name)))
	f.Func().Id("New"+ct).Params(jen.Id("baseURL").String(), jen.Id("cfg").Add(g.api("ClientConfig"))).Op("*").Id(ct).Block(
		jen.Return(jen.Op("&").Id(ct).Values(jen.Dict{jen.Id("c"): g.api("NewClient").Call(jen.Id("baseURL"), jen.Id("cfg"))})),
	)
	f.Var().Id("_").Id(name).Op("=").Parens(jen.Op("*").Id(ct)).Parens(jen.Nil())
	for _, op := range s.ops {
		g.clientMethod(f, s, op)
	}
}

// clientMethod generates one operation's client method.
func (g *gen) clientMethod(f *jen.File, s *service, op *operation) {
	o := op.op
	f.Comment(comment(fmt.Sprintf("%s sends %s %s (%s).", o.GoName, o.Method, o.Path, o.Name)))
	fail := func(err jen.Code) jen.Code {
		if op.result != nil {
			return jen.Return(jen.Nil(), err)
		}
		return jen.Return(err)
	}
	f.Func().Params(jen.Id("c").Op("*").Id(clientType(s))).Id(o.GoName).Params(
		jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("in").Op("*").Id(op.input),
	).Add(results(op)).BlockFunc(func(grp *jen.Group) {
		grp.If(jen.Id("in").Op("==").Nil()).Block(jen.Id("in").Op("=").Op("&").Id(op.input).Values())
		d := jen.Dict{
			jen.Id("Operation"): jen.Lit(o.Name),
			jen.Id("Method"):    jen.Lit(o.Method),
			jen.Id("Path"):      jen.Lit(o.Path),
			jen.Id("Vars"):      jen.Map(jen.String()).String().Values(),
			jen.Id("Query"):     jen.Qual(pkgURL, "Values").Values(),
			jen.Id("Header"):    jen.Qual(pkgHTTP, "Header").Values(),
		}
		if o.Offer != "" {
			d[jen.Id("Offer")] = jen.Lit(o.Offer)
		}
		if len(o.Response) > 0 {
			d[jen.Id("Accept")] = stringsLit(o.Response)
		}
		grp.Id("req").Op(":=").Op("&").Add(g.api("Request")).Values(d)
		for _, p := range op.params {
			value := formatParam(p)
			var set jen.Code
			if p.in == "path" {
				set = jen.Id("req").Dot("Vars").Index(jen.Lit(p.wire())).Op("=").Add(value)
			} else {
				set = jen.Id("req").Dot(map[string]string{"query": "Query", "header": "Header"}[p.in]).Dot("Set").Call(jen.Lit(p.wire()), value)
			}
			switch {
			case p.required() && !p.pointer:
				grp.Add(set)
			case p.pointer:
				grp.If(jen.Id("in").Dot(p.field).Op("!=").Nil()).Block(set)
			case p.goType == "string":
				grp.If(jen.Id("in").Dot(p.field).Op("!=").Lit("")).Block(set)
			default:
				grp.Add(set)
			}
		}
		if op.body != nil {
			grp.If(jen.Id("in").Dot(op.bodyField).Op("==").Nil()).Block(
				fail(jen.Qual(pkgErrors, "New").Call(jen.Lit(o.Name + ": no request body"))),
			)
			grp.List(jen.Id("data"), jen.Err()).Op(":=").Qual(pkgJSON, "Marshal").Call(jen.Id("in").Dot(op.bodyField))
			grp.If(jen.Err().Op("!=").Nil()).Block(
				fail(jen.Qual(pkgFmt, "Errorf").Call(jen.Lit(o.Name+": encoding the request body: %w"), jen.Err())),
			)
			grp.Id("req").Dot("ContentType").Op("=").Lit(o.Request[0])
			grp.Id("req").Dot("Body").Op("=").Id("data")
		}
		if op.result == nil {
			grp.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("c").Dot("c").Dot("Do").Call(jen.Id("ctx"), jen.Id("req")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Err()),
			)
			grp.Return(jen.Nil())
			return
		}
		grp.List(jen.Id("resp"), jen.Err()).Op(":=").Id("c").Dot("c").Dot("Do").Call(jen.Id("ctx"), jen.Id("req"))
		grp.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))
		grp.List(jen.Id("out"), jen.Err()).Op(":=").Qual(op.result.Import, op.result.decode()).Call(jen.Id("resp").Dot("Body"))
		grp.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(pkgFmt, "Errorf").Call(jen.Lit(o.Name+": decoding the answer: %w"), jen.Err())),
		)
		grp.Return(jen.Id("out"), jen.Nil())
	})
}

// formatParam returns the expression formatting a parameter's field as a
// string.
func formatParam(p *param) jen.Code {
	v := jen.Id("in").Dot(p.field)
	if p.pointer {
		v = jen.Op("*").Add(v)
	}
	switch p.goType {
	case "int64":
		return jen.Qual(pkgStrconv, "FormatInt").Call(v, jen.Lit(10))
	case "float64":
		return jen.Qual(pkgStrconv, "FormatFloat").Call(v, jen.LitRune('g'), jen.Lit(-1), jen.Lit(64))
	case "bool":
		return jen.Qual(pkgStrconv, "FormatBool").Call(v)
	}
	return v
}
