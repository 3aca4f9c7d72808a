package xmi

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/xmltree"
)

// Namespace URIs are matched against these families rather than trusted by
// prefix: tools bind "uml" and "xmi" to many URIs, and some files use other
// prefixes altogether. A URI only counts when the version part is a plain
// version (digits and dots), so that profile namespaces such as
// ".../UML/20131001/StandardProfile" are never taken for the metamodel.
var (
	xmiFamilies = []string{
		"http://www.omg.org/spec/XMI/",
		"http://schema.omg.org/spec/XMI/",
	}
	umlFamilies = []string{
		"http://www.omg.org/spec/UML/",
		"http://schema.omg.org/spec/UML/",
	}
)

// isXMINamespace reports whether uri is one of the XMI namespaces (XMI 2.0
// through 2.5.1 as written by EMF, OMG and the tools).
func isXMINamespace(uri string) bool {
	if uri == "http://www.omg.org/XMI" || uri == "http://schema.omg.org/spec/XMI" {
		return true
	}
	for _, fam := range xmiFamilies {
		if rest, ok := strings.CutPrefix(uri, fam); ok {
			return isVersion(strings.TrimSuffix(rest, "/"))
		}
	}
	return false
}

// isUMLNamespace reports whether uri is a UML metamodel namespace: the OMG
// ones (2.0 to 2.5.1) and Eclipse UML2's ("http://www.eclipse.org/uml2/5.0.0/UML").
func isUMLNamespace(uri string) bool {
	uri = strings.TrimSuffix(uri, "/")
	for _, fam := range umlFamilies {
		if rest, ok := strings.CutPrefix(uri, fam); ok {
			return isVersion(rest)
		}
	}
	if rest, ok := strings.CutPrefix(uri, "http://www.eclipse.org/uml2/"); ok {
		ver, tail, found := strings.Cut(rest, "/")
		return found && tail == "UML" && isVersion(ver)
	}
	return false
}

// isVersion reports whether s is a non-empty run of digits and dots.
func isVersion(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// xmiAttr returns the value of the XMI-namespace attribute local (id, idref,
// type, version, uuid), whatever prefix the file binds XMI to.
func xmiAttr(e *xmltree.Element, local string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Local == local && a.Space != "" && isXMINamespace(a.Space) {
			return a.Value, true
		}
	}
	return "", false
}

// plainAttr returns the value of the unprefixed attribute local.
func plainAttr(e *xmltree.Element, local string) string {
	v, _ := e.Get("", local)
	return v
}

// isFeature reports whether e is a feature element of its parent
// (packagedElement, ownedAttribute, …): unprefixed, or in the UML namespace
// with a lower-case name when the file makes UML its default namespace.
func isFeature(e *xmltree.Element, uml func(string) bool) bool {
	if e.Space == "" {
		return true
	}
	return e.Local != "" && e.Local[0] >= 'a' && e.Local[0] <= 'z' && uml(e.Space)
}

// isXMIElement reports whether e is the XMI element local (XMI, Extension,
// Documentation).
func isXMIElement(e *xmltree.Element, local string) bool {
	return e.Local == local && isXMINamespace(e.Space)
}
