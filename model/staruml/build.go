package staruml

import (
	"fmt"
	"strings"

	"github.com/ltiforge/ltiforge/model/doctext"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// scope is where an object is met: the kind of the enclosing object and
// the graph elements built for it and its ancestors.
type scope struct {
	kind  kind
	typ   string // the enclosing object's metaclass, for messages
	pkg   *uml.Package
	cls   *uml.Classifier
	prop  *uml.Property
	op    *uml.Operation
	assoc *assocRec
	inst  *uml.Instance
}

// allowed reports whether an object of kind k may stand in sc. StarUML's
// own editor enforces these rules, so breaking one means a damaged file.
func allowed(k kind, sc scope) bool {
	switch k {
	case kPackage:
		return sc.kind == kProject || sc.kind == kPackage
	case kClassifier, kAssociation, kGeneralization, kRealization, kObject:
		// A classifier is a namespace too; what it holds is placed in its
		// package, the graph having no nested classifiers.
		return sc.kind == kPackage || sc.kind == kClassifier
	case kAttribute, kOperation:
		return sc.kind == kClassifier
	case kParameter:
		return sc.kind == kOperation
	case kLiteral:
		return sc.kind == kClassifier && sc.cls.Kind == uml.KindEnumeration
	case kConstraint:
		return sc.kind == kClassifier || sc.kind == kAttribute || sc.kind == kEnd
	case kEnd:
		return sc.kind == kAssociation
	case kSlot:
		return sc.kind == kObject
	}
	return false
}

// children reads the objects directly inside o.
func (r *reader) children(o *xmltree.Element, sc scope) {
	for _, c := range o.Children {
		if r.cancelled() {
			return
		}
		if isXPD(c, "OBJ") {
			r.object(c, sc)
		}
	}
}

// object reads one XPD:OBJ met in sc.
func (r *reader) object(o *xmltree.Element, sc scope) {
	typ := objType(o)
	k := kindOf(typ)
	switch {
	case k == kIgnored:
		r.ignore(o)
		return
	case k == kUnknown:
		r.g.Warnf(r.pos(o.Line), named(o), "unknown StarUML object type %q inside the %s; it is skipped", typ, sc.typ)
		r.ignore(o)
		return
	case !allowed(k, sc) && k == kConstraint:
		r.g.Warnf(r.pos(o.Line), named(o), "a constraint on a %s is not kept; only classifiers, attributes and association ends hold constraints", sc.typ)
		r.ignore(o)
		return
	case !allowed(k, sc):
		r.g.Warnf(r.pos(o.Line), named(o), "a %s cannot stand inside a %s; it is skipped", typ, sc.typ)
		r.ignore(o)
		return
	}
	switch k {
	case kPackage:
		r.packageObj(o, sc)
	case kClassifier:
		r.classifierObj(o, sc)
	case kAttribute:
		r.attributeObj(o, sc)
	case kOperation:
		r.operationObj(o, sc)
	case kParameter:
		r.parameterObj(o, sc)
	case kLiteral:
		r.literalObj(o, sc)
	case kConstraint:
		r.constraintObj(o, sc)
	case kAssociation:
		r.associationObj(o, sc)
	case kEnd:
		r.endObj(o, sc)
	case kGeneralization, kRealization:
		r.relationObj(o, k, sc)
	case kObject:
		r.instanceObj(o, sc)
	case kSlot:
		r.slotObj(o, sc)
	}
}

// named returns a bare element naming o, for diagnostics about objects
// that have no graph element (yet).
func named(o *xmltree.Element) *uml.Element {
	return &uml.Element{ID: objGUID(o), Name: objName(o)}
}

// describe names o for messages: `the UMLAttribute "email"`.
func describe(o *xmltree.Element) string {
	if n := objName(o); n != "" {
		return fmt.Sprintf("the %s %q", objType(o), n)
	}
	return fmt.Sprintf("the unnamed %s at line %d", objType(o), o.Line)
}

// fill sets the parts every element has: id, name, position,
// documentation, stereotype and attachments.
func (r *reader) fill(e *uml.Element, o *xmltree.Element) {
	e.ID = objGUID(o)
	e.Name = objName(o)
	e.Pos = r.pos(o.Line)
	if doc, _, ok := attr(o, "Documentation"); ok && strings.TrimSpace(doc) != "" {
		e.Doc = doctext.Markdown(doc)
	}
	if st, at, ok := attr(o, "StereotypeName"); ok && strings.TrimSpace(st) != "" {
		app := &uml.StereotypeApplication{Profile: profileName, Name: strings.TrimSpace(st), Pos: r.pos(at.Line)}
		if prof, _, ok := attr(o, "StereotypeProfile"); ok && strings.TrimSpace(prof) != "" {
			app.Tags = map[string]string{"profile": strings.TrimSpace(prof)}
		}
		e.Stereotypes = append(e.Stereotypes, app)
	}
	if text, at, ok := attr(o, "Attachments"); ok {
		if app := attachmentsApp(attachmentsName, text, r.pos(at.Line)); app != nil {
			e.Stereotypes = append(e.Stereotypes, app)
		}
	}
	r.collectRefs(o, describe(o), e)
}

// boolAttr reads a StarUML boolean ("True" or "False").
func (r *reader) boolAttr(o *xmltree.Element, name string, def bool, e *uml.Element) bool {
	v, at, ok := attr(o, name)
	if !ok {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true
	case "false":
		return false
	}
	r.g.Warnf(r.pos(at.Line), e, "%s of %s is %q, not True or False; %v is used", name, describe(o), v, def)
	return def
}

// enumAttr reads an enumerated field. A value outside values is warned
// about and read as "", the same as an absent field.
func (r *reader) enumAttr(o *xmltree.Element, name string, e *uml.Element, values ...string) string {
	v, at, ok := attr(o, name)
	if !ok {
		return ""
	}
	v = strings.TrimSpace(v)
	for _, known := range values {
		if v == known {
			return v
		}
	}
	r.g.Warnf(r.pos(at.Line), e, "%s of %s is %q, which StarUML does not define; it is ignored", name, describe(o), v)
	return ""
}

// visibility reads the Visibility field.
func (r *reader) visibility(o *xmltree.Element, e *uml.Element) uml.Visibility {
	switch r.enumAttr(o, "Visibility", e, "vkPublic", "vkPrivate", "vkProtected", "vkPackage") {
	case "vkPrivate":
		return uml.Private
	case "vkProtected":
		return uml.Protected
	case "vkPackage":
		return uml.PackageV
	}
	return uml.Public
}

// static reads the OwnerScope field: skClassifier is UML's static.
func (r *reader) static(o *xmltree.Element, e *uml.Element) bool {
	return r.enumAttr(o, "OwnerScope", e, "skInstance", "skClassifier") == "skClassifier"
}

// feature reads what attributes and association ends share: visibility,
// scope, changeability, ordering and multiplicity.
func (r *reader) feature(o *xmltree.Element, p *uml.Property, what string) {
	p.Visibility = r.visibility(o, &p.Element)
	p.Static = r.static(o, &p.Element)
	p.Ordered = r.enumAttr(o, "Ordering", &p.Element, "okUnordered", "okOrdered") == "okOrdered"
	frozen := r.enumAttr(o, "Changeability", &p.Element, "ckChangeable", "ckAddOnly", "ckFrozen") == "ckFrozen"
	p.ReadOnly = r.boolAttr(o, "IsReadOnly", frozen, &p.Element)
	p.Derived = r.boolAttr(o, "IsDerived", false, &p.Element)
	p.Multiplicity = r.multiplicity(o, &p.Element, what)
}

// multiplicity reads the Multiplicity field; a malformed one is an error
// at the object's line and the default [1..1] stands in for it.
func (r *reader) multiplicity(o *xmltree.Element, e *uml.Element, what string) uml.Multiplicity {
	raw, _, _ := attr(o, "Multiplicity")
	m, err := parseMultiplicity(raw)
	if err != nil {
		name := e.Name
		if name == "" {
			name = "(unnamed)"
		}
		r.g.Errorf(r.pos(o.Line), e, "%s %q has the malformed multiplicity %q: %v", what, name, strings.TrimSpace(raw), err)
		return uml.One
	}
	return m
}

func (r *reader) packageObj(o *xmltree.Element, sc scope) {
	p := &uml.Package{Kind: packageKind(objType(o)), Owner: sc.pkg}
	if !r.register(o, kPackage, p, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&p.Element, o)
	if app := p.Stereotype(attachmentsName); app != nil && app.Profile == profileName {
		p.URI = app.Tags["uri"]
	}
	if sc.pkg == nil {
		r.roots = append(r.roots, p)
	} else {
		sc.pkg.Packages = append(sc.pkg.Packages, p)
	}
	r.children(o, scope{kind: kPackage, typ: objType(o), pkg: p})
}

func (r *reader) classifierObj(o *xmltree.Element, sc scope) {
	c := &uml.Classifier{Kind: classifierKind(objType(o)), Owner: sc.pkg}
	if !r.register(o, kClassifier, c, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&c.Element, o)
	c.Abstract = r.boolAttr(o, "IsAbstract", false, &c.Element)
	sc.pkg.Classifiers = append(sc.pkg.Classifiers, c)
	r.classifiers = append(r.classifiers, c)
	if r.byName == nil {
		r.byName = make(map[string][]*uml.Classifier)
	}
	r.byName[c.Name] = append(r.byName[c.Name], c)
	r.children(o, scope{kind: kClassifier, typ: objType(o), pkg: sc.pkg, cls: c})
}

func (r *reader) attributeObj(o *xmltree.Element, sc scope) {
	p := &uml.Property{Owner: sc.cls, Navigable: true}
	if !r.register(o, kAttribute, p, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&p.Element, o)
	r.feature(o, p, "attribute")
	r.typedUse(o, &p.TypedElement, &p.Element, "attribute", "InitialValue", sc)
	sc.cls.Attributes = append(sc.cls.Attributes, p)
	r.children(o, scope{kind: kAttribute, typ: objType(o), pkg: sc.pkg, cls: sc.cls, prop: p})
}

func (r *reader) operationObj(o *xmltree.Element, sc scope) {
	op := &uml.Operation{Owner: sc.cls}
	if !r.register(o, kOperation, op, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&op.Element, o)
	op.Abstract = r.boolAttr(o, "IsAbstract", false, &op.Element)
	op.Query = r.boolAttr(o, "IsQuery", false, &op.Element)
	op.Static = r.static(o, &op.Element)
	op.Visibility = r.visibility(o, &op.Element)
	sc.cls.Operations = append(sc.cls.Operations, op)
	r.children(o, scope{kind: kOperation, typ: objType(o), pkg: sc.pkg, cls: sc.cls, op: op})
}

func (r *reader) parameterObj(o *xmltree.Element, sc scope) {
	prm := &uml.Parameter{Direction: uml.In}
	if !r.register(o, kParameter, prm, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&prm.Element, o)
	switch r.enumAttr(o, "DirectionKind", &prm.Element, "pdkIn", "pdkOut", "pdkInout", "pdkReturn") {
	case "pdkOut":
		prm.Direction = uml.Out
	case "pdkInout":
		prm.Direction = uml.InOut
	case "pdkReturn":
		prm.Direction = uml.Return
	}
	prm.Multiplicity = r.multiplicity(o, &prm.Element, "parameter")
	r.typedUse(o, &prm.TypedElement, &prm.Element, "parameter", "DefaultValue", sc)
	sc.op.Params = append(sc.op.Params, prm)
	r.children(o, scope{kind: kParameter, typ: objType(o), pkg: sc.pkg})
}

func (r *reader) literalObj(o *xmltree.Element, sc scope) {
	l := &uml.Literal{Owner: sc.cls}
	if !r.register(o, kLiteral, l, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&l.Element, o)
	sc.cls.Literals = append(sc.cls.Literals, l)
	r.children(o, scope{kind: kLiteral, typ: objType(o), pkg: sc.pkg})
}

func (r *reader) constraintObj(o *xmltree.Element, sc scope) {
	k := &uml.Constraint{}
	if !r.register(o, kConstraint, k, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&k.Element, o)
	k.Body, _, _ = attr(o, "Body")
	k.Body = strings.TrimSpace(k.Body)
	if sc.kind == kClassifier {
		sc.cls.Constraints = append(sc.cls.Constraints, k)
	} else {
		sc.prop.Constraints = append(sc.prop.Constraints, k)
	}
	r.children(o, scope{kind: kConstraint, typ: objType(o), pkg: sc.pkg})
}

func (r *reader) relationObj(o *xmltree.Element, k kind, sc scope) {
	if !r.register(o, k, nil, sc.pkg) {
		r.ignore(o)
		return
	}
	r.collectRefs(o, describe(o), nil)
	from, to := "Child", "Parent"
	if k == kRealization {
		from, to = "Client", "Supplier"
	}
	rel := relation{line: o.Line, typ: objType(o), fromName: from, toName: to}
	rel.from, _, _ = ref(o, from)
	rel.to, _, _ = ref(o, to)
	r.relations = append(r.relations, rel)
	r.children(o, scope{kind: k, typ: objType(o), pkg: sc.pkg})
}

func (r *reader) instanceObj(o *xmltree.Element, sc scope) {
	in := &uml.Instance{Owner: sc.pkg}
	if !r.register(o, kObject, in, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&in.Element, o)
	sc.pkg.Instances = append(sc.pkg.Instances, in)
	if guid, _, ok := ref(o, "Classifier"); ok && guid != "" {
		r.instances = append(r.instances, instanceUse{in: in, guid: guid})
	}
	r.children(o, scope{kind: kObject, typ: objType(o), pkg: sc.pkg, inst: in})
}

func (r *reader) slotObj(o *xmltree.Element, sc scope) {
	if !r.register(o, kSlot, nil, sc.pkg) {
		r.ignore(o)
		return
	}
	r.collectRefs(o, describe(o), &sc.inst.Element)
	s := &uml.Slot{}
	for _, name := range []string{"Attribute", "DefiningFeature", "Feature"} {
		if guid, _, ok := ref(o, name); ok {
			s.FeatureRef = guid
			break
		}
	}
	if v, _, ok := attr(o, "Value"); ok {
		s.Values = []string{v}
	}
	sc.inst.Slots = append(sc.inst.Slots, s)
	if s.FeatureRef != "" {
		r.slots = append(r.slots, s)
	}
	r.children(o, scope{kind: kSlot, typ: objType(o), pkg: sc.pkg})
}
