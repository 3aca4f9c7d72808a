// Package model is the semantic model of an LTI service model: what the
// generators produce, decided once. It reads a resolved UML graph (package
// model/uml) together with the LTI profile's stereotypes (docs/profile.md)
// and gives vocabularies, classes and their properties, simple types,
// enumerations, media types, REST services, messages, capabilities,
// variables and roles, each with its Go name (package model/naming), JSON
// term, IRI, cardinality, Go type, Markdown documentation and UML origin.
// The Go, JSON-LD, REST and documentation generators read only this model,
// so they cannot disagree about a name, a term or a cardinality.
//
// # Loading
//
// Load reads model files (the standard model, partner models, and the
// profile file when present) with model/umlfile and builds the model;
// FromGraph builds it from a graph already loaded. Problems of the files
// and of the model are in Model.Diagnostics, each at the file and line of
// the element concerned; the error is non-nil only when the context is
// cancelled. A model with errors is still returned, built as far as it
// could be.
//
// # Ordering
//
// Every list is in document order: files in load order, packages depth
// first, elements as the files give them. Nothing depends on map order.
//
// # Names and references
//
// Tags that name classes (MediaType root, include) take a qualified name
// ("LTI2::Core::ToolProxy") or a plain name that is unique among the loaded
// models; an unknown or ambiguous name is an error that lists the
// candidates. Media types are named by their media-type string, compared
// without regard to case.
//
// Go names are given by one naming.Namer per scope: one for every type the
// model defines (classes, simple types, enumerations, media types,
// services, messages and message returns share it, as they share a
// generated package), one per class for its properties, one per service
// for its operations, one per operation for its parameters, one per
// message for its parameters and one per enumeration for its members.
//
// # IRIs
//
// A class or property in a package stereotyped «Vocabulary» (or in a
// sub-package without a Vocabulary of its own) has the vocabulary's
// namespace + its name as IRI, unless a «Term» iri says otherwise. IRIs
// and CURIEs are expanded with the prefixes of every «Vocabulary», the
// "prefix=IRI" pairs of every «MediaType» prefixes tag, and the built-in
// prefixes xs and xsd (XML Schema, http://www.w3.org/2001/XMLSchema#),
// rdf, rdfs and owl. A value containing "://", or starting with "urn:",
// "http:", "https:", "mailto:" or "tag:", is already an IRI.
//
// # Go types
//
// A property's or parameter's value type is mapped to Go through its XML
// Schema type: a «SimpleType»'s base, or the UML primitive's XSD
// equivalent (String → xs:string, Integer and UnlimitedNatural →
// xs:integer, Boolean → xs:boolean, Real → xs:double). Untyped parameters
// are strings.
//
//	XML Schema type                                   Go type
//	string, normalizedString, token, language,        string
//	  Name, NCName, NMTOKEN, ID, IDREF, QName
//	anyURI                                            string (URIs in LTI are often
//	                                                  relative or templates; net/url
//	                                                  would not round-trip them)
//	dateTime, dateTimeStamp                           time.Time
//	date, time, duration, gYear, …                    string (no lossless Go type)
//	integer, long, int, short, byte, and the          int64
//	  (non)negative/positive and unsigned kinds
//	decimal, double, float                            float64
//	boolean                                           bool
//	base64Binary                                      []byte
//	hexBinary, anything else                          string
//
// An enumeration's values are strings in Go (TypeRef.GoType "string",
// TypeRef.GoName the generated named type); a class-typed property's
// GoType is the class's Go name, and the generators add the pointer or
// slice its cardinality calls for.
//
// # Validation
//
// Besides the graph's own diagnostics, the model reports: stereotype tags
// of the wrong kind (a Boolean tag not true/false, an Integer tag not a
// whole number, an enumeration tag with an unknown literal), missing
// required tags, unknown tags and stereotypes, stereotypes on the wrong
// kind of element; CURIEs with an unknown prefix; a property reachable
// from a JSON-LD media type without an IRI; two terms of one media type's
// context with one name and different IRIs; duplicate media type names;
// a media type whose root is unknown or ambiguous; a service or operation
// naming an unknown media type; an operation without method, path or
// status, with malformed status lines, or whose URL template and path
// parameters disagree; a required property with no type; message returns
// for unknown messages. When the LTI profile file is loaded its stereotype
// definitions give the tag kinds, and the profile file is checked against
// the stereotypes docs/profile.md specifies.
package model
