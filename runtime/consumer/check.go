package consumer

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// checkToolProxy checks a tool proxy against the consumer's profile and
// returns every problem, each located by a JSON pointer into the body:
// every service and action requested must be offered, every capability,
// message type and variable enabled must be offered, and the security
// contract must carry exactly one well-formed secret.
func (c *Consumer) checkToolProxy(tp *lti2.ToolProxy, guid string) []httpapi.FieldError {
	var out []httpapi.FieldError
	add := func(ptr, format string, args ...any) {
		out = append(out, httpapi.BodyField(ptr, fmt.Sprintf(format, args...)))
	}
	if tp.LTIVersion != versionLTI2 {
		add("/lti_version", "must be %s, not %q", versionLTI2, tp.LTIVersion)
	}
	if !sameResource(tp.ToolConsumerProfile, c.ProfileURL()) {
		add("/tool_consumer_profile", "must be this consumer's profile, %s", c.ProfileURL())
	}
	for i, cap := range tp.EnabledCapability {
		if !c.offersCapability(string(cap)) {
			add(fmt.Sprintf("/enabled_capability/%d", i), "capability %q is not offered", cap)
		}
	}
	out = append(out, c.checkContract(tp)...)
	if tp.ToolProfile == nil {
		add("/tool_profile", "is required")
		return out
	}
	if len(tp.ToolProfile.BaseURLChoice) == 0 {
		add("/tool_profile/base_url_choice", "at least one base URL is required")
	}
	for i, choice := range tp.ToolProfile.BaseURLChoice {
		for key, u := range map[string]string{"default_base_url": choice.DefaultBaseURL, "secure_base_url": choice.SecureBaseURL} {
			if u != "" && absoluteURL(u) != nil {
				add(fmt.Sprintf("/tool_profile/base_url_choice/%d/%s", i, key), "%q is not an absolute http(s) URL", u)
			}
		}
	}
	for i, rh := range tp.ToolProfile.ResourceHandler {
		ptr := fmt.Sprintf("/tool_profile/resource_handler/%d", i)
		if rh.ResourceType == nil || rh.ResourceType.Code == "" {
			add(ptr+"/resource_type", "a resource handler needs a resource type code")
		}
		for j, mh := range rh.Message {
			out = append(out, c.checkMessageHandler(fmt.Sprintf("%s/message/%d", ptr, j), mh)...)
		}
	}
	for j, mh := range tp.ToolProfile.Message {
		out = append(out, c.checkMessageHandler(fmt.Sprintf("/tool_profile/message/%d", j), mh)...)
	}
	return out
}

// checkContract checks the security contract: one secret, in the form its
// kind requires, and only offered services and actions.
func (c *Consumer) checkContract(tp *lti2.ToolProxy) []httpapi.FieldError {
	var out []httpapi.FieldError
	add := func(ptr, format string, args ...any) {
		out = append(out, httpapi.BodyField(ptr, fmt.Sprintf(format, args...)))
	}
	sc := tp.SecurityContract
	if sc == nil {
		add("/security_contract", "is required")
		return out
	}
	tpHalf, split := tpHalfSecret(tp)
	switch {
	case split && sc.SharedSecret != "":
		add("/security_contract", "must carry shared_secret or tp_half_shared_secret, not both")
	case split:
		splitEnabled := slices.ContainsFunc(splitSecretCapabilities, func(s string) bool {
			return slices.Contains(tp.EnabledCapability, lti2.Capability(s))
		})
		switch {
		case !c.cfg.SplitSecret:
			add("/security_contract/"+keyTPHalf, "the consumer does not offer the split secret")
		case !splitEnabled:
			add("/security_contract/"+keyTPHalf, "a split secret needs the capability OAuth.splitSecret enabled")
		case tpHalf == "" || len(tpHalf) > maxSecret || strings.Trim(tpHalf, "0123456789abcdef") != "":
			add("/security_contract/"+keyTPHalf, "must be lower-case hexadecimal digits (at most %d)", maxSecret)
		}
	case sc.SharedSecret == "":
		add("/security_contract", "must carry shared_secret or tp_half_shared_secret")
	case len(sc.SharedSecret) > maxSecret:
		add("/security_contract/shared_secret", "is longer than %d bytes", maxSecret)
	}
	offers := make(map[string]offer)
	for _, o := range c.offers() {
		offers[o.name] = o
	}
	for key, list := range map[string][]lti2.ServiceProfile{"tool_service": sc.ToolService, "end_user_service": sc.EndUserService} {
		for i, sp := range list {
			ptr := fmt.Sprintf("/security_contract/%s/%d", key, i)
			rs, ok := sp.(*lti2.RESTServiceProfile)
			if !ok {
				add(ptr, "only RestServiceProfile services are supported")
				continue
			}
			o, ok := offers[localName(rs.Service)]
			if !ok || (strings.Contains(rs.Service, "#") && rs.Service != c.serviceID(o.name)) {
				add(ptr+"/service", "service %q is not offered", rs.Service)
				continue
			}
			if len(rs.Action) == 0 {
				add(ptr+"/action", "at least one action is required")
			}
			for j, a := range rs.Action {
				if !slices.Contains(o.actions, strings.ToUpper(string(a))) {
					add(fmt.Sprintf("%s/action/%d", ptr, j), "action %s is not offered for %s (offered: %s)", a, o.name, strings.Join(o.actions, ", "))
				}
			}
		}
	}
	sortFields(out)
	return out
}

// checkMessageHandler checks one message handler: an offered message type,
// offered capabilities, and parameters that are fixed or offered variables.
func (c *Consumer) checkMessageHandler(ptr string, mh lti2.MessageHandler) []httpapi.FieldError {
	var out []httpapi.FieldError
	add := func(p, format string, args ...any) {
		out = append(out, httpapi.BodyField(p, fmt.Sprintf(format, args...)))
	}
	if !c.offersCapability(mh.MessageType) {
		add(ptr+"/message_type", "message type %q is not offered", mh.MessageType)
	}
	if mh.Path == "" {
		add(ptr+"/path", "is required")
	}
	for i, cap := range mh.EnabledCapability {
		if !c.offersCapability(string(cap)) {
			add(fmt.Sprintf("%s/enabled_capability/%d", ptr, i), "capability %q is not offered", cap)
		}
	}
	for i, p := range mh.Parameter {
		pp := fmt.Sprintf("%s/parameter/%d", ptr, i)
		switch {
		case p.Name == "":
			add(pp+"/name", "is required")
		case p.Variable != "" && !c.offersCapability(strings.TrimPrefix(string(p.Variable), "$")):
			add(pp+"/variable", "variable %q is not offered", p.Variable)
		}
	}
	return out
}

// sameResource reports whether two URLs name the same resource, ignoring
// the query (tools add lti_version to the profile URL) and a trailing slash.
func sameResource(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host) &&
		strings.TrimRight(ua.Path, "/") == strings.TrimRight(ub.Path, "/")
}

// sortFields orders problems by pointer, so that a reply lists them the
// same way every time.
func sortFields(fs []httpapi.FieldError) {
	sort.SliceStable(fs, func(i, j int) bool {
		var a, b string
		if fs[i].Pointer != nil {
			a = *fs[i].Pointer
		}
		if fs[j].Pointer != nil {
			b = *fs[j].Pointer
		}
		return a < b
	})
}

// sortPairs orders settings by name.
func sortPairs(ps []store.Pair) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
}
