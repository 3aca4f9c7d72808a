package provider

import (
	"context"
	"net/http"

	"github.com/ltiforge/ltiforge/runtime/launch"
)

// guidKey is the context key of a launch's registration.
type guidKey struct{}

// LaunchHandler returns a handler that verifies each request as a
// basic-lti-launch-request signed with a registration's tool_proxy_guid
// (the consumer key) and its current secret; the secret of a re-registration
// not yet confirmed is not accepted. A launch that verifies goes to next
// with the *launch.Launch in its context (launch.FromContext) and the
// registration's GUID too (RegistrationFromContext); a refused one is
// answered by launch.WriteError (back to the consumer's return URL when the
// launch verified far enough to trust it, else a plain error).
func (p *Provider) LaunchHandler(next http.Handler) http.Handler {
	return p.launcher.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, ok := launch.FromContext(r.Context())
		if !ok {
			http.Error(w, "launch: internal error", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), guidKey{}, l.ConsumerKey)))
	}))
}

// RegistrationFromContext returns the tool_proxy_guid of the registration
// a launch verified with, as LaunchHandler puts it into the request's
// context; Services takes it.
func RegistrationFromContext(ctx context.Context) (guid string, ok bool) {
	guid, ok = ctx.Value(guidKey{}).(string)
	return guid, ok && guid != ""
}
