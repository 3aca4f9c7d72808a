package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// serviceTC adds signed service endpoints to a fake consumer: each checks
// the signature (with the registration's current secret) and records what
// it received.
type serviceTC struct {
	*fakeTC
	nonces   *oauth1.MemoryNonceStore
	mu       sync.Mutex
	received []string // "METHOD path?query body"
}

func newServiceTC(t *testing.T) *serviceTC {
	s := &serviceTC{fakeTC: newFakeTC(t), nonces: oauth1.NewMemoryNonceStore(0, 0)}
	page := func(ctx, next string, users ...string) string {
		var members []string
		for _, u := range users {
			members = append(members, fmt.Sprintf(`{"status":"liss:Active","member":{"@type":"LISPerson","userId":%q},"role":["lism:Learner"]}`, u))
		}
		nextKey := ""
		if next != "" {
			nextKey = fmt.Sprintf(`"nextPage":%q,`, next)
		}
		return fmt.Sprintf(`{"@context":[%q,{"liss":"http://purl.imsglobal.org/vocab/lis/v2/status#","lism":"http://purl.imsglobal.org/vocab/lis/v2/membership#"}],"@type":"Page",%s"pageOf":{"@type":"LISMembershipContainer","membershipSubject":{"@type":"Context","contextId":%q,"membership":[%s]}}}`,
			lti2.ContextMembershipContainer, nextKey, ctx, strings.Join(members, ","))
	}
	u := s.srv.URL
	s.handle("GET /Result/s1", lti2.MediaTypeResult, `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":0.83,"comment":"good"}`)
	s.handle("PUT /Result/s1", "", "")
	s.handle("GET /links/l1/custom", lti2.MediaTypeToolSettingsSimple, `{"a":"1","b":"2"}`)
	s.handle("PUT /links/l1/custom", "", "")
	s.extra["GET /context/c1/memberships"] = s.signed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", lti2.MediaTypeMembershipContainer)
		switch r.URL.Query().Get("page") {
		case "":
			_, _ = io.WriteString(w, page("c1", u+"/context/c1/memberships?page=2&role=Learner", "u1", "u2"))
		case "2":
			_, _ = io.WriteString(w, page("c1", "memberships?page=3", "u3")) // relative
		case "3":
			_, _ = io.WriteString(w, page("c1", "", "u4"))
		}
	})
	s.extra["GET /context/loop/memberships"] = s.signed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", lti2.MediaTypeMembershipContainer)
		_, _ = io.WriteString(w, page("loop", u+"/context/loop/memberships?again=1", "u1"))
	})
	return s
}

// signed wraps a handler with signature verification.
func (s *serviceTC) signed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.fakeTC.mu.Lock()
		secret := s.fakeTC.secret
		s.fakeTC.mu.Unlock()
		v := &oauth1.Verifier{Secrets: oauth1.SecretMap{testGUID: secret}, Nonces: s.nonces}
		if _, err := v.Verify(r.Context(), r, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPut && r.Header.Get("Authorization") != "" && !strings.Contains(r.Header.Get("Authorization"), "oauth_body_hash") {
			http.Error(w, "PUT without body hash", http.StatusUnauthorized)
			return
		}
		s.mu.Lock()
		s.received = append(s.received, fmt.Sprintf("%s %s %s", r.Method, r.URL.RequestURI(), body))
		s.mu.Unlock()
		h(w, r)
	}
}

// handle serves a fixed signed answer.
func (s *serviceTC) handle(route, contentType, body string) {
	s.extra[route] = s.signed(func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		_, _ = io.WriteString(w, body)
	})
}

func (s *serviceTC) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.received) == 0 {
		return ""
	}
	return s.received[len(s.received)-1]
}

func TestServices(t *testing.T) {
	tc := newServiceTC(t)
	tl := newTool(t, tc.fakeTC, nil)
	tl.register(t, tc.fakeTC)
	ctx := context.Background()
	svc, err := tl.p.Services(ctx, testGUID)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("endpoints of the contract", func(t *testing.T) {
		for offer, want := range map[string]string{
			OfferResult:              tc.srv.URL + "/Result/{sourcedId}",
			OfferLinkSettings:        tc.srv.URL + "/links/{link_id}/custom",
			OfferMembership:          tc.srv.URL + "/context/{context_id}/memberships",
			OfferToolProxyCollection: tc.srv.URL + "/ToolProxy/",
		} {
			if got, ok := svc.Endpoint(offer); !ok || got != want {
				t.Errorf("Endpoint(%s) = %q, %v; want %q", offer, got, ok, want)
			}
		}
		// Offered by the consumer, not declared by the tool.
		for _, offer := range []string{OfferToolProxyItem, OfferToolProxySettings, OfferBindingSettings} {
			if got, ok := svc.Endpoint(offer); ok {
				t.Errorf("Endpoint(%s) = %q; the contract does not declare it", offer, got)
			}
		}
	})

	t.Run("result by template", func(t *testing.T) {
		r, err := svc.Results.GetResult(ctx, &lti2rest.GetResultRequest{SourcedID: "s1"})
		if err != nil {
			t.Fatal(err)
		}
		if r.ResultScore == nil || *r.ResultScore != 0.83 {
			t.Errorf("resultScore %v", r.ResultScore)
		}
	})

	t.Run("result at a launch URL", func(t *testing.T) {
		r, err := svc.ResultAt(ctx, tc.srv.URL+"/Result/s1")
		if err != nil || r.Comment != "good" {
			t.Fatalf("ResultAt: %v, %+v", err, r)
		}
		score := 0.5
		if err := svc.PutResultAt(ctx, tc.srv.URL+"/Result/s1", &lti2.Result{ResultScore: &score}); err != nil {
			t.Fatal(err)
		}
		if got := tc.last(); !strings.HasPrefix(got, "PUT /Result/s1 ") || !strings.Contains(got, `"resultScore":0.5`) {
			t.Errorf("the consumer received %q", got)
		}
	})

	t.Run("settings at a launch URL", func(t *testing.T) {
		got, err := svc.SettingsAt(ctx, tc.srv.URL+"/links/l1/custom")
		if err != nil || got["a"] != "1" || got["b"] != "2" {
			t.Fatalf("SettingsAt: %v, %v", err, got)
		}
		if err := svc.PutSettingsAt(ctx, tc.srv.URL+"/links/l1/custom", map[string]string{"c": "3"}); err != nil {
			t.Fatal(err)
		}
		if got := tc.last(); got != `PUT /links/l1/custom {"c":"3"}` {
			t.Errorf("the consumer received %q", got)
		}
	})

	t.Run("members across pages", func(t *testing.T) {
		ms, err := svc.Members(ctx, tc.srv.URL+"/context/c1/memberships")
		if err != nil {
			t.Fatal(err)
		}
		var users []string
		for _, m := range ms {
			if m.Member != nil {
				users = append(users, m.Member.UserID)
			}
		}
		if strings.Join(users, ",") != "u1,u2,u3,u4" {
			t.Errorf("members %v, want u1..u4 from three pages", users)
		}
	})

	t.Run("members loop", func(t *testing.T) {
		ms, err := svc.Members(ctx, tc.srv.URL+"/context/loop/memberships")
		if err == nil || !strings.Contains(err.Error(), "repeats") {
			t.Fatalf("a nextPage loop gave %d members and error %v", len(ms), err)
		}
		if len(ms) != 2 {
			t.Errorf("%d members read before the loop, want 2", len(ms))
		}
	})

	t.Run("members page bound", func(t *testing.T) {
		bounded := *svc
		bounded.maxPages = 2
		ms, err := bounded.Members(ctx, tc.srv.URL+"/context/c1/memberships")
		if err == nil || !strings.Contains(err.Error(), "more than 2 pages") || len(ms) != 3 {
			t.Fatalf("bounded Members: %d members, %v", len(ms), err)
		}
	})

	t.Run("bad URL", func(t *testing.T) {
		if _, err := svc.ResultAt(ctx, "/Result/s1"); err == nil {
			t.Error("a relative URL was accepted")
		}
	})

	t.Run("after a key change the old client is refused", func(t *testing.T) {
		tc.fakeTC.mu.Lock()
		tc.fakeTC.secret = "rotated"
		tc.fakeTC.mu.Unlock()
		_, err := svc.ResultAt(ctx, tc.srv.URL+"/Result/s1")
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("signed with a stale secret: %v", err)
		}
	})
}

func TestServicesUnknown(t *testing.T) {
	tc := newFakeTC(t)
	tl := newTool(t, tc, nil)
	if _, err := tl.p.Services(context.Background(), "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Services of an unknown GUID: %v, want ErrNotFound", err)
	}
	tl.register(t, tc)
	if err := tl.store.SetToolProxyStatus(context.Background(), testGUID, store.StatusDisabled); err != nil {
		t.Fatal(err)
	}
	if _, err := tl.p.Services(context.Background(), testGUID); err == nil {
		t.Error("Services of a disabled registration")
	}
}

// TestResultJSON keeps the Result the helpers send in the Final form.
func TestResultJSON(t *testing.T) {
	score := 0.25
	data, err := json.Marshal(&lti2.Result{ResultScore: &score})
	if err != nil || !strings.Contains(string(data), `"resultScore":0.25`) {
		t.Errorf("%s, %v", data, err)
	}
}
