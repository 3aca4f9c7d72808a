package oauth1

import (
	"errors"
	"strings"
)

// Limits on what a request may carry. They bound the work and memory one
// request can cost; an LTI launch has a few dozen parameters.
const (
	// MaxParams is the most parameters (header, query and form together)
	// a request may carry.
	MaxParams = 2048
	// MaxAuthorization is the longest Authorization header accepted, in
	// bytes.
	MaxAuthorization = 16 << 10
	// DefaultMaxBody is the default of [Verifier.MaxBody].
	DefaultMaxBody = 4 << 20
)

var (
	errTooMany     = errors.New("too many parameters")
	errNotOAuth    = errors.New(`the Authorization header's scheme is not "OAuth"`)
	errAuthTooLong = errors.New("the Authorization header is too long")
)

// ParseForm parses an application/x-www-form-urlencoded string (a form
// body or a URL's query): pairs separated by "&", the name and value split
// at the first "=" (a pair without "=" has an empty value), "+" as a
// space, percent-escapes decoded. Empty pairs are skipped; order and
// duplicate keys are kept. An invalid percent-escape, or more than
// [MaxParams] pairs, is an error. Bytes are kept as they are: values are
// not checked for valid UTF-8, so what is signed is what was sent.
func ParseForm(s string) ([]Param, error) {
	return appendForm(nil, s)
}

func appendForm(dst []Param, s string) ([]Param, error) {
	// Names and values without escapes are substrings of s; the others
	// are decoded into one buffer, converted to a string once at the end.
	type fix struct {
		i          int
		key        bool
		start, end int
	}
	var buf []byte
	var fixes []fix
	for s != "" {
		var pair string
		if i := strings.IndexByte(s, '&'); i >= 0 {
			pair, s = s[:i], s[i+1:]
		} else {
			pair, s = s, ""
		}
		if pair == "" {
			continue
		}
		if len(dst) >= MaxParams {
			return dst, errTooMany
		}
		k, v, _ := strings.Cut(pair, "=")
		for n, part := range [2]string{k, v} {
			if strings.IndexByte(part, '%') < 0 && strings.IndexByte(part, '+') < 0 {
				continue
			}
			if buf == nil {
				buf = make([]byte, 0, len(pair)+len(s))
			}
			start := len(buf)
			var err error
			if buf, err = appendDecoded(buf, part); err != nil {
				return dst, err
			}
			fixes = append(fixes, fix{len(dst), n == 0, start, len(buf)})
		}
		dst = append(dst, Param{k, v})
	}
	if len(fixes) > 0 {
		all := string(buf)
		for _, f := range fixes {
			if f.key {
				dst[f.i].Key = all[f.start:f.end]
			} else {
				dst[f.i].Value = all[f.start:f.end]
			}
		}
	}
	return dst, nil
}

// ParseAuthorization parses an "Authorization: OAuth ..." header value
// (RFC 5849 §3.5.1): the scheme "OAuth" (any case), then name="value"
// pairs separated by commas, with optional whitespace; names and values
// are percent-decoded ("+" stays a plus sign). The realm parameter is left
// out. A value may also be an unquoted token, and a quoted value may hold
// backslash escapes. Anything else is an error, as is a header longer than
// [MaxAuthorization] or holding more than [MaxParams] pairs.
func ParseAuthorization(h string) ([]Param, error) {
	return appendAuthorization(nil, h)
}

func appendAuthorization(dst []Param, h string) ([]Param, error) {
	if len(h) > MaxAuthorization {
		return dst, errAuthTooLong
	}
	h = strings.TrimLeft(h, " \t")
	if len(h) < 5 || !strings.EqualFold(h[:5], "OAuth") || len(h) > 5 && h[5] != ' ' && h[5] != '\t' {
		return dst, errNotOAuth
	}
	s := h[5:]
	start := len(dst)
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return dst, nil
		}
		if s[0] == ',' {
			s = s[1:]
			continue
		}
		// The name: a token up to "=".
		i := 0
		for i < len(s) && isTokenChar(s[i]) {
			i++
		}
		if i == 0 {
			return dst, errors.New("expected a parameter name in the Authorization header")
		}
		name := s[:i]
		s = strings.TrimLeft(s[i:], " \t")
		if s == "" || s[0] != '=' {
			return dst, errors.New("expected = after " + quoteName(name) + " in the Authorization header")
		}
		s = strings.TrimLeft(s[1:], " \t")
		var raw string
		if s != "" && s[0] == '"' {
			var b []byte
			escaped := false
			j := 1
			for ; j < len(s); j++ {
				c := s[j]
				if c == '\\' {
					if !escaped {
						b = append([]byte(nil), s[1:j]...)
						escaped = true
					}
					j++
					if j < len(s) {
						b = append(b, s[j])
					}
					continue
				}
				if c == '"' {
					break
				}
				if escaped {
					b = append(b, c)
				}
			}
			if j >= len(s) {
				return dst, errors.New("unterminated quoted value in the Authorization header")
			}
			if escaped {
				raw = string(b)
			} else {
				raw = s[1:j]
			}
			s = s[j+1:]
		} else {
			j := 0
			for j < len(s) && isTokenChar(s[j]) {
				j++
			}
			raw, s = s[:j], s[j:]
		}
		s = strings.TrimLeft(s, " \t")
		if s != "" && s[0] != ',' {
			return dst, errors.New("expected a comma after " + quoteName(name) + " in the Authorization header")
		}
		if len(dst)-start >= MaxParams {
			return dst, errTooMany
		}
		k, err := decode(name, false)
		if err != nil {
			return dst, err
		}
		v, err := decode(raw, false)
		if err != nil {
			return dst, err
		}
		if k == "realm" {
			continue
		}
		dst = append(dst, Param{k, v})
	}
}

// isTokenChar reports whether c is an RFC 7230 tchar.
func isTokenChar(c byte) bool {
	return unreserved(c) || strings.IndexByte("!#$%&'*+^`|", c) >= 0
}

// quoteName quotes a parameter name for an error message, cut short.
func quoteName(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return `"` + s + `"`
}
