// Package store declares what the LTI runtime keeps between requests: tool
// proxies and their credentials, one-time registration credentials,
// contexts, tool proxy bindings and links, tool settings at their three
// scopes, results, users and memberships, and OAuth nonces.
//
// Store is the interface; the subpackages sqlite and postgres implement it
// and pass the one conformance suite in storetest. Secrets (shared secrets,
// registration passwords) are handed to a Store in plain text and are sealed
// (encrypted with AES-GCM, see package seal) before they reach the database;
// nothing else in a record is secret, and documents stored here must not
// hold secrets.
//
// Every method takes a context and is safe for concurrent use. A record that
// does not exist is reported with an error wrapping ErrNotFound.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is wrapped by the error of a lookup of a record that does not
// exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is wrapped by the error of a write that a concurrent or
// earlier write made impossible: a registration credential already used, a
// tool proxy GUID already taken, a re-registration with none pending.
var ErrConflict = errors.New("store: conflict")

// Store is everything the runtime keeps. Implementations must be safe for
// concurrent use by several goroutines and, for the shared-database
// implementations, by several processes.
type Store interface {
	ToolProxies
	Registrations
	Courses
	Settings
	Results
	Nonces
	// Close releases the store's resources.
	Close() error
}

// Status is the life-cycle state of a tool proxy on the consumer.
type Status string

const (
	// StatusPending is a registered proxy awaiting the administrator's
	// approval; it can neither launch nor call services.
	StatusPending Status = "pending"
	// StatusActive is an approved proxy.
	StatusActive Status = "active"
	// StatusDisabled is a proxy the administrator switched off.
	StatusDisabled Status = "disabled"
)

// ToolProxy is one tool's contract with the consumer, or, on the tool's
// side, the tool's registration with one consumer.
type ToolProxy struct {
	// GUID is tool_proxy_guid, the OAuth consumer key of the contract.
	GUID string
	// Version is the LTI version: "LTI-2p0", or "LTI-1p0" for an LTI 1
	// tool added by key and secret (which has no Document).
	Version string
	// Secret is the shared secret in plain text (with a split secret, the
	// composed one). It is sealed at rest.
	Secret string
	// Status is the life-cycle state.
	Status Status
	// Document is the tool proxy JSON as registered, with every secret
	// removed; for an LTI 1 tool, a JSON object with its launch_url.
	Document []byte
	// Name is a display name (the product's name), for lists.
	Name string
	// Profile is, on the tool's side, the Tool Consumer Profile JSON the
	// proxy was made against (where the consumer's services are); nil on
	// the consumer's side.
	Profile []byte
	// Pending is a re-registration awaiting confirmation, nil when none.
	Pending *Proposal
	// Created and Updated are set by the store.
	Created, Updated time.Time
}

// Proposal is a replacement tool proxy and secret that a re-registration
// proposed and that is not yet confirmed. Until Commit, the proxy's current
// Document and Secret stay in force.
type Proposal struct {
	// Document is the proposed tool proxy JSON, secrets removed.
	Document []byte
	// Secret is the proposed shared secret; sealed at rest.
	Secret string
	// ConfirmURL is the tool's VND-IMS-CONFIRM-URL.
	ConfirmURL string
	// Created is set by the store.
	Created time.Time
}

// ToolProxies keeps tool proxies.
type ToolProxies interface {
	// CreateToolProxy stores a new proxy. When regKey is not empty, the
	// registration credential of that key is consumed in the same
	// transaction, so that it serves exactly one registration: the call
	// fails with ErrConflict (and stores nothing) when the credential is
	// already used or unknown. A GUID already taken is ErrConflict too.
	CreateToolProxy(ctx context.Context, tp ToolProxy, regKey string) error
	// ToolProxy returns the proxy of guid.
	ToolProxy(ctx context.Context, guid string) (ToolProxy, error)
	// ListToolProxies returns every proxy, ordered by GUID.
	ListToolProxies(ctx context.Context) ([]ToolProxy, error)
	// SetToolProxyStatus changes the state of a proxy.
	SetToolProxyStatus(ctx context.Context, guid string, s Status) error
	// ProposeToolProxy records a re-registration's proposal, replacing
	// any earlier one that was never confirmed.
	ProposeToolProxy(ctx context.Context, guid string, p Proposal) error
	// CommitProposal makes the pending proposal whose confirm URL is
	// confirmURL the proxy's document and secret, atomically. It fails
	// with ErrConflict when none is pending or the pending one has another
	// confirm URL (a newer re-registration replaced the one confirmed).
	CommitProposal(ctx context.Context, guid, confirmURL string) error
	// DismissProposal drops the pending proposal whose confirm URL is
	// confirmURL; dismissing when none is pending is not an error, and a
	// pending proposal with another confirm URL is kept (ErrConflict).
	DismissProposal(ctx context.Context, guid, confirmURL string) error
	// DeleteToolProxy removes a proxy and everything bound to it.
	DeleteToolProxy(ctx context.Context, guid string) error
}

// Registration is a one-time credential for a tool's registration POST:
// reg_key and reg_password of a ToolProxyRegistrationRequest.
type Registration struct {
	// Key is reg_key.
	Key string
	// Password is reg_password; sealed at rest.
	Password string
	// ReturnURL is where the tool sends the administrator back.
	ReturnURL string
	// Expires is when the credential stops being accepted.
	Expires time.Time
	// Created is set by the store.
	Created time.Time
}

// Registrations keeps one-time registration credentials.
type Registrations interface {
	// CreateRegistration stores a new credential.
	CreateRegistration(ctx context.Context, r Registration) error
	// Registration returns the credential of key, used or not expired
	// yet or not; the caller checks Expires. A consumed credential is
	// ErrNotFound.
	Registration(ctx context.Context, key string) (Registration, error)
}

// Context is a learning context: a course section, a group.
type Context struct {
	// ID is context_id.
	ID string
	// Type is a context type name (CourseSection, Group, ...).
	Type string
	// Label and Title are the short and full names.
	Label, Title string
}

// Link is an LTI link: a placement of a tool's resource in a context.
type Link struct {
	// ID is resource_link_id.
	ID string
	// ContextID is the context it sits in.
	ContextID string
	// ToolProxyGUID is the tool it launches.
	ToolProxyGUID string
	// ResourceType is the tool's resource handler code (LTI 2), "" for an
	// LTI 1 tool.
	ResourceType string
	// Title is the link's title.
	Title string
	// Custom are the link's custom parameters, in the order given.
	Custom []Pair
	// Gradable says whether the link takes results.
	Gradable bool
}

// Pair is one name and value.
type Pair struct{ Name, Value string }

// User is a person the consumer knows.
type User struct {
	// ID is user_id.
	ID string
	// SourcedID is the person's SIS identifier, "" when none.
	SourcedID string
	// Name, Given and Family are the full, given and family names.
	Name, Given, Family string
	// Email is the primary e-mail address.
	Email string
}

// Membership is a user's enrolment in a context.
type Membership struct {
	// ContextID and UserID name the context and the user.
	ContextID, UserID string
	// Roles are full LIS role URIs.
	Roles []string
	// Active is false for an inactive enrolment.
	Active bool
}

// Member is a membership with its user, as a roster lists it.
type Member struct {
	Membership
	User User
}

// MemberQuery selects a page of a context's roster.
type MemberQuery struct {
	// Role keeps only members holding this full role URI; "" keeps all.
	Role string
	// After is the user ID the previous page ended with; "" starts at the
	// beginning. Pages are ordered by user ID.
	After string
	// Limit is the page size; the store caps it at 1000 and treats zero
	// or less as 100.
	Limit int
}

// Courses keeps contexts, bindings of tools to them, links, users and
// memberships.
type Courses interface {
	// PutContext creates or replaces a context.
	PutContext(ctx context.Context, c Context) error
	// Context returns a context.
	Context(ctx context.Context, id string) (Context, error)
	// ListContexts returns every context, ordered by ID.
	ListContexts(ctx context.Context) ([]Context, error)
	// Bind records that a tool proxy is deployed in a context (a
	// ToolProxyBinding); binding twice is not an error.
	Bind(ctx context.Context, guid, contextID string) error
	// Bound reports whether a tool proxy is deployed in a context.
	Bound(ctx context.Context, guid, contextID string) (bool, error)
	// PutLink creates or replaces a link; its tool is bound to its
	// context in the same transaction.
	PutLink(ctx context.Context, l Link) error
	// Link returns a link.
	Link(ctx context.Context, id string) (Link, error)
	// ListLinks returns the links of a context, ordered by ID.
	ListLinks(ctx context.Context, contextID string) ([]Link, error)
	// PutUser creates or replaces a user.
	PutUser(ctx context.Context, u User) error
	// User returns a user.
	User(ctx context.Context, id string) (User, error)
	// PutMembership creates or replaces a user's membership in a context.
	PutMembership(ctx context.Context, m Membership) error
	// Membership returns a user's membership in a context.
	Membership(ctx context.Context, contextID, userID string) (Membership, error)
	// Members returns one page of a context's roster and the user ID to
	// pass as After for the next page ("" on the last page).
	Members(ctx context.Context, contextID string, q MemberQuery) ([]Member, string, error)
}

// ScopeKind is one of the three scopes of tool settings.
type ScopeKind string

const (
	// ScopeToolProxy is system-wide settings of one tool proxy.
	ScopeToolProxy ScopeKind = "ToolProxy"
	// ScopeBinding is the settings of one tool proxy in one context.
	ScopeBinding ScopeKind = "ToolProxyBinding"
	// ScopeLink is the settings of one link.
	ScopeLink ScopeKind = "LtiLink"
)

// Scope addresses one settings container.
type Scope struct {
	// Kind is the scope.
	Kind ScopeKind
	// ToolProxyGUID is the owner of the settings (every scope has one).
	ToolProxyGUID string
	// ContextID is set for ScopeBinding.
	ContextID string
	// LinkID is set for ScopeLink.
	LinkID string
}

// Settings keeps tool settings.
type Settings interface {
	// ToolSettings returns the settings of a container, ordered by name;
	// an empty (not nil) slice when none are stored.
	ToolSettings(ctx context.Context, s Scope) ([]Pair, error)
	// PutToolSettings replaces every setting of a container, atomically:
	// a concurrent reader sees the old set or the new one, never a mix.
	PutToolSettings(ctx context.Context, s Scope, settings []Pair) error
}

// Result is one user's outcome in one gradable link, shared by the LTI 1.1
// basic outcomes service and the LTI 2 Result service.
type Result struct {
	// SourcedID is lis_result_sourcedid.
	SourcedID string
	// LinkID and UserID name the link and the user.
	LinkID, UserID string
	// Score is in [0, 1]; nil when no score is recorded.
	Score *float64
	// Language is the score's language (LTI 1.1), "" when not given.
	Language string
	// Comment is the grader's comment (LTI 2).
	Comment string
	// Updated is set by the store.
	Updated time.Time
}

// Results keeps results.
type Results interface {
	// PutResult creates or replaces a result.
	PutResult(ctx context.Context, r Result) error
	// Result returns a result.
	Result(ctx context.Context, sourcedID string) (Result, error)
	// DeleteResult removes a result; removing one that does not exist is
	// not an error.
	DeleteResult(ctx context.Context, sourcedID string) error
	// ListResults returns the results of a link, ordered by user ID.
	ListResults(ctx context.Context, linkID string) ([]Result, error)
}

// Nonces records OAuth nonces. Its Seen method has the meaning of
// oauth1.NonceStore: it records the nonce of a consumer key, sent with
// timestamp ts, and reports whether it was already recorded (a replay). The
// check and the record are one atomic step within a process; across
// processes sharing a database, PostgreSQL keeps that atomicity, while
// SQLite (a store for one process) shares a nonce with another process once
// it has written it, within 50 ms. Nonces older than the store's retention
// are forgotten.
type Nonces interface {
	Seen(ctx context.Context, consumerKey, nonce string, ts time.Time) (bool, error)
}
