// Package xmi reads UML class models from XMI 2.x files as the UML tools
// write them into a uml.Graph.
//
// The reader has two layers. The generic layer handles XML namespaces (an
// xmi:type such as "uml:Class" is resolved through the file's declarations
// and matched against a table of known XMI and UML metamodel URIs, never by
// prefix), xmi:id indexes per file, references written as id attributes,
// IDREFS, xmi:idref children and hrefs (into other loaded files or into the
// standard primitive-type libraries), the EMF rule that leaves xmi:type out
// when it equals the feature's declared type, multiplicities, default
// values, documentation comments and stereotype applications. On top of
// it, one small dialect per tool, picked by fingerprinting the file
// (dialect.go), adds what that tool does differently: Eclipse UML2/Papyrus,
// MagicDraw/Cameo native and its Eclipse export, Enterprise Architect 2.1
// and 2.5.1, Modelio, and a generic fallback.
//
// Reading proceeds in three steps per Load: each file is parsed (skipping
// vendor extensions and diagrams no dialect needs) and its ids indexed;
// its elements are built into the graph while references are queued; once
// every file is built, the references are resolved, so forward and
// cross-file references need no special care. Every problem becomes a
// diagnostic in the graph with file, line and a plain sentence.
package xmi
