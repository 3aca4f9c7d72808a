package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// Services are the consumer's REST services for one registration: the
// generated clients, signed with the registration's tool_proxy_guid and
// current secret (with a body hash), whose endpoints are those of the
// consumer's profile that the registration's security contract declares.
// A call through a client field without httpapi.WithURL uses the profile's
// endpoint template for its operation; when the contract declares no such
// service the URL is relative and the call fails. The helpers take the
// ready-made URLs that launches carry instead. A Services holds the secret:
// do not log it. It is safe for concurrent use.
type Services struct {
	// GUID is the registration's tool_proxy_guid.
	GUID string
	// Settings reads and replaces tool settings (LtiLinkSettings,
	// ToolProxyBindingSettings, ToolProxySettings).
	Settings lti2rest.ToolSettingsService
	// Results reads and replaces results (Result.item).
	Results lti2rest.ResultService
	// Membership lists the members of a context (Membership.collection).
	// It decodes pages without context processing, so a page whose
	// @context rebinds a standard prefix (the IMS sample and Moodle bind
	// lism to …/membership#) is refused; Members accepts those.
	Membership lti2rest.MembershipService
	// ToolProxy reads the consumer's copy of the tool proxy
	// (ToolProxy.item) where the consumer offers it.
	ToolProxy lti2rest.ToolProxyService

	raw       *httpapi.Client
	endpoints map[string]string
	maxPages  int
}

// Services returns the service clients of the registration guid, which
// must be active. Its current secret signs; a pending re-registration's
// does not until confirmed, so call Services again after a confirmation.
func (p *Provider) Services(ctx context.Context, guid string) (*Services, error) {
	tp, err := p.store.ToolProxy(ctx, guid)
	if err != nil {
		return nil, fmt.Errorf("provider: reading registration %s: %w", guid, err)
	}
	if tp.Status != store.StatusActive {
		return nil, fmt.Errorf("provider: registration %s is %s, not active", guid, tp.Status)
	}
	endpoints, err := p.endpoints(tp)
	if err != nil {
		return nil, fmt.Errorf("provider: registration %s: %w", guid, err)
	}
	cfg := httpapi.ClientConfig{
		HTTPClient: p.hc,
		Sign:       p.signer(oauth1.Credentials{Key: tp.GUID, Secret: tp.Secret}),
		Endpoints:  endpoints,
	}
	return &Services{
		GUID:       tp.GUID,
		Settings:   lti2rest.NewToolSettingsServiceClient("", cfg),
		Results:    lti2rest.NewResultServiceClient("", cfg),
		Membership: lti2rest.NewMembershipServiceClient("", cfg),
		ToolProxy:  lti2rest.NewToolProxyServiceClient("", cfg),
		raw:        httpapi.NewClient("", cfg),
		endpoints:  endpoints,
		maxPages:   p.maxPages,
	}, nil
}

// endpoints maps the offer names of the services the registration's
// contract declares to their endpoint templates in the stored profile.
// Services are found as at registration (findService, with the
// declaration's needs), and kept only when the stored tool proxy's
// security_contract.tool_service names them.
func (p *Provider) endpoints(tp store.ToolProxy) (map[string]string, error) {
	if len(tp.Profile) == 0 || len(tp.Document) == 0 {
		return nil, errors.New("the registration holds no profile or tool proxy")
	}
	tcp, err := lti2.DecodeToolConsumerProfile(tp.Profile, ld.WithLoader(offlineContexts))
	if err != nil {
		return nil, fmt.Errorf("decoding the stored profile: %w", err)
	}
	proxy, err := lti2.DecodeToolProxy(tp.Document, ld.WithLoader(offlineContexts))
	if err != nil {
		return nil, fmt.Errorf("decoding the stored tool proxy: %w", err)
	}
	pfx := prefixes(tcp.Context)
	declared := make(map[string]bool)
	if proxy.SecurityContract != nil {
		for _, sp := range proxy.SecurityContract.ToolService {
			if sp != nil {
				declared[resolveIRI(sp.GetService(), pfx)] = true
			}
		}
	}
	needs := make(map[string]ServiceNeed)
	var order []string
	for _, name := range standardOffers() {
		n, _ := standardNeed(name)
		needs[name] = n
		order = append(order, name)
	}
	for _, n := range p.decl.Services {
		if n.Name == "" {
			continue
		}
		if _, ok := needs[n.Name]; !ok {
			order = append(order, n.Name)
		}
		needs[n.Name] = n.complete()
	}
	services := restServices(tcp)
	out := make(map[string]string)
	for _, name := range order {
		if s := findService(services, needs[name]); s != nil && declared[resolveIRI(s.ID, pfx)] {
			out[name] = s.Endpoint
		}
	}
	return out, nil
}

// Endpoint returns the endpoint template of a service the registration's
// contract declares, by offer name (OfferResult, …).
func (s *Services) Endpoint(offer string) (string, bool) {
	e, ok := s.endpoints[offer]
	return e, ok
}

// SettingsAt reads, in the simple form, the settings at a ready-made URL a
// launch carried: custom_link_setting_url (LtiLink.custom.url),
// custom_context_setting_url (ToolProxyBinding.custom.url) or
// custom_system_setting_url (ToolProxy.custom.url).
func (s *Services) SettingsAt(ctx context.Context, settingsURL string) (map[string]string, error) {
	if err := checkURL(settingsURL); err != nil {
		return nil, fmt.Errorf("provider: reading settings: %w", err)
	}
	doc, err := s.Settings.GetToolProxySettingsSimple(httpapi.WithURL(ctx, settingsURL), &lti2rest.GetToolProxySettingsSimpleRequest{})
	if err != nil {
		return nil, fmt.Errorf("provider: reading settings: %w", err)
	}
	if doc == nil {
		return map[string]string{}, nil
	}
	return map[string]string(*doc), nil
}

// PutSettingsAt replaces, in the simple form, every setting at a ready-made
// URL a launch carried (see SettingsAt).
func (s *Services) PutSettingsAt(ctx context.Context, settingsURL string, values map[string]string) error {
	if err := checkURL(settingsURL); err != nil {
		return fmt.Errorf("provider: replacing settings: %w", err)
	}
	body := lti2.ToolSettingsSimpleDocument(values)
	if body == nil {
		body = lti2.ToolSettingsSimpleDocument{}
	}
	if err := s.Settings.PutToolProxySettingsSimple(httpapi.WithURL(ctx, settingsURL), &lti2rest.PutToolProxySettingsSimpleRequest{Body: &body}); err != nil {
		return fmt.Errorf("provider: replacing settings: %w", err)
	}
	return nil
}

// ResultAt reads the result at a ready-made URL a launch carried
// (custom_result_url, from the Result.url variable).
func (s *Services) ResultAt(ctx context.Context, resultURL string) (*lti2.Result, error) {
	if err := checkURL(resultURL); err != nil {
		return nil, fmt.Errorf("provider: reading a result: %w", err)
	}
	r, err := s.Results.GetResult(httpapi.WithURL(ctx, resultURL), &lti2rest.GetResultRequest{})
	if err != nil {
		return nil, fmt.Errorf("provider: reading a result: %w", err)
	}
	return r, nil
}

// PutResultAt replaces the result at a ready-made URL a launch carried (see
// ResultAt). A Result without ResultScore clears the score.
func (s *Services) PutResultAt(ctx context.Context, resultURL string, r *lti2.Result) error {
	if err := checkURL(resultURL); err != nil {
		return fmt.Errorf("provider: replacing a result: %w", err)
	}
	if r == nil {
		return errors.New("provider: replacing a result: no result")
	}
	if err := s.Results.PutResult(httpapi.WithURL(ctx, resultURL), &lti2rest.PutResultRequest{Body: r}); err != nil {
		return fmt.Errorf("provider: replacing a result: %w", err)
	}
	return nil
}

// Members lists the memberships of the context whose membership URL a
// launch carried (custom_context_memberships_url, from
// ToolProxyBinding.memberships.url), following nextPage to the last page
// (LTI2-FACTS §3.7). Filters such as role or limit go in the URL's query.
// It reads at most Config.MaxPages pages and refuses a nextPage it already
// read; on an error it returns the memberships read so far with it.
//
// Pages are decoded with the standard contexts held offline, so that the
// IMS sample's @context (which rebinds lism to …/lis/v2/membership#, as
// Moodle does) is accepted: role values then come back as full IRIs.
func (s *Services) Members(ctx context.Context, membershipsURL string) ([]lti2.Membership, error) {
	var out []lti2.Membership
	seen := make(map[string]bool)
	next := membershipsURL
	for page := 1; next != ""; page++ {
		if err := checkURL(next); err != nil {
			return out, fmt.Errorf("provider: membership page %d: %w", page, err)
		}
		if page > s.maxPages {
			return out, fmt.Errorf("provider: the membership list has more than %d pages", s.maxPages)
		}
		if seen[next] {
			return out, fmt.Errorf("provider: membership page %d repeats an earlier page's URL", page)
		}
		seen[next] = true
		pg, err := s.page(ctx, next)
		if err != nil {
			return out, fmt.Errorf("provider: reading membership page %d: %w", page, err)
		}
		if pg.PageOf != nil && pg.PageOf.MembershipSubject != nil {
			out = append(out, pg.PageOf.MembershipSubject.Membership...)
		}
		if pg.NextPage == "" {
			break
		}
		base, _ := url.Parse(next) // checked above
		ref, err := url.Parse(pg.NextPage)
		if err != nil {
			return out, fmt.Errorf("provider: membership page %d: its nextPage does not parse: %w", page, err)
		}
		next = base.ResolveReference(ref).String()
	}
	return out, nil
}

// page reads one page of a membership container.
func (s *Services) page(ctx context.Context, pageURL string) (*lti2.Page, error) {
	resp, err := s.raw.Do(httpapi.WithURL(ctx, pageURL), &httpapi.Request{
		Operation: "getMemberships",
		Method:    http.MethodGet,
		Accept:    []string{lti2.MediaTypeMembershipContainer},
	})
	if err != nil {
		return nil, err
	}
	pg, err := lti2.DecodePage(resp.Body, ld.WithLoader(offlineContexts))
	if err != nil {
		return nil, fmt.Errorf("decoding the page: %w", err)
	}
	return pg, nil
}

// checkURL checks that a URL to call is absolute http or https.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the URL does not parse: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("the URL is not an absolute http or https URL")
	}
	return nil
}
