package etextbook

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/provider"
)

// Paths of the e-textbook's LTI endpoints, below its base URL.
const (
	// RegisterPath receives registration and re-registration messages: it
	// is the registration URL an LMS administrator pastes, and the tool
	// profile's ToolProxyReregistrationRequest handler.
	RegisterPath = "/lti/register"
	// ConfirmPath receives the confirmation of re-registrations
	// (provider.Config.ConfirmPath).
	ConfirmPath = "/lti/confirm/"
	// LaunchPathPrefix starts the path of each resource's launch handler:
	// /lti/launch/book, /lti/launch/quiz, …
	LaunchPathPrefix = "/lti/launch/"
)

// Resource type codes of the e-textbook's resource handlers.
const (
	// ResourceBook is the textbook, opened at a chapter.
	ResourceBook = "book"
	// ResourceQuiz is the weekly assessment, graded into the LMS.
	ResourceQuiz = "quiz"
	// ResourceAdopt is the instructors' book adoption.
	ResourceAdopt = "adopt"
	// ResourceCensus is the instructors' billing census.
	ResourceCensus = "census"
)

// Names of the custom parameters the launches carry, as the message
// handlers declare them.
const (
	// ParamLearnerName carries the user's full name (Person.name.full).
	ParamLearnerName = "learner_name"
	// ParamCourseTitle carries the context's title (Context.title).
	ParamCourseTitle = "course_title"
	// ParamResultURL carries the user's result in a gradable link
	// (Result.url).
	ParamResultURL = "result_url"
	// ParamLinkSettingURL carries the link's settings (LtiLink.custom.url).
	ParamLinkSettingURL = "link_setting_url"
	// ParamContextSettingURL carries the course's binding-scope settings
	// (ToolProxyBinding.custom.url).
	ParamContextSettingURL = "context_setting_url"
	// ParamContextMembershipsURL carries the course's roster
	// (ToolProxyBinding.memberships.url).
	ParamContextMembershipsURL = "context_memberships_url"
)

// Settings keys and custom parameters the e-textbook reads and writes in
// the consumer.
const (
	// SettingAdoptedBooks is the binding-scope key holding the comma list
	// of the books a course adopted.
	SettingAdoptedBooks = "adopted_books"
	// SettingChapter is the link-scope key naming the chapter a book link
	// opens at.
	SettingChapter = "chapter"
	// CustomBook is the custom parameter naming the book a book link
	// opens when the course adopted none.
	CustomBook = "book"
	// CustomChapter is the custom parameter naming the chapter a book
	// link opens at.
	CustomChapter = "chapter"
)

// resource is one resource handler of the declaration.
type resource struct{ code, name, description string }

// resources lists the resource handlers, in the order of the tool profile.
func resources() []resource {
	return []resource{
		{ResourceBook, "Textbook", "Read the course's textbook, opened at a chapter."},
		{ResourceQuiz, "Weekly assessment", "A four-question quiz whose score goes to the gradebook."},
		{ResourceAdopt, "Book adoption", "Instructors choose the books their course uses."},
		{ResourceCensus, "Billing census", "Instructors see who in the course is counted for billing."},
	}
}

// Declaration returns what the e-textbook is and needs from a consumer,
// for a tool served at baseURL (without a trailing "/"): the product
// "Open Textbooks" by books.example.com, four resource handlers (book,
// quiz, adopt, census) each with a basic-lti-launch-request handler at
// /lti/launch/{code} asking for the learner's name, the course title and
// the result, settings and roster URLs, and the services it calls: link
// and binding settings, results and memberships.
func Declaration(baseURL string) provider.Declaration {
	param := func(name, variable string) lti2.Parameter {
		return lti2.Parameter{Name: lti2.NameType(name), Variable: lti2.VariableNameType(variable)}
	}
	var handlers []lti2.ResourceHandler
	for _, r := range resources() {
		handlers = append(handlers, lti2.ResourceHandler{
			ResourceType: &lti2.ResourceType{Code: lti2.TokenType(r.code)},
			ResourceName: &lti2.LocalizedName{DefaultValue: lti2.LongNameType(r.name)},
			Description:  &lti2.LocalizedText{DefaultValue: lti2.TextType(r.description)},
			Message: []lti2.MessageHandler{{
				MessageType: "basic-lti-launch-request",
				Path:        LaunchPathPrefix + r.code,
				EnabledCapability: []lti2.Capability{
					"Result.autocreate",
					"Person.name.full",
					"Context.title",
					"Result.url",
					"LtiLink.custom.url",
					"ToolProxyBinding.custom.url",
					"ToolProxyBinding.memberships.url",
				},
				Parameter: []lti2.Parameter{
					param(ParamLearnerName, "Person.name.full"),
					param(ParamCourseTitle, "Context.title"),
					param(ParamResultURL, "Result.url"),
					param(ParamLinkSettingURL, "LtiLink.custom.url"),
					param(ParamContextSettingURL, "ToolProxyBinding.custom.url"),
					param(ParamContextMembershipsURL, "ToolProxyBinding.memberships.url"),
				},
			}},
		})
	}
	sum := sha256.Sum256([]byte(baseURL))
	return provider.Declaration{
		Profile: &lti2.ToolProfile{
			LTIVersion: "LTI-2p0",
			ProductInstance: &lti2.ProductInstance{
				GUID: lti2.GUIDType("open-textbooks-" + hex.EncodeToString(sum[:8])),
				ProductInfo: &lti2.ProductInfo{
					ProductName:    &lti2.LocalizedName{DefaultValue: "Open Textbooks"},
					ProductVersion: "1.0",
					Description:    &lti2.LocalizedText{DefaultValue: "Open textbooks, a weekly assessment, book adoption and a billing census for LTI 2.0 courses."},
					ProductFamily: &lti2.ProductFamily{
						Code: "etextbook",
						Vendor: &lti2.Vendor{
							Code:       "books.example.com",
							VendorName: &lti2.LocalizedName{DefaultValue: "Example Books"},
							Timestamp:  "2026-01-01T00:00:00Z",
						},
					},
				},
			},
			BaseURLChoice:   []lti2.BaseURLChoice{{DefaultBaseURL: baseURL}},
			ResourceHandler: handlers,
			Message:         []lti2.MessageHandler{{MessageType: "ToolProxyReregistrationRequest", Path: RegisterPath}},
		},
		Services: []provider.ServiceNeed{
			{Name: provider.OfferLinkSettings, Required: true},
			{Name: provider.OfferBindingSettings, Required: true},
			{Name: provider.OfferResult, Required: true},
			{Name: provider.OfferMembership, Required: true},
		},
		Required: []string{"basic-lti-launch-request"},
	}
}
