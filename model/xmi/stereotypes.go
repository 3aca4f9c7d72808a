package xmi

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// application reads a stereotype application: an element whose namespace
// URI identifies the profile and whose local name is the stereotype
// (EA 2.5.1 mangles names and gives the real one in __EAStereoName). Every
// base_<Metaclass> attribute names an extended element; every other
// unprefixed attribute, and every child element, is a tagged value, child
// values of one tag joined by spaces as IDREFS are. EMF annotations and
// applications the dialect calls tool bookkeeping are dropped.
func (b *builder) application(e *xmltree.Element) {
	if e.Space == "http://www.eclipse.org/emf/2002/Ecore" || !b.f.d.keepApplication(e.Space) {
		return
	}
	app := &uml.StereotypeApplication{Profile: e.Space, Name: e.Local, Tags: map[string]string{}, Pos: b.pos(e)}
	app.ID, _ = xmiAttr(e, "id")
	var bases []refText
	for _, a := range e.Attrs {
		switch {
		case a.Space != "":
			// xmi:id, xmi:uuid, xsi:… are not tags.
		case a.Local == "__EAStereoName":
			app.Name = a.Value
		case strings.HasPrefix(a.Local, "base_"):
			if a.Local == "base_Diagram" {
				// Diagrams are not read, so neither are their stereotypes.
				continue
			}
			for _, id := range strings.Fields(a.Value) {
				bases = append(bases, refText{text: id, line: e.Line})
			}
		default:
			app.Tags[a.Local] = a.Value
		}
	}
	for _, c := range e.Children {
		if c.Space != "" {
			continue
		}
		v, ok := xmiAttr(c, "idref")
		if !ok {
			if v, ok = c.Get("", "href"); !ok {
				v = strings.TrimSpace(c.Text)
			}
		}
		if old, seen := app.Tags[c.Local]; seen && old != "" {
			v = old + " " + v
		}
		app.Tags[c.Local] = v
	}
	if len(bases) == 0 {
		if !hasAttrPrefix(e, "base_") {
			b.g.Warnf(b.pos(e), nil, "stereotype application <%s> names no element (it has no base_ attribute); ignored", qname(e))
		}
		return
	}
	about := &uml.Element{ID: app.ID, Name: app.Name}
	for _, rt := range bases {
		b.addRef(rt, about, "stereotype "+app.Name+" base element", refQuiet, func(t target) bool {
			if t.node != nil {
				el := t.node.Base()
				el.Stereotypes = append(el.Stereotypes, app)
			}
			return true
		})
	}
}

func hasAttrPrefix(e *xmltree.Element, prefix string) bool {
	for _, a := range e.Attrs {
		if a.Space == "" && strings.HasPrefix(a.Local, prefix) {
			return true
		}
	}
	return false
}
