package xmi

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/xmltree"
)

// dialect is the small set of per-tool rules layered over the generic
// reader. Each tool's rules live in its own dialect_*.go file; fingerprint
// picks one per file.
type dialect struct {
	// name identifies the dialect in messages and tests.
	name string
	// skipComment reports whether a comment body is tool boilerplate rather
	// than documentation.
	skipComment func(body string) bool
	// keepApplication reports whether a stereotype application in the
	// profile namespace uri carries user semantics.
	keepApplication func(uri string) bool
	// extension reads a vendor xmi:Extension the dialect needs (EA); nil
	// when the dialect needs none.
	extension func(b *builder, ext *xmltree.Element)
}

func keepAll(string) bool       { return true }
func noBoilerplate(string) bool { return false }
func genericDialect(name string) *dialect {
	return &dialect{name: name, skipComment: noBoilerplate, keepApplication: keepAll}
}

// fingerprint identifies the tool that wrote the file from its exporter
// documentation, namespaces and tell-tale ids (see XMI-AND-GENERATORS.md
// A.1), and returns that tool's rules.
func fingerprint(f *file, root *xmltree.Element, sc *scan) *dialect {
	exporter := exporterOf(root)
	ns := root.Namespaces()
	eclipse := false
	for _, uri := range ns {
		if strings.HasPrefix(uri, "http://www.eclipse.org/uml2/") && isUMLNamespace(uri) {
			eclipse = true
		}
	}
	if isUMLNamespace(root.Space) && strings.HasPrefix(root.Space, "http://www.eclipse.org/uml2/") {
		eclipse = true
	}
	switch {
	case strings.Contains(exporter, "Enterprise Architect"):
		return eaDialect(root)
	case strings.Contains(exporter, "MagicDraw"):
		return magicDrawDialect("magicdraw")
	case sc.objing:
		return modelioDialect()
	case eclipse && looksLikeMagicDraw(root, ns):
		return magicDrawDialect("eclipse-magicdraw")
	case eclipse:
		return eclipseDialect()
	}
	return genericDialect("generic")
}

// exporterOf returns the exporter named by xmi:Documentation, written as an
// attribute (EA, StarUML) or as a child element (MagicDraw), at the root or
// inside the first model (Visual Paradigm).
func exporterOf(root *xmltree.Element) string {
	var find func(e *xmltree.Element, depth int) string
	find = func(e *xmltree.Element, depth int) string {
		for _, c := range e.Children {
			if isXMIElement(c, "Documentation") || isXMIElement(c, "documentation") {
				if v, ok := c.Get("", "exporter"); ok {
					return v
				}
				if v, ok := xmiAttr(c, "exporter"); ok {
					return v
				}
				for _, cc := range c.Children {
					if cc.Local == "exporter" {
						return strings.TrimSpace(cc.Text)
					}
				}
			}
			if depth == 0 && (c.Local == "Model" || c.Local == "Package") {
				if v := find(c, 1); v != "" {
					return v
				}
			}
		}
		return ""
	}
	return find(root, 0)
}

// looksLikeMagicDraw tells MagicDraw's "Export to Eclipse UML2" from a
// Papyrus file: it declares the MagicDraw profile namespace or keeps
// MagicDraw's constant model-root id.
func looksLikeMagicDraw(root *xmltree.Element, ns map[string]string) bool {
	for _, uri := range ns {
		if strings.HasSuffix(uri, "/MagicDrawProfile") {
			return true
		}
	}
	models := []*xmltree.Element{root}
	models = append(models, root.Children...)
	for _, m := range models {
		if id, _ := xmiAttr(m, "id"); id == "eee_1045467100313_135436_1" {
			return true
		}
	}
	return false
}
