package launch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

func TestParseRoles(t *testing.T) {
	tests := []struct {
		in   string
		want []lti2.Role
	}{
		{"", nil},
		{" , ,", nil},
		{"Instructor", []lti2.Role{lti2.RoleContextInstructor}},
		{"instructor", []lti2.Role{lti2.RoleContextInstructor}},
		{"Learner/GuestLearner", []lti2.Role{lti2.RoleContextLearnerGuestLearner}},
		{"Learner, Instructor ,TeachingAssistant/Grader", []lti2.Role{lti2.RoleContextLearner, lti2.RoleContextInstructor, lti2.RoleContextTeachingAssistantGrader}},
		{"urn:lti:role:ims/lis/Mentor/Tutor", []lti2.Role{lti2.RoleContextMentorTutor}},
		{"URN:LTI:ROLE:IMS/LIS/MENTOR", []lti2.Role{lti2.RoleContextMentor}},
		{"urn:lti:instrole:ims/lis/Faculty,urn:lti:sysrole:ims/lis/SysAdmin", []lti2.Role{lti2.RoleInstitutionFaculty, lti2.RoleSystemSysAdmin}},
		{"urn:lti:instrole:ims/lis/Student", []lti2.Role{lti2.RoleInstitutionStudent}},
		{"Instructor,urn:lti:role:ims/lis/Instructor", []lti2.Role{lti2.RoleContextInstructor}},
		{"http://purl.imsglobal.org/vocab/lis/v2/mm#Learner", []lti2.Role{lti2.RoleMembershipLearner}},
		{"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor", []lti2.Role{lti2.RoleMembershipInstructor}},
		{"Wizard", []lti2.Role{"urn:lti:role:ims/lis/Wizard"}},
		{"urn:example:vendor:Wizard", []lti2.Role{"urn:example:vendor:Wizard"}},
		{"https://vendor.example/roles#Wizard", []lti2.Role{"https://vendor.example/roles#Wizard"}},
		{strings.Repeat("x", maxRoleLen+1) + ",Learner", []lti2.Role{lti2.RoleContextLearner}},
	}
	for _, tc := range tests {
		if got := ParseRoles(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("ParseRoles(%.40q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	many := strings.Repeat("R,", 2*maxRoles)
	for i := range 2 * maxRoles {
		many += "R" + strings.Repeat("x", i%50) + ","
	}
	if n := len(ParseRoles(many)); n > maxRoles {
		t.Errorf("ParseRoles kept %d roles, more than %d", n, maxRoles)
	}
	if got := FormatRoles([]lti2.Role{"Learner", "", lti2.RoleContextLearner, "urn:lti:instrole:ims/lis/Staff"}); got != "urn:lti:role:ims/lis/Learner,urn:lti:instrole:ims/lis/Staff" {
		t.Errorf("FormatRoles = %q", got)
	}
}

// minimal is a valid launch's parameters plus extra ones.
func minimal(extra ...string) []Param {
	ps := []Param{
		{Key: ParamMessageType, Value: MessageType},
		{Key: ParamVersion, Value: string(LTI1)},
		{Key: ParamResourceLinkID, Value: "rl"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		ps = append(ps, Param{Key: extra[i], Value: extra[i+1]})
	}
	return ps
}

// without returns ps without the named parameters.
func without(ps []Param, keys ...string) []Param {
	return slices.DeleteFunc(slices.Clone(ps), func(p Param) bool { return slices.Contains(keys, p.Key) })
}

func TestParseMissing(t *testing.T) {
	tests := []struct {
		name     string
		params   []Param
		required []string
		want     []string
	}{
		{"complete", minimal(), nil, nil},
		{"no message type", without(minimal(), ParamMessageType), nil, []string{ParamMessageType}},
		{"no version", without(minimal(), ParamVersion), nil, []string{ParamVersion}},
		{"no resource link", without(minimal(), ParamResourceLinkID), nil, []string{ParamResourceLinkID}},
		{"blank resource link", append(without(minimal(), ParamResourceLinkID), Param{Key: ParamResourceLinkID, Value: "  "}), nil, []string{ParamResourceLinkID}},
		{"nothing", nil, nil, []string{ParamMessageType, ParamVersion, ParamResourceLinkID}},
		{"tool requires user_id", minimal(), []string{ParamUserID, ParamOutcomeServiceURL}, []string{ParamUserID, ParamOutcomeServiceURL}},
		{"tool requirement met", minimal(ParamUserID, "u"), []string{ParamUserID}, nil},
		{"repeated requirement", without(minimal(), ParamResourceLinkID), []string{ParamResourceLinkID}, []string{ParamResourceLinkID}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Provider{Required: tc.required}
			_, err := p.Parse(tc.params)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindMissing {
				t.Fatalf("error = %v, want KindMissing", err)
			}
			if !slices.Equal(e.Missing, tc.want) {
				t.Errorf("Missing = %v, want %v", e.Missing, tc.want)
			}
			for _, name := range tc.want {
				if !strings.Contains(e.Error(), name) || !strings.Contains(e.UserMessage(), name) {
					t.Errorf("messages %q / %q do not name %s", e.Error(), e.UserMessage(), name)
				}
			}
			if e.HTTPStatus() != http.StatusBadRequest {
				t.Errorf("status %d", e.HTTPStatus())
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name   string
		params []Param
		kind   Kind
	}{
		{"other message type", append(without(minimal(), ParamMessageType), Param{Key: ParamMessageType, Value: "ToolProxyRegistrationRequest"}), KindMessageType},
		{"other version", append(without(minimal(), ParamVersion), Param{Key: ParamVersion, Value: "LTI-3p0"}), KindVersion},
		{"repeated parameter", minimal(ParamUserID, "a", ParamUserID, "b"), KindInvalid},
		{"repeated custom", minimal("custom_a", "1", "custom_a", "2"), KindInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.params)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind {
				t.Fatalf("error = %v, want kind %v", err, tc.kind)
			}
		})
	}
	var many []Param
	for i := range defaultMaxParams + 1 {
		many = append(many, Param{Key: "ext_" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676)), Value: ""})
	}
	if _, err := Parse(append(minimal(), many...)); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("too many parameters: %v", err)
	}
	only1 := &Provider{Versions: []Version{LTI1}}
	if _, err := only1.Parse(append(without(minimal(), ParamVersion), Param{Key: ParamVersion, Value: "LTI-2p0"})); err == nil {
		t.Error("a provider accepting LTI-1p0 only took LTI-2p0")
	}
}

func TestParseFields(t *testing.T) {
	l, err := Parse(append(without(minimal(), ParamVersion, ParamMessageType),
		Param{Key: ParamMessageType, Value: "Basic-LTI-Launch-Request"},
		Param{Key: ParamVersion, Value: " lti-2P0 "},
		Param{Key: ParamPresentationWidth, Value: "640"},
		Param{Key: ParamPresentationHeight, Value: "100%"},
		Param{Key: ParamContextType, Value: "CourseOffering, urn:lti:context-type:ims/lis/Group,"},
		Param{Key: ParamRoles, Value: "Instructor,Learner/GuestLearner,urn:lti:instrole:ims/lis/Staff"},
		Param{Key: "custom_empty", Value: ""},
		Param{Key: "custom_bare_var", Value: "Person.email.primary"},
		Param{Key: "custom_dollar", Value: "$User.id"},
		Param{Key: "custom_ok", Value: "fine"},
		Param{Key: "ext_lms", Value: "x"},
		Param{Key: "oauth_consumer_key", Value: "ck"},
	))
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != LTI2 || l.ConsumerKey != "ck" {
		t.Errorf("Version %q, ConsumerKey %q", l.Version, l.ConsumerKey)
	}
	if l.Presentation.Width != 640 || l.Presentation.Height != 0 {
		t.Errorf("width %d height %d", l.Presentation.Width, l.Presentation.Height)
	}
	if !slices.Equal(l.Context.Type, []string{"CourseOffering", "urn:lti:context-type:ims/lis/Group"}) {
		t.Errorf("context type %v", l.Context.Type)
	}
	if !slices.Equal(l.Roles, []lti2.Role{lti2.RoleContextInstructor, lti2.RoleContextLearnerGuestLearner, lti2.RoleInstitutionStaff}) {
		t.Errorf("roles %v", l.Roles)
	}
	for _, name := range []string{"empty", "bare_var", "dollar", "absent"} {
		if v, ok := l.CustomValue(name); ok {
			t.Errorf("CustomValue(%q) = %q, want none (not supplied)", name, v)
		}
	}
	if v, ok := l.CustomValue("OK"); !ok || v != "fine" {
		t.Errorf("CustomValue(OK) by its mapped name = %q, %v", v, ok)
	}
	if v, ok := l.Extension("lms"); !ok || v != "x" {
		t.Errorf("Extension(lms) = %q, %v", v, ok)
	}
}

func TestReturnURL(t *testing.T) {
	msgs := []Param{{Key: "lti_errormsg", Value: "No access & sorry"}, {Key: "lti_log", Value: "a=b?c#d"}}
	const q = "lti_errormsg=No+access+%26+sorry&lti_log=a%3Db%3Fc%23d"
	tests := []struct {
		base, want string
	}{
		{"https://lms.example/return", "https://lms.example/return?" + q},
		{"https://lms.example/return?link=7", "https://lms.example/return?link=7&" + q},
		{"https://lms.example/return?", "https://lms.example/return?" + q},
		{"https://lms.example/return?a=1&", "https://lms.example/return?a=1&" + q},
		{"https://lms.example/return#top", "https://lms.example/return?" + q + "#top"},
		{"https://lms.example/return?x=%2F#top", "https://lms.example/return?x=%2F&" + q + "#top"},
		{"http://lms.example:8080/r/ü", "http://lms.example:8080/r/ü?" + q},
		{"javascript:alert(1)", ""},
		{"//lms.example/return", ""},
		{"/return", ""},
		{"https://lms.example/" + strings.Repeat("a", maxReturnURL), ""},
		{"https://lms.example/%zz", ""},
	}
	for _, tc := range tests {
		got, err := ReturnURL(tc.base, msgs...)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ReturnURL(%.60q) = %q, want an error", tc.base, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ReturnURL(%q) = %q, %v\nwant %q", tc.base, got, err, tc.want)
			continue
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatal(err)
		}
		if v := u.Query(); v.Get("lti_errormsg") != msgs[0].Value || v.Get("lti_log") != msgs[1].Value {
			t.Errorf("%q does not read back: %v", got, v)
		}
	}
}

func TestErrorRedirect(t *testing.T) {
	tests := []struct {
		name     string
		params   []Param
		location string // "" = no redirect
		status   int
	}{
		{
			name:     "missing, return URL with query",
			params:   without(minimal(ParamPresentationReturnURL, "https://lms.example/ret?x=1"), ParamResourceLinkID),
			location: "https://lms.example/ret?x=1&lti_errormsg=" + url.QueryEscape("The tool could not start: the launch lacks resource_link_id.") + "&lti_log=" + url.QueryEscape("launch: missing required parameter(s): resource_link_id"),
			status:   http.StatusSeeOther,
		},
		{
			name:     "wrong version, return URL without query",
			params:   append(without(minimal(ParamPresentationReturnURL, "https://lms.example/ret"), ParamVersion), Param{Key: ParamVersion, Value: "LTI-9"}),
			location: "https://lms.example/ret?lti_errormsg=" + url.QueryEscape("The tool could not start: the launch was not valid.") + "&lti_log=" + url.QueryEscape(`launch: lti_version "LTI-9" is not accepted`),
			status:   http.StatusSeeOther,
		},
		{
			name:   "no return URL",
			params: without(minimal(), ParamResourceLinkID),
			status: http.StatusBadRequest,
		},
		{
			name:   "unusable return URL",
			params: without(minimal(ParamPresentationReturnURL, "javascript:alert(1)"), ParamResourceLinkID),
			status: http.StatusBadRequest,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.params)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			w := httptest.NewRecorder()
			WriteError(w, httptest.NewRequest(http.MethodPost, "/launch", nil), err)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
			if got := w.Header().Get("Location"); got != tc.location {
				t.Errorf("Location:\n got %q\nwant %q", got, tc.location)
			}
		})
	}
}

func TestVerifyRequestErrors(t *testing.T) {
	p := &Provider{Verifier: &oauth1.Verifier{Secrets: oauth1.SecretMap{"k": "s"}}, MaxBody: 64}
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, ctype, body string
		status                    int
	}{
		{"GET", http.MethodGet, "", "", http.StatusMethodNotAllowed},
		{"JSON", http.MethodPost, "application/json", "{}", http.StatusUnsupportedMediaType},
		{"no content type", http.MethodPost, "", "a=b", http.StatusUnsupportedMediaType},
		{"large body", http.MethodPost, form, strings.Repeat("a", 65), http.StatusRequestEntityTooLarge},
		{"unsigned", http.MethodPost, form, "lti_message_type=basic-lti-launch-request", http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			h := p.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
			r := httptest.NewRequest(tc.method, "http://tool.example/launch", strings.NewReader(tc.body))
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if called || w.Code != tc.status {
				t.Errorf("status %d (next called: %v), want %d; body %q", w.Code, called, tc.status, w.Body)
			}
		})
	}
	if _, err := (&Provider{}).Verify(context.Background(), httptest.NewRequest(http.MethodPost, "/", nil)); err == nil {
		t.Error("Verify without a Verifier succeeded")
	}
	// A failing secret store is the provider's fault: 500, and its
	// detail stays out of the answer.
	storeDown := &Provider{Verifier: &oauth1.Verifier{Secrets: failingStore{}, Now: func() time.Time { return time.Unix(1000, 0) }}}
	h := storeDown.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("next called") }))
	r := httptest.NewRequest(http.MethodPost, "http://tool.example/launch", strings.NewReader("oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_signature=x&oauth_timestamp=1000&oauth_nonce=n"))
	r.Header.Set("Content-Type", form)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "database") {
		t.Errorf("store failure: status %d, body %q", w.Code, w.Body)
	}
	r = httptest.NewRequest(http.MethodPost, "http://tool.example/launch", strings.NewReader("oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_signature=x&oauth_timestamp=1000&oauth_nonce=n"))
	r.Header.Set("Content-Type", form)
	_, err := storeDown.Verify(context.Background(), r)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInternal || !strings.Contains(e.Error(), "database down") {
		t.Errorf("store failure: error %v, want KindInternal naming the store's error", err)
	}
}

type failingStore struct{}

func (failingStore) Secret(context.Context, string) (string, error) {
	return "", errors.New("database down")
}

func FuzzParse(f *testing.F) {
	f.Add("lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0&resource_link_id=x&roles=Instructor,urn:lti:instrole:ims/lis/Staff&custom_a=$User.id")
	f.Add("roles=%2C%2C&launch_presentation_width=-1&launch_presentation_return_url=https://x/?a")
	f.Fuzz(func(t *testing.T, body string) {
		ps, err := oauth1.ParseForm(body)
		if err != nil {
			return
		}
		l, err := Parse(ps)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			e.RedirectURL()
			return
		}
		for _, r := range l.Roles {
			if r == "" || strings.Contains(string(r), ",") {
				t.Fatalf("bad role %q", r)
			}
		}
	})
}

func TestHasRoleAcrossVocabularies(t *testing.T) {
	cases := []struct {
		have string
		want lti2.Role
		ok   bool
	}{
		{"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor", lti2.RoleContextInstructor, true},
		{"http://purl.imsglobal.org/vocab/lis/v2/membership#PrimaryInstructor", lti2.RoleContextInstructor, true},
		{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", lti2.RoleContextInstructor, false},
		{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", "Learner", true},
		{"urn:lti:role:ims/lis/Instructor", "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor", true},
		{"urn:lti:role:ims/lis/Instructor", "http://purl.imsglobal.org/vocab/lis/v2/membership#PrimaryInstructor", false},
		{"urn:lti:role:ims/lis/Instructor/PrimaryInstructor", "http://purl.imsglobal.org/vocab/lis/v2/membership#PrimaryInstructor", true},
		{"urn:lti:sysrole:ims/lis/Administrator", lti2.RoleContextInstructor, false},
	}
	for _, tc := range cases {
		l := &Launch{Message: Message{Roles: []lti2.Role{lti2.Role(tc.have)}}}
		if got := l.HasRole(tc.want); got != tc.ok {
			t.Errorf("%s HasRole(%s) = %v, want %v", tc.have, tc.want, got, tc.ok)
		}
	}
}
