package etextbook

import (
	"slices"
	"testing"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/provider"
)

func TestDeclaration(t *testing.T) {
	const base = "http://127.0.0.1:8090"
	d := Declaration(base)
	info := d.Profile.ProductInstance.ProductInfo
	if info.ProductName.DefaultValue != "Open Textbooks" || info.ProductFamily.Code != "etextbook" || info.ProductFamily.Vendor.Code != "books.example.com" {
		t.Errorf("product %+v", info)
	}
	if len(d.Profile.BaseURLChoice) != 1 || d.Profile.BaseURLChoice[0].DefaultBaseURL != base {
		t.Errorf("base URL choices %+v", d.Profile.BaseURLChoice)
	}
	want := map[string][2]string{
		"book":   {"Textbook", "/lti/launch/book"},
		"quiz":   {"Weekly assessment", "/lti/launch/quiz"},
		"adopt":  {"Book adoption", "/lti/launch/adopt"},
		"census": {"Billing census", "/lti/launch/census"},
	}
	if len(d.Profile.ResourceHandler) != len(want) {
		t.Fatalf("%d resource handlers", len(d.Profile.ResourceHandler))
	}
	wantCaps := []lti2.Capability{"Result.autocreate", "Person.name.full", "Context.title", "Result.url", "LtiLink.custom.url", "ToolProxyBinding.custom.url", "ToolProxyBinding.memberships.url"}
	wantParams := map[string]string{
		"learner_name": "Person.name.full", "course_title": "Context.title", "result_url": "Result.url",
		"link_setting_url": "LtiLink.custom.url", "context_setting_url": "ToolProxyBinding.custom.url",
		"context_memberships_url": "ToolProxyBinding.memberships.url",
	}
	for _, rh := range d.Profile.ResourceHandler {
		code := string(rh.ResourceType.Code)
		w, ok := want[code]
		if !ok || string(rh.ResourceName.DefaultValue) != w[0] {
			t.Errorf("resource handler %q named %q", code, rh.ResourceName.DefaultValue)
			continue
		}
		if len(rh.Message) != 1 || rh.Message[0].MessageType != "basic-lti-launch-request" || rh.Message[0].Path != w[1] {
			t.Errorf("%s: message handlers %+v", code, rh.Message)
			continue
		}
		mh := rh.Message[0]
		for _, c := range wantCaps {
			if !slices.Contains(mh.EnabledCapability, c) {
				t.Errorf("%s does not enable %s", code, c)
			}
		}
		got := map[string]string{}
		for _, p := range mh.Parameter {
			got[string(p.Name)] = string(p.Variable)
		}
		for name, variable := range wantParams {
			if got[name] != variable {
				t.Errorf("%s: parameter %s is %q, want %s", code, name, got[name], variable)
			}
		}
	}
	if len(d.Profile.Message) != 1 || d.Profile.Message[0].MessageType != "ToolProxyReregistrationRequest" || d.Profile.Message[0].Path != RegisterPath {
		t.Errorf("re-registration handler %+v", d.Profile.Message)
	}
	var services []string
	for _, s := range d.Services {
		services = append(services, s.Name)
		if !s.Required {
			t.Errorf("service %s is not required", s.Name)
		}
	}
	if !slices.Equal(services, []string{provider.OfferLinkSettings, provider.OfferBindingSettings, provider.OfferResult, provider.OfferMembership}) {
		t.Errorf("services %v", services)
	}
	if !slices.Equal(d.Required, []string{"basic-lti-launch-request"}) {
		t.Errorf("required %v", d.Required)
	}
}

func TestCatalog(t *testing.T) {
	want := map[string]string{"openbio": "Open Biology", "openchem": "Open Chemistry", "openphys": "Open Physics"}
	if len(Catalog) < 3 {
		t.Fatalf("%d books", len(Catalog))
	}
	for _, b := range Catalog {
		if title, ok := want[b.ID]; ok && title != b.Title {
			t.Errorf("%s is titled %q", b.ID, b.Title)
		}
		delete(want, b.ID)
		if len(b.Chapters) == 0 {
			t.Errorf("%s has no chapter", b.ID)
		}
		for i, c := range b.Chapters {
			if c.Title == "" || len(c.Text) < 100 {
				t.Errorf("%s chapter %d: %q", b.ID, i+1, c.Title)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("books missing: %v", want)
	}
	if bio, _ := findBook(Catalog, "openbio"); len(bio.Chapters) != 6 {
		t.Errorf("Open Biology has %d chapters, want 6", len(bio.Chapters))
	}
	if len(WeeklyQuiz) != 4 || len(QuizAnswers) != 4 {
		t.Fatalf("%d questions, %d answers", len(WeeklyQuiz), len(QuizAnswers))
	}
	for i, q := range WeeklyQuiz {
		if q.Name != "q"+string(rune('1'+i)) {
			t.Errorf("question %d is named %q", i+1, q.Name)
		}
		var values []string
		for _, c := range q.Choices {
			values = append(values, c.Value)
		}
		if !slices.Equal(values, []string{"a", "b", "c"}) || !slices.Contains(values, QuizAnswers[q.Name]) {
			t.Errorf("%s: choices %v, answer %q", q.Name, values, QuizAnswers[q.Name])
		}
	}
}
