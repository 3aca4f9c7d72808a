package consumer_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/internal/lti2fixture"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// FuzzSignedBodies sends correctly signed requests with arbitrary bodies to
// every endpoint that reads one: registration (with fresh credentials),
// re-registration, settings PUT in both forms and result PUT. Whatever the
// body, the consumer must answer with a 2xx or a 4xx, never a 5xx (a panic
// is a 500 from net/http, and fails the fuzzer outright).
func FuzzSignedBodies(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `null`, `{"@graph":[{"@type":"LtiLink","custom":{"a":"b"}}]}`,
		`{"a":"b","c":"d"}`, `{"resultScore":0.5,"comment":"x"}`, `{"resultScore":"0.5"}`,
		`{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolProxy","lti_version":"LTI-2p0"}`,
		`{"security_contract":{"tp_half_shared_secret":7}}`, "\x00\xff", `{"a":` + string(bytes.Repeat([]byte("["), 5000)),
	} {
		for target := range 5 {
			f.Add(uint8(target), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		l := newTestLMS(t, func(c *consumer.Config) {
			c.Approve = func(context.Context, string, *lti2.ToolProxy) store.Status { return store.StatusActive }
		})
		ctx := context.Background()
		key, pw := l.credentials(t)
		fix := lti2fixture.Tool{Vendor: "v", Product: "p", Secret: "s",
			Services: map[string][]string{"LtiLinkSettings": {"GET", "PUT"}, "Result.item": {"GET", "PUT"}}}
		if _, err := l.register(key, pw, "", lti2fixture.ToolProxy(l.c.ProfileURL(), fix)); err != nil {
			t.Fatal(err)
		}
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		must(l.st.PutContext(ctx, store.Context{ID: "c"}))
		must(l.st.PutUser(ctx, store.User{ID: "u"}))
		must(l.st.PutMembership(ctx, store.Membership{ContextID: "c", UserID: "u", Roles: []string{string(lti2.RoleMembershipLearner)}, Active: true}))
		must(l.st.PutLink(ctx, store.Link{ID: "k", ContextID: "c", ToolProxyGUID: key, Gradable: true}))

		method, path, ctype, signKey, secret, confirm := "PUT", "/lti/links/k/custom", "application/vnd.ims.lti.v2.toolsettings+json", key, "s", ""
		switch target % 5 {
		case 1:
			ctype = "application/vnd.ims.lti.v2.toolsettings.simple+json"
		case 2:
			path, ctype = "/Result/"+consumer.ResultSourcedID("k", "u"), "application/vnd.ims.lis.v2.result+json"
		case 3:
			k2, p2 := l.credentials(t)
			method, path, ctype, signKey, secret = "POST", "/ToolProxy", "application/vnd.ims.lti.v2.toolproxy+json", k2, p2
		case 4:
			method, path, ctype, confirm = "POST", "/ToolProxy", "application/vnd.ims.lti.v2.toolproxy+json", "https://tool.example.com/confirm/x"
		}
		req, err := http.NewRequest(method, l.url+path, bytes.NewReader(body))
		must(err)
		req.Header.Set("Content-Type", ctype)
		if confirm != "" {
			req.Header.Set("VND-IMS-CONFIRM-URL", confirm)
		}
		must(oauth1.SignRequest(req, body, oauth1.Credentials{Key: signKey, Secret: secret}, oauth1.SignOptions{}))
		resp, err := http.DefaultClient.Do(req)
		must(err)
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s with body %q: %d %s", method, path, body, resp.StatusCode, answer)
		}
	})
}
