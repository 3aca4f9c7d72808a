package naming

import (
	"slices"
	"testing"
)

// TestGoName uses names from the LTI 2.0 model, its messages, variables,
// capabilities and media types.
func TestGoName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"tool_proxy_guid", "ToolProxyGUID"},
		{"resultScore", "ResultScore"},
		{"@id", "ID"},
		{"@type", "Type"},
		{"lti_version", "LTIVersion"},
		{"lti_message_type", "LTIMessageType"},
		{"basic-lti-launch-request", "BasicLTILaunchRequest"},
		{"User.id", "UserID"},
		{"custom_url", "CustomURL"},
		{"ToolProxy", "ToolProxy"},
		{"ToolConsumerProfile", "ToolConsumerProfile"},
		{"ToolProxy.collection", "ToolProxyCollection"},
		{"LtiLink", "LTILink"},
		{"LtiLinkSettings", "LTILinkSettings"},
		{"RestService", "RESTService"},
		{"oauth_consumer_key", "OAuthConsumerKey"},
		{"oauth_signature_method", "OAuthSignatureMethod"},
		{"HMAC-SHA1", "HMACSHA1"},
		{"lis_person_name_full", "LISPersonNameFull"},
		{"lis_result_sourcedid", "LISResultSourcedid"},
		{"launch_presentation_return_url", "LaunchPresentationReturnURL"},
		{"resource_link_id", "ResourceLinkID"},
		{"tc_profile_url", "TcProfileURL"},
		{"Context.id", "ContextID"},
		{"CourseSection.sourcedId", "CourseSectionSourcedID"},
		{"Person.name.full", "PersonNameFull"},
		{"Result.autocreate", "ResultAutocreate"},
		{"vnd.ims.lti.v2.toolproxy+json", "VndIMSLTIV2ToolproxyJSON"},
		{"application/vnd.ims.lis.v2.result+json", "ApplicationVndIMSLISV2ResultJSON"},
		{"LTI-1p0", "LTI1p0"},
		{"LTI-2p0", "LTI2p0"},
		{"HTTPMethod", "HTTPMethod"},
		{"HttpMethod", "HTTPMethod"},
		{"GET", "Get"},
		{"DELETE", "Delete"},
		{"resourceIds", "ResourceIDs"},
		{"resourceIDs", "ResourceIDs"},
		{"URLsFor", "URLsFor"},
		{"urls", "URLs"},
		{"sha256Hash", "SHA256Hash"},
		{"SHA256Hash", "SHA256Hash"},
		{"Logical View", "LogicalView"},
		{"electronic-cast-paper", "ElectronicCastPaper"},
		{"sha-256", "Sha256"},
		{"2fa", "X2fa"},
		{"123", "X123"},
		{"Élève", "Eleve"},
		{"naïve_café", "NaiveCafe"},
		{"名前", "X名前"},
		{"ωmega", "Ωmega"},
		{"", "Unnamed"},
		{"@@@", "Unnamed"},
		{"__x__", "X"},
		{"type", "Type"},
		{"USER_ID", "UserID"},
		{"NCName", "NCName"},
		{"nonNegativeInteger", "NonNegativeInteger"},
		{"GUID.Type", "GUIDType"},
		{"LongName.Type", "LongNameType"},
		{"VND-IMS-CONFIRM-URL", "VndIMSConfirmURL"},
		{"oAuth", "OAuth"},
		{"OAuthNonce", "OAuthNonce"},
		{"Instructor", "Instructor"},
		{"Learner/GuestLearner", "LearnerGuestLearner"},
		{"urn:lti:role:ims/lis/Instructor", "URNLTIRoleIMSLISInstructor"},
		{"vnd-ims-confirm-url", "VndIMSConfirmURL"},
		{"ToolProxyRegistrationRequest", "ToolProxyRegistrationRequest"},
		{"IDs", "IDs"},
		{"lis", "LIS"},
		{"css", "CSS"},
		{"is", "Is"},
		{"bus", "Bus"},
	}
	for _, tt := range tests {
		if got := GoName(tt.in); got != tt.want {
			t.Errorf("GoName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnexported(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ToolProxy", "toolProxy"},
		{"tool_proxy_guid", "toolProxyGUID"},
		{"@id", "id"},
		{"id", "id"},
		{"URL", "url"},
		{"url_template", "urlTemplate"},
		{"URLTemplate", "urlTemplate"},
		{"ids", "ids"},
		{"IDsFor", "idsFor"},
		{"oauth_nonce", "oauthNonce"},
		{"OAuthNonce", "oauthNonce"},
		{"GET", "get"},
		{"type", "type_"},
		{"@type", "type_"},
		{"string", "string_"},
		{"len", "len_"},
		{"nil", "nil_"},
		{"range", "range_"},
		{"course_id", "courseID"},
		{"2fa", "x2fa"},
		{"", "unnamed"},
		{"LTI-2p0", "lti2p0"},
	}
	for _, tt := range tests {
		if got := Unexported(tt.in); got != tt.want {
			t.Errorf("Unexported(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"tool_proxy_guid", []string{"tool", "proxy", "guid"}},
		{"HTTPMethod", []string{"HTTP", "Method"}},
		{"resourceIDs", []string{"resource", "IDs"}},
		{"ToolProxyIDsFor", []string{"Tool", "Proxy", "IDs", "For"}},
		{"LTI-1p0", []string{"LTI", "1p0"}},
		{"sha256Hash", []string{"sha256", "Hash"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsReserved(t *testing.T) {
	for _, s := range []string{"type", "func", "string", "error", "any", "iota", "clear", "min"} {
		if !IsReserved(s) {
			t.Errorf("IsReserved(%q) = false", s)
		}
	}
	for _, s := range []string{"Type", "types", "id", "url", "value"} {
		if IsReserved(s) {
			t.Errorf("IsReserved(%q) = true", s)
		}
	}
}

// TestNamer checks collision suffixes and that they follow request order.
func TestNamer(t *testing.T) {
	tests := []struct {
		name     string
		reserved []string
		in       []string
		want     []string
	}{
		{"distinct", nil, []string{"ToolProxy", "tool_proxy_guid"}, []string{"ToolProxy", "ToolProxyGUID"}},
		{"same Go name", nil, []string{"user_id", "User.id", "userId", "USER_ID"}, []string{"UserID", "UserID2", "UserID3", "UserID4"}},
		{"suffix taken by a real name", nil, []string{"Course", "Course2", "course"}, []string{"Course", "Course2", "Course3"}},
		{"ends in a digit", nil, []string{"LTI-2p0", "lti_2p0"}, []string{"LTI2p0", "LTI2p0_2"}},
		{"reserved", []string{"String", "Validate"}, []string{"string", "validate", "Validate"}, []string{"String2", "Validate2", "Validate3"}},
		{"empty names", nil, []string{"", "@"}, []string{"Unnamed", "Unnamed2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := NewNamer(tt.reserved...)
			var got []string
			for _, s := range tt.in {
				got = append(got, n.Name(s))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("names %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNamerUnexported(t *testing.T) {
	n := NewNamer()
	got := []string{n.Unexported("type"), n.Unexported("@type"), n.Unexported("course_id"), n.Claim(""), n.Claim("")}
	want := []string{"type_", "type_2", "courseID", "Unnamed", "Unnamed2"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if !n.Taken("courseID") || n.Taken("courseId") {
		t.Error("Taken disagrees with the names handed out")
	}
}
