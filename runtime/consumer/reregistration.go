package consumer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// ErrNoProposal is returned by Confirm when the tool proxy has no
// re-registration awaiting confirmation.
var ErrNoProposal = errors.New("consumer: no re-registration is pending")

// StartReregistration returns the ToolProxyReregistrationRequest form, signed
// with the tool proxy's current secret, for the administrator's browser to
// post to the tool's re-registration handler (the tool profile's message
// handler of that type). The tool then posts a new proxy, which is held
// until Confirm.
func (c *Consumer) StartReregistration(ctx context.Context, guid, returnURL string) (*launch.Form, error) {
	if err := absoluteURL(returnURL); err != nil {
		return nil, fmt.Errorf("consumer: return URL: %w", err)
	}
	rec, doc, err := c.toolProxy(ctx, guid)
	if err != nil {
		return nil, err
	}
	if rec.Status != store.StatusActive {
		return nil, fmt.Errorf("consumer: tool proxy %s is %s, not active", guid, rec.Status)
	}
	mh, ok := findMessage(doc.ToolProfile.Message, "ToolProxyReregistrationRequest")
	if !ok {
		return nil, fmt.Errorf("consumer: tool proxy %s has no ToolProxyReregistrationRequest handler", guid)
	}
	target, err := endpointURL(doc.ToolProfile, mh.Path)
	if err != nil {
		return nil, fmt.Errorf("consumer: tool proxy %s: %w", guid, err)
	}
	params := []launch.Param{
		{Key: "lti_message_type", Value: "ToolProxyReregistrationRequest"},
		{Key: "lti_version", Value: versionLTI2},
		{Key: "tc_profile_url", Value: c.ProfileURL()},
		{Key: "launch_presentation_return_url", Value: returnURL},
		{Key: "launch_presentation_document_target", Value: "window"},
	}
	vars := launch.MapResolver{"ToolConsumerProfile.url": c.ProfileURL(), "ToolProxy.url": c.toolProxyURL(guid)}
	for _, p := range mh.Parameter {
		v := string(p.Fixed)
		if p.Variable != "" {
			name := string(p.Variable)
			if val, ok := vars.Resolve(ctx, name); ok {
				v = val
			} else {
				v = "$" + name
			}
		}
		params = append(params, launch.Param{Key: "custom_" + string(p.Name), Value: v})
	}
	signed, err := oauth1.SignForm(http.MethodPost, target, params,
		oauth1.Credentials{Key: guid, Secret: rec.Secret}, oauth1.SignOptions{Now: c.cfg.Now, Callback: "about:blank"})
	if err != nil {
		return nil, fmt.Errorf("consumer: sign re-registration request: %w", err)
	}
	return &launch.Form{Action: target, Params: signed}, nil
}

// Confirm ends a re-registration. With accept, it sends the tool a PUT on the
// confirm URL, signed with the current (old) secret, and only when the tool
// answers 2xx makes the new proxy and secret current: if the tool cannot be
// reached, the old credentials stay in force and the proposal stays
// pending, so nothing is lost part-way. Without accept, it drops the
// proposal and tells the tool with a DELETE (whose failure is logged, since
// the old contract stays in force either way).
func (c *Consumer) Confirm(ctx context.Context, guid string, accept bool) error {
	rec, err := c.cfg.Store.ToolProxy(ctx, guid)
	if err != nil {
		return fmt.Errorf("consumer: confirm %s: %w", guid, err)
	}
	if rec.Pending == nil {
		return fmt.Errorf("%w for %s", ErrNoProposal, guid)
	}
	client := lti2rest.NewToolProxyConfirmationServiceClient(rec.Pending.ConfirmURL, httpapi.ClientConfig{
		HTTPClient:       c.client,
		Sign:             signer(guid, rec.Secret, c.cfg.Now),
		MaxResponseBytes: 64 << 10,
	})
	callCtx := httpapi.WithURL(ctx, rec.Pending.ConfirmURL)
	if !accept {
		if err := client.DismissReregistration(callCtx, &lti2rest.DismissReregistrationRequest{ToolProxyGUID: guid}); err != nil {
			c.log.WarnContext(ctx, "consumer: the tool did not acknowledge a dismissed re-registration", "guid", guid, "error", err)
		}
		return c.cfg.Store.DismissProposal(ctx, guid, rec.Pending.ConfirmURL)
	}
	if err := client.AcceptReregistration(callCtx, &lti2rest.AcceptReregistrationRequest{ToolProxyGUID: guid}); err != nil {
		return fmt.Errorf("consumer: the tool refused or missed the confirmation of %s (old credentials kept): %w", guid, err)
	}
	// Commit exactly the proposal the tool confirmed: a re-registration
	// that replaced it meanwhile stays pending.
	if err := c.cfg.Store.CommitProposal(ctx, guid, rec.Pending.ConfirmURL); err != nil {
		return fmt.Errorf("consumer: commit re-registration of %s: %w", guid, err)
	}
	c.log.InfoContext(ctx, "consumer: re-registration confirmed", "guid", guid)
	return nil
}

// Approve makes a registered tool proxy active: it may launch and call
// services from now on.
func (c *Consumer) Approve(ctx context.Context, guid string) error {
	return c.cfg.Store.SetToolProxyStatus(ctx, guid, store.StatusActive)
}

// Disable switches a tool proxy off without forgetting it.
func (c *Consumer) Disable(ctx context.Context, guid string) error {
	return c.cfg.Store.SetToolProxyStatus(ctx, guid, store.StatusDisabled)
}

// LTI1Tool describes an LTI 1 tool added by consumer key and secret.
type LTI1Tool struct {
	// Key and Secret are the OAuth consumer key and shared secret.
	Key, Secret string
	// Name is a display name.
	Name string
	// LaunchURL is where links to the tool launch.
	LaunchURL string
}

// lti1Document is what the store keeps as the document of an LTI 1 tool,
// which has no tool proxy.
type lti1Document struct {
	LaunchURL string `json:"launch_url"`
}

// AddLTI1Tool adds an LTI 1 tool, active at once.
func (c *Consumer) AddLTI1Tool(ctx context.Context, t LTI1Tool) error {
	if t.Key == "" || t.Secret == "" {
		return errors.New("consumer: an LTI 1 tool needs a key and a secret")
	}
	if err := absoluteURL(t.LaunchURL); err != nil {
		return fmt.Errorf("consumer: LTI 1 tool launch URL: %w", err)
	}
	doc, _ := json.Marshal(lti1Document{LaunchURL: t.LaunchURL})
	return c.cfg.Store.CreateToolProxy(ctx, store.ToolProxy{
		GUID: t.Key, Version: "LTI-1p0", Secret: t.Secret, Status: store.StatusActive, Name: t.Name, Document: doc,
	}, "")
}

// toolProxy returns the stored LTI 2 tool proxy and its decoded document.
func (c *Consumer) toolProxy(ctx context.Context, guid string) (store.ToolProxy, *lti2.ToolProxy, error) {
	rec, err := c.cfg.Store.ToolProxy(ctx, guid)
	if err != nil {
		return rec, nil, fmt.Errorf("consumer: tool proxy %s: %w", guid, err)
	}
	doc, err := c.lti2Document(rec)
	return rec, doc, err
}

// lti2Document returns the decoded document of an LTI 2 tool proxy record,
// which must have a tool profile.
func (c *Consumer) lti2Document(rec store.ToolProxy) (*lti2.ToolProxy, error) {
	if rec.Version != versionLTI2 {
		return nil, fmt.Errorf("consumer: %s is an %s tool, not an LTI 2 tool proxy", rec.GUID, rec.Version)
	}
	doc, err := c.contracts.get(rec)
	if err != nil {
		return nil, err
	}
	if doc.ToolProfile == nil {
		return nil, fmt.Errorf("consumer: tool proxy %s has no tool profile", rec.GUID)
	}
	return doc, nil
}

// findMessage returns the first handler of a message type.
func findMessage(handlers []lti2.MessageHandler, messageType string) (lti2.MessageHandler, bool) {
	for _, mh := range handlers {
		if mh.MessageType == messageType {
			return mh, true
		}
	}
	return lti2.MessageHandler{}, false
}

// endpointURL resolves a message handler's path against the tool profile's
// base URL, preferring the secure one.
func endpointURL(tp *lti2.ToolProfile, path string) (string, error) {
	for _, choice := range tp.BaseURLChoice {
		base := choice.SecureBaseURL
		if base == "" {
			base = choice.DefaultBaseURL
		}
		if base == "" {
			continue
		}
		if len(base) > 0 && base[len(base)-1] == '/' && len(path) > 0 && path[0] == '/' {
			path = path[1:]
		} else if len(base) > 0 && base[len(base)-1] != '/' && (len(path) == 0 || path[0] != '/') {
			path = "/" + path
		}
		return base + path, nil
	}
	return "", errors.New("the tool profile has no base URL")
}

// signer signs a client's requests with a consumer key and secret.
func signer(key, secret string, now func() time.Time) httpapi.Signer {
	return func(r *http.Request, body []byte) error {
		return oauth1.SignRequest(r, body, oauth1.Credentials{Key: key, Secret: secret}, oauth1.SignOptions{Now: now})
	}
}
