package model

// Message is a «Message»: an LTI launch or registration message sent as
// form parameters.
type Message struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// MessageType is the lti_message_type value.
	MessageType string `json:"messageType"`
	// Versions are the lti_version values it is sent with.
	Versions []string `json:"versions"`
	// Signed tells whether the message is OAuth-signed.
	Signed bool `json:"signed"`
	// Params are the form parameters: inherited ones first, then the
	// message's own; a parameter redefined by name keeps its first place.
	Params []*MessageParam `json:"params"`
	Doc    string          `json:"doc,omitempty"`
}

// MessageReturn is a «MessageReturn»: the parameters of the redirect back
// to launch_presentation_return_url after a message.
type MessageReturn struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// MessageType is the message whose return this is.
	MessageType string          `json:"messageType"`
	Params      []*MessageParam `json:"params"`
	Doc         string          `json:"doc,omitempty"`
}

// Parameter uses.
const (
	UseRequired    = "required"
	UseRecommended = "recommended"
	UseOptional    = "optional"
)

// MessageParam is one form parameter of a message or message return.
type MessageParam struct {
	Origin Origin `json:"origin"`
	// Name is the parameter's name as sent.
	Name   string `json:"name"`
	GoName string `json:"goName"`
	// Use is "required", "recommended" or "optional".
	Use string `json:"use"`
	// Variable is the substitution variable yielding the same value.
	Variable    string      `json:"variable,omitempty"`
	Cardinality Cardinality `json:"cardinality"`
	Type        TypeRef     `json:"type"`
	Doc         string      `json:"doc,omitempty"`
}

// Capability is a «Capability» literal.
type Capability struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	// GoName is the literal's Go name within Enum.
	GoName string `json:"goName"`
	// Enum is the Go name of the enumeration holding it.
	Enum string `json:"enum"`
	IRI  string `json:"iri,omitempty"`
	// Kind is "message", "service" or "feature" when given.
	Kind string `json:"kind,omitempty"`
	Doc  string `json:"doc,omitempty"`
}

// Variable is a «Variable» literal: an LTI 2 substitution variable.
type Variable struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	Enum   string `json:"enum"`
	// LaunchParameter is the LTI 1 launch parameter it fills, if any.
	LaunchParameter string `json:"launchParameter,omitempty"`
	// Source says where the value comes from.
	Source string `json:"source"`
	// Since is the version that added it.
	Since string `json:"since"`
	Doc   string `json:"doc,omitempty"`
}

// Role is a «Role» literal.
type Role struct {
	Origin Origin `json:"origin"`
	Name   string `json:"name"`
	GoName string `json:"goName"`
	Enum   string `json:"enum"`
	// URN is the full role URN or IRI.
	URN string `json:"urn"`
	// Short is the short form a launch may send.
	Short string `json:"short,omitempty"`
	// Kind is "context", "institution", "system" or "membership".
	Kind string `json:"kind"`
	Doc  string `json:"doc,omitempty"`
}
