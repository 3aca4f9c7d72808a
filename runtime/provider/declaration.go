package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
)

// The offer names of the REST services a consumer's profile conventionally
// lists (the local part of each service's @id; LTI2-FACTS §3.1). They are
// also the keys of httpapi.ClientConfig.Endpoints for the generated
// clients.
const (
	// OfferToolProxyCollection registers tool proxies (POST).
	OfferToolProxyCollection = "ToolProxy.collection"
	// OfferToolProxyItem reads a registered tool proxy (GET).
	OfferToolProxyItem = "ToolProxy.item"
	// OfferLinkSettings holds the settings of one link.
	OfferLinkSettings = "LtiLinkSettings"
	// OfferBindingSettings holds the settings of one context.
	OfferBindingSettings = "ToolProxyBindingSettings"
	// OfferToolProxySettings holds the settings of the whole deployment.
	OfferToolProxySettings = "ToolProxySettings"
	// OfferResult reads and replaces one result.
	OfferResult = "Result.item"
	// OfferMembership lists the members of a context.
	OfferMembership = "Membership.collection"
)

// Declaration is what a tool is and what it needs from a consumer. It is
// a Go value, or read from a JSON file by LoadDeclaration. A Provider
// never changes it; do not change it after New either.
type Declaration struct {
	// Profile is the tool's own tool profile: lti_version, product_instance,
	// base_url_choice, resource_handler[] with their message handlers
	// (whose enabled_capability and parameter[] lists name the
	// capabilities and variables each wants), and message[] for handlers
	// outside a resource, such as a ToolProxyReregistrationRequest handler
	// at the path where RegistrationHandler is mounted. Required.
	Profile *lti2.ToolProfile
	// Services are the consumer's REST services the tool calls. Each is
	// declared in the proxy's security_contract.tool_service. The
	// ToolProxy.collection service (POST) is always declared: registration
	// and re-registration use it.
	Services []ServiceNeed
	// Capabilities are the capabilities the tool enables for the whole
	// proxy (enabled_capability). Leave the split secret out: it is
	// Config.SplitSecret.
	Capabilities []CapabilityNeed
	// Required names the message types, handler capabilities and
	// parameter variables of Profile (simple names, variables without
	// "$") that the consumer must offer: without one, registration fails.
	// Those not listed are dropped from the proxy when the consumer does
	// not offer them.
	Required []string
	// Settings are ToolProxy-level custom settings, sent as the proxy's
	// custom map; consumers seed the tool's system-scope settings with
	// them.
	Settings map[string]string
}

// ServiceNeed is a REST service a tool needs from a consumer.
type ServiceNeed struct {
	// Name is the offer name (the local part of the service's @id in the
	// profile), such as Result.item; one of the Offer constants for the
	// standard services. It picks between services of the same media
	// type (the three settings scopes) and is the fallback when no
	// service matches by media type and methods.
	Name string
	// Format is the media type the tool exchanges with it; empty means
	// the standard one of Name.
	Format string
	// Actions are the HTTP methods the tool calls; empty means the
	// standard ones of Name.
	Actions []string
	// Required fails a registration with a consumer that does not offer
	// the service; otherwise the service is left out of the proxy.
	Required bool
}

// CapabilityNeed is a capability a tool enables for the whole proxy.
type CapabilityNeed struct {
	// Name is the capability's simple name, such as Result.autocreate.
	Name string
	// Required fails a registration with a consumer that does not offer
	// it; otherwise it is left out.
	Required bool
}

// standardNeed returns the media type and methods of a standard offer.
func standardNeed(name string) (ServiceNeed, bool) {
	get, put, post := string(lti2.HTTPMethodGet), string(lti2.HTTPMethodPut), string(lti2.HTTPMethodPost)
	switch name {
	case OfferToolProxyCollection:
		return ServiceNeed{Name: name, Format: lti2.MediaTypeToolProxy, Actions: []string{post}}, true
	case OfferToolProxyItem:
		return ServiceNeed{Name: name, Format: lti2.MediaTypeToolProxy, Actions: []string{get}}, true
	case OfferLinkSettings, OfferBindingSettings, OfferToolProxySettings:
		return ServiceNeed{Name: name, Format: lti2.MediaTypeToolSettings, Actions: []string{get, put}}, true
	case OfferResult:
		return ServiceNeed{Name: name, Format: lti2.MediaTypeResult, Actions: []string{get, put}}, true
	case OfferMembership:
		return ServiceNeed{Name: name, Format: lti2.MediaTypeMembershipContainer, Actions: []string{get}}, true
	}
	return ServiceNeed{}, false
}

// standardOffers lists the standard offer names.
func standardOffers() []string {
	return []string{OfferToolProxyCollection, OfferToolProxyItem, OfferLinkSettings, OfferBindingSettings, OfferToolProxySettings, OfferResult, OfferMembership}
}

// complete fills a need's empty Format and Actions from its standard
// offer and normalises its methods to upper case.
func (n ServiceNeed) complete() ServiceNeed {
	if std, ok := standardNeed(n.Name); ok {
		if n.Format == "" {
			n.Format = std.Format
		}
		if len(n.Actions) == 0 {
			n.Actions = std.Actions
		}
	}
	actions := make([]string, 0, len(n.Actions))
	for _, a := range n.Actions {
		a = strings.ToUpper(simpleName(a))
		if a != "" && !slices.Contains(actions, a) {
			actions = append(actions, a)
		}
	}
	n.Actions = actions
	return n
}

// describe names a need in messages: "Result.item (application/…: GET, PUT)".
func (n ServiceNeed) describe() string {
	name := n.Name
	if name == "" {
		name = "a service"
	}
	return fmt.Sprintf("%s (%s: %s)", name, n.Format, strings.Join(n.Actions, ", "))
}

// isSplitSecret reports whether a capability name is one of the spellings
// of the split-secret capability.
func isSplitSecret(name string) bool {
	switch simpleName(name) {
	case capOAuthSplitSecret, capSecuritySplitSecret:
		return true
	}
	return false
}

// The split-secret capability's spellings (LTI2-FACTS §5.3).
const (
	capOAuthSplitSecret    = "OAuth.splitSecret"
	capSecuritySplitSecret = "Security.splitSecret"
)

// check reports what is wrong with a declaration, all problems at once.
func (d *Declaration) check() error {
	var errs []error
	if d.Profile == nil {
		return errors.New("the declaration has no tool profile")
	}
	for i, s := range d.Services {
		c := s.complete()
		switch {
		case c.Format == "":
			errs = append(errs, fmt.Errorf("service %d (%q) has no media type and is not a standard offer", i, s.Name))
		case len(c.Actions) == 0:
			errs = append(errs, fmt.Errorf("service %d (%q) has no HTTP methods", i, s.Name))
		}
	}
	for i, c := range d.Capabilities {
		switch {
		case strings.TrimSpace(c.Name) == "":
			errs = append(errs, fmt.Errorf("capability %d has no name", i))
		case isSplitSecret(c.Name):
			errs = append(errs, fmt.Errorf("capability %s is not declared: set Config.SplitSecret", c.Name))
		}
	}
	used := make(map[string]bool)
	visit := func(h *lti2.MessageHandler) {
		used[simpleName(h.MessageType)] = true
		for _, c := range h.EnabledCapability {
			used[simpleName(string(c))] = true
		}
		for _, p := range h.Parameter {
			if p.Variable != "" {
				used[simpleName(string(p.Variable))] = true
			}
		}
	}
	for i := range d.Profile.ResourceHandler {
		for j := range d.Profile.ResourceHandler[i].Message {
			visit(&d.Profile.ResourceHandler[i].Message[j])
		}
	}
	for i := range d.Profile.Message {
		visit(&d.Profile.Message[i])
	}
	for _, r := range d.Required {
		if !used[simpleName(r)] {
			errs = append(errs, fmt.Errorf("required %q is no message type, capability or variable of the tool profile's handlers", r))
		}
	}
	for k := range d.Settings {
		if k == "" || strings.HasPrefix(k, "@") {
			errs = append(errs, fmt.Errorf("setting name %q is not allowed", k))
		}
	}
	return errors.Join(errs...)
}

// declarationFile is the JSON form of a Declaration.
type declarationFile struct {
	ToolProfile  json.RawMessage   `json:"tool_profile"`
	Services     []serviceFile     `json:"services"`
	Capabilities []capFile         `json:"capabilities"`
	Required     []string          `json:"required"`
	Custom       map[string]string `json:"custom"`
}

// serviceFile is the JSON form of a ServiceNeed.
type serviceFile struct {
	Name     string   `json:"name"`
	Format   string   `json:"format"`
	Action   []string `json:"action"`
	Required bool     `json:"required"`
}

// capFile is the JSON form of a CapabilityNeed.
type capFile struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// maxDeclarationBytes bounds a declaration file.
const maxDeclarationBytes = 4 << 20

// LoadDeclaration reads a Declaration from a JSON file: an object with
// "tool_profile" (a ToolProfile as it appears in a tool proxy, required),
// "services" ([{"name", "format", "action": [...], "required"}]),
// "capabilities" ([{"name", "required"}]), "required" (names) and
// "custom" (an object of setting names to strings). Unknown keys are an
// error, so that a misspelt need is not silently ignored.
func LoadDeclaration(path string) (*Declaration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("provider: reading the declaration: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxDeclarationBytes+1))
	if err != nil {
		return nil, fmt.Errorf("provider: reading the declaration %s: %w", path, err)
	}
	if len(data) > maxDeclarationBytes {
		return nil, fmt.Errorf("provider: the declaration %s is larger than %d bytes", path, maxDeclarationBytes)
	}
	d, err := ParseDeclaration(data)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return d, nil
}

// ParseDeclaration reads a Declaration from JSON in the format of
// LoadDeclaration.
func ParseDeclaration(data []byte) (*Declaration, error) {
	var file declarationFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("provider: decoding the declaration: %w", err)
	}
	if dec.More() {
		return nil, errors.New("provider: decoding the declaration: data after the JSON object")
	}
	if len(file.ToolProfile) == 0 || string(file.ToolProfile) == "null" {
		return nil, errors.New("provider: the declaration has no tool_profile")
	}
	profile := new(lti2.ToolProfile)
	if err := profile.UnmarshalJSON(file.ToolProfile); err != nil {
		return nil, fmt.Errorf("provider: decoding the declaration's tool_profile: %w", err)
	}
	d := &Declaration{Profile: profile, Required: file.Required, Settings: file.Custom}
	for _, s := range file.Services {
		d.Services = append(d.Services, ServiceNeed{Name: s.Name, Format: s.Format, Actions: s.Action, Required: s.Required})
	}
	for _, c := range file.Capabilities {
		d.Capabilities = append(d.Capabilities, CapabilityNeed(c))
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("provider: the declaration: %w", err)
	}
	return d, nil
}

// sameFormat reports whether two media types are the same.
func sameFormat(a, b string) bool { return httpapi.SameMediaType(a, b) }
