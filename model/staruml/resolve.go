package staruml

import (
	"github.com/ltiforge/ltiforge/model/uml"
)

// relation is a generalization (Child → Parent) or a realization
// (Client → Supplier) waiting for its ends.
type relation struct {
	line             int
	typ              string
	fromName, toName string
	from, to         string
}

// instanceUse is an object's Classifier reference.
type instanceUse struct {
	in   *uml.Instance
	guid string
}

// resolve settles every reference once the whole file is indexed, in an
// order that makes each step's inputs ready: relations and types first,
// then associations (whose ends become attributes after the classifiers'
// own), then objects.
func (r *reader) resolve() {
	r.checkRefs()
	for _, rel := range r.relations {
		if r.cancelled() {
			return
		}
		r.relate(rel)
	}
	for _, t := range r.typed {
		if r.cancelled() {
			return
		}
		r.resolveType(t)
	}
	for _, a := range r.assocs {
		if r.cancelled() {
			return
		}
		r.associate(a)
	}
	for _, u := range r.instances {
		n, ok := r.nodes[u.guid]
		if !ok || n.kind == kIgnored {
			continue
		}
		c, ok := n.target.(*uml.Classifier)
		if !ok {
			r.g.Errorf(u.in.Pos, &u.in.Element, "the classifier of the object is the %s %q at line %d, not a classifier", n.typ, n.name, n.line)
			continue
		}
		u.in.Classifiers = append(u.in.Classifiers, c)
	}
	for _, s := range r.slots {
		if n, ok := r.nodes[s.FeatureRef]; ok {
			s.Feature, _ = n.target.(*uml.Property)
		}
	}
}

// checkRefs reports every reference to a guid the file does not hold.
// Later steps skip such references silently, so each is reported once.
func (r *reader) checkRefs() {
	for _, u := range r.refs {
		if r.cancelled() {
			return
		}
		if u.guid == "" {
			r.g.Errorf(r.pos(u.line), u.elem, "%s has an empty %s reference", u.owner, u.name)
			continue
		}
		if _, ok := r.nodes[u.guid]; !ok {
			r.g.Errorf(r.pos(u.line), u.elem, "%s refers (%s) to the guid %q, which is not in the file", u.owner, u.name, u.guid)
		}
	}
}

// relate adds one generalization or realization to its source classifier.
func (r *reader) relate(rel relation) {
	ends := [2]*uml.Classifier{}
	for i, guid := range [2]string{rel.from, rel.to} {
		role := rel.fromName
		if i == 1 {
			role = rel.toName
		}
		if guid == "" {
			// Left behind by StarUML when one end is deleted.
			r.g.Warnf(r.pos(rel.line), nil, "the %s has no %s, so it is incomplete; it is skipped", rel.typ, role)
			return
		}
		n, ok := r.nodes[guid]
		if !ok {
			return // reported as a dangling reference
		}
		if n.kind == kIgnored {
			return // a relation between elements outside class models
		}
		c, ok := n.target.(*uml.Classifier)
		if !ok {
			r.g.Errorf(r.pos(rel.line), nil, "the %s of the %s is the %s %q at line %d, not a classifier", role, rel.typ, n.typ, n.name, n.line)
			return
		}
		ends[i] = c
	}
	from, to := ends[0], ends[1]
	if from == to {
		r.g.Errorf(r.pos(rel.line), &from.Element, "the %s relates the classifier %q to itself", rel.typ, from.Name)
		return
	}
	list := &from.Generals
	if rel.typ == "UMLRealization" {
		list = &from.Realizes
	}
	for _, c := range *list {
		if c == to {
			r.g.Warnf(r.pos(rel.line), &from.Element, "the %s from %q to %q is written twice; the copy is ignored", rel.typ, from.Name, to.Name)
			return
		}
	}
	*list = append(*list, to)
}
