// Package uml holds a resolved, typed UML class-model graph: packages,
// classifiers, properties, associations, operations, documentation and
// stereotype applications, each with its id, qualified name and source
// position.
//
// The graph is tool-neutral. Readers for each file format (model/xmi for XMI
// 2.x as the UML tools write it, model/staruml for StarUML 5 projects) fill
// one Graph; everything later reads only this package.
package uml

import (
	"strconv"
	"strings"
)

// Unlimited is the upper bound of a multiplicity written "*".
const Unlimited = -1

// Element holds what every named model element has.
type Element struct {
	// ID is the element's id in its file (xmi:id, or a StarUML guid). Ids
	// are unique only within one file.
	ID string
	// Name is the element's name as written; it may be empty.
	Name string
	// QualifiedName is the "::"-separated path of names from the root
	// package, set by Graph.Finish.
	QualifiedName string
	// Doc is the element's documentation as Markdown.
	Doc string
	// Pos is where the element is written.
	Pos Pos
	// Stereotypes lists the stereotypes applied to the element, in the
	// order the file gives them.
	Stereotypes []*StereotypeApplication
}

// Base returns the element's common part.
func (e *Element) Base() *Element { return e }

// Stereotype returns the first application of the named stereotype, or nil.
// The name is compared without regard to case.
func (e *Element) Stereotype(name string) *StereotypeApplication {
	for _, s := range e.Stereotypes {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// Node is implemented by every element of the graph.
type Node interface {
	Base() *Element
}

// StereotypeApplication is one stereotype applied to one element, with its
// tagged values.
type StereotypeApplication struct {
	// ID is the application's own id, when the file gives one.
	ID string
	// Profile identifies the profile: its namespace URI, or its name where
	// the tool writes no URI.
	Profile string
	// Name is the stereotype's name.
	Name string
	// Tags holds the tagged values by tag name. Multi-valued and reference
	// tags hold their values separated by single spaces, as XMI writes them.
	Tags map[string]string
	// Pos is where the application is written.
	Pos Pos
}

// PackageKind tells a model, a package and a profile apart.
type PackageKind string

// Package kinds.
const (
	KindModel   PackageKind = "model"
	KindPackage PackageKind = "package"
	KindProfile PackageKind = "profile"
)

// Package is a model, package or profile.
type Package struct {
	Element
	Kind PackageKind
	// URI is the package's URI, when the file gives one.
	URI string
	// Owner is the enclosing package; nil for a root.
	Owner *Package
	// Packages, Classifiers and Associations are the owned members in
	// document order.
	Packages     []*Package
	Classifiers  []*Classifier
	Associations []*Association
	// Instances are the instance specifications (UML objects) the package
	// owns, in document order.
	Instances []*Instance
}

// ClassifierKind tells the kinds of classifier apart.
type ClassifierKind string

// Classifier kinds.
const (
	KindClass       ClassifierKind = "class"
	KindInterface   ClassifierKind = "interface"
	KindDataType    ClassifierKind = "datatype"
	KindPrimitive   ClassifierKind = "primitive"
	KindEnumeration ClassifierKind = "enumeration"
	// KindStereotype is a stereotype defined in a profile; its attributes
	// are its tag definitions.
	KindStereotype ClassifierKind = "stereotype"
)

// Classifier is a class, interface, data type, primitive type, enumeration
// or stereotype definition.
type Classifier struct {
	Element
	Kind     ClassifierKind
	Abstract bool
	// Owner is the owning package; nil for a library type.
	Owner *Package
	// Library names the standard library a primitive type comes from
	// (such as "UMLPrimitiveTypes") when no loaded file declares it.
	Library string
	// Generals are the direct generalizations, in document order.
	Generals []*Classifier
	// Realizes lists the interfaces this classifier realizes.
	Realizes []*Classifier
	// Attributes are the owned properties in document order, including
	// association ends the classifier owns.
	Attributes []*Property
	Operations []*Operation
	// Literals are an enumeration's literals in document order.
	Literals []*Literal
	// Constraints are the owned rules, in document order.
	Constraints []*Constraint
}

// Constraint is a named rule on an element, such as a value-space limit.
type Constraint struct {
	Element
	// Language names the body's language when the file gives one.
	Language string
	// Body is the rule's text.
	Body string
}

// Instance is an instance specification: a named object of one or more
// classifiers, such as a member of an extensible enumeration.
type Instance struct {
	Element
	Owner *Package
	// Classifiers are the instance's resolved classifiers.
	Classifiers []*Classifier
	// Slots hold the instance's values by feature.
	Slots []*Slot
}

// Slot is one feature's values in an instance.
type Slot struct {
	// Feature is the property the slot gives values for, when resolved.
	Feature *Property
	// FeatureRef is the reference as written.
	FeatureRef string
	// Values are the values as written.
	Values []string
}

// Literal is an enumeration literal.
type Literal struct {
	Element
	Owner *Classifier
	// Value is the literal's specification, when the file gives one.
	Value string
}

// Aggregation is a property's aggregation kind.
type Aggregation string

// Aggregation kinds. The zero value means none.
const (
	AggregationNone      Aggregation = ""
	AggregationShared    Aggregation = "shared"
	AggregationComposite Aggregation = "composite"
)

// Visibility is an element's visibility. The zero value means public, the
// UML default when a tool writes none.
type Visibility string

// Visibilities.
const (
	Public    Visibility = ""
	Private   Visibility = "private"
	Protected Visibility = "protected"
	PackageV  Visibility = "package"
)

// Multiplicity holds lower and upper bounds; Upper is Unlimited for "*".
type Multiplicity struct {
	Lower int
	Upper int
}

// One is the UML default multiplicity [1..1].
var One = Multiplicity{Lower: 1, Upper: 1}

// String formats the multiplicity the way UML writes it: "1", "0..1", "*",
// "1..*".
func (m Multiplicity) String() string {
	up := "*"
	if m.Upper != Unlimited {
		up = itoa(m.Upper)
	}
	switch {
	case m.Lower == m.Upper:
		return up
	case m.Lower == 0 && m.Upper == Unlimited:
		return "*"
	default:
		return itoa(m.Lower) + ".." + up
	}
}

// TypedElement holds a type reference and multiplicity, shared by
// properties and parameters.
type TypedElement struct {
	// Type is the resolved type, or nil when the element has no type or
	// the reference could not be resolved.
	Type *Classifier
	// TypeRef is the reference as written (an id, href or name); kept for
	// diagnostics and for types that could not be resolved.
	TypeRef string
	Multiplicity
	// Default is the default value, or nil.
	Default *Value
}

// TypeName returns the type's qualified name, a library primitive's plain
// name, or, for an unresolved type, the reference as written.
func (t *TypedElement) TypeName() string {
	switch {
	case t.Type == nil:
		return t.TypeRef
	case t.Type.Library != "" || t.Type.Kind == KindPrimitive:
		return t.Type.Name
	default:
		return t.Type.QualifiedName
	}
}

// Property is an attribute or an association end.
type Property struct {
	Element
	TypedElement
	// Owner is the classifier owning the property; nil for an end the
	// association owns.
	Owner *Classifier
	// Association is set for an association end.
	Association *Association
	Aggregation Aggregation
	Visibility  Visibility
	Derived     bool
	ReadOnly    bool
	Static      bool
	Ordered     bool
	// Navigable tells whether the end can be navigated to; always true
	// for a property a classifier owns.
	Navigable bool
	// Constraints are the rules on the property, in document order.
	Constraints []*Constraint
}

// Association relates two or more classifiers through its member ends.
type Association struct {
	Element
	Owner *Package
	// Ends are the member ends in the order the file gives them.
	Ends []*Property
	// OwnedEnds are the ends the association owns itself.
	OwnedEnds []*Property
}

// Direction is a parameter's direction. The zero value means "in".
type Direction string

// Parameter directions.
const (
	In     Direction = "in"
	Out    Direction = "out"
	InOut  Direction = "inout"
	Return Direction = "return"
)

// Operation is a classifier's operation.
type Operation struct {
	Element
	Owner      *Classifier
	Params     []*Parameter
	Abstract   bool
	Static     bool
	Query      bool
	Visibility Visibility
}

// Result returns the operation's return parameter, or nil.
func (o *Operation) Result() *Parameter {
	for _, p := range o.Params {
		if p.Direction == Return {
			return p
		}
	}
	return nil
}

// Parameter is an operation's parameter.
type Parameter struct {
	Element
	TypedElement
	Direction Direction
}

// ValueKind tells the kinds of default value apart.
type ValueKind string

// Value kinds.
const (
	ValueString     ValueKind = "string"
	ValueInteger    ValueKind = "integer"
	ValueBoolean    ValueKind = "boolean"
	ValueReal       ValueKind = "real"
	ValueNull       ValueKind = "null"
	ValueLiteral    ValueKind = "literal"
	ValueExpression ValueKind = "expression"
)

// Value is a default value.
type Value struct {
	Kind ValueKind
	// Text is the value as written; for an enumeration literal, its name.
	Text string
	// Literal is the enumeration literal the value names, when resolved.
	Literal *Literal
}

func itoa(n int) string { return strconv.Itoa(n) }
