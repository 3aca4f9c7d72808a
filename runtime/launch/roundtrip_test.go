package launch

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// testRequest is a launch with every field set; its URL is filled in by
// the caller.
func testRequest(v Version, custom []Custom) *Request {
	return &Request{Message: Message{
		Version:         v,
		ResourceLink:    ResourceLink{ID: "rl-42", Title: "Chapter 3 <quiz>", Description: "Read & answer"},
		User:            User{ID: "u-7", Image: "https://lms.example/u7.png", SourcedID: "school:u7", GivenName: "Jane", FamilyName: "O'Public", FullName: "Jane Q. O'Public", Email: "jane@school.example"},
		Roles:           []lti2.Role{"Instructor", lti2.RoleInstitutionFaculty, "Learner/GuestLearner"},
		RoleScopeMentor: []string{"u-8", "u-9"},
		Context:         Context{ID: "ctx-1", Type: []string{"CourseSection"}, Title: "Design of Personal Environments", Label: "SI182", CourseOfferingSourcedID: "off-1", CourseSectionSourcedID: "sec-1"},
		Presentation:    Presentation{Locale: "fr-CA", DocumentTarget: "iframe", CSSURL: "https://lms.example/lti.css", Width: 800, Height: 600, ReturnURL: "https://lms.example/return?link=rl-42"},
		Outcome:         Outcome{ServiceURL: "https://lms.example/outcomes", ResultSourcedID: "res:1:2:3"},
		ToolConsumer:    ToolConsumer{ProductFamilyCode: "ltiforge", Version: "0.1", InstanceGUID: "lms.example", InstanceName: "Example LMS", InstanceDescription: "An example", InstanceURL: "https://lms.example/", InstanceContactEmail: "admin@lms.example"},
	},
		Custom:     custom,
		Extensions: []Param{{Key: "lms", Value: "example"}},
	}
}

// launchServer is a tool provider: it answers each verified launch with
// the Launch as JSON.
func launchServer(t *testing.T, secrets oauth1.SecretMap) *httptest.Server {
	t.Helper()
	p := &Provider{Verifier: &oauth1.Verifier{Secrets: secrets, Nonces: oauth1.NewMemoryNonceStore(1000, 10*time.Minute)}}
	srv := httptest.NewServer(p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, ok := FromContext(r.Context())
		if !ok {
			http.Error(w, "no launch in the context", http.StatusInternalServerError)
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get(ParamResourceLinkID) != l.ResourceLink.ID {
			http.Error(w, "the form cannot be read again", http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(l)
	})))
	t.Cleanup(srv.Close)
	return srv
}

// post submits a form as a browser would.
func post(t *testing.T, f *Form) *http.Response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Post(f.Action, "application/x-www-form-urlencoded", strings.NewReader(oauth1.EncodeForm(f.Params)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestRoundTrip(t *testing.T) {
	creds := oauth1.Credentials{Key: "tool-proxy-guid", Secret: "s3cr3t"}
	srv := launchServer(t, oauth1.SecretMap{creds.Key: creds.Secret})
	tests := []struct {
		name       string
		version    Version
		custom     []Custom
		dup        bool
		wantCustom []Param           // expected Launch.Custom, in order
		wantValue  map[string]string // CustomValue lookups that find a value
		wantAbsent []string          // CustomValue lookups that find none
	}{
		{
			name:    "LTI-1p0",
			version: LTI1,
			custom: []Custom{
				{Name: "Chapter-Name", Value: "Intro & <Basics>"},
				{Name: "whoAmI", Value: "$User.id"},
				{Name: "org", Value: "$Context.org"},
				{Name: "mail", Value: "$Person.email.primary"},
				{Name: "nope", Value: "$No.such.variable"},
				{Name: "price", Value: "$"},
				{Name: "v", Variable: "Membership.role"},
			},
			wantCustom: []Param{
				{Key: "chapter_name", Value: "Intro & <Basics>"},
				{Key: "whoami", Value: "u-7"},
				{Key: "org", Value: "Example University"},
				{Key: "mail", Value: "$Person.email.primary"},
				{Key: "nope", Value: "$No.such.variable"},
				{Key: "price", Value: "$"},
				{Key: "v", Value: "urn:lti:role:ims/lis/Instructor,urn:lti:instrole:ims/lis/Faculty,urn:lti:role:ims/lis/Learner/GuestLearner"},
			},
			wantValue:  map[string]string{"Chapter-Name": "Intro & <Basics>", "whoAmI": "u-7", "org": "Example University"},
			wantAbsent: []string{"mail", "nope", "price", "missing"},
		},
		{
			name:    "LTI-2p0",
			version: LTI2,
			dup:     true,
			custom: []Custom{
				{Name: "Chapter-Name", Value: "$User.id"}, // fixed in LTI 2: not substituted
				{Name: "user_id_var", Variable: "User.id"},
				{Name: "tp_org", Variable: "$Context.org"},
				{Name: "email", Variable: "Person.email.primary"},
				{Name: "link", Variable: "ResourceLink.id"},
			},
			wantCustom: []Param{
				{Key: "Chapter-Name", Value: "$User.id"},
				{Key: "user_id_var", Value: "u-7"},
				{Key: "tp_org", Value: "Example University"},
				{Key: "email", Value: "$Person.email.primary"},
				{Key: "link", Value: "rl-42"},
				{Key: "chapter_name", Value: "$User.id"}, // the mapped duplicate
			},
			wantValue:  map[string]string{"user_id_var": "u-7", "tp_org": "Example University", "link": "rl-42"},
			wantAbsent: []string{"Chapter-Name", "chapter_name", "email"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := testRequest(tc.version, tc.custom)
			req.URL = srv.URL + "/launch?tool=quiz&x=a%20b"
			// The tool enabled these variables only: Person.email.primary,
			// which the request holds, is withheld.
			enabled := Only(FieldResolver(req), "User.id", "$Membership.role", "ResourceLink.id")
			c := &Consumer{Credentials: creds, MappedDuplicates: tc.dup, Resolver: Chain(MapResolver{"Context.org": "Example University"}, nil, enabled)}
			f, err := c.Build(context.Background(), req)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if v, _ := lookup(f.Params, "oauth_callback"); v != "about:blank" {
				t.Errorf("oauth_callback = %q, want about:blank", v)
			}
			// Through the rendered page, as a browser reads it.
			var page bytes.Buffer
			if err := f.Render(&page, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			pf := parseForm(t, page.Bytes())
			if pf.action != f.Action || !sameParams(pf.params, f.Params) {
				t.Fatalf("the page's form differs from the signed one: action %q, fields:%s", pf.action, formatParams(pf.params))
			}
			resp := post(t, &Form{Action: pf.action, Params: pf.params})
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var l Launch
			if err := json.Unmarshal(body, &l); err != nil {
				t.Fatal(err)
			}
			// The launch carries back what the request sent, roles
			// normalised to full URNs.
			want := Launch{ConsumerKey: creds.Key, Message: req.Message}
			want.Version = tc.version
			want.Roles = []lti2.Role{lti2.RoleContextInstructor, lti2.RoleInstitutionFaculty, lti2.RoleContextLearnerGuestLearner}
			got := l
			got.Custom, got.Extensions, got.Params = nil, nil, nil
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if !bytes.Equal(gj, wj) {
				t.Errorf("launch:\n got %s\nwant %s", gj, wj)
			}
			if !slices.Equal(l.Custom, tc.wantCustom) {
				t.Errorf("custom:%s\nwant:%s", formatParams(l.Custom), formatParams(tc.wantCustom))
			}
			if !slices.Equal(l.Extensions, req.Extensions) {
				t.Errorf("extensions:%s", formatParams(l.Extensions))
			}
			for name, v := range tc.wantValue {
				if got, ok := l.CustomValue(name); !ok || got != v {
					t.Errorf("CustomValue(%q) = %q, %v; want %q", name, got, ok, v)
				}
			}
			for _, name := range tc.wantAbsent {
				if got, ok := l.CustomValue(name); ok {
					t.Errorf("CustomValue(%q) = %q, want none", name, got)
				}
			}
			for _, q := range [][2]string{{"tool", "quiz"}, {"x", "a b"}} {
				if v, _ := l.Param(q[0]); v != q[1] {
					t.Errorf("query parameter %s = %q, want %q", q[0], v, q[1])
				}
			}
			if !l.HasRole(lti2.RoleContextLearner) || !l.HasRole("Instructor") || l.HasRole(lti2.RoleContextMentor) {
				t.Errorf("HasRole is wrong for %v", l.Roles)
			}

			// The same form once more is a replay.
			resp = post(t, f)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("replayed launch: status %d, want 401", resp.StatusCode)
			}
			// Signed with another secret: refused, and not redirected.
			bad := &Consumer{Credentials: oauth1.Credentials{Key: creds.Key, Secret: "wrong"}}
			f2, err := bad.Build(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			resp = post(t, f2)
			msg, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(msg), string(oauth1.CauseBadSignature)) {
				t.Errorf("wrong secret: status %d, body %q", resp.StatusCode, msg)
			}
		})
	}
}

func TestBuildCRLF(t *testing.T) {
	req := testRequest(LTI1, []Custom{{Name: "poem", Value: "one\ntwo\r\nthree\rfour"}})
	req.URL = "https://tool.example/launch"
	f, err := (&Consumer{Credentials: oauth1.Credentials{Key: "k", Secret: "s"}}).Build(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := lookup(f.Params, "custom_poem"); v != "one\r\ntwo\r\nthree\r\nfour" {
		t.Errorf("custom_poem = %q, want CRLF line breaks", v)
	}
}

func TestBuildErrors(t *testing.T) {
	base := func(mod func(*Request)) *Request {
		r := testRequest(LTI1, nil)
		r.URL = "https://tool.example/launch?a=1"
		mod(r)
		return r
	}
	tests := []struct {
		name string
		req  *Request
		want string
	}{
		{"relative URL", base(func(r *Request) { r.URL = "/launch" }), "not an absolute http or https URL"},
		{"javascript URL", base(func(r *Request) { r.URL = "javascript:alert(1)" }), "not an absolute http or https URL"},
		{"fragment", base(func(r *Request) { r.URL = "https://tool.example/launch#x" }), "fragment"},
		{"no version", base(func(r *Request) { r.Version = "" }), "unsupported lti_version"},
		{"LTI-2p1", base(func(r *Request) { r.Version = "LTI-2p1" }), "unsupported lti_version"},
		{"no resource link", base(func(r *Request) { r.ResourceLink.ID = "" }), "resource_link_id"},
		{"long outcome URL", base(func(r *Request) { r.Outcome.ServiceURL = "https://x/" + strings.Repeat("a", 1014) }), "more than 1023"},
		{"comma in role", base(func(r *Request) { r.Roles = []lti2.Role{"Learner,Instructor"} }), "comma"},
		{"NUL", base(func(r *Request) { r.User.FullName = "a\x00b" }), "NUL"},
		{"invalid UTF-8", base(func(r *Request) { r.Context.Title = "\xff" }), "invalid UTF-8"},
		{"empty custom name", base(func(r *Request) { r.Custom = []Custom{{Value: "x"}} }), "empty name"},
		{"mapped clash", base(func(r *Request) { r.Custom = []Custom{{Name: "A-b"}, {Name: "a_b"}} }), `custom parameter "a_b" is sent as custom_a_b, which custom parameter "A-b" already uses`},
		{"query clash", base(func(r *Request) { r.Extensions = nil; r.URL = "https://tool.example/launch?user_id=1" }), "query"},
		{"repeated query parameter", base(func(r *Request) { r.URL = "https://tool.example/launch?a=1&a=2" }), "repeats a"},
		{"extension clash", base(func(r *Request) { r.Extensions = []Param{{Key: "x"}, {Key: "x"}} }), "already uses"},
	}
	c := &Consumer{Credentials: oauth1.Credentials{Key: "k", Secret: "s"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Build(context.Background(), tc.req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := c.Build(context.Background(), nil); err == nil {
		t.Error("Build(nil) succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Build(ctx, base(func(*Request) {})); err == nil {
		t.Error("Build with a cancelled context succeeded")
	}
	over := &Consumer{Credentials: c.Credentials, MaxParams: 5}
	if _, err := over.Build(context.Background(), base(func(*Request) {})); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("MaxParams: error = %v", err)
	}
}

func TestMapCustomName(t *testing.T) {
	for in, want := range map[string]string{
		"Chapter-Name": "chapter_name",
		"abc123":       "abc123",
		"A.B C":        "a_b_c",
		"Ünïcode":      "_n_code",
		"custom_x":     "custom_x",
		"":             "",
	} {
		if got := MapCustomName(in); got != want {
			t.Errorf("MapCustomName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCustomFromParameters(t *testing.T) {
	got := CustomFromParameters([]lti2.Parameter{{Name: "a", Fixed: "1"}, {Name: "b", Variable: "User.id"}})
	want := []Custom{{Name: "a", Value: "1"}, {Name: "b", Variable: "User.id"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestFormValues(t *testing.T) {
	f := &Form{Params: []Param{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}}}
	if got := f.Values(); !slices.Equal(got["a"], []string{"1", "2"}) {
		t.Errorf("Values = %v", got)
	}
}
