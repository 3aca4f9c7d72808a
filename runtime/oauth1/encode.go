package oauth1

import (
	"bytes"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const upperhex = "0123456789ABCDEF"

// unreserved reports whether c is in RFC 3986's unreserved set, the only
// bytes OAuth leaves unencoded: ALPHA, DIGIT, "-", ".", "_", "~".
func unreserved(c byte) bool { return unreservedSet[c] }

// unreservedSet is the unreserved set as a table (read-only).
var unreservedSet = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
	}
	return t
}()

// Encode percent-encodes s as RFC 5849 §3.6 requires: every byte outside
// the unreserved set becomes %XX with upper-case hexadecimal digits (a
// UTF-8 character becomes one escape per byte).
func Encode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	return string(appendEncoded(b, s))
}

func appendEncoded(b []byte, s string) []byte {
	// Copy runs of unreserved bytes at once.
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreservedSet[c] {
			b = append(b, s[start:i]...)
			b = append(b, '%', upperhex[c>>4], upperhex[c&15])
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

var errBadEscape = errors.New("invalid percent-escape")

// decode undoes percent-encoding; with plus, "+" stands for a space (the
// form-urlencoded rule). A "%" not followed by two hexadecimal digits is
// an error.
func decode(s string, plus bool) (string, error) {
	if strings.IndexByte(s, '%') < 0 && (!plus || strings.IndexByte(s, '+') < 0) {
		return s, nil
	}
	var b []byte
	var err error
	if plus {
		b, err = appendDecoded(make([]byte, 0, len(s)), s)
	} else {
		b, err = appendUnescaped(make([]byte, 0, len(s)), s)
	}
	return string(b), err
}

// appendDecoded appends s form-decoded ("+" a space, %XX a byte).
func appendDecoded(b []byte, s string) ([]byte, error) { return appendUnescape(b, s, true) }

// appendUnescaped appends s percent-decoded ("+" kept).
func appendUnescaped(b []byte, s string) ([]byte, error) { return appendUnescape(b, s, false) }

func appendUnescape(b []byte, s string, plus bool) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			if i+2 >= len(s) {
				return b, errBadEscape
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return b, errBadEscape
			}
			b = append(b, hi<<4|lo)
			i += 2
		case c == '+' && plus:
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return b, nil
}

// encodedPair is a parameter after encoding: its name and value are
// buf[ks:ke] and buf[ke:ve] of the buffer it was encoded into.
type encodedPair struct{ ks, ke, ve int }

// normalizedPairs encodes params into one buffer and sorts them by encoded
// name, then encoded value, in byte order (RFC 5849 §3.4.1.3.2).
func normalizedPairs(params []Param) ([]byte, []encodedPair) {
	size := 0
	for _, p := range params {
		size += len(p.Key) + len(p.Value)
	}
	buf := make([]byte, 0, size+size/2+16)
	pairs := make([]encodedPair, len(params))
	for i, p := range params {
		ks := len(buf)
		buf = appendEncoded(buf, p.Key)
		ke := len(buf)
		buf = appendEncoded(buf, p.Value)
		pairs[i] = encodedPair{ks, ke, len(buf)}
	}
	slices.SortFunc(pairs, func(a, b encodedPair) int {
		if c := bytes.Compare(buf[a.ks:a.ke], buf[b.ks:b.ke]); c != 0 {
			return c
		}
		return bytes.Compare(buf[a.ke:a.ve], buf[b.ke:b.ve])
	})
	return buf, pairs
}

// NormalizeParams returns the normalised parameter string of RFC 5849
// §3.4.1.3.2: every name and value encoded, the pairs sorted by name and
// then value in byte order, joined as name=value with "&". The caller
// leaves oauth_signature (and realm) out.
func NormalizeParams(params []Param) string {
	buf, pairs := normalizedPairs(params)
	var b []byte
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, buf[p.ks:p.ke]...)
		b = append(b, '=')
		b = append(b, buf[p.ke:p.ve]...)
	}
	return string(b)
}

// BaseString returns the signature base string of RFC 5849 §3.4.1:
// the upper-case method, the normalised base URL (see [NormalizeURL]; its
// query is ignored here, so its parameters must be in params) and the
// normalised parameters, each encoded, joined with "&".
func BaseString(method, baseURL string, params []Param) string {
	return string(appendBaseString(nil, method, baseURL, params))
}

func appendBaseString(b []byte, method, baseURL string, params []Param) []byte {
	buf, pairs := normalizedPairs(params)
	// The pairs hold only unreserved bytes and %XX escapes, so encoding
	// them again only turns each "%" into "%25": the exact size is known.
	n := 3*len(method) + 3*len(baseURL) + 2 + 3*len(pairs) + len(buf) + 2*bytes.Count(buf, []byte{'%'})
	b = slices.Grow(b, n)
	b = appendEncoded(b, strings.ToUpper(method))
	b = append(b, '&')
	b = appendEncoded(b, baseURL)
	b = append(b, '&')
	for i, p := range pairs {
		if i > 0 {
			b = append(b, "%26"...)
		}
		b = appendReencoded(b, buf[p.ks:p.ke])
		b = append(b, "%3D"...)
		b = appendReencoded(b, buf[p.ke:p.ve])
	}
	return b
}

// appendReencoded appends Encode(s) for an s that is already encoded
// (unreserved bytes and %XX escapes only): each "%" becomes "%25".
func appendReencoded(b, s []byte) []byte {
	for {
		i := bytes.IndexByte(s, '%')
		if i < 0 {
			return append(b, s...)
		}
		b = append(b, s[:i]...)
		b = append(b, "%25"...)
		s = s[i+1:]
	}
}

// NormalizeURL returns the base string URI of RFC 5849 §3.4.1.2 for
// rawURL: scheme and host in lower case, the port dropped when it is the
// scheme's default (80 for http, 443 for https), the path kept as written
// ("/" when empty), and no user information, query or fragment. Only
// http and https URLs are accepted.
func NormalizeURL(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	return normalizeParts(u.Scheme, u.Host, u.EscapedPath())
}

// normalizeParts builds the base string URI from a scheme, a host (with an
// optional port) and an escaped path.
func normalizeParts(scheme, hostport, path string) (string, error) {
	scheme = strings.ToLower(scheme)
	var def string
	switch scheme {
	case "http":
		def = "80"
	case "https":
		def = "443"
	default:
		return "", errors.New("the URL's scheme is not http or https")
	}
	host, port, err := splitHostPort(hostport)
	if err != nil {
		return "", err
	}
	host = strings.ToLower(host)
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.Grow(len(scheme) + 3 + len(host) + 6 + len(path))
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	if port != "" && port != def {
		b.WriteByte(':')
		b.WriteString(port)
	}
	b.WriteString(path)
	return b.String(), nil
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port",
// checking that the host has no characters a URL authority cannot hold and
// that the port is a number from 1 to 65535 (an empty port counts as
// absent). The brackets of an IPv6 address are kept.
func splitHostPort(hp string) (host, port string, err error) {
	if hp == "" {
		return "", "", errors.New("the URL has no host")
	}
	if hp[0] == '[' {
		end := strings.IndexByte(hp, ']')
		if end < 0 {
			return "", "", errors.New("unclosed [ in the host")
		}
		host = hp[:end+1]
		rest := hp[end+1:]
		switch {
		case rest == "":
		case rest[0] == ':':
			port = rest[1:]
		default:
			return "", "", errors.New("junk after the IPv6 host")
		}
		for i := 1; i < len(host)-1; i++ {
			if c := host[i]; !(unhexOK(c) || c == ':' || c == '.' || c == '%' || unreserved(c)) {
				return "", "", errors.New("invalid character in the host")
			}
		}
	} else {
		host = hp
		if i := strings.LastIndexByte(hp, ':'); i >= 0 {
			host, port = hp[:i], hp[i+1:]
		}
		if host == "" {
			return "", "", errors.New("the URL has no host")
		}
		for i := 0; i < len(host); i++ {
			// reg-name: unreserved, sub-delims and percent-escapes.
			if c := host[i]; !(unreserved(c) || strings.IndexByte("!$&'()*+,;=%", c) >= 0) {
				return "", "", errors.New("invalid character in the host")
			}
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' || port[0] == '+' {
			return "", "", errors.New("invalid port")
		}
	}
	return host, port, nil
}

func unhexOK(c byte) bool { _, ok := unhex(c); return ok }
