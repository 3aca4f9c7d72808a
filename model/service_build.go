package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/model/naming"
	"github.com/ltiforge/ltiforge/model/uml"
)

// buildServices reads every «RestService» interface and its
// «HttpOperation»s.
func (b *builder) buildServices(cs []*uml.Classifier) {
	for _, c := range cs {
		if b.roleOf(c) != roleService {
			continue
		}
		e := &c.Element
		app := b.lti(e, StRestService)
		s := &Service{Origin: originOf(e), Name: c.Name, GoName: b.goNames[c], MediaTypes: tagList(app, "mediaTypes"),
			Operations: []*Operation{}, Doc: c.Doc}
		for _, name := range s.MediaTypes {
			if b.mediaType(name) == nil {
				b.tagErrorf(e, app, "service %s names the unknown media type %s", c.Name, name)
			}
		}
		ops := naming.NewNamer()
		for _, o := range c.Operations {
			if op := b.newOperation(s, o, ops); op != nil {
				s.Operations = append(s.Operations, op)
			}
		}
		b.m.Services = append(b.m.Services, s)
	}
}

func (b *builder) newOperation(s *Service, o *uml.Operation, names *naming.Namer) *Operation {
	e := &o.Element
	app := b.lti(e, StHTTPOperation)
	if app == nil {
		b.warnf(e, "operation %s of «RestService» %s has no «HttpOperation» stereotype; it is left out", o.Name, s.Name)
		return nil
	}
	op := &Operation{Origin: originOf(e), Name: o.Name, GoName: names.Name(o.Name), Method: tag(app, "method"),
		Path: tag(app, "path"), Offer: tag(app, "offer"), Request: tagList(app, "request"), Response: tagList(app, "response"),
		Pox: tag(app, "pox"), Status: []Status{}, PathParams: []*Param{}, QueryParams: []*Param{}, HeaderParams: []*Param{}, Doc: o.Doc}
	for _, list := range [][]string{op.Request, op.Response} {
		for _, name := range list {
			switch {
			case b.mediaType(name) == nil:
				b.tagErrorf(e, app, "operation %s names the unknown media type %s", o.Name, name)
			case !slices.ContainsFunc(s.MediaTypes, func(m string) bool { return strings.EqualFold(m, name) }):
				b.tagWarnf(e, app, "operation %s exchanges media type %s, which its service %s does not list in mediaTypes", o.Name, name, s.Name)
			}
		}
	}
	b.parseStatus(op, e, app)
	params := naming.NewNamer()
	for _, prm := range o.Params {
		b.addParam(op, prm, params)
	}
	if op.Path != "" {
		if op.Path[0] != '/' {
			b.tagWarnf(e, app, "path %q of operation %s does not start with /", op.Path, o.Name)
		}
		b.checkTemplate(op, e, app)
	}
	if op.Result != "" && len(op.Response) > 0 && !containsFold(op.Response, op.Result) {
		b.tagWarnf(e, app, "operation %s returns media type %s, which its response tag does not list", o.Name, op.Result)
	}
	if op.Body != "" && len(op.Request) > 0 && !containsFold(op.Request, op.Body) {
		b.tagWarnf(e, app, "operation %s takes a body of media type %s, which its request tag does not list", o.Name, op.Body)
	}
	return op
}

// parseStatus reads the status tag: one "<code> <meaning>" per line.
func (b *builder) parseStatus(op *Operation, e *uml.Element, app *uml.StereotypeApplication) {
	for line := range strings.SplitSeq(app.Tags["status"], "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		code, meaning, _ := strings.Cut(line, " ")
		n, err := strconv.Atoi(code)
		if err != nil || len(code) != 3 || n < 100 || n > 599 || strings.TrimSpace(meaning) == "" {
			b.tagErrorf(e, app, "status line %q of operation %s is not \"<code> <meaning>\" with a code from 100 to 599", line, op.Name)
			continue
		}
		if slices.ContainsFunc(op.Status, func(s Status) bool { return s.Code == n }) {
			b.tagErrorf(e, app, "operation %s lists status %d twice", op.Name, n)
			continue
		}
		op.Status = append(op.Status, Status{Code: n, Meaning: strings.TrimSpace(meaning)})
	}
}

// addParam files one UML parameter as a path, query or header parameter,
// the body or the result.
func (b *builder) addParam(op *Operation, prm *uml.Parameter, names *naming.Namer) {
	e := &prm.Element
	mt := b.mediaTypeOfType(prm.Type)
	if prm.Direction == uml.Return {
		if mt != nil {
			op.Result = mt.Name
		} else if prm.Type != nil {
			b.warnf(e, "the result of operation %s is a %s, not a «MediaType» class; it is ignored", op.Name, prm.TypeName())
		}
		return
	}
	var list *[]*Param
	var app *uml.StereotypeApplication
	switch {
	case b.lti(e, StPathParam) != nil:
		list, app = &op.PathParams, b.lti(e, StPathParam)
	case b.lti(e, StQueryParam) != nil:
		list, app = &op.QueryParams, b.lti(e, StQueryParam)
	case b.lti(e, StHeaderParam) != nil:
		list, app = &op.HeaderParams, b.lti(e, StHeaderParam)
	case mt != nil:
		if op.Body != "" {
			b.errorf(e, "operation %s has a second body parameter %s; an operation takes one body", op.Name, prm.Name)
		}
		op.Body = mt.Name
		return
	default:
		b.errorf(e, "parameter %s of operation %s is neither «PathParam», «QueryParam» nor «HeaderParam», nor typed by a «MediaType» class", prm.Name, op.Name)
		return
	}
	p := &Param{Origin: originOf(e), Name: prm.Name, GoName: names.Name(prm.Name), Header: tag(app, "header"),
		Values: tagList(app, "values"), Cardinality: cardinalityOf(prm.Multiplicity), Type: b.typeRef(e, &prm.TypedElement), Doc: prm.Doc}
	*list = append(*list, p)
}

// mediaTypeOfType returns the media type whose class is c, or nil.
func (b *builder) mediaTypeOfType(c *uml.Classifier) *MediaType {
	if c == nil {
		return nil
	}
	return b.mediaTypes[c]
}

// checkTemplate checks an operation's URL template against its path and
// query parameters.
func (b *builder) checkTemplate(op *Operation, e *uml.Element, app *uml.StereotypeApplication) {
	pathVars, queryVars, err := templateVars(op.Path)
	if err != "" {
		b.tagErrorf(e, app, "path %q of operation %s: %s", op.Path, op.Name, err)
		return
	}
	has := func(ps []*Param, name string) bool {
		return slices.ContainsFunc(ps, func(p *Param) bool { return p.Name == name })
	}
	for _, v := range pathVars {
		if !has(op.PathParams, v) {
			b.tagErrorf(e, app, "path %q of operation %s has the variable {%s} but the operation has no «PathParam» %s", op.Path, op.Name, v, v)
		}
	}
	for _, v := range queryVars {
		if !has(op.QueryParams, v) {
			b.tagErrorf(e, app, "path %q of operation %s has the query variable %s but the operation has no «QueryParam» %s", op.Path, op.Name, v, v)
		}
	}
	for _, p := range op.PathParams {
		if !slices.Contains(pathVars, p.Name) {
			b.report(uml.Error, p.Origin.Pos(), &uml.Element{ID: p.Origin.ID, QualifiedName: p.Origin.QualifiedName},
				"«PathParam» %s is not a variable of the path %q of operation %s", p.Name, op.Path, op.Name)
		}
	}
}

// templateVars returns the variables of an RFC 6570 URL template: those
// of query expressions ({?x}, {&x}) and the others.
func templateVars(tmpl string) (path, query []string, err string) {
	rest := tmpl
	for {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			return path, query, ""
		}
		if rest[open] == '}' {
			return nil, nil, "a } closes no {"
		}
		end := strings.IndexAny(rest[open+1:], "{}")
		if end < 0 || rest[open+1+end] == '{' {
			return nil, nil, "a { is not closed"
		}
		expr := rest[open+1 : open+1+end]
		rest = rest[open+1+end+1:]
		isQuery := false
		if expr != "" && strings.ContainsRune("+#./;?&", rune(expr[0])) {
			isQuery = expr[0] == '?' || expr[0] == '&'
			expr = expr[1:]
		}
		if expr == "" {
			return nil, nil, "an expression {} names no variable"
		}
		for v := range strings.SplitSeq(expr, ",") {
			v = strings.TrimSuffix(v, "*")
			if i := strings.IndexByte(v, ':'); i >= 0 {
				v = v[:i]
			}
			if v == "" {
				return nil, nil, fmt.Sprintf("the expression {%s} has an empty variable name", expr)
			}
			if isQuery {
				query = append(query, v)
			} else {
				path = append(path, v)
			}
		}
	}
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(m string) bool { return strings.EqualFold(m, s) })
}
