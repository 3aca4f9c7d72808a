package xmi

// eclipseDialect is Eclipse UML2 as Papyrus saves it. Everything it needs is
// in the generic layer: xmi:type omitted where EMF allows it (defaulted from
// the feature), IDREFS attributes, pathmap:// hrefs into the UML, Ecore and
// Java primitive libraries, stereotype applications at the document root,
// and profileApplication/eAnnotations (ignored). A pathmap href that names
// the file itself under its deployed name is resolved within the file (see
// refs.go).
func eclipseDialect() *dialect { return genericDialect("eclipse") }
