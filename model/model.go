package model

import "github.com/ltiforge/ltiforge/model/uml"

// Model is the semantic model of the loaded files.
type Model struct {
	// Files are the loaded files in load order.
	Files []string `json:"files"`
	// Vocabularies are the «Vocabulary» packages.
	Vocabularies []*Vocabulary `json:"vocabularies"`
	// Classes are the classes and data types that carry data: every
	// class except media types, messages and message returns, and every
	// data type that is not a «SimpleType».
	Classes []*Class `json:"classes"`
	// SimpleTypes are the «SimpleType» data and primitive types.
	SimpleTypes []*SimpleType `json:"simpleTypes"`
	// Enums are the enumerations and «Enumerable» classes.
	Enums []*Enum `json:"enums"`
	// MediaTypes are the «MediaType» classes.
	MediaTypes []*MediaType `json:"mediaTypes"`
	// Services are the «RestService» interfaces.
	Services []*Service `json:"services"`
	// Messages are the «Message» classes.
	Messages []*Message `json:"messages"`
	// MessageReturns are the «MessageReturn» classes.
	MessageReturns []*MessageReturn `json:"messageReturns"`
	// Capabilities, Variables and Roles are the enumeration literals
	// stereotyped «Capability», «Variable» and «Role».
	Capabilities []*Capability `json:"capabilities"`
	Variables    []*Variable   `json:"variables"`
	Roles        []*Role       `json:"roles"`
	// Diagnostics holds the graph's problems and the model's, sorted by
	// file and line.
	Diagnostics uml.Diagnostics `json:"diagnostics"`
}

// Origin says where a model element comes from.
type Origin struct {
	// QualifiedName is the UML element's qualified name.
	QualifiedName string `json:"qualifiedName"`
	// ID is the element's id in its file.
	ID string `json:"id"`
	// File and Line locate the element.
	File string `json:"file"`
	Line int    `json:"line"`
}

// Pos returns the origin as a position for diagnostics.
func (o Origin) Pos() uml.Pos { return uml.Pos{File: o.File, Line: o.Line} }

func originOf(e *uml.Element) Origin {
	return Origin{QualifiedName: e.QualifiedName, ID: e.ID, File: e.Pos.File, Line: e.Pos.Line}
}

// Cardinality is how many values an element holds. Max is -1 when
// unbounded.
type Cardinality struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Unbounded is Cardinality.Max for "any number".
const Unbounded = -1

// Required reports whether at least one value must be present.
func (c Cardinality) Required() bool { return c.Min > 0 }

// Many reports whether more than one value may be present.
func (c Cardinality) Many() bool { return c.Max == Unbounded || c.Max > 1 }

// String formats the cardinality the way UML writes a multiplicity.
func (c Cardinality) String() string {
	return uml.Multiplicity{Lower: c.Min, Upper: c.Max}.String()
}

func cardinalityOf(m uml.Multiplicity) Cardinality {
	return Cardinality{Min: m.Lower, Max: m.Upper}
}

// Vocabulary is a «Vocabulary» package: a namespace IRI and the prefix
// JSON-LD contexts use for it.
type Vocabulary struct {
	Origin Origin `json:"origin"`
	// Name is the package's name.
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Prefix    string `json:"prefix"`
	Doc       string `json:"doc,omitempty"`
}

// TypeKind tells the kinds of value type apart.
type TypeKind string

// Type kinds.
const (
	// TypeNone is an untyped property.
	TypeNone TypeKind = "none"
	// TypePrimitive is a UML primitive type with no «SimpleType».
	TypePrimitive TypeKind = "primitive"
	// TypeSimple is a «SimpleType».
	TypeSimple TypeKind = "simple"
	// TypeEnum is an enumeration or «Enumerable» class.
	TypeEnum TypeKind = "enum"
	// TypeClass is a class or data type holding properties.
	TypeClass TypeKind = "class"
)

// TypeRef is the value type of a property or parameter.
type TypeRef struct {
	Kind TypeKind `json:"kind"`
	// Name is the UML type's qualified name, or a library primitive's
	// plain name ("String").
	Name string `json:"name,omitempty"`
	// GoName is the Go name of the type the model defines (a simple type,
	// enumeration or class); empty for primitives.
	GoName string `json:"goName,omitempty"`
	// GoType is the Go type holding one value: "string", "int64",
	// "float64", "bool", "time.Time", "[]byte", or a class's Go name.
	GoType string `json:"goType"`
	// XSD is the XML Schema datatype as a CURIE ("xs:dateTime") for
	// primitive and simple types.
	XSD string `json:"xsd,omitempty"`
}

// Class is a class or data type that documents carry.
type Class struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// Term is the class's @type value in documents.
	Term string `json:"term"`
	// IRI is the class's full IRI; empty outside a vocabulary.
	IRI string `json:"iri,omitempty"`
	// Vocabulary is the prefix of the class's vocabulary, if any.
	Vocabulary string `json:"vocabulary,omitempty"`
	Abstract   bool   `json:"abstract,omitempty"`
	// Addressable is set for «Addressable» classes (instances carry @id);
	// IDRequired when @id is mandatory. Embeddable marks «Embeddable».
	Addressable bool `json:"addressable,omitempty"`
	IDRequired  bool `json:"idRequired,omitempty"`
	Embeddable  bool `json:"embeddable,omitempty"`
	// Supers are the qualified names of the direct generalizations that
	// are classes of the model, in document order.
	Supers []string `json:"supers"`
	// Properties are the class's own properties in document order.
	Properties []*Property `json:"properties"`
	Doc        string      `json:"doc,omitempty"`

	supers []*Class
}

// SuperClasses returns the direct generalizations that are classes of the
// model.
func (c *Class) SuperClasses() []*Class { return c.supers }

// AllProperties returns the inherited properties (from each general in
// turn, depth first) followed by the class's own. Each class is visited
// once even in a cyclic or diamond hierarchy.
func (c *Class) AllProperties() []*Property {
	var out []*Property
	seen := map[*Class]bool{}
	var walk func(*Class)
	walk = func(k *Class) {
		if seen[k] {
			return
		}
		seen[k] = true
		for _, s := range k.supers {
			walk(s)
		}
		out = append(out, k.Properties...)
	}
	walk(c)
	return out
}

// Property is a property of a class, with everything the Go, JSON-LD and
// documentation outputs need.
type Property struct {
	Origin Origin `json:"origin"`
	// Class is the qualified name of the owning class.
	Class  string `json:"class"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// Term is the JSON key.
	Term string `json:"term"`
	// IRI is the property's full IRI; empty when it has none.
	IRI string `json:"iri,omitempty"`
	// Coercion is the JSON-LD type coercion as written ("@id", "@vocab",
	// "xs:anyURI"), and CoercionIRI its expansion for a CURIE.
	Coercion    string `json:"coercion,omitempty"`
	CoercionIRI string `json:"coercionIri,omitempty"`
	// Container is the JSON-LD container ("@set", "@list", …), if any.
	Container   string      `json:"container,omitempty"`
	Cardinality Cardinality `json:"cardinality"`
	Type        TypeRef     `json:"type"`
	// Composite is set for a composite association end or attribute (the
	// value is owned, embedded in the document).
	Composite bool   `json:"composite,omitempty"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
	Default   string `json:"default,omitempty"`
	Doc       string `json:"doc,omitempty"`

	uml *uml.Property
}

// SimpleType is a «SimpleType»: a named restriction of an XML Schema type.
type SimpleType struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// Base is the XML Schema base type as written (a CURIE) and BaseIRI
	// its expansion.
	Base    string `json:"base"`
	BaseIRI string `json:"baseIri,omitempty"`
	// IRI is the type's own IRI, the JSON-LD @type of its values, and
	// CURIE the same as written in the model (often a CURIE), which
	// contexts use as the coercion of properties of this type.
	IRI   string `json:"iri,omitempty"`
	CURIE string `json:"curie,omitempty"`
	// GoType is the Go type of the base.
	GoType    string `json:"goType"`
	MaxLength int    `json:"maxLength,omitempty"`
	Pattern   string `json:"pattern,omitempty"`
	Doc       string `json:"doc,omitempty"`
}

// Enum is an enumeration or an «Enumerable» class.
type Enum struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	IRI    string `json:"iri,omitempty"`
	// Extensible is set for «Enumerable»: documents may carry values
	// outside Members.
	Extensible bool          `json:"extensible,omitempty"`
	Members    []*EnumMember `json:"members"`
	Doc        string        `json:"doc,omitempty"`
}

// EnumMember is one literal (or, for an «Enumerable» class, one instance)
// of an enumeration.
type EnumMember struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	// GoName is unique within the enumeration; generators prefix it with
	// the enumeration's Go name where they need a package-wide name.
	GoName string `json:"goName"`
	// Term is the value written in documents.
	Term string `json:"term"`
	IRI  string `json:"iri,omitempty"`
	Doc  string `json:"doc,omitempty"`
}
