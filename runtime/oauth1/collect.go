package oauth1

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"slices"
	"strings"
	"sync"
)

// This file is the verifier's fast path: the parameters of a request are
// decoded in one pass into one byte buffer, sorted by index, and written
// into the base string encoded twice (once for the normalised parameter
// string, once for the base string) in one more pass, into a buffer
// reused from request to request. It computes exactly what ParseForm,
// appendAuthorization and BaseString compute, which the differential test
// checks.

// span is one collected parameter: its decoded name and value are
// dec[ks:ke] and dec[ke:ve] of its collector. kEnc and vEnc say whether
// the name and the value hold a byte outside the unreserved set (and so
// need encoding); most do not.
type span struct {
	ks, ke, ve int
	kEnc, vEnc bool
}

// sortItem is a signed parameter to sort: pfx is the first 8 bytes of its
// encoded name, big-endian, padded with zero bytes (which encoding never
// produces), and i its index in the collector's spans.
type sortItem struct {
	pfx uint64
	i   int
}

// collector holds the scratch state of one verification. Collectors are
// pooled; none is used by two verifications at once.
type collector struct {
	dec   []byte     // decoded names and values, back to back
	spans []span     // the parameters, in request order
	order []sortItem // the signed parameters, sorted
	base  []byte     // the signature base string
	key   []byte     // the signing key
	want  []byte     // the expected signature
	got   []byte     // the signature sent

	// The HMAC last used, keyed with macKey for macMethod: reset rather
	// than rebuilt when the next request has the same secret.
	mac       hash.Hash
	macKey    []byte
	macMethod SignatureMethod
	sum       []byte
}

// collectorPool holds collectors between verifications.
var collectorPool = sync.Pool{New: func() any { return new(collector) }}

// maxPooledBuffer is the largest buffer a collector keeps when returned to
// the pool, so that one large request does not pin its memory.
const maxPooledBuffer = 64 << 10

func getCollector() *collector {
	c := collectorPool.Get().(*collector)
	c.dec, c.spans, c.order, c.base = c.dec[:0], c.spans[:0], c.order[:0], c.base[:0]
	return c
}

func putCollector(c *collector) {
	if cap(c.dec) > maxPooledBuffer || cap(c.base) > 3*maxPooledBuffer || cap(c.spans) > MaxParams {
		return
	}
	collectorPool.Put(c)
}

// add appends one decoded parameter.
func (c *collector) add(k, v string) {
	ks := len(c.dec)
	c.dec = append(c.dec, k...)
	ke := len(c.dec)
	c.dec = append(c.dec, v...)
	c.spans = append(c.spans, span{ks: ks, ke: ke, ve: len(c.dec), kEnc: needsEncoding(k), vEnc: needsEncoding(v)})
}

func needsEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		if !unreservedSet[s[i]] {
			return true
		}
	}
	return false
}

// addForm collects the parameters of an application/x-www-form-urlencoded
// string or body, exactly as appendForm parses them, decoding each name
// and value straight into c.dec. The request's parameters so far count
// towards [MaxParams].
func addForm[T ~string | ~[]byte](c *collector, s T) error {
	// Decoding never lengthens: one growth covers the whole input.
	c.dec = slices.Grow(c.dec, len(s))
	i := 0
	for i < len(s) {
		// One pass finds the pair's end, its first "=", and the
		// classes of the bytes of its name and value.
		start, eq := i, -1
		var kc, vc uint8
		for ; i < len(s); i++ {
			cl := formClass[s[i]]
			if cl&classDelim != 0 {
				if s[i] == '&' {
					break
				}
				if eq < 0 {
					eq = i
					continue
				}
			}
			if eq < 0 {
				kc |= cl
			} else {
				vc |= cl
			}
		}
		end := i
		i++ // past the "&"
		if end == start {
			continue // an empty pair
		}
		if len(c.spans) >= MaxParams {
			return errTooMany
		}
		k, v := s[start:end], s[end:end]
		if eq >= 0 {
			k, v = s[start:eq], s[eq+1:end]
		}
		ks := len(c.dec)
		if err := decodePart(c, k, kc); err != nil {
			return err
		}
		ke := len(c.dec)
		if err := decodePart(c, v, vc); err != nil {
			return err
		}
		c.spans = append(c.spans, span{ks: ks, ke: ke, ve: len(c.dec), kEnc: c.enc(ks, ke, kc), vEnc: c.enc(ke, len(c.dec), vc)})
	}
	return nil
}

// enc reports whether dec[from:to], a part decoded from bytes of class cl,
// needs encoding.
func (c *collector) enc(from, to int, cl uint8) bool {
	switch {
	case cl&classEncode == 0:
		return false
	case cl&classDecode == 0:
		return true
	}
	for _, ch := range c.dec[from:to] {
		if !unreservedSet[ch] {
			return true
		}
	}
	return false
}

// Byte classes for form decoding.
const (
	classEncode = 1 << iota // outside the unreserved set
	classDecode             // "%" or "+": changed by decoding
	classDelim              // "&" or "="
)

// formClass is the class of each byte (read-only).
var formClass = func() (t [256]uint8) {
	for c := range t {
		if !unreservedSet[c] {
			t[c] = classEncode
		}
	}
	t['%'] |= classDecode
	t['+'] |= classDecode
	t['&'] |= classDelim
	t['='] |= classDelim
	return t
}()

// hexValue is the value of each hexadecimal digit, 0xff for other bytes
// (read-only).
var hexValue = func() (t [256]uint8) {
	for c := range t {
		v, ok := unhex(byte(c))
		if !ok {
			v = 0xff
		}
		t[c] = v
	}
	return t
}()

// decodePart form-decodes one name or value ("+" a space, %XX a byte),
// whose bytes are of class cl, onto c.dec, which has room for it.
func decodePart[T ~string | ~[]byte](c *collector, part T, cl uint8) error {
	if cl&classDecode == 0 {
		c.dec = append(c.dec, part...)
		return nil
	}
	dec := c.dec[:len(c.dec)+len(part)]
	w := len(c.dec)
	for i := 0; i < len(part); i++ {
		ch := part[i]
		switch ch {
		case '+':
			ch = ' '
		case '%':
			if i+2 >= len(part) {
				return errBadEscape
			}
			hi, lo := hexValue[part[i+1]], hexValue[part[i+2]]
			if hi|lo == 0xff {
				return errBadEscape
			}
			ch = hi<<4 | lo
			i += 2
		}
		dec[w] = ch
		w++
	}
	c.dec = dec[:w]
	return nil
}

// sortSigned fills c.order with the parameters except the one at skip (-1
// for none), sorted by encoded name and then encoded value in byte order
// (RFC 5849 §3.4.1.3.2), comparing the decoded bytes (see compareEncoded).
func (c *collector) sortSigned(skip int) {
	dec, spans := c.dec, c.spans
	for i, s := range spans {
		if i != skip {
			c.order = append(c.order, sortItem{encodedPrefix(dec[s.ks:s.ke]), i})
		}
	}
	slices.SortFunc(c.order, func(x, y sortItem) int {
		if x.pfx != y.pfx {
			if x.pfx < y.pfx {
				return -1
			}
			return 1
		}
		a, b := &spans[x.i], &spans[y.i]
		if r := compareEncoded(dec[a.ks:a.ke], dec[b.ks:b.ke]); r != 0 {
			return r
		}
		return compareEncoded(dec[a.ke:a.ve], dec[b.ke:b.ve])
	})
}

// encodedPrefix returns the first 8 bytes of Encode(s) as a big-endian
// number, padded with zero bytes: numbers that differ order as the encoded
// strings do.
func encodedPrefix(s []byte) uint64 {
	var p uint64
	n := 0
	for _, ch := range s {
		if n >= 8 {
			break
		}
		if unreservedSet[ch] {
			p = p<<8 | uint64(ch)
			n++
			continue
		}
		for _, e := range [3]byte{'%', upperhex[ch>>4], upperhex[ch&15]} {
			if n < 8 {
				p = p<<8 | uint64(e)
				n++
			}
		}
	}
	return p << (8 * (8 - n))
}

// compareEncoded compares Encode(a) with Encode(b) without encoding them.
// Encoding maps equal prefixes to equal prefixes, so the first byte where
// a and b differ decides: an unreserved byte stands for itself and any
// other for "%"; two escaped bytes compare as their upper-case hexadecimal
// digits do, which is as the bytes do.
func compareEncoded(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		switch {
		case len(a) < len(b):
			return -1
		case len(a) > len(b):
			return 1
		}
		return 0
	}
	x, y := a[i], b[i]
	ex, ey := x, y
	if !unreservedSet[x] {
		ex = '%'
	}
	if !unreservedSet[y] {
		ey = '%'
	}
	if ex == ey {
		ex, ey = x, y
	}
	if ex < ey {
		return -1
	}
	return 1
}

// buildBase writes the signature base string of the sorted parameters
// into c.base, as appendBaseString does.
func (c *collector) buildBase(method, baseURL string) {
	n := 3*len(method) + 3*len(baseURL) + 2
	for _, o := range c.order {
		s := &c.spans[o.i]
		n += 6 + s.ve - s.ks
		if s.kEnc || s.vEnc {
			n += 4 * (s.ve - s.ks)
		}
	}
	b := slices.Grow(c.base[:0], n)
	b = appendEncodedUpper(b, method)
	b = append(b, '&')
	b = appendEncoded(b, baseURL)
	b = append(b, '&')
	for i, o := range c.order {
		s := &c.spans[o.i]
		if i > 0 {
			b = append(b, "%26"...)
		}
		b = appendEncodedTwice(b, c.dec[s.ks:s.ke], s.kEnc)
		b = append(b, "%3D"...)
		b = appendEncodedTwice(b, c.dec[s.ke:s.ve], s.vEnc)
	}
	c.base = b
}

// appendEncodedUpper appends Encode(strings.ToUpper(s)) for an HTTP
// method, without allocating when s is ASCII.
func appendEncodedUpper(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return appendEncoded(b, strings.ToUpper(s))
		}
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'a' <= ch && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		if unreservedSet[ch] {
			b = append(b, ch)
		} else {
			b = append(b, '%', upperhex[ch>>4], upperhex[ch&15])
		}
	}
	return b
}

// appendEncodedTwice appends Encode(Encode(s)): an unreserved byte as it
// is, any other as "%25" and its two hexadecimal digits. When enc is
// false s holds only unreserved bytes and is copied.
func appendEncodedTwice(b, s []byte, enc bool) []byte {
	if !enc {
		return append(b, s...)
	}
	w := len(b)
	b = b[:w+5*len(s)] // the caller grew b
	for _, ch := range s {
		if unreservedSet[ch] {
			b[w] = ch
			w++
			continue
		}
		b[w], b[w+1], b[w+2], b[w+3], b[w+4] = '%', '2', '5', upperhex[ch>>4], upperhex[ch&15]
		w += 5
	}
	return b[:w]
}

// hmacBase64 sets c.want to the base64 HMAC of c.base keyed with c.key,
// reusing the collector's HMAC when it was keyed with the same key for the
// same method.
func (c *collector) hmacBase64(m SignatureMethod) {
	if c.mac == nil || c.macMethod != m || subtle.ConstantTimeCompare(c.macKey, c.key) != 1 {
		h := sha1.New
		if m == HMACSHA256 {
			h = sha256.New
		}
		c.mac = hmac.New(h, c.key)
		c.macKey = append(c.macKey[:0], c.key...)
		c.macMethod = m
	} else {
		c.mac.Reset()
	}
	c.mac.Write(c.base)
	c.sum = c.mac.Sum(c.sum[:0])
	c.want = base64.StdEncoding.AppendEncode(c.want[:0], c.sum)
}
