package xmi

import (
	"fmt"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// builder turns one file's tree into graph elements, collecting references
// for the loader to resolve once every file is built.
type builder struct {
	l *loader
	f *file
	g *uml.Graph
	// visits counts elements built, to look at the context now and then.
	visits int
	err    error
}

// build reads f's tree into the graph and then lets the tree go.
func (l *loader) build(f *file) error {
	b := &builder{l: l, f: f, g: l.g}
	b.document(f.root)
	for _, e := range f.ids {
		e.el = nil
	}
	f.root = nil
	return b.err
}

// cancelled reports, every few thousand elements, whether the context is
// done; building stops quietly and Load returns the context's error.
func (b *builder) cancelled() bool {
	if b.err != nil {
		return true
	}
	b.visits++
	if b.visits%2048 == 0 {
		if err := b.l.ctx.Err(); err != nil {
			b.err = fmt.Errorf("xmi: loading %s: %w", b.f.path, err)
			return true
		}
	}
	return false
}

func (b *builder) pos(e *xmltree.Element) uml.Pos { return b.f.pos(e.Line) }

// document reads the root: an xmi:XMI wrapper holding models, stereotype
// applications and extensions, or a model written as the root itself.
func (b *builder) document(root *xmltree.Element) {
	if !isXMIElement(root, "XMI") {
		b.rootPackage(root)
		return
	}
	for _, c := range root.Children {
		switch {
		case isXMINamespace(c.Space):
			if c.Local == "Extension" && b.f.d.extension != nil {
				b.f.d.extension(b, c)
			}
		case b.f.isUML(c.Space):
			b.rootPackage(c)
		case c.Space != "" && isRootPackage(c):
			// An unknown UML namespace, established by the model using it.
			b.f.umlNS[c.Space] = true
			b.rootPackage(c)
		case c.Space != "":
			b.application(c)
		}
	}
}

// isRootPackage reports whether e looks like a model or package element
// in a metamodel namespace the reader does not know: it has that name and
// owns packaged elements.
func isRootPackage(e *xmltree.Element) bool {
	if e.Local != "Model" && e.Local != "Package" && e.Local != "Profile" {
		return false
	}
	for _, c := range e.Children {
		if c.Space == "" && c.Local == "packagedElement" {
			return true
		}
	}
	return false
}

// rootPackage reads a top-level model, package or profile into g.Roots.
func (b *builder) rootPackage(e *xmltree.Element) {
	mc, ok := b.metaclass(e, nil)
	if !ok {
		return
	}
	var kind uml.PackageKind
	switch mc {
	case "Model":
		kind = uml.KindModel
	case "Package":
		kind = uml.KindPackage
	case "Profile":
		kind = uml.KindProfile
	default:
		b.g.Warnf(b.pos(e), nil, "a top-level uml:%s outside any package is not read; only models, packages and profiles can be document roots", mc)
		return
	}
	b.g.Roots = append(b.g.Roots, b.pkg(e, kind, nil))
}

// metaclass returns the UML metaclass e is an instance of: its xmi:type
// resolved through the namespace declarations, else the tag name of a
// UML-namespace element, else the EMF default for its feature. An xmi:type
// that is not a UML metaclass is reported and ok is false. about names
// the element concerned in diagnostics.
func (b *builder) metaclass(e *xmltree.Element, about *uml.Element) (string, bool) {
	if t, has := xmiAttr(e, "type"); has {
		space, local, ok := e.ResolveQName(strings.TrimSpace(t))
		switch {
		case !ok:
			prefix, _, _ := strings.Cut(t, ":")
			b.g.Errorf(b.pos(e), about, "unknown xmi:type %q on <%s>: the prefix %q is not declared", t, qname(e), prefix)
			return "", false
		case !b.f.isUML(space):
			b.g.Errorf(b.pos(e), about, "unknown xmi:type %q on <%s>: namespace %q is not a UML metamodel namespace", t, qname(e), space)
			return "", false
		case !umlMetaclasses[local]:
			b.g.Errorf(b.pos(e), about, "unknown xmi:type %q on <%s>: %q is not a UML metaclass", t, qname(e), local)
			return "", false
		}
		return local, true
	}
	if e.Space != "" && b.f.isUML(e.Space) && umlMetaclasses[e.Local] {
		return e.Local, true
	}
	if mc, ok := featureTypes[e.Local]; ok {
		return mc, true
	}
	return "", true
}

// named fills the common element fields and binds the element's id to the
// graph node built for it.
func (b *builder) named(el *uml.Element, e *xmltree.Element, node uml.Node) {
	el.ID, _ = xmiAttr(e, "id")
	el.Name = plainAttr(e, "name")
	el.Pos = b.pos(e)
	b.bind(e, el.ID, node)
}

// bind records node as the graph element for id, unless id was first used
// by another element (a reported duplicate).
func (b *builder) bind(e *xmltree.Element, id string, node uml.Node) {
	if id == "" {
		return
	}
	if ent := b.f.ids[id]; ent != nil && ent.el == e && ent.node == nil {
		ent.node = node
	}
}

// pkg reads a model, package or profile and everything it owns.
func (b *builder) pkg(e *xmltree.Element, kind uml.PackageKind, owner *uml.Package) *uml.Package {
	p := &uml.Package{Kind: kind, Owner: owner}
	b.named(&p.Element, e, p)
	p.URI = plainAttr(e, "URI")
	if p.URI == "" && kind == uml.KindProfile {
		// EA names a profile's namespace only through its nsPrefix.
		if prefix := plainAttr(e, "nsPrefix"); prefix != "" {
			if space, _, ok := e.ResolveQName(prefix + ":x"); ok {
				p.URI = space
			}
		}
	}
	for _, c := range e.Children {
		if b.cancelled() {
			return p
		}
		b.pkgMember(p, c)
	}
	return p
}

// pkgMember reads one child of a package.
func (b *builder) pkgMember(p *uml.Package, c *xmltree.Element) {
	if !isFeature(c, b.f.isUML) {
		switch {
		case isXMINamespace(c.Space):
			if c.Local == "Extension" && b.f.d.extension != nil {
				b.f.d.extension(b, c)
			}
		case b.f.isUML(c.Space):
			// A metamodel element written by tag name inside a package is
			// not something any tool writes; leave it alone.
		default:
			// EA 2.1 writes stereotype applications inside uml:Model.
			b.application(c)
		}
		return
	}
	switch c.Local {
	case "packagedElement", "ownedMember", "ownedType", "nestedPackage":
		b.packaged(p, c)
	case "ownedComment":
		b.comment(c, p)
	case "ownedRule":
		b.constraint(c, p, nil)
	}
}

// packaged reads a packagedElement by its metaclass.
func (b *builder) packaged(p *uml.Package, c *xmltree.Element) {
	mc, ok := b.metaclass(c, &p.Element)
	if !ok {
		return
	}
	switch mc {
	case "":
		b.g.Errorf(b.pos(c), &p.Element, "<%s> has no xmi:type, so what it is cannot be told; it is skipped", qname(c))
	case "Package":
		p.Packages = append(p.Packages, b.pkg(c, uml.KindPackage, p))
	case "Model":
		p.Packages = append(p.Packages, b.pkg(c, uml.KindModel, p))
	case "Profile":
		p.Packages = append(p.Packages, b.pkg(c, uml.KindProfile, p))
	case "Class":
		b.classifier(c, uml.KindClass, p)
	case "AssociationClass":
		cl := b.classifier(c, uml.KindClass, p)
		b.association(c, p, cl)
	case "Interface":
		b.classifier(c, uml.KindInterface, p)
	case "DataType":
		b.classifier(c, uml.KindDataType, p)
	case "PrimitiveType":
		b.classifier(c, uml.KindPrimitive, p)
	case "Enumeration":
		b.classifier(c, uml.KindEnumeration, p)
	case "Stereotype":
		b.classifier(c, uml.KindStereotype, p)
	case "Association":
		b.association(c, p, nil)
	case "InstanceSpecification":
		b.instance(c, p)
	case "Realization":
		b.realization(c)
	}
	// Every other metaclass (dependencies, behaviours, use cases,
	// components, profile extensions, diagrams…) is outside a class model.
}
