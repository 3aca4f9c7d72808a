// Package oauth1 signs and verifies requests with OAuth 1.0a (RFC 5849) as
// LTI 1.x and 2.0 use it: two-legged (no token), HMAC-SHA1 or HMAC-SHA256,
// the oauth_* parameters carried as form fields (launches) or in an
// "Authorization: OAuth" header (services), and the OAuth Request Body
// Hash extension (oauth_body_hash) for bodies that are not forms.
//
// Signing: [SignForm] for a form POST (a launch), [SignRequest] for a
// request with an XML or JSON body (services, POX outcomes).
//
// Verifying: a [Verifier] collects the parameters of a request from the
// Authorization header, the query and a form body (duplicate keys kept, in
// order), rebuilds the URL the consumer signed (from trusted reverse
// proxies' Forwarded or X-Forwarded-* headers only), checks the timestamp
// window, the body hash, the signature (in constant time) and the nonce,
// and reports a failure as an [*Error] whose [Cause] says which check
// failed. Error values never hold a secret; the base string they carry is
// for the operator's logs, not for the client.
//
// The package keeps no global state: clocks, nonce generators and stores
// are fields of the values that use them.
package oauth1

import (
	"errors"
	"time"
)

// SignatureMethod is the value of oauth_signature_method.
type SignatureMethod string

// The signature methods RFC 5849 and LTI name. Only the HMAC methods are
// accepted by default; PLAINTEXT is accepted when a [Verifier] lists it, and
// RSA-SHA1 is never accepted (this package keeps no consumer public keys).
const (
	HMACSHA1   SignatureMethod = "HMAC-SHA1"
	HMACSHA256 SignatureMethod = "HMAC-SHA256"
	PlainText  SignatureMethod = "PLAINTEXT"
	RSASHA1    SignatureMethod = "RSA-SHA1"
)

// Param is one request parameter, decoded. Parameter lists keep their
// order, and a key may appear more than once.
type Param struct{ Key, Value string }

// Credentials are a consumer key and its shared secret. With LTI 2.0's
// split secret (OAuth.splitSecret), Secret is [SplitSecret] of the two
// halves.
type Credentials struct{ Key, Secret string }

// SplitSecret composes the shared secret of LTI 2.0's split-secret
// capability: the Tool Consumer's half followed by the Tool Provider's
// half, concatenated.
func SplitSecret(tcHalf, tpHalf string) string { return tcHalf + tpHalf }

// SignOptions tune signing. The zero value signs with HMAC-SHA1, the
// current time and a random nonce, without oauth_callback.
type SignOptions struct {
	// Method is the signature method; empty means HMAC-SHA1.
	Method SignatureMethod
	// Now gives oauth_timestamp; nil means time.Now.
	Now func() time.Time
	// Nonce gives oauth_nonce; nil means 48 random hexadecimal digits.
	Nonce func() string
	// Callback is oauth_callback (LTI launches traditionally send
	// "about:blank"); empty means the parameter is not sent.
	Callback string
}

// Cause says which check a request failed.
type Cause string

// The causes of an [*Error].
const (
	CauseUnknownKey        Cause = "unknown key"
	CauseBadSignature      Cause = "bad signature"
	CauseExpiredTimestamp  Cause = "expired timestamp"
	CauseReplayedNonce     Cause = "replayed nonce"
	CauseBodyHashMismatch  Cause = "body hash mismatch"
	CauseUnsupportedMethod Cause = "unsupported method"
	CauseMissingParameter  Cause = "missing parameter"
	CauseMalformed         Cause = "malformed"
)

// Error is a request that failed verification. Its Error text names the
// cause and a detail safe to show the client; it never includes a secret,
// the expected signature or the base string.
type Error struct {
	// Cause is which check failed.
	Cause Cause
	// Detail says more (a parameter's name, the allowed window, ...).
	Detail string
	// BaseString is the signature base string computed for the request,
	// when parameters could be collected; for the operator's logs only
	// (comparing it with the consumer's base string finds most interop
	// bugs). Do not send it to the client.
	BaseString string
}

// Error returns "oauth1: CAUSE: DETAIL".
func (e *Error) Error() string {
	if e.Detail == "" {
		return "oauth1: " + string(e.Cause)
	}
	return "oauth1: " + string(e.Cause) + ": " + e.Detail
}

// CauseOf returns the cause of err when it is (or wraps) an [*Error], and ""
// otherwise (a store's failure, for example).
func CauseOf(err error) Cause {
	var e *Error
	if errors.As(err, &e) {
		return e.Cause
	}
	return ""
}

func newError(c Cause, detail string) *Error { return &Error{Cause: c, Detail: detail} }
