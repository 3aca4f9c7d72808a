package etextbook

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/ltiforge/ltiforge/runtime/provider"
)

// CookieName is the name of the session cookie.
const CookieName = "etextbook_session"

// maxFormBytes bounds the body of the application's own POST forms.
const maxFormBytes = 64 << 10

// Options configure the e-textbook.
type Options struct {
	// BaseURL is the tool's public URL: absolute http or https, with no
	// path, query or fragment, such as "http://127.0.0.1:8090". The
	// registration URL is BaseURL + "/lti/register". Required.
	BaseURL string
	// Store keeps the tool's registrations with consumers and the OAuth
	// nonces (any store.Store). Required. The App does not close it.
	Store provider.Store
	// Logger receives the application's log (registrations, launches,
	// adoptions, grades sent); nil discards it. Secrets are never logged.
	Logger *slog.Logger
	// HTTPClient fetches consumer profiles and calls the consumer's
	// services; nil means the provider's default client.
	HTTPClient *http.Client
	// TrustedProxies are reverse proxies whose forwarding headers say
	// which URL a consumer signed.
	TrustedProxies []netip.Prefix
	// SessionTTL is how long a launch's session lasts; zero means
	// DefaultSessionTTL.
	SessionTTL time.Duration
	// MaxSessions bounds the sessions held in memory; zero means
	// DefaultMaxSessions.
	MaxSessions int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// App is the e-textbook: the provider's LTI handlers and the
// application's pages, over one store. Its methods are safe for
// concurrent use.
type App struct {
	base     string
	secure   bool
	provider *provider.Provider
	log      *slog.Logger
	sessions *sessionStore
	ttl      time.Duration

	books   []Book
	quiz    []Question
	answers map[string]string

	pages   map[string]*template.Template
	handler http.Handler
}

// New checks opts and returns the e-textbook.
func New(ctx context.Context, opts Options) (*App, error) {
	base, err := checkBaseURL(opts.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("etextbook: Options.BaseURL: %w", err)
	}
	if opts.Store == nil {
		return nil, errors.New("etextbook: Options.Store is nil")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	ttl := opts.SessionTTL
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	maxSessions := opts.MaxSessions
	if maxSessions <= 0 {
		maxSessions = DefaultMaxSessions
	}
	p, err := provider.New(provider.Config{
		BaseURL:        base,
		ConfirmPath:    ConfirmPath,
		Store:          opts.Store,
		Tool:           Declaration(base),
		HTTPClient:     opts.HTTPClient,
		SplitSecret:    true,
		TrustedProxies: opts.TrustedProxies,
		Now:            now,
		Logger:         logger,
	})
	if err != nil {
		return nil, fmt.Errorf("etextbook: %w", err)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("etextbook: %w", err)
	}
	a := &App{
		base:     base,
		secure:   strings.HasPrefix(base, "https://"),
		provider: p,
		log:      logger,
		sessions: newSessionStore(ttl, maxSessions, now),
		ttl:      ttl,
		books:    catalog(),
		quiz:     weeklyQuiz(),
		answers:  quizAnswers(),
		pages:    pages,
	}
	a.handler = a.routes()
	logger.DebugContext(ctx, "etextbook ready", "base_url", base, "registration_url", a.RegistrationURL())
	return a, nil
}

// Handler returns the e-textbook's HTTP handler, to be served at the root
// of BaseURL.
func (a *App) Handler() http.Handler { return a.handler }

// RegistrationURL is the URL an LMS administrator gives the LMS to
// register the tool.
func (a *App) RegistrationURL() string { return a.base + RegisterPath }

// Provider returns the LTI provider under the application, for callers
// (tests, operators' tools) that need its service clients directly.
func (a *App) Provider() *provider.Provider { return a.provider }

// Close forgets every session. It does not close Options.Store.
func (a *App) Close() error {
	a.sessions.clear()
	return nil
}

// routes returns the application's handler.
func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.landing)
	mux.Handle(RegisterPath, a.logRegistration(a.provider.RegistrationHandler()))
	mux.Handle(a.provider.ConfirmPath(), a.provider.ConfirmHandler())
	for _, r := range resources() {
		mux.Handle(LaunchPathPrefix+r.code, a.provider.LaunchHandler(a.launched(r.code)))
	}
	mux.Handle("GET /book", a.withSession(a.bookPage))
	mux.Handle("GET /quiz", a.withSession(a.quizPage))
	mux.Handle("POST /quiz", a.withSession(a.quizSubmit))
	mux.Handle("GET /adopt", a.withSession(a.instructorOnly(a.adoptPage)))
	mux.Handle("POST /adopt", a.withSession(a.instructorOnly(a.adoptSubmit)))
	mux.Handle("GET /census", a.withSession(a.instructorOnly(a.censusPage)))
	mux.HandleFunc("/", a.notFound)
	// Browsers ask for an icon on their own; there is none.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return securityHeaders(mux)
}

// securityHeaders sets the headers every answer carries. The pages have
// no script and post their forms to the tool only; they may be framed by
// an LMS.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// logRegistration logs the outcome of each registration message, as the
// redirect back to the consumer tells it: the tool_proxy_guid and notes on
// success, the reason on failure. Nothing in that redirect is secret.
func (a *App) logRegistration(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		ctx := r.Context()
		loc := w.Header().Get("Location")
		if loc == "" {
			a.log.WarnContext(ctx, "registration message refused", "remote", r.RemoteAddr)
			return
		}
		u, err := url.Parse(loc)
		if err != nil {
			return
		}
		q := u.Query()
		if q.Get("status") == "success" {
			a.log.InfoContext(ctx, "registered with an LMS", "tool_proxy_guid", q.Get("tool_proxy_guid"), "lms", u.Host, "note", q.Get("lti_msg"))
			return
		}
		a.log.WarnContext(ctx, "registration failed", "lms", u.Host, "reason", q.Get("lti_errormsg"))
	})
}

// checkBaseURL returns the base URL without a trailing "/".
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q does not parse: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", raw)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q has a path, query, fragment or user: the e-textbook is served at the root of its host", raw)
	}
	return strings.TrimSuffix(raw, "/"), nil
}
