package provider_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/provider"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// A tool declares what it is and needs, mounts the provider's handlers,
// and registers with a consumer when an administrator's browser posts the
// consumer's registration request to it. Its launch handler then finds the
// verified launch in the request's context.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "tool")
	defer os.RemoveAll(dir)
	key := make([]byte, seal.KeySize)
	rand.Read(key)
	sealer, _ := seal.New(key) // a deployment uses seal.Load or seal.LoadOrCreate
	open := func(name string) store.Store {
		st, err := sqlite.Open(ctx, filepath.Join(dir, name), store.Options{Sealer: sealer})
		if err != nil {
			log.Fatal(err)
		}
		return st
	}
	toolStore, lmsStore := open("tool.db"), open("lms.db")
	defer toolStore.Close()
	defer lmsStore.Close()

	// The tool.
	mux := http.NewServeMux()
	tool := httptest.NewServer(mux)
	defer tool.Close()
	p, err := provider.New(provider.Config{
		BaseURL: tool.URL,
		Store:   toolStore,
		Tool: provider.Declaration{
			Profile: &lti2.ToolProfile{
				LTIVersion: "LTI-2p0",
				ProductInstance: &lti2.ProductInstance{GUID: "reader-1", ProductInfo: &lti2.ProductInfo{
					ProductName:    &lti2.LocalizedName{DefaultValue: "Reader"},
					ProductVersion: "1.0",
					ProductFamily: &lti2.ProductFamily{Code: "reader", Vendor: &lti2.Vendor{
						Code: "example.com", VendorName: &lti2.LocalizedName{DefaultValue: "Example"}, Timestamp: "2026-01-01T00:00:00Z"}},
				}},
				BaseURLChoice: []lti2.BaseURLChoice{{DefaultBaseURL: tool.URL}},
				ResourceHandler: []lti2.ResourceHandler{{
					ResourceType: &lti2.ResourceType{Code: "book"},
					ResourceName: &lti2.LocalizedName{DefaultValue: "Book"},
					Message: []lti2.MessageHandler{{MessageType: "basic-lti-launch-request", Path: "/launch",
						EnabledCapability: []lti2.Capability{"Result.url"},
						Parameter:         []lti2.Parameter{{Name: "result_url", Variable: "Result.url"}}}},
				}},
				Message: []lti2.MessageHandler{{MessageType: "ToolProxyReregistrationRequest", Path: "/register"}},
			},
			Services: []provider.ServiceNeed{{Name: provider.OfferResult, Required: true}},
		},
		SplitSecret: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	mux.Handle("/register", p.RegistrationHandler())
	mux.Handle(p.ConfirmPath(), p.ConfirmHandler())
	mux.Handle("/launch", p.LaunchHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, _ := launch.FromContext(r.Context())
		_, hasResult := l.CustomValue("result_url")
		fmt.Fprintf(w, "launch by %s, result URL given: %v", l.User.ID, hasResult)
	})))

	// A consumer to register with.
	var lmsHandler http.Handler
	lms := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { lmsHandler.ServeHTTP(w, r) }))
	defer lms.Close()
	c, err := consumer.New(consumer.Config{BaseURL: lms.URL, Store: lmsStore, SplitSecret: true,
		Product: &lti2.ProductInstance{GUID: "lms-1", ProductInfo: &lti2.ProductInfo{ProductName: &lti2.LocalizedName{DefaultValue: "LMS"}}}})
	if err != nil {
		log.Fatal(err)
	}
	lmsHandler = c.Handler()

	// The administrator's browser posts the registration request to the
	// tool, which registers and sends the browser back.
	form, _ := c.StartRegistration(ctx, consumer.RegistrationRequest{ToolURL: tool.URL + "/register", ReturnURL: "https://lms.example.edu/done"})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.PostForm(form.Action, form.Values())
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	guid := back.Query().Get("tool_proxy_guid")
	fmt.Println(resp.StatusCode, back.Query().Get("status"), guid == form.Values().Get("reg_key"))

	// The consumer approves the tool and launches it.
	c.Approve(ctx, guid)
	lmsStore.PutContext(ctx, store.Context{ID: "course-1"})
	lmsStore.PutUser(ctx, store.User{ID: "learner-1"})
	lmsStore.PutMembership(ctx, store.Membership{ContextID: "course-1", UserID: "learner-1", Roles: []string{string(lti2.RoleMembershipLearner)}, Active: true})
	lmsStore.PutLink(ctx, store.Link{ID: "link-1", ContextID: "course-1", ToolProxyGUID: guid, ResourceType: "book", Gradable: true})
	lf, err := c.Launch(ctx, consumer.LaunchRequest{LinkID: "link-1", UserID: "learner-1"})
	if err != nil {
		log.Fatal(err)
	}
	resp, err = http.PostForm(lf.Action, lf.Values())
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var page [128]byte
	n, _ := resp.Body.Read(page[:])
	fmt.Println(string(page[:n]))
	// Output:
	// 303 success true
	// launch by learner-1, result URL given: true
}
