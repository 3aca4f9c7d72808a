// These tests run inside the temporary module that TestGeneratedCode
// (generator/rest) generates: the standard services in example.com/gen,
// with their types and the httpapi support package.

package lti2rest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"example.com/gen/httpapi"
	"example.com/gen/lti2"
	"example.com/gen/lti2rest"
)

// Media types of the standard model.
const (
	resultType   = "application/vnd.ims.lis.v2.result+json"
	proxyType    = "application/vnd.ims.lti.v2.toolproxy+json"
	proxyIDType  = "application/vnd.ims.lti.v2.toolproxy.id+json"
	settingsType = "application/vnd.ims.lti.v2.toolsettings+json"
	simpleType   = "application/vnd.ims.lti.v2.toolsettings.simple+json"
	membersType  = "application/vnd.ims.lis.v2.membershipcontainer+json"
)

// Documents the fakes answer with.
const (
	resultDoc   = `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.5,"comment":"ok"}`
	settingsDoc = `{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolSettings","@graph":[{"@type":"LtiLink","@id":"http://lms.example.com/links/L1","custom":{"a":"b"}}]}`
	simpleDoc   = `{"a":"b"}`
	proxyIDDoc  = `{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolProxyId","@type":"ToolProxy","@id":"http://lms.example.com/ToolProxy/g1","tool_proxy_guid":"g1"}`
	membersDoc  = `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/MembershipContainer","@type":"Page","@id":"http://lms.example.com/context/C1/memberships"}`
)

// calls records what a fake received.
type calls struct {
	mu   sync.Mutex
	seen []string
}

func (c *calls) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, s)
}

func (c *calls) last() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) == 0 {
		return ""
	}
	return c.seen[len(c.seen)-1]
}

// results is a fake ResultService: "known" exists, "gone" has moved,
// "secret" fails with an internal error, "teapot" with a status the model
// does not list.
type results struct {
	t     *testing.T
	calls calls
}

func (r *results) GetResult(ctx context.Context, in *lti2rest.GetResultRequest) (*lti2.Result, error) {
	r.calls.add("get " + in.SourcedID + " consumer=" + consumerOf(ctx))
	switch in.SourcedID {
	case "known", "a/b":
		return fixture[lti2.Result](r.t)(lti2.DecodeResult([]byte(resultDoc)))
	case "gone":
		return nil, httpapi.Redirect(http.StatusTemporaryRedirect, "https://elsewhere.example.com/Result/gone")
	case "secret":
		return nil, errors.New("database password is hunter2")
	case "teapot":
		return nil, httpapi.NewError(http.StatusTeapot, "short and stout")
	}
	return nil, httpapi.Errorf(http.StatusNotFound, "no result %q", in.SourcedID)
}

func (r *results) PutResult(ctx context.Context, in *lti2rest.PutResultRequest) error {
	body, err := json.Marshal(in.Body)
	if err != nil {
		return err
	}
	r.calls.add("put " + in.SourcedID + " " + string(body))
	return nil
}

// fixture passes on a decoded fixture document, failing the test when it
// did not decode.
func fixture[T any](t *testing.T) func(*T, error) (*T, error) {
	return func(v *T, err error) (*T, error) {
		t.Helper()
		if err != nil {
			t.Fatalf("decoding a fixture: %v", err)
		}
		return v, nil
	}
}

// settings is a fake ToolSettingsService serving the link scope.
type settings struct {
	lti2rest.ToolSettingsService
	t     *testing.T
	calls calls
}

func (s *settings) GetLTILinkSettings(_ context.Context, in *lti2rest.GetLTILinkSettingsRequest) (*lti2.ToolSettingsDocument, error) {
	s.calls.add("graph " + in.LinkID + " bubble=" + in.Bubble)
	return fixture[lti2.ToolSettingsDocument](s.t)(lti2.DecodeToolSettingsDocument([]byte(settingsDoc)))
}

func (s *settings) GetLTILinkSettingsSimple(_ context.Context, in *lti2rest.GetLTILinkSettingsSimpleRequest) (*lti2.ToolSettingsSimpleDocument, error) {
	s.calls.add("simple " + in.LinkID + " bubble=" + in.Bubble)
	if in.Bubble == "all" {
		return nil, httpapi.NewError(http.StatusNotAcceptable, "bubble=all has no simple form")
	}
	return fixture[lti2.ToolSettingsSimpleDocument](s.t)(lti2.DecodeToolSettingsSimpleDocument([]byte(simpleDoc)))
}

func (s *settings) PutLTILinkSettings(_ context.Context, in *lti2rest.PutLTILinkSettingsRequest) error {
	s.calls.add("put graph " + in.LinkID)
	return nil
}

func (s *settings) PutLTILinkSettingsSimple(_ context.Context, in *lti2rest.PutLTILinkSettingsSimpleRequest) error {
	body, _ := json.Marshal(in.Body)
	s.calls.add("put simple " + in.LinkID + " " + string(body))
	return nil
}

// proxies is a fake ToolProxyService.
type proxies struct {
	lti2rest.ToolProxyService
	t     *testing.T
	calls calls
}

func (p *proxies) RegisterToolProxy(_ context.Context, in *lti2rest.RegisterToolProxyRequest) (*lti2.ToolProxy, error) {
	p.calls.add("register confirm=" + in.ConfirmURL)
	return fixture[lti2.ToolProxy](p.t)(lti2.DecodeToolProxy([]byte(proxyIDDoc)))
}

// members is a fake MembershipService.
type members struct {
	t     *testing.T
	calls calls
}

func (m *members) GetMemberships(_ context.Context, in *lti2rest.GetMembershipsRequest) (*lti2.Page, error) {
	limit := "none"
	if in.Limit != nil {
		limit = strconv.FormatInt(*in.Limit, 10)
	}
	m.calls.add("members " + in.ContextID + " limit=" + limit + " role=" + in.Role)
	return fixture[lti2.Page](m.t)(lti2.DecodePage([]byte(membersDoc)))
}

// consumerKey carries the authenticated consumer in the context.
type consumerKey struct{}

func consumerOf(ctx context.Context) string {
	s, _ := ctx.Value(consumerKey{}).(string)
	return s
}

// auth accepts "Authorization: OAuth good" (and checks that it sees the
// exact body), refuses "OAuth banned" with 403 and anything else with an
// error that carries no status.
func auth(r *http.Request, body []byte) (context.Context, error) {
	switch r.Header.Get("Authorization") {
	case "OAuth good":
		if r.ContentLength > 0 && int64(len(body)) != r.ContentLength {
			return nil, errors.New("the body the hook saw is not the request's")
		}
		return context.WithValue(r.Context(), consumerKey{}, "tp1"), nil
	case "OAuth banned":
		return nil, httpapi.NewError(http.StatusForbidden, "this key may not use the service")
	}
	return nil, errors.New("bad signature for key xyz")
}

// config is the handlers' configuration: the auth hook, a small body
// limit, and an error log the test reads.
func config(log *calls) httpapi.Config {
	return httpapi.Config{
		Authenticator: httpapi.AuthenticatorFunc(auth),
		MaxBodyBytes:  4096,
		ErrorLog:      func(_ *http.Request, err error) { log.add(err.Error()) },
	}
}

// problem is a decoded problem body.
type problem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Pointer   *string `json:"pointer"`
		Parameter string  `json:"parameter"`
		Header    string  `json:"header"`
		Detail    string  `json:"detail"`
	} `json:"errors"`
}

// pointers lists the JSON pointers a problem names.
func (p problem) pointers() []string {
	var out []string
	for _, e := range p.Errors {
		if e.Pointer != nil {
			out = append(out, *e.Pointer)
		}
	}
	return out
}

// TestHandlers drives the generated handlers through httptest.
func TestHandlers(t *testing.T) {
	var log calls
	res := &results{t: t}
	set := &settings{t: t}
	prox := &proxies{t: t}
	mem := &members{t: t}
	cfg := config(&log)
	handlers := map[string]http.Handler{
		"result":   lti2rest.NewResultServiceHandler(res, cfg),
		"settings": lti2rest.NewToolSettingsServiceHandler(set, cfg),
		"proxy":    lti2rest.NewToolProxyServiceHandler(prox, cfg),
		"members":  lti2rest.NewMembershipServiceHandler(mem, cfg),
		"noauth":   lti2rest.NewResultServiceHandler(res, httpapi.Config{}),
	}
	big := `{"comment":"` + strings.Repeat("x", 5000) + `"}`
	tests := []struct {
		name, handler, method, path string
		header                      map[string]string
		body                        string
		// want
		status      int
		contentType string
		header2     map[string]string
		pointers    []string
		parameter   string
		bodyHas     string
		bodyLacks   string
		call        *calls
		lastCall    string
		callHas     []string
	}{
		{name: "get result", handler: "result", method: "GET", path: "/Result/known",
			header: map[string]string{"Accept": resultType},
			status: 200, contentType: resultType, bodyHas: `"resultScore":0.5`, call: &res.calls, lastCall: "get known consumer=tp1"},
		{name: "get result, no Accept", handler: "result", method: "GET", path: "/Result/known",
			status: 200, contentType: resultType},
		{name: "get result, wildcard Accept", handler: "result", method: "GET", path: "/Result/known",
			header: map[string]string{"Accept": "text/html, application/*;q=0.5"}, status: 200, contentType: resultType},
		{name: "escaped slash in a variable", handler: "result", method: "GET", path: "/Result/a%2Fb",
			status: 200, call: &res.calls, lastCall: "get a/b consumer=tp1"},
		{name: "unknown path", handler: "result", method: "GET", path: "/Results/known",
			status: 404, contentType: httpapi.ProblemMediaType},
		{name: "wrong method", handler: "result", method: "DELETE", path: "/Result/known",
			status: 405, header2: map[string]string{"Allow": "GET, PUT"}, contentType: httpapi.ProblemMediaType},
		{name: "not acceptable", handler: "result", method: "GET", path: "/Result/known",
			header: map[string]string{"Accept": "text/html"}, status: 406, contentType: httpapi.ProblemMediaType},
		{name: "unsupported media type", handler: "result", method: "PUT", path: "/Result/known",
			header: map[string]string{"Content-Type": "text/plain"}, body: resultDoc, status: 415},
		{name: "no content type", handler: "result", method: "PUT", path: "/Result/known",
			body: resultDoc, status: 415},
		{name: "body too large", handler: "result", method: "PUT", path: "/Result/known",
			header: map[string]string{"Content-Type": resultType}, body: big, status: 413},
		{name: "invalid JSON", handler: "result", method: "PUT", path: "/Result/known",
			header: map[string]string{"Content-Type": resultType}, body: `{"resultScore":`, status: 400,
			contentType: httpapi.ProblemMediaType, pointers: []string{""}},
		{name: "missing required property", handler: "proxy", method: "POST", path: "/ToolProxy",
			header: map[string]string{"Content-Type": proxyType},
			body:   `{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolProxy","@type":"ToolProxy"}`,
			status: 400, contentType: httpapi.ProblemMediaType, pointers: []string{"/lti_version"}},
		{name: "auth refused", handler: "result", method: "GET", path: "/Result/known",
			header: map[string]string{"Authorization": "OAuth forged"}, status: 401,
			header2: map[string]string{"WWW-Authenticate": "OAuth"}, bodyLacks: "xyz"},
		{name: "auth forbidden", handler: "result", method: "GET", path: "/Result/known",
			header: map[string]string{"Authorization": "OAuth banned"}, status: 403, bodyHas: "may not use"},
		{name: "auth before routing", handler: "result", method: "DELETE", path: "/nowhere",
			header: map[string]string{"Authorization": "-"}, status: 401},
		{name: "no authenticator configured", handler: "noauth", method: "GET", path: "/Result/known", status: 401},
		{name: "put result", handler: "result", method: "PUT", path: "/Result/known",
			header: map[string]string{"Content-Type": resultType + "; charset=utf-8"}, body: resultDoc,
			status: 200, call: &res.calls, callHas: []string{"put known {", `"resultScore":0.5`, `"comment":"ok"`}},
		{name: "modelled error status", handler: "result", method: "GET", path: "/Result/missing",
			status: 404, bodyHas: `no result \"missing\"`},
		{name: "redirect", handler: "result", method: "GET", path: "/Result/gone",
			status: 307, header2: map[string]string{"Location": "https://elsewhere.example.com/Result/gone"}},
		{name: "internal error does not leak", handler: "result", method: "GET", path: "/Result/secret",
			status: 500, bodyLacks: "hunter2"},
		{name: "unmodelled status becomes 500", handler: "result", method: "GET", path: "/Result/teapot",
			status: 500, bodyLacks: "stout"},
		{name: "settings graph by default", handler: "settings", method: "GET", path: "/lti/links/L1/custom",
			status: 200, contentType: settingsType, call: &set.calls, lastCall: "graph L1 bubble="},
		{name: "settings simple by Accept", handler: "settings", method: "GET", path: "/lti/links/L1/custom?bubble=distinct",
			header: map[string]string{"Accept": simpleType}, status: 200, contentType: simpleType,
			bodyHas: `"a":"b"`, call: &set.calls, lastCall: "simple L1 bubble=distinct"},
		{name: "settings by quality", handler: "settings", method: "GET", path: "/lti/links/L1/custom",
			header: map[string]string{"Accept": settingsType + ";q=0.2, " + simpleType}, status: 200, contentType: simpleType},
		{name: "settings simple with bubble=all", handler: "settings", method: "GET", path: "/lti/links/L1/custom?bubble=all",
			header: map[string]string{"Accept": simpleType}, status: 406},
		{name: "settings unknown bubble", handler: "settings", method: "GET", path: "/lti/links/L1/custom?bubble=most",
			status: 406, parameter: "bubble"},
		{name: "settings put simple by Content-Type", handler: "settings", method: "PUT", path: "/lti/links/L1/custom",
			header: map[string]string{"Content-Type": simpleType}, body: `{"x":"y"}`,
			status: 200, call: &set.calls, lastCall: `put simple L1 {"x":"y"}`},
		{name: "settings put graph by Content-Type", handler: "settings", method: "PUT", path: "/lti/links/L1/custom",
			header: map[string]string{"Content-Type": settingsType}, body: settingsDoc,
			status: 200, call: &set.calls, lastCall: "put graph L1"},
		{name: "settings wrong method", handler: "settings", method: "POST", path: "/lti/links/L1/custom",
			status: 405, header2: map[string]string{"Allow": "GET, PUT"}},
		{name: "register", handler: "proxy", method: "POST", path: "/ToolProxy/",
			header: map[string]string{"Content-Type": proxyType, "VND-IMS-CONFIRM-URL": "https://tool.example.com/confirm"},
			body:   validProxy, status: 201, contentType: proxyIDType, bodyHas: `"tool_proxy_guid":"g1"`,
			call: &prox.calls, lastCall: "register confirm=https://tool.example.com/confirm"},
		{name: "members limit", handler: "members", method: "GET", path: "/context/C1/memberships?limit=10&role=Learner",
			status: 200, contentType: membersType, call: &mem.calls, lastCall: "members C1 limit=10 role=Learner"},
		{name: "members bad limit", handler: "members", method: "GET", path: "/context/C1/memberships?limit=ten",
			status: 400, parameter: "limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req := httptest.NewRequest(tc.method, tc.path, body)
			req.Header.Set("Authorization", "OAuth good")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			handlers[tc.handler].ServeHTTP(rec, req)
			resp := rec.Result()
			data, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.status, data)
			}
			if tc.contentType != "" && !httpapi.SameMediaType(resp.Header.Get("Content-Type"), tc.contentType) {
				t.Errorf("Content-Type %q, want %q", resp.Header.Get("Content-Type"), tc.contentType)
			}
			if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != httpapi.ProblemMediaType {
				t.Errorf("an error answered with Content-Type %q", resp.Header.Get("Content-Type"))
			}
			for k, v := range tc.header2 {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if tc.bodyHas != "" && !strings.Contains(string(data), tc.bodyHas) {
				t.Errorf("body %s lacks %s", data, tc.bodyHas)
			}
			if tc.bodyLacks != "" && strings.Contains(string(data), tc.bodyLacks) {
				t.Errorf("body %s leaks %s", data, tc.bodyLacks)
			}
			if tc.pointers != nil || tc.parameter != "" {
				var p problem
				if err := json.Unmarshal(data, &p); err != nil {
					t.Fatalf("problem body %s: %v", data, err)
				}
				if p.Status != tc.status {
					t.Errorf("problem status %d, want %d", p.Status, tc.status)
				}
				for _, want := range tc.pointers {
					if !slices.Contains(p.pointers(), want) {
						t.Errorf("problem %s does not name pointer %q", data, want)
					}
				}
				if tc.parameter != "" && (len(p.Errors) == 0 || p.Errors[0].Parameter != tc.parameter) {
					t.Errorf("problem %s does not name parameter %s", data, tc.parameter)
				}
			}
			if tc.call != nil && tc.lastCall != "" && tc.call.last() != tc.lastCall {
				t.Errorf("implementation saw %q, want %q", tc.call.last(), tc.lastCall)
			}
			for _, want := range tc.callHas {
				if !strings.Contains(tc.call.last(), want) {
					t.Errorf("implementation saw %q, want it to hold %q", tc.call.last(), want)
				}
			}
		})
	}
	if !slices.ContainsFunc(log.seen, func(s string) bool { return strings.Contains(s, "hunter2") }) {
		t.Error("the internal error was not logged")
	}
}

// validProxy is a Tool Proxy with every required property.
const validProxy = `{
  "@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy",
  "@type": "ToolProxy",
  "lti_version": "LTI-2p0",
  "tool_proxy_guid": "tp-guid",
  "tool_consumer_profile": "http://lms.example.com/profile/1",
  "tool_profile": {
    "lti_version": "LTI-2p0",
    "product_instance": {
      "guid": "p1",
      "product_info": {
        "product_name": {"default_value": "Tool"},
        "product_version": "1.0",
        "product_family": {"code": "tool", "vendor": {"code": "example.com", "vendor_name": {"default_value": "Example"}, "timestamp": "2014-01-01T00:00:00Z"}}
      }
    },
    "resource_handler": [{"resource_type": {"code": "r"}, "resource_name": {"default_value": "R"}, "message": [{"message_type": "basic-lti-launch-request", "path": "/launch"}]}],
    "base_url_choice": [{"default_base_url": "https://tool.example.com", "selector": {"applies_to": ["MessageHandler"]}}]
  },
  "security_contract": {"shared_secret": "s3cret"}
}`

// TestClient calls the generated handlers with the generated clients
// over httptest servers.
func TestClient(t *testing.T) {
	var log calls
	res := &results{t: t}
	set := &settings{t: t}
	mem := &members{t: t}
	cfg := config(&log)
	mux := http.NewServeMux()
	mux.Handle("/results/", http.StripPrefix("/results", lti2rest.NewResultServiceHandler(res, cfg)))
	mux.Handle("/settings/", http.StripPrefix("/settings", lti2rest.NewToolSettingsServiceHandler(set, cfg)))
	mux.Handle("/members/", http.StripPrefix("/members", lti2rest.NewMembershipServiceHandler(mem, cfg)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	var signed calls
	sign := func(r *http.Request, body []byte) error {
		signed.add(r.Method + " " + r.URL.RequestURI() + " " + string(body))
		r.Header.Set("Authorization", "OAuth good")
		return nil
	}
	ctx := context.Background()
	cc := httpapi.ClientConfig{HTTPClient: srv.Client(), Sign: sign}

	results := lti2rest.NewResultServiceClient(srv.URL+"/results", cc)
	got, err := results.GetResult(ctx, &lti2rest.GetResultRequest{SourcedID: "known"})
	if err != nil {
		t.Fatalf("GetResult: %v", err)
	}
	if data, _ := json.Marshal(got); !strings.Contains(string(data), `"comment":"ok"`) {
		t.Errorf("GetResult returned %s", data)
	}
	if err := results.PutResult(ctx, &lti2rest.PutResultRequest{SourcedID: "known", Body: got}); err != nil {
		t.Fatalf("PutResult: %v", err)
	}
	if !strings.HasPrefix(signed.last(), "PUT /results/Result/known {") {
		t.Errorf("the signer saw %q, not the body", signed.last())
	}
	if err := results.PutResult(ctx, &lti2rest.PutResultRequest{SourcedID: "known"}); err == nil {
		t.Error("PutResult without a body succeeded")
	}

	// A failure is an *httpapi.Error with the status and problem.
	_, err = results.GetResult(ctx, &lti2rest.GetResultRequest{SourcedID: "missing"})
	var he *httpapi.Error
	if !errors.As(err, &he) || he.Status != 404 || he.Problem == nil || !strings.Contains(he.Problem.Detail, "missing") {
		t.Errorf("GetResult(missing) = %v, want a 404 *httpapi.Error with the problem", err)
	}
	// Unsigned requests are refused.
	unsigned := lti2rest.NewResultServiceClient(srv.URL+"/results", httpapi.ClientConfig{HTTPClient: srv.Client()})
	if _, err := unsigned.GetResult(ctx, &lti2rest.GetResultRequest{SourcedID: "known"}); httpapi.StatusOf(err) != 401 {
		t.Errorf("unsigned GetResult = %v, want 401", err)
	}
	// The client implements the interface, so it can stand in for it.
	var _ lti2rest.ResultService = results

	// Settings: the client asks for its form, and the handler picks the
	// operation by it.
	settings := lti2rest.NewToolSettingsServiceClient(srv.URL+"/settings", cc)
	if _, err := settings.GetLTILinkSettingsSimple(ctx, &lti2rest.GetLTILinkSettingsSimpleRequest{LinkID: "L 1", Bubble: "distinct"}); err != nil {
		t.Fatalf("GetLTILinkSettingsSimple: %v", err)
	}
	if set.calls.last() != "simple L 1 bubble=distinct" {
		t.Errorf("the simple form was not served: %q", set.calls.last())
	}
	if _, err := settings.GetLTILinkSettings(ctx, &lti2rest.GetLTILinkSettingsRequest{LinkID: "L1"}); err != nil {
		t.Fatalf("GetLTILinkSettings: %v", err)
	}
	if set.calls.last() != "graph L1 bubble=" {
		t.Errorf("the graph form was not served: %q", set.calls.last())
	}
	simple, err := lti2.DecodeToolSettingsSimpleDocument([]byte(`{"k":"v"}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := settings.PutLTILinkSettingsSimple(ctx, &lti2rest.PutLTILinkSettingsSimpleRequest{LinkID: "L1", Body: simple}); err != nil {
		t.Fatalf("PutLTILinkSettingsSimple: %v", err)
	}
	if set.calls.last() != `put simple L1 {"k":"v"}` {
		t.Errorf("the simple PUT was not served: %q", set.calls.last())
	}

	// Endpoints from a Tool Consumer Profile override the templates, and
	// a ready-made URL (a nextPage) is used as given, query included.
	members := lti2rest.NewMembershipServiceClient("http://unused.invalid", httpapi.ClientConfig{
		HTTPClient: srv.Client(), Sign: sign,
		Endpoints: map[string]string{"Membership.collection": srv.URL + "/members/context/{context_id}/memberships"},
	})
	limit := int64(5)
	if _, err := members.GetMemberships(ctx, &lti2rest.GetMembershipsRequest{ContextID: "C1", Limit: &limit}); err != nil {
		t.Fatalf("GetMemberships: %v", err)
	}
	if mem.calls.last() != "members C1 limit=5 role=" {
		t.Errorf("GetMemberships reached %q", mem.calls.last())
	}
	next := httpapi.WithURL(ctx, srv.URL+"/members/context/C2/memberships?role=Instructor")
	if _, err := members.GetMemberships(next, &lti2rest.GetMembershipsRequest{}); err != nil {
		t.Fatalf("GetMemberships(nextPage): %v", err)
	}
	if mem.calls.last() != "members C2 limit=none role=Instructor" {
		t.Errorf("GetMemberships(nextPage) reached %q", mem.calls.last())
	}
}
