package lifecycle_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

const (
	mediaSettings = "application/vnd.ims.lti.v2.toolsettings+json"
	mediaSimple   = "application/vnd.ims.lti.v2.toolsettings.simple+json"
	mediaResult   = "application/vnd.ims.lis.v2.result+json"
	mediaMembers  = "application/vnd.ims.lis.v2.membershipcontainer+json"
)

// allServices enables every standard service a tool calls.
func allServices() map[string][]string {
	return map[string][]string{
		"LtiLinkSettings":          {"GET", "PUT"},
		"ToolProxyBindingSettings": {"GET", "PUT"},
		"ToolProxySettings":        {"GET", "PUT"},
		"Result.item":              {"GET", "PUT"},
		"Membership.collection":    {"GET"},
	}
}

// world is a consumer with tools A and B in two courses, a tool C with no
// services and a tool D that may only read link settings.
type world struct {
	l          *lms
	a, b, c, d handTool
}

func newWorld(t *testing.T, st store.Store) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{l: newLMS(t, st, nil)}
	seedCourse(t, st, "course-1", 3)
	seedCourse(t, st, "course-2", 3)
	w.a = registerByHand(t, w.l, toolSpec{Vendor: "acme", Product: "reader", Services: allServices(), Capabilities: []string{"Person.name.full"}})
	w.b = registerByHand(t, w.l, toolSpec{Vendor: "beta", Product: "quiz", Services: allServices(), Split: true})
	w.c = registerByHand(t, w.l, toolSpec{Vendor: "gamma", Product: "nothing"})
	w.d = registerByHand(t, w.l, toolSpec{Vendor: "delta", Product: "reader", Services: map[string][]string{"LtiLinkSettings": {"GET"}}})
	for _, l := range []store.Link{
		{ID: "link-a", ContextID: "course-1", ToolProxyGUID: w.a.GUID, ResourceType: "book", Title: "A", Gradable: true},
		{ID: "link-b", ContextID: "course-2", ToolProxyGUID: w.b.GUID, ResourceType: "book", Title: "B", Gradable: true},
		{ID: "link-c", ContextID: "course-1", ToolProxyGUID: w.c.GUID, ResourceType: "book", Title: "C"},
		{ID: "link-d", ContextID: "course-1", ToolProxyGUID: w.d.GUID, ResourceType: "book", Title: "D"},
	} {
		must(t, st.PutLink(ctx, l))
	}
	for _, s := range []store.Scope{
		{Kind: store.ScopeLink, ToolProxyGUID: w.b.GUID, LinkID: "link-b"},
		{Kind: store.ScopeBinding, ToolProxyGUID: w.b.GUID, ContextID: "course-2"},
		{Kind: store.ScopeToolProxy, ToolProxyGUID: w.b.GUID},
	} {
		must(t, st.PutToolSettings(ctx, s, []store.Pair{{Name: "private", Value: "b-only-value"}}))
	}
	score := 0.25
	must(t, st.PutResult(ctx, store.Result{SourcedID: consumer.ResultSourcedID("link-b", learnerID(0)), LinkID: "link-b", UserID: learnerID(0), Score: &score}))
	return w
}

// snapshot is the state the adversarial requests try to change.
func snapshot(t *testing.T, st store.Store, w *world) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, s := range []store.Scope{
		{Kind: store.ScopeLink, ToolProxyGUID: w.a.GUID, LinkID: "link-a"},
		{Kind: store.ScopeLink, ToolProxyGUID: w.b.GUID, LinkID: "link-b"},
		{Kind: store.ScopeLink, ToolProxyGUID: w.d.GUID, LinkID: "link-d"},
		{Kind: store.ScopeBinding, ToolProxyGUID: w.a.GUID, ContextID: "course-2"},
		{Kind: store.ScopeBinding, ToolProxyGUID: w.b.GUID, ContextID: "course-2"},
		{Kind: store.ScopeToolProxy, ToolProxyGUID: w.b.GUID},
	} {
		ps, err := st.ToolSettings(ctx, s)
		must(t, err)
		b.WriteString(string(s.Kind) + s.LinkID + s.ContextID + ":")
		for _, p := range ps {
			b.WriteString(p.Name + "=" + p.Value + ";")
		}
	}
	for _, link := range []string{"link-a", "link-b"} {
		rs, err := st.ListResults(ctx, link)
		must(t, err)
		for _, r := range rs {
			b.WriteString(r.SourcedID)
			if r.Score != nil {
				b.WriteString("=" + strconv.FormatFloat(*r.Score, 'g', -1, 64))
			}
			b.WriteString(";")
		}
	}
	return b.String()
}

// attack is one adversarial request.
type attack struct {
	name        string
	method      string
	path        string // below the consumer's URL
	contentType string
	accept      string
	body        string
	who         func(w *world) handTool
	signNow     time.Time           // zero: now
	tamper      func(*http.Request) // after signing
	wantStatus  int
}

func TestAdversarial(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.NewDSN(t)
			sealer := storetest.TestSealer(t)
			st := openStore(t, dsn, sealer)
			w := newWorld(t, st)
			sidB := consumer.ResultSourcedID("link-b", learnerID(0))
			sidA := consumer.ResultSourcedID("link-a", learnerID(0))
			a := func(w *world) handTool { return w.a }
			graph := `{"@context":"http://purl.imsglobal.org/ctx/lti/v2/ToolSettings","@graph":[{"@type":"LtiLink","@id":"x","custom":{"k":"v"}}]}`
			attacks := []attack{
				{name: "A reads B's link settings", method: "GET", path: "/lti/links/link-b/custom", accept: mediaSettings, who: a, wantStatus: 403},
				{name: "A writes B's link settings", method: "PUT", path: "/lti/links/link-b/custom", contentType: mediaSimple, body: `{"k":"v"}`, who: a, wantStatus: 403},
				{name: "A reads B's binding settings with B's codes", method: "GET", path: "/lis/CourseSection/course-2/bindings/beta/quiz/custom", accept: mediaSimple, who: a, wantStatus: 403},
				{name: "A reads a context it is not bound to", method: "GET", path: "/lis/CourseSection/course-2/bindings/acme/reader/custom", accept: mediaSimple, who: a, wantStatus: 403},
				{name: "A writes a context it is not bound to", method: "PUT", path: "/lis/CourseSection/course-2/bindings/acme/reader/custom", contentType: mediaSimple, body: `{"k":"v"}`, who: a, wantStatus: 403},
				{name: "A reads B's tool proxy settings", method: "GET", path: "/lti/ToolProxy/" + w.b.GUID + "/custom", accept: mediaSimple, who: a, wantStatus: 403},
				{name: "A reads B's result", method: "GET", path: "/Result/" + sidB, accept: mediaResult, who: a, wantStatus: 403},
				{name: "A writes B's result", method: "PUT", path: "/Result/" + sidB, contentType: mediaResult, body: `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":1}`, who: a, wantStatus: 403},
				{name: "A reads B's roster", method: "GET", path: "/context/course-2/memberships", accept: mediaMembers, who: a, wantStatus: 403},
				{name: "C calls a service its contract lacks", method: "GET", path: "/lti/links/link-c/custom", accept: mediaSimple, who: func(w *world) handTool { return w.c }, wantStatus: 403},
				{name: "D uses an action its contract lacks", method: "PUT", path: "/lti/links/link-d/custom", contentType: mediaSimple, body: `{"k":"v"}`, who: func(w *world) handTool { return w.d }, wantStatus: 403},
				{name: "tampered body", method: "PUT", path: "/lti/links/link-a/custom", contentType: mediaSimple, body: `{"k":"v"}`, who: a, wantStatus: 401,
					tamper: func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader(`{"k":"w"}`)) }},
				{name: "expired timestamp", method: "PUT", path: "/lti/links/link-a/custom", contentType: mediaSimple, body: `{"k":"v"}`, who: a, wantStatus: 401, signNow: time.Now().Add(-time.Hour)},
				{name: "unknown key", method: "GET", path: "/lti/links/link-a/custom", accept: mediaSimple, who: func(*world) handTool { return handTool{GUID: "nobody", Secret: "x"} }, wantStatus: 401},
				{name: "wrong secret", method: "GET", path: "/lti/links/link-a/custom", accept: mediaSimple, who: func(w *world) handTool { return handTool{GUID: w.a.GUID, Secret: "guess"} }, wantStatus: 401},
				{name: "malformed JSON-LD", method: "PUT", path: "/lti/links/link-a/custom", contentType: mediaSettings, body: `{"@graph":[`, who: a, wantStatus: 400},
				{name: "settings value not a string", method: "PUT", path: "/lti/links/link-a/custom", contentType: mediaSimple, body: `{"k":{"nested":1}}`, who: a, wantStatus: 400},
				{name: "graph with two containers", method: "PUT", path: "/lti/links/link-a/custom", contentType: mediaSettings, who: a, wantStatus: 400,
					body: strings.Replace(graph, `]}`, `,{"@type":"LtiLink","@id":"y","custom":{"k":"w"}}]}`, 1)},
				{name: "score out of range", method: "PUT", path: "/Result/" + sidA, contentType: mediaResult, body: `{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":1.5}`, who: a, wantStatus: 400},
				{name: "oversized body", method: "PUT", path: "/lti/links/link-a/custom", contentType: mediaSimple, body: `{"k":"` + strings.Repeat("x", 2<<20) + `"}`, who: a, wantStatus: 413},
			}
			for _, at := range attacks {
				t.Run(at.name, func(t *testing.T) {
					before := snapshot(t, st, w)
					tool := at.who(w)
					req, err := http.NewRequest(at.method, w.l.URL+at.path, bytes.NewReader([]byte(at.body)))
					must(t, err)
					if at.contentType != "" {
						req.Header.Set("Content-Type", at.contentType)
					}
					if at.accept != "" {
						req.Header.Set("Accept", at.accept)
					}
					opts := oauth1.SignOptions{}
					if !at.signNow.IsZero() {
						opts.Now = func() time.Time { return at.signNow }
					}
					var body []byte
					if at.body != "" {
						body = []byte(at.body)
					}
					must(t, oauth1.SignRequest(req, body, oauth1.Credentials{Key: tool.GUID, Secret: tool.Secret}, opts))
					if at.tamper != nil {
						at.tamper(req)
					}
					status, got := send(t, req)
					if status != at.wantStatus {
						t.Fatalf("status %d, want %d; body %s", status, at.wantStatus, got)
					}
					if bytes.Contains(got, []byte("b-only-value")) || bytes.Contains(got, []byte(w.b.Secret)) {
						t.Errorf("the refusal leaks B's data: %s", got)
					}
					if status == 401 || status == 403 {
						if !bytes.Contains(got, []byte(`"detail"`)) {
							t.Errorf("the refusal gives no reason: %s", got)
						}
					}
					if after := snapshot(t, st, w); after != before {
						t.Errorf("the refused request changed the store:\nbefore %s\nafter  %s", before, after)
					}
				})
			}
		})
	}
}

// TestReplayOnSecondInstance sends one signed request to a consumer and the
// same bytes to a second consumer instance sharing the store's database:
// the second must refuse it as a replay.
func TestReplayOnSecondInstance(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.NewDSN(t)
			sealer := storetest.TestSealer(t)
			st1 := openStore(t, dsn, sealer)
			w := newWorld(t, st1)
			st2 := openStore(t, dsn, sealer)
			// Behind one load balancer both instances have the same public
			// URL; this one is reached at its own loopback address.
			second := newLMS(t, st2, func(c *consumer.Config) { c.BaseURL = w.l.URL })

			target := "/lti/links/link-a/custom"
			req, err := http.NewRequest("GET", w.l.URL+target, nil)
			must(t, err)
			req.Header.Set("Accept", mediaSimple)
			must(t, oauth1.SignRequest(req, nil, oauth1.Credentials{Key: w.a.GUID, Secret: w.a.Secret}, oauth1.SignOptions{}))
			auth := req.Header.Get("Authorization")
			if status, body := send(t, req); status != 200 {
				t.Fatalf("first instance: status %d: %s", status, body)
			}
			// PostgreSQL records the nonce before the first instance
			// answers, so the replay is refused at once: the case the
			// multi-instance deployment relies on. SQLite checks nonces in
			// memory and writes them to the file within about 50 ms (it
			// serves one process; see package sqlite): a second process on
			// the file sees the nonce once written, which FlushNonces does
			// now.
			if f, ok := st1.(interface{ FlushNonces(context.Context) error }); ok {
				must(t, f.FlushNonces(t.Context()))
			}
			replay, _ := http.NewRequest("GET", second.URL+target, nil)
			replay.Header.Set("Accept", mediaSimple)
			replay.Header.Set("Authorization", auth)
			status, body := send(t, replay)
			if status != 401 || !bytes.Contains(body, []byte("nonce")) {
				t.Fatalf("replay on the second instance: status %d, body %s; want 401 naming the nonce", status, body)
			}
		})
	}
}
