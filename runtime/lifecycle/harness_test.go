package lifecycle_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/internal/lti2fixture"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/backend"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// lms is a consumer served over loopback HTTP.
type lms struct {
	C     *consumer.Consumer
	Store store.Store
	URL   string
	srv   *httptest.Server
}

// consumerProduct describes the test consumer in its profile.
func consumerProduct() *lti2.ProductInstance {
	return &lti2.ProductInstance{
		GUID: "lms-instance-1",
		ProductInfo: &lti2.ProductInfo{
			ProductName:    &lti2.LocalizedName{DefaultValue: "Test LMS"},
			ProductVersion: "1.0",
			ProductFamily: &lti2.ProductFamily{
				Code:   "testlms",
				Vendor: &lti2.Vendor{Code: "example.edu", VendorName: &lti2.LocalizedName{DefaultValue: "Example"}},
			},
		},
		ServiceOwner: nil,
	}
}

// openStore opens a store on dsn, closed at the end of the test.
func openStore(t testing.TB, dsn string, sealer store.Sealer) store.Store {
	t.Helper()
	st, err := backend.Open(context.Background(), dsn, store.Options{Sealer: sealer})
	if err != nil {
		t.Fatalf("open store %s: %v", redact(dsn), err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// redact hides a DSN's password.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return dsn
}

// newLMS starts a consumer on st. mutate may adjust its configuration.
func newLMS(t testing.TB, st store.Store, mutate func(*consumer.Config)) *lms {
	t.Helper()
	l := &lms{Store: st}
	var h http.Handler
	l.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(l.srv.Close)
	l.URL = l.srv.URL
	cfg := consumer.Config{BaseURL: l.URL, Store: st, Product: consumerProduct(), SplitSecret: true, ProfileGUID: "profile-1"}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := consumer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l.C = c
	h = c.Handler()
	return l
}

// seedCourse stores a context with an instructor and learners, and returns
// the context ID.
func seedCourse(t testing.TB, st store.Store, contextID string, learners int) {
	t.Helper()
	ctx := context.Background()
	must(t, st.PutContext(ctx, store.Context{ID: contextID, Type: "CourseSection", Label: "BIO101", Title: "Biology 101"}))
	must(t, st.PutUser(ctx, store.User{ID: "teacher", Name: "Tess Teacher", Given: "Tess", Family: "Teacher", Email: "tess@example.edu"}))
	must(t, st.PutMembership(ctx, store.Membership{ContextID: contextID, UserID: "teacher", Roles: []string{string(lti2.RoleMembershipInstructor)}, Active: true}))
	for i := range learners {
		id := learnerID(i)
		must(t, st.PutUser(ctx, store.User{ID: id, Name: "Learner " + id, Email: id + "@example.edu"}))
		must(t, st.PutMembership(ctx, store.Membership{ContextID: contextID, UserID: id, Roles: []string{string(lti2.RoleMembershipLearner)}, Active: true}))
	}
}

func learnerID(i int) string { return "learner-" + string(rune('a'+i/26)) + string(rune('a'+i%26)) }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// signedDo sends a request signed with key and secret and returns the
// status and body.
func signedDo(t testing.TB, method, rawURL, contentType, accept string, body []byte, key, secret string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if err := oauth1.SignRequest(req, body, oauth1.Credentials{Key: key, Secret: secret}, oauth1.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	return send(t, req)
}

func send(t testing.TB, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// backends returns the store backends to run against (SQLite always,
// PostgreSQL when configured; see storetest.Backends).
func backends(t *testing.T) []storetest.Backend { return storetest.Backends(t) }

// toolSpec is a tool proxy a test registers by hand (the way a tool
// provider would), to set up the adversarial cases.
type toolSpec struct {
	Vendor, Product string
	Services        map[string][]string // offer name → actions
	Capabilities    []string            // enabled in the launch handler
	Split           bool
}

// handTool is a registered tool: its GUID and secret.
type handTool struct{ GUID, Secret string }

// registerByHand registers a tool proxy built from spec through the
// consumer's registration endpoint and approves it.
func registerByHand(t testing.TB, l *lms, spec toolSpec) handTool {
	t.Helper()
	ctx := context.Background()
	form, err := l.C.StartRegistration(ctx, consumer.RegistrationRequest{ToolURL: "https://tool.example.com/register", ReturnURL: "https://lms.example.edu/return"})
	if err != nil {
		t.Fatal(err)
	}
	v := form.Values()
	regKey, regPassword := v.Get("reg_key"), v.Get("reg_password")
	fix := lti2fixture.Tool{Vendor: spec.Vendor, Product: spec.Product, Services: spec.Services, Capabilities: spec.Capabilities,
		Secret: "secret-of-" + spec.Product + "-" + regKey}
	if spec.Split {
		fix.TPHalf = strings.Repeat("0f", 64)
	}
	client := lti2rest.NewToolProxyServiceClient(l.URL, httpapi.ClientConfig{Sign: func(r *http.Request, body []byte) error {
		return oauth1.SignRequest(r, body, oauth1.Credentials{Key: regKey, Secret: regPassword}, oauth1.SignOptions{})
	}})
	id, err := client.RegisterToolProxy(ctx, &lti2rest.RegisterToolProxyRequest{Body: lti2fixture.ToolProxy(l.C.ProfileURL(), fix)})
	if err != nil {
		var he *httpapi.Error
		if errors.As(err, &he) && he.Problem != nil {
			t.Fatalf("register %s/%s: %v %+v", spec.Vendor, spec.Product, err, he.Problem.Errors)
		}
		t.Fatalf("register %s/%s: %v", spec.Vendor, spec.Product, err)
	}
	guid, secret := string(id.ToolProxyGUID), fix.Secret
	if spec.Split {
		var tcHalf string
		if err := json.Unmarshal(id.Extensions["tc_half_shared_secret"], &tcHalf); err != nil || tcHalf == "" {
			t.Fatalf("split-secret registration answered without tc_half_shared_secret: %v", err)
		}
		secret = tcHalf + fix.TPHalf
	}
	must(t, l.C.Approve(ctx, guid))
	return handTool{GUID: guid, Secret: secret}
}

// signRequest signs req as tool.
func signRequest(req *http.Request, body []byte, tool handTool) error {
	return oauth1.SignRequest(req, body, oauth1.Credentials{Key: tool.GUID, Secret: tool.Secret}, oauth1.SignOptions{})
}

// decodeKey decodes a base64 sealing key.
func decodeKey(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

func registrationOf(toolURL, returnURL string) consumer.RegistrationRequest {
	return consumer.RegistrationRequest{ToolURL: toolURL, ReturnURL: returnURL, UserID: "admin"}
}

func launchOf(linkID, userID string) consumer.LaunchRequest {
	return consumer.LaunchRequest{LinkID: linkID, UserID: userID, ReturnURL: "https://lms.example.edu/return"}
}
