package staruml

import (
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// assocRec is an association waiting for its participants to be known.
type assocRec struct {
	a    *uml.Association
	pkg  *uml.Package
	line int
	ends []*endRec
}

// endRec is one UMLAssociationEnd as written.
type endRec struct {
	p    *uml.Property
	line int
	// participant is the guid of the classifier at this end.
	participant string
	// whole is the aggregation written on this end, which in StarUML's
	// UML 1.x convention marks this end's participant as the whole.
	whole uml.Aggregation
}

func (r *reader) associationObj(o *xmltree.Element, sc scope) {
	a := &uml.Association{Owner: sc.pkg}
	if !r.register(o, kAssociation, a, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&a.Element, o)
	rec := &assocRec{a: a, pkg: sc.pkg, line: o.Line}
	r.assocs = append(r.assocs, rec)
	r.children(o, scope{kind: kAssociation, typ: objType(o), pkg: sc.pkg, assoc: rec})
}

func (r *reader) endObj(o *xmltree.Element, sc scope) {
	p := &uml.Property{Association: sc.assoc.a}
	if !r.register(o, kEnd, p, sc.pkg) {
		r.ignore(o)
		return
	}
	r.fill(&p.Element, o)
	r.feature(o, p, "association end")
	p.Navigable = r.boolAttr(o, "IsNavigable", true, &p.Element)
	e := &endRec{p: p, line: o.Line}
	e.participant, _, _ = ref(o, "Participant")
	switch r.enumAttr(o, "Aggregation", &p.Element, "akNone", "akAggregate", "akComposite") {
	case "akAggregate":
		e.whole = uml.AggregationShared
	case "akComposite":
		e.whole = uml.AggregationComposite
	}
	sc.assoc.ends = append(sc.assoc.ends, e)
	r.children(o, scope{kind: kEnd, typ: objType(o), pkg: sc.pkg, prop: p})
}

// associate settles one association once every guid is known.
//
// StarUML writes UML 1.x ends: an end's Participant is the class standing
// at that end, its name is the role that class plays, and the aggregation
// is written on the end at the whole. In UML 2 terms, for a binary
// association with ends A and B, end B is a property typed by B's
// participant; when B is named and navigable it is an attribute of A's
// participant, appended after that classifier's own attributes in the
// document order of the associations; otherwise the association owns it.
// B's aggregation is the one written on A.
func (r *reader) associate(rec *assocRec) {
	a := rec.a
	if len(rec.ends) < 2 {
		r.g.Errorf(r.pos(rec.line), &a.Element, "the association has %d end(s) but needs at least two; it is skipped", len(rec.ends))
		return
	}
	for _, e := range rec.ends {
		if e.participant == "" {
			// StarUML leaves such a half-deleted association in the file
			// (LTI_v2.uml has one); IMS's generator dropped it too.
			r.g.Warnf(r.pos(e.line), &e.p.Element, "the association end has no Participant, so the association is incomplete; it is skipped")
			return
		}
	}
	parts := make([]*uml.Classifier, len(rec.ends))
	for i, e := range rec.ends {
		n, ok := r.nodes[e.participant]
		if !ok {
			continue // reported as a dangling reference
		}
		if n.kind == kIgnored {
			// An association between nodes, actors or other elements
			// outside class models belongs to another kind of model.
			return
		}
		c, ok := n.target.(*uml.Classifier)
		if !ok {
			r.g.Errorf(r.pos(e.line), &e.p.Element, "the participant of the association end is the %s %q at line %d, not a classifier", n.typ, n.name, n.line)
			continue
		}
		parts[i] = c
	}
	rec.pkg.Associations = append(rec.pkg.Associations, a)
	for i, e := range rec.ends {
		e.p.Type = parts[i]
		e.p.TypeRef = e.participant
		a.Ends = append(a.Ends, e.p)
	}
	if len(rec.ends) > 2 {
		for _, e := range rec.ends {
			if e.whole != uml.AggregationNone {
				r.g.Warnf(r.pos(e.line), &e.p.Element, "aggregation on an end of an association with more than two ends has no meaning in UML; it is ignored")
			}
			a.OwnedEnds = append(a.OwnedEnds, e.p)
		}
		return
	}
	if rec.ends[0].whole != uml.AggregationNone && rec.ends[1].whole != uml.AggregationNone {
		r.g.Warnf(r.pos(rec.line), &a.Element, "both ends of the association are marked as the whole of an aggregation")
	}
	for i, e := range rec.ends {
		other := rec.ends[1-i]
		e.p.Aggregation = other.whole
		if owner := parts[1-i]; owner != nil && e.p.Name != "" && e.p.Navigable {
			e.p.Owner = owner
			owner.Attributes = append(owner.Attributes, e.p)
			continue
		}
		a.OwnedEnds = append(a.OwnedEnds, e.p)
	}
}
