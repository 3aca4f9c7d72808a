package xmi

import (
	"path"
	"strings"
)

// Library names given to g.LibraryType. The OMG PrimitiveTypes.xmi files,
// Eclipse's UMLPrimitiveTypes library and EA's uml.xml all hold the same five
// UML primitive types, so they share one name and one node per type.
const (
	libUML       = "UMLPrimitiveTypes"
	libEcore     = "EcorePrimitiveTypes"
	libJava      = "JavaPrimitiveTypes"
	libXML       = "XMLPrimitiveTypes"
	libMetamodel = "UML"
)

var (
	umlPrimitives   = set("Boolean Integer Real String UnlimitedNatural")
	javaPrimitives  = set("boolean byte char double float int long short")
	ecorePrimitives = set(`EBigDecimal EBigInteger EBoolean EBooleanObject EByte
EByteArray EByteObject EChar ECharacterObject EDate EDiagnosticChain EDouble
EDoubleObject EEList EEnumerator EFeatureMap EFeatureMapEntry EFloat
EFloatObject EInt EIntegerObject EInvocationTargetException EJavaClass
EJavaObject ELong ELongObject EMap EResource EResourceSet EShort EShortObject
EString ETreeIterator`)
)

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// library describes a standard library that hrefs point into without the
// library file being loaded.
type library struct {
	// name is the library name given to g.LibraryType.
	name string
	// types lists the names the library defines; nil accepts any name.
	types map[string]bool
	// byID marks MagicDraw project libraries (*.mdzip): the fragment is an
	// opaque id and the readable name comes from referentPath.
	byID bool
	// metamodel marks the UML metamodel itself: fragments name metaclasses
	// (stereotype base_ properties and constraints are typed by them).
	metamodel bool
}

// findLibrary returns the known library that uri (the part of an href before
// '#') denotes.
func findLibrary(uri string) (library, bool) {
	base := path.Base(strings.ReplaceAll(uri, "\\", "/"))
	switch {
	case base == "UMLPrimitiveTypes.library.uml":
		return library{name: libUML, types: umlPrimitives}, true
	case base == "EcorePrimitiveTypes.library.uml":
		return library{name: libEcore, types: ecorePrimitives}, true
	case base == "JavaPrimitiveTypes.library.uml":
		return library{name: libJava, types: javaPrimitives}, true
	case base == "XMLPrimitiveTypes.library.uml":
		return library{name: libXML}, true
	case base == "PrimitiveTypes.xmi" && isOMGSpec(uri):
		return library{name: libUML, types: umlPrimitives}, true
	case base == "UML.xmi" && isOMGSpec(uri):
		return library{name: libMetamodel, metamodel: true}, true
	case base == "uml.xml" && isOMGSpec(uri):
		// EA 2.1's language types generalise uml.xml#Integer and friends.
		return library{name: libUML, types: umlPrimitives}, true
	case strings.HasSuffix(base, ".mdzip"):
		return library{name: strings.TrimSuffix(base, ".mdzip"), byID: true}, true
	}
	return library{}, false
}

// isOMGSpec reports whether uri lies under one of OMG's specification URL
// trees, where the standard library and metamodel files are published.
func isOMGSpec(uri string) bool {
	return strings.HasPrefix(uri, "http://www.omg.org/spec/UML/") ||
		strings.HasPrefix(uri, "https://www.omg.org/spec/UML/") ||
		strings.HasPrefix(uri, "http://schema.omg.org/spec/UML/")
}

// lastSegment returns the last "::"-separated segment of a MagicDraw
// referentPath ("UML Standard Profile::MagicDraw Profile::datatypes::date"
// gives "date").
func lastSegment(referentPath string) string {
	if i := strings.LastIndex(referentPath, "::"); i >= 0 {
		return strings.TrimSpace(referentPath[i+2:])
	}
	return strings.TrimSpace(referentPath)
}
