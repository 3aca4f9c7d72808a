package oauth1

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrUnknownKey is what a [SecretStore] returns (or wraps) for a consumer
// key it does not know.
var ErrUnknownKey = errors.New("oauth1: unknown consumer key")

// SecretStore finds the shared secret of a consumer key. Secret returns an
// error wrapping [ErrUnknownKey] when the key is unknown; any other error
// is a failure of the store, which [Verifier.Verify] returns as it is (not
// as an [*Error]), so the caller can answer 500 rather than 401.
type SecretStore interface {
	Secret(ctx context.Context, consumerKey string) (string, error)
}

// SecretMap is a [SecretStore] over a fixed map of consumer keys to
// secrets.
type SecretMap map[string]string

// Secret returns the secret of consumerKey, or [ErrUnknownKey].
func (m SecretMap) Secret(_ context.Context, consumerKey string) (string, error) {
	s, ok := m[consumerKey]
	if !ok {
		return "", ErrUnknownKey
	}
	return s, nil
}

// NonceStore remembers the nonces of accepted requests. Seen records the
// nonce of consumerKey, sent with timestamp ts, and reports whether it had
// been recorded before (true = replay). An error is a failure of the store,
// returned by [Verifier.Verify] as it is.
type NonceStore interface {
	Seen(ctx context.Context, consumerKey, nonce string, ts time.Time) (bool, error)
}

// Defaults of a [Verifier].
const (
	// DefaultWindow is how far oauth_timestamp may be from the clock,
	// either way.
	DefaultWindow = 5 * time.Minute
	// MaxNonce is the longest oauth_nonce accepted, in bytes.
	MaxNonce = 256
)

// Verifier verifies OAuth 1.0a signed requests. Its zero value is not
// usable: Secrets is required. A Verifier is safe for concurrent use when
// its stores are.
type Verifier struct {
	// Secrets finds the consumer's shared secret. Required.
	Secrets SecretStore
	// Nonces records nonces; nil skips the replay check (use that only
	// for offline diagnosis, as ltigen oauth verify does).
	Nonces NonceStore
	// Window is how far oauth_timestamp may be from Now, each way; zero
	// means [DefaultWindow]. Keep the nonce store's TTL at least as long.
	Window time.Duration
	// Methods are the accepted signature methods; nil means HMAC-SHA1
	// and HMAC-SHA256. PLAINTEXT is accepted only when listed; RSA-SHA1
	// never is.
	Methods []SignatureMethod
	// TrustedProxies are the networks of reverse proxies whose
	// Forwarded (RFC 7239) or X-Forwarded-Proto/Host/Port headers say
	// which URL the client used. Those headers are read only when the
	// request's immediate peer (r.RemoteAddr) is inside one of them;
	// from anyone else they are ignored.
	TrustedProxies []netip.Prefix
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBody is the largest body accepted, in bytes; zero means
	// [DefaultMaxBody].
	MaxBody int64
}

// Result is a verified request.
type Result struct {
	// ConsumerKey is oauth_consumer_key.
	ConsumerKey string
	// Params are every parameter of the request (header, query, form
	// body, in that order) except oauth_signature, decoded.
	Params []Param
	// BaseString is the signature base string that was verified.
	BaseString string
	// URL is the normalised base URL used in the base string.
	URL string
	// Method is the signature method used.
	Method SignatureMethod
	// Timestamp is oauth_timestamp.
	Timestamp time.Time
	// Nonce is oauth_nonce.
	Nonce string
}

// Get returns the first value of key in the result's parameters, or "".
func (r *Result) Get(key string) string {
	for _, p := range r.Params {
		if p.Key == key {
			return p.Value
		}
	}
	return ""
}

// Values returns every value of key, in order.
func (r *Result) Values(key string) []string {
	var vs []string
	for _, p := range r.Params {
		if p.Key == key {
			vs = append(vs, p.Value)
		}
	}
	return vs
}

// protocol holds the oauth_* parameters of a request.
type protocol struct {
	consumerKey, nonce, signature, method, timestamp, version, token, bodyHash string
	has                                                                        uint16
}

const (
	hasKey = 1 << iota
	hasNonce
	hasSignature
	hasMethod
	hasTimestamp
	hasVersion
	hasToken
	hasBodyHash
	hasCallback
)

// set records one protocol parameter; a second occurrence of one is an
// error (RFC 5849 §3.1: each MUST NOT appear more than once).
func (p *protocol) set(k, v string) error {
	var bit uint16
	var dst *string
	var callback string
	switch k {
	case "oauth_consumer_key":
		bit, dst = hasKey, &p.consumerKey
	case "oauth_nonce":
		bit, dst = hasNonce, &p.nonce
	case "oauth_signature":
		bit, dst = hasSignature, &p.signature
	case "oauth_signature_method":
		bit, dst = hasMethod, &p.method
	case "oauth_timestamp":
		bit, dst = hasTimestamp, &p.timestamp
	case "oauth_version":
		bit, dst = hasVersion, &p.version
	case "oauth_token":
		bit, dst = hasToken, &p.token
	case "oauth_body_hash":
		bit, dst = hasBodyHash, &p.bodyHash
	case "oauth_callback":
		bit, dst = hasCallback, &callback
	default:
		return nil
	}
	if p.has&bit != 0 {
		return newError(CauseMalformed, "parameter "+k+" appears more than once")
	}
	p.has |= bit
	*dst = v
	return nil
}

// Verify verifies r: its parameters from a form body, the query and the
// Authorization header; its body hash when the body is not a form; then
// the timestamp window, the signature and the nonce. body is the raw body,
// already read (r.Body is not read). A request that fails a check gets an
// [*Error] with its [Cause]; a failing store's error is returned as it is.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (*Result, error) {
	c := getCollector()
	defer putCollector(c)
	base, err := v.requestURL(r, c)
	if err != nil {
		return nil, err
	}
	return v.verify(ctx, c, r, body, base)
}

// VerifyAt is [Verifier.Verify] with the URL the client used given as
// rawURL (its scheme, host, port and path; its query is ignored, the
// request's own query being signed), instead of reconstructing it from the
// request and proxy headers. It serves diagnosis and deployments whose
// public URL is fixed.
func (v *Verifier) VerifyAt(ctx context.Context, r *http.Request, body []byte, rawURL string) (*Result, error) {
	c := getCollector()
	defer putCollector(c)
	base, err := c.normalizeURL(rawURL)
	if err != nil {
		return nil, newError(CauseMalformed, "the URL: "+err.Error())
	}
	return v.verify(ctx, c, r, body, base)
}

// verify verifies r with the collector c, for the base URL base.
func (v *Verifier) verify(ctx context.Context, c *collector, r *http.Request, body []byte, base string) (*Result, error) {
	if v.Secrets == nil {
		return nil, errors.New("oauth1: Verifier.Secrets is nil")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	maxBody := v.MaxBody
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	if int64(len(body)) > maxBody {
		return nil, newError(CauseMalformed, fmt.Sprintf("the body is longer than %d bytes", maxBody))
	}

	// Collect the parameters: header, query, form body, decoded into the
	// collector's buffer.
	var auth string
	// The header names are in canonical form: indexing the map is what
	// Header.Values and Header.Get do, less canonicalising them again.
	for _, h := range r.Header["Authorization"] {
		if isOAuthScheme(h) {
			if auth != "" {
				return nil, newError(CauseMalformed, "more than one OAuth Authorization header")
			}
			auth = h
		}
	}
	if auth != "" {
		hp, err := appendAuthorization(nil, auth)
		if err != nil {
			return nil, newError(CauseMalformed, err.Error())
		}
		for _, q := range hp {
			c.add(q.Key, q.Value)
		}
	}
	if r.URL != nil {
		if err := addForm(c, r.URL.RawQuery); err != nil {
			return nil, newError(CauseMalformed, "the query: "+err.Error())
		}
	}
	var contentType string
	if v := r.Header["Content-Type"]; len(v) > 0 {
		contentType = v[0]
	}
	form := isForm(contentType)
	if form {
		if err := addForm(c, body); err != nil {
			return nil, newError(CauseMalformed, "the form body: "+err.Error())
		}
	}
	if len(c.spans) > MaxParams {
		return nil, newError(CauseMalformed, "too many parameters")
	}

	// The base string, of every parameter but oauth_signature (a second
	// one is refused below), is written after the decoded parameters.
	sigAt := -1
	for i, s := range c.spans {
		if string(c.dec[s.ks:s.ke]) == "oauth_signature" {
			sigAt = i
		}
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	c.sortSigned(sigAt)
	c.buildBase(method, base)
	all, nb := c.resultBytes(sigAt)
	bs := all[:nb]

	n := len(c.spans)
	if sigAt >= 0 {
		n--
	}
	res := newResult(n)
	signed := res.Params[:0]
	var p protocol
	for i, s := range c.spans {
		q := Param{all[s.ks:s.ke], all[s.vs:s.ve]}
		if strings.HasPrefix(q.Key, "oauth_") {
			if err := p.set(q.Key, q.Value); err != nil {
				return nil, err
			}
		}
		if i != sigAt {
			signed = append(signed, q)
		}
	}
	fail := func(c Cause, detail string) (*Result, error) {
		return nil, &Error{Cause: c, Detail: detail, BaseString: bs}
	}

	var missing []string
	for _, req := range []struct {
		bit  uint16
		name string
	}{{hasKey, "oauth_consumer_key"}, {hasMethod, "oauth_signature_method"}, {hasSignature, "oauth_signature"}, {hasTimestamp, "oauth_timestamp"}, {hasNonce, "oauth_nonce"}} {
		if p.has&req.bit == 0 {
			missing = append(missing, req.name)
		}
	}
	if len(missing) > 0 {
		return fail(CauseMissingParameter, strings.Join(missing, ", "))
	}
	sm := SignatureMethod(p.method)
	if !v.accepts(sm) {
		return fail(CauseUnsupportedMethod, fmt.Sprintf("signature method %q is not accepted", clip(p.method)))
	}
	if p.has&hasVersion != 0 && p.version != "1.0" {
		return fail(CauseMalformed, fmt.Sprintf("oauth_version %q is not 1.0", clip(p.version)))
	}
	if p.token != "" {
		return fail(CauseMalformed, "oauth_token is not used in two-legged (LTI) OAuth")
	}
	if p.consumerKey == "" || p.nonce == "" {
		return fail(CauseMissingParameter, "oauth_consumer_key or oauth_nonce is empty")
	}
	if len(p.nonce) > MaxNonce {
		return fail(CauseMalformed, "oauth_nonce is too long")
	}
	ts, ok := parseTimestamp(p.timestamp)
	if !ok {
		return fail(CauseMalformed, "oauth_timestamp is not a number of seconds")
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	window := v.Window
	if window <= 0 {
		window = DefaultWindow
	}
	t := time.Unix(ts, 0)
	if skew := now().Sub(t); skew > window || skew < -window {
		return fail(CauseExpiredTimestamp, fmt.Sprintf("oauth_timestamp is %s from the server's clock; the window is ±%s", skew.Round(time.Second), window))
	}

	secret, err := v.Secrets.Secret(ctx, p.consumerKey)
	if err != nil {
		if errors.Is(err, ErrUnknownKey) {
			return fail(CauseUnknownKey, fmt.Sprintf("consumer key %q", clip(p.consumerKey)))
		}
		return nil, fmt.Errorf("oauth1: looking up the consumer's secret: %w", err)
	}

	// The body hash: checked whenever present; required for a body
	// that is not a form.
	if p.has&hasBodyHash != 0 {
		want, err := base64.StdEncoding.DecodeString(p.bodyHash)
		got := bodyDigest(sm, body)
		if err != nil || subtle.ConstantTimeCompare(want, got) != 1 {
			return fail(CauseBodyHashMismatch, "oauth_body_hash does not match the body")
		}
	} else if !form && len(body) > 0 {
		return fail(CauseMissingParameter, "oauth_body_hash (the body is not a form)")
	}

	var want []byte
	switch sm {
	case HMACSHA1, HMACSHA256:
		c.key = append(appendEncoded(c.key[:0], secret), '&')
		c.hmacBase64(sm)
		want = c.want
	case PlainText:
		want = signingKey(secret, "")
	}
	c.got = append(c.got[:0], p.signature...)
	if subtle.ConstantTimeCompare(c.got, want) != 1 {
		return fail(CauseBadSignature, "the signature does not match the request (compare base strings)")
	}

	if v.Nonces != nil {
		seen, err := v.Nonces.Seen(ctx, p.consumerKey, p.nonce, t)
		if err != nil {
			return nil, fmt.Errorf("oauth1: recording the nonce: %w", err)
		}
		if seen {
			return fail(CauseReplayedNonce, "this oauth_nonce was already used")
		}
	}
	*res = Result{ConsumerKey: p.consumerKey, Params: signed, BaseString: bs, URL: base, Method: sm, Timestamp: t, Nonce: p.nonce}
	return res, nil
}

// newResult returns a Result whose Params have length and capacity n,
// allocated with it in one object for the usual numbers of parameters,
// each size filling its allocator size class.
func newResult(n int) *Result {
	switch {
	case n <= 12:
		b := new(struct {
			r  Result
			ps [12]Param
		})
		b.r.Params = b.ps[:n:n]
		return &b.r
	case n <= 24:
		b := new(struct {
			r  Result
			ps [24]Param
		})
		b.r.Params = b.ps[:n:n]
		return &b.r
	case n <= 32:
		b := new(struct {
			r  Result
			ps [32]Param
		})
		b.r.Params = b.ps[:n:n]
		return &b.r
	case n <= 40:
		b := new(struct {
			r  Result
			ps [40]Param
		})
		b.r.Params = b.ps[:n:n]
		return &b.r
	case n <= 52:
		b := new(struct {
			r  Result
			ps [52]Param
		})
		b.r.Params = b.ps[:n:n]
		return &b.r
	case n <= 68:
		b := new(struct {
			r  Result
			ps [68]Param
		})
		b.r.Params = b.ps[:n:n]
		return &b.r
	}
	return &Result{Params: make([]Param, n)}
}

// isOAuthScheme reports whether an Authorization header value uses the
// OAuth scheme (other schemes are left alone).
func isOAuthScheme(h string) bool {
	h = strings.TrimLeft(h, " \t")
	return len(h) >= 5 && strings.EqualFold(h[:5], "OAuth") && (len(h) == 5 || h[5] == ' ' || h[5] == '\t')
}

// bodyDigest is the raw digest oauth_body_hash encodes.
func bodyDigest(m SignatureMethod, body []byte) []byte {
	if m == HMACSHA256 {
		s := sha256.Sum256(body)
		return s[:]
	}
	s := sha1.Sum(body)
	return s[:]
}

// accepts reports whether m is an accepted method.
func (v *Verifier) accepts(m SignatureMethod) bool {
	if m == RSASHA1 {
		return false
	}
	if v.Methods == nil {
		return m == HMACSHA1 || m == HMACSHA256
	}
	return slices.Contains(v.Methods, m)
}

// parseTimestamp parses oauth_timestamp: decimal seconds, no sign, at most
// 12 digits.
func parseTimestamp(s string) (int64, bool) {
	if s == "" || len(s) > 12 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// clip shortens a client-supplied value for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
