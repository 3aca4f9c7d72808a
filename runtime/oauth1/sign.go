package oauth1

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sign returns the signature of baseString with the consumer secret and
// token secret (empty in two-legged OAuth, as in LTI): base64 of the HMAC
// of the base string keyed with Encode(consumerSecret)&Encode(tokenSecret),
// or that key itself for PLAINTEXT. RSA-SHA1 is not supported.
func Sign(m SignatureMethod, baseString, consumerSecret, tokenSecret string) (string, error) {
	key := signingKey(consumerSecret, tokenSecret)
	switch m {
	case HMACSHA1, HMACSHA256:
		return base64.StdEncoding.EncodeToString(hmacSum(m, key, []byte(baseString))), nil
	case PlainText:
		return string(key), nil
	}
	return "", fmt.Errorf("oauth1: signature method %q is not supported", m)
}

func signingKey(consumerSecret, tokenSecret string) []byte {
	key := appendEncoded(make([]byte, 0, 3*(len(consumerSecret)+len(tokenSecret))+1), consumerSecret)
	key = append(key, '&')
	return appendEncoded(key, tokenSecret)
}

func hmacSum(m SignatureMethod, key, msg []byte) []byte {
	var h func() hash.Hash = sha1.New
	if m == HMACSHA256 {
		h = sha256.New
	}
	mac := hmac.New(h, key)
	mac.Write(msg)
	return mac.Sum(nil)
}

// BodyHash returns oauth_body_hash for body: base64 of its SHA-256 digest
// for HMAC-SHA256, and of its SHA-1 digest otherwise.
func BodyHash(m SignatureMethod, body []byte) string {
	if m == HMACSHA256 {
		s := sha256.Sum256(body)
		return base64.StdEncoding.EncodeToString(s[:])
	}
	s := sha1.Sum(body)
	return base64.StdEncoding.EncodeToString(s[:])
}

// randomNonce returns 48 random hexadecimal digits.
func randomNonce() string {
	var b [24]byte
	_, _ = io.ReadFull(rand.Reader, b[:]) // crypto/rand never fails
	return hex.EncodeToString(b[:])
}

// protocolParams returns the oauth_* parameters to sign, without the
// signature, in the order they are sent.
func protocolParams(c Credentials, o SignOptions) (SignatureMethod, []Param, error) {
	m := o.Method
	if m == "" {
		m = HMACSHA1
	}
	switch m {
	case HMACSHA1, HMACSHA256, PlainText:
	default:
		return "", nil, fmt.Errorf("oauth1: signature method %q is not supported for signing", m)
	}
	if c.Key == "" {
		return "", nil, errors.New("oauth1: the consumer key is empty")
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	nonce := randomNonce
	if o.Nonce != nil {
		nonce = o.Nonce
	}
	n := nonce()
	if n == "" {
		return "", nil, errors.New("oauth1: the nonce generator returned an empty nonce")
	}
	ps := make([]Param, 0, 7)
	if o.Callback != "" {
		ps = append(ps, Param{"oauth_callback", o.Callback})
	}
	ps = append(ps,
		Param{"oauth_consumer_key", c.Key},
		Param{"oauth_nonce", n},
		Param{"oauth_signature_method", string(m)},
		Param{"oauth_timestamp", strconv.FormatInt(now().Unix(), 10)},
		Param{"oauth_version", "1.0"},
	)
	return m, ps, nil
}

// checkNoProtocol refuses caller parameters that clash with the oauth_*
// parameters the signer adds.
func checkNoProtocol(params []Param) error {
	for _, p := range params {
		switch p.Key {
		case "oauth_callback", "oauth_consumer_key", "oauth_nonce", "oauth_signature",
			"oauth_signature_method", "oauth_timestamp", "oauth_version", "oauth_token", "oauth_body_hash":
			return fmt.Errorf("oauth1: parameter %s is set by the signer", p.Key)
		}
	}
	return nil
}

// SignForm signs a form POST (an LTI launch): it returns params plus the
// oauth_* parameters, signature included, for method and rawURL. The query
// parameters of rawURL are part of the base string (they stay in the URL
// and are not copied into the result). params must not hold oauth_*
// protocol parameters.
func SignForm(method, rawURL string, params []Param, c Credentials, o SignOptions) ([]Param, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("oauth1: %w", err)
	}
	base, err := normalizeParts(u.Scheme, u.Host, u.EscapedPath())
	if err != nil {
		return nil, fmt.Errorf("oauth1: %s: %w", rawURL, err)
	}
	if err := checkNoProtocol(params); err != nil {
		return nil, err
	}
	query, err := ParseForm(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("oauth1: the URL's query: %w", err)
	}
	m, proto, err := protocolParams(c, o)
	if err != nil {
		return nil, err
	}
	out := make([]Param, 0, len(params)+len(proto)+1)
	out = append(out, params...)
	out = append(out, proto...)
	all := make([]Param, 0, len(out)+len(query))
	all = append(append(all, out...), query...)
	sig, err := Sign(m, BaseString(method, base, all), c.Secret, "")
	if err != nil {
		return nil, err
	}
	return append(out, Param{"oauth_signature", sig}), nil
}

// EncodeForm writes params as an application/x-www-form-urlencoded body,
// in order, with RFC 3986 encoding (a space as %20).
func EncodeForm(params []Param) string {
	var b []byte
	for i, p := range params {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendEncoded(b, p.Key)
		b = append(b, '=')
		b = appendEncoded(b, p.Value)
	}
	return string(b)
}

// isForm reports whether a Content-Type is application/x-www-form-urlencoded.
func isForm(contentType string) bool {
	if contentType == "" {
		return false
	}
	if strings.EqualFold(contentType, "application/x-www-form-urlencoded") {
		return true // what browsers send: no need to parse it
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// SignRequest signs an HTTP request whose body is not a form (LTI REST
// services, LTI 1.1 POX outcomes): it adds oauth_body_hash (base64 SHA-1
// of body for HMAC-SHA1, SHA-256 for HMAC-SHA256) and sets the
// "Authorization: OAuth" header. The request's URL (with r.Host, when set,
// as its host) and its query parameters are signed. body must be the bytes
// sent; when r.Body is nil it is set to them. A request with a form
// Content-Type is signed with the form's parameters and no body hash.
func SignRequest(r *http.Request, body []byte, c Credentials, o SignOptions) error {
	if r == nil || r.URL == nil {
		return errors.New("oauth1: no request or URL")
	}
	host := r.URL.Host
	if r.Host != "" {
		host = r.Host
	}
	base, err := normalizeParts(r.URL.Scheme, host, r.URL.EscapedPath())
	if err != nil {
		return fmt.Errorf("oauth1: %w", err)
	}
	params, err := ParseForm(r.URL.RawQuery)
	if err != nil {
		return fmt.Errorf("oauth1: the URL's query: %w", err)
	}
	m, proto, err := protocolParams(c, o)
	if err != nil {
		return err
	}
	if isForm(r.Header.Get("Content-Type")) {
		if params, err = appendForm(params, string(body)); err != nil {
			return fmt.Errorf("oauth1: the form body: %w", err)
		}
	} else {
		proto = append([]Param{{"oauth_body_hash", BodyHash(m, body)}}, proto...)
	}
	if err := checkNoProtocol(params); err != nil {
		return err
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	sig, err := Sign(m, BaseString(method, base, append(params, proto...)), c.Secret, "")
	if err != nil {
		return err
	}
	proto = append(proto, Param{"oauth_signature", sig})
	slices.SortFunc(proto, func(a, b Param) int { return strings.Compare(a.Key, b.Key) })
	r.Header.Set("Authorization", AuthorizationHeader(proto))
	if r.Body == nil && len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return nil
}

// AuthorizationHeader formats protocol parameters as an "OAuth" header
// value: name="value" pairs, both percent-encoded, separated by ", ".
func AuthorizationHeader(params []Param) string {
	var b strings.Builder
	b.WriteString("OAuth ")
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Encode(p.Key))
		b.WriteString(`="`)
		b.WriteString(Encode(p.Value))
		b.WriteByte('"')
	}
	return b.String()
}
