package staruml

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/xmltree"
)

// xpdNS is the namespace of every element of a StarUML 5 project file.
const xpdNS = "http://www.staruml.com"

// isXPD reports whether e is the XPD element with the given local name.
func isXPD(e *xmltree.Element, local string) bool {
	return e.Local == local && e.Space == xpdNS
}

// objType returns the StarUML metaclass of an XPD:OBJ element.
func objType(o *xmltree.Element) string {
	t, _ := o.Get("", "type")
	return t
}

// objGUID returns the guid of an XPD:OBJ element.
func objGUID(o *xmltree.Element) string {
	g, _ := o.Get("", "guid")
	return g
}

// field finds the direct child XPD:ATTR (local "ATTR") or XPD:REF (local
// "REF") with the given name attribute. StarUML writes each field once.
func field(o *xmltree.Element, local, name string) (*xmltree.Element, bool) {
	for _, c := range o.Children {
		if c.Local != local || c.Space != xpdNS {
			continue
		}
		if n, _ := c.Get("", "name"); n == name {
			return c, true
		}
	}
	return nil, false
}

// attr returns the text of the named XPD:ATTR child as written.
func attr(o *xmltree.Element, name string) (string, *xmltree.Element, bool) {
	c, ok := field(o, "ATTR", name)
	if !ok {
		return "", nil, false
	}
	return c.Text, c, true
}

// ref returns the guid held by the named XPD:REF child.
func ref(o *xmltree.Element, name string) (string, *xmltree.Element, bool) {
	c, ok := field(o, "REF", name)
	if !ok {
		return "", nil, false
	}
	return strings.TrimSpace(c.Text), c, true
}

// objName returns an object's Name, trimmed: StarUML keeps whatever the
// user typed, and surrounding blanks never belong to a name.
func objName(o *xmltree.Element) string {
	s, _, _ := attr(o, "Name")
	return strings.TrimSpace(s)
}

// skipView tells xmltree to drop diagrams and their views before they are
// built; they are most of a StarUML file and carry no model content.
func skipView(e *xmltree.Element) bool {
	if e.Local != "OBJ" || e.Space != xpdNS {
		return false
	}
	return isView(objType(e))
}
