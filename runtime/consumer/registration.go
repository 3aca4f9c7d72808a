package consumer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// toolProxyIDContext is the @context of a tool proxy id document.
const toolProxyIDContext = "http://purl.imsglobal.org/ctx/lti/v2/ToolProxyId"

// Keys of the split-secret extension (LTI2-FACTS §5.3).
const (
	keyTPHalf = "tp_half_shared_secret"
	keyTCHalf = "tc_half_shared_secret"
)

// maxSecret bounds a shared secret or secret half, in bytes.
const maxSecret = 1024

// RegistrationRequest starts the registration of an LTI 2 tool.
type RegistrationRequest struct {
	// ToolURL is the tool's registration URL, to which the administrator's
	// browser posts the ToolProxyRegistrationRequest.
	ToolURL string
	// ReturnURL is where the tool sends the administrator back
	// (launch_presentation_return_url) with status and tool_proxy_guid.
	ReturnURL string
	// UserID and Roles describe the administrator (recommended).
	UserID string
	Roles  []lti2.Role
}

// StartRegistration issues one-time registration credentials and returns
// the ToolProxyRegistrationRequest form for the administrator's browser to
// post to the tool. The message is not signed (no implementation signs it,
// LTI2-FACTS §4.3); the credentials prove themselves on the tool's POST of
// its tool proxy, which also consumes them. The tool proxy GUID will be the
// returned form's reg_key.
func (c *Consumer) StartRegistration(ctx context.Context, req RegistrationRequest) (*launch.Form, error) {
	if c.cfg.LTI12 {
		return nil, errors.New("consumer: an LTI 1.2 consumer does not register tools")
	}
	if err := absoluteURL(req.ToolURL); err != nil {
		return nil, fmt.Errorf("consumer: registration URL: %w", err)
	}
	if err := absoluteURL(req.ReturnURL); err != nil {
		return nil, fmt.Errorf("consumer: return URL: %w", err)
	}
	reg := store.Registration{
		Key:       stableID("reg", randomHex(16)),
		Password:  randomHex(32),
		ReturnURL: req.ReturnURL,
		Expires:   c.cfg.Now().Add(c.cfg.RegistrationTTL),
	}
	if err := c.cfg.Store.CreateRegistration(ctx, reg); err != nil {
		return nil, fmt.Errorf("consumer: start registration: %w", err)
	}
	params := []launch.Param{
		{Key: "lti_message_type", Value: "ToolProxyRegistrationRequest"},
		{Key: "lti_version", Value: versionLTI2},
		{Key: "reg_key", Value: reg.Key},
		{Key: "reg_password", Value: reg.Password},
		{Key: "tc_profile_url", Value: c.ProfileURL()},
		{Key: "launch_presentation_return_url", Value: req.ReturnURL},
		{Key: "launch_presentation_document_target", Value: "window"},
	}
	if req.UserID != "" {
		params = append(params, launch.Param{Key: "user_id", Value: req.UserID})
	}
	if len(req.Roles) > 0 {
		params = append(params, launch.Param{Key: "roles", Value: launch.FormatRoles(req.Roles)})
	}
	return &launch.Form{Action: req.ToolURL, Params: params}, nil
}

// absoluteURL checks that s is an absolute http or https URL.
func absoluteURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

// toolProxyService serves registration, re-registration and a tool's read of
// its own proxy.
type toolProxyService struct{ c *Consumer }

var _ lti2rest.ToolProxyService = toolProxyService{}

// RegisterToolProxy implements lti2rest.ToolProxyService: a registration
// when signed with registration credentials, a re-registration when signed
// by a tool proxy (which must send VND-IMS-CONFIRM-URL).
func (s toolProxyService) RegisterToolProxy(ctx context.Context, in *lti2rest.RegisterToolProxyRequest) (*lti2.ToolProxy, error) {
	caller, ok := CallerFrom(ctx)
	if !ok {
		return nil, httpapi.Unauthorized("the request is not signed")
	}
	if caller.Registration != nil {
		return s.c.register(ctx, caller, in.Body)
	}
	return s.c.reregister(ctx, caller, in)
}

// register stores the tool proxy of a first registration.
func (c *Consumer) register(ctx context.Context, caller *Caller, tp *lti2.ToolProxy) (*lti2.ToolProxy, error) {
	if !c.cfg.Now().Before(caller.Registration.Expires) {
		return nil, httpapi.Unauthorized("the registration credentials have expired")
	}
	if problems := c.checkToolProxy(tp, caller.Key); len(problems) > 0 {
		return nil, httpapi.InvalidBody(problems...)
	}
	guid := caller.Key
	secret, tcHalf := c.composeSecret(tp)
	doc, err := withoutSecrets(tp, guid)
	if err != nil {
		return nil, httpapi.Wrap(http.StatusInternalServerError, err)
	}
	status := store.StatusPending
	if c.cfg.Approve != nil {
		status = c.cfg.Approve(ctx, guid, tp)
	}
	rec := store.ToolProxy{
		GUID:     guid,
		Version:  versionLTI2,
		Secret:   secret,
		Status:   status,
		Document: doc,
		Name:     productName(tp),
	}
	if err := c.cfg.Store.CreateToolProxy(ctx, rec, caller.Key); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, httpapi.Unauthorized("the registration credentials were already used")
		}
		return nil, httpapi.Wrap(http.StatusInternalServerError, err)
	}
	if tp.Custom != nil && len(tp.Custom.Values) > 0 {
		// The proxy's own custom settings seed the tool proxy scope, as
		// every consumer examined does (LTI2-FACTS §3.5, Seeding).
		scope := store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guid}
		if err := c.cfg.Store.PutToolSettings(ctx, scope, pairs(tp.Custom.Values)); err != nil {
			return nil, httpapi.Wrap(http.StatusInternalServerError, err)
		}
	}
	c.log.InfoContext(ctx, "consumer: tool proxy registered", "guid", guid, "status", string(status), "split_secret", tcHalf != "")
	return c.idDocument(guid, tcHalf), nil
}

// reregister holds a re-registration's proxy and secret as pending until
// the administrator confirms it; the current ones stay in force.
func (c *Consumer) reregister(ctx context.Context, caller *Caller, in *lti2rest.RegisterToolProxyRequest) (*lti2.ToolProxy, error) {
	if caller.ToolProxy.Version != versionLTI2 {
		return nil, httpapi.Forbidden("only an LTI 2 tool proxy can re-register")
	}
	if caller.ToolProxy.Status != store.StatusActive {
		return nil, httpapi.Forbidden("the tool proxy is not active")
	}
	if in.ConfirmURL == "" {
		return nil, httpapi.InvalidHeader("VND-IMS-CONFIRM-URL", "a re-registration must give the URL at which to confirm it")
	}
	tp := in.Body
	problems := c.checkToolProxy(tp, caller.Key)
	if g := string(tp.ToolProxyGUID); g != "" && g != caller.Key {
		problems = append(problems, httpapi.BodyField("/tool_proxy_guid", "a re-registration must keep the tool proxy's GUID"))
	}
	if err := confirmURLAllowed(in.ConfirmURL, tp); err != nil {
		problems = append(problems, httpapi.FieldError{Header: "VND-IMS-CONFIRM-URL", Detail: err.Error()})
	}
	if len(problems) > 0 {
		return nil, httpapi.InvalidBody(problems...)
	}
	secret, tcHalf := c.composeSecret(tp)
	doc, err := withoutSecrets(tp, caller.Key)
	if err != nil {
		return nil, httpapi.Wrap(http.StatusInternalServerError, err)
	}
	p := store.Proposal{Document: doc, Secret: secret, ConfirmURL: in.ConfirmURL}
	if err := c.cfg.Store.ProposeToolProxy(ctx, caller.Key, p); err != nil {
		return nil, httpapi.Wrap(http.StatusInternalServerError, err)
	}
	c.log.InfoContext(ctx, "consumer: re-registration held for confirmation", "guid", caller.Key)
	return c.idDocument(caller.Key, tcHalf), nil
}

// GetToolProxy implements lti2rest.ToolProxyService: a tool reads its own
// proxy, without secrets.
func (s toolProxyService) GetToolProxy(ctx context.Context, in *lti2rest.GetToolProxyRequest) (*lti2.ToolProxy, error) {
	caller, err := s.c.authorize(ctx, offerToolProxyItem, http.MethodGet)
	if err != nil {
		return nil, err
	}
	if in.ToolProxyGUID != caller.ToolProxy.GUID || caller.contract == nil {
		return nil, httpapi.Forbidden("a tool proxy may read only itself")
	}
	out := *caller.contract
	out.Context = ld.Context{}
	return &out, nil
}

// ReplaceToolProxy implements lti2rest.ToolProxyService. The consumer does
// not offer it (re-registration goes through the confirm-URL handshake), so
// authorisation refuses it.
func (s toolProxyService) ReplaceToolProxy(ctx context.Context, in *lti2rest.ReplaceToolProxyRequest) error {
	_, err := s.c.authorize(ctx, offerToolProxyItem, http.MethodPut)
	if err == nil {
		err = httpapi.Forbidden("the consumer does not accept PUT on a tool proxy; re-register instead")
	}
	return err
}

// idDocument is the answer to a registration: the tool proxy id document,
// with the consumer's half of a split secret.
func (c *Consumer) idDocument(guid, tcHalf string) *lti2.ToolProxy {
	out := &lti2.ToolProxy{
		Context:       ld.ContextOf(toolProxyIDContext),
		Type:          ld.Types{"ToolProxy"},
		ID:            c.toolProxyURL(guid),
		ToolProxyGUID: lti2.GUIDType(guid),
		CustomURL:     c.toolProxySettingsURL(guid),
	}
	if tcHalf != "" {
		raw, _ := json.Marshal(tcHalf)
		out.Extensions = map[string]json.RawMessage{keyTCHalf: raw}
	}
	return out
}

// composeSecret returns the contract's secret: the tool's shared_secret, or,
// with a split secret, a new consumer half followed by the tool's half.
func (c *Consumer) composeSecret(tp *lti2.ToolProxy) (secret, tcHalf string) {
	if tpHalf, ok := tpHalfSecret(tp); ok {
		tcHalf = randomHex(64)
		return tcHalf + tpHalf, tcHalf
	}
	return tp.SecurityContract.SharedSecret, ""
}

// tpHalfSecret returns the tool's half of a split secret, if it sent one.
func tpHalfSecret(tp *lti2.ToolProxy) (string, bool) {
	if tp.SecurityContract == nil {
		return "", false
	}
	raw, ok := tp.SecurityContract.Extensions[keyTPHalf]
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", true
	}
	return s, true
}

// withoutSecrets returns the JSON of tp as stored: with the GUID the
// consumer assigned and no secret.
func withoutSecrets(tp *lti2.ToolProxy, guid string) ([]byte, error) {
	cp := *tp
	cp.ToolProxyGUID = lti2.GUIDType(guid)
	if tp.SecurityContract != nil {
		sc := *tp.SecurityContract
		sc.SharedSecret = ""
		if len(sc.Extensions) > 0 {
			ext := make(map[string]json.RawMessage, len(sc.Extensions))
			for k, v := range sc.Extensions {
				if k != keyTPHalf {
					ext[k] = v
				}
			}
			sc.Extensions = ext
		}
		cp.SecurityContract = &sc
	}
	return cp.Encode()
}

// productName is a display name of the tool: its product name.
func productName(tp *lti2.ToolProxy) string {
	if tp.ToolProfile == nil || tp.ToolProfile.ProductInstance == nil || tp.ToolProfile.ProductInstance.ProductInfo == nil {
		return ""
	}
	if n := tp.ToolProfile.ProductInstance.ProductInfo.ProductName; n != nil {
		return string(n.DefaultValue)
	}
	return ""
}

// pairs returns m as pairs ordered by name.
func pairs(m map[string]string) []store.Pair {
	out := make([]store.Pair, 0, len(m))
	for k, v := range m {
		out = append(out, store.Pair{Name: k, Value: v})
	}
	sortPairs(out)
	return out
}

// confirmURLAllowed checks a re-registration's confirm URL: the consumer
// will send a signed request there, so it must be an http(s) URL on a host
// the tool's own profile names as a base URL, not an arbitrary address the
// consumer could be made to call.
func confirmURLAllowed(confirm string, tp *lti2.ToolProxy) error {
	u, err := url.Parse(confirm)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", confirm)
	}
	if tp.ToolProfile != nil {
		for _, choice := range tp.ToolProfile.BaseURLChoice {
			for _, base := range []string{choice.DefaultBaseURL, choice.SecureBaseURL} {
				if b, err := url.Parse(base); err == nil && b.Host != "" && strings.EqualFold(b.Host, u.Host) {
					return nil
				}
			}
		}
	}
	return fmt.Errorf("the confirm URL's host %s is not one of the tool profile's base URLs", strconv.Quote(u.Host))
}
