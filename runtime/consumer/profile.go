package consumer

import (
	"context"
	"net/http"
	"slices"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
)

// The LTI versions a profile can speak.
const (
	versionLTI2  = "LTI-2p0"
	versionLTI12 = "LTI-1p2"
)

// profileService serves the Tool Consumer Profile.
type profileService struct{ c *Consumer }

var _ lti2rest.ToolConsumerProfileService = profileService{}

// GetToolConsumerProfile implements lti2rest.ToolConsumerProfileService. A
// missing or unknown lti_version gets the newest profile the consumer
// speaks, as the service's model says; the profile needs no signature.
func (s profileService) GetToolConsumerProfile(ctx context.Context, in *lti2rest.GetToolConsumerProfileRequest) (*lti2.ToolConsumerProfile, error) {
	if in.ProfileID != s.c.cfg.ProfileGUID {
		return nil, httpapi.NewError(http.StatusNotFound, "no profile exists at this URL")
	}
	return s.c.Profile(), nil
}

// Profile returns the Tool Consumer Profile: the services the consumer
// offers (partner services included) and the capabilities it can enable.
func (c *Consumer) Profile() *lti2.ToolConsumerProfile {
	p := &lti2.ToolConsumerProfile{
		ID:                c.ProfileURL(),
		LTIVersion:        versionLTI2,
		GUID:              lti2.GUIDType(c.cfg.ProfileGUID),
		ProductInstance:   c.cfg.Product,
		CapabilityOffered: c.capabilities(),
	}
	if c.cfg.LTI12 {
		p.LTIVersion = versionLTI12
	}
	for _, o := range c.offers() {
		actions := make([]lti2.HTTPMethod, len(o.actions))
		for i, a := range o.actions {
			actions[i] = lti2.HTTPMethod(a)
		}
		p.ServiceOffered = append(p.ServiceOffered, &lti2.RESTService{
			ID:       c.serviceID(o.name),
			Endpoint: c.url(o.path),
			Format:   slices.Clone(o.formats),
			Action:   actions,
		})
	}
	return p
}

// capabilities returns the capabilities the consumer offers: the message
// types it sends, Result.autocreate, the split secret when configured, the
// variables it resolves and Config.Capabilities, without duplicates.
func (c *Consumer) capabilities() []lti2.Capability {
	caps := []string{"basic-lti-launch-request", "Result.autocreate"}
	if !c.cfg.LTI12 {
		caps = append(caps, "ToolProxyReregistrationRequest")
		if c.cfg.SplitSecret {
			caps = append(caps, "OAuth.splitSecret")
		}
	}
	caps = append(caps, c.cfg.Variables...)
	caps = append(caps, c.cfg.Capabilities...)
	out := make([]lti2.Capability, 0, len(caps))
	seen := make(map[string]bool, len(caps))
	for _, s := range caps {
		if !seen[s] {
			seen[s] = true
			out = append(out, lti2.Capability(s))
		}
	}
	return out
}

// offersCapability reports whether the profile offers cap, taking every
// spelling of the split secret as the one offered.
func (c *Consumer) offersCapability(cap string) bool {
	if slices.Contains(splitSecretCapabilities, cap) {
		cap = splitSecretCapabilities[0]
	}
	return slices.Contains(c.capabilities(), lti2.Capability(cap))
}
