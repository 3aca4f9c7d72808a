package model

import (
	"slices"
	"strings"
)

// xsdNamespace is the XML Schema namespace IRI.
const xsdNamespace = "http://www.w3.org/2001/XMLSchema#"

// goTypeOfXSD maps an XML Schema datatype's local name to the Go type
// holding its values (see the package documentation for the table).
func goTypeOfXSD(local string) string {
	switch local {
	case "dateTime", "dateTimeStamp":
		return "time.Time"
	case "integer", "long", "int", "short", "byte",
		"nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
		"unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte":
		return "int64"
	case "decimal", "double", "float":
		return "float64"
	case "boolean":
		return "bool"
	case "base64Binary":
		return "[]byte"
	}
	return "string"
}

// xsdLocal returns the local name of an XML Schema datatype given as an
// expanded IRI, or "" when iri is not in the XML Schema namespace.
func xsdLocal(iri string) string {
	if local, ok := strings.CutPrefix(iri, xsdNamespace); ok {
		return local
	}
	return ""
}

// xsdOfPrimitive returns the XML Schema datatype (a CURIE) for a UML
// primitive type's name, covering the UML, Ecore, Java and common tool
// spellings; ok is false for a name it does not know.
func xsdOfPrimitive(name string) (string, bool) {
	switch strings.ToLower(strings.TrimPrefix(name, "E")) {
	case "string", "char", "character", "text":
		return "xs:string", true
	case "integer", "int", "long", "short", "byte", "biginteger", "unlimitednatural", "natural":
		return "xs:integer", true
	case "boolean", "bool":
		return "xs:boolean", true
	case "real", "double", "float", "decimal", "bigdecimal":
		return "xs:double", true
	case "date":
		return "xs:date", true
	case "datetime", "timestamp":
		return "xs:dateTime", true
	case "uri", "anyuri", "url":
		return "xs:anyURI", true
	}
	return "", false
}

func sortStrings(s []string) { slices.Sort(s) }
