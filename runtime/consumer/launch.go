package consumer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// ErrNotActive is returned by Launch for a link whose tool is not active.
var ErrNotActive = errors.New("consumer: the tool is not active")

// LaunchRequest asks for the launch of a link by a user.
type LaunchRequest struct {
	// LinkID and UserID name the link and the launching user, who must be
	// a member of the link's context.
	LinkID, UserID string
	// ReturnURL is launch_presentation_return_url.
	ReturnURL string
	// Locale is launch_presentation_locale.
	Locale string
	// DocumentTarget is launch_presentation_document_target; "" means
	// "window".
	DocumentTarget string
}

// Launch returns the signed basic-lti-launch-request of a link for a user.
//
// For an LTI 2 tool, the message goes to the handler of the link's resource
// type, with the handler's parameters; a variable is substituted only when
// the tool proxy has enabled its capability (in the handler or for the whole
// contract) and the consumer offers it, so no e-mail reaches a tool that
// did not enable Person.email.primary. Any other variable is sent as the
// literal "$Name", as LTI 2.0 says. For an LTI 1 tool, the message carries
// the LTI 1 fields, the link's custom parameters and, for a gradable link,
// the basic outcomes service.
func (c *Consumer) Launch(ctx context.Context, req LaunchRequest) (*launch.Form, error) {
	link, err := c.cfg.Store.Link(ctx, req.LinkID)
	if err != nil {
		return nil, fmt.Errorf("consumer: launch link %q: %w", req.LinkID, err)
	}
	rec, err := c.cfg.Store.ToolProxy(ctx, link.ToolProxyGUID)
	if err != nil {
		return nil, fmt.Errorf("consumer: launch link %q: tool: %w", req.LinkID, err)
	}
	if rec.Status != store.StatusActive {
		return nil, fmt.Errorf("%w: %s is %s", ErrNotActive, rec.GUID, rec.Status)
	}
	lc, err := c.cfg.Store.Context(ctx, link.ContextID)
	if err != nil {
		return nil, fmt.Errorf("consumer: launch link %q: context: %w", req.LinkID, err)
	}
	user, err := c.cfg.Store.User(ctx, req.UserID)
	if err != nil {
		return nil, fmt.Errorf("consumer: launch by %q: %w", req.UserID, err)
	}
	m, err := c.membership(ctx, link.ContextID, req.UserID)
	if err != nil {
		return nil, fmt.Errorf("consumer: launch by %q in %q: %w", req.UserID, link.ContextID, err)
	}
	roles := make([]lti2.Role, len(m.Roles))
	for i, r := range m.Roles {
		roles[i] = lti2.Role(r)
	}
	target := req.DocumentTarget
	if target == "" {
		target = "window"
	}
	msg := launch.Message{
		ResourceLink: launch.ResourceLink{ID: link.ID, Title: link.Title},
		User:         launch.User{ID: user.ID},
		Roles:        roles,
		Context:      launch.Context{ID: lc.ID},
		Presentation: launch.Presentation{ReturnURL: req.ReturnURL, Locale: req.Locale, DocumentTarget: target},
	}
	lr := &launch.Request{Message: msg}
	var resolver launch.Resolver
	if rec.Version == versionLTI2 {
		doc, err := c.lti2Document(rec)
		if err != nil {
			return nil, err
		}
		values := c.variableValues(link, lc, user, m, rec.GUID, doc)
		mh, err := launchHandler(doc, link.ResourceType)
		if err != nil {
			return nil, fmt.Errorf("consumer: launch link %q: %w", req.LinkID, err)
		}
		if lr.URL, err = endpointURL(doc.ToolProfile, mh.Path); err != nil {
			return nil, fmt.Errorf("consumer: launch link %q: %w", req.LinkID, err)
		}
		lr.Version = launch.LTI2
		lr.Custom = launch.CustomFromParameters(mh.Parameter)
		resolver = launch.Only(values, c.enabledVariables(doc, mh)...)
	} else {
		var d lti1Document
		if err := json.Unmarshal(rec.Document, &d); err != nil || d.LaunchURL == "" {
			return nil, fmt.Errorf("consumer: LTI 1 tool %s has no launch URL", rec.GUID)
		}
		lr.URL = d.LaunchURL
		lr.Version = launch.LTI1
		lr.User = launch.User{ID: user.ID, SourcedID: user.SourcedID, GivenName: user.Given, FamilyName: user.Family, FullName: user.Name, Email: user.Email}
		lr.Context = launch.Context{ID: lc.ID, Title: lc.Title, Label: lc.Label}
		if lc.Type != "" {
			lr.Context.Type = []string{lc.Type}
		}
		if link.Gradable {
			lr.Outcome = launch.Outcome{ServiceURL: c.OutcomesURL(), ResultSourcedID: ResultSourcedID(link.ID, user.ID)}
		}
		resolver = c.variableValues(link, lc, user, m, rec.GUID, nil)
	}
	for _, p := range link.Custom {
		lr.Custom = append(lr.Custom, launch.Custom{Name: p.Name, Value: p.Value})
	}
	lcons := launch.Consumer{
		Credentials: oauth1.Credentials{Key: rec.GUID, Secret: rec.Secret},
		Resolver:    resolver,
		Sign:        oauth1.SignOptions{Now: c.cfg.Now},
	}
	return lcons.Build(ctx, lr)
}

// launchHandler returns the basic launch handler of the resource handler
// whose resource type code is code (the first resource handler when code is
// empty).
func launchHandler(doc *lti2.ToolProxy, code string) (lti2.MessageHandler, error) {
	for _, rh := range doc.ToolProfile.ResourceHandler {
		if code != "" && (rh.ResourceType == nil || string(rh.ResourceType.Code) != code) {
			continue
		}
		if mh, ok := findMessage(rh.Message, "basic-lti-launch-request"); ok {
			return mh, nil
		}
	}
	return lti2.MessageHandler{}, fmt.Errorf("the tool has no basic-lti-launch-request handler for resource type %q", code)
}

// enabledVariables are the variables a launch through mh may substitute:
// those the tool proxy enabled, in the handler or for the whole contract,
// and the consumer offers.
func (c *Consumer) enabledVariables(doc *lti2.ToolProxy, mh lti2.MessageHandler) []string {
	var out []string
	for _, cap := range slices.Concat(mh.EnabledCapability, doc.EnabledCapability) {
		if slices.Contains(c.cfg.Variables, string(cap)) {
			out = append(out, string(cap))
		}
	}
	return out
}

// variableValues returns the value of every variable the consumer resolves,
// for one launch.
func (c *Consumer) variableValues(link store.Link, lc store.Context, u store.User, m store.Membership, guid string, doc *lti2.ToolProxy) launch.MapResolver {
	sourcedID := ResultSourcedID(link.ID, u.ID)
	v := launch.MapResolver{
		"User.id":                          u.ID,
		"User.username":                    u.ID,
		"Person.sourcedId":                 u.SourcedID,
		"Person.name.full":                 u.Name,
		"Person.name.given":                u.Given,
		"Person.name.family":               u.Family,
		"Person.email.primary":             u.Email,
		"Context.id":                       lc.ID,
		"Context.type":                     lc.Type,
		"Context.label":                    lc.Label,
		"Context.title":                    lc.Title,
		"CourseSection.label":              lc.Label,
		"CourseSection.title":              lc.Title,
		"ResourceLink.id":                  link.ID,
		"ResourceLink.title":               link.Title,
		"Membership.role":                  strings.Join(m.Roles, ","),
		"LtiLink.custom.url":               c.linkSettingsURL(link.ID),
		"ToolProxy.custom.url":             c.toolProxySettingsURL(guid),
		"ToolProxyBinding.memberships.url": c.membershipsURL(lc.ID),
		"ToolConsumerProfile.url":          c.ProfileURL(),
	}
	if doc != nil {
		vendor, product := productCodes(doc)
		v["ToolProxyBinding.custom.url"] = c.bindingSettingsURL(lc.Type, lc.ID, vendor, product)
	}
	if link.Gradable {
		v["Result.sourcedId"] = sourcedID
		v["Result.url"] = c.resultURL(sourcedID)
		v["BasicOutcome.sourcedId"] = sourcedID
		v["BasicOutcome.url"] = c.OutcomesURL()
	}
	for k, val := range v {
		if val == "" {
			delete(v, k) // no value: the variable stays unresolved
		}
	}
	return v
}

// membership returns a user's membership in a context.
func (c *Consumer) membership(ctx context.Context, contextID, userID string) (store.Membership, error) {
	return c.cfg.Store.Membership(ctx, contextID, userID)
}
