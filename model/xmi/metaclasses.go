package xmi

import "strings"

// umlMetaclasses lists every UML 2.x metaclass name (UML 2.5.1, plus the
// few that earlier 2.x versions had and tools still write, and MagicDraw's
// uml:Diagram). An xmi:type in a UML namespace must name one of them; the
// reader builds graph elements for the class-model subset and skips the
// rest quietly.
var umlMetaclasses = func() map[string]bool {
	const names = `Abstraction AcceptCallAction AcceptEventAction Action
ActionExecutionSpecification ActionInputPin Activity ActivityEdge
ActivityFinalNode ActivityGroup ActivityNode ActivityParameterNode
ActivityPartition Actor AddStructuralFeatureValueAction AddVariableValueAction
AnyReceiveEvent Artifact Association AssociationClass Behavior
BehaviorExecutionSpecification BehavioralFeature BehavioredClassifier
BroadcastSignalAction CallAction CallBehaviorAction CallEvent
CallOperationAction CentralBufferNode ChangeEvent Class Classifier
ClassifierTemplateParameter Clause ClearAssociationAction
ClearStructuralFeatureAction ClearVariableAction Collaboration
CollaborationUse CombinedFragment Comment CommunicationPath Component
ComponentRealization ConditionalNode ConnectableElement
ConnectableElementTemplateParameter ConnectionPointReference Connector
ConnectorEnd ConsiderIgnoreFragment Constraint Continuation ControlFlow
ControlNode CreateLinkAction CreateLinkObjectAction CreateObjectAction
CreationEvent DataStoreNode DataType DecisionNode Dependency DeployedArtifact
Deployment DeploymentSpecification DeploymentTarget DestroyLinkAction
DestroyObjectAction DestructionEvent DestructionOccurrenceSpecification Device
Diagram DirectedRelationship Duration DurationConstraint DurationInterval
DurationObservation Element ElementImport EncapsulatedClassifier Enumeration
EnumerationLiteral Event ExceptionHandler ExecutableNode ExecutionEnvironment
ExecutionEvent ExecutionOccurrenceSpecification ExecutionSpecification
ExpansionNode ExpansionRegion Expression Extend Extension ExtensionEnd
ExtensionPoint Feature FinalNode FinalState FlowFinalNode ForkNode
FunctionBehavior Gate GeneralOrdering Generalization GeneralizationSet Image
Include InformationFlow InformationItem InitialNode InputPin
InstanceSpecification InstanceValue Interaction InteractionConstraint
InteractionFragment InteractionOperand InteractionUse Interface
InterfaceRealization InterruptibleActivityRegion Interval IntervalConstraint
InvocationAction JoinNode Lifeline LinkAction LinkEndCreationData LinkEndData
LinkEndDestructionData LiteralBoolean LiteralInteger LiteralNull LiteralReal
LiteralSpecification LiteralString LiteralUnlimitedNatural LoopNode
Manifestation MergeNode Message MessageEnd MessageEvent
MessageOccurrenceSpecification Model MultiplicityElement NamedElement
Namespace Node ObjectFlow ObjectNode Observation OccurrenceSpecification
OpaqueAction OpaqueBehavior OpaqueExpression Operation
OperationTemplateParameter OutputPin Package PackageImport PackageMerge
PackageableElement Parameter ParameterSet ParameterableElement
PartDecomposition Pin Port PrimitiveType Profile ProfileApplication Property
ProtocolConformance ProtocolStateMachine ProtocolTransition Pseudostate
QualifierValue RaiseExceptionAction ReadExtentAction
ReadIsClassifiedObjectAction ReadLinkAction ReadLinkObjectEndAction
ReadLinkObjectEndQualifierAction ReadSelfAction ReadStructuralFeatureAction
ReadVariableAction Realization Reception ReceiveOperationEvent
ReceiveSignalEvent ReclassifyObjectAction RedefinableElement
RedefinableTemplateSignature ReduceAction Region Relationship
RemoveStructuralFeatureValueAction RemoveVariableValueAction ReplyAction
SendObjectAction SendOperationEvent SendSignalAction SendSignalEvent
SequenceNode Signal SignalEvent Slot StartClassifierBehaviorAction
StartObjectBehaviorAction State StateInvariant StateMachine Stereotype
StringExpression StructuralFeature StructuralFeatureAction
StructuredActivityNode StructuredClassifier Substitution TemplateBinding
TemplateParameter TemplateParameterSubstitution TemplateSignature
TemplateableElement TestIdentityAction TimeConstraint TimeEvent
TimeExpression TimeInterval TimeObservation Transition Trigger Type
TypedElement UnmarshallAction Usage UseCase ValuePin ValueSpecification
ValueSpecificationAction Variable VariableAction Vertex WriteLinkAction
WriteStructuralFeatureAction WriteVariableAction`
	m := make(map[string]bool, 256)
	for _, n := range strings.Fields(names) {
		m[n] = true
	}
	return m
}()

// featureTypes gives the metaclass EMF leaves implicit when an element's
// class is the declared type of its containing feature (Eclipse UML2 and
// MagicDraw's Eclipse export omit xmi:type then; EA omits it on operations
// and parameters). Features with abstract types (packagedElement,
// lowerValue, defaultValue, …) always carry xmi:type and are not listed.
var featureTypes = map[string]string{
	"ownedAttribute":       "Property",
	"ownedEnd":             "Property",
	"qualifier":            "Property",
	"ownedOperation":       "Operation",
	"ownedParameter":       "Parameter",
	"ownedLiteral":         "EnumerationLiteral",
	"generalization":       "Generalization",
	"ownedComment":         "Comment",
	"interfaceRealization": "InterfaceRealization",
	"profileApplication":   "ProfileApplication",
	"packageImport":        "PackageImport",
	"ownedRule":            "Constraint",
	"slot":                 "Slot",
}
