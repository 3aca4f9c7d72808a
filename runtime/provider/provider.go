package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// Defaults of a Config.
const (
	// DefaultConfirmPath is where ConfirmHandler is mounted when
	// Config.ConfirmPath is empty.
	DefaultConfirmPath = "/lti2/confirm/"
	// DefaultTimeout is the timeout of the HTTP client made when
	// Config.HTTPClient is nil.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxProfileBytes bounds a consumer's profile.
	DefaultMaxProfileBytes = 1 << 20
	// DefaultMaxPages bounds the pages Services.Members reads.
	DefaultMaxPages = 100
)

// Limits on what the handlers read.
const (
	// maxFormBytes bounds the body of a registration message.
	maxFormBytes = 256 << 10
	// maxIDBytes bounds the consumer's answer to a tool proxy POST.
	maxIDBytes = 64 << 10
	// maxConfirmBytes bounds the body of a confirm PUT or DELETE.
	maxConfirmBytes = 64 << 10
	// maxGUID is the longest tool_proxy_guid accepted, in bytes.
	maxGUID = 256
	// maxHalf is the longest tc_half_shared_secret accepted.
	maxHalf = 1024
)

// Store is what a Provider keeps: its registrations with consumers (one
// store.ToolProxy each, holding the consumer's profile and the current
// secret, with a pending re-registration as its Proposal) and the nonces
// of the requests it verified. Every store.Store is one.
type Store interface {
	store.ToolProxies
	store.Nonces
}

// Config configures a Provider.
type Config struct {
	// BaseURL is the tool's public base URL (absolute http or https, no
	// query). Confirm URLs are made from it. Required.
	BaseURL string
	// ConfirmPath is the path, below BaseURL's, at which ConfirmHandler is
	// mounted, with a trailing "/"; empty means DefaultConfirmPath. Confirm
	// URLs are BaseURL + ConfirmPath + {tool_proxy_guid}/{token}.
	ConfirmPath string
	// Store keeps registrations and nonces. Required.
	Store Store
	// Tool is what the tool is and needs. Required.
	Tool Declaration
	// HTTPClient fetches profiles, posts tool proxies and calls services;
	// nil means a client with DefaultTimeout. Registration requests are
	// unsigned, so any sender can make the tool fetch a URL: give the
	// client a dialer that refuses internal addresses where that matters.
	HTTPClient *http.Client
	// SplitSecret uses the split secret (LTI2-FACTS §5.3) with consumers
	// that offer OAuth.splitSecret or Security.splitSecret.
	SplitSecret bool
	// Window is how far a message's oauth_timestamp may be from Now;
	// zero means oauth1.DefaultWindow. Nonces are kept by Store.
	Window time.Duration
	// TrustedProxies are the reverse proxies whose forwarding headers say
	// which URL a consumer signed (oauth1.Verifier.TrustedProxies).
	TrustedProxies []netip.Prefix
	// MaxProfileBytes bounds a consumer's profile; zero means
	// DefaultMaxProfileBytes.
	MaxProfileBytes int64
	// MaxPages bounds the pages Services.Members reads; zero means
	// DefaultMaxPages.
	MaxPages int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives what happens (registrations, refusals and why);
	// nil discards it. Secrets are never logged.
	Logger *slog.Logger
}

// Provider is the Tool Provider side of LTI 2.0 for one tool. Its methods
// are safe for concurrent use.
type Provider struct {
	baseURL     string
	confirmPath string
	store       Store
	decl        Declaration
	hc          *http.Client
	split       bool
	maxProfile  int64
	maxPages    int
	now         func() time.Time
	log         *slog.Logger
	verifier    *oauth1.Verifier
	launcher    *launch.Provider
}

// New checks cfg and returns a Provider. The declaration must hold a tool
// profile that makes a valid tool proxy.
func New(cfg Config) (*Provider, error) {
	base, err := checkBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("provider: Config.BaseURL: %w", err)
	}
	if cfg.Store == nil {
		return nil, errors.New("provider: Config.Store is nil")
	}
	if err := cfg.Tool.check(); err != nil {
		return nil, fmt.Errorf("provider: Config.Tool: %w", err)
	}
	if err := checkProfile(&cfg.Tool); err != nil {
		return nil, fmt.Errorf("provider: Config.Tool: %w", err)
	}
	confirm := cfg.ConfirmPath
	if confirm == "" {
		confirm = DefaultConfirmPath
	}
	if !strings.HasPrefix(confirm, "/") || strings.ContainsAny(confirm, "?#") {
		return nil, fmt.Errorf("provider: Config.ConfirmPath %q is not a path", confirm)
	}
	if !strings.HasSuffix(confirm, "/") {
		confirm += "/"
	}
	p := &Provider{
		baseURL:     base,
		confirmPath: confirm,
		store:       cfg.Store,
		decl:        cfg.Tool,
		hc:          cfg.HTTPClient,
		split:       cfg.SplitSecret,
		maxProfile:  cfg.MaxProfileBytes,
		maxPages:    cfg.MaxPages,
		now:         cfg.Now,
		log:         cfg.Logger,
	}
	if p.hc == nil {
		p.hc = &http.Client{Timeout: DefaultTimeout}
	}
	if p.maxProfile <= 0 {
		p.maxProfile = DefaultMaxProfileBytes
	}
	if p.maxPages <= 0 {
		p.maxPages = DefaultMaxPages
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	p.verifier = &oauth1.Verifier{
		Secrets:        secretStore{p.store},
		Nonces:         p.store,
		Window:         cfg.Window,
		TrustedProxies: cfg.TrustedProxies,
		Now:            p.now,
	}
	p.launcher = &launch.Provider{Verifier: p.verifier}
	return p, nil
}

// ConfirmPath returns the path at which ConfirmHandler must be mounted
// (with a trailing "/", for http.ServeMux).
func (p *Provider) ConfirmPath() string { return p.confirmPath }

// checkBaseURL returns the base URL without a trailing "/".
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q has a query, fragment or user", raw)
	}
	return strings.TrimSuffix(raw, "/"), nil
}

// checkProfile checks that the declared tool profile, with every wish
// granted, makes a valid tool proxy.
func checkProfile(d *Declaration) error {
	tp := *d.Profile
	if tp.LTIVersion == "" {
		tp.LTIVersion = ltiVersion2
	}
	proxy := &lti2.ToolProxy{
		Context:             ld.ContextOf(lti2.ContextToolProxy),
		Type:                ld.Types{"ToolProxy"},
		LTIVersion:          ltiVersion2,
		ToolProxyGUID:       "placeholder",
		ToolConsumerProfile: "https://consumer.invalid/profile",
		ToolProfile:         &tp,
		SecurityContract:    &lti2.SecurityContract{SharedSecret: "placeholder"},
	}
	if err := proxy.Validate(); err != nil {
		return fmt.Errorf("the tool profile makes an invalid tool proxy: %w", err)
	}
	return nil
}

// secretStore finds the current secret of an active registration; the
// secret of a pending re-registration is not one.
type secretStore struct{ s Store }

// Secret returns the current secret of the registration guid.
func (s secretStore) Secret(ctx context.Context, guid string) (string, error) {
	tp, err := s.s.ToolProxy(ctx, guid)
	if errors.Is(err, store.ErrNotFound) {
		return "", oauth1.ErrUnknownKey
	}
	if err != nil {
		return "", fmt.Errorf("provider: reading registration: %w", err)
	}
	if tp.Status != store.StatusActive || tp.Secret == "" {
		return "", oauth1.ErrUnknownKey
	}
	return tp.Secret, nil
}

// signer returns an httpapi.Signer that signs with creds and a body hash.
func (p *Provider) signer(creds oauth1.Credentials) httpapi.Signer {
	return func(r *http.Request, body []byte) error {
		return oauth1.SignRequest(r, body, creds, oauth1.SignOptions{Now: p.now})
	}
}

// randomHex returns n random bytes in lower-case hexadecimal.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// validGUID reports whether a tool_proxy_guid is usable as a key and in a
// URL path: printable, no white space, not too long.
func validGUID(s string) bool {
	if s == "" || len(s) > maxGUID || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// validHalf reports whether a tc_half_shared_secret is lower-case hex of a
// sane length (LTI2-FACTS §5.3: emit 128, accept any lower-case hex).
func validHalf(s string) bool {
	if s == "" || len(s) > maxHalf {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// redactURL returns a URL without its query, user and fragment, for logs
// (a tc_profile_url may carry a one-time token).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// failure is why a registration failed, in words for the consumer's
// administrator (lti_errormsg), with the cause for the log. Neither holds
// a secret.
type failure struct {
	msg string
	err error
}

// failf returns a failure with a formatted message and a cause (may be nil).
func failf(cause error, format string, args ...any) *failure {
	return &failure{msg: fmt.Sprintf(format, args...), err: cause}
}

// Error returns the message and the cause.
func (f *failure) Error() string {
	if f.err != nil {
		return strings.TrimSuffix(f.msg, ".") + ": " + f.err.Error()
	}
	return f.msg
}

// Unwrap returns the cause.
func (f *failure) Unwrap() error { return f.err }
