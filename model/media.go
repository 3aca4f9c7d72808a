package model

// MediaType is a «MediaType»: a document format with its root class and
// JSON-LD context.
type MediaType struct {
	Origin Origin `json:"origin"`
	// Name is the media-type string as the model spells it.
	Name string `json:"name"`
	// GoName is the Go name of the media type's class.
	GoName string `json:"goName"`
	// Class is the name of the «MediaType» class itself.
	Class string `json:"class"`
	// Root is the root class's qualified name.
	Root string `json:"root"`
	// Context is the JSON-LD context IRI; empty for plain JSON and XML.
	Context string `json:"context,omitempty"`
	// Form is "jsonld", "graph", "simple" or "xml".
	Form string `json:"form"`
	// Include lists the only properties (Class.property) the documents
	// carry, when set.
	Include []string `json:"include,omitempty"`
	// Prefixes are the extra prefixes the context declares.
	Prefixes []Prefix `json:"prefixes,omitempty"`
	// RequireID lists the classes (qualified names) whose objects must
	// carry @id in this media type's documents, besides those whose
	// «Addressable» makes @id mandatory everywhere.
	RequireID []string `json:"requireId,omitempty"`
	// Terms are the context's class and property terms, in the order
	// first reached, one entry per term name: the root and every class it
	// embeds, each with its specializations and generalizations, and
	// their properties; and the class term of each referenced class and
	// enumeration. Simple types and named individuals are not among them.
	Terms []*Term `json:"terms"`
	Doc   string  `json:"doc,omitempty"`

	root *Class
}

// RootClass returns the root class, or nil when it is unknown.
func (m *MediaType) RootClass() *Class { return m.root }

// JSONLD reports whether the media type's documents are JSON-LD.
func (m *MediaType) JSONLD() bool { return m.Form == FormJSONLD || m.Form == FormGraph }

// Media type forms.
const (
	FormJSONLD = "jsonld"
	FormGraph  = "graph"
	FormSimple = "simple"
	FormXML    = "xml"
)

// Prefix is one prefix declaration of a context.
type Prefix struct {
	Prefix string `json:"prefix"`
	IRI    string `json:"iri"`
}

// Term is one term of a media type's JSON-LD context.
type Term struct {
	// Name is the term as it appears in documents.
	Name string `json:"name"`
	IRI  string `json:"iri,omitempty"`
	// Kind is "class" or "property".
	Kind string `json:"kind"`
	// Coercion is the property's type coercion as written ("@id",
	// "xs:anyURI"), and CoercionIRI its expansion for a CURIE.
	Coercion    string `json:"coercion,omitempty"`
	CoercionIRI string `json:"coercionIri,omitempty"`
	Container   string `json:"container,omitempty"`
	// Source is the qualified name of the class or property that defines
	// the term first.
	Source string `json:"source"`
}
