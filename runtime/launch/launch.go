package launch

import (
	"strings"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// MessageType is the lti_message_type of a launch.
const MessageType = "basic-lti-launch-request"

// Version is an lti_version value.
type Version string

// The launch versions this package sends and accepts.
const (
	// LTI1 is lti_version for LTI 1.0 to 1.2 launches.
	LTI1 Version = "LTI-1p0"
	// LTI2 is lti_version for LTI 2.0 launches.
	LTI2 Version = "LTI-2p0"
)

// Param is one form parameter (a name and a value). It is oauth1.Param, so
// parameters pass between the two packages unchanged.
type Param = oauth1.Param

// Names of the launch parameters (LTI2-FACTS §4.2).
const (
	ParamMessageType             = "lti_message_type"
	ParamVersion                 = "lti_version"
	ParamResourceLinkID          = "resource_link_id"
	ParamResourceLinkTitle       = "resource_link_title"
	ParamResourceLinkDescription = "resource_link_description"
	ParamUserID                  = "user_id"
	ParamUserImage               = "user_image"
	ParamRoles                   = "roles"
	ParamRoleScopeMentor         = "role_scope_mentor"
	ParamPersonNameGiven         = "lis_person_name_given"
	ParamPersonNameFamily        = "lis_person_name_family"
	ParamPersonNameFull          = "lis_person_name_full"
	ParamPersonEmailPrimary      = "lis_person_contact_email_primary"
	ParamPersonSourcedID         = "lis_person_sourcedid"
	ParamContextID               = "context_id"
	ParamContextType             = "context_type"
	ParamContextTitle            = "context_title"
	ParamContextLabel            = "context_label"
	ParamCourseOfferingSourcedID = "lis_course_offering_sourcedid"
	ParamCourseSectionSourcedID  = "lis_course_section_sourcedid"
	ParamPresentationLocale      = "launch_presentation_locale"
	ParamPresentationTarget      = "launch_presentation_document_target"
	ParamPresentationCSSURL      = "launch_presentation_css_url"
	ParamPresentationWidth       = "launch_presentation_width"
	ParamPresentationHeight      = "launch_presentation_height"
	ParamPresentationReturnURL   = "launch_presentation_return_url"
	ParamOutcomeServiceURL       = "lis_outcome_service_url"
	ParamResultSourcedID         = "lis_result_sourcedid"
	ParamProductFamilyCode       = "tool_consumer_info_product_family_code"
	ParamProductVersion          = "tool_consumer_info_version"
	ParamInstanceGUID            = "tool_consumer_instance_guid"
	ParamInstanceName            = "tool_consumer_instance_name"
	ParamInstanceDescription     = "tool_consumer_instance_description"
	ParamInstanceURL             = "tool_consumer_instance_url"
	ParamInstanceContactEmail    = "tool_consumer_instance_contact_email"
)

// Prefixes of the parameter families passed through.
const (
	// CustomPrefix starts the name of every custom parameter.
	CustomPrefix = "custom_"
	// ExtensionPrefix starts the name of every vendor extension
	// parameter.
	ExtensionPrefix = "ext_"
)

// Limits.
const (
	maxOutcomeServiceURL       = 1023      // lis_outcome_service_url, in characters
	defaultMaxParams           = 1000      // parameters of one launch
	defaultMaxBody       int64 = 256 << 10 // bytes of a launch's body
)

// ResourceLink is the placement the user launched from.
type ResourceLink struct {
	// ID is resource_link_id (required): unique per placement.
	ID string
	// Title is resource_link_title.
	Title string
	// Description is resource_link_description.
	Description string
}

// User is the launching user. Personal fields are subject to the tool
// consumer's privacy settings.
type User struct {
	// ID is user_id, the tool consumer's opaque user key.
	ID string
	// Image is user_image, the URL of the user's picture.
	Image string
	// SourcedID is lis_person_sourcedid.
	SourcedID string
	// GivenName is lis_person_name_given.
	GivenName string
	// FamilyName is lis_person_name_family.
	FamilyName string
	// FullName is lis_person_name_full.
	FullName string
	// Email is lis_person_contact_email_primary.
	Email string
}

// Context is the course or group launched from.
type Context struct {
	// ID is context_id.
	ID string
	// Type is context_type, a comma list of CourseTemplate,
	// CourseOffering, CourseSection, Group or their
	// urn:lti:context-type:ims/lis/ URNs.
	Type []string
	// Title is context_title.
	Title string
	// Label is context_label.
	Label string
	// CourseOfferingSourcedID is lis_course_offering_sourcedid.
	CourseOfferingSourcedID string
	// CourseSectionSourcedID is lis_course_section_sourcedid.
	CourseSectionSourcedID string
}

// Presentation says how the tool should present itself.
type Presentation struct {
	// Locale is launch_presentation_locale (BCP 47).
	Locale string
	// DocumentTarget is launch_presentation_document_target: frame,
	// iframe, window (and later embed, popup, overlay, none).
	DocumentTarget string
	// CSSURL is launch_presentation_css_url.
	CSSURL string
	// Width is launch_presentation_width in pixels; 0 when absent or not
	// a non-negative integer.
	Width int
	// Height is launch_presentation_height in pixels; 0 when absent or not
	// a non-negative integer.
	Height int
	// ReturnURL is launch_presentation_return_url, where the tool sends the
	// user back (with lti_msg, lti_log, lti_errormsg or lti_errorlog).
	ReturnURL string
}

// Outcome is the LTI 1.1 Basic Outcomes service of the link.
type Outcome struct {
	// ServiceURL is lis_outcome_service_url (at most 1023 characters).
	ServiceURL string
	// ResultSourcedID is lis_result_sourcedid.
	ResultSourcedID string
}

// ToolConsumer describes the tool consumer product and instance.
type ToolConsumer struct {
	// ProductFamilyCode is tool_consumer_info_product_family_code.
	ProductFamilyCode string
	// Version is tool_consumer_info_version.
	Version string
	// InstanceGUID is tool_consumer_instance_guid.
	InstanceGUID string
	// InstanceName is tool_consumer_instance_name.
	InstanceName string
	// InstanceDescription is tool_consumer_instance_description.
	InstanceDescription string
	// InstanceURL is tool_consumer_instance_url.
	InstanceURL string
	// InstanceContactEmail is tool_consumer_instance_contact_email.
	InstanceContactEmail string
}

// Message is the data a basic-lti-launch-request carries, the same for
// the launch a tool consumer sends (Request) and the one a tool receives
// (Launch).
type Message struct {
	// Version is LTI1 or LTI2.
	Version Version
	// ResourceLink is the placement.
	ResourceLink ResourceLink
	// User is the launching user.
	User User
	// Roles are the user's roles.
	Roles []lti2.Role
	// RoleScopeMentor is role_scope_mentor: the user_ids a mentor may see.
	RoleScopeMentor []string
	// Context is the course or group.
	Context Context
	// Presentation says how the tool should present itself.
	Presentation Presentation
	// Outcome is the Basic Outcomes service of the link.
	Outcome Outcome
	// ToolConsumer describes the tool consumer.
	ToolConsumer ToolConsumer
}

// Launch is a received, verified basic-lti-launch-request.
type Launch struct {
	// ConsumerKey is the oauth_consumer_key that signed the launch (in
	// LTI 2, the tool proxy GUID).
	ConsumerKey string
	// Message is the data the launch carried. Version is lti_version in
	// its canonical spelling; Roles are full URNs or IRIs, in the order
	// sent, without duplicates (see ParseRoles).
	Message
	// Custom holds the custom_* parameters in the order received, with the
	// custom_ prefix removed from Key.
	Custom []Param
	// Extensions holds the ext_* parameters in the order received, with the
	// ext_ prefix removed from Key.
	Extensions []Param
	// Params holds every parameter of the message as verified (OAuth
	// header, URL query and form fields, oauth_* included, except
	// oauth_signature).
	Params []Param
}

// Param returns the value of the message parameter named key, and whether
// it was present.
func (l *Launch) Param(key string) (string, bool) {
	return lookup(l.Params, key)
}

// CustomValue returns the value of the custom parameter name (without the
// custom_ prefix): the exact name is looked up first, then its LTI 1 mapped
// form (MapCustomName). A value the tool consumer could not substitute (one
// starting with "$", one equal to a known variable name, or an empty one)
// counts as not supplied (LTI2-FACTS §4.1).
func (l *Launch) CustomValue(name string) (string, bool) {
	v, ok := lookup(l.Custom, name)
	if !ok {
		v, ok = lookup(l.Custom, MapCustomName(name))
	}
	if !ok || v == "" || strings.HasPrefix(v, "$") || lti2.Variable(v).Known() {
		return "", false
	}
	return v, true
}

// Extension returns the value of the ext_ parameter name (without the
// prefix), and whether it was present.
func (l *Launch) Extension(name string) (string, bool) {
	return lookup(l.Extensions, name)
}

// HasRole reports whether the user holds role r, or a sub-role of it: with
// r = lti2.RoleContextInstructor, a user whose role is
// urn:lti:role:ims/lis/Instructor/PrimaryInstructor has it. r may be given in
// any spelling ParseRoles accepts.
//
// A context role matches in either vocabulary: an LTI 2 consumer sends the
// LIS v2 membership IRIs (…/membership#Instructor, and sub-roles such as
// …/membership#PrimaryInstructor), which are the same roles as the LTI 1
// URNs (urn:lti:role:ims/lis/Instructor and …/Instructor/PrimaryInstructor).
func (l *Launch) HasRole(r lti2.Role) bool {
	want := contextRole(NormalizeRole(string(r)))
	if want == "" {
		return false
	}
	for _, have := range l.Roles {
		have := contextRole(have)
		if have == want || strings.HasPrefix(have, want+"/") {
			return true
		}
	}
	return false
}

func lookup(ps []Param, key string) (string, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}
