package xmi

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/doctext"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// eaDialect is Sparx Enterprise Architect, XMI 2.1 (UML 2.1 namespace,
// unlimited as -1) or 2.5.1. The generic layer covers its UML part (type as
// a child idref, parameters typed by attribute, stereotype applications
// inside uml:Model or at the root with __EAStereoName, duplicated return
// parameters, package-level uml:Realization). Its xmi:Extension holds what
// the UML part lacks, read here:
//   - documentation: elements/element/properties/@documentation, and
//     attributes/attribute, operations/operation and connectors/connector
//     documentation/@value, joined to the model by xmi:idref;
//   - primitivetypes: the uml:PrimitiveType elements its language types
//     (EAJava_int, EAnone_String…) refer to, which become library types
//     named after their package;
//   - profiles: embedded uml:Profile definitions, read as profile roots.
func eaDialect(root *xmltree.Element) *dialect {
	name := "ea-2.5.1"
	for _, uri := range root.Namespaces() {
		if uri == "http://schema.omg.org/spec/XMI/2.1" {
			name = "ea-2.1"
		}
	}
	return &dialect{name: name, skipComment: noBoilerplate, keepApplication: keepAll, extension: readEAExtension}
}

// readEAExtension reads EA's trailing xmi:Extension.
func readEAExtension(b *builder, ext *xmltree.Element) {
	if !isEAExtender(ext) {
		return
	}
	for _, c := range ext.Children {
		if b.cancelled() {
			return
		}
		switch c.Local {
		case "elements":
			for _, el := range c.Children {
				if el.Local != "element" {
					continue
				}
				for _, p := range el.Children {
					if p.Local == "properties" {
						b.eaDoc(el, plainAttr(p, "documentation"))
					}
				}
				b.eaFeatureDocs(el, "attributes", "attribute")
				b.eaFeatureDocs(el, "operations", "operation")
			}
		case "connectors":
			for _, conn := range c.Children {
				if conn.Local == "connector" {
					b.eaDoc(conn, docValue(conn))
				}
			}
		case "primitivetypes":
			b.eaPrimitives(c, "")
		case "profiles":
			for _, p := range c.Children {
				if p.Local == "Profile" && b.f.isUML(p.Space) {
					b.g.Roots = append(b.g.Roots, b.pkg(p, uml.KindProfile, nil))
				}
			}
		}
	}
}

// eaFeatureDocs reads the documentation of an element's attributes or
// operations.
func (b *builder) eaFeatureDocs(el *xmltree.Element, list, item string) {
	for _, l := range el.Children {
		if l.Local != list {
			continue
		}
		for _, it := range l.Children {
			if it.Local == item {
				b.eaDoc(it, docValue(it))
			}
		}
	}
}

// docValue returns the value of e's documentation child.
func docValue(e *xmltree.Element) string {
	for _, d := range e.Children {
		if d.Local == "documentation" {
			return plainAttr(d, "value")
		}
	}
	return ""
}

// eaDoc attaches EA documentation text to the element e refers to.
func (b *builder) eaDoc(e *xmltree.Element, text string) {
	doc := doctext.Markdown(text)
	id, ok := xmiAttr(e, "idref")
	if doc == "" || !ok {
		return
	}
	b.addRef(refText{text: id, line: e.Line}, nil, "documentation", refQuiet|refLenient, func(t target) bool {
		if t.node != nil {
			appendDoc(t.node.Base(), doc)
		}
		return true
	})
}

// eaPrimitives binds the ids of EA's language types to library types named
// after the package that holds them (EA_Java_Types_Package::int), with the
// UML primitive they generalise, when given.
func (b *builder) eaPrimitives(e *xmltree.Element, lib string) {
	for _, c := range e.Children {
		if c.Space != "" || c.Local != "packagedElement" {
			continue
		}
		mc, ok := b.metaclass(c, nil)
		if !ok {
			continue
		}
		switch mc {
		case "Package":
			b.eaPrimitives(c, plainAttr(c, "name"))
		case "PrimitiveType", "DataType":
			id, _ := xmiAttr(c, "id")
			name := plainAttr(c, "name")
			if name == "" || lib == "" {
				continue
			}
			t := b.g.LibraryType(lib, name)
			b.bind(c, id, t)
			for _, g := range c.Children {
				if g.Space == "" && g.Local == "generalization" && len(t.Generals) == 0 {
					b.generalization(g, t)
				}
			}
		}
	}
}

// isEAExtender reports whether an xmi:Extension was written by EA.
func isEAExtender(e *xmltree.Element) bool {
	ext, _ := e.Get("", "extender")
	return strings.Contains(ext, "Enterprise Architect")
}
