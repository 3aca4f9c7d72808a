package xmi

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// classifier reads a class, interface, data type, primitive type,
// enumeration or stereotype definition into p.
func (b *builder) classifier(e *xmltree.Element, kind uml.ClassifierKind, p *uml.Package) *uml.Classifier {
	c := &uml.Classifier{Kind: kind, Owner: p}
	b.named(&c.Element, e, c)
	c.Abstract = boolAttr(e, "isAbstract")
	p.Classifiers = append(p.Classifiers, c)
	for _, ch := range e.Children {
		if b.cancelled() {
			return c
		}
		if !isFeature(ch, b.f.isUML) {
			continue
		}
		switch ch.Local {
		case "ownedAttribute":
			if kind == uml.KindStereotype && strings.HasPrefix(plainAttr(ch, "name"), "base_") {
				// The metaclass extension end, not a tag definition.
				continue
			}
			if prop := b.property(ch, c); prop != nil {
				c.Attributes = append(c.Attributes, prop)
			}
		case "ownedOperation":
			if op := b.operation(ch, c); op != nil {
				c.Operations = append(c.Operations, op)
			}
		case "ownedLiteral":
			if lit := b.literal(ch, c); lit != nil {
				c.Literals = append(c.Literals, lit)
			}
		case "generalization":
			b.generalization(ch, c)
		case "interfaceRealization":
			b.interfaceRealization(ch, c)
		case "ownedComment":
			b.comment(ch, c)
		case "ownedRule":
			b.constraint(ch, p, c)
		case "nestedClassifier":
			b.g.Warnf(b.pos(ch), &c.Element, "nested classifier %q is read as a member of the enclosing package", plainAttr(ch, "name"))
			b.packaged(p, ch)
		}
	}
	return c
}

// property reads an attribute or association end; owner is nil for an end
// the association owns.
func (b *builder) property(e *xmltree.Element, owner *uml.Classifier) *uml.Property {
	mc, ok := b.metaclass(e, nil)
	if !ok {
		return nil
	}
	if mc != "Property" && mc != "ExtensionEnd" {
		// Ports and other property kinds are not part of a class model.
		return nil
	}
	p := &uml.Property{Owner: owner, Navigable: owner != nil}
	b.named(&p.Element, e, p)
	p.Visibility = b.visibility(e, &p.Element)
	p.Aggregation = b.aggregation(e, &p.Element)
	p.Derived = boolAttr(e, "isDerived")
	p.ReadOnly = boolAttr(e, "isReadOnly")
	p.Static = boolAttr(e, "isStatic")
	p.Ordered = boolAttr(e, "isOrdered")
	b.typeRef(e, &p.TypedElement, &p.Element)
	b.multiplicity(e, &p.TypedElement, &p.Element)
	for _, rt := range b.refsOf(e, "association") {
		b.addRef(rt, &p.Element, "association", refQuiet, func(t target) bool {
			a := t.assoc
			if a == nil {
				a, _ = t.node.(*uml.Association)
			}
			if a == nil {
				return false
			}
			p.Association = a
			if st := b.l.assocState(a); st != nil {
				st.typed = append(st.typed, p)
			}
			return true
		})
	}
	for _, ch := range e.Children {
		if !isFeature(ch, b.f.isUML) {
			continue
		}
		switch ch.Local {
		case "defaultValue":
			p.Default = b.value(ch, &p.Element)
		case "ownedComment":
			b.comment(ch, p)
		}
	}
	return p
}

// typeRef records the type reference of a typed element: a type="id"
// attribute or a <type xmi:idref|href> child.
func (b *builder) typeRef(e *xmltree.Element, te *uml.TypedElement, about *uml.Element) {
	for _, rt := range b.refsOf(e, "type") {
		te.TypeRef = rt.text
		b.addRef(rt, about, "type", 0, func(t target) bool {
			c, ok := t.node.(*uml.Classifier)
			if ok {
				te.Type = c
			}
			return ok
		})
		return
	}
}

// operation reads an operation and its parameters.
func (b *builder) operation(e *xmltree.Element, owner *uml.Classifier) *uml.Operation {
	if _, ok := b.metaclass(e, &owner.Element); !ok {
		return nil
	}
	op := &uml.Operation{Owner: owner}
	b.named(&op.Element, e, op)
	op.Abstract = boolAttr(e, "isAbstract")
	op.Static = boolAttr(e, "isStatic")
	op.Query = boolAttr(e, "isQuery")
	op.Visibility = b.visibility(e, &op.Element)
	returns := 0
	for _, ch := range e.Children {
		if !isFeature(ch, b.f.isUML) {
			continue
		}
		switch ch.Local {
		case "ownedParameter":
			if prm := b.parameter(ch); prm != nil {
				op.Params = append(op.Params, prm)
				if prm.Direction == uml.Return {
					returns++
				}
			}
		case "ownedComment":
			b.comment(ch, op)
		}
	}
	if returns > 1 {
		// EA 2.1 writes the user's return parameter and one of its own;
		// the last is the one EA generates code from.
		b.g.Warnf(b.pos(e), &op.Element, "operation %q has %d return parameters; keeping the last one", op.Name, returns)
		kept := op.Params[:0]
		seen := 0
		for _, prm := range op.Params {
			if prm.Direction == uml.Return {
				seen++
				if seen < returns {
					continue
				}
			}
			kept = append(kept, prm)
		}
		op.Params = kept
	}
	return op
}

// parameter reads an operation parameter; direction defaults to in.
func (b *builder) parameter(e *xmltree.Element) *uml.Parameter {
	if _, ok := b.metaclass(e, nil); !ok {
		return nil
	}
	prm := &uml.Parameter{Direction: uml.In}
	b.named(&prm.Element, e, prm)
	switch d := plainAttr(e, "direction"); d {
	case "", "in":
	case "out":
		prm.Direction = uml.Out
	case "inout":
		prm.Direction = uml.InOut
	case "return":
		prm.Direction = uml.Return
	default:
		b.g.Warnf(b.pos(e), &prm.Element, "parameter direction %q is not in, out, inout or return; reading it as in", d)
	}
	b.typeRef(e, &prm.TypedElement, &prm.Element)
	b.multiplicity(e, &prm.TypedElement, &prm.Element)
	for _, ch := range e.Children {
		if !isFeature(ch, b.f.isUML) {
			continue
		}
		switch ch.Local {
		case "defaultValue":
			prm.Default = b.value(ch, &prm.Element)
		case "ownedComment":
			b.comment(ch, prm)
		}
	}
	return prm
}

// literal reads an enumeration literal and its specification, if any.
func (b *builder) literal(e *xmltree.Element, owner *uml.Classifier) *uml.Literal {
	if _, ok := b.metaclass(e, &owner.Element); !ok {
		return nil
	}
	lit := &uml.Literal{Owner: owner}
	b.named(&lit.Element, e, lit)
	for _, ch := range e.Children {
		if !isFeature(ch, b.f.isUML) {
			continue
		}
		switch ch.Local {
		case "specification":
			if v := b.value(ch, &lit.Element); v != nil {
				lit.Value = v.Text
			}
		case "ownedComment":
			b.comment(ch, lit)
		}
	}
	return lit
}

// generalization records the general classifier of c.
func (b *builder) generalization(e *xmltree.Element, c *uml.Classifier) {
	if _, ok := b.metaclass(e, &c.Element); !ok {
		return
	}
	for _, rt := range b.refsOf(e, "general") {
		b.addRef(rt, &c.Element, "general", 0, func(t target) bool {
			gen, ok := t.node.(*uml.Classifier)
			if ok && !containsClassifier(c.Generals, gen) {
				c.Generals = append(c.Generals, gen)
			}
			return ok
		})
	}
}

// interfaceRealization records the interface c realizes: the contract, or
// the supplier when a tool leaves the contract out.
func (b *builder) interfaceRealization(e *xmltree.Element, c *uml.Classifier) {
	if _, ok := b.metaclass(e, &c.Element); !ok {
		return
	}
	rts := b.refsOf(e, "contract")
	if len(rts) == 0 {
		rts = b.refsOf(e, "supplier")
	}
	for _, rt := range rts {
		b.addRef(rt, &c.Element, "contract", 0, func(t target) bool {
			in, ok := t.node.(*uml.Classifier)
			if ok && !containsClassifier(c.Realizes, in) {
				c.Realizes = append(c.Realizes, in)
			}
			return ok
		})
	}
}

// realization reads a package-level uml:Realization (EA's way of writing
// an interface realization): a classifier realizing an interface becomes a
// Realizes link; other realizations are not part of a class model.
func (b *builder) realization(e *xmltree.Element) {
	st := &realizationState{}
	for _, rt := range b.refsOf(e, "client") {
		b.addRef(rt, nil, "client", refQuiet, func(t target) bool {
			st.client, _ = t.node.(*uml.Classifier)
			return true
		})
	}
	for _, rt := range b.refsOf(e, "supplier") {
		b.addRef(rt, nil, "supplier", refQuiet, func(t target) bool {
			st.supplier, _ = t.node.(*uml.Classifier)
			return true
		})
	}
	b.l.realizations = append(b.l.realizations, st)
}

// realizationState pairs a package-level realization's two ends.
type realizationState struct {
	client, supplier *uml.Classifier
}

func containsClassifier(list []*uml.Classifier, c *uml.Classifier) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// visibility reads the visibility attribute; absent means public.
func (b *builder) visibility(e *xmltree.Element, about *uml.Element) uml.Visibility {
	switch v := plainAttr(e, "visibility"); v {
	case "", "public":
		return uml.Public
	case "private":
		return uml.Private
	case "protected":
		return uml.Protected
	case "package":
		return uml.PackageV
	default:
		b.g.Warnf(b.pos(e), about, "visibility %q is not public, private, protected or package; reading it as public", v)
		return uml.Public
	}
}

// aggregation reads the aggregation kind written on the property.
func (b *builder) aggregation(e *xmltree.Element, about *uml.Element) uml.Aggregation {
	switch v := plainAttr(e, "aggregation"); v {
	case "", "none":
		return uml.AggregationNone
	case "shared":
		return uml.AggregationShared
	case "composite":
		return uml.AggregationComposite
	default:
		b.g.Warnf(b.pos(e), about, "aggregation %q is not none, shared or composite; reading it as none", v)
		return uml.AggregationNone
	}
}

func boolAttr(e *xmltree.Element, name string) bool {
	return strings.TrimSpace(plainAttr(e, name)) == "true"
}
