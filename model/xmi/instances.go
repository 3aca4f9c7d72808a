package xmi

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// instance reads an instance specification with its classifiers and slots.
func (b *builder) instance(e *xmltree.Element, p *uml.Package) {
	in := &uml.Instance{Owner: p}
	b.named(&in.Element, e, in)
	p.Instances = append(p.Instances, in)
	for _, rt := range b.refsOf(e, "classifier") {
		b.addRef(rt, &in.Element, "classifier", 0, func(t target) bool {
			c, ok := t.node.(*uml.Classifier)
			if ok {
				in.Classifiers = append(in.Classifiers, c)
			}
			return ok
		})
	}
	for _, ch := range e.Children {
		if !isFeature(ch, b.f.isUML) {
			continue
		}
		switch ch.Local {
		case "slot":
			b.slot(ch, in)
		case "ownedComment":
			b.comment(ch, in)
		}
	}
}

// slot reads one slot: the feature it gives values for and the values.
func (b *builder) slot(e *xmltree.Element, in *uml.Instance) {
	if _, ok := b.metaclass(e, &in.Element); !ok {
		return
	}
	s := &uml.Slot{}
	in.Slots = append(in.Slots, s)
	for _, rt := range b.refsOf(e, "definingFeature") {
		s.FeatureRef = rt.text
		b.addRef(rt, &in.Element, "definingFeature", 0, func(t target) bool {
			prop, ok := t.node.(*uml.Property)
			if ok {
				s.Feature = prop
			}
			return ok
		})
		break
	}
	for _, ch := range e.Children {
		if ch.Space == "" && ch.Local == "value" {
			if v := b.value(ch, &in.Element); v != nil {
				i := len(s.Values)
				s.Values = append(s.Values, v.Text)
				if v.Kind == uml.ValueLiteral {
					// The instance's name replaces its id once resolved.
					b.l.after = append(b.l.after, func() { s.Values[i] = v.Text })
				}
			}
		}
	}
}

// constraint reads an owned rule. A classifier's rule goes into its
// Constraints; every rule is also attached to the classifiers and
// properties it constrains (Modelio writes model-level rules that way).
func (b *builder) constraint(e *xmltree.Element, p *uml.Package, owner *uml.Classifier) {
	var about *uml.Element
	if owner != nil {
		about = &owner.Element
	}
	if _, ok := b.metaclass(e, about); !ok {
		return
	}
	con := &uml.Constraint{}
	b.named(&con.Element, e, con)
	for _, ch := range e.Children {
		if ch.Space == "" && ch.Local == "specification" {
			con.Body, con.Language = b.specification(ch, &con.Element)
		}
		if ch.Space == "" && ch.Local == "ownedComment" {
			b.comment(ch, con)
		}
	}
	if owner != nil {
		owner.Constraints = append(owner.Constraints, con)
	}
	for _, rt := range b.refsOf(e, "constrainedElement") {
		if rt.href && !strings.HasPrefix(rt.text, "#") {
			// Rules on metaclasses (MagicDraw validation suites) constrain
			// no model element.
			continue
		}
		b.addRef(rt, &con.Element, "constrainedElement", refQuiet, func(t target) bool {
			switch n := t.node.(type) {
			case *uml.Property:
				n.Constraints = append(n.Constraints, con)
			case *uml.Classifier:
				if n != owner {
					n.Constraints = append(n.Constraints, con)
				}
			}
			return true
		})
	}
}
