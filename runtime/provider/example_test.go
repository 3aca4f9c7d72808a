package provider_test

import (
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"

	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/provider"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// Example shows how a tool wires the provider: it loads its declaration,
// makes a Provider over its store, and mounts the registration, confirm and
// launch handlers. The launch handler finds the verified launch and the
// registration in the request's context, and calls the consumer's services
// with the URLs the launch carried.
func Example() {
	var st store.Store // the tool's store, such as runtime/store/sqlite

	decl, err := provider.LoadDeclaration("tool.json")
	if err != nil {
		log.Fatal(err)
	}
	p, err := provider.New(provider.Config{
		BaseURL:     "https://tool.example.com",
		Store:       st,
		Tool:        *decl,
		SplitSecret: true,
		Logger:      slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	// The registration URL given to consumers, and the path of the tool
	// profile's ToolProxyReregistrationRequest handler.
	mux.Handle("/lti2/register", p.RegistrationHandler())
	mux.Handle(p.ConfirmPath(), p.ConfirmHandler())
	mux.Handle("/launch", p.LaunchHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, _ := launch.FromContext(r.Context())
		guid, _ := provider.RegistrationFromContext(r.Context())
		svc, err := p.Services(r.Context(), guid)
		if err != nil {
			http.Error(w, "services unavailable", http.StatusInternalServerError)
			return
		}
		if u, ok := l.CustomValue("link_setting_url"); ok {
			settings, err := svc.SettingsAt(r.Context(), u)
			if err == nil {
				fmt.Fprintf(w, "%d link settings\n", len(settings))
			}
		}
		fmt.Fprintf(w, "Hello, %s\n", l.User.ID)
	})))
	log.Fatal(http.ListenAndServe(":8080", mux))
}
