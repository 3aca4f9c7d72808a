package consumer

import (
	"net/url"

	"github.com/ltiforge/ltiforge/generated/lti2"
)

// The URLs of the consumer's resources, as the profile's endpoint templates
// expand them; launch variables carry them to tools ready-made.

func (c *Consumer) linkSettingsURL(linkID string) string {
	return c.url("/lti/links/" + url.PathEscape(linkID) + "/custom")
}

func (c *Consumer) bindingSettingsURL(contextType, contextID, vendor, product string) string {
	if contextType == "" {
		contextType = "CourseSection"
	}
	return c.url("/lis/" + url.PathEscape(contextType) + "/" + url.PathEscape(contextID) +
		"/bindings/" + url.PathEscape(vendor) + "/" + url.PathEscape(product) + "/custom")
}

func (c *Consumer) toolProxySettingsURL(guid string) string {
	return c.url("/lti/ToolProxy/" + url.PathEscape(guid) + "/custom")
}

func (c *Consumer) toolProxyURL(guid string) string {
	return c.url("/ToolProxy/" + url.PathEscape(guid))
}

func (c *Consumer) resultURL(sourcedID string) string {
	return c.url("/Result/" + url.PathEscape(sourcedID))
}

func (c *Consumer) membershipsURL(contextID string) string {
	return c.url("/context/" + url.PathEscape(contextID) + "/memberships")
}

// productCodes returns the vendor code and product family code of a tool
// proxy's product: the two names by which the binding-scope settings URL
// tells one tool from another in a context.
func productCodes(tp *lti2.ToolProxy) (vendor, product string) {
	if tp == nil || tp.ToolProfile == nil || tp.ToolProfile.ProductInstance == nil {
		return "", ""
	}
	info := tp.ToolProfile.ProductInstance.ProductInfo
	if info == nil || info.ProductFamily == nil {
		return "", ""
	}
	fam := info.ProductFamily
	if fam.Vendor != nil {
		vendor = string(fam.Vendor.Code)
	}
	return vendor, string(fam.Code)
}
