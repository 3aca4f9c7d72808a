// Package staruml reads StarUML 5 projects (.uml files whose root is
// XPD:PROJECT in the http://www.staruml.com namespace) into a uml.Graph.
// IMS kept its LTI 2.0 UML model in this format.
//
// # The format
//
// A project is a tree of <XPD:OBJ type="…" guid="…"> objects. Each object
// holds its fields as <XPD:ATTR name="…"> (text) and <XPD:REF name="…">
// (another object's guid), with "#Name" counters before lists, and nests the
// objects it owns (OwnedElements[i], Attributes[i], Literals[i],
// Connections[i], Constraints[i]…). Diagrams and views are most of a file;
// they are dropped while parsing and never built.
//
// # Mapping
//
//   - UMLProject: not a graph element; its top-level UMLModel and
//     UMLPackage objects become g.Roots. Its Title is not kept; its
//     Attachments are copied to each root as an application named
//     "project-attachments".
//   - UMLModel → Package of kind model; UMLPackage and UMLSubsystem →
//     package.
//   - UMLClass → class (IsAbstract), UMLInterface → interface,
//     UMLEnumeration → enumeration with its UMLEnumerationLiteral literals,
//     UMLDataType → datatype, UMLPrimitiveType → primitive. A classifier
//     nested in a classifier is placed in the enclosing package.
//   - UMLAttribute → Property: Multiplicity, Visibility (vkPrivate,
//     vkProtected, vkPackage; public otherwise), OwnerScope skClassifier →
//     Static, Ordering okOrdered → Ordered, Changeability ckFrozen or
//     IsReadOnly → ReadOnly, IsDerived → Derived, InitialValue → Default.
//   - Types: a Type_ reference wins (StarUML leaves a stale TypeExpression
//     behind when the type is renamed; LTI_v2.uml has three). Otherwise the
//     TypeExpression is looked up by name among the file's classifiers (a
//     "Pkg::Name" form must match the packages; among equal names the one in
//     the nearest package wins), and failing that it is a primitive from the
//     library "StarUML" (uml.Graph.LibraryType), as the XML Schema names IMS
//     uses are (anyURI, dateTime…); a name that is not a known XSD or UML
//     primitive is warned about. A TypeExpression that is not a name at all
//     (a number, or a pattern such as \S*) is the attribute's value: IMS
//     writes the facets of «simpleType» classes as "maxLength : 128", so it
//     becomes Default and the attribute has no type.
//   - UMLOperation → Operation (IsAbstract, IsQuery, OwnerScope,
//     Visibility); UMLParameter → Parameter (DirectionKind pdkIn, pdkOut,
//     pdkInout, pdkReturn; DefaultValue).
//   - UMLGeneralization (Child → Parent) → Child.Generals and UMLRealization
//     (Client → Supplier) → Client.Realizes, in document order.
//   - UMLObject → Instance with its Classifier; UMLAttributeLink → Slot.
//   - Constraint → Constraint{Name, Body} on the classifier, attribute or
//     association end that holds it; constraints elsewhere are warned about.
//   - Every element: guid → ID, Name, Documentation → Doc through
//     doctext.Markdown, Pos = the line of its XPD:OBJ start tag.
//   - StereotypeName → StereotypeApplication{Profile: "staruml", Name: the
//     stereotype} (with tag "profile" when StereotypeProfile is written).
//   - Attachments → StereotypeApplication{Profile: "staruml", Name:
//     "attachments"} with one tag per non-blank line: "k=v" is tag k with
//     value v (both trimmed; a key written twice keeps both values joined by a
//     space) and a line without "=" ("#2", "xsd:attr", "skip:A,B") is a tag
//     named by the whole line with value "". A package's "uri" tag is also its
//     URI.
//
// # Association ends
//
// StarUML follows UML 1.x: an end's Participant is the classifier standing
// at that end, its Name is the role that classifier plays, and Aggregation
// is written on the end at the whole. The reader converts to UML 2. For a
// binary association with ends A and B, the end B becomes a Property typed
// by B's participant, with B's multiplicity, and the aggregation written on
// A (akAggregate → shared, akComposite → composite). When B is named and
// navigable (IsNavigable defaults to True) the property is an attribute of
// A's participant; otherwise the association owns it. Association.Ends keep
// the Connections order. A classifier's attributes are its own UMLAttributes
// in file order followed by the ends it gained, in the file order of their
// associations. In LTI_v2.uml, association Bj2u3xCq7UOw7LZqPhemEQAA has the
// end tool_profile (participant ToolProfile, multiplicity 1) and an unnamed
// end at ToolProxy marked akAggregate, so it reads as ToolProxy.tool_profile
// : ToolProfile [1], shared — IMS's lti_binding.ttl says the same
// (bind:associationType bind:Aggregation). Ends of associations with more
// than two ends are all association-owned. An association or relation with
// an end on an element outside class models (a UMLNode, UMLActor…) is
// dropped quietly; one with a missing end, which StarUML leaves behind when
// an end is deleted, is dropped with a warning (IMS's own generator dropped
// the one in LTI_v2.uml too).
//
// # Multiplicity
//
// "1", "0..1", "*", "1..*", "2" and "n..m" are read as written. An absent or
// empty Multiplicity, StarUML's "unspecified", is UML's default [1..1]: IMS
// read it so — Contact.email, ServiceProvider.timestamp and
// Vendor.vendor_name have none in LTI_v2.uml, and the generated lti.ttl gives
// each owl:minCardinality 1 on an owl:FunctionalProperty, which the enhanced
// ToolProxy context states as minCardinality 1, maxCardinality 1. A malformed
// multiplicity ("1..x", "3..1") is an error at the element's line.
//
// # Problems
//
// Malformed XML, a root that is not XPD:PROJECT, a reference to a guid that
// is not in the file, a guid used twice (the first object is kept), a
// malformed multiplicity and a reference of the wrong kind are errors. An
// unknown metaclass, an object where StarUML would not put it, and values
// outside StarUML's enumerations are warnings, and the object or value is
// skipped. Known metaclasses outside class models (use cases, deployment,
// behaviour, plain dependencies) are skipped quietly. References from
// objects to their views (Views[i]) are not checked, views being dropped.
// Sub-unit files listed in the header are not read; each is warned about.
package staruml
