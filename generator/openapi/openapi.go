// Package openapi is the emitter of an OpenAPI 3.1 description of the
// model's REST services: one document, openapi/<package>.openapi.json under
// the output root (openapi/lti2.openapi.json for the standard model; a
// partner run describes the partner's own services in
// openapi/<partner package>.openapi.json).
//
// # Paths and operations
//
// Each operation's URL template (RFC 6570) is a path: a simple expression
// {name} stays, and query expressions ({?a,b}, {&a}) are dropped, since
// their variables are query parameters; any other operator cannot be said
// in an OpenAPI path and is an error. Paths are relative to each service's
// base URL; where a path and method of one service equal another's, every
// path of the later service is written under /<service's Go name>, and its
// path item says so.
//
// Operations of a service that share a path and a method (the graph and
// simple forms of Tool Settings, the three LTI 1.1 POX operations on
// /outcomes) are one OpenAPI operation: their request and response media
// types are content entries side by side, their parameters are merged by
// name, and each status code's description is the modelled meaning (the
// meanings of each form, labelled by media type, where they differ).
//
// The operationId is the model's Go name of the operation; for merged
// ones, the shortest Go name that begins every other (GetLTILinkSettings
// for it and GetLTILinkSettingsSimple), else the service's Go name and the
// method (BasicOutcomesServicePost), and x-lti-operations lists the merged
// Go names. An operationId another service's operation has already is
// prefixed with the service's Go name. x-lti-offer carries the offer name
// the Tool Consumer Profile lists the endpoint under, and x-lti-pox the LTI
// 1.1 POX operation names (replaceResult, …) that the body's envelope
// selects. Operations are tagged with their service.
//
// # Bodies
//
// A JSON media type's content refers to components/schemas/<media type's Go
// name>, the document schema of package generator/jsonschema, whose $defs
// are inlined into components/schemas: under the class's Go name where every
// media type of the document defines it alike, else under
// <media type's Go name>.<class's Go name> (a media type's include tag and
// required @ids change a class's schema). Bodies are on the success (2xx)
// responses that the operation lists; other statuses have a description
// only. The POX media type (application/xml) is included as an XML content
// entry whose schema is a string: JSON Schema cannot describe the
// envelope.
//
// # Security
//
// Every call is signed with OAuth 1.0a (HMAC-SHA1, with an oauth_body_hash
// of the body), which OpenAPI has no type for: the document declares an
// http security scheme "OAuth" (the Authorization scheme RFC 5849 defines)
// that says so, and requires it on every operation.
package openapi

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/generator/jsonschema"
	"github.com/ltiforge/ltiforge/model"
)

// Version is the OpenAPI version the document declares.
const Version = "3.1.0"

// Dir is the directory, under the output root, of the document.
const Dir = "openapi"

// SecurityScheme is the name of the OAuth 1.0a security scheme.
const SecurityScheme = "oauth1"

// FileName returns the document's path under the output root for a run
// whose Go package is pkg.
func FileName(pkg string) string { return Dir + "/" + pkg + ".openapi.json" }

// Schema is a JSON object of the document.
type Schema = map[string]any

// New returns the OpenAPI emitter (Name "openapi").
func New() emit.Emitter { return emitter{} }

type emitter struct{}

// Name names the output.
func (emitter) Name() string { return "openapi" }

// Emit returns the OpenAPI document, or no file when the run emits no
// service.
func (emitter) Emit(ctx context.Context, m *model.Model, o emit.Options) ([]emit.File, error) {
	doc, err := Build(m, o)
	if err != nil || doc == nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := jsonschema.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return []emit.File{{Path: FileName(o.Package), Data: data}}, nil
}

// operation is one modelled operation with its service.
type operation struct {
	svc *model.Service
	op  *model.Operation
}

// endpoint is one OpenAPI operation: the modelled operations on one path
// and method.
type endpoint struct {
	path, method string
	ops          []operation
}

// Build returns the OpenAPI document of the services the run emits, or nil
// when there is none.
func Build(m *model.Model, o emit.Options) (Schema, error) {
	var eps []*endpoint
	byKey := map[string]*endpoint{}
	var tags []any
	prefixed := map[string]string{} // path -> service, for paths moved under a prefix
	for _, s := range m.Services {
		if !o.Emits(s.Origin) {
			continue
		}
		tag := Schema{"name": s.GoName}
		if doc := strings.TrimSpace(s.Doc); doc != "" {
			tag["description"] = doc
		}
		tags = append(tags, tag)
		type keyed struct {
			path, method string
			op           *model.Operation
		}
		var ops []keyed
		clash := false
		for _, op := range s.Operations {
			p, err := PathOf(op.Path)
			if err != nil {
				return nil, fmt.Errorf("openapi: operation %s of %s (%s:%d): path %q: %w", op.Name, s.Name, op.Origin.File, op.Origin.Line, op.Path, err)
			}
			method := strings.ToLower(op.Method)
			if !slices.Contains([]string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}, method) {
				return nil, fmt.Errorf("openapi: operation %s of %s (%s:%d): method %q is not an HTTP method OpenAPI describes", op.Name, s.Name, op.Origin.File, op.Origin.Line, op.Method)
			}
			if ep := byKey[p+" "+method]; ep != nil && ep.ops[0].svc != s {
				clash = true
			}
			ops = append(ops, keyed{p, method, op})
		}
		for _, k := range ops {
			p := k.path
			if clash {
				// Paths are relative to each service's base URL; another
				// service has one of these, so this service's go under
				// its name.
				p = "/" + s.GoName + strings.TrimSuffix(p, "/")
				prefixed[p] = s.Name
			}
			key := p + " " + k.method
			ep := byKey[key]
			if ep == nil {
				ep = &endpoint{path: p, method: k.method}
				byKey[key] = ep
				eps = append(eps, ep)
			}
			ep.ops = append(ep.ops, operation{svc: s, op: k.op})
		}
	}
	if len(eps) == 0 {
		return nil, nil
	}
	mediaTypes := map[string]*model.MediaType{}
	for _, mt := range m.MediaTypes {
		mediaTypes[strings.ToLower(mt.Name)] = mt
	}
	b := &docBuilder{mediaTypes: mediaTypes, schemas: jsonschema.NewBuilder(m), refs: map[string]string{}}
	paths := Schema{}
	ids := map[string]string{}
	for _, ep := range eps {
		op, err := b.operation(ep)
		if err != nil {
			return nil, err
		}
		id := op["operationId"].(string)
		if _, dup := ids[id]; dup {
			// Go names are unique within a service only.
			id = ep.ops[0].svc.GoName + id
			op["operationId"] = id
		}
		if other, dup := ids[id]; dup {
			return nil, fmt.Errorf("openapi: %s %s and %s have the same operationId %s", strings.ToUpper(ep.method), ep.path, other, id)
		}
		ids[id] = strings.ToUpper(ep.method) + " " + ep.path
		item, _ := paths[ep.path].(Schema)
		if item == nil {
			item = Schema{}
			if svc, ok := prefixed[ep.path]; ok {
				item["description"] = fmt.Sprintf("The path %s of %s, relative to that service's base URL, which another "+
					"service's path equals: it is listed here under the service's name.", ep.ops[0].op.Path, svc)
			}
			paths[ep.path] = item
		}
		item[ep.method] = op
	}
	components := Schema{"securitySchemes": Schema{SecurityScheme: Schema{
		"type":   "http",
		"scheme": "OAuth",
		"description": "OAuth 1.0a (RFC 5849), one-legged: every request carries an Authorization header " +
			"with the OAuth scheme, signed with HMAC-SHA1 by the consumer key and shared secret (for a tool proxy " +
			"registration, the registration key and password), and a request with a body also carries " +
			"oauth_body_hash, the base64 SHA-1 of the body (OAuth Request Body Hash). OpenAPI has no OAuth 1.0a " +
			"type, so this scheme only names the Authorization scheme and describes it.",
	}}}
	if schemas, err := b.components(); err != nil {
		return nil, err
	} else if len(schemas) > 0 {
		components["schemas"] = schemas
	}
	title, desc := "LTI 2.0 services", "The REST services of IMS Learning Tools Interoperability 2.0 and the LTI 1.1 Basic Outcomes service, as the ltiforge model describes them."
	if len(o.Files) > 0 {
		title = "Services of the " + o.Package + " model"
		desc = "The REST services of the " + o.Package + " model, an extension of LTI 2.0, as its model describes them."
	}
	desc += " Paths are relative to the base URL the Tool Consumer chooses: a tool takes each endpoint from the " +
		"Tool Consumer Profile (service_offered, under the offer name in x-lti-offer) or from a launch variable, " +
		"never from this document. Generated by ltigen from the model; do not edit."
	return Schema{
		"openapi":    Version,
		"info":       Schema{"title": title, "version": "2.0", "description": desc},
		"servers":    []any{Schema{"url": "/", "description": "The base URL the Tool Consumer chooses."}},
		"tags":       tags,
		"paths":      paths,
		"components": components,
		"security":   []any{Schema{SecurityScheme: []any{}}},
	}, nil
}

// PathOf turns an RFC 6570 URL template into an OpenAPI path: simple
// expressions stay, query expressions are dropped, others are an error.
func PathOf(tmpl string) (string, error) {
	var b strings.Builder
	rest := tmpl
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("a { is not closed")
		}
		b.WriteString(rest[:open])
		expr := rest[open+1 : open+end]
		rest = rest[open+end+1:]
		switch {
		case expr == "":
			return "", fmt.Errorf("an expression {} names no variable")
		case expr[0] == '?' || expr[0] == '&':
			// Query variables are query parameters.
		case strings.ContainsRune("+#./;=,!@|", rune(expr[0])) || strings.ContainsAny(expr, ",*:"):
			return "", fmt.Errorf("the expression {%s} has an operator, several variables or a modifier, which an OpenAPI path cannot hold", expr)
		default:
			b.WriteString("{" + expr + "}")
		}
	}
	p := b.String()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p, nil
}

// docBuilder builds the operations and collects the media types they use.
type docBuilder struct {
	mediaTypes map[string]*model.MediaType
	schemas    *jsonschema.Builder
	// used are the JSON media types the operations refer to, in order.
	used []*model.MediaType
	// refs maps a used media type's name to its component.
	refs map[string]string
}

// content returns the content entry of one media type.
func (b *docBuilder) content(name string) (Schema, error) {
	mt := b.mediaTypes[strings.ToLower(name)]
	if mt == nil {
		return nil, fmt.Errorf("openapi: the media type %s is not a media type of the model", name)
	}
	if mt.Form == model.FormXML {
		return Schema{"schema": Schema{"type": "string",
			"description": "An XML document (" + mt.Name + "): " + jsonschema.SkipReason(mt) + "; it is described here as a string."}}, nil
	}
	if _, ok := b.refs[mt.Name]; !ok {
		b.refs[mt.Name] = mt.GoName
		b.used = append(b.used, mt)
	}
	return Schema{"schema": Schema{"$ref": "#/components/schemas/" + mt.GoName}}, nil
}

// operation builds one OpenAPI operation.
func (b *docBuilder) operation(ep *endpoint) (Schema, error) {
	first := ep.ops[0]
	out := Schema{"tags": []string{first.svc.GoName}}
	var names, docs []string
	offers, pox := []string{}, []string{}
	for _, o := range ep.ops {
		names = append(names, o.op.GoName)
		if o.op.Pox != "" {
			pox = append(pox, o.op.Pox)
		}
		if doc := strings.TrimSpace(o.op.Doc); doc != "" && !slices.Contains(docs, doc) {
			docs = append(docs, doc)
		}
		if o.op.Offer != "" && !slices.Contains(offers, o.op.Offer) {
			offers = append(offers, o.op.Offer)
		}
	}
	out["operationId"] = operationID(ep, names)
	out["summary"] = strings.Join(names, ", ")
	if len(names) > 1 {
		out["x-lti-operations"] = names
	}
	if len(docs) > 0 {
		out["description"] = strings.Join(docs, "\n\n")
	}
	if len(pox) > 0 {
		out["x-lti-pox"] = pox
	}
	switch len(offers) {
	case 0:
	case 1:
		out["x-lti-offer"] = offers[0]
	default:
		out["x-lti-offer"] = offers
	}
	params, err := parameters(ep)
	if err != nil {
		return nil, err
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	reqContent := Schema{}
	for _, o := range ep.ops {
		for _, name := range o.op.Request {
			c, err := b.content(name)
			if err != nil {
				return nil, err
			}
			reqContent[name] = c
		}
	}
	if len(reqContent) > 0 {
		out["requestBody"] = Schema{"required": true, "content": reqContent}
	}
	responses, err := b.responses(ep)
	if err != nil {
		return nil, err
	}
	out["responses"] = responses
	return out, nil
}

// operationID names a merged operation: its one Go name, the shortest Go
// name that begins every other, or the service's Go name and the method.
func operationID(ep *endpoint, names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	short := slices.MinFunc(names, func(a, b string) int { return len(a) - len(b) })
	if !slices.ContainsFunc(names, func(n string) bool { return !strings.HasPrefix(n, short) }) {
		return short
	}
	return ep.ops[0].svc.GoName + strings.ToUpper(ep.method[:1]) + ep.method[1:]
}

// label names one modelled operation in a merged description: its
// response or request media types, else its Go name.
func label(op *model.Operation) string {
	switch {
	case len(op.Response) > 0:
		return strings.Join(op.Response, ", ")
	case len(op.Request) > 0:
		return strings.Join(op.Request, ", ")
	}
	return op.GoName
}

// responses builds the responses of an endpoint: every status code its
// operations list, described by the modelled meanings, with the response
// media types on 2xx codes.
func (b *docBuilder) responses(ep *endpoint) (Schema, error) {
	type resp struct {
		meanings []string // "label: meaning" per operation
		plain    []string
		content  Schema
	}
	byCode := map[int]*resp{}
	for _, o := range ep.ops {
		for _, st := range o.op.Status {
			r := byCode[st.Code]
			if r == nil {
				r = &resp{content: Schema{}}
				byCode[st.Code] = r
			}
			meaning := strings.TrimSpace(st.Meaning)
			if meaning == "" {
				meaning = "Status " + strconv.Itoa(st.Code) + "."
			}
			r.meanings = append(r.meanings, label(o.op)+": "+meaning)
			if !slices.Contains(r.plain, meaning) {
				r.plain = append(r.plain, meaning)
			}
			if st.Code >= 200 && st.Code < 300 {
				for _, name := range o.op.Response {
					c, err := b.content(name)
					if err != nil {
						return nil, err
					}
					r.content[name] = c
				}
			}
		}
	}
	out := Schema{}
	if len(byCode) == 0 {
		out["default"] = Schema{"description": "The model lists no status for this operation."}
		return out, nil
	}
	codes := make([]int, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		r := byCode[c]
		desc := r.plain[0]
		if len(r.plain) > 1 {
			desc = strings.Join(r.meanings, "\n\n")
		}
		entry := Schema{"description": desc}
		if len(r.content) > 0 {
			entry["content"] = r.content
		}
		out[strconv.Itoa(c)] = entry
	}
	return out, nil
}

// parameters returns an endpoint's path, query and header parameters,
// merged by name, in the order first met.
func parameters(ep *endpoint) ([]any, error) {
	var out []any
	seen := map[string]bool{}
	add := func(in string, p *model.Param) {
		name := p.Name
		if in == "header" && p.Header != "" {
			name = p.Header
		}
		key := in + " " + strings.ToLower(name)
		if seen[key] {
			return
		}
		seen[key] = true
		s := paramSchema(p)
		entry := Schema{"name": name, "in": in, "schema": s}
		if in == "path" || p.Cardinality.Min > 0 {
			entry["required"] = true
		}
		if doc := strings.TrimSpace(p.Doc); doc != "" {
			entry["description"] = doc
		}
		out = append(out, entry)
	}
	for _, o := range ep.ops {
		for _, p := range o.op.PathParams {
			add("path", p)
		}
		for _, p := range o.op.QueryParams {
			add("query", p)
		}
		for _, p := range o.op.HeaderParams {
			add("header", p)
		}
	}
	return out, nil
}

// paramSchema is the schema of a parameter's value.
func paramSchema(p *model.Param) Schema {
	var s Schema
	switch p.Type.GoType {
	case "int64":
		s = Schema{"type": "integer"}
	case "float64":
		s = Schema{"type": "number"}
	case "bool":
		s = Schema{"type": "boolean"}
	default:
		s = Schema{"type": "string"}
	}
	if len(p.Values) > 0 {
		s["enum"] = p.Values
	}
	if p.Cardinality.Many() {
		s = Schema{"type": "array", "items": s}
	}
	return s
}

// components inlines the document schemas of the used media types and
// their definitions. A definition that is the same in every document that
// has it (with the same definitions below it) is shared under its own
// name; otherwise each variant is named after the first media type that
// has it.
func (b *docBuilder) components() (Schema, error) {
	docs := make([]*jsonschema.Document, 0, len(b.used))
	for _, mt := range b.used {
		d, err := b.schemas.MediaType(mt)
		if err != nil {
			return nil, fmt.Errorf("openapi: %w", err)
		}
		docs = append(docs, d)
	}
	// sig[i][name] is the signature of a definition in docs[i]: its
	// schema and those of every definition it reaches.
	sigs := make([]map[string]string, len(docs))
	for i, d := range docs {
		sigs[i] = map[string]string{}
		for name := range d.Defs {
			reach := map[string]Schema{}
			var walk func(string)
			walk = func(n string) {
				if _, done := reach[n]; done {
					return
				}
				def := d.Defs[n]
				reach[n] = def
				for _, r := range refsOf(def) {
					walk(r)
				}
			}
			walk(name)
			data, err := jsonschema.Marshal(reach)
			if err != nil {
				return nil, fmt.Errorf("openapi: %w", err)
			}
			sigs[i][name] = string(data)
		}
	}
	// variants[name] lists the distinct signatures of a definition, in
	// document order, with the first document that has each.
	type variant struct {
		sig string
		doc int
	}
	variants := map[string][]variant{}
	for i, d := range docs {
		for _, name := range sortedKeys(d.Defs) {
			vs := variants[name]
			if !slices.ContainsFunc(vs, func(v variant) bool { return v.sig == sigs[i][name] }) {
				variants[name] = append(vs, variant{sig: sigs[i][name], doc: i})
			}
		}
	}
	component := func(i int, name string) string {
		vs := variants[name]
		if len(vs) == 1 {
			return name
		}
		for _, v := range vs {
			if v.sig == sigs[i][name] {
				return docs[v.doc].MediaType.GoName + "." + name
			}
		}
		return name // not reached: every definition has a variant
	}
	out := Schema{}
	for i, d := range docs {
		rename := func(ref string) string {
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			if !ok {
				return ref
			}
			return "#/components/schemas/" + component(i, name)
		}
		rootName := d.MediaType.GoName
		if _, dup := out[rootName]; dup {
			return nil, fmt.Errorf("openapi: the schema of %s and a class definition are both named %s", d.MediaType.Name, rootName)
		}
		out[rootName] = rewrite(d.Root, rename)
		for _, name := range sortedKeys(d.Defs) {
			c := component(i, name)
			if _, done := out[c]; done {
				continue
			}
			out[c] = rewrite(d.Defs[name], rename)
		}
	}
	return out, nil
}

// refsOf returns the definition names a schema refers to ("#/$defs/X").
func refsOf(v any) []string {
	var out []string
	switch v := v.(type) {
	case Schema:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				if name, ok := strings.CutPrefix(s, "#/$defs/"); ok {
					out = append(out, name)
				}
				continue
			}
			out = append(out, refsOf(x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, refsOf(x)...)
		}
	}
	return out
}

// rewrite returns a deep copy of a schema with every $ref renamed.
func rewrite(v any, rename func(string) string) any {
	switch v := v.(type) {
	case Schema:
		out := make(Schema, len(v))
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				out[k] = rename(s)
				continue
			}
			out[k] = rewrite(x, rename)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = rewrite(x, rename)
		}
		return out
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
