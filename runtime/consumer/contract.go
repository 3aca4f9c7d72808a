package consumer

import (
	"strings"

	"github.com/ltiforge/ltiforge/generated/lti2"
)

// The offer names (local names of the services' @id in the profile) of the
// standard services, as LTI2-FACTS §3.1 lists them.
const (
	offerToolProxyCollection = "ToolProxy.collection"
	offerToolProxyItem       = "ToolProxy.item"
	offerLinkSettings        = "LtiLinkSettings"
	offerBindingSettings     = "ToolProxyBindingSettings"
	offerToolProxySettings   = "ToolProxySettings"
	offerResult              = "Result.item"
	offerMembership          = "Membership.collection"
)

const (
	mediaToolProxy      = "application/vnd.ims.lti.v2.toolproxy+json"
	mediaToolSettings   = "application/vnd.ims.lti.v2.toolsettings+json"
	mediaSettingsSimple = "application/vnd.ims.lti.v2.toolsettings.simple+json"
	mediaResult         = "application/vnd.ims.lis.v2.result+json"
	mediaMembership     = "application/vnd.ims.lis.v2.membershipcontainer+json"
)

// offer is one service endpoint the consumer offers.
type offer struct {
	name    string
	path    string
	formats []string
	actions []string
}

// offers returns every service the consumer offers, in profile order.
func (c *Consumer) offers() []offer {
	var out []offer
	if !c.cfg.LTI12 {
		out = append(out,
			offer{offerToolProxyCollection, "/ToolProxy", []string{mediaToolProxy}, []string{"POST"}},
			offer{offerToolProxyItem, "/ToolProxy/{tool_proxy_guid}", []string{mediaToolProxy}, []string{"GET"}},
		)
	}
	settings := []string{mediaToolSettings, mediaSettingsSimple}
	out = append(out,
		offer{offerLinkSettings, "/lti/links/{link_id}/custom", settings, []string{"GET", "PUT"}},
		offer{offerBindingSettings, "/lis/{context_type}/{context_id}/bindings/{vendor_code}/{product_code}/custom", settings, []string{"GET", "PUT"}},
		offer{offerToolProxySettings, "/lti/ToolProxy/{tool_proxy_guid}/custom", settings, []string{"GET", "PUT"}},
		offer{offerResult, "/Result/{sourcedId}", []string{mediaResult}, []string{"GET", "PUT"}},
		offer{offerMembership, "/context/{context_id}/memberships", []string{mediaMembership}, []string{"GET"}},
	)
	for _, p := range c.cfg.Partners {
		out = append(out, offer{p.Name, p.Path, p.Formats, p.Actions})
	}
	return out
}

// serviceID is the @id of an offered service in the profile.
func (c *Consumer) serviceID(name string) string { return c.ProfileURL() + "#" + name }

// localName returns the offer name a security contract's service reference
// names: the fragment of a full IRI, the local part of a CURIE such as
// "tcp:Result.item", or the reference itself.
func localName(ref string) string {
	if i := strings.LastIndexByte(ref, '#'); i >= 0 {
		return ref[i+1:]
	}
	if i := strings.IndexByte(ref, ':'); i >= 0 && !strings.Contains(ref[i:], "/") {
		return ref[i+1:]
	}
	return ref
}

// enables reports whether a tool proxy's security contract enables method
// on the offer, as a tool service or an end-user service.
func enables(tp *lti2.ToolProxy, offerName, method string) bool {
	sc := tp.SecurityContract
	if sc == nil {
		return false
	}
	for _, list := range [][]lti2.ServiceProfile{sc.ToolService, sc.EndUserService} {
		for _, sp := range list {
			rs, ok := sp.(*lti2.RESTServiceProfile)
			if !ok || localName(rs.Service) != offerName {
				continue
			}
			for _, a := range rs.Action {
				if strings.EqualFold(string(a), method) {
					return true
				}
			}
		}
	}
	return false
}

// splitSecretCapabilities are the two spellings of the split-secret
// capability seen in the wild (LTI2-FACTS §5.3): the 2.0-era
// OAuth.splitSecret, which the consumer offers, and the 2.1 draft's
// Security.splitSecret, which it accepts as an alias.
var splitSecretCapabilities = []string{"OAuth.splitSecret", "Security.splitSecret"}

// DefaultVariables are the substitution variables a Consumer resolves at
// launch from what its store holds, when Config.Variables is nil.
func DefaultVariables() []string {
	return []string{
		"User.id", "User.username", "Person.sourcedId",
		"Person.name.full", "Person.name.given", "Person.name.family",
		"Person.email.primary",
		"Context.id", "Context.type", "Context.label", "Context.title",
		"CourseSection.label", "CourseSection.title",
		"ResourceLink.id", "ResourceLink.title",
		"Membership.role",
		"Result.sourcedId", "Result.url",
		"BasicOutcome.sourcedId", "BasicOutcome.url",
		"LtiLink.custom.url", "ToolProxyBinding.custom.url", "ToolProxy.custom.url",
		"ToolProxyBinding.memberships.url",
		"ToolConsumerProfile.url",
	}
}
