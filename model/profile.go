package model

// ProfileURI is the LTI profile's namespace URI; stereotype applications
// in this namespace (or in a profile named "LTI") are read.
const ProfileURI = "http://ltiforge.org/schemas/LTI/1.0"

// ProfileName is the LTI profile's name.
const ProfileName = "LTI"

// Stereotype names of the LTI profile.
const (
	StVocabulary    = "Vocabulary"
	StAddressable   = "Addressable"
	StEmbeddable    = "Embeddable"
	StEnumerable    = "Enumerable"
	StSimpleType    = "SimpleType"
	StTerm          = "Term"
	StMediaType     = "MediaType"
	StRestService   = "RestService"
	StHTTPOperation = "HttpOperation"
	StPathParam     = "PathParam"
	StQueryParam    = "QueryParam"
	StHeaderParam   = "HeaderParam"
	StMessage       = "Message"
	StMessageReturn = "MessageReturn"
	StParameter     = "Parameter"
	StCapability    = "Capability"
	StVariable      = "Variable"
	StRole          = "Role"
)

// Tag kinds that are not enumerations.
const (
	kindString  = "String"
	kindBoolean = "Boolean"
	kindInteger = "Integer"
)

// Metaclasses a stereotype extends.
const (
	mcPackage     = "Package"
	mcClass       = "Class"
	mcInterface   = "Interface"
	mcDataType    = "DataType"
	mcPrimitive   = "PrimitiveType"
	mcEnumeration = "Enumeration"
	mcProperty    = "Property"
	mcOperation   = "Operation"
	mcParameter   = "Parameter"
	mcLiteral     = "EnumerationLiteral"
)

// tagDef is one tag of a stereotype as docs/profile.md specifies it.
type tagDef struct {
	name     string
	kind     string // kindString, kindBoolean, kindInteger or an enumeration's name
	required bool
}

// stereoDef is one stereotype as docs/profile.md specifies it.
type stereoDef struct {
	name    string
	extends []string
	tags    []tagDef
}

// specifiedStereotypes returns the stereotypes of docs/profile.md. It
// builds the table on each call so that no mutable table is shared.
func specifiedStereotypes() []stereoDef {
	return []stereoDef{
		{StVocabulary, []string{mcPackage}, []tagDef{{"namespace", kindString, true}, {"prefix", kindString, true}}},
		{StAddressable, []string{mcClass}, []tagDef{{"idRequired", kindBoolean, false}}},
		{StEmbeddable, []string{mcClass}, nil},
		{StEnumerable, []string{mcClass, mcEnumeration}, nil},
		{StSimpleType, []string{mcDataType, mcPrimitive}, []tagDef{
			{"base", kindString, true}, {"iri", kindString, false},
			{"maxLength", kindInteger, false}, {"pattern", kindString, false}}},
		{StTerm, []string{mcProperty, mcClass, mcLiteral}, []tagDef{
			{"term", kindString, false}, {"iri", kindString, false},
			{"type", kindString, false}, {"container", kindString, false}}},
		{StMediaType, []string{mcClass}, []tagDef{
			{"name", kindString, true}, {"root", kindString, true},
			{"context", kindString, false}, {"form", "MediaTypeForm", false},
			{"include", kindString, false}, {"prefixes", kindString, false},
			{"requireId", kindString, false}}},
		{StRestService, []string{mcInterface}, []tagDef{{"mediaTypes", kindString, false}}},
		{StHTTPOperation, []string{mcOperation}, []tagDef{
			{"method", "HttpMethod", true}, {"path", kindString, true},
			{"offer", kindString, false}, {"request", kindString, false},
			{"response", kindString, false}, {"status", kindString, true},
			{"pox", kindString, false}}},
		{StPathParam, []string{mcParameter}, nil},
		{StQueryParam, []string{mcParameter}, []tagDef{{"values", kindString, false}}},
		{StHeaderParam, []string{mcParameter}, []tagDef{{"header", kindString, true}}},
		{StMessage, []string{mcClass}, []tagDef{
			{"messageType", kindString, true}, {"versions", kindString, true},
			{"signed", kindBoolean, false}}},
		{StMessageReturn, []string{mcClass}, []tagDef{{"messageType", kindString, true}}},
		{StParameter, []string{mcProperty}, []tagDef{
			{"use", "ParameterUse", true}, {"variable", kindString, false}}},
		{StCapability, []string{mcLiteral}, []tagDef{
			{"iri", kindString, false}, {"kind", "CapabilityKind", false}}},
		{StVariable, []string{mcLiteral}, []tagDef{
			{"launchParameter", kindString, false}, {"source", kindString, true},
			{"since", kindString, false}}},
		{StRole, []string{mcLiteral}, []tagDef{
			{"urn", kindString, true}, {"short", kindString, false},
			{"kind", "RoleKind", true}}},
	}
}

// specifiedEnumerations returns the profile's enumerations and their
// literals, as docs/profile.md gives them.
func specifiedEnumerations() map[string][]string {
	return map[string][]string{
		"MediaTypeForm":  {FormJSONLD, FormGraph, FormSimple, FormXML},
		"HttpMethod":     {"GET", "PUT", "POST", "DELETE"},
		"ParameterUse":   {UseRequired, UseRecommended, UseOptional},
		"CapabilityKind": {"message", "service", "feature"},
		"RoleKind":       {"context", "institution", "system", "membership"},
	}
}
