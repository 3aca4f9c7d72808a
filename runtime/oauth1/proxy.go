package oauth1

import (
	"net/http"
	"net/netip"
	"strings"
)

// requestURL returns the normalised base URL of a request a server
// received: the scheme from the connection (TLS or not), the host from the
// Host header, the path as sent. When the immediate peer is a trusted
// proxy, its Forwarded header (RFC 7239), or failing that its
// X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Port headers, give
// the scheme, host and port the client used instead.
func (v *Verifier) requestURL(r *http.Request, c *collector) (string, error) {
	if r.URL == nil {
		return "", newError(CauseMalformed, "the request has no URL")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	if v.trusted(r.RemoteAddr) {
		var err error
		if scheme, host, err = v.forwarded(r, scheme, host); err != nil {
			return "", newError(CauseMalformed, err.Error())
		}
	}
	base, err := c.normalizeParts(scheme, host, r.URL.EscapedPath())
	if err != nil {
		return "", newError(CauseMalformed, "the request's URL: "+err.Error())
	}
	return base, nil
}

// trusted reports whether addr (an "ip:port" or a bare IP) is inside
// TrustedProxies.
func (v *Verifier) trusted(addr string) bool {
	if len(v.TrustedProxies) == 0 || addr == "" {
		return false
	}
	ip, err := netip.ParseAddrPort(addr)
	var a netip.Addr
	if err == nil {
		a = ip.Addr()
	} else if a, err = netip.ParseAddr(strings.Trim(addr, "[]")); err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	for _, p := range v.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedError is a proxy header the verifier could not use.
type forwardedError string

func (e forwardedError) Error() string { return string(e) }

// forwarded applies a trusted proxy's headers to scheme and host.
func (v *Verifier) forwarded(r *http.Request, scheme, host string) (string, string, error) {
	if fw := r.Header.Values("Forwarded"); len(fw) > 0 {
		elems, err := parseForwarded(strings.Join(fw, ","))
		if err != nil {
			return "", "", err
		}
		// Each proxy appends an element; the last was added by the
		// immediate peer. Walk left past elements whose "for" (the
		// proxy's own peer) is itself trusted: the element reached
		// was added by the outermost trusted proxy, and describes the
		// client's request. Elements further left came from the
		// client or untrusted hops and are ignored.
		i := len(elems) - 1
		for i > 0 && v.trusted(elems[i]["for"]) {
			i--
		}
		e := elems[i]
		if p, ok := e["proto"]; ok {
			scheme = strings.ToLower(p)
			if scheme != "http" && scheme != "https" {
				return "", "", forwardedError("Forwarded proto is not http or https")
			}
		}
		if h, ok := e["host"]; ok {
			host = h
		}
		return scheme, host, nil
	}
	// X-Forwarded-*: the last value of each, the one the immediate peer
	// added or set.
	if p := lastListValue(r.Header.Values("X-Forwarded-Proto")); p != "" {
		scheme = strings.ToLower(p)
		if scheme != "http" && scheme != "https" {
			return "", "", forwardedError("X-Forwarded-Proto is not http or https")
		}
	}
	if h := lastListValue(r.Header.Values("X-Forwarded-Host")); h != "" {
		host = h
	}
	if port := lastListValue(r.Header.Values("X-Forwarded-Port")); port != "" {
		h, _, err := splitHostPort(host)
		if err != nil {
			return "", "", forwardedError("host: " + err.Error())
		}
		host = h + ":" + port
	}
	return scheme, host, nil
}

// lastListValue returns the last element of comma-separated header values.
func lastListValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	v := vs[len(vs)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// parseForwarded parses a Forwarded header (RFC 7239 §4): elements
// separated by ",", each of pairs separated by ";", a pair token=value
// with a token or quoted-string value. Parameter names are
// case-insensitive and returned lower-case.
func parseForwarded(s string) ([]map[string]string, error) {
	var elems []map[string]string
	cur := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		switch s[0] {
		case ',':
			if len(cur) > 0 {
				elems = append(elems, cur)
				cur = map[string]string{}
			}
			s = s[1:]
			continue
		case ';':
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && isTokenChar(s[i]) {
			i++
		}
		if i == 0 || i >= len(s) || s[i] != '=' {
			return nil, forwardedError("malformed Forwarded header")
		}
		name := strings.ToLower(s[:i])
		s = s[i+1:]
		var val string
		if s != "" && s[0] == '"' {
			var b strings.Builder
			j := 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, forwardedError("unterminated quoted value in the Forwarded header")
			}
			val, s = b.String(), s[j+1:]
		} else {
			// RFC 7239 wants a host with a port quoted; proxies
			// often leave it bare, so a bare value runs to the next
			// separator.
			j := 0
			for j < len(s) && !strings.ContainsRune(",; \t\"", rune(s[j])) {
				j++
			}
			val, s = s[:j], s[j:]
		}
		if _, dup := cur[name]; dup {
			return nil, forwardedError("parameter " + quoteName(name) + " repeated in a Forwarded element")
		}
		cur[name] = val
		if len(elems) > 64 {
			return nil, forwardedError("too many Forwarded elements")
		}
	}
	if len(cur) > 0 {
		elems = append(elems, cur)
	}
	if len(elems) == 0 {
		return nil, forwardedError("empty Forwarded header")
	}
	return elems, nil
}
