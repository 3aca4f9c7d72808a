package lms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// DemoCourseID is the context the demo seed creates.
const DemoCourseID = "bio-101"

// consumerPath is the path below the base URL at which the LTI consumer
// (runtime/consumer) is served, behind http.StripPrefix; its
// Config.BaseURL is the base URL followed by it.
const consumerPath = "/lti"

// Options configure an App.
type Options struct {
	// BaseURL is the public URL of the LMS, such as
	// "http://127.0.0.1:8080", with no path: the LMS serves its pages at
	// the root and the LTI consumer's endpoints below /lti/. Required.
	BaseURL string
	// Store keeps everything; it is required and stays the caller's to
	// close.
	Store store.Store
	// Logger receives registrations, approvals, launches and failures;
	// nil discards. Secrets are never logged.
	Logger *slog.Logger
	// Admins are the user IDs of the system administrators; nil means
	// the demo's "admin".
	Admins []string
	// SessionTTL is how long an idle session lives; zero means
	// DefaultSessionTTL.
	SessionTTL time.Duration
	// MaxSessions bounds the sessions kept in memory; zero means
	// DefaultMaxSessions.
	MaxSessions int
	// HTTPClient sends the consumer's re-registration confirmations; nil
	// means the consumer's default client.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// App is the reference LMS: a Tool Consumer with a course, its members,
// links to tools, a gradebook, tool settings and a roster, and an
// administrator's page to register and approve tools.
type App struct {
	base     string
	secure   bool
	store    store.Store
	consumer *consumer.Consumer
	log      *slog.Logger
	admins   []string
	sessions *sessions
	pages    *pages
	handler  http.Handler
}

// New checks opts, seeds the demo course when the store holds no context
// yet, and returns the App.
func New(ctx context.Context, opts Options) (*App, error) {
	if opts.Store == nil {
		return nil, errors.New("lms: Options.Store is required")
	}
	base := strings.TrimRight(opts.BaseURL, "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("lms: Options.BaseURL %q is not an absolute http(s) URL", opts.BaseURL)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("lms: Options.BaseURL %q must have no path, query or fragment", opts.BaseURL)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
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
	admins := opts.Admins
	if admins == nil {
		admins = []string{"admin"}
	}
	c, err := consumer.New(consumer.Config{
		BaseURL:     base + consumerPath,
		Store:       opts.Store,
		Product:     product(),
		SplitSecret: true,
		HTTPClient:  opts.HTTPClient,
		Now:         now,
		Logger:      log,
	})
	if err != nil {
		return nil, fmt.Errorf("lms: consumer: %w", err)
	}
	p, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("lms: templates: %w", err)
	}
	a := &App{
		base:     base,
		secure:   u.Scheme == "https",
		store:    opts.Store,
		consumer: c,
		log:      log,
		admins:   slices.Clone(admins),
		sessions: newSessions(ttl, maxSessions, now),
		pages:    p,
	}
	if err := seed(ctx, opts.Store, log); err != nil {
		return nil, err
	}
	a.handler = a.routes()
	return a, nil
}

// Handler serves the LMS pages and the LTI consumer's endpoints.
func (a *App) Handler() http.Handler { return a.handler }

// Consumer returns the LTI consumer the App is built on.
func (a *App) Consumer() *consumer.Consumer { return a.consumer }

// Close forgets every session. The store stays open: it is the caller's.
func (a *App) Close() error {
	a.sessions.clear()
	return nil
}

// product describes the LMS in its Tool Consumer Profile.
func product() *lti2.ProductInstance {
	return &lti2.ProductInstance{
		GUID: "ltiforge-reference-lms",
		ProductInfo: &lti2.ProductInfo{
			ProductName:    &lti2.LocalizedName{DefaultValue: "ltiforge reference LMS"},
			ProductVersion: "1.0",
			ProductFamily: &lti2.ProductFamily{
				Code: "lticonsumer",
				Vendor: &lti2.Vendor{
					Code:       "ltiforge.example.org",
					VendorName: &lti2.LocalizedName{DefaultValue: "ltiforge"},
				},
			},
		},
	}
}

// routes builds the handler of every page.
func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(consumerPath+"/", http.StripPrefix(consumerPath, a.consumer.Handler()))
	mux.HandleFunc("/", a.notFound)
	// Browsers ask for an icon on their own; there is none.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	mux.HandleFunc("GET /{$}", a.signinPage)
	mux.HandleFunc("POST /signin", a.signin)
	mux.HandleFunc("POST /signout", a.signout)

	mux.HandleFunc("GET /admin/tools", a.admin(a.toolsPage))
	mux.HandleFunc("POST /admin/tools/register", a.adminPost(a.register))
	mux.HandleFunc("GET /admin/tools/registered", a.admin(a.registered))
	mux.HandleFunc("POST /admin/tools/lti1", a.adminPost(a.addLTI1))
	mux.HandleFunc("POST /admin/tools/{guid}/{action}", a.adminPost(a.toolAction))

	mux.HandleFunc("GET /courses/{course}", a.course(accessMember, a.coursePage))
	mux.HandleFunc("POST /courses/{course}/links", a.course(accessInstructor, a.addLink))
	mux.HandleFunc("GET /courses/{course}/links/{link}/launch", a.course(accessEnrolled, a.launch))
	mux.HandleFunc("GET /courses/{course}/gradebook", a.course(accessStaff, a.gradebookPage))
	mux.HandleFunc("GET /courses/{course}/settings", a.course(accessStaff, a.settingsPage))
	mux.HandleFunc("GET /courses/{course}/roster", a.course(accessStaff, a.rosterPage))
	return mux
}

// notFound answers a request for no page.
func (a *App) notFound(w http.ResponseWriter, r *http.Request) {
	s, _ := a.current(r)
	a.errorPage(w, r, s, http.StatusNotFound, "Page not found", "There is no page at this address.")
}

// seed stores the demo course, its members and the administrator when the
// store holds no context yet.
func seed(ctx context.Context, st store.Store, log *slog.Logger) error {
	existing, err := st.ListContexts(ctx)
	if err != nil {
		return fmt.Errorf("lms: seed: list contexts: %w", err)
	}
	if len(existing) > 0 {
		return nil
	}
	if err := st.PutContext(ctx, store.Context{ID: DemoCourseID, Type: "CourseSection", Label: "BIO101", Title: "Biology 101"}); err != nil {
		return fmt.Errorf("lms: seed: course: %w", err)
	}
	type person struct {
		user store.User
		role lti2.Role
	}
	people := []person{
		{store.User{ID: "admin", Name: "Ada Admin", Given: "Ada", Family: "Admin", Email: "ada.admin@example.edu"}, ""},
		{store.User{ID: "teacher", Name: "Tess Teacher", Given: "Tess", Family: "Teacher", Email: "tess.teacher@example.edu"}, lti2.RoleMembershipInstructor},
		{store.User{ID: "student1", Name: "Sam Student", Given: "Sam", Family: "Student", Email: "sam.student@example.edu"}, lti2.RoleMembershipLearner},
		{store.User{ID: "student2", Name: "Sky Student", Given: "Sky", Family: "Student", Email: "sky.student@example.edu"}, lti2.RoleMembershipLearner},
		{store.User{ID: "student3", Name: "Sol Student", Given: "Sol", Family: "Student", Email: "sol.student@example.edu"}, lti2.RoleMembershipLearner},
	}
	for _, p := range people {
		if err := st.PutUser(ctx, p.user); err != nil {
			return fmt.Errorf("lms: seed: user %s: %w", p.user.ID, err)
		}
		if p.role == "" {
			continue
		}
		m := store.Membership{ContextID: DemoCourseID, UserID: p.user.ID, Roles: []string{string(p.role)}, Active: true}
		if err := st.PutMembership(ctx, m); err != nil {
			return fmt.Errorf("lms: seed: membership of %s: %w", p.user.ID, err)
		}
	}
	log.InfoContext(ctx, "lms: demo course seeded", "context", DemoCourseID, "users", len(people))
	return nil
}
