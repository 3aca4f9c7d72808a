package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
)

// ltiVersion2 is the lti_version of LTI 2.0 documents and messages.
const ltiVersion2 = "LTI-2p0"

// simpleName returns the simple name of a capability, message type,
// variable or HTTP method written as an IRI, a CURIE of the LTI
// vocabularies, or with a leading "$".
func simpleName(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "$")
	for _, prefix := range []string{
		"http://purl.imsglobal.org/vocab/lti/v2/lti#",
		"http://purl.imsglobal.org/vocab/lti/v2/capability#",
		"http://purl.imsglobal.org/vocab/lti/v2/variable#",
		"lti:", "ltic:", "ltiv:",
	} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			return rest
		}
	}
	return s
}

// localName returns the local part of a service's @id: after "#", else
// after the prefix of a CURIE, else after the last "/".
func localName(id string) string {
	if i := strings.LastIndexByte(id, '#'); i >= 0 {
		return id[i+1:]
	}
	if !strings.Contains(id, "://") {
		if _, local, ok := strings.Cut(id, ":"); ok {
			return local
		}
		return id
	}
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// prefixes returns the prefix definitions of a document's inline @context
// objects ({"tcp": "http://lms.example.com/profile/1#"}).
func prefixes(c ld.Context) map[string]string {
	out := make(map[string]string)
	for _, e := range c.Entries {
		var m map[string]json.RawMessage
		if json.Unmarshal(e, &m) != nil {
			continue
		}
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
				continue
			}
			var def struct {
				ID string `json:"@id"`
			}
			if json.Unmarshal(v, &def) == nil && def.ID != "" {
				out[k] = def.ID
			}
		}
	}
	return out
}

// resolveIRI expands a CURIE whose prefix the context defines; an absolute
// IRI, or a CURIE of an unknown prefix, is returned as it is.
func resolveIRI(id string, pfx map[string]string) string {
	if strings.Contains(id, "://") {
		return id
	}
	prefix, local, ok := strings.Cut(id, ":")
	if !ok {
		return id
	}
	if base, ok := pfx[prefix]; ok && base != "" {
		return base + local
	}
	return id
}

// restServices returns the REST services a profile offers, in order.
func restServices(tcp *lti2.ToolConsumerProfile) []*lti2.RESTService {
	var out []*lti2.RESTService
	for _, d := range tcp.ServiceOffered {
		if s, ok := d.(*lti2.RESTService); ok && s != nil {
			out = append(out, s)
		}
	}
	return out
}

// offersFormat reports whether a service exchanges the media type.
func offersFormat(s *lti2.RESTService, format string) bool {
	return slices.ContainsFunc(s.Format, func(f string) bool { return sameFormat(f, format) })
}

// offersActions reports whether a service accepts every method of actions.
func offersActions(s *lti2.RESTService, actions []string) bool {
	for _, a := range actions {
		if !slices.ContainsFunc(s.Action, func(m lti2.HTTPMethod) bool { return strings.EqualFold(simpleName(string(m)), a) }) {
			return false
		}
	}
	return true
}

// findService picks the service of a profile that serves a need
// (LTI2-FACTS §3.1): among the services whose format holds the need's media
// type and whose actions hold its methods, the one whose @id has the need's
// name as its local part, else the first whose local part is not the name
// of another standard offer (so that a link-settings need never takes the
// ToolProxy settings endpoint); failing that, the service named like the
// need whose actions, if it lists any, hold its methods. Services without
// @id (which a profile's tool proxy cannot refer to) or without an endpoint
// are never picked. n must be complete.
func findService(services []*lti2.RESTService, n ServiceNeed) *lti2.RESTService {
	var candidates []*lti2.RESTService
	for _, s := range services {
		if s.ID != "" && s.Endpoint != "" && offersFormat(s, n.Format) && offersActions(s, n.Actions) {
			candidates = append(candidates, s)
		}
	}
	if n.Name != "" {
		for _, s := range candidates {
			if localName(s.ID) == n.Name {
				return s
			}
		}
	}
	for _, s := range candidates {
		name := localName(s.ID)
		if _, standard := standardNeed(name); !standard || name == n.Name {
			return s
		}
	}
	if n.Name != "" {
		for _, s := range services {
			if s.ID != "" && s.Endpoint != "" && localName(s.ID) == n.Name && (len(s.Action) == 0 || offersActions(s, n.Actions)) {
				return s
			}
		}
	}
	return nil
}

// negotiated is a tool proxy made against one consumer profile, not yet
// holding a secret or a GUID.
type negotiated struct {
	// profile is the consumer's profile.
	profile *lti2.ToolConsumerProfile
	// proxy is the tool proxy to POST; its security contract has no
	// secret yet.
	proxy *lti2.ToolProxy
	// collection is the endpoint of the consumer's ToolProxy.collection.
	collection string
	// split is set when the split secret is used.
	split bool
	// dropped names what the tool wanted and the consumer does not offer.
	dropped []string
}

// negotiation holds the state of one negotiation.
type negotiation struct {
	offered  map[string]bool
	required map[string]bool
	dropped  []string
}

// keep reports whether the capability, message type or variable name may go
// into the proxy: it may when offered; a required one not offered is a
// failure; an optional one not offered is dropped, and noted.
func (n *negotiation) keep(name, what string) (bool, error) {
	s := simpleName(name)
	if n.offered[s] {
		return true, nil
	}
	if n.required[s] {
		return false, failf(nil, "The consumer does not offer %s %s, which the tool requires.", what, s)
	}
	note := what + " " + s
	if !slices.Contains(n.dropped, note) {
		n.dropped = append(n.dropped, note)
	}
	return false, nil
}

// handler returns a copy of a message handler without what the consumer
// does not offer, or false when its message type is not offered.
func (n *negotiation) handler(h *lti2.MessageHandler) (lti2.MessageHandler, bool, error) {
	out := *h
	ok, err := n.keep(h.MessageType, "message type")
	if err != nil || !ok {
		return out, false, err
	}
	out.EnabledCapability = nil
	for _, c := range h.EnabledCapability {
		ok, err := n.keep(string(c), "capability")
		if err != nil {
			return out, false, err
		}
		if ok {
			out.EnabledCapability = append(out.EnabledCapability, c)
		}
	}
	out.Parameter = nil
	for _, p := range h.Parameter {
		if p.Variable != "" {
			ok, err := n.keep(string(p.Variable), "variable")
			if err != nil {
				return out, false, err
			}
			if !ok {
				continue
			}
		}
		out.Parameter = append(out.Parameter, p)
	}
	return out, true, nil
}

// negotiate builds the tool proxy the declaration asks for, from what the
// consumer's profile offers. profileURL names the profile when it has no
// @id. Failures are *failure errors whose message names what is missing.
func negotiate(d *Declaration, tcp *lti2.ToolConsumerProfile, profileURL string, splitWanted bool) (*negotiated, error) {
	n := &negotiation{offered: make(map[string]bool), required: make(map[string]bool)}
	for _, c := range tcp.CapabilityOffered {
		n.offered[simpleName(string(c))] = true
	}
	for _, r := range d.Required {
		n.required[simpleName(r)] = true
	}
	services := restServices(tcp)
	pfx := prefixes(tcp.Context)

	collectionNeed, _ := standardNeed(OfferToolProxyCollection)
	collection := findService(services, collectionNeed)
	if collection == nil {
		return nil, failf(nil, "The consumer's profile offers no service to register tool proxies with: %s.", collectionNeed.describe())
	}

	// The security contract's tool services, the collection first; a
	// service matched twice gets the union of the methods.
	var profiles []*lti2.RESTServiceProfile
	add := func(s *lti2.RESTService, actions []string) {
		id := resolveIRI(s.ID, pfx)
		for _, p := range profiles {
			if p.Service == id {
				for _, a := range actions {
					if !slices.Contains(p.Action, lti2.HTTPMethod(a)) {
						p.Action = append(p.Action, lti2.HTTPMethod(a))
					}
				}
				return
			}
		}
		p := &lti2.RESTServiceProfile{Type: ld.Types{"RestServiceProfile"}, Service: id}
		for _, a := range actions {
			p.Action = append(p.Action, lti2.HTTPMethod(a))
		}
		profiles = append(profiles, p)
	}
	add(collection, collectionNeed.Actions)
	for _, need := range d.Services {
		need = need.complete()
		s := findService(services, need)
		if s == nil {
			if need.Required {
				return nil, failf(nil, "The consumer does not offer the service %s, which the tool requires.", need.describe())
			}
			n.dropped = append(n.dropped, "service "+need.describe())
			continue
		}
		add(s, need.Actions)
	}

	var enabled []lti2.Capability
	for _, c := range d.Capabilities {
		ok, err := n.keep(c.Name, "capability")
		if err != nil {
			return nil, err
		}
		if !ok && c.Required {
			return nil, failf(nil, "The consumer does not offer the capability %s, which the tool requires.", simpleName(c.Name))
		}
		if ok {
			enabled = append(enabled, lti2.Capability(c.Name))
		}
	}
	split := false
	if splitWanted {
		for _, name := range []string{capOAuthSplitSecret, capSecuritySplitSecret} {
			if n.offered[name] {
				split = true
				enabled = append(enabled, lti2.Capability(name))
			}
		}
	}

	tp := *d.Profile
	if tp.LTIVersion == "" {
		tp.LTIVersion = ltiVersion2
	}
	tp.ResourceHandler = nil
	for _, rh := range d.Profile.ResourceHandler {
		out := rh
		out.Message = nil
		for i := range rh.Message {
			h, ok, err := n.handler(&rh.Message[i])
			if err != nil {
				return nil, err
			}
			if ok {
				out.Message = append(out.Message, h)
			}
		}
		if len(out.Message) > 0 {
			tp.ResourceHandler = append(tp.ResourceHandler, out)
		}
	}
	if len(d.Profile.ResourceHandler) > 0 && len(tp.ResourceHandler) == 0 {
		return nil, failf(nil, "The consumer offers none of the message types of the tool's resources (%s).", strings.Join(messageTypes(d.Profile), ", "))
	}
	tp.Message = nil
	for i := range d.Profile.Message {
		h, ok, err := n.handler(&d.Profile.Message[i])
		if err != nil {
			return nil, err
		}
		if ok {
			tp.Message = append(tp.Message, h)
		}
	}

	consumerProfile := tcp.ID
	if consumerProfile == "" {
		consumerProfile = profileURL
	}
	sc := &lti2.SecurityContract{}
	for _, p := range profiles {
		sc.ToolService = append(sc.ToolService, p)
	}
	proxy := &lti2.ToolProxy{
		Context:             ld.ContextOf(lti2.ContextToolProxy),
		Type:                ld.Types{"ToolProxy"},
		LTIVersion:          ltiVersion2,
		ToolConsumerProfile: consumerProfile,
		ToolProfile:         &tp,
		SecurityContract:    sc,
		EnabledCapability:   enabled,
	}
	if len(d.Settings) > 0 {
		proxy.Custom = &lti2.PropertyMap{Values: maps.Clone(d.Settings)}
	}
	return &negotiated{profile: tcp, proxy: proxy, collection: collection.Endpoint, split: split, dropped: n.dropped}, nil
}

// messageTypes lists the message types of a tool profile's resource
// handlers.
func messageTypes(p *lti2.ToolProfile) []string {
	var out []string
	for _, rh := range p.ResourceHandler {
		for _, h := range rh.Message {
			if mt := simpleName(h.MessageType); !slices.Contains(out, mt) {
				out = append(out, mt)
			}
		}
	}
	return out
}

// withSecret returns a copy of proxy whose security contract carries the
// secret: shared_secret, or with split set tp_half_shared_secret.
func withSecret(proxy *lti2.ToolProxy, secret string, split bool) *lti2.ToolProxy {
	out := *proxy
	sc := *proxy.SecurityContract
	sc.SharedSecret = ""
	sc.Extensions = maps.Clone(sc.Extensions)
	if split {
		if sc.Extensions == nil {
			sc.Extensions = make(map[string]json.RawMessage)
		}
		raw, _ := json.Marshal(secret) // a string always marshals
		sc.Extensions[keyTPHalf] = raw
	} else {
		delete(sc.Extensions, keyTPHalf)
		sc.SharedSecret = secret
	}
	out.SecurityContract = &sc
	return &out
}

// The split-secret keys (LTI2-FACTS §5.3).
const (
	keyTPHalf = "tp_half_shared_secret"
	keyTCHalf = "tc_half_shared_secret"
)

// storable returns the tool proxy to store: proxy with its secrets removed,
// the consumer's GUID and, when the consumer gave one, its @id.
func storable(proxy *lti2.ToolProxy, guid, id string) ([]byte, error) {
	out := withSecret(proxy, "", false)
	out.ToolProxyGUID = lti2.GUIDType(guid)
	if id != "" {
		out.ID = id
	}
	data, err := out.Encode()
	if err != nil {
		return nil, fmt.Errorf("encoding the tool proxy: %w", err)
	}
	return data, nil
}
