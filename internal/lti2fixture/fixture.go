// Package lti2fixture builds the LTI 2 documents that tests of the runtime
// exchange: tool proxies asking for given services and capabilities, as a
// tool provider would write them.
package lti2fixture

import (
	"encoding/json"
	"sort"

	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
)

// Tool describes a tool proxy to build.
type Tool struct {
	// Vendor and Product are the vendor code and product family code.
	Vendor, Product string
	// BaseURL is the tool's base URL; "" means https://tool.example.com.
	BaseURL string
	// Services maps offer names (Result.item, ...) to the actions asked.
	Services map[string][]string
	// Capabilities are enabled in the launch handler.
	Capabilities []string
	// Parameters are the launch handler's parameters: name → variable.
	Parameters map[string]string
	// Secret is the shared secret; ignored when TPHalf is set.
	Secret string
	// TPHalf, when set, is the tool's half of a split secret (and
	// OAuth.splitSecret is enabled).
	TPHalf string
}

// ToolProxy returns the tool proxy of t for the consumer whose profile is
// at profileURL; services are named by the profile URL and their offer
// name, as the consumer's profile gives their @id.
func ToolProxy(profileURL string, t Tool) *lti2.ToolProxy {
	base := t.BaseURL
	if base == "" {
		base = "https://tool.example.com"
	}
	caps := make([]lti2.Capability, len(t.Capabilities))
	for i, c := range t.Capabilities {
		caps[i] = lti2.Capability(c)
	}
	var params []lti2.Parameter
	for name, variable := range t.Parameters {
		params = append(params, lti2.Parameter{Name: lti2.NameType(name), Variable: lti2.VariableNameType(variable)})
	}
	sort.Slice(params, func(i, j int) bool { return params[i].Name < params[j].Name })
	sc := &lti2.SecurityContract{SharedSecret: t.Secret}
	names := make([]string, 0, len(t.Services))
	for name := range t.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var as []lti2.HTTPMethod
		for _, a := range t.Services[name] {
			as = append(as, lti2.HTTPMethod(a))
		}
		sc.ToolService = append(sc.ToolService, &lti2.RESTServiceProfile{Service: profileURL + "#" + name, Action: as})
	}
	tp := &lti2.ToolProxy{
		Context:             ld.ContextOf("http://purl.imsglobal.org/ctx/lti/v2/ToolProxy"),
		ToolProxyGUID:       lti2.GUIDType("proposed-" + t.Product),
		LTIVersion:          "LTI-2p0",
		ToolConsumerProfile: profileURL,
		ToolProfile: &lti2.ToolProfile{
			LTIVersion: "LTI-2p0",
			ProductInstance: &lti2.ProductInstance{
				GUID: lti2.GUIDType(t.Product + "-instance"),
				ProductInfo: &lti2.ProductInfo{
					ProductName:    &lti2.LocalizedName{DefaultValue: lti2.LongNameType(t.Product)},
					ProductVersion: "1",
					ProductFamily: &lti2.ProductFamily{Code: lti2.TokenType(t.Product), Vendor: &lti2.Vendor{
						Code: lti2.TokenType(t.Vendor), VendorName: &lti2.LocalizedName{DefaultValue: lti2.LongNameType(t.Vendor)}, Timestamp: "2026-01-01T00:00:00Z"}},
				},
			},
			BaseURLChoice: []lti2.BaseURLChoice{{DefaultBaseURL: base}},
			ResourceHandler: []lti2.ResourceHandler{{
				ResourceType: &lti2.ResourceType{Code: "book"},
				ResourceName: &lti2.LocalizedName{DefaultValue: "Book"},
				Message:      []lti2.MessageHandler{{MessageType: "basic-lti-launch-request", Path: "/launch", EnabledCapability: caps, Parameter: params}},
			}},
			Message: []lti2.MessageHandler{{MessageType: "ToolProxyReregistrationRequest", Path: "/register"}},
		},
		SecurityContract: sc,
	}
	if t.TPHalf != "" {
		sc.SharedSecret = ""
		raw, _ := json.Marshal(t.TPHalf)
		sc.Extensions = map[string]json.RawMessage{"tp_half_shared_secret": raw}
		tp.EnabledCapability = append(tp.EnabledCapability, "OAuth.splitSecret")
	}
	return tp
}
