package consumer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// Bounds on what one PUT of tool settings may store, so that a tool cannot
// fill the database through its settings.
const (
	maxSettings     = 1000
	maxSettingName  = 256
	maxSettingValue = 64 << 10
)

// errSettingsForbidden is the one refusal of a settings resource the caller
// may not reach, whether it does not exist or belongs to another tool, so
// that the answer tells nothing about other tools' data.
const errSettingsForbidden = "the tool proxy may not use these settings"

// settingsService serves the Tool Settings service at its three scopes.
type settingsService struct{ c *Consumer }

var _ lti2rest.ToolSettingsService = settingsService{}

// settingsContainer is one settings container the caller may reach: where
// it is kept and the URL it is served at.
type settingsContainer struct {
	scope store.Scope
	url   string
}

// settingsChain is the containers a GET with bubble reads, lowest scope
// first; the first is the addressed one.
type settingsChain []settingsContainer

// linkChain authorises the caller on a link's settings and returns the
// link, its binding and the tool proxy.
func (s settingsService) linkChain(ctx context.Context, method, linkID string) (settingsChain, error) {
	caller, err := s.c.authorize(ctx, offerLinkSettings, method)
	if err != nil {
		return nil, err
	}
	guid := caller.ToolProxy.GUID
	link, err := s.c.cfg.Store.Link(ctx, linkID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, s.c.refuseResource(ctx, errSettingsForbidden, "link "+strconv.Quote(linkID)+" does not exist")
	}
	if err != nil {
		return nil, fmt.Errorf("consumer: reading link %q: %w", linkID, err)
	}
	if link.ToolProxyGUID != guid {
		return nil, s.c.refuseResource(ctx, errSettingsForbidden, "link "+strconv.Quote(linkID)+" belongs to another tool")
	}
	contextType, err := s.c.contextType(ctx, link.ContextID)
	if err != nil {
		return nil, err
	}
	vendor, product := productCodes(caller.Contract())
	return settingsChain{
		{store.Scope{Kind: store.ScopeLink, ToolProxyGUID: guid, LinkID: link.ID}, s.c.linkSettingsURL(link.ID)},
		{store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: guid, ContextID: link.ContextID}, s.c.bindingSettingsURL(contextType, link.ContextID, vendor, product)},
		{store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guid}, s.c.toolProxySettingsURL(guid)},
	}, nil
}

// bindingChain authorises the caller on the settings of its binding to a
// context and returns the binding and the tool proxy. The URL names the
// tool by vendor and product code: they must be the caller's own, and the
// caller must be deployed in the context.
func (s settingsService) bindingChain(ctx context.Context, method, contextType, contextID, vendorCode, productCode string) (settingsChain, error) {
	caller, err := s.c.authorize(ctx, offerBindingSettings, method)
	if err != nil {
		return nil, err
	}
	guid := caller.ToolProxy.GUID
	vendor, product := productCodes(caller.Contract())
	if vendor == "" || product == "" || vendorCode != vendor || productCode != product {
		return nil, s.c.refuseResource(ctx, errSettingsForbidden, "the binding URL names another tool's vendor and product codes")
	}
	bound, err := s.c.cfg.Store.Bound(ctx, guid, contextID)
	if err != nil {
		return nil, fmt.Errorf("consumer: checking the binding of %s to context %q: %w", guid, contextID, err)
	}
	if !bound {
		return nil, s.c.refuseResource(ctx, errSettingsForbidden, "the tool is not deployed in context "+strconv.Quote(contextID))
	}
	// One binding, one URL: the context type must be the one the
	// consumer issues, so that no alias of the resource exists.
	stored, err := s.c.contextType(ctx, contextID)
	if err != nil {
		return nil, err
	}
	if contextType != stored {
		return nil, s.c.refuseResource(ctx, errSettingsForbidden, "context "+strconv.Quote(contextID)+" is a "+stored+", not a "+strconv.Quote(contextType))
	}
	return settingsChain{
		{store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: guid, ContextID: contextID}, s.c.bindingSettingsURL(stored, contextID, vendor, product)},
		{store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guid}, s.c.toolProxySettingsURL(guid)},
	}, nil
}

// toolProxyChain authorises the caller on its own tool proxy's settings.
func (s settingsService) toolProxyChain(ctx context.Context, method, guid string) (settingsChain, error) {
	caller, err := s.c.authorize(ctx, offerToolProxySettings, method)
	if err != nil {
		return nil, err
	}
	if guid != caller.ToolProxy.GUID {
		return nil, s.c.refuseResource(ctx, errSettingsForbidden, "the settings are another tool proxy's")
	}
	return settingsChain{
		{store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: guid}, s.c.toolProxySettingsURL(guid)},
	}, nil
}

// refuseResource returns the 403 of a resource the caller may not reach,
// with detail (the same whatever the cause, so that it tells the caller
// nothing), and logs the cause for the operator.
func (c *Consumer) refuseResource(ctx context.Context, detail, cause string) error {
	key := ""
	if caller, ok := CallerFrom(ctx); ok {
		key = caller.Key
	}
	c.log.InfoContext(ctx, "consumer: request refused", "key", key, "detail", detail, "cause", cause)
	return httpapi.Forbidden(detail)
}

// contextType returns the type name of a context as its binding settings
// URL spells it; a context the store does not describe is a CourseSection.
func (c *Consumer) contextType(ctx context.Context, contextID string) (string, error) {
	rec, err := c.cfg.Store.Context(ctx, contextID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "CourseSection", nil
	case err != nil:
		return "", fmt.Errorf("consumer: reading context %q: %w", contextID, err)
	case rec.Type == "":
		return "CourseSection", nil
	}
	return rec.Type, nil
}

// read returns the settings of the containers a GET answers with: the
// addressed one alone without bubble, the whole chain with it, lowest scope
// first. With bubble=distinct a name is kept only in the lowest scope that
// sets it.
func (ch settingsChain) read(ctx context.Context, st store.Settings, bubble string) ([]map[string]string, error) {
	n := 1
	if bubble != "" {
		n = len(ch)
	}
	out := make([]map[string]string, n)
	seen := map[string]bool{}
	for i := range n {
		pairs, err := st.ToolSettings(ctx, ch[i].scope)
		if err != nil {
			return nil, fmt.Errorf("consumer: reading %s settings: %w", ch[i].scope.Kind, err)
		}
		m := make(map[string]string, len(pairs))
		for _, p := range pairs {
			if bubble == "distinct" && seen[p.Name] {
				continue
			}
			m[p.Name] = p.Value
		}
		for name := range m {
			seen[name] = true
		}
		out[i] = m
	}
	return out, nil
}

// graph answers a GET in the graph form: every container read, each with
// its settings URL as @id and as its custom map's @id (an empty map when
// nothing is stored, so that each scope of the chain is listed).
func (ch settingsChain) graph(ctx context.Context, st store.Settings, bubble string) (*lti2.ToolSettingsDocument, error) {
	scopes, err := ch.read(ctx, st, bubble)
	if err != nil {
		return nil, err
	}
	doc := &lti2.ToolSettingsDocument{Graph: make([]lti2.AnyToolSettingsContainer, 0, len(scopes))}
	for i, values := range scopes {
		sc := ch[i]
		custom := &lti2.PropertyMap{ID: sc.url, Values: values}
		switch sc.scope.Kind {
		case store.ScopeLink:
			doc.Graph = append(doc.Graph, &lti2.LTILink{ID: sc.url, Custom: custom})
		case store.ScopeBinding:
			doc.Graph = append(doc.Graph, &lti2.ToolProxyBinding{ID: sc.url, Custom: custom})
		default:
			doc.Graph = append(doc.Graph, &lti2.ToolProxy{ID: sc.url, Custom: custom})
		}
	}
	return doc, nil
}

// simple answers a GET in the simple form: the addressed container's
// settings, or with bubble=distinct all scopes merged, the lower winning.
// bubble=all keeps scopes apart, which a flat object cannot.
func (ch settingsChain) simple(ctx context.Context, st store.Settings, bubble string) (*lti2.ToolSettingsSimpleDocument, error) {
	if bubble == "all" {
		return nil, httpapi.InvalidParameter(http.StatusNotAcceptable, "bubble", "bubble=all cannot be answered in the simple form; ask for application/vnd.ims.lti.v2.toolsettings+json")
	}
	scopes, err := ch.read(ctx, st, bubble)
	if err != nil {
		return nil, err
	}
	out := lti2.ToolSettingsSimpleDocument{}
	for _, m := range scopes {
		// distinct already dropped the names a lower scope sets.
		maps.Copy(out, m)
	}
	return &out, nil
}

// putGraph replaces the addressed container's settings with the custom map
// of the body's one @graph member, which must be of the container's scope.
func (ch settingsChain) putGraph(ctx context.Context, st store.Settings, body *lti2.ToolSettingsDocument) error {
	if body == nil || len(body.Graph) != 1 {
		n := 0
		if body != nil {
			n = len(body.Graph)
		}
		return httpapi.InvalidBody(httpapi.BodyField("/@graph", fmt.Sprintf("a PUT holds exactly one container in @graph, not %d", n)))
	}
	sc := ch[0]
	var custom *lti2.PropertyMap
	switch v := body.Graph[0].(type) {
	case *lti2.LTILink:
		if sc.scope.Kind == store.ScopeLink {
			custom = v.Custom
		} else {
			return wrongScope(sc.scope.Kind)
		}
	case *lti2.ToolProxyBinding:
		if sc.scope.Kind == store.ScopeBinding {
			custom = v.Custom
		} else {
			return wrongScope(sc.scope.Kind)
		}
	case *lti2.ToolProxy:
		if sc.scope.Kind == store.ScopeToolProxy {
			custom = v.Custom
		} else {
			return wrongScope(sc.scope.Kind)
		}
	default:
		return wrongScope(sc.scope.Kind)
	}
	var values map[string]string
	if custom != nil {
		// The decoder keeps a non-string value out of Values; refuse it
		// rather than drop it silently.
		for name := range custom.Extensions {
			if !strings.HasPrefix(name, "@") {
				return httpapi.InvalidBody(httpapi.BodyField(ld.Pointer("/@graph/0/custom", name), "a setting's value is a string"))
			}
		}
		values = custom.Values
	}
	return sc.put(ctx, st, values, "/@graph/0/custom")
}

// wrongScope is the refusal of a PUT whose container is not of the
// endpoint's scope.
func wrongScope(kind store.ScopeKind) error {
	return httpapi.InvalidBody(httpapi.BodyField("/@graph/0/@type", "this endpoint keeps the settings of a "+string(kind)+"; the container must have @type "+string(kind)))
}

// put checks the settings against the bounds and replaces the container's
// settings with them in one step. ptr is the JSON pointer of the settings
// object in the body, for the refusals.
func (sc settingsContainer) put(ctx context.Context, st store.Settings, values map[string]string, ptr string) error {
	if len(values) > maxSettings {
		return httpapi.InvalidBody(httpapi.BodyField(ptr, fmt.Sprintf("at most %d settings are kept per container", maxSettings)))
	}
	names := slices.Sorted(maps.Keys(values))
	var bad []httpapi.FieldError
	pairs := make([]store.Pair, 0, len(names))
	for _, name := range names {
		value := values[name]
		switch {
		case name == "":
			bad = append(bad, httpapi.BodyField(ld.Pointer(ptr, name), "a setting's name is not empty"))
		case strings.HasPrefix(name, "@"):
			// Such names are JSON-LD keywords in the graph form.
			bad = append(bad, httpapi.BodyField(ld.Pointer(ptr, name), "a setting's name does not start with @"))
		case len(name) > maxSettingName:
			bad = append(bad, httpapi.BodyField(ld.Pointer(ptr, name), fmt.Sprintf("a setting's name is at most %d bytes long", maxSettingName)))
		case len(value) > maxSettingValue:
			bad = append(bad, httpapi.BodyField(ld.Pointer(ptr, name), fmt.Sprintf("a setting's value is at most %d bytes long", maxSettingValue)))
		}
		pairs = append(pairs, store.Pair{Name: name, Value: value})
	}
	if len(bad) > 0 {
		return httpapi.InvalidBody(bad...)
	}
	if err := st.PutToolSettings(ctx, sc.scope, pairs); err != nil {
		return fmt.Errorf("consumer: storing %s settings: %w", sc.scope.Kind, err)
	}
	return nil
}

// GetLTILinkSettings implements lti2rest.ToolSettingsService.
func (s settingsService) GetLTILinkSettings(ctx context.Context, in *lti2rest.GetLTILinkSettingsRequest) (*lti2.ToolSettingsDocument, error) {
	ch, err := s.linkChain(ctx, "GET", in.LinkID)
	if err != nil {
		return nil, err
	}
	return ch.graph(ctx, s.c.cfg.Store, in.Bubble)
}

// GetLTILinkSettingsSimple implements lti2rest.ToolSettingsService.
func (s settingsService) GetLTILinkSettingsSimple(ctx context.Context, in *lti2rest.GetLTILinkSettingsSimpleRequest) (*lti2.ToolSettingsSimpleDocument, error) {
	ch, err := s.linkChain(ctx, "GET", in.LinkID)
	if err != nil {
		return nil, err
	}
	return ch.simple(ctx, s.c.cfg.Store, in.Bubble)
}

// PutLTILinkSettings implements lti2rest.ToolSettingsService.
func (s settingsService) PutLTILinkSettings(ctx context.Context, in *lti2rest.PutLTILinkSettingsRequest) error {
	ch, err := s.linkChain(ctx, "PUT", in.LinkID)
	if err != nil {
		return err
	}
	return ch.putGraph(ctx, s.c.cfg.Store, in.Body)
}

// PutLTILinkSettingsSimple implements lti2rest.ToolSettingsService.
func (s settingsService) PutLTILinkSettingsSimple(ctx context.Context, in *lti2rest.PutLTILinkSettingsSimpleRequest) error {
	ch, err := s.linkChain(ctx, "PUT", in.LinkID)
	if err != nil {
		return err
	}
	return ch[0].put(ctx, s.c.cfg.Store, simpleValues(in.Body), "")
}

// GetToolProxyBindingSettings implements lti2rest.ToolSettingsService.
func (s settingsService) GetToolProxyBindingSettings(ctx context.Context, in *lti2rest.GetToolProxyBindingSettingsRequest) (*lti2.ToolSettingsDocument, error) {
	ch, err := s.bindingChain(ctx, "GET", in.ContextType, in.ContextID, in.VendorCode, in.ProductCode)
	if err != nil {
		return nil, err
	}
	return ch.graph(ctx, s.c.cfg.Store, in.Bubble)
}

// GetToolProxyBindingSettingsSimple implements lti2rest.ToolSettingsService.
func (s settingsService) GetToolProxyBindingSettingsSimple(ctx context.Context, in *lti2rest.GetToolProxyBindingSettingsSimpleRequest) (*lti2.ToolSettingsSimpleDocument, error) {
	ch, err := s.bindingChain(ctx, "GET", in.ContextType, in.ContextID, in.VendorCode, in.ProductCode)
	if err != nil {
		return nil, err
	}
	return ch.simple(ctx, s.c.cfg.Store, in.Bubble)
}

// PutToolProxyBindingSettings implements lti2rest.ToolSettingsService.
func (s settingsService) PutToolProxyBindingSettings(ctx context.Context, in *lti2rest.PutToolProxyBindingSettingsRequest) error {
	ch, err := s.bindingChain(ctx, "PUT", in.ContextType, in.ContextID, in.VendorCode, in.ProductCode)
	if err != nil {
		return err
	}
	return ch.putGraph(ctx, s.c.cfg.Store, in.Body)
}

// PutToolProxyBindingSettingsSimple implements lti2rest.ToolSettingsService.
func (s settingsService) PutToolProxyBindingSettingsSimple(ctx context.Context, in *lti2rest.PutToolProxyBindingSettingsSimpleRequest) error {
	ch, err := s.bindingChain(ctx, "PUT", in.ContextType, in.ContextID, in.VendorCode, in.ProductCode)
	if err != nil {
		return err
	}
	return ch[0].put(ctx, s.c.cfg.Store, simpleValues(in.Body), "")
}

// GetToolProxySettings implements lti2rest.ToolSettingsService.
func (s settingsService) GetToolProxySettings(ctx context.Context, in *lti2rest.GetToolProxySettingsRequest) (*lti2.ToolSettingsDocument, error) {
	ch, err := s.toolProxyChain(ctx, "GET", in.ToolProxyGUID)
	if err != nil {
		return nil, err
	}
	return ch.graph(ctx, s.c.cfg.Store, in.Bubble)
}

// GetToolProxySettingsSimple implements lti2rest.ToolSettingsService.
func (s settingsService) GetToolProxySettingsSimple(ctx context.Context, in *lti2rest.GetToolProxySettingsSimpleRequest) (*lti2.ToolSettingsSimpleDocument, error) {
	ch, err := s.toolProxyChain(ctx, "GET", in.ToolProxyGUID)
	if err != nil {
		return nil, err
	}
	return ch.simple(ctx, s.c.cfg.Store, in.Bubble)
}

// PutToolProxySettings implements lti2rest.ToolSettingsService.
func (s settingsService) PutToolProxySettings(ctx context.Context, in *lti2rest.PutToolProxySettingsRequest) error {
	ch, err := s.toolProxyChain(ctx, "PUT", in.ToolProxyGUID)
	if err != nil {
		return err
	}
	return ch.putGraph(ctx, s.c.cfg.Store, in.Body)
}

// PutToolProxySettingsSimple implements lti2rest.ToolSettingsService.
func (s settingsService) PutToolProxySettingsSimple(ctx context.Context, in *lti2rest.PutToolProxySettingsSimpleRequest) error {
	ch, err := s.toolProxyChain(ctx, "PUT", in.ToolProxyGUID)
	if err != nil {
		return err
	}
	return ch[0].put(ctx, s.c.cfg.Store, simpleValues(in.Body), "")
}

// simpleValues returns the settings of a simple-form body.
func simpleValues(d *lti2.ToolSettingsSimpleDocument) map[string]string {
	if d == nil {
		return nil
	}
	return *d
}
