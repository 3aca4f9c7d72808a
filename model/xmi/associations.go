package xmi

import (
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// assocState gathers an association's ends while references resolve.
type assocState struct {
	a *uml.Association
	// members are the memberEnds in file order; nil until resolved.
	members []*uml.Property
	// navigable are the association-owned ends listed in navigableOwnedEnd.
	navigable []*uml.Property
	// typed are the properties whose association attribute names a.
	typed []*uml.Property
}

func (l *loader) assocState(a *uml.Association) *assocState { return l.assocIndex[a] }

// association reads an association (or the association half of an
// association class, cl): its member ends as an IDREFS attribute or child
// idrefs, the ends it owns, and which of those are navigable.
func (b *builder) association(e *xmltree.Element, p *uml.Package, cl *uml.Classifier) *uml.Association {
	a := &uml.Association{Owner: p}
	if cl != nil {
		a.ID, a.Name, a.Pos = cl.ID, cl.Name, cl.Pos
		if ent := b.f.ids[a.ID]; ent != nil && ent.el == e {
			ent.assoc = a
		}
	} else {
		b.named(&a.Element, e, a)
	}
	p.Associations = append(p.Associations, a)
	st := &assocState{a: a}
	b.l.assocs = append(b.l.assocs, st)
	b.l.assocIndex[a] = st

	for _, rt := range b.refsOf(e, "memberEnd") {
		i := len(st.members)
		st.members = append(st.members, nil)
		b.addRef(rt, &a.Element, "memberEnd", 0, func(t target) bool {
			prop, ok := t.node.(*uml.Property)
			if ok {
				st.members[i] = prop
			}
			return ok
		})
	}
	for _, rt := range b.refsOf(e, "navigableOwnedEnd") {
		b.addRef(rt, &a.Element, "navigableOwnedEnd", 0, func(t target) bool {
			prop, ok := t.node.(*uml.Property)
			if ok {
				st.navigable = append(st.navigable, prop)
			}
			return ok
		})
	}
	for _, ch := range e.Children {
		if !isFeature(ch, b.f.isUML) {
			continue
		}
		switch ch.Local {
		case "ownedEnd":
			if prop := b.property(ch, nil); prop != nil {
				prop.Association = a
				a.OwnedEnds = append(a.OwnedEnds, prop)
			}
		case "ownedComment":
			if cl == nil {
				b.comment(ch, a)
			}
		}
	}
	return a
}

// finish fixes the ends once references are resolved. Ends are the member
// ends in file order; a file that lists none gets the owned ends and the
// properties naming the association, in that order. An end the
// association owns is navigable only when listed in navigableOwnedEnd; an
// end a classifier owns is always navigable.
func (st *assocState) finish() {
	a := st.a
	for _, m := range st.members {
		if m != nil && !containsProperty(a.Ends, m) {
			a.Ends = append(a.Ends, m)
		}
	}
	if len(st.members) == 0 {
		for _, m := range a.OwnedEnds {
			a.Ends = append(a.Ends, m)
		}
		for _, m := range st.typed {
			if !containsProperty(a.Ends, m) {
				a.Ends = append(a.Ends, m)
			}
		}
	}
	for _, end := range a.Ends {
		if end.Association == nil {
			end.Association = a
		}
	}
	for _, end := range a.OwnedEnds {
		end.Navigable = containsProperty(st.navigable, end)
	}
}

func containsProperty(list []*uml.Property, p *uml.Property) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}
