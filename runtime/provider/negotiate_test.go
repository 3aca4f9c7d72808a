package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
)

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"Result.url":      "Result.url",
		"$Result.url":     "Result.url",
		"ltiv:Result.url": "Result.url",
		"http://purl.imsglobal.org/vocab/lti/v2/variable#Result.url":          "Result.url",
		"ltic:OAuth.splitSecret":                                              "OAuth.splitSecret",
		"http://purl.imsglobal.org/vocab/lti/v2/lti#basic-lti-launch-request": "basic-lti-launch-request",
		"lti:GET": "GET",
	} {
		if got := simpleName(in); got != want {
			t.Errorf("simpleName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"tcp:ToolProxy.collection":                     "ToolProxy.collection",
		"http://lms.example.com/profile/1#Result.item": "Result.item",
		"http://lms.example.com/services/Result.item":  "Result.item",
		"Membership.collection":                        "Membership.collection",
	} {
		if got := localName(in); got != want {
			t.Errorf("localName(%q) = %q, want %q", in, got, want)
		}
	}
	var ctx ld.Context
	if err := ctx.UnmarshalJSON([]byte(`["http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile",{"tcp":"http://lms.example.com/profile/1#","ext":{"@id":"http://ext.example/#"}}]`)); err != nil {
		t.Fatal(err)
	}
	pfx := prefixes(ctx)
	for in, want := range map[string]string{
		"tcp:Result.item":                "http://lms.example.com/profile/1#Result.item",
		"ext:Thing":                      "http://ext.example/#Thing",
		"other:Result.item":              "other:Result.item",
		"http://lms.example.com/x#Thing": "http://lms.example.com/x#Thing",
		"Result.item":                    "Result.item",
	} {
		if got := resolveIRI(in, pfx); got != want {
			t.Errorf("resolveIRI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindService(t *testing.T) {
	svc := func(id, format string, actions ...string) *lti2.RESTService {
		s := &lti2.RESTService{ID: id, Endpoint: "https://lms.example.com/" + id, Format: []string{format}}
		for _, a := range actions {
			s.Action = append(s.Action, lti2.HTTPMethod(a))
		}
		return s
	}
	need := func(name string) ServiceNeed { return ServiceNeed{Name: name}.complete() }
	tests := []struct {
		name     string
		services []*lti2.RESTService
		need     ServiceNeed
		want     string // @id picked, "" for none
	}{
		{
			name:     "by format and actions, vendor @id",
			services: []*lti2.RESTService{svc("tcp:vnd.Outcomes", lti2.MediaTypeResult, "GET", "PUT")},
			need:     need(OfferResult),
			want:     "tcp:vnd.Outcomes",
		},
		{
			name:     "media type compared without case",
			services: []*lti2.RESTService{svc("tcp:R", "Application/VND.IMS.LIS.V2.Result+JSON", "lti:GET", "put")},
			need:     need(OfferResult),
			want:     "tcp:R",
		},
		{
			name:     "fallback on the @id local name",
			services: []*lti2.RESTService{svc("tcp:Result.item", "application/json", "GET", "PUT")},
			need:     need(OfferResult),
			want:     "tcp:Result.item",
		},
		{
			name:     "missing action",
			services: []*lti2.RESTService{svc("tcp:Result.item", lti2.MediaTypeResult, "GET")},
			need:     need(OfferResult),
			want:     "",
		},
		{
			name: "settings scope by name",
			services: []*lti2.RESTService{
				svc("tcp:ToolProxySettings", lti2.MediaTypeToolSettings, "GET", "PUT"),
				svc("tcp:LtiLinkSettings", lti2.MediaTypeToolSettings, "GET", "PUT"),
			},
			need: need(OfferLinkSettings),
			want: "tcp:LtiLinkSettings",
		},
		{
			name:     "another scope's settings are not taken",
			services: []*lti2.RESTService{svc("tcp:ToolProxySettings", lti2.MediaTypeToolSettings, "GET", "PUT")},
			need:     need(OfferLinkSettings),
			want:     "",
		},
		{
			name: "a service without @id is never picked",
			services: []*lti2.RESTService{
				{Endpoint: "https://lms.example.com/r", Format: []string{lti2.MediaTypeResult}, Action: []lti2.HTTPMethod{"GET", "PUT"}},
			},
			need: need(OfferResult),
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findService(tt.services, tt.need)
			switch {
			case got == nil && tt.want != "":
				t.Errorf("no service picked, want %s", tt.want)
			case got != nil && got.ID != tt.want:
				t.Errorf("picked %q, want %q", got.ID, tt.want)
			}
		})
	}
}

func TestLoadDeclaration(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	d, err := LoadDeclaration(write("tool.json", testDeclarationJSON))
	if err != nil {
		t.Fatal(err)
	}
	if d.Profile == nil || len(d.Profile.ResourceHandler) != 1 || len(d.Services) != 3 || !d.Services[0].Required ||
		d.Settings["customerId"] != "394892759526" || len(d.Required) != 1 || len(d.Capabilities) != 1 {
		t.Errorf("declaration read as %+v", d)
	}

	tests := []struct {
		name, content, want string
	}{
		{"unknown key", `{"tool_profile": {}, "servces": []}`, "servces"},
		{"no tool profile", `{"services": []}`, "tool_profile"},
		{"required names nothing", strings.Replace(testDeclarationJSON, `"required": ["Result.url"]`, `"required": ["Result.urll"]`, 1), "Result.urll"},
		{"split secret declared", strings.Replace(testDeclarationJSON, `"OAuth.hmac-sha256"`, `"OAuth.splitSecret"`, 1), "Config.SplitSecret"},
		{"non-standard service without format", strings.Replace(testDeclarationJSON, `{"name": "LtiLinkSettings"}`, `{"name": "vnd.Thing"}`, 1), "vnd.Thing"},
		{"two documents", testDeclarationJSON + "{}", "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadDeclaration(write("bad.json", tt.content))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %q", err, tt.want)
			}
		})
	}
	if _, err := LoadDeclaration(filepath.Join(dir, "absent.json")); err == nil {
		t.Error("a missing file loaded")
	}
}

func TestNew(t *testing.T) {
	good := func() Config {
		return Config{BaseURL: "https://tool.example.com/", Store: newMemStore(), Tool: testDeclaration(t)}
	}
	p, err := New(good())
	if err != nil {
		t.Fatal(err)
	}
	if p.ConfirmPath() != DefaultConfirmPath || p.confirmURL("g 1", "t") != "https://tool.example.com/lti2/confirm/g%201/t" {
		t.Errorf("confirm path %q, URL %q", p.ConfirmPath(), p.confirmURL("g 1", "t"))
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"relative base URL", func(c *Config) { c.BaseURL = "/tool" }, "BaseURL"},
		{"base URL with query", func(c *Config) { c.BaseURL = "https://tool.example.com/?a=b" }, "BaseURL"},
		{"no store", func(c *Config) { c.Store = nil }, "Store"},
		{"no profile", func(c *Config) { c.Tool.Profile = nil }, "tool profile"},
		{"invalid profile", func(c *Config) {
			tp := *c.Tool.Profile
			tp.ProductInstance = nil
			c.Tool.Profile = &tp
		}, "product_instance"},
		{"confirm path", func(c *Config) { c.ConfirmPath = "confirm?x" }, "ConfirmPath"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good()
			tt.mutate(&cfg)
			if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want an error naming %q", err, tt.want)
			}
		})
	}
	cfg := good()
	cfg.ConfirmPath = "/hooks/confirm"
	if p, err := New(cfg); err != nil || p.ConfirmPath() != "/hooks/confirm/" {
		t.Errorf("ConfirmPath without trailing slash: %v %q", err, p.ConfirmPath())
	}
}

// TestNegotiateKeepsDeclaration: negotiation drops from copies, never from
// the declaration a Provider shares between requests.
func TestNegotiateKeepsDeclaration(t *testing.T) {
	d := testDeclaration(t)
	before, err := d.Profile.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	tcp := &lti2.ToolConsumerProfile{
		CapabilityOffered: []lti2.Capability{"basic-lti-launch-request", "Result.url"},
		ServiceOffered: []lti2.ServiceDescriptor{
			&lti2.RESTService{ID: "http://lms.example.com/p#ToolProxy.collection", Endpoint: "http://lms.example.com/tp", Format: []string{lti2.MediaTypeToolProxy}, Action: []lti2.HTTPMethod{"POST"}},
			&lti2.RESTService{ID: "http://lms.example.com/p#Result.item", Endpoint: "http://lms.example.com/r/{sourcedId}", Format: []string{lti2.MediaTypeResult}, Action: []lti2.HTTPMethod{"GET", "PUT"}},
		},
	}
	neg, err := negotiate(&d, tcp, "http://lms.example.com/p?token=x", false)
	if err != nil {
		t.Fatal(err)
	}
	if neg.proxy.ToolConsumerProfile != "http://lms.example.com/p?token=x" {
		t.Errorf("tool_consumer_profile %q, want the URL of a profile without @id", neg.proxy.ToolConsumerProfile)
	}
	if n := len(neg.proxy.ToolProfile.ResourceHandler[0].Message[0].Parameter); n != 2 {
		t.Errorf("%d parameters kept, want result_url and the fixed one", n)
	}
	after, _ := d.Profile.MarshalJSON()
	if string(before) != string(after) {
		t.Errorf("negotiation changed the declared profile:\n%s\n%s", before, after)
	}
	if neg.collection != "http://lms.example.com/tp" {
		t.Errorf("collection %q", neg.collection)
	}
}
