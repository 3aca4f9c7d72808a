// Package orghierarchy is the worked example of a partner-provided service:
// an Organization Hierarchy service (departments, courses and sections as a
// tree, read by a Tool Provider), modelled in model.uml on top of the LTI
// 2.0 standard model, with the LTI profile applied.
//
// "go generate" (or "make generate") writes its Go types, JSON-LD contexts
// and REST bindings under generated/: the types in package orghierarchy
// and the interface, handler and client in package orghierarchyrest. They
// refer to the standard model's packages (the httpapi and ld support
// packages) under github.com/ltiforge/ltiforge/generated.
package orghierarchy

//go:generate go run -tags bootstrap github.com/ltiforge/ltiforge/cmd/ltigen generate -model model.uml -package orghierarchy -out generated
