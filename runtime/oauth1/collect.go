package oauth1

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// This file is the verifier's fast path. It computes exactly what
// ParseForm, appendAuthorization and BaseString compute, which the
// differential tests check, without decoding the form and then encoding
// it twice.
//
// Each raw byte of a form name or value maps straight to its decoded byte
// and to its piece of the base string, which is the RFC 5849 §3.6
// encoding of the encoding of the decoded byte: an unreserved byte is
// itself in all three; "%XY" decodes to one byte, written "%25XY"
// (upper-case hexadecimal) when it is not unreserved; "+" is a space,
// "%2520"; any other byte is itself decoded and "%25" and its hexadecimal
// digits encoded. A form is mostly runs of unreserved bytes, which are
// copied to both outputs as they are; only the other bytes are looked at
// one by one (see addForm).
//
// The pairs are then sorted on their twice-encoded names and values, whose
// order is that of the encoded ones (RFC 5849 §3.4.1.3.2): encoding again
// only turns "%" into "%25", which keeps the "%", and "%" sorts before
// every unreserved byte. The base string is the twice-encoded pairs
// copied in that order.

// span is one collected parameter. Its decoded name and value are
// dec[ks:ke] and dec[ke:ve]; enc[e0:e1] is "%26", its name encoded twice,
// "%3D" (at ek) and its value encoded twice: its piece of the base string
// (without the "%26" when first). buildBase copies enc[e0:e1] (or
// enc[e0+3:e1]) to the base string so that enc[x] lands at its byte bo+x.
type span struct {
	ks, ke, ve int
	e0, ek, e1 int
	bo, vs     int // see buildBase and resultBytes
}

// sortItem is a signed parameter to sort: pfx0 and pfx1 are the first 16
// bytes of its twice-encoded name, big-endian, padded with zero bytes
// (which encoding never produces), and i its index in the collector's
// spans.
type sortItem struct {
	pfx0, pfx1 uint64
	i          int
}

// collector holds the scratch state of one verification. Collectors are
// pooled; none is used by two verifications at once.
type collector struct {
	raw   []byte     // the form being scanned, then padding
	masks []uint64   // its bytes outside the unreserved set, a bit each
	dec   []byte     // decoded names and values, then the base string
	enc   []byte     // the twice-encoded pairs
	spans []span     // the parameters, in request order
	order []sortItem // the signed parameters, sorted
	prev  []int      // the order of the spans last sorted
	base  int        // where the base string starts in dec
	key   []byte     // the signing key
	want  []byte     // the expected signature
	got   []byte     // the signature sent

	// The base URL last normalised: a server sees the same one over
	// and over.
	url urlMemo
	// The start of the base string last built, before the parameters:
	// its method and base URL, encoded.
	prefix struct {
		method, url string
		enc         []byte
	}

	// The HMAC last used, keyed with macKey for macMethod: reset rather
	// than rebuilt when the next request has the same secret.
	mac       hash.Hash
	macKey    []byte
	macMethod SignatureMethod
	sum       []byte
}

// urlMemo is a base URL and what it was normalised from: rawURL, or (raw
// empty) a scheme, host and path.
type urlMemo struct{ raw, scheme, host, path, base string }

// slack is the room kept past the written part of dec and enc, so that
// the fixed-size writes of addForm (16 bytes of a run, 8 of a special's
// encoding) stay in bounds.
const slack = 64

// collectorPool holds collectors between verifications.
var collectorPool = sync.Pool{New: func() any { return new(collector) }}

// maxPooledBuffer is the largest buffer a collector keeps when returned to
// the pool, so that one large request does not pin its memory.
const maxPooledBuffer = 64 << 10

func getCollector() *collector {
	c := collectorPool.Get().(*collector)
	c.dec, c.enc, c.spans, c.order, c.base = c.dec[:0], c.enc[:0], c.spans[:0], c.order[:0], 0
	return c
}

func putCollector(c *collector) {
	if cap(c.raw) > maxPooledBuffer || cap(c.masks) > maxPooledBuffer/64 || cap(c.dec) > 2*maxPooledBuffer || cap(c.enc) > 3*maxPooledBuffer || cap(c.spans) > MaxParams || cap(c.prefix.enc) > maxPooledBuffer {
		return
	}
	collectorPool.Put(c)
}

// normalizeParts is normalizeParts, remembering its last result (the
// collector is pooled, and the result is a string: sharing it is safe).
func (c *collector) normalizeParts(scheme, host, path string) (string, error) {
	u := &c.url
	if u.base != "" && u.raw == "" && u.scheme == scheme && u.host == host && u.path == path {
		return u.base, nil
	}
	base, err := normalizeParts(scheme, host, path)
	if err == nil {
		// Copies: the parts may share the memory of a whole request.
		*u = urlMemo{"", strings.Clone(scheme), strings.Clone(host), strings.Clone(path), base}
	}
	return base, err
}

// normalizeURL is NormalizeURL, remembering its last result.
func (c *collector) normalizeURL(rawURL string) (string, error) {
	u := &c.url
	if u.raw != "" && u.raw == rawURL {
		return u.base, nil
	}
	base, err := NormalizeURL(rawURL)
	if err == nil && rawURL != "" {
		*u = urlMemo{raw: strings.Clone(rawURL), base: base}
	}
	return base, err
}

// add appends one decoded parameter (from the Authorization header).
func (c *collector) add(k, v string) {
	s := span{ks: len(c.dec), e0: len(c.enc)}
	c.dec = append(c.dec, k...)
	s.ke = len(c.dec)
	c.dec = append(c.dec, v...)
	s.ve = len(c.dec)
	c.enc = append(c.enc, "%26"...)
	c.enc = appendEncodedTwice(c.enc, k)
	s.ek = len(c.enc)
	c.enc = append(c.enc, "%3D"...)
	c.enc = appendEncodedTwice(c.enc, v)
	s.e1 = len(c.enc)
	c.spans = append(c.spans, s)
}

// appendEncodedTwice appends Encode(Encode(s)): an unreserved byte as it
// is, any other as "%25" and its two hexadecimal digits.
func appendEncodedTwice(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if ch := s[i]; unreservedSet[ch] {
			b = append(b, ch)
		} else {
			b = append(b, '%', '2', '5', upperhex[ch>>4], upperhex[ch&15])
		}
	}
	return b
}

// specialAt[j][ch] is 1<<j when ch is outside the unreserved set (a
// "special"), else 0: or-ing the entries of eight bytes, the j-th with
// row j, gives a mask of their specials (read-only).
var specialAt = func() (t [8][256]uint8) {
	for j := range t {
		for ch := range t[j] {
			if !unreservedSet[ch] {
				t[j][ch] = 1 << j
			}
		}
	}
	return t
}()

// encodedTwice holds Encode(Encode(string(ch))) of each byte ch, in the
// low encodedTwiceLen[ch] bytes of a little-endian word: ch itself when
// unreserved, else "%25" and its hexadecimal digits (read-only).
var encodedTwice, encodedTwiceLen = func() (t [256]uint64, n [256]uint8) {
	for ch := range t {
		b := appendEncodedTwice(nil, string([]byte{byte(ch)}))
		var w [8]byte
		copy(w[:], b)
		t[ch], n[ch] = binary.LittleEndian.Uint64(w[:]), uint8(len(b))
	}
	return t, n
}()

// "%26" and "%3D" as little-endian words, to write with one store.
const (
	pct26 = '%' | '2'<<8 | '6'<<16
	pct3D = '%' | '3'<<8 | 'D'<<16
)

// word returns the specials of the 8 bytes of w, a bit each (see
// specialAt).
func word(tab *[8][256]uint8, w []byte) uint8 {
	_ = w[7]
	return tab[0][w[0]] | tab[1][w[1]] | tab[2][w[2]] | tab[3][w[3]] |
		tab[4][w[4]] | tab[5][w[5]] | tab[6][w[6]] | tab[7][w[7]]
}

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

// addForm collects the parameters of an application/x-www-form-urlencoded
// string or body, exactly as appendForm parses them: it appends their
// decoded names and values to c.dec and their twice-encoded pairs to
// c.enc. The request's parameters so far count towards [MaxParams].
//
// It works in two passes. The first marks, in one bit each, the bytes
// outside the unreserved set ("specials": "&", "=", "%", "+" and any
// other), 64 bytes to a word of c.masks; it has no branches that depend
// on the bytes. The second goes from special to special: it copies the
// run of unreserved bytes before each to both outputs, then writes the
// special decoded, and encoded twice. Finding the next special takes no
// look at the bytes, so the work on one run does not wait for the loads
// of the one before.
func addForm[T ~string | ~[]byte](c *collector, s T) error {
	// The form is copied and padded with "&": the padding stops the
	// second pass as one more pair separator, fills the last mask word,
	// and leaves 64 bytes past the form for the fixed-size copies and
	// the look at the two bytes after a "%".
	end := len(s)
	words := end/64 + 1 // the sentinel at end is in the last
	raw := append(c.raw[:0], s...)
	raw = slices.Grow(raw, words*64+64-end)[:words*64+64]
	for i := end; i < len(raw); i++ {
		raw[i] = '&'
	}
	c.raw = raw
	c.masks = slices.Grow(c.masks[:0], words)[:words]
	specialMasks(&specialAt, raw[:words*64], c.masks)

	// Decoding never lengthens; encoding twice lengthens by at most 5
	// bytes a special (at a "&", the next pair's "%26" and this one's
	// "%3D") and 6 the first and last pair.
	specials := 0
	for _, m := range c.masks {
		specials += bits.OnesCount64(m)
	}
	c.dec = slices.Grow(c.dec, end+slack)
	c.enc = slices.Grow(c.enc, end+5*specials+6+slack)
	dec, enc := c.dec[:cap(c.dec)], c.enc[:cap(c.enc)]
	d, e := len(c.dec), len(c.enc)
	spans := c.spans // stored back once: c is on the heap

	pos := 0 // the first byte not yet written
	sp := span{ks: d, ke: -1, e0: e}
	binary.LittleEndian.PutUint32(enc[e:e+4], pct26)
	e += 3
	for w, m := range c.masks {
		for ; m != 0; m &= m - 1 {
			p := w*64 + bits.TrailingZeros64(m)
			// Copy the run raw[pos:p], 16 bytes at a time: most runs
			// take one, copied unconditionally. What is copied past
			// the run is overwritten or in the slack.
			n := p - pos
			*(*[16]byte)(dec[d : d+16]) = *(*[16]byte)(raw[pos : pos+16])
			*(*[16]byte)(enc[e : e+16]) = *(*[16]byte)(raw[pos : pos+16])
			for k := 16; k < n; k += 16 {
				*(*[16]byte)(dec[d+k : d+k+16]) = *(*[16]byte)(raw[pos+k : pos+k+16])
				*(*[16]byte)(enc[e+k : e+k+16]) = *(*[16]byte)(raw[pos+k : pos+k+16])
			}
			d, e = d+n, e+n

			ch := raw[p]
			if ch == '=' && sp.ke < 0 {
				sp.ke, sp.ek = d, e
				binary.LittleEndian.PutUint32(enc[e:e+4], pct3D)
				pos, e = p+1, e+3
				continue
			}
			if ch != '&' {
				// Decode the byte (the padding keeps raw[p+2] in
				// bounds), then write it encoded twice,
				// branch-free.
				adv := 1
				if ch == '%' {
					hi, lo := hexValue[raw[p+1]], hexValue[raw[p+2]]
					if hi|lo == 0xff { // "&" is no hexadecimal digit
						c.dec, c.enc, c.spans = dec[:d], enc[:e], spans
						if len(spans) >= MaxParams {
							return errTooMany
						}
						return errBadEscape
					}
					ch, adv = hi<<4|lo, 3
				} else if ch == '+' {
					ch = ' '
				}
				dec[d] = ch
				binary.LittleEndian.PutUint64(enc[e:e+8], encodedTwice[ch])
				pos, d, e = p+adv, d+1, e+int(encodedTwiceLen[ch])
				continue
			}

			// The end of a pair.
			if d == sp.ks && e == sp.e0+3 && sp.ke < 0 {
				e = sp.e0 // an empty pair
			} else {
				if len(spans) >= MaxParams {
					c.dec, c.enc, c.spans = dec[:d], enc[:e], spans
					return errTooMany
				}
				if sp.ke < 0 {
					// No "=": the value is empty.
					sp.ke, sp.ek = d, e
					binary.LittleEndian.PutUint32(enc[e:e+4], pct3D)
					e += 3
				}
				sp.ve, sp.e1 = d, e
				spans = append(spans, sp)
			}
			if p >= end {
				c.dec, c.enc, c.spans = dec[:d], enc[:e], spans
				return nil
			}
			pos = p + 1
			sp = span{ks: d, ke: -1, e0: e}
			binary.LittleEndian.PutUint32(enc[e:e+4], pct26)
			e += 3
		}
	}
	panic("oauth1: no sentinel after the form") // the last mask word has it
}

// specialMasks sets bit j of masks[i] when raw[64*i+j] is outside the
// unreserved set. tab is specialAt, a parameter so that it stays in a
// register.
func specialMasks(tab *[8][256]uint8, raw []byte, masks []uint64) {
	for i := range masks {
		w := (*[64]byte)(raw[i*64:])
		masks[i] = uint64(word(tab, w[0:8])) | uint64(word(tab, w[8:16]))<<8 |
			uint64(word(tab, w[16:24]))<<16 | uint64(word(tab, w[24:32]))<<24 |
			uint64(word(tab, w[32:40]))<<32 | uint64(word(tab, w[40:48]))<<40 |
			uint64(word(tab, w[48:56]))<<48 | uint64(word(tab, w[56:64]))<<56
	}
}

// sortSigned fills c.order with the parameters except the one at skip (-1
// for none), sorted by encoded name and then encoded value in byte order
// (RFC 5849 §3.4.1.3.2), comparing them encoded twice (see above).
//
// The parameters are first put in the order the collector's previous
// request sorted to, when it had as many: a consumer sends the same
// fields in the same order from one launch to the next, so they are then
// already sorted, or nearly, and an insertion sort finishes in one pass.
// Past a bound on the moves it needs, the sort is left to slices.SortFunc.
func (c *collector) sortSigned(skip int) {
	c.enc = slices.Grow(c.enc, 16) // room to load 16 bytes of any name
	enc, spans := c.enc[:cap(c.enc)], c.spans
	n := len(spans)
	if skip >= 0 {
		n--
	}
	// The previous order fits when it names n spans, none of them skip:
	// then it is a permutation of this request's signed spans.
	prev := c.prev
	reuse := len(prev) == n
	for _, i := range prev {
		if i >= len(spans) || i == skip {
			reuse = false
			break
		}
	}
	order := slices.Grow(c.order[:0], n)[:n]
	for j := range order {
		i := j
		if reuse {
			i = prev[j]
		} else if skip >= 0 && i >= skip {
			i++
		}
		// The first 16 bytes of the name, those past it cleared.
		s := &spans[i]
		k := enc[s.e0+3 : s.e0+19]
		mask := &prefixMasks[min(s.ek-s.e0-3, 16)]
		order[j] = sortItem{binary.BigEndian.Uint64(k[:8]) & mask[0], binary.BigEndian.Uint64(k[8:]) & mask[1], i}
	}
	c.order = order
	if !c.insertionSort(8 * n) {
		slices.SortFunc(order, c.compare)
	}
	prev = prev[:0]
	for _, o := range order {
		prev = append(prev, o.i)
	}
	c.prev = prev
}

// prefixMasks[n] keeps the first n of 16 big-endian bytes (read-only).
var prefixMasks = func() (t [17][2]uint64) {
	for n := range t {
		for b := range n {
			t[n][b/8] |= 0xff << (56 - 8*(b%8))
		}
	}
	return t
}()

// compare orders two sort items by name, then value.
func (c *collector) compare(x, y sortItem) int {
	switch {
	case x.pfx0 != y.pfx0:
		return cmp.Compare(x.pfx0, y.pfx0)
	case x.pfx1 != y.pfx1:
		return cmp.Compare(x.pfx1, y.pfx1)
	}
	a, b := &c.spans[x.i], &c.spans[y.i]
	if r := bytes.Compare(c.enc[a.e0+3:a.ek], c.enc[b.e0+3:b.ek]); r != 0 {
		return r
	}
	return bytes.Compare(c.enc[a.ek+3:a.e1], c.enc[b.ek+3:b.e1])
}

// insertionSort sorts c.order with at most budget moves, reporting
// whether it finished.
func (c *collector) insertionSort(budget int) bool {
	o := c.order
	for i := 1; i < len(o); i++ {
		x := o[i]
		j := i
		for ; j > 0; j-- {
			y := &o[j-1]
			if y.pfx0 < x.pfx0 || y.pfx0 == x.pfx0 && (y.pfx1 < x.pfx1 || y.pfx1 == x.pfx1 && c.compare(*y, x) <= 0) {
				break
			}
			if budget--; budget < 0 {
				o[j] = x // o stays a permutation, for the caller to sort
				return false
			}
			o[j] = *y
		}
		o[j] = x
	}
	return true
}

// buildBase appends the signature base string of the sorted parameters to
// c.dec, after the decoded parameters, as appendBaseString writes it; it
// starts at c.base.
func (c *collector) buildBase(method, baseURL string) {
	n := 3*len(method) + 3*len(baseURL) + 2
	for _, o := range c.order {
		s := &c.spans[o.i]
		n += s.e1 - s.e0
	}
	c.base = len(c.dec)
	b := slices.Grow(c.dec, n)
	// The method and base URL, encoded: a server sees the same ones
	// over and over.
	if p := &c.prefix; p.method != method || p.url != baseURL || len(p.enc) == 0 {
		p.enc = appendEncodedUpper(p.enc[:0], method)
		p.enc = append(p.enc, '&')
		p.enc = appendEncoded(p.enc, baseURL)
		p.enc = append(p.enc, '&')
		p.method, p.url = strings.Clone(method), strings.Clone(baseURL)
	}
	b = append(b, c.prefix.enc...)
	for i, o := range c.order {
		s := &c.spans[o.i]
		from := s.e0
		if i == 0 {
			from += 3 // no "%26" before the first pair
		}
		s.bo = len(b) - c.base - from
		b = append(b, c.enc[from:s.e1]...)
	}
	c.dec = b
}

// resultBytes returns, in one string, the base string buildBase wrote (its
// first nb bytes) and the decoded names and values it does not hold, and
// points each span's ks:ke and vs:ve at its decoded name and value in
// that string. A name or value of unreserved bytes only is its own
// encoding, twice: it is taken from the base string. The others, and the
// unsigned parameter at skip (-1 for none), are copied after it.
func (c *collector) resultBytes(skip int) (all string, nb int) {
	nb = len(c.dec) - c.base
	b := slices.Grow(c.dec, c.base) // room for every decoded byte
	for i := range c.spans {
		s := &c.spans[i]
		ks, ke, ve := s.ks, s.ke, s.ve
		// Encoding twice writes 5 bytes for a byte not unreserved, so
		// the lengths are equal only when there is none.
		if i == skip || ke-ks != s.ek-s.e0-3 {
			s.ks = len(b) - c.base
			b = append(b, c.dec[ks:ke]...)
		} else {
			s.ks = s.bo + s.e0 + 3
		}
		s.ke = s.ks + ke - ks
		if i == skip || ve-ke != s.e1-s.ek-3 {
			s.vs = len(b) - c.base
			b = append(b, c.dec[ke:ve]...)
		} else {
			s.vs = s.bo + s.ek + 3
		}
		s.ve = s.vs + ve - ke
	}
	c.dec = b[:c.base+nb] // the base string, as hmacBase64 reads it
	return string(b[c.base:]), nb
}

// baseString returns the base string buildBase wrote.
func (c *collector) baseString() []byte { return c.dec[c.base:] }

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

// hmacBase64 sets c.want to the base64 HMAC of the base string keyed with
// c.key, reusing the collector's HMAC when it was keyed with the same key
// for the same method.
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
	c.mac.Write(c.baseString())
	c.sum = c.mac.Sum(c.sum[:0])
	c.want = base64.StdEncoding.AppendEncode(c.want[:0], c.sum)
}
