package staruml

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// kind is what the reader does with a StarUML metaclass.
type kind uint8

const (
	kUnknown kind = iota // not a metaclass the reader knows: warn and skip
	kIgnored             // a known metaclass outside class models: skip quietly
	kProject
	kPackage
	kClassifier
	kAttribute
	kOperation
	kParameter
	kLiteral
	kConstraint
	kAssociation
	kEnd
	kGeneralization
	kRealization
	kObject
	kSlot
)

// isView reports whether a metaclass is a diagram or a view of one.
// Views name themselves "…View" (UMLClassView, LabelView, EdgeLabelView…)
// and diagrams "…Diagram".
func isView(typ string) bool {
	return strings.HasSuffix(typ, "View") || strings.HasSuffix(typ, "Diagram")
}

// kindOf classifies a StarUML 5 metaclass name.
func kindOf(typ string) kind {
	switch typ {
	case "UMLProject":
		return kProject
	case "UMLModel", "UMLPackage", "UMLSubsystem":
		return kPackage
	case "UMLClass", "UMLInterface", "UMLEnumeration", "UMLDataType", "UMLPrimitiveType":
		return kClassifier
	case "UMLAttribute":
		return kAttribute
	case "UMLOperation":
		return kOperation
	case "UMLParameter":
		return kParameter
	case "UMLEnumerationLiteral":
		return kLiteral
	case "Constraint", "UMLConstraint":
		return kConstraint
	case "UMLAssociation":
		return kAssociation
	case "UMLAssociationEnd":
		return kEnd
	case "UMLGeneralization":
		return kGeneralization
	case "UMLRealization":
		return kRealization
	case "UMLObject":
		return kObject
	case "UMLAttributeLink":
		return kSlot
	// Metaclasses of use-case, deployment, component, behaviour and
	// interaction models, and plain dependencies: legitimate in a StarUML
	// project but outside what a class-model graph holds.
	case "UMLActor", "UMLUseCase", "UMLExtend", "UMLInclude", "UMLExtensionPoint",
		"UMLNode", "UMLNodeInstance", "UMLArtifact", "UMLComponent", "UMLComponentInstance",
		"UMLDependency", "UMLUsage", "UMLAbstraction", "UMLPermission",
		"UMLLink", "UMLLinkEnd", "UMLStimulus", "UMLMessage",
		"UMLInteraction", "UMLInteractionInstanceSet",
		"UMLCollaboration", "UMLCollaborationInstanceSet",
		"UMLClassifierRole", "UMLAssociationRole", "UMLAssociationEndRole",
		"UMLStateMachine", "UMLActivityGraph", "UMLCompositeState", "UMLSimpleState",
		"UMLFinalState", "UMLPseudostate", "UMLTransition", "UMLActionState",
		"UMLSubactivityState", "UMLSubmachineState", "UMLObjectFlowState",
		"UMLSignalAcceptState", "UMLSignalSendState", "UMLFlowFinalState",
		"UMLPartition", "UMLSwimlane", "UMLGuard", "UMLEvent", "UMLCallEvent",
		"UMLSignalEvent", "UMLTimeEvent", "UMLChangeEvent",
		"UMLCallAction", "UMLSendAction", "UMLReturnAction", "UMLCreateAction",
		"UMLDestroyAction", "UMLUninterpretedAction",
		"UMLSignal", "UMLException", "UMLReception",
		"UMLPort", "UMLPart", "UMLConnector", "UMLConnectorEnd",
		"UMLTemplateParameter":
		return kIgnored
	}
	return kUnknown
}

// classifierKind maps a classifier metaclass to the graph's kind.
func classifierKind(typ string) uml.ClassifierKind {
	switch typ {
	case "UMLInterface":
		return uml.KindInterface
	case "UMLEnumeration":
		return uml.KindEnumeration
	case "UMLDataType":
		return uml.KindDataType
	case "UMLPrimitiveType":
		return uml.KindPrimitive
	}
	return uml.KindClass
}

// packageKind maps a package metaclass to the graph's kind.
func packageKind(typ string) uml.PackageKind {
	if typ == "UMLModel" {
		return uml.KindModel
	}
	return uml.KindPackage
}

// knownPrimitive reports whether name is a type a StarUML model may use
// without declaring it: an XML Schema built-in (the IMS models use anyURI,
// normalizedString, dateTime…), a UML primitive, or a common language type.
// A "xsd:" or "xs:" prefix is allowed.
func knownPrimitive(name string) bool {
	name = strings.TrimPrefix(strings.TrimPrefix(name, "xsd:"), "xs:")
	switch name {
	// XML Schema Part 2 built-in datatypes.
	case "string", "normalizedString", "token", "language", "Name", "NCName",
		"ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "NMTOKEN", "NMTOKENS",
		"boolean", "decimal", "integer", "nonPositiveInteger", "negativeInteger",
		"long", "int", "short", "byte", "nonNegativeInteger", "unsignedLong",
		"unsignedInt", "unsignedShort", "unsignedByte", "positiveInteger",
		"float", "double", "duration", "dateTime", "time", "date",
		"gYearMonth", "gYear", "gMonthDay", "gDay", "gMonth",
		"hexBinary", "base64Binary", "anyURI", "QName", "NOTATION",
		"anyType", "anySimpleType":
		return true
	// UML primitive types and the usual language spellings.
	case "String", "Integer", "Boolean", "Real", "UnlimitedNatural",
		"char", "Char", "Date", "DateTime", "Float", "Double", "Long", "Short",
		"Byte", "void":
		return true
	}
	return false
}
