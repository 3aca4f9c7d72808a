package staruml

import (
	"context"
	"errors"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// Load reads one StarUML project into g: appends its top-level models to
// g.Roots and its path to g.Files; reports every problem into g
// (g.Errorf/g.Warnf with file:line, element, plain sentence); never panics
// on any input; returns non-nil only when ctx is cancelled; does NOT call
// g.Finish.
//
// When ctx is cancelled mid-way, g keeps the diagnostics already reported
// but receives none of the file's packages.
func Load(ctx context.Context, g *uml.Graph, src uml.Source) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g.Files = append(g.Files, src.Path)
	root, err := xmltree.Parse(src.Data, xmltree.Options{Skip: skipView})
	if err != nil {
		line, msg := 1, err.Error()
		var xe *xmltree.Error
		if errors.As(err, &xe) {
			msg = xe.Msg
			if xe.Line > 0 {
				line = xe.Line
			}
		}
		g.Errorf(uml.Pos{File: src.Path, Line: line}, nil, "%s", msg)
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &reader{ctx: ctx, g: g, file: src.Path, nodes: make(map[string]*node)}
	r.project(root)
	if r.err == nil {
		r.resolve()
	}
	if r.err != nil {
		return r.err
	}
	g.Roots = append(g.Roots, r.roots...)
	return nil
}

// reader holds the state of one Load call.
type reader struct {
	ctx  context.Context
	g    *uml.Graph
	file string

	// nodes indexes every model object of the file by guid, including the
	// ones skipped as outside class models, so that references to them
	// are told apart from references to nothing.
	nodes map[string]*node
	roots []*uml.Package

	// Collected while building, settled by resolve once every guid is
	// known.
	classifiers []*uml.Classifier
	byName      map[string][]*uml.Classifier
	refs        []refUse
	typed       []*typedUse
	relations   []relation
	assocs      []*assocRec
	instances   []instanceUse
	slots       []*uml.Slot

	steps int
	err   error // set once ctx is cancelled; everything then unwinds
}

// node is one guid's object.
type node struct {
	line int
	typ  string
	name string
	kind kind
	// target is the graph element built for it: *uml.Package,
	// *uml.Classifier, *uml.Property, *uml.Operation, *uml.Parameter,
	// *uml.Literal, *uml.Association, *uml.Instance, *uml.Constraint; nil
	// for objects that are not built (ignored metaclasses, relations).
	target any
	// pkg is the package the object is written in, for name lookups.
	pkg *uml.Package
}

// refUse is one XPD:REF to check against the guid index.
type refUse struct {
	name, guid string
	line       int
	owner      string // such as `the UMLAttribute "email"`, for messages
	elem       *uml.Element
}

// pos returns the position of a line in the file being read.
func (r *reader) pos(line int) uml.Pos {
	if line < 1 {
		line = 1
	}
	return uml.Pos{File: r.file, Line: line}
}

// cancelled reports whether ctx is done, checking it every few objects so
// that the check costs nothing measurable.
func (r *reader) cancelled() bool {
	if r.err != nil {
		return true
	}
	r.steps++
	if r.steps&63 == 0 {
		r.err = r.ctx.Err()
	}
	return r.err != nil
}

// project reads the document root down to the project object.
func (r *reader) project(root *xmltree.Element) {
	if !isXPD(root, "PROJECT") {
		r.g.Errorf(r.pos(root.Line), nil, "not a StarUML project: the root element is <%s>, not <XPD:PROJECT> in the %s namespace", qname(root), xpdNS)
		return
	}
	var body *xmltree.Element
	for _, c := range root.Children {
		switch {
		case isXPD(c, "HEADER"):
			r.header(c)
		case isXPD(c, "BODY") && body == nil:
			body = c
		}
	}
	if body == nil {
		r.g.Errorf(r.pos(root.Line), nil, "the StarUML project has no <XPD:BODY>, so it holds no model")
		return
	}
	var proj *xmltree.Element
	for _, c := range body.Children {
		if !isXPD(c, "OBJ") {
			continue
		}
		if proj != nil {
			r.g.Warnf(r.pos(c.Line), nil, "the project body holds a second top-level object (%s); only the first is read", objType(c))
			continue
		}
		proj = c
	}
	if proj == nil || objType(proj) != "UMLProject" {
		line := body.Line
		if proj != nil {
			line = proj.Line
		}
		r.g.Errorf(r.pos(line), nil, "the project body holds no UMLProject object, so it holds no model")
		return
	}
	r.register(proj, kProject, nil, nil)
	var projApp *uml.StereotypeApplication
	if text, at, ok := attr(proj, "Attachments"); ok {
		projApp = attachmentsApp(projectAttachmentsName, text, r.pos(at.Line))
	}
	r.collectRefs(proj, "the project", nil)
	r.children(proj, scope{kind: kProject, typ: "UMLProject"})
	for _, p := range r.roots {
		if projApp != nil {
			cp := *projApp
			cp.Tags = make(map[string]string, len(projApp.Tags))
			for k, v := range projApp.Tags {
				cp.Tags[k] = v
			}
			p.Stereotypes = append(p.Stereotypes, &cp)
		}
	}
}

// header warns about sub-units: StarUML can store parts of a project in
// separate .unt files, which this reader does not follow.
func (r *reader) header(h *xmltree.Element) {
	for _, c := range h.Children {
		if !isXPD(c, "SUBUNITS") {
			continue
		}
		for _, u := range c.Children {
			name := strings.TrimSpace(u.Text)
			if name == "" {
				name, _ = u.GetLocal("name")
			}
			r.g.Warnf(r.pos(u.Line), nil, "the project stores part of its model in the sub-unit %q, which is not read; elements kept there will be missing", name)
		}
	}
}

// register indexes an object's guid. A guid already taken is an error at
// the second occurrence; the first object wins and the caller skips this
// one.
func (r *reader) register(o *xmltree.Element, k kind, target any, pkg *uml.Package) bool {
	guid := objGUID(o)
	if guid == "" {
		if k != kIgnored {
			r.g.Warnf(r.pos(o.Line), nil, "the %s %q has no guid, so nothing can refer to it", objType(o), objName(o))
		}
		return true
	}
	if first, dup := r.nodes[guid]; dup {
		r.g.Errorf(r.pos(o.Line), &uml.Element{ID: guid, Name: objName(o)},
			"duplicate guid %q: the %s at line %d already uses it; this %s is ignored", guid, first.typ, first.line, objType(o))
		return false
	}
	r.nodes[guid] = &node{line: o.Line, typ: objType(o), name: objName(o), kind: k, target: target, pkg: pkg}
	return true
}

// ignore indexes the guids of an object that is not built and of
// everything inside it, so that references to them are not reported as
// dangling. Guids already taken are left to their first owner.
func (r *reader) ignore(o *xmltree.Element) {
	if guid := objGUID(o); guid != "" {
		if _, dup := r.nodes[guid]; !dup {
			r.nodes[guid] = &node{line: o.Line, typ: objType(o), name: objName(o), kind: kIgnored}
		}
	}
	for _, c := range o.Children {
		if isXPD(c, "OBJ") {
			r.ignore(c)
		}
	}
}

// collectRefs records the object's references for the dangling check.
// Views[i] point into diagrams, which are never built.
func (r *reader) collectRefs(o *xmltree.Element, owner string, elem *uml.Element) {
	for _, c := range o.Children {
		if c.Local != "REF" || c.Space != xpdNS {
			continue
		}
		name, _ := c.Get("", "name")
		if strings.HasPrefix(name, "Views[") {
			continue
		}
		r.refs = append(r.refs, refUse{name: name, guid: strings.TrimSpace(c.Text), line: c.Line, owner: owner, elem: elem})
	}
}

// qname formats an element's name as written.
func qname(e *xmltree.Element) string {
	if e.Prefix != "" {
		return e.Prefix + ":" + e.Local
	}
	return e.Local
}
