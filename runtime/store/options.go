package store

import (
	"log/slog"
	"time"
)

// DefaultNonceRetention is how long a store remembers an OAuth nonce when
// Options.NonceRetention is zero: at least the OAuth verifier's timestamp
// window, so that a nonce is remembered for as long as its request could
// be accepted.
const DefaultNonceRetention = 20 * time.Minute

// MaxMemberLimit caps MemberQuery.Limit; DefaultMemberLimit replaces a
// limit of zero or less.
const (
	MaxMemberLimit     = 1000
	DefaultMemberLimit = 100
)

// Sealer seals secrets before they reach the database and opens them when
// they are read back. context binds a sealed value to its record (for
// example "toolproxy:"+guid): a value sealed for one context does not open
// for another. *seal.Sealer implements it.
type Sealer interface {
	// Seal encrypts plaintext for context.
	Seal(plaintext, context string) (string, error)
	// Open decrypts a value Seal made for the same context.
	Open(sealed, context string) (string, error)
}

// Options configure the opening of a Store implementation (sqlite.Open,
// postgres.Open, backend.Open).
type Options struct {
	// Sealer seals secrets at rest; it is required.
	Sealer Sealer
	// NonceRetention is how long a nonce is remembered after the later of
	// its timestamp and the time it was first seen; zero or less means
	// DefaultNonceRetention. Expired nonces are purged in the background
	// until the store is closed.
	NonceRetention time.Duration
	// Logger receives the store's rare operational messages (migrations
	// applied, purge failures); nil discards them. Nothing secret is
	// logged.
	Logger *slog.Logger
}
