package rest

import (
	"fmt"
	"path"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
)

// This file is the one place that names what other emitters produce, so
// that the REST output stays aligned with them.
//
// The Go types emitter (generator/gocode) writes, for each JSON media
// type, a document type T: the root class's Go type for a JSON-LD media
// type (in the types package of the class's origin; media types sharing a
// root share it, their @context telling them apart), and a type named as
// the media type's class for a graph-form (@graph) or simple-form (flat
// object) media type (in the types package of the media type's origin).
// For each T it writes
//
//	func DecodeT(data []byte, opts ...ld.Option) (*T, error)
//	func (*T) Validate() error // an ld.ValidationErrors
//
// and T marshals itself as the document (MarshalJSON). The support
// package ld (emit.Options.SupportImport("ld")) declares
//
//	type ValidationError struct{ Pointer, Message string }
//	type ValidationErrors []ValidationError

// Names in the types and ld packages.
const (
	decodePrefix         = "Decode"
	validateMethod       = "Validate"
	ldPackage            = "ld"
	ldValidationErrors   = "ValidationErrors"
	ldValidationPointer  = "Pointer"
	ldValidationMessage  = "Message"
	httpapiPackage       = "httpapi"
	restPackageSuffix    = "rest"
	httpapiTemplatesGlob = "templates/httpapi/*.go.tmpl"
)

// docType is the Go document type of a media type.
type docType struct {
	// Import is the types package's import path, and Name the type's name.
	Import, Name string
}

// decode is the name of the document type's decoding function.
func (t docType) decode() string { return decodePrefix + t.Name }

// docTypeOf returns the document type of the media type.
func docTypeOf(mt *model.MediaType, o emit.Options) (docType, error) {
	switch mt.Form {
	case model.FormGraph, model.FormSimple:
		return docType{Import: o.TypesImport(mt.Origin), Name: mt.GoName}, nil
	case model.FormJSONLD, "":
		root := mt.RootClass()
		if root == nil {
			return docType{}, fmt.Errorf("media type %s: its root class %q is unknown", mt.Name, mt.Root)
		}
		return docType{Import: o.TypesImport(root.Origin), Name: root.GoName}, nil
	}
	return docType{}, fmt.Errorf("media type %s: form %q has no JSON document type", mt.Name, mt.Form)
}

// restPackage returns the name and the directory (relative to the output
// root) of the REST package: "lti2rest" for the standard model,
// "<package>rest" for a partner's.
func restPackage(o emit.Options) string { return o.Package + restPackageSuffix }

// restImport returns the REST package's import path.
func restImport(o emit.Options) string { return path.Join(o.Root, restPackage(o)) }
